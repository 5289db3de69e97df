#!/usr/bin/env python3
"""check_attest.py DOC.json EIF.json NONCE: the host's check of what
`initctl attest --nonce NONCE --json` printed in the guest (tests/nitro/run.sh
passes it between NITROTEST ATTEST-BEGIN/END on the console): the nonce came
back, and PCR0/1/2 of the document equal tools/mkeif.py's prediction
(EIF.json, its --json output). Exits 1 with one line saying what differs.

The document's field names are looked up loosely ("nonce"; "pcrs" or
"PCRs", keyed "0" or "PCR0", or a list) until initctl attest's JSON is
settled. Standard library only."""
import json
import sys


def field(doc, *names):
    for n in names:
        if n in doc:
            return doc[n]
    raise SystemExit("no %s in the document (keys: %s)" % ("/".join(names), ", ".join(sorted(doc))))


def main():
    try:
        doc = json.load(open(sys.argv[1]))
        want = json.load(open(sys.argv[2]))["Measurements"]
    except (OSError, ValueError, KeyError) as e:
        raise SystemExit("cannot read the document or the prediction: %s" % e)
    nonce = field(doc, "nonce")
    if str(nonce).lower() != sys.argv[3].lower():
        raise SystemExit("the nonce came back as %r, not %s" % (nonce, sys.argv[3]))
    pcrs = field(doc, "pcrs", "PCRs")
    for n in "012":
        if isinstance(pcrs, dict):
            got = pcrs.get(n, pcrs.get("PCR" + n))
        else:
            got = pcrs[int(n)] if len(pcrs) > int(n) else None
        if str(got).lower() != want["PCR" + n].lower():
            raise SystemExit("the document's PCR%s is %s, mkeif.py predicted %s" % (n, got, want["PCR" + n]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""check_attest.py DOC.json EIF.json NONCE: the host's check of what
`initctl attest --nonce NONCE --json` printed in the guest (tests/nitro/run.sh
passes it between NITROTEST ATTEST-BEGIN/END on the console): the nonce came
back, and PCR0/1/2 of the document equal tools/mkeif.py's prediction
(EIF.json, its --json output). Exits 1 with one line saying what differs.

The fields are initctl attest --json's; the user data must be "nitro-tier"
(the guest sends it), the digest SHA384. Standard library only."""
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
    if field(doc, "user_data") != b"nitro-tier".hex():
        raise SystemExit("the user data came back as %r, not %s" % (doc["user_data"], b"nitro-tier".hex()))
    if not str(field(doc, "module_id")) or field(doc, "digest") != "SHA384":
        raise SystemExit("module_id %r, digest %r" % (doc["module_id"], doc["digest"]))
    pcrs = field(doc, "pcrs")
    for n in "012":
        got = pcrs.get(n)
        if str(got).lower() != want["PCR" + n].lower():
            raise SystemExit("the document's PCR%s is %s, mkeif.py predicted %s" % (n, got, want["PCR" + n]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

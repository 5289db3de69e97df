#!/usr/bin/env python3
"""Ask init for an attestation document over the control socket (op 26),
with frames made by hand: the nonce and user data in the text field, the
reply's DOC records put back together and checked (each record's offset
is the bytes so far, the total never changes, DONE comes last with all of
it).

One request: prints "status=<n> msg=<text> doc=<bytes> closed=<yes|no>".
With --concurrent N: N connections at once, each sends its request before
any reply is read; prints "replies=<n> <status>=<count> ..." and then each
distinct message once, as "msg=<text>". Exits 1 when a reply breaks the
rules above, or a connection got no reply at all.

The layout mirrors include/proto.h (offsets and sizes are the protocol).
"""
import argparse
import collections
import socket
import struct
import sys
import time

FRAME = 1024
TEXT = 96
TEXT_SIZE = FRAME - TEXT
MAGIC = 0x454E4954
OP_ATTEST = 26
DONE = 0x100
DOC = 0x108


def ping(a):
    f = bytearray(FRAME)
    struct.pack_into(">IHHQHH", f, 0, MAGIC, 1, 1, a.hash, 0, 0)
    return bytes(f)


def request(a):
    f = bytearray(FRAME)
    struct.pack_into(">IHHQHH", f, 0, MAGIC, 1, OP_ATTEST, a.hash, 0, 0)
    struct.pack_into(">III", f, 20, a.nonce_len, a.user_data_len, a.arg2)
    body = bytes((i * 7 + 1) % 256 for i in range(a.nonce_len)) + b"u" * a.user_data_len
    f[TEXT:TEXT + min(len(body), TEXT_SIZE)] = body[:TEXT_SIZE]
    if a.junk_after:
        f[-1] = 1
    return bytes(f)


def connect(a):
    if a.vsock:
        cid, port = (int(x) for x in a.vsock.split(":"))
        s = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
        s.settimeout(a.timeout)
        s.connect((cid, port))
    else:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(a.timeout)
        # A full backlog refuses a Unix connect at once (EAGAIN) rather
        # than making it wait: try again until init has accepted some.
        give_up = time.monotonic() + a.timeout
        while True:
            try:
                s.connect(a.socket)
                break
            except BlockingIOError:
                if time.monotonic() > give_up:
                    raise
                time.sleep(0.01)
    return s


def recv_frame(s):
    buf = b""
    while len(buf) < FRAME:
        chunk = s.recv(FRAME - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def still_open(s, a):
    """Whether init kept the connection after DONE: a ping on it is
    answered (a closed one reads as EOF, or refuses the send)."""
    try:
        s.sendall(ping(a))
        return recv_frame(s) is not None
    except OSError:
        return False


def reply(s, a):
    """(status, message, document bytes, closed), or raise ValueError."""
    doc, total = b"", None
    while True:
        f = recv_frame(s)
        if f is None:
            raise ValueError("connection closed before DONE (%d document bytes)" % len(doc))
        op, status = struct.unpack_from(">H", f, 6)[0], struct.unpack_from(">H", f, 16)[0]
        a0, a1, a2 = struct.unpack_from(">III", f, 20)
        if op == DOC:
            if not 1 <= a0 <= TEXT_SIZE - 1 or a2 != len(doc) or (total is not None and a1 != total):
                raise ValueError("bad DOC record: %d bytes at %d of %d after %d" % (a0, a2, a1, len(doc)))
            total = a1
            doc += f[TEXT:TEXT + a0]
            continue
        if op != DONE:
            raise ValueError("unexpected record 0x%x" % op)
        msg = f[TEXT:].split(b"\0", 1)[0].decode()
        if status == 0 and (total is None or len(doc) != total):
            raise ValueError("DONE with %d of %s document bytes" % (len(doc), total))
        if status != 0 and doc:
            raise ValueError("a failure after %d document bytes" % len(doc))
        return status, msg, doc, "no" if still_open(s, a) else "yes"


def one(a):
    s = connect(a)
    s.sendall(request(a))
    status, msg, doc, closed = reply(s, a)
    print(f"status={status} msg={msg} doc={len(doc)} closed={closed}")
    return 0


def concurrent(a):
    socks = [connect(a) for _ in range(a.concurrent)]
    frame = request(a)
    for s in socks:
        try:
            s.sendall(frame)
        except OSError:
            pass  # turned away (too many clients): the answer is waiting to be read
    counts, msgs, bad = collections.Counter(), [], 0
    for s in socks:
        try:
            status, msg, _, _ = reply(s, a)
        except (ValueError, OSError) as e:
            print(f"error={e}")
            bad += 1
            continue
        counts[status] += 1
        if msg not in msgs:
            msgs.append(msg)
        s.close()
    print("replies=%d %s" % (sum(counts.values()), " ".join("%d=%d" % kv for kv in sorted(counts.items()))))
    for m in msgs:
        print(f"msg={m}")
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--socket")
    ap.add_argument("--vsock", help="CID:PORT instead of the Unix socket")
    ap.add_argument("--hash", type=lambda s: int(s, 16), required=True, help="configuration hash, hex")
    ap.add_argument("--nonce-len", type=int, default=0)
    ap.add_argument("--user-data-len", type=int, default=0)
    ap.add_argument("--arg2", type=int, default=0)
    ap.add_argument("--junk-after", action="store_true", help="a non-zero byte after the text")
    ap.add_argument("--concurrent", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=30)
    a = ap.parse_args()
    return concurrent(a) if a.concurrent else one(a)


if __name__ == "__main__":
    sys.exit(main())

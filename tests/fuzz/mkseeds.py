#!/usr/bin/env python3
"""Write the seed inputs of tests/fuzz/corpus/ (run once; the seeds are in
git). Each seed is small and in its target's input format (see the
comment at the top of each fuzz_*.c). Regression inputs (regress-*) are
crash inputs found by fuzzing and are kept as they were found."""

import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def put(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def chunk(b):
    return struct.pack("<H", len(b)) + b


def request_frame(op, name=b"", a0=0, a1=0, a2=0, text=b""):
    """The start of a request frame; the harness sets magic, version and
    hash (ctl bit 2). Trailing zeros are left out."""
    f = bytearray(96 + len(text))
    struct.pack_into(">H", f, 6, op)
    struct.pack_into(">III", f, 20, a0, a1, a2)
    f[32:32 + len(name)] = name
    f[96:] = text
    return bytes(f).rstrip(b"\0") or b"\0"


def request():
    ALL = 0x01 | 0x04  # may change state, header set right
    reqs = {
        "ping": [(ALL, 0, request_frame(1))],
        "list": [(ALL, 0, request_frame(2))],
        "status": [(ALL, 0, request_frame(3, b"a"))],
        "start-wait": [(ALL, 0, request_frame(4, b"a", 0, 1, 5))],
        "stop-restart": [(ALL, 1, request_frame(5, b"b")), (ALL | 0x10, 0, request_frame(6, b"c", 0, 1, 3))],
        "system-status": [(ALL, 0, request_frame(7))],
        "shutdown": [(ALL, 0, request_frame(8))],
        "shutdown-drain-wait": [(ALL, 0, request_frame(8, a0=5, a1=1))],
        "reboot-drain": [(ALL, 0, request_frame(9, a0=2)), (ALL, 0, request_frame(8, a0=0, a1=1))],
        "shutdown-bad-drain": [(ALL, 0, request_frame(8, a0=86401, a1=3))],
        "logs": [(ALL, 0, request_frame(10, b"init", 5))],
        "logs-follow": [(ALL, 0, request_frame(10, b"a", 1, 1))],
        "logs-clear": [(ALL, 0, request_frame(11, b"a"))],
        "enable-now": [(ALL, 0, request_frame(12, b"d", 1))],
        "disable": [(ALL, 0, request_frame(13, b"a"))],
        "reload": [(ALL, 0, request_frame(14))],
        "logs-stream": [(ALL, 0, request_frame(15, b"a", 3, 9000, 0x80000005)),
                        (ALL, 0, request_frame(16, b"a", 0, 9000))],
        "ps-list": [(ALL | 0x80, 0, request_frame(17))],
        "ps-status": [(ALL, 0, request_frame(18, a0=1000))],
        "ps-start": [(ALL, 0, request_frame(19, a0=2, a1=1, a2=14, text=b"/bin/x\0-y\0K=V\0"))],
        "ps-start-user": [(ALL, 0, request_frame(19, b"nobody", a0=1, a2=8, text=b"/bin/id\0"))],
        "ps-stop-kill": [(ALL, 0, request_frame(20, a0=1000)), (ALL, 0, request_frame(21, a0=1001, a1=9))],
        "ps-restart": [(ALL, 0, request_frame(22, a0=1000))],
        "health": [(ALL, 0, request_frame(23)), (ALL, 0, request_frame(23, b"a"))],
        "events": [(ALL | 0x40, 1, request_frame(24, a0=0, a1=1, a2=1)), (ALL, 0, request_frame(24, a2=2))],
        "metrics": [(ALL, 0, request_frame(25))],
        # attest: a document in DOC records (two frames' worth with the
        # largest nonce), the fake NSM's error (no nonce), a request whose
        # NSM never answers (arg bit 1), and one too big for the field.
        "attest": [(ALL, 0, request_frame(26, a0=5, a1=2, text=b"nonceud"))],
        "attest-big": [(ALL | 0x02, 0, request_frame(26, a0=512, a1=400, text=bytes(range(256)) * 3 + b"u" * 144))],
        "attest-error": [(ALL, 0, request_frame(26))],
        "attest-hangs": [(ALL, 2, request_frame(26, a0=1, text=b"n")), (ALL | 0x80, 2, request_frame(26, a0=1, text=b"m"))],
        "attest-too-big": [(ALL, 0, request_frame(26, a0=513, text=b"n" * 513))],
        "vsock-denied": [(0x04 | 0x02, 0, request_frame(8))],
        "bad-magic": [(0x01, 0, b"XXXX\0\x01\0\x01")],
    }
    for name, recs in reqs.items():
        put("request", name, b"".join(bytes([c, a]) + chunk(f) for c, a, f in recs))


def reply_frame(rec, status=0, flags=0, a=(0, 0, 0), name=b"", text=b"", fields=()):
    f = bytearray(96 + len(text))
    struct.pack_into(">HHH", f, 6, rec, 0, 0)
    struct.pack_into(">HH", f, 16, status, flags)
    struct.pack_into(">III", f, 20, *a)
    f[32:32 + len(name)] = name
    f[96:] = text
    for off, fmt, v in fields:
        if off + struct.calcsize(fmt) > len(f):
            f.extend(b"\0" * (off + struct.calcsize(fmt) - len(f)))
        struct.pack_into(fmt, f, off, v)
    return bytes(f).rstrip(b"\0") or b"\0"


def reply():
    done = lambda msg=b"ok", st=0, a=(0, 0, 0): reply_frame(0x100, st, 1, a, text=msg)  # noqa: E731
    svc = reply_frame(0x101, name=b"a", fields=[(96, ">B", 2), (97, ">B", 1), (100, ">I", 1234)])
    text = reply_frame(0x102, a=(1, 0, 0), text=b"/bin/a --flag")
    # A contained service: its cgroup's flags (every bit), memory, CPU, tasks.
    svc_cg = reply_frame(0x101, name=b"a", fields=[(96, ">B", 2), (97, ">B", 1), (100, ">I", 1234), (189, ">B", 0x7f),
                                                   (192, ">Q", 1 << 62), (200, ">Q", 35000), (208, ">I", 3)])
    system = reply_frame(0x103, fields=[(96, ">Q", 3600), (104, ">I", 5)])
    log = reply_frame(0x104, a=(20, 0, 0), text=b"[2024-01-01] hello\n")
    ps = reply_frame(0x105, name=b"a", fields=[(96, ">I", 42), (100, ">I", 1), (104, ">B", ord("S"))],
                     text=b"")
    commands = {"list": (0, [svc, svc, done()]), "status": (1, [svc, text, done()]),
                "status-cgroup": (1, [svc_cg, text, done()]), "list-cgroup": (0, [svc_cg, svc, done()]),
                "system-status": (2, [system, text, done()]), "start": (3, [done(b"Service 'a' started")]),
                "ping": (6, [done(b"Pong")]), "dry-run": (12, [svc, done()]), "logs": (13, [log, log, done()]),
                "ps-list": (16, [ps, ps, done()]), "ps-status": (17, [ps, text, done()]),
                "ps-start": (18, [done(b"Process started", 0, (77, 0, 0))]),
                "config-mismatch": (6, [done(b"mismatch", 3)]), "error": (4, [done(b"no such service", 5)])}
    for name, (cmd, frames) in commands.items():
        put("reply", name, bytes([cmd]) + b"".join(b"\x01" + chunk(f) for f in frames))


def cbor_head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for ai, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | ai]) + n.to_bytes(size, "big")
    raise ValueError(n)


def cbor(v):
    """Just what an attestation document holds: ints, bytes, text, None,
    lists and dicts (in the order given)."""
    if v is None:
        return b"\xf6"
    if isinstance(v, int):
        return cbor_head(0, v) if v >= 0 else cbor_head(1, -1 - v)
    if isinstance(v, bytes):
        return cbor_head(2, len(v)) + v
    if isinstance(v, str):
        return cbor_head(3, len(v.encode())) + v.encode()
    if isinstance(v, list):
        return cbor_head(4, len(v)) + b"".join(cbor(x) for x in v)
    return cbor_head(5, len(v)) + b"".join(cbor(k) + cbor(x) for k, x in v.items())


def attest_document(tagged=False, pcrs=16, nonce=None, user_data=None, public_key=None, cabundle=2):
    """An attestation document shaped as the NSM's (small certificates, to
    keep the seeds small)."""
    payload = {"module_id": "i-0123456789abcdef0-enc0123456789abcdef", "digest": "SHA384",
               "timestamp": 1796511517180,
               "pcrs": {i: bytes([(i + 1) * 0x11 if i in (0, 1, 2, 4, 8) else 0]) * 48 for i in range(pcrs)},
               "certificate": b"\x30" * 64, "cabundle": [b"\x30" * 32] * cabundle,
               "public_key": public_key, "user_data": user_data, "nonce": nonce}
    doc = cbor([cbor({1: -35}), {}, cbor(payload), b"\0" * 96])
    return (b"\xd2" + doc) if tagged else doc


def attest_doc():
    put("attest_doc", "nitro", attest_document())
    put("attest_doc", "tagged-nonce-user-data", attest_document(True, 16, b"\xde\xad", b"hello", b"\x04" * 8))
    put("attest_doc", "qemu-locked-pcrs", attest_document(pcrs=5, cabundle=0))


def reply_attest():
    """`initctl attest` (command 22) and `attest --json` (23): the document
    in DOC records of 300 bytes, then DONE."""
    doc = attest_document(pcrs=4)
    done = reply_frame(0x100, 0, 1, text=b"ok")
    recs = [reply_frame(0x108, a=(len(doc[o:o + 300]), len(doc), o), text=doc[o:o + 300])
            for o in range(0, len(doc), 300)]
    put("reply", "attest", bytes([22]) + b"".join(b"\x01" + chunk(f) for f in recs + [done]))
    put("reply", "attest-json", bytes([23]) + b"".join(b"\x01" + chunk(f) for f in recs + [done]))


def ictlconf():
    seeds = {
        "unix": b"protocol: unix\nunix_socket_path: /run/init.sock\n",
        "vsock": b"---\nprotocol: \"vsock\"\nvsock_cid: 16\nvsock_port: 9001  # comment\n",
        "quoted": b"unix_socket_path: '/run/it''s.sock'\n",
        "empty": b"# nothing\n",
    }
    for name, b in seeds.items():
        put("ictlconf", name, b)


def app():
    put("app", "cmd-env", b"\0" + chunk(b"/bin/app\n--port\n8080\n") + b"PATH=/bin\nHOME=/root\nbad line\n")
    put("app", "no-env", b"\x02" + chunk(b"/bin/app"))
    put("app", "empty-first-line", b"\0" + chunk(b"\nx\n") + b"A=1")


def procfs():
    stat = b"cpu  1 2 3 4\nbtime 1700000000\nprocesses 5\n"
    pstat = (b"42 (my (odd) name) S 1 42 42 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 1 0 500 1000 200 "
             b"18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n")
    dirent = b""
    for ino, name in ((1, b"."), (2, b"1"), (3, b"42"), (4, b"self")):
        reclen = (19 + len(name) + 1 + 7) // 8 * 8
        dirent += struct.pack("<QqHB", ino, 0, reclen, 4) + name + b"\0" * (reclen - 19 - len(name))
    files = [b"12345.67 890.12\n", stat, pstat, b"1000 250 100 1 0 50 0\n", b"/bin/sh\0-c\0echo hi\0", dirent]
    put("procfs", "pid42", bytes([41, 255]) + b"".join(chunk(f) for f in files))
    missing = b"\xff\xff"
    put("procfs", "kthread", bytes([41, 64]) + chunk(files[0]) + missing + chunk(pstat.replace(b"4194560", b"2097152"))
        + missing + chunk(b"") + chunk(dirent))


def cbor(v):
    """Just enough CBOR (RFC 8949, shortest heads) for the seeds: ints,
    bytes, str, None, lists, dicts in their order, and Tag(n, v)."""
    def head(major, n):
        if n < 24:
            return bytes([major << 5 | n])
        for ai, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
            if n < 1 << (8 * size):
                return bytes([major << 5 | ai]) + n.to_bytes(size, "big")
        raise ValueError(n)
    if isinstance(v, Tag):
        return head(6, v.tag) + cbor(v.value)
    if v is None:
        return b"\xf6"
    if isinstance(v, bool):
        return b"\xf5" if v else b"\xf4"
    if isinstance(v, int):
        return head(0, v) if v >= 0 else head(1, -1 - v)
    if isinstance(v, bytes):
        return head(2, len(v)) + v
    if isinstance(v, str):
        return head(3, len(v.encode())) + v.encode()
    if isinstance(v, list):
        return head(4, len(v)) + b"".join(cbor(x) for x in v)
    if isinstance(v, dict):
        return head(5, len(v)) + b"".join(cbor(k) + cbor(x) for k, x in v.items())
    raise TypeError(v)


class Tag:
    def __init__(self, tag, value):
        self.tag, self.value = tag, value


def filler(seed, n):
    """n bytes that look random and are the same every run."""
    out, x = bytearray(), seed
    while len(out) < n:
        x = (x * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        out += (x >> 33).to_bytes(4, "big")
    return bytes(out[:n])


def attestation_document(nonce=b"", user_data=b"", tagged=False, pcrs=16, certs=4):
    """A document shaped like the NSM's (AWS's "Verifying the root of
    trust"): COSE_Sign1 [protected {1: -35 (ES384)}, {}, payload, 96-byte
    signature], the payload's fields in the NSM's order. Certificates are
    filler of DER-like sizes: nothing here is verified."""
    payload = {
        "module_id": "i-0123456789abcdef0-enc0123456789abcdef",
        "digest": "SHA384",
        "timestamp": 1700000000123,
        "pcrs": {i: filler(i, 48) if i < 5 else bytes(48) for i in range(pcrs)},
        "certificate": b"\x30\x82\x02\x7e" + filler(100, 638),
        "cabundle": [b"\x30\x82\x02\x10" + filler(200 + i, 524 + 60 * i) for i in range(certs)],
        "public_key": None,
        "user_data": user_data or None,
        "nonce": nonce or None,
    }
    doc = [cbor({1: -35}), {}, cbor(payload), filler(300, 96)]
    return cbor(Tag(18, doc) if tagged else doc)


def cbor_seeds():
    doc = attestation_document(nonce=b"nonce-0123456789", user_data=b"\x00\x01hello")
    put("cbor", "document", doc)
    put("cbor", "document-tagged-empty", attestation_document(tagged=True))
    # QEMU's emulated NSM: only the locked PCRs, zero certificate and signature.
    put("cbor", "document-qemu", attestation_document(nonce=b"n", pcrs=3, certs=1))
    put("cbor", "reply", cbor({"Attestation": {"document": doc}}))
    put("cbor", "reply-error", cbor({"Error": "InvalidArgument"}))
    put("cbor", "reply-lockpcrs", cbor("LockPCRs"))
    put("cbor", "request", cbor({"Attestation": {"user_data": b"ud", "nonce": b"abc", "public_key": None}}))
    # Every major type, floats and simple values, a deep nest, indefinite lengths.
    put("cbor", "kinds", bytes.fromhex("0a3901f3420102626869820102a1616101d2f4f5f6f93c00fa3f800000"
                                       "fb3ff0000000000000f820") + b"\x81" * 64 + b"\x00"
        + bytes.fromhex("5f4101ff9f00ff"))


def passwd():
    """fuzz_passwd: question, key length and key, read size, member room, file."""
    pw = (b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
          b"+nis::::::\nweb:x:1000:1001:" + b"g" * 300 + b":/srv:/bin/false\nlast:x:7:7::/:")
    gr = b"root:x:0:\nnogroup:x:65534:\naudio:x:29:pulse,web\nvideo:x:44:web\ncrowd:x:50:" + \
        b",".join(b"u%d" % i for i in range(200)) + b",web\nbad:x:x:web\ntail:x:7000:web"
    for name, want, key, step, room, text in (
            ("user-name", 0, b"web", 0, 0, pw), ("user-uid", 0, b"65534", 7, 0, pw),
            ("user-last", 0, b"last", 1, 0, pw), ("group-name", 1, b"video", 3, 0, gr),
            ("group-gid", 1, b"7000", 0, 0, gr), ("members", 2, b"web", 5, 16, gr),
            ("members-overflow", 2, b"web", 0, 2, gr)):
        put("passwd", name, bytes([want, len(key)]) + key + bytes([step, room]) + text)


def timeproto():
    """fuzz_timeproto: a frame, then 24 bytes of bounds and our side."""
    def frame(kind, nonce, t, magic=0x45434C4B, version=1, reserved=0):
        return struct.pack(">IHHQQQ", magic, version, kind, nonce, t, reserved)
    # max_step 900 s, max_backward 2 s, slew below 500 ms; sent at 1.8e18 ns, rtt 3 ms
    side = (900000).to_bytes(5, "big") + (2000).to_bytes(5, "big") + (500).to_bytes(5, "big") + \
        (4 * 1800000000000000000).to_bytes(8, "big") + bytes([3])
    put("timeproto", "reply-hour-ahead", frame(2, 7, 1800003600000000000) + side)
    put("timeproto", "reply-hour-behind", frame(2, 7, 1799996400000000000) + side)
    put("timeproto", "reply-slew", frame(2, 7, 1800000000300000000) + side)
    put("timeproto", "request", frame(1, 7, 0))
    put("timeproto", "reply-too-late", frame(2, 7, 1 << 62))
    put("timeproto", "bad-reserved", frame(2, 7, 1, reserved=1))
    put("timeproto", "half", frame(2, 7, 1)[:16])


if __name__ == "__main__":
    request()
    reply()
    ictlconf()
    app()
    procfs()
    attest_doc()
    reply_attest()
    cbor_seeds()
    passwd()
    timeproto()

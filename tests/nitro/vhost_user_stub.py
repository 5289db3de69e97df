#!/usr/bin/env python3
"""A vhost-user-vsock backend that answers the handshake and moves nothing.

    tests/nitro/vhost_user_stub.py SOCKET [--cid N] [--log FILE]

Why: QEMU's nitro-enclave machine always has a vhost-user-vsock device
(-M nitro-enclave,vsock=CHARDEV) and will not start without a backend on
that chardev; Debian packages none. This stub listens on the Unix socket
SOCKET (QEMU connects to it as a client: -chardev socket,path=SOCKET),
serves one connection and exits when QEMU closes it. It answers what QEMU
asks (features, protocol features with F_CONFIG, the config space with
the guest CID, vring bases) and takes the rest (memory table, vring
addresses, kick/call eventfds) without using it: the guest sees a vsock
device with CID N (16 by default), but no packet ever moves. That is why
the VSOCK checks (heartbeat, control, log stream) stay in the Debian-kernel
boot tier (tests/boot).

Protocol: docs/interop/vhost-user.rst in QEMU's source; the messages are a
12-byte header (request, flags, size; little-endian u32) and a payload, file
descriptors riding along as SCM_RIGHTS.
"""
import argparse
import array
import os
import socket
import struct
import sys

GET_FEATURES = 1
SET_OWNER = 3
GET_VRING_BASE = 11
GET_PROTOCOL_FEATURES = 15
GET_QUEUE_NUM = 17
GET_CONFIG = 24
GET_MAX_MEM_SLOTS = 36
GET_STATUS = 40

VERSION = 0x1
REPLY = 0x4
NEED_REPLY = 0x8

VIRTIO_F_VERSION_1 = 1 << 32
VHOST_USER_F_PROTOCOL_FEATURES = 1 << 30
PROTOCOL_F_CONFIG = 1 << 9

HEADER = struct.Struct("<III")
MAX_FDS = 8


def recv_exact(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def recv_message(conn):
    """One message: (request, flags, payload), or None at end of stream.
    File descriptors that come with it are closed: the stub uses none."""
    fds = array.array("i")
    header, ancdata, _flags, _addr = conn.recvmsg(HEADER.size, socket.CMSG_LEN(MAX_FDS * fds.itemsize))
    for level, kind, data in ancdata:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
    for fd in fds:
        os.close(fd)
    if not header:
        return None
    if len(header) < HEADER.size:
        rest = recv_exact(conn, HEADER.size - len(header))
        if rest is None:
            return None
        header += rest
    request, flags, size = HEADER.unpack(header)
    payload = recv_exact(conn, size) if size else b""
    if payload is None:
        return None
    return request, flags, payload


def answer(request, payload, cid):
    """The payload of the reply to a request that wants one, else None."""
    if request == GET_FEATURES:
        return struct.pack("<Q", VIRTIO_F_VERSION_1 | VHOST_USER_F_PROTOCOL_FEATURES)
    if request == GET_PROTOCOL_FEATURES:
        return struct.pack("<Q", PROTOCOL_F_CONFIG)
    if request in (GET_QUEUE_NUM, GET_MAX_MEM_SLOTS):
        return struct.pack("<Q", 8)
    if request == GET_STATUS:
        return struct.pack("<Q", 0)
    if request == GET_VRING_BASE:
        # struct vhost_vring_state {index, num}: the ring stayed where the
        # front-end left it (nothing was consumed).
        index, _num = struct.unpack_from("<II", payload)
        return struct.pack("<II", index, 0)
    if request == GET_CONFIG:
        # {offset, size, flags, region}: the reply's size must equal the
        # request's; virtio_vsock_config is {u64 guest_cid}.
        offset, size, flags = struct.unpack_from("<III", payload)
        config = struct.pack("<Q", cid).ljust(offset + size, b"\0")[offset : offset + size]
        return struct.pack("<III", offset, size, flags) + config
    return None


def serve(conn, cid, log):
    while True:
        message = recv_message(conn)
        if message is None:
            return
        request, flags, payload = message
        reply = answer(request, payload, cid)
        if reply is None and flags & NEED_REPLY:
            reply = struct.pack("<Q", 0)  # REPLY_ACK: success
        log.write("request %d size %d%s\n" % (request, len(payload), " -> reply" if reply is not None else ""))
        log.flush()
        if reply is not None:
            conn.sendall(HEADER.pack(request, VERSION | REPLY, len(reply)) + reply)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("socket")
    parser.add_argument("--cid", type=int, default=16)
    parser.add_argument("--log", default=os.devnull)
    args = parser.parse_args()
    try:
        os.unlink(args.socket)
    except FileNotFoundError:
        pass
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(args.socket)
    server.listen(1)
    with open(args.log, "a") as log:
        conn, _ = server.accept()
        server.close()
        os.unlink(args.socket)
        log.write("connected\n")
        log.flush()
        try:
            serve(conn, args.cid, log)
        except OSError as e:
            log.write("connection error: %s\n" % e)
            return 1
        log.write("closed\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

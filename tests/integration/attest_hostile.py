#!/usr/bin/env python3
"""Hostile attest clients (op 26), all at once: N that send a request and
close at once, N that send one and never read (holding the connection
until the others are done), N that send a request and a ping right behind
it, N that send half a request and close. Prints "ok" when it is done; what
init makes of them is the scenario's to check."""
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attest  # noqa: E402


class A:
    pass


def main():
    a = A()
    a.socket, a.hash, n = sys.argv[1], int(sys.argv[2], 16), int(sys.argv[3])
    a.nonce_len, a.user_data_len, a.arg2, a.junk_after, a.vsock, a.timeout = 16, 8, 0, False, None, 30
    req, ping = attest.request(a), attest.ping(a)
    held = []
    for i in range(n):
        for kind in ("close", "hold", "pipeline", "half"):
            try:
                s = attest.connect(a)
            except OSError:
                continue  # every client slot taken: init refused us, as it may
            try:
                if kind == "half":
                    s.sendall(req[:100])
                    s.close()
                    continue
                s.sendall(req + (ping if kind == "pipeline" else b""))
            except OSError:
                pass
            if kind == "close":
                s.close()
            else:
                held.append(s)
    time.sleep(1)
    for s in held:
        s.close()
    print("ok")


if __name__ == "__main__":
    main()

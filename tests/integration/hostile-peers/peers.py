#!/usr/bin/env python3
"""Control clients for init, well-behaved and hostile (Python 3 stdlib only).

  peers.py ping --socket S --hash H [--count 50] [--interval 0.1] [--deadline 15] [--times FILE] [--until FILE]
      A well-behaved client: COUNT pings (more, until FILE exists), each on a fresh connection; a
      "too many control clients" answer is retried (and counted) until the
      ping is answered. Prints one JSON object: the latencies' median, p95
      and max in ms, and the retries on the way (busy answers; connects refused: a full
      listen backlog, or no listener while init re-executes itself). Exits 1 when a ping is not
      answered within DEADLINE seconds (init stalled or starved it) or gets
      anything but a well-formed pong.
  peers.py load KIND --socket S --hash H [--clients N] [--name SVC] [--ready FILE] [--dropped FILE]
      A load that runs until SIGTERM, then prints one JSON object of what it
      saw and exits 1 if init answered anything malformed. KIND:
        many      N clients at once, round after round: connect all, send a
                  request on each (ping, list, status, system-status, ps list,
                  logs), read every reply
        silent    N clients connect and send nothing
        half      N clients send half a frame (512 bytes) and nothing more
        trickle   N clients send one byte of a frame every 2 s
        noread    N clients ask for a reply larger than a socket buffer (logs
                  SVC -n 20000) and never read it
        garbage   N clients send random bytes for ever
        churn     N processes connect and close in a tight loop
        backlog   N clients ask for logs SVC -n 100000000 again and again;
                  the even ones read each reply to its end, the odd ones
                  hang up after its first frame; the JSON has, per request,
                  the wait for the first frame (init's scan of the files)
      Every kind that holds a connection reconnects when init drops it, so
      the load stays at N connections; "dropped" counts init's drops.
  peers.py snapshot PID
      init's descriptor count and VmRSS (KiB), as JSON.
  peers.py figures FILE
      One line of what `ping` wrote to FILE: median, p95, max, refusals.

The frame layout mirrors include/proto.h (offsets and sizes are the protocol;
tests/integration/frame.py sends single hand-made frames the same way).
"""
import argparse
import errno
import json
import os
import random
import select
import selectors
import signal
import socket
import struct
import sys
import time

FRAME = 1024
MAGIC = 0x454E4954
DONE = 0x100
OP_PING, OP_LIST, OP_STATUS, OP_SYSTEM_STATUS, OP_LOGS, OP_PS_LIST = 1, 2, 3, 7, 10, 17
E_BUSY = 8

stopping = False


def on_term(_sig, _frm):
    global stopping
    stopping = True


def request(h, op, name="", arg0=0, arg1=0):
    f = bytearray(FRAME)
    struct.pack_into(">IHHQHH", f, 0, MAGIC, 1, op, h, 0, 0)
    struct.pack_into(">III", f, 20, arg0, arg1, 0)
    n = name.encode()
    f[32:32 + len(n)] = n
    return bytes(f)


def parse(frame):
    """(op, status, message) of a reply frame; ValueError when malformed."""
    magic, version, op = struct.unpack_from(">IHH", frame, 0)
    if magic != MAGIC or version != 1:
        raise ValueError(f"reply with magic {magic:#x} version {version}")
    status = struct.unpack_from(">H", frame, 16)[0]
    return op, status, frame[96:].split(b"\0", 1)[0].decode(errors="replace")


def connect(path, blocking=True, timeout=None):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if not blocking:
        s.setblocking(False)
    elif timeout:
        s.settimeout(timeout)
    try:
        s.connect(path)  # a Unix socket connects at once, or fails (EAGAIN: backlog full)
    except OSError:
        s.close()
        raise
    return s


class Stopping(Exception):
    """The load is ending: a connect was given up."""


def connect_retry(path, blocking=True, timeout=None, patience=30):
    """connect, waiting while the listen backlog is full (EAGAIN). Once the
    load is being stopped a full backlog is given up on: the caller gets
    Stopping (not a failure: the end of the load cut the connect short)."""
    end = time.monotonic() + patience
    while True:
        try:
            return connect(path, blocking, timeout)
        except BlockingIOError:
            if stopping:
                raise Stopping() from None
            if time.monotonic() > end:
                raise
            time.sleep(0.005)


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        c = s.recv(n - len(buf))
        if not c:
            break
        buf += c
    return buf


def exchange(path, h, req, timeout):
    """One request, its whole reply; returns (final status, message, frames)."""
    s = connect(path, timeout=timeout)
    try:
        s.sendall(req)
        frames = 0
        while True:
            f = recv_exact(s, FRAME)
            if len(f) != FRAME:
                raise ValueError(f"connection closed after {len(f)} bytes of a frame")
            frames += 1
            op, st, msg = parse(f)
            if op == DONE:
                return st, msg, frames
    finally:
        s.close()


def percentile(xs, p):
    xs = sorted(xs)
    if not xs:
        return 0.0
    k = max(0, min(len(xs) - 1, -(-len(xs) * p // 100) - 1))
    return xs[int(k)]


def summary(lat):
    return {
        "count": len(lat),
        "median_ms": round(percentile(lat, 50) * 1000, 2),
        "p95_ms": round(percentile(lat, 95) * 1000, 2),
        "max_ms": round(max(lat) * 1000, 2) if lat else 0.0,
    }


# ---------------------------------------------------------------- ping

def ping_once(path, h, deadline):
    """Seconds until a pong, init's "too many control clients" answers on
    the way, and connects refused because the listen backlog was full."""
    t0 = time.monotonic()
    busy = full = 0
    req = request(h, OP_PING)
    while True:
        left = deadline - (time.monotonic() - t0)
        if left <= 0:
            raise TimeoutError(f"ping not answered within {deadline}s ({busy} busy answers, {full} full backlogs)")
        try:
            st, msg, _ = exchange(path, h, req, left)
        except socket.timeout:
            continue  # the loop's deadline check says so
        except BlockingIOError:
            full += 1  # the listen backlog is full: init has not accepted yet
            time.sleep(0.005)
            continue
        except (ConnectionRefusedError, FileNotFoundError):
            full += 1  # no listener for a moment: init re-executing itself (reload)
            time.sleep(0.01)
            continue
        except (ConnectionResetError, BrokenPipeError):
            busy += 1  # refused and closed before the request was read
            time.sleep(0.005)
            continue
        if st == E_BUSY:
            busy += 1
            time.sleep(0.005)
            continue
        if st != 0 or msg != "Pong - init system is responsive":
            raise ValueError(f"ping answered status {st}: {msg}")
        return time.monotonic() - t0, busy, full


def cmd_ping(a):
    lat, times = [], []
    busy = full = 0
    i = 0
    while i < a.count or (a.until and not os.path.exists(a.until)):
        i += 1
        t0 = time.monotonic()
        try:
            dt, b, f = ping_once(a.socket, a.hash, a.deadline)
        except (TimeoutError, ValueError) as e:
            print(json.dumps({"error": f"ping {i}: {e}", **summary(lat), "busy": busy, "full": full}))
            return 1
        lat.append(dt)
        times.append((t0, t0 + dt))
        busy += b
        full += f
        if a.interval:
            time.sleep(a.interval)
    if a.times:
        with open(a.times, "w") as f:
            json.dump(times, f)
    print(json.dumps({**summary(lat), "busy": busy, "full": full}))
    return 0


# ---------------------------------------------------------------- loads

class Load:
    """What a load saw; printed as JSON at the end."""

    def __init__(self, kind, clients):
        self.kind = kind
        self.stats = {"kind": kind, "clients": clients, "connections": 0, "dropped": 0, "errors": [],
                      "replies": 0, "busy": 0}

    def error(self, why):
        if len(self.stats["errors"]) < 10:
            self.stats["errors"].append(why)

    def finish(self):
        print(json.dumps(self.stats))
        return 1 if self.stats["errors"] else 0


def ready(path):
    if path:
        open(path, "w").close()


def note_drop(a, ld):
    """Count a peer init dropped; once as many as there are clients have
    been, create the --dropped file (the test waits for it)."""
    ld.stats["dropped"] += 1
    if a.dropped and ld.stats["dropped"] == a.clients:
        ready(a.dropped)


def hold(a, ld, first_bytes, every=None, step=1):
    """Keep N connections that send first_bytes and then, every `every`
    seconds, `step` more bytes of a frame; reconnect each one init drops."""
    frame = request(a.hash, OP_PING)
    sel = selectors.DefaultSelector()
    sent = {}
    last = {}

    def open_one():
        try:
            s = connect_retry(a.socket, blocking=False)
        except Stopping:
            return
        ld.stats["connections"] += 1
        if first_bytes:
            try:
                s.send(frame[:first_bytes])
            except OSError:
                pass
        sent[s] = first_bytes
        last[s] = time.monotonic()
        sel.register(s, selectors.EVENT_READ)

    def close_one(s):
        sel.unregister(s)
        del sent[s], last[s]
        s.close()

    for _ in range(a.clients):
        open_one()
    ready(a.ready)
    while not stopping:
        for key, _ in sel.select(timeout=0.2):
            s = key.fileobj
            try:
                data = s.recv(FRAME)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if data:
                continue  # a reply to a frame trickled to its end; not expected, harmless
            note_drop(a, ld)
            close_one(s)
            open_one()
        if every:
            now = time.monotonic()
            for s in list(sent):
                if now - last[s] >= every and sent[s] < FRAME - 1:
                    try:
                        s.send(frame[sent[s]:sent[s] + step])
                        sent[s] += step
                    except OSError:
                        pass  # dropped: seen as EOF on the next select
                    last[s] = now
    return ld.finish()


def load_noread(a, ld):
    """N clients ask for a reply larger than a socket buffer and never read."""
    req = request(a.hash, OP_LOGS, a.name, 20000)
    socks = []

    def open_one():
        try:
            s = connect_retry(a.socket, timeout=5)
        except Stopping:
            return
        s.sendall(req)
        ld.stats["connections"] += 1
        socks.append(s)

    for _ in range(a.clients):
        open_one()
    ready(a.ready)
    # Never read: only notice that init has dropped the peer (its reply
    # still waits in the buffer, so a hang-up is looked for, not an EOF),
    # then reconnect.
    while not stopping:
        time.sleep(0.2)
        for s in list(socks):
            if peer_closed(s):
                note_drop(a, ld)
                socks.remove(s)
                s.close()
                open_one()
    return ld.finish()


def peer_closed(s):
    """Whether the other end has closed, without reading what it sent."""
    p = select.poll()
    p.register(s, select.POLLRDHUP)
    return any(ev & (select.POLLRDHUP | select.POLLHUP) for _, ev in p.poll(0))


def load_garbage(a, ld):
    rnd = random.Random(12)
    junk = bytes(rnd.randrange(256) for _ in range(65536))
    socks = []
    ready_done = False
    while not stopping:
        while len(socks) < a.clients:
            try:
                socks.append(connect(a.socket, blocking=False))
                ld.stats["connections"] += 1
            except OSError:
                break
        if not ready_done:
            ready(a.ready)
            ready_done = True
        for s in list(socks):
            try:
                s.send(junk)
            except BlockingIOError:
                pass
            except OSError:  # init answered "bad magic" and closed
                note_drop(a, ld)
                socks.remove(s)
                s.close()
        time.sleep(0.001)
    return ld.finish()


def forked(a, ld, make_body):
    """Run make_body(i)(stats) in N processes; sum what they saw."""
    kids = []
    for i in range(a.clients):
        body = make_body(i)
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            st = {"connections": 0, "dropped": 0, "errors": [], "replies": 0, "busy": 0}
            try:
                body(st)
            except Exception as e:  # a worker's failure is the load's error
                st["errors"].append(f"{type(e).__name__}: {e}")
            os.write(w, json.dumps(st).encode())
            os._exit(0)
        os.close(w)
        kids.append((pid, r))
    ready(a.ready)
    while not stopping:
        time.sleep(0.1)
    for pid, _ in kids:
        os.kill(pid, signal.SIGTERM)
    for pid, r in kids:
        data = b""
        while True:
            c = os.read(r, 65536)
            if not c:
                break
            data += c
        os.waitpid(pid, 0)
        st = json.loads(data or b"{}")
        for k, v in st.items():
            if isinstance(v, list):
                ld.stats.setdefault(k, [])
                ld.stats[k].extend(v)
            else:
                ld.stats[k] = ld.stats.get(k, 0) + v
    ld.stats["errors"] = ld.stats["errors"][:10]
    return ld.finish()


def churn_body(a):
    def body(st):
        while not stopping:
            try:
                s = connect(a.socket, blocking=False)
                s.close()
                st["connections"] += 1
            except OSError:
                time.sleep(0.001)  # backlog full
    return body


def backlog_body(a, whole):
    """Ask for logs SVC -n 100000000 again and again; read each reply to
    its end (whole) or only its first frame (the scan is done), then hang
    up and ask again."""
    req = request(a.hash, OP_LOGS, a.name, 100000000)

    def body(st):
        st["first_frame"] = []
        st["bytes"] = []
        while not stopping:
            try:
                s = connect_retry(a.socket, timeout=60)
            except Stopping:
                break
            st["connections"] += 1
            t0 = time.monotonic()
            s.sendall(req)
            got, first, tail = 0, None, b""
            while not (stopping and first):
                c = s.recv(1 << 20)
                if not c:
                    break
                if first is None:
                    first = time.monotonic()
                    if not whole:
                        break
                got += len(c)
                tail = (tail + c)[-FRAME:]
                if got % FRAME == 0 and len(tail) == FRAME and parse(tail)[0] == DONE:
                    break
            s.close()
            if first is None:
                if not stopping:
                    st["errors"].append("no reply")
                break
            st["first_frame"].append((t0, first))
            if not whole:
                continue
            if stopping and (got % FRAME or parse(tail)[0] != DONE):
                break  # cut short by the end of the load
            if got % FRAME or parse(tail)[0] != DONE:
                st["errors"].append(f"reply of {got} bytes without a final frame")
                break
            op, status, msg = parse(tail)
            if status != 0:
                st["errors"].append(f"logs answered {status}: {msg}")
                break
            st["replies"] += 1
            st["bytes"].append(got)
    return body


def many_round(a, ld, reqs):
    """All N connect, all send, every reply is read."""
    socks = []
    for _ in range(a.clients):
        try:
            socks.append(connect_retry(a.socket, timeout=30))
            ld.stats["connections"] += 1
        except Stopping:
            pass
        except OSError as e:
            if not stopping:  # the end of the load cuts a connect short
                ld.error(f"connect: {e}")
    for i, s in enumerate(socks):
        try:
            s.sendall(reqs[i % len(reqs)])
        except OSError:
            pass  # refused as busy: init sent its answer and closed
    for s in socks:
        try:
            while True:
                f = recv_exact(s, FRAME)
                if len(f) != FRAME:
                    ld.error(f"connection closed after {len(f)} bytes of a frame")
                    break
                op, st, msg = parse(f)
                if op == DONE:
                    if st == E_BUSY and "too many control clients" in msg:
                        ld.stats["busy"] += 1
                    elif st == 0:
                        ld.stats["replies"] += 1
                    else:
                        ld.error(f"status {st}: {msg}")
                    break
        except (OSError, ValueError) as e:
            ld.error(f"{type(e).__name__}: {e}")
        finally:
            s.close()


def load_many(a, ld):
    reqs = [request(a.hash, OP_PING), request(a.hash, OP_LIST), request(a.hash, OP_STATUS, a.name),
            request(a.hash, OP_SYSTEM_STATUS), request(a.hash, OP_PS_LIST), request(a.hash, OP_LOGS, a.name, 20)]
    first = True
    while not stopping:
        many_round(a, ld, reqs)
        if first:
            ready(a.ready)
            first = False
        ld.stats["rounds"] = ld.stats.get("rounds", 0) + 1
    return ld.finish()


def cmd_load(a):
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    ld = Load(a.kind, a.clients)
    if a.kind == "many":
        return load_many(a, ld)
    if a.kind == "silent":
        return hold(a, ld, 0)
    if a.kind == "half":
        return hold(a, ld, FRAME // 2)
    if a.kind == "trickle":
        return hold(a, ld, 1, every=2.0)
    if a.kind == "noread":
        return load_noread(a, ld)
    if a.kind == "garbage":
        return load_garbage(a, ld)
    if a.kind == "churn":
        return forked(a, ld, lambda i: churn_body(a))
    if a.kind == "backlog":
        return forked(a, ld, lambda i: backlog_body(a, whole=i % 2 == 0))
    sys.exit(f"unknown load {a.kind}")


# ---------------------------------------------------------------- snapshot

def snapshot(pid):
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    rss = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    return {"fds": fds, "rss_kb": rss}


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("ping")
    p.add_argument("--socket", required=True)
    p.add_argument("--hash", type=lambda s: int(s, 16), required=True)
    p.add_argument("--count", type=int, default=50)
    p.add_argument("--interval", type=float, default=0.1)
    p.add_argument("--deadline", type=float, default=15)
    p.add_argument("--times", help="write each ping's (start, end) here, as JSON")
    p.add_argument("--until", help="go on past COUNT pings until this file exists")
    p = sub.add_parser("load")
    p.add_argument("kind")
    p.add_argument("--socket", required=True)
    p.add_argument("--hash", type=lambda s: int(s, 16), required=True)
    p.add_argument("--clients", type=int, default=4)
    p.add_argument("--name", default="svc")
    p.add_argument("--ready", help="created once the load is in place")
    p.add_argument("--dropped", help="created once init has dropped as many peers as there are clients")
    p = sub.add_parser("snapshot")
    p.add_argument("pid", type=int)
    p = sub.add_parser("figures")
    p.add_argument("file")
    a = ap.parse_args()
    if a.cmd == "figures":
        with open(a.file) as f:
            d = json.load(f)
        print(f"median {d['median_ms']} ms, p95 {d['p95_ms']} ms, max {d['max_ms']} ms ({d['count']} pings; "
              f"retried: {d['busy']} busy answers, {d['full']} connects refused)"
              + (f"; {d['error']}" if "error" in d else ""))
        return 0
    if a.cmd == "ping":
        return cmd_ping(a)
    if a.cmd == "load":
        return cmd_load(a)
    print(json.dumps(snapshot(a.pid)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

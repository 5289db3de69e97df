# Malformed, truncated, wrong-version and wrong-hash frames, unknown
# services, unprivileged peers, idle peers and too many peers: each gets a
# clear error, and init keeps answering.

alive() { ctl ping >/dev/null || fail "init stopped answering ping"; }
H() { cfg_hash; }

expect_reply() {  # expect_reply STATUS MSG-REGEX FRAME-ARGS...
	local st=$1 re=$2; shift 2
	out=$(frame --hash "$(H)" "$@") || fail "frame.py failed: $out"
	expect_match "$out" "^status=$st msg=$re closed=yes$" "reply to frame $*"
	alive
}

t_01_valid_frame_by_hand() {
	out=$(frame --hash "$(H)" --op 1)
	expect_eq "$out" "status=0 msg=Pong - init system is responsive closed=no" "ping by hand"
}

t_02_garbage() {
	expect_reply 1 "bad magic.*" --garbage
}

t_03_truncated() {
	expect_reply 1 "truncated frame: 500 of 1024 bytes" --op 1 --truncate 500
	expect_reply 1 "truncated frame: 1 of 1024 bytes" --op 1 --truncate 1
}

t_04_wrong_version() {
	expect_reply 2 "unsupported protocol version 7 \(init speaks 1\)" --op 1 --version 7
}

t_05_wrong_hash() {
	expect_reply 3 "configuration mismatch: request built for 0123456789abcdef, init has $(H)" \
		--op 1 --hash 0123456789abcdef
}

t_06_unknown_op_and_bad_fields() {
	expect_reply 4 "unknown operation" --op 99
	expect_reply 4 "unknown operation" --op 0
	expect_reply 1 "status and flags must be zero in a request" --op 1 --status 5
	expect_reply 1 "unknown flags set" --op 1 --flags 128
	expect_reply 1 "unused request fields must be zero" --op 1 --arg0 7
	expect_reply 1 "unused request fields must be zero" --op 1 --fill-text
	expect_reply 1 "service name field is not terminated" --op 3 --unterminated-name
	expect_reply 1 "malformed service name" --op 3 --name "../etc/passwd"
	expect_reply 1 "malformed service name" --op 3 --name ""
	expect_reply 1 "unexpected service name" --op 1 --name svc
}

t_07_unknown_service() {
	for cmd in status start stop restart; do
		out=$(ctl $cmd nosuch 2>&1) && fail "$cmd nosuch succeeded"
		expect_eq "$out" "✗ Error: Service 'nosuch' not found" "$cmd nosuch"
	done
	out=$(ctl status 'bad/name' 2>&1) && fail "bad name accepted"
	expect_eq "$out" "✗ Error: 'bad/name' is not a valid service name" "bad name"
	long=$(printf 'x%.0s' $(seq 100))
	out=$(ctl status "$long" 2>&1) && fail "100-character name accepted"
	alive
}

t_08_socket_is_private() {
	expect_eq "$(stat -c %a "$INIT_SOCKET")" 600 "socket mode"
}

t_09_unprivileged_peer_refused_state_changes() {
	chmod 666 "$INIT_SOCKET"
	nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$INITCTL" "$@"; }
	pid=$(field svc PID)
	for cmd in "stop svc" "start svc" "restart svc" shutdown reboot; do
		out=$(nobody $cmd 2>&1) && fail "nobody could $cmd"
		expect_match "$out" "^✗ Error: permission denied: '${cmd%% *}' changes state and needs root or init's own user$" "$cmd as nobody"
	done
	nobody list >/dev/null || fail "nobody cannot list"
	nobody status svc >/dev/null || fail "nobody cannot read status"
	nobody ping >/dev/null || fail "nobody cannot ping"
	expect_eq "$(field svc PID)" "$pid" "svc untouched"
	chmod 600 "$INIT_SOCKET"
}

t_10_idle_and_surplus_clients() {
	# Three idle connections fill every slot (max_clients: 3); a fourth peer
	# is told so at once; once the idle ones time out, service resumes.
	${PYTHON:-python3} - "$INIT_SOCKET" <<'PY' || fail "slot test failed"
import socket, struct, sys, time
path = sys.argv[1]
idle = []
for _ in range(3):
    s = socket.socket(socket.AF_UNIX); s.connect(path); idle.append(s)
# No wait needed: init accepts from its backlog in arrival order, so the
# three idle peers hold the slots before the fourth is looked at.
s = socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(path)
f = b""
while len(f) < 1024:
    c = s.recv(1024 - len(f))
    if not c: break
    f += c
assert len(f) == 1024, "no busy reply"
st = struct.unpack_from(">H", f, 16)[0]
msg = f[96:].split(b"\0")[0].decode()
assert st == 8 and "too many control clients" in msg, (st, msg)
# An idle peer is dropped by init at its deadline (5 s): it sees EOF.
idle[0].settimeout(15)
t = time.monotonic()
assert idle[0].recv(1) == b"", "idle peer not dropped"
assert time.monotonic() - t < 14
PY
	wait_for "ping after the idle peers are dropped" 15 ctl ping
}

t_10b_trickling_clients_are_dropped() {
	# Three peers fill every slot and send one byte a second: the deadline
	# bounds a whole frame, so bytes in between do not keep a slot; once
	# they are dropped, a well-behaved client is served again.
	${PYTHON:-python3} - "$INIT_SOCKET" "$WORK/trickling" > "$WORK/trickle.out" <<'PY' &
import socket, sys, time
peers = []
for _ in range(3):
    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.send(b"E"); peers.append(s)
open(sys.argv[2], "w").close()  # every slot is taken now
dropped, end = set(), time.monotonic() + 40
while len(dropped) < len(peers) and time.monotonic() < end:
    for i, s in enumerate(peers):
        if i in dropped:
            continue
        try:
            s.send(b"E")
        except OSError:
            dropped.add(i)
    time.sleep(1)
print(len(dropped))
PY
	local trickler=$!
	trap 'kill $trickler 2>/dev/null' EXIT  # on a failure too: it holds every slot
	wait_for "three trickling peers connected" 10 test -f "$WORK/trickling"
	out=$(ctl ping 2>&1) && fail "ping served while the trickling peers hold every slot: $out"
	wait_for "ping while three peers trickle bytes" 30 ctl ping
	wait $trickler
	expect_eq "$(cat "$WORK/trickle.out")" 3 "trickling peers dropped"
}

t_10c_closed_connections_do_not_refuse_live_ones() {
	# With init stopped, ten peers connect and close at once, then one sends
	# a ping: all wait in the backlog together. Slots held by peers that are
	# already gone are taken back before a live one is refused.
	local pid; pid=$(init_hostpid)
	trap 'kill -CONT $pid 2>/dev/null' EXIT  # never leave init stopped
	kill -STOP "$pid"
	${PYTHON:-python3} - "$INIT_SOCKET" "$(H)" > "$WORK/storm.out" <<'PY' &
import socket, struct, sys
for _ in range(10):
    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.close()
s = socket.socket(socket.AF_UNIX); s.settimeout(20); s.connect(sys.argv[1])
open(sys.argv[1] + ".storm", "w").close()
f = bytearray(1024); struct.pack_into(">IHHQ", f, 0, 0x454E4954, 1, 1, int(sys.argv[2], 16))
s.sendall(bytes(f))
r = b""
while len(r) < 1024:
    c = s.recv(1024 - len(r))
    if not c: break
    r += c
print(r[96:].split(b"\0")[0].decode() if len(r) == 1024 else "no reply")
PY
	local storm=$!
	wait_for_quiet 10 test -f "$INIT_SOCKET.storm"
	kill -CONT "$pid"
	wait $storm
	rm -f "$INIT_SOCKET.storm"
	expect_eq "$(cat "$WORK/storm.out")" "Pong - init system is responsive" "reply to the live peer"
}

t_11_peer_that_never_reads() {
	# A peer that pipelines 1000 list requests and reads nothing: its replies
	# (2 MB) overflow the socket buffer, init stops producing for it, and it
	# holds only its own slot until its deadline.
	${PYTHON:-python3} - "$INIT_SOCKET" "$(H)" <<'PY' &
import socket, struct, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.setblocking(False)
f = bytearray(1024); struct.pack_into(">IHHQ", f, 0, 0x454E4954, 1, 2, int(sys.argv[2], 16))
data = bytes(f) * 1000
try:
    while data:
        data = data[s.send(data):]
except BlockingIOError:
    pass
time.sleep(8)
PY
	reader=$!
	for i in 1 2 3 4 5; do alive; done
	kill $reader 2>/dev/null; wait $reader 2>/dev/null
	alive
}

t_12_mutated_frames() {
	# 400 valid frames with 1-4 random bytes changed (fixed seed): every one
	# gets a well-formed final frame with a known status, none kills init.
	"${PYTHON:-python3}" - "$INIT_SOCKET" "$(H)" <<'PY' || fail "mutation run failed"
import random, socket, struct, sys
path, h = sys.argv[1], int(sys.argv[2], 16)
rng = random.Random(20261121)
for n in range(400):
    f = bytearray(1024)
    op = rng.choice([1, 2, 3, 7])
    struct.pack_into(">IHHQ", f, 0, 0x454E4954, 1, op, h)
    if op == 3:
        f[32:35] = b"svc"
    for _ in range(rng.randint(1, 4)):
        f[rng.randrange(0, 128 if rng.random() < 0.8 else 1024)] = rng.randrange(256)
    # A mutation may well form a valid start/stop/shutdown/enable/reload
    # or logs-clear request, which init would rightly obey, or a logs
    # --follow that rightly never ends: those are not noise, not sent.
    if struct.unpack_from(">H", f, 6)[0] in (4, 5, 6, 8, 9, 10, 11, 12, 13, 14):
        continue
    s = socket.socket(socket.AF_UNIX); s.settimeout(10); s.connect(path); s.sendall(f)
    last = None
    buf = b""
    while True:
        c = s.recv(1024 - len(buf))
        if not c:
            break
        buf += c
        if len(buf) == 1024:
            if struct.unpack_from(">I", buf, 0)[0] != 0x454E4954:
                sys.exit(f"frame {n}: reply with bad magic")
            if struct.unpack_from(">H", buf, 6)[0] == 0x100:
                last = buf
                break
            buf = b""
    s.close()
    if last is None:
        sys.exit(f"frame {n}: no final frame (mutated {bytes(f[:40]).hex()})")
    st = struct.unpack_from(">H", last, 16)[0]
    if st > 9:
        sys.exit(f"frame {n}: unknown status {st}")
PY
	alive
	expect_eq "$(state svc)" active "svc untouched by the noise"
}

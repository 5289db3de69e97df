# A socket file left by an earlier run is replaced; the new one is 0600.

prepare() {
	"${PYTHON:-python3}" -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$INIT_SOCKET"
	chmod 777 "$INIT_SOCKET"
	test -S "$INIT_SOCKET"
}

t_01_stale_socket_replaced() {
	ctl ping >/dev/null || fail "no ping"
	expect_eq "$(stat -c %a "$INIT_SOCKET")" 600 "mode of the new socket"
}

# initctl's configuration: initctl.yaml (where it is found, how each setting
# ranks against the command line and the environment, every kind of bad
# file), the transport options, and logs-stream over the Unix socket.
# (VSOCK itself needs a peer this machine does not have: the boot tests
# cover it; here it is driven as far as the connect.)

TS='\[[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\] '
GOOD=$INIT_SOCKET   # the socket init listens on

# conf NAME FORMAT: write printf FORMAT to $WORK/NAME.yaml and print its path.
conf() {
	# shellcheck disable=SC2059
	printf -- "$2" > "$WORK/$1.yaml"
	echo "$WORK/$1.yaml"
}

# bare ARGS...: initctl with neither INIT_SOCKET nor INITCTL_CONFIG set.
bare() { ( unset INIT_SOCKET INITCTL_CONFIG; "$INITCTL" "$@" ); }

PONG="✓ Pong - init system is responsive"
refused() { echo "✗ Error: cannot connect to init at $1: No such file or directory (is init running, and is this its control.unix_socket_path? -s, INIT_SOCKET or initctl.yaml name another)"; }

# body FILE: the log lines without their 22-byte timestamp prefix.
body() { cut -c23- "$@"; }

talker_ready() { grep -q 'line 20' "$WORK/log/talker.log"; }

# say TEXT: make the talker service write a line now.
say() { printf '%s\n' "$1" > "$WORK/say.tmp" && mv "$WORK/say.tmp" "$WORK/say"; }

t_00_no_file_means_the_built_in_defaults() {
	if [ -e /etc/initctl.yaml ]; then
		echo "(skipped: this machine has an /etc/initctl.yaml)"
		return 0
	fi
	# The build's unix_socket_path is the scenario's socket.
	expect_eq "$(bare ping)" "$PONG" "no -c, no INITCTL_CONFIG, no /etc/initctl.yaml"
}

t_01_the_file_sets_the_socket() {
	local f out rc
	ln -s init.sock "$WORK/via-file.sock"
	f=$(conf via-file "# the manual's form\nprotocol: unix\nunix_socket_path: $WORK/via-file.sock   # a link\n")
	expect_eq "$(bare -c "$f" ping)" "$PONG" "-c FILE"
	expect_eq "$(bare --config "$f" ping)" "$PONG" "--config FILE"
	expect_eq "$(bare --config="$f" ping)" "$PONG" "--config=FILE"
	expect_eq "$( unset INIT_SOCKET; INITCTL_CONFIG=$f "$INITCTL" ping)" "$PONG" "INITCTL_CONFIG"
	rm "$WORK/via-file.sock"
	out=$(bare -c "$f" ping 2>&1); rc=$?
	expect_eq "$rc/$out" "69/$(refused "$WORK/via-file.sock")" "the file's path is the one used"
}

t_02_command_line_file_beats_INITCTL_CONFIG() {
	local good elsewhere broken out rc
	good=$(conf good "unix_socket_path: $GOOD\n")
	elsewhere=$(conf elsewhere "unix_socket_path: $WORK/elsewhere.sock\n")
	broken=$(conf broken "this is not initctl.yaml\n")
	out=$( unset INIT_SOCKET; INITCTL_CONFIG=$elsewhere "$INITCTL" -c "$good" ping)
	expect_eq "$out" "$PONG" "-c over INITCTL_CONFIG"
	out=$( unset INIT_SOCKET; INITCTL_CONFIG=$broken "$INITCTL" -c "$good" ping 2>&1)
	expect_eq "$out" "$PONG" "INITCTL_CONFIG is not even read when -c is given"
	out=$( unset INIT_SOCKET; INITCTL_CONFIG=$good "$INITCTL" -c "$elsewhere" ping 2>&1); rc=$?
	expect_eq "$rc/$out" "69/$(refused "$WORK/elsewhere.sock")" "-c's file decides"
}

t_03_INIT_SOCKET_beats_the_file() {
	local good elsewhere out rc
	good=$(conf good "unix_socket_path: $GOOD\n")
	elsewhere=$(conf elsewhere "unix_socket_path: $WORK/elsewhere.sock\n")
	expect_eq "$(INIT_SOCKET=$GOOD "$INITCTL" -c "$elsewhere" ping)" "$PONG" "INIT_SOCKET over the file"
	out=$(INIT_SOCKET=$WORK/env.sock "$INITCTL" -c "$good" ping 2>&1); rc=$?
	expect_eq "$rc/$out" "69/$(refused "$WORK/env.sock")" "INIT_SOCKET decides"
	expect_eq "$(INIT_SOCKET= "$INITCTL" -c "$good" ping)" "$PONG" "an empty INIT_SOCKET counts as unset"
}

t_04_socket_option_beats_both() {
	local good elsewhere out rc
	good=$(conf good "unix_socket_path: $GOOD\n")
	elsewhere=$(conf elsewhere "unix_socket_path: $WORK/elsewhere.sock\n")
	out=$(INIT_SOCKET=$WORK/env.sock "$INITCTL" -c "$elsewhere" -s "$GOOD" ping)
	expect_eq "$out" "$PONG" "-s over INIT_SOCKET and the file"
	out=$(INIT_SOCKET=$GOOD INITCTL_CONFIG=$good "$INITCTL" -s "$WORK/opt.sock" ping 2>&1); rc=$?
	expect_eq "$rc/$out" "69/$(refused "$WORK/opt.sock")" "-s decides"
	out=$(INIT_SOCKET=$GOOD "$INITCTL" -c "$good" --socket="$WORK/opt.sock" ping 2>&1); rc=$?
	expect_eq "$rc/$out" "69/$(refused "$WORK/opt.sock")" "--socket= decides"
}

t_05_vsock_settings_from_the_file_and_the_command_line() {
	local v out rc
	v=$(conf vsock "protocol: vsock\nvsock_cid: 2\nvsock_port: 7777\nunix_socket_path: $GOOD\n")
	out=$(bare -c "$v" ping 2>&1); rc=$?
	expect_eq "$rc" 69 "exit status (init cannot be reached)"
	expect_match "$out" "^✗ Error: cannot connect to init at vsock 2:7777: " "the file's CID and port"
	out=$(bare -c "$v" --vsock-port 8888 ping 2>&1)
	expect_match "$out" "^✗ Error: cannot connect to init at vsock 2:8888: " "--vsock-port over the file"
	out=$(bare -c "$v" --vsock-port=8889 ping 2>&1)
	expect_match "$out" "^✗ Error: cannot connect to init at vsock 2:8889: " "--vsock-port="
	out=$(bare -c /dev/null -p vsock --vsock-cid 2 ping 2>&1)
	expect_match "$out" "^✗ Error: cannot connect to init at vsock 2:9001: " "the build's port"
	# -p unix over the file's protocol; the file's socket path still applies.
	expect_eq "$(bare -c "$v" -p unix ping)" "$PONG" "-p unix"
	expect_eq "$(bare -c "$v" --protocol=unix ping)" "$PONG" "--protocol=unix"
}

t_06_vsock_without_a_cid_is_an_error() {
	local out rc msg nocid
	msg="initctl: no VSOCK CID: give --vsock-cid or vsock_cid in initctl.yaml (the enclave's CID, e.g. from nitro-cli describe-enclaves)"
	out=$(bare -c /dev/null -p vsock ping 2>&1); rc=$?
	expect_eq "$rc/$out" "2/$msg" "-p vsock, no CID anywhere"
	nocid=$(conf nocid "protocol: vsock\nvsock_port: 9001\n")
	out=$(bare -c "$nocid" ping 2>&1); rc=$?
	expect_eq "$rc/$out" "2/$msg" "protocol: vsock in the file, no CID"
	"$INITCTL" --help | grep -q -- '--vsock-cid CID the enclave.s CID (no default' || fail "--help on the CID"
}

t_07_bad_option_values_are_usage_errors() {
	local out rc args
	out=$("$INITCTL" -p bogus ping 2>&1); rc=$?
	expect_eq "$rc/$out" "2/initctl: --protocol must be unix or vsock, not 'bogus'" "-p bogus"
	out=$("$INITCTL" --vsock-cid abc ping 2>&1); rc=$?
	expect_eq "$rc/$out" "2/initctl: --vsock-cid takes a number 0 to 4294967295, not 'abc' (not a decimal number)" "CID abc"
	out=$("$INITCTL" --vsock-port 4294967296 ping 2>&1); rc=$?
	expect_eq "$rc/$out" "2/initctl: --vsock-port takes a number 0 to 4294967295, not '4294967296' (larger than 4294967295)" "port too large"
	for args in "--protocol=" "-p" "-c" "--config" "--vsock-cid" "--vsock-cid -1" "--vsock-port=x" "--protocol UNIX"; do
		# shellcheck disable=SC2086
		"$INITCTL" $args ping >/dev/null 2>&1
		expect_eq "$?" 2 "exit status of 'initctl $args ping'"
	done
	ctl ping >/dev/null || fail "init still answers"
}

t_08_a_named_file_that_cannot_be_read_is_an_error() {
	local out rc
	out=$(bare -c "$WORK/missing.yaml" ping 2>&1); rc=$?
	expect_eq "$rc/$out" "2/initctl: cannot read $WORK/missing.yaml: No such file or directory" "-c missing"
	out=$( unset INIT_SOCKET; INITCTL_CONFIG=$WORK/missing.yaml "$INITCTL" ping 2>&1); rc=$?
	expect_eq "$rc/$out" "2/initctl: cannot read $WORK/missing.yaml: No such file or directory" "INITCTL_CONFIG missing"
	out=$(INIT_SOCKET=$GOOD "$INITCTL" -s "$GOOD" -c "$WORK" ping 2>&1); rc=$?
	expect_eq "$rc/$out" "2/initctl: cannot read $WORK: Is a directory" "-c DIRECTORY, even with -s"
}

t_09_bad_files_name_file_and_line_and_send_nothing() {
	# NAME, printf format, line, message: each file must stop initctl before
	# it connects, so the command is `shutdown` and init must still be up.
	local cases=(
		unknown 'protocol: unix\nsocket: /x\n' 2 "unknown key 'socket' \(known keys: protocol, unix_socket_path, vsock_cid, vsock_port\)"
		duplicate 'vsock_cid: 3\n\nvsock_cid: 4\n' 3 "duplicate key 'vsock_cid' \(first set on line 1\)"
		nocolon '# x\nprotocol unix\n' 2 "missing ':' after 'protocol'"
		indented 'protocol: unix\n  vsock_cid: 3\n' 2 "indented line"
		nested 'control:\n  unix_socket_path: /x\n' 1 "unknown key 'control'"
		novalue 'protocol:\n  - unix\n' 1 "no value for 'protocol'"
		tab 'protocol:\tunix\n' 1 "tab character: use spaces"
		flow 'vsock_cid: [3, 4]\n' 1 "a flow collection"
		flowmap '{protocol: unix}\n' 1 "a flow collection"
		sequence '- protocol: unix\n' 1 "a block sequence"
		unterminated "unix_socket_path: '/run/x.sock\n" 1 "unterminated single-quoted value of 'unix_socket_path'"
		protocol 'protocol: tcp\n' 1 "protocol must be 'unix' or 'vsock', not 'tcp'"
		relative 'unix_socket_path: run/x.sock\n' 1 "unix_socket_path must be an absolute path"
		cid 'vsock_cid: sixteen\n' 1 "vsock_cid must be a decimal number 0 to 4294967295, not 'sixteen'"
		port 'vsock_port: 4294967296 # too big\n' 1 "vsock_port must be a decimal number .*larger than 4294967295"
		nul 'protocol: unix\n\0\n' 2 "NUL byte"
		utf8 '# caf\351\n' 1 "not valid UTF-8"
		documents '---\nprotocol: unix\n---\n' 3 "a second document"
	)
	local i f out rc
	for ((i = 0; i < ${#cases[@]}; i += 4)); do
		f=$(conf "bad-${cases[i]}" "${cases[i + 1]}")
		out=$("$INITCTL" -c "$f" shutdown 2>&1); rc=$?
		expect_eq "$rc" 2 "exit status for ${cases[i]}"
		expect_match "$out" "^initctl: $f:${cases[i + 2]}: ${cases[i + 3]}" "${cases[i]}"
	done
	yes '# padding' | head -c 70000 > "$WORK/bad-big.yaml"
	out=$("$INITCTL" -c "$WORK/bad-big.yaml" shutdown 2>&1); rc=$?
	expect_eq "$rc/$out" "2/initctl: $WORK/bad-big.yaml:6554: file larger than 64 KiB: initctl.yaml holds four settings" "big file"
	[ -f "$EXITFILE" ] && fail "init went away: a shutdown got through"
	expect_eq "$(ctl ping)" "$PONG" "init still answers"
}

t_10_logs_stream_over_unix_prints_the_last_lines_and_ends() {
	local out rc
	wait_for "talker's 20 lines" 10 talker_ready
	timeout 10 "$INITCTL" logs-stream talker > "$WORK/s10.out"; rc=$?
	expect_eq "$rc" 0 "exit status"
	expect_eq "$(body "$WORK/s10.out")" "$(seq -f 'line %g' 11 20)" "the last 10 lines (the default)"
	grep -Evq "^$TS" "$WORK/s10.out" && fail "a line without its timestamp: $(cat "$WORK/s10.out")"
	expect_eq "$(ctl logs-stream talker -n 3 | body)" "$(seq -f 'line %g' 18 20)" "-n 3"
	expect_eq "$(ctl logs-stream -n3 talker | body)" "$(seq -f 'line %g' 18 20)" "-n3 before the name"
	expect_eq "$(ctl logs-stream talker --lines=3 | body)" "$(seq -f 'line %g' 18 20)" "--lines=3"
	expect_eq "$(ctl logs-stream talker -n 0 | wc -c)" 0 "-n 0"
	# Over the Unix socket the listener options are accepted and unused.
	out=$(ctl logs-stream talker -n 1 --listen-cid 2 --listen-port 9200 | body)
	expect_eq "$out" "line 20" "--listen-cid/--listen-port over unix"
}

t_11_logs_stream_follow_gets_new_lines_and_ends_on_SIGINT() {
	local pid rc
	wait_for "talker's 20 lines" 10 talker_ready
	"$INITCTL" logs-stream talker -f -n 1 > "$WORK/s11.out" 2> "$WORK/s11.err" &
	pid=$!
	wait_for "the backlog line" 10 grep -q 'line 20' "$WORK/s11.out"
	say "said after the stream began"
	wait_for "the new line" 10 grep -q 'said after the stream began' "$WORK/s11.out"
	kill -INT $pid
	wait_for "initctl to end on SIGINT" 5 sh -c "! kill -0 $pid"
	wait $pid; rc=$?
	expect_eq "$rc" 0 "exit status after Ctrl+C"
	expect_eq "$(body "$WORK/s11.out")" "$(printf 'line 20\nsaid after the stream began')" "streamed lines"
	expect_eq "$(cat "$WORK/s11.err")" "" "stderr"
}

t_12_output_file_is_appended() {
	local f="$WORK/out/stream.log" out pid
	wait_for "talker's 20 lines" 10 talker_ready
	mkdir -p "$WORK/out"
	echo "already here" > "$f"
	out=$(ctl logs-stream talker -n 2 -o "$f")
	expect_eq "$out" "" "nothing on stdout"
	ctl logs-stream talker -n 1 --output="$f" || fail "--output="
	expect_eq "$(cat "$f")" "$(echo "already here"; ctl logs talker -n 2; ctl logs talker -n 1)" "appended lines"
	( umask 022; ctl logs-stream talker -n 1 -o "$WORK/out/new.log" ) || fail "-o new file"
	expect_eq "$(stat -c %a "$WORK/out/new.log")" 644 "mode of a new file"
	# Following into a file: a line written later reaches it.
	"$INITCTL" logs-stream talker -f -n 0 -o "$WORK/out/follow.log" & pid=$!
	sleep 0.3
	say "into the file"
	wait_for "the line in the file" 10 grep -q 'into the file' "$WORK/out/follow.log"
	kill -INT $pid; wait $pid || fail "exit status $? after SIGINT"
}

t_13_logs_stream_errors() {
	local out rc a
	out=$(ctl logs-stream nosuch 2>&1); rc=$?
	expect_eq "$rc/$out" "4/✗ Error: Service 'nosuch' not found" "unknown service"
	out=$(ctl logs-stream 2>&1); rc=$?
	expect_eq "$rc/$out" "2/initctl: logs-stream takes one SERVICE name" "no name"
	out=$(ctl logs-stream talker -o /nonexistent/dir/x.log 2>&1); rc=$?
	expect_eq "$rc/$out" "1/✗ Error: cannot open /nonexistent/dir/x.log for writing: No such file or directory" "-o bad path"
	out=$(ctl logs-stream talker -o "$WORK" 2>&1); rc=$?
	expect_eq "$rc/$out" "1/✗ Error: cannot open $WORK for writing: Is a directory" "-o a directory"
	out=$(ctl logs-stream 'bad name!' 2>&1); rc=$?
	expect_eq "$rc/$out" "1/✗ Error: 'bad name!' is not a valid service name" "bad name"
	for a in "talker extra" "talker --bogus" "talker -n -1" "talker -n abc" "talker -n 2147483648" \
		 "talker -o" "talker --listen-port x" "talker --listen-cid 99999999999" "talker --listen-port"; do
		# shellcheck disable=SC2086
		ctl logs-stream $a >/dev/null 2>&1
		expect_eq "$?" 2 "exit status of 'logs-stream $a'"
	done
	expect_eq "$(ctl ping)" "$PONG" "init still answers"
}

t_14_logs_stream_over_vsock_listens_then_asks() {
	local out rc holder
	# No VSOCK peer here: the stream's listener is set up, then the control
	# connection fails (or, without AF_VSOCK at all, the listener does).
	out=$(bare -c /dev/null -p vsock --vsock-cid 2 logs-stream talker -f 2>&1); rc=$?
	expect_match "$rc" '^(1|69)$' "exit status (69: init cannot be reached; 1: no listener)"
	expect_match "$out" "^✗ Error: cannot (connect to init at vsock 2:9001|listen on vsock port 9100): " "message"
	# A busy port: the given one is an error, the default moves on.
	python3 - "$WORK/held" <<'EOF' &
import socket, sys, time
s = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
try:
    s.bind((socket.VMADDR_CID_ANY, 9100))
    s.listen()
except OSError as e:
    print(e)
    sys.exit(0)
open(sys.argv[1], "w").close()
time.sleep(60)
EOF
	holder=$!
	sleep 0.5
	if [ ! -f "$WORK/held" ]; then
		echo "(busy-port part skipped: cannot hold vsock port 9100 here)"
		kill $holder 2>/dev/null
		return 0
	fi
	out=$(bare -c /dev/null -p vsock --vsock-cid 2 logs-stream talker --listen-port 9100 2>&1); rc=$?
	# (the C library's words: musl's "Address in use", glibc's in the sanitize build)
	expect_match "$rc/$out" "^1/✗ Error: cannot listen on vsock port 9100: Address (already )?in use$" "--listen-port busy"
	out=$(bare -c /dev/null -p vsock --vsock-cid 2 logs-stream talker 2>&1)
	expect_match "$out" "^✗ Error: cannot connect to init at vsock 2:9001: " "default port busy: the next one"
	kill $holder; wait $holder 2>/dev/null
	true
}

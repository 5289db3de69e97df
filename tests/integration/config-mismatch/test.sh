# initctl built from a different configuration: it says so plainly, and
# still works by service name.

prepare() {
	mkdir -p "$WORK/other/services"
	cp "$WORK/config/init.yaml" "$WORK/other/init.yaml"
	printf 'ExecStart = "/bin/sleep 5"\nRestart = "always"\n' > "$WORK/other/services/web.service"
	make -s -C "$TESTS_DIR/../.." CONFIG="$WORK/other/init.yaml" BUILD="$WORK/other/build" all >/dev/null
}

t_01_mismatch_reported_and_tolerated() {
	other="$WORK/other/build/initctl"
	[ "$("$other" --version)" != "$("$INITCTL" --version)" ] || fail "the two builds have the same hash"
	out=$("$other" status web 2>"$WORK/err") || fail "status failed: $(cat "$WORK/err")"
	expect_match "$(cat "$WORK/err")" "^initctl: warning: initctl and init were built from different configurations \(initctl [0-9a-f]{16}, init $(cfg_hash)\); continuing by service name$" "warning"
	expect_match "$out" "Command: /bin/sleep 100000" "status from init's own configuration"
	"$other" list 2>/dev/null | grep -q '^web ' || fail "list failed"
}

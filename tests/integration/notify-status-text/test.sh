# A notify service's STATUS= is printed by `initctl status` as it is: what
# a terminal would act on must not reach it. hostile-status sends C1
# controls (U+009B, CSI, in UTF-8 and as a raw byte), quotes, a backslash
# and invalid UTF-8; the text output holds no control, the JSON stays valid
# and keeps the printable text.

t_01_status_text_holds_no_c1_control() {
	wait_for "hostile-status ready" 15 has_state hostile-status active
	local out
	out=$(ctl status hostile-status | sed -n 's/^  Notify Status: //p')
	expect_eq "$out" 'a??31mRED?0m "q" \ ?? end' "Notify Status line"
	ctl status hostile-status | LC_ALL=C grep -q $'\xc2\x9b\|\x9b' && fail "C1 control in initctl status"
	true
}

t_02_json_is_valid_and_keeps_the_text() {
	local got
	got=$(ctl status hostile-status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status_text"])') ||
		fail "status --json is not JSON"
	expect_eq "$got" 'a??31mRED?0m "q" \ ?? end' "status_text"
}

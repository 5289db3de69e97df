# Build flavours of the integration harness (sourced by run.sh).
#
# EI_FLAVOUR=sanitize (or valgrind) builds every scenario that way (see the
# Makefile's FLAVOUR); a scenario's file `flavour` adds words of its own
# (`fault`: init's system calls go through tests/faults/fault.c). FLAVOUR
# is exported, so a scenario that builds another init (reload) builds the
# same kind. What the tools find is written under $WORK/reports/, and a
# scenario with any report there fails: init runs as PID 1 of a namespace
# with its stderr in the console log, where a report would go unnoticed.

# flavour_of SCENARIO: the words to build it with.
flavour_of() {
	local own=""
	[ -f "$here/$1/flavour" ] && own=$(cat "$here/$1/flavour")
	echo $EI_FLAVOUR $own
}

has_word() { case " $1 " in *" $2 "*) return 0 ;; esac; return 1; }

# ASan and UBSan write to $WORK/reports/sanitizer.PID (created only when
# there is something to say). Leaks are looked for where a program ends
# by returning from main or exit(3): initctl; init ends with _exit(2)
# (or never), so LeakSanitizer never runs there. A report ends the program
# with exit(1), not abort(): PID 1 of a namespace ignores the SIGABRT it
# sends itself, and the sanitizer then trips over its own abort.
sanitize_env() {
	local common="log_path=$WORK/reports/sanitizer:abort_on_error=0:print_stacktrace=1"
	export ASAN_OPTIONS="$common:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1"
	export UBSAN_OPTIONS="$common:halt_on_error=1"
	# Frames with file:line when LLVM's symbolizer is there (clang's).
	local sym
	sym=$(command -v llvm-symbolizer || ls /usr/lib/llvm-*/bin/llvm-symbolizer 2>/dev/null | tail -1)
	[ -n "$sym" ] && export ASAN_SYMBOLIZER_PATH="$sym"
}

# init and initctl become scripts that run the binaries under memcheck;
# every process is followed into exec (a reload re-executes init) except
# services and tools (anything under a bin/ directory or /usr).
VALGRIND_OPTS="--error-exitcode=99 --track-fds=no --trace-children=yes \
--trace-children-skip=*/bin/*,/usr/*,/bin/*,/sbin/*"
valgrind_wrap() {
	local p
	for p in init initctl; do
		mv "$WORK/build/$p" "$WORK/build/$p.bin"
		printf '#!/bin/sh\nexec valgrind %s --log-file=%s/reports/valgrind.%%p "%s" "$@"\n' \
			"$VALGRIND_OPTS" "$WORK" "$WORK/build/$p.bin" > "$WORK/build/$p"
		chmod +x "$WORK/build/$p"
	done
}

# flavour_prepare FLAVOUR: after the build, before init starts.
flavour_prepare() {
	# steps run initctl as nobody too: its reports must land here as well
	mkdir -p "$WORK/reports" && chmod 1777 "$WORK/reports"
	has_word "$1" sanitize && sanitize_env
	has_word "$1" valgrind && valgrind_wrap
	return 0
}

# flavour_reports SCENARIO: a FAIL line (and the reports) when a tool
# reported anything. memcheck writes a log for every process: only the
# ones that name an error count.
VALGRIND_ERRORS='== (Invalid (read|write|free)|Conditional jump|Use of uninitialised|Syscall param|Source and destination overlap|Mismatched free|Argument .* of function)|definitely lost in|ERROR SUMMARY: [1-9]'
flavour_reports() {
	local f bad=()
	for f in "$WORK"/reports/*; do
		[ -f "$f" ] || continue
		case $f in
		*/valgrind.*) grep -Eq -- "$VALGRIND_ERRORS" "$f" && bad+=("$f") ;;
		*) bad+=("$f") ;;
		esac
	done
	[ ${#bad[@]} = 0 ] && return 0
	echo "FAIL integration: $1: ${#bad[@]} report(s) from the $FLAVOUR build"
	for f in "${bad[@]}"; do
		echo "    --- ${f##*/}:"
		sed 's/^/    /' "$f" | head -40
	done
}

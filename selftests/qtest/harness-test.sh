#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The qtest harness cannot be fooled by a QEMU that dies: run jmgpu-qtest
# against wrappers of the real QEMU that crash, hang or exit non-zero, and
# check that the group fails with the reason, stops short of its plan when
# it stopped early (the stage's TAP counter sees it) and that the program
# exits non-zero. TAP output.
# usage: harness-test.sh <jmgpu-qtest> <qemu-system-x86_64>
set -u
prog=${1:?usage: harness-test.sh <jmgpu-qtest> <qemu>}
qemu=${2:?usage: harness-test.sh <jmgpu-qtest> <qemu>}
here=$(cd "$(dirname "$0")" && pwd)
counter=$here/../../scripts/tap-summary.awk
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
n=0
rc=0

# fake <name> <shell body>: a QEMU wrapper; "$@" are QEMU's arguments
fake() {
	printf '#!/bin/sh\n%s\n' "$2" > "$tmp/$1"
	chmod +x "$tmp/$1"
}

# run <group> <qemu> [env...]: jmgpu-qtest's TAP in $tmp/out, its exit
# status in $st, the TAP counter's verdict in $tmp/count
run() {
	local group=$1 bin=$2
	shift 2
	env "$@" "$prog" "$bin" "$group" > "$tmp/out" 2> "$tmp/err"
	st=$?
	awk -f "$counter" "$tmp/out" > "$tmp/count" 2>&1
}

# result <description> <condition...>
result() {
	local what=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $what"
	else
		echo "not ok $n - $what"
		sed 's/^/#   /' "$tmp/out" "$tmp/count" | tail -n 20
		rc=1
	fi
}

# the group's last result is the failed QEMU check naming @reason, the
# program failed and the counter counts a failure
failed_with() {
	local reason=$1
	[ "$st" -ne 0 ] &&
		grep -v '^#' "$tmp/out" | grep '^\(not \)\?ok ' | tail -n 1 |
		grep -q '^not ok [0-9]* - QEMU.* alive and exited cleanly' &&
		grep -q "^#   .*$reason" "$tmp/out" &&
		grep -q '^[0-9]* passed, [1-9][0-9]* failed' "$tmp/count"
}

stopped_early() {
	grep -q 'planned [0-9]* tests, ran' "$tmp/count"
}

# after_commands <signal>: a QEMU that gets <signal> once it has answered
# 1000 qtest commands (its qtest log, asked for "none", goes to a file)
after_commands() {
	fake "$1" "log=$tmp/$1.log
: > \"\$log\"
for a do
	shift
	if [ \"\$prev\" = -qtest-log ]; then set -- \"\$@\" \"\$log\"
	else set -- \"\$@\" \"\$a\"; fi
	prev=\$a
done
\"$qemu\" \"\$@\" & q=\$!
while kill -0 \$q 2>/dev/null &&
	[ \"\$(cat \"\$log\" 2>/dev/null | wc -l)\" -lt 2000 ]; do
	sleep 0.05
done
kill -$1 \$q
wait \$q
st=\$?
[ \$st -gt 128 ] && kill -\$((st - 128)) \$\$
exit \$st"
}

echo "1..4"

# QEMU crashes while the group runs: the group ends there
after_commands SEGV
run isolation "$tmp/SEGV"
result "QEMU crashing mid-group: the group stops, fails naming SIGSEGV, \
short of its plan" eval 'failed_with "signal 11 (Segmentation fault)" &&
stopped_early'

# QEMU stops answering: the group's time limit ends it
after_commands STOP
run isolation "$tmp/STOP" JMGPU_QTEST_TIMEOUT=1
result "QEMU hanging mid-group: the time limit ends the group, which fails \
naming the timeout, short of its plan" eval 'failed_with \
"timeout: the group was still running after 1 s" && stopped_early'

# QEMU exits non-zero when told to quit
fake exit3 "\"$qemu\" \"\$@\"; exit 3"
run vmshape "$tmp/exit3"
result "QEMU exiting with status 3 on quit: the final check fails" \
	failed_with "QEMU exited with status 3"

# QEMU crashes on its way out, after every other check passed
fake abort "\"$qemu\" \"\$@\"; kill -ABRT \$\$"
run vmshape "$tmp/abort"
result "QEMU aborting at exit: the final check fails naming SIGABRT" \
	failed_with "signal 6 (Aborted)"
exit $rc

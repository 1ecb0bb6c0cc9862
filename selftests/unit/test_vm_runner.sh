#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unit test of scripts/vm-run-tests.sh, the VM's test runner, run here with
# busybox sh as in the guest: a hung test is reported, killed with every
# process it started before the next test begins, and counted as a failure.
. "$(dirname "$0")/lib.sh"	# $top, check
tmp=$(mktemp -d)
trap 'kill -9 $(cat "$tmp"/*.pid 2>/dev/null) 2>/dev/null; rm -rf "$tmp"' EXIT
echo "1..6"

mkdir "$tmp/tests"
cat > "$tmp/tests/10-good.sh" <<'EOF'
echo 1..1
echo ok 1 - good
EOF
# a hung test with a child in the background and a grandchild: all must die
cat > "$tmp/tests/20-hang.sh" <<EOF
sleep 1000 & echo \$! > $tmp/child.pid
sh -c 'sleep 1000 & echo \$! > $tmp/grandchild.pid; wait' &
echo 1..2
echo ok 1 - before the hang
sleep 1000
EOF
# the next test sees no survivor of the hung one
cat > "$tmp/tests/30-after.sh" <<EOF
echo 1..1
# alive: the process exists and is not a zombie left for its new parent to reap
alive() { [ -r /proc/\$1/stat ] && ! grep -q ') Z ' /proc/\$1/stat; }
if alive \$(cat $tmp/child.pid) || alive \$(cat $tmp/grandchild.pid); then
	echo "not ok 1 - the hung test's processes are gone"
else
	echo "ok 1 - the hung test's processes are gone"
fi
EOF
out=$tmp/out
busybox sh -c ". '$top/scripts/vm-run-tests.sh'; run_test_scripts '$tmp/tests' '*' 2 '$out'" \
	> "$tmp/console" 2>&1
check "the hung test is reported: not ok, named, with its timeout" \
	grep -q '^not ok - 20-hang.sh hung for 2s' "$out"
check "the hung test ends with rc=124 and its output so far is kept" \
	eval 'grep -q "^### END 20-hang.sh rc=124 " "$out" && grep -q "^ok 1 - before the hang" "$out"'
check "the test after it ran, and saw none of the hung test's processes" \
	grep -q "^ok 1 - the hung test's processes are gone" "$out"
alive() { [ -r "/proc/$1/stat" ] && ! grep -q ') Z ' "/proc/$1/stat"; }
check "the hung test's background child and grandchild are dead" \
	eval '! alive "$(cat $tmp/child.pid)" && ! alive "$(cat $tmp/grandchild.pid)"'
check "a good test: BEGIN, its TAP, END rc=0" \
	eval 'grep -q "^### BEGIN 10-good.sh" "$out" && grep -q "^### END 10-good.sh rc=0 " "$out"'
printf '### ALL-DONE\n' >> "$out"
sum=$(sed '1i # jmgpu VM selftests, kernel test' "$out" | awk -f "$top/scripts/tap-summary.awk" | tail -n1)
check "the counter: 3 passed, 1 failed (the hang) — got '$sum'" \
	[ "$sum" = "3 passed, 1 failed" ]
exit $rc

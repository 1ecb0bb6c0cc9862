#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# jmgpu_pf probe against a failing firmware. Each mailbox call of probe
# (HELLO, GET_CAPS, GET_SCHED) in turn gets no reply, a corrupted reply of
# every kind, or a firmware that restarts when the call arrives (its
# FW_RESET_DONE event comes in the middle of probe); a firmware hang stops
# the first call. Every time: the bind fails, the PF stays unbound, dmesg
# names the failed call, no recovery starts (nothing may outlive the failed
# probe), the fault was spent on that very call, and a later bind works.
# The runner fails the run on any BUG/WARNING/Oops (a recovery running on
# the freed PF state after a failed probe was a host panic).
. ./lib.sh

pf_test_env || exit 1
DRV=/sys/bus/pci/drivers/jmgpu_pf

# unload, then a firmware reset clears any fault a failed row left armed
cleanup() {
	pf_cleanup
	jmgpu_fault "$pf" fw-reset
}
trap cleanup EXIT

# bind_ok: bind, firmware ok, no recovery; then unbind again
bind_ok() {
	echo "$pf" > $DRV/bind 2>/dev/null || { diag "bind failed"; return 1; }
	_r=0
	[ "$(cat $J/fw_state)" = ok ] || { diag "fw_state $(cat $J/fw_state)"; _r=1; }
	[ "$(cat $J/recoveries)" = 0 ] || { diag "recoveries $(cat $J/recoveries)"; _r=1; }
	pci_unbind "$pf"
	return $_r
}

# probe_fails <CMD> <fault...>: arm the fault on CMD, bind, expect refusal
probe_fails() {
	_cmd=$1
	shift
	dmesg_mark
	jmgpu_fault "$pf" on "$_cmd" "$@"
	_err=$(try_write $DRV/bind "$pf")
	# a recovery wrongly queued by the failed probe would run now
	sleep 0.5
	_why=
	[ -n "$_err" ] || _why="$_why bind succeeded;"
	[ -e "$P/driver" ] && { _why="$_why PF bound;"; pci_unbind "$pf"; }
	newdmesg | grep -q "probe: .*($_cmd) failed: -" ||
		_why="$_why no 'probe: ... ($_cmd) failed' line;"
	newdmesg | grep -q "probe failed (-[0-9]*), PF left unbound" ||
		_why="$_why no 'PF left unbound' line;"
	if newdmesg | grep -qE 'recover|BUG:|WARNING|Oops|Call Trace'; then
		_why="$_why recovery or splat in dmesg;"
		newdmesg | grep -E 'recover|BUG:|WARNING|Oops|Call Trace' | head -n 5 | sed 's/^/#   /'
	fi
	[ "$(jmgpu_fault "$pf" armed)" = 0x0 ] ||
		_why="$_why fault not spent by probe (armed $(jmgpu_fault "$pf" armed));"
	bind_ok || _why="$_why later bind did not work;"
	if [ -n "$_why" ]; then
		diag "$_cmd $*: bind said '${_err:-nothing}':$_why"
		return 1
	fi
	return 0
}

kinds="0:sequence 1:opcode 2:length 3:status 4:payload-field 5:reserved"
plan 29
check "insmod jmgpu_pf.ko, PF bound" sh -c "insmod $MOD && [ -e $P/driver ]"
pci_unbind "$pf"

for cmd in HELLO GET_CAPS GET_SCHED; do
	check "$cmd: reply dropped -> probe fails, unbound, logged, later bind works" \
		probe_fails $cmd drop
	for kw in $kinds; do
		check "$cmd: reply corrupted (${kw#*:}, kind ${kw%%:*}) -> probe fails, unbound, logged, later bind works" \
			probe_fails $cmd corrupt "${kw%%:*}"
	done
	check "$cmd: firmware restarts on it (FW_RESET_DONE during probe) -> probe fails, no recovery, later bind works" \
		probe_fails $cmd restart
done

# firmware hang: the first call never gets an answer; the documented remedy
# (reset of the card) makes the next bind work
dmesg_mark
jmgpu_fault "$pf" hang
err=$(try_write $DRV/bind "$pf")
sleep 0.5
check "firmware hung: bind fails ($err), PF unbound, dmesg names HELLO" \
	eval '[ -n "$err" ] && [ ! -e $P/driver ] &&
	newdmesg | grep -q "probe: .*(HELLO) failed: -110"'
echo 1 > "$P/reset"
check "firmware hung: after a reset of the card a bind works" bind_ok

check "bind once more, then rmmod" sh -c "echo $pf > $DRV/bind && rmmod jmgpu_pf"
if newdmesg | grep -E 'WARNING|BUG:|Oops|Call Trace'; then
	not_ok "nothing oopsed, no warning"
else
	ok "nothing oopsed, no warning"
fi
tap_done

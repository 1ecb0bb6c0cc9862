# SPDX-License-Identifier: GPL-2.0
# TAP helpers for the VM selftests (sourced by selftests/vm/*.sh in the guest).
# shellcheck shell=sh

_tap_n=0
_tap_fail=0

plan() { echo "1..$1"; }

ok() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $*"
}

not_ok() {
	_tap_n=$((_tap_n + 1))
	_tap_fail=$((_tap_fail + 1))
	echo "not ok $_tap_n - $*"
}

skip() {	# skip "<description>" "<reason>"
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

# check "<description>" <command...>: ok when the command succeeds.
check() {
	_d=$1
	shift
	if "$@"; then ok "$_d"; else not_ok "$_d"; fi
}

diag() { echo "# $*"; }

# PCI address of the first jmgpu PF (vendor 1ee7, device 0001).
jmgpu_pf() {
	for d in /sys/bus/pci/devices/*; do
		if [ "$(cat "$d/vendor")" = 0x1ee7 ] && [ "$(cat "$d/device")" = 0x0001 ]; then
			basename "$d"
			return 0
		fi
	done
	return 1
}

tap_done() { return $((_tap_fail > 0)); }

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

# check "<description>" <command...>: ok when the command succeeds; returns
# the command's status. The command is one simple command: in
# `check "d" [ a ] && [ b ]` the shell hands check only `[ a ]`; put compound
# conditions in eval '...' or sh -c "...".
check() {
	# a name of its own: the command may be a shell function that sets
	# the usual short ones (_d, _n ...), and sh has no locals
	_check_desc=$1
	shift
	if "$@"; then ok "$_check_desc"; else not_ok "$_check_desc"; return 1; fi
}

# require "<description>" <command...>: a set-up step the later checks
# depend on (they would pass vacuously, or fail for the wrong reason,
# without it): a check that stops the test when it fails.
require() {
	check "$@" && return 0
	diag "set-up step failed: the remaining checks of this test are not run"
	exit 1
}

# same <got> <want>: true when both are equal and not empty (two empty
# reads of a missing file are not a match); says what differs.
same() {
	[ -n "$1" ] && [ "$1" = "$2" ] && return 0
	diag "got '$1', want '$2'"
	return 1
}

# diag <text>: a TAP comment, one "# " per line of the text
diag() { printf '%s\n' "$*" | sed 's/^/# /'; }

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

# pf_test_env: the variables of the PF driver tests (MOD, pf, P, J, D);
# without a jmgpu PF, prints a failing plan and returns 1.
pf_test_env() {
	MOD=/jmgpu/modules/jmgpu_pf.ko
	pf=$(jmgpu_pf) || { plan 1; not_ok "jmgpu PF present"; return 1; }
	P=/sys/bus/pci/devices/$pf
	J=$P/jmgpu
	D=/sys/kernel/debug/jmgpu/$pf
}

# pf_cleanup: unbind the VFs, disable SR-IOV, unload jmgpu_pf
pf_cleanup() {
	for v in $(jmgpu_vfs "$pf"); do
		pci_unbind "$v"; pci_clear_override "$v"
	done
	[ -e "$J" ] && echo 0 > "$P/sriov_numvfs" 2>/dev/null
	grep -q '^jmgpu_pf ' /proc/modules && rmmod jmgpu_pf
	return 0
}

# dmesg_mark: write a unique line into the kernel log; newdmesg then prints
# the log after it (robust against a rotating ring buffer, unlike counts)
dmesg_mark() {
	_mark=jmgpu-mark-$$-$(cut -d' ' -f1 /proc/uptime)
	echo "$_mark" > /dev/kmsg
}
newdmesg() { dmesg | sed -n "/$_mark/,\$p" | tail -n +2; }

# try_write <file> <value>: write, print the error text of a failing write
try_write() { (echo "$2" > "$1") 2>&1 | sed 's/.*: //'; }

tap_done() { return $((_tap_fail > 0)); }

# ---- added for the SR-IOV / VFIO tests -------------------------------

# Print the plan after the results (TAP allows a trailing plan), for
# scripts whose test count depends on a relayed C program.
plan_end() { echo "1..$_tap_n"; }

# tap_relay <file> <prefix>: re-number the TAP of a C program (stdout+stderr
# saved in <file>) into this script's stream: its "ok"/"not ok" lines become
# ours (description prefixed), comments pass through, its plan is checked.
tap_relay() {
	_rp=
	_rs=0
	while IFS= read -r _l; do
		case $_l in
		"ok "*) _rs=$((_rs + 1)); ok "$2${_l#ok * - }" ;;
		"not ok "*) _rs=$((_rs + 1)); not_ok "$2${_l#not ok * - }" ;;
		1..*) _rp=${_l#1..} ;;
		*) echo "$_l" ;;
		esac
	done < "$1"
	if [ -z "$_rp" ]; then
		not_ok "$2program printed no TAP plan (crashed?)"
	elif [ "$_rp" != "$_rs" ]; then
		not_ok "$2program planned $_rp tests, ran $_rs"
	fi
}

# The PF driver's per-VF files (<pf>/jmgpu_vf/<N>/, one value each).
# vfattr <pf> <vf> <attr>: one of them (attr may be stats/<name>)
vfattr() { cat "/sys/bus/pci/devices/$1/jmgpu_vf/$2/$3"; }
# vf_dirs <pf>: how many VF directories there are
vf_dirs() { ls "/sys/bus/pci/devices/$1/jmgpu_vf" | wc -l; }
# vf_table <pf>: the files of every VF as one line each, for awk:
# vf<N> profile owner fb_offset fb_size(hex) weight codec heads WxH msix in_use
vf_table() {
	for _n in $(ls "/sys/bus/pci/devices/$1/jmgpu_vf" | sort -n); do
		_d=/sys/bus/pci/devices/$1/jmgpu_vf/$_n
		printf 'vf%s %s %s %s 0x%x %s %s %s %s %s %s\n' "$_n" \
			"$(cat "$_d/profile")" "$(cat "$_d/owner")" \
			"$(cat "$_d/fb_offset")" "$(cat "$_d/fb_size")" \
			"$(cat "$_d/engine_weight")" "$(cat "$_d/codec_sessions")" \
			"$(cat "$_d/display_heads")" "$(cat "$_d/max_resolution")" \
			"$(cat "$_d/msix_vectors")" "$(cat "$_d/in_use")"
	done
}
# vf_stats_table <pf>: vf<N> busy_pct busy_ns fb_in_use_mib jobs bytes
# doorbells faults resets fb_violations, from <pf>/jmgpu_vf/<N>/stats/
vf_stats_table() {
	for _n in $(ls "/sys/bus/pci/devices/$1/jmgpu_vf" | sort -n); do
		_d=/sys/bus/pci/devices/$1/jmgpu_vf/$_n/stats
		printf 'vf%s %s %s %s %s %s %s %s %s %s\n' "$_n" \
			"$(cat "$_d/engine_busy_percent")" "$(cat "$_d/engine_busy_ns")" \
			"$(( $(cat "$_d/fb_in_use") >> 20 ))" "$(cat "$_d/jobs")" \
			"$(cat "$_d/bytes")" "$(cat "$_d/doorbells")" "$(cat "$_d/faults")" \
			"$(cat "$_d/resets")" "$(cat "$_d/fb_violations")"
	done
}

# Driver bound to a PCI device ("" when none).
pci_driver() {
	if [ -e "/sys/bus/pci/devices/$1/driver" ]; then
		basename "$(readlink "/sys/bus/pci/devices/$1/driver")"
	fi
}

# pci_unbind <bdf>: unbind from its driver (no-op when unbound).
pci_unbind() {
	[ -e "/sys/bus/pci/devices/$1/driver" ] || return 0
	echo "$1" > "/sys/bus/pci/devices/$1/driver/unbind"
}

# pci_bind <bdf> <driver>: bind through driver_override + drivers_probe.
pci_bind() {
	[ "$(pci_driver "$1")" = "$2" ] && return 0
	pci_unbind "$1" || return 1
	echo "$2" > "/sys/bus/pci/devices/$1/driver_override" || return 1
	echo "$1" > /sys/bus/pci/drivers_probe 2>/dev/null
	if [ "$(pci_driver "$1")" != "$2" ]; then
		diag "$1: not bound to $2 after drivers_probe (driver: '$(pci_driver "$1")')"
		return 1
	fi
}

# pci_clear_override <bdf>: empty driver_override again.
pci_clear_override() {
	[ -e "/sys/bus/pci/devices/$1/driver_override" ] &&
		echo > "/sys/bus/pci/devices/$1/driver_override"
	return 0
}

# Load vfio-pci with SR-IOV support on PFs (enable_sriov=1). Remembers the
# previous parameter in _vfio_sriov_was for vfio_pci_restore.
vfio_pci_load() {
	_p=/sys/module/vfio_pci/parameters/enable_sriov
	# the type1 IOMMU backend is not always pulled in by vfio-pci
	modprobe vfio_iommu_type1 || diag "modprobe vfio_iommu_type1 failed"
	if [ -e $_p ]; then
		_vfio_sriov_was=$(cat $_p)
		echo 1 > $_p || return 1
	else
		_vfio_sriov_was=N
		modprobe vfio-pci enable_sriov=1 || return 1
	fi
	[ "$(cat $_p)" = Y ]
}

vfio_pci_restore() {
	_p=/sys/module/vfio_pci/parameters/enable_sriov
	[ -e $_p ] && [ -n "$_vfio_sriov_was" ] && echo "$_vfio_sriov_was" > $_p
	return 0
}

# jmgpu_vfs <pf>: BDFs of the PF's enabled VFs, in VF index order.
jmgpu_vfs() {
	_i=0
	while [ -e "/sys/bus/pci/devices/$1/virtfn$_i" ]; do
		basename "$(readlink "/sys/bus/pci/devices/$1/virtfn$_i")"
		_i=$((_i + 1))
	done
}

# iommu_group <bdf>: IOMMU group number ("" when none).
iommu_group() {
	if [ -e "/sys/bus/pci/devices/$1/iommu_group" ]; then
		basename "$(readlink "/sys/bus/pci/devices/$1/iommu_group")"
	fi
}

# scaled <n>: an iteration count for this kernel; on a slow (debug) kernel
# the guest's init sets JMGPU_SLOW and loops run n / JMGPU_SLOW times (at
# least 1), so every test still runs there within its watchdog
scaled() { _s=${JMGPU_SLOW:-1}; _r=$(( $1 / _s )); [ "$_r" -ge 1 ] || _r=1; echo "$_r"; }

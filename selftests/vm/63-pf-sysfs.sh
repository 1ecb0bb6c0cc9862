#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The PF's per-VF and per-profile sysfs (Documentation/ABI/testing/
# sysfs-driver-jmgpu-pf): every file of jmgpu_vf/<N>/, its stats/ and
# jmgpu_profiles/<name>/ holds one value; the <N> directories come and go
# with sriov_numvfs; an unprovisioned VF shows no offset ("-"); the
# firmware's busy time (stats/engine_busy_ns) grows while a VF runs copy
# jobs, stays put on an idle VF, never goes backwards (also not over a
# re-provisioning), and sriov_cfg exports it as a counter in seconds; a file held open while the VFs are disabled
# reads an error afterwards, no oops.
. ./lib.sh

pf_test_env || exit 1
PATH=$PATH:/jmgpu/bin
V=$P/jmgpu_vf
trap pf_cleanup EXIT
pci_unbind "$pf"
dmesg_mark
# vf_ids: the VF directory names, sorted, on one line
vf_ids() { ls $V | sort -n | tr '\n' ' '; }
busy() { cat $V/$1/stats/engine_busy_ns; }
# one_value <path>...: each file (directories skipped) reads one line of
# one word; names the others
one_value() {
	_bad='' _n=0
	for _f in "$@"; do
		[ -d "$_f" ] && continue
		_n=$((_n + 1))
		[ "$(wc -l < "$_f")" = 1 ] && [ "$(wc -w < "$_f")" = 1 ] || _bad="$_bad ${_f#"$P"/}"
	done
	diag "$_n files read"
	[ -z "$_bad" ] || diag "not one value:$_bad"
	[ -z "$_bad" ] && [ $_n -gt 0 ]
}

plan 19
require "insmod jmgpu_pf auto_provision=fb64m-w3" insmod $MOD auto_provision=fb64m-w3
check "jmgpu_vf/ empty with SR-IOV off; a jmgpu_profiles/<name>/ per profile" \
	eval '[ -z "$(vf_ids)" ] && [ -d $P/jmgpu_profiles/fb64m-w3 ] && [ -d $P/jmgpu_profiles/fb32m-w1-headless ]'
check "echo 4 > sriov_numvfs: jmgpu_vf/0..3, nothing else" \
	eval 'echo 4 > $P/sriov_numvfs && same "$(vf_ids)" "0 1 2 3 "'
check "jmgpu_vf/<N>/*, stats/* and jmgpu_profiles/*/*: one value per file" \
	one_value $V/*/* $V/*/stats/* $P/jmgpu_profiles/*/*
check "vf0 (auto fb64m-w3): profile, owner, fb_size, weight, offset" \
	eval 'same "$(vfattr "$pf" 0 profile)" fb64m-w3 && same "$(vfattr "$pf" 0 owner)" auto &&
	      same "$(vfattr "$pf" 0 fb_size)" 67108864 && same "$(vfattr "$pf" 0 engine_weight)" 3 &&
	      vfattr "$pf" 0 fb_offset | grep -qx "0x[0-9a-f]*"'
check "profile fb64m-w3: its numbers, state available" \
	eval 'd=$P/jmgpu_profiles/fb64m-w3; same "$(cat $d/fb_size)" 67108864 && same "$(cat $d/engine_weight)" 3 &&
	      same "$(cat $d/max_resolution)" 1920x1080 && same "$(cat $d/state)" available'
check "echo 0, echo 2: jmgpu_vf/0..1 only, the old 2 and 3 gone" \
	eval 'echo 0 > $P/sriov_numvfs && [ -z "$(vf_ids)" ] && echo 2 > $P/sriov_numvfs && same "$(vf_ids)" "0 1 "'

# an unprovisioned VF: no offset, no profile, no resources
check "vf1 unprovisioned (debugfs): profile -, owner -, fb_offset -, fb_size 0" \
	eval 'echo "1 none" > $D/provision && same "$(vfattr "$pf" 1 profile)" - && same "$(vfattr "$pf" 1 owner)" - &&
	      same "$(vfattr "$pf" 1 fb_offset)" - && same "$(vfattr "$pf" 1 fb_size)" 0'

# busy time: copy jobs on vf0 through vfio-pci, vf1 idle
modprobe vfio_iommu_type1; modprobe vfio-pci
vf0=$(jmgpu_vfs "$pf" | head -n1)
require "vf0 ($vf0) bound to vfio-pci" pci_bind "$vf0" vfio-pci
b0=$(busy 0) i0=$(busy 1)
r=0
for i in 1 2 3; do jmgpu_copy "$vf0" 4194304 > /tmp/63.copy 2>&1 || r=1; done
sleep 2		# the monitor samples every second
b1=$(busy 0)
diag "vf0 engine_busy_ns $b0 before, $b1 after 9 copy jobs of 4 MiB"
check "stats/engine_busy_ns of vf0 grew over its copy jobs" eval '[ $r = 0 ] && [ "$b1" -gt "$b0" ]'
check "stats/engine_busy_ns of idle vf1 did not move ($i0)" same "$(busy 1)" "$i0"
# sampled while copies run: never smaller than the sample before
( for i in 1 2 3 4 5 6; do jmgpu_copy "$vf0" 4194304 > /dev/null 2>&1; done ) &
cpid=$!
prev=$b1 back='' grew=0 n=0
while [ $n -lt 40 ]; do
	b=$(busy 0)
	[ "$b" -lt "$prev" ] && back="$back $prev->$b"
	[ "$b" -gt "$prev" ] && grew=$((grew + 1))
	prev=$b n=$((n + 1))
	sleep 0.25
done
wait $cpid
check "engine_busy_ns never went backwards over 40 reads while jobs ran (grew $grew times)" \
	eval '[ -z "$back" ] && [ $grew -gt 0 ]'
[ -z "$back" ] || diag "backwards:$back"
sleep 2
s0=$(busy 0)
sriov_cfg stats --prometheus > /tmp/63.prom 2>&1
s1=$(busy 0)
want=$(awk -v n="$s0" 'BEGIN { printf "%d.%09d", int(n / 1e9), n % 1e9 }')
got=$(sed -n "s/^jmgpu_vf_engine_busy_seconds_total{pf=\"$pf\",vf=\"0\"} //p" /tmp/63.prom)
check "sriov_cfg stats --prometheus: jmgpu_vf_engine_busy_seconds_total of vf0 is engine_busy_ns in seconds" \
	eval '[ "$s0" = "$s1" ] && grep -qx "# TYPE jmgpu_vf_engine_busy_seconds_total counter" /tmp/63.prom && same "$got" "$want"'
pci_unbind "$vf0"; pci_clear_override "$vf0"
j1=$(cat $V/0/stats/jobs)
check "vf0 unprovisioned and provisioned again: engine_busy_ns not below $s1 (no step back to 0)" \
	eval 'echo "0 none" > $D/provision && echo "0 fb64m-w3" > $D/provision && b=$(busy 0) && [ "$b" -ge "$s1" ]'
check "  ... and stats/jobs not below $j1 either (the firmware's totals go on)" \
	eval '[ "$j1" -gt 0 ] && [ "$(cat $V/0/stats/jobs)" -ge "$j1" ]'
[ "$(busy 0)" -ge "$s1" ] || diag "engine_busy_ns $(busy 0) after re-provisioning"
echo "0 none" > $D/provision	# debugfs-owned would keep the VFs in use

# files held open over the disable: the next read fails, no oops
exec 3< $V/0/profile 4< $V/1/stats/engine_busy_ns 5< $V/0/in_use
check "echo 0 > sriov_numvfs with jmgpu_vf files held open: disabled, jmgpu_vf/ empty" \
	eval 'echo 0 > $P/sriov_numvfs && [ -z "$(vf_ids)" ]'
r=0
for fd in 3 4 5; do
	if out=$(cat <&$fd 2>/tmp/63.err); then r=1; diag "fd $fd read '$out'"; fi
done
exec 3<&- 4<&- 5<&-
check "reads of the stale open files fail (no data from freed VFs)" [ $r = 0 ]
check "re-enable 3 after that: jmgpu_vf/0..2 readable" \
	eval 'echo 3 > $P/sriov_numvfs && same "$(vf_ids)" "0 1 2 " && same "$(vfattr "$pf" 2 profile)" fb64m-w3'
if newdmesg | grep -E 'WARNING|BUG:|Oops|Call Trace|KASAN|refcount_t'; then
	not_ok "no warning in dmesg"
else
	ok "no warning in dmesg"
fi
tap_done

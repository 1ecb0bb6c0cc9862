#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# jmgpu_pf knobs that used to be accepted and then ignored:
# - mbox_timeout_ms (module parameter, at load and at run time): values
#   below the documented minimum of 100 ms (0 made every request time out:
#   a recovery storm, then a dead firmware), above 60000 or not a number
#   are refused with EINVAL and a dmesg line; 100 works without recoveries.
# - sriov_vf_msix_count: the VF's MSI-X table has a fixed size of 2; other
#   counts are refused with EOPNOTSUPP and a dmesg line instead of being
#   stored while the VF keeps 2 vectors.
# - sriov_numvfs 0 disables VFs that a previous PF driver left enabled
#   (pci-pf-stub leaves them on unbind): it used to return success with
#   the VFs still there.
. ./lib.sh

pf_test_env || exit 1
PARAM=/sys/module/jmgpu_pf/parameters/mbox_timeout_ms
trap 'pci_clear_override "$pf"; pf_cleanup' EXIT
pci_unbind "$pf"

plan 15

# ---- mbox_timeout_ms --------------------------------------------------
dmesg_mark
err=$( (insmod $MOD mbox_timeout_ms=0) 2>&1)
check "insmod mbox_timeout_ms=0 refused ($(echo "$err" | sed 's/.*: //')), dmesg says why" \
	eval '! grep -q "^jmgpu_pf " /proc/modules &&
	newdmesg | grep -q "mbox_timeout_ms \"0\" refused: must be 100..60000 ms"'
check "insmod jmgpu_pf.ko mbox_timeout_ms=1000" insmod $MOD mbox_timeout_ms=1000
r=0
for v in 0 99 60001 abc -5; do
	dmesg_mark
	got=$(try_write $PARAM "$v")
	if [ "$got" != "Invalid argument" ] || [ "$(cat $PARAM)" != 1000 ] ||
	   ! newdmesg | grep -q "mbox_timeout_ms \"$v\" refused: must be 100..60000 ms"; then
		r=1
		diag "mbox_timeout_ms $v: write said '$got', reads $(cat $PARAM)"
	fi
done
check "mbox_timeout_ms 0, 99, 60001, abc, -5 refused at run time: EINVAL, dmesg line, 1000 kept" [ $r = 0 ]
n=$(cat $J/recoveries)
check "mbox_timeout_ms 100 (the minimum) accepted" sh -c "echo 100 > $PARAM && [ \$(cat $PARAM) = 100 ]"
i=0 r=0
while [ $i -lt 20 ]; do
	grep -qx ok $D/ping || r=1
	i=$((i + 1))
done
sleep 2
check "with 100 ms: 20 pings answered, no recovery, fw_state ok" \
	eval '[ $r = 0 ] && [ "$(cat $J/recoveries)" = "$n" ] && [ "$(cat $J/fw_state)" = ok ]'
echo 1000 > $PARAM

# ---- sriov_vf_msix_count ------------------------------------------------
check "2 VFs enabled" sh -c "echo 2 > $P/sriov_numvfs"
vf0=$(jmgpu_vfs "$pf" | head -n1)
msix=$(setpci -s "$vf0" CAP_MSIX+2.w 2>/dev/null)
check "VF0's MSI-X table has 2 vectors (MSI-X flags 0x$msix), sriov_vf_total_msix 64" \
	eval '[ $(( (0x$msix & 0x7ff) + 1 )) = 2 ] && [ "$(cat $P/sriov_vf_total_msix)" = 64 ]'
r=0
for v in 1 3 0 64; do
	dmesg_mark
	got=$(try_write /sys/bus/pci/devices/$vf0/sriov_vf_msix_count "$v")
	if [ "$got" != "Operation not supported" ] ||
	   ! newdmesg | grep -q "vf0: sriov_vf_msix_count $v refused: the VF's MSI-X table has a fixed size of 2 vectors"; then
		r=1
		diag "sriov_vf_msix_count $v: write said '$got'"
	fi
done
check "sriov_vf_msix_count 1, 3, 0, 64 refused: EOPNOTSUPP and a dmesg line" [ $r = 0 ]
check "sriov_vf_msix_count 2 (the table size) accepted" \
	sh -c "echo 2 > /sys/bus/pci/devices/$vf0/sriov_vf_msix_count"
check "jmgpu_vf/0/msix_vectors and the VF's MSI-X capability still say 2" \
	eval '[ "$(vfattr "$pf" 0 msix_vectors)" = 2 ] &&
	[ "$(setpci -s "$vf0" CAP_MSIX+2.w)" = "$msix" ]'
check "VFs disabled" sh -c "echo 0 > $P/sriov_numvfs && [ \$(cat $P/sriov_numvfs) = 0 ]"

# ---- VFs left enabled by a previous PF driver ---------------------------
rmmod jmgpu_pf
if ! modprobe pci-pf-stub 2>/dev/null; then
	why="no pci-pf-stub module in this kernel (the PF driver that leaves VFs enabled)"
	skip "jmgpu_pf binds next to VFs left by a previous driver" "$why"
	skip "sriov_numvfs 0 disables VFs left by a previous driver" "$why"
	skip "then VFs enable with firmware contexts" "$why"
	insmod $MOD
elif pci_bind "$pf" pci-pf-stub && echo 2 > "$P/sriov_numvfs" &&
     pci_unbind "$pf" && [ "$(cat $P/sriov_numvfs)" = 2 ]; then
	pci_clear_override "$pf"
	dmesg_mark
	check "jmgpu_pf binds next to 2 VFs left by pci-pf-stub, says so" \
		eval 'insmod $MOD && [ -e $J ] &&
		newdmesg | grep -q "2 VFs left enabled by a previous driver"'
	got=$(try_write "$P/sriov_numvfs" 0)
	check "sriov_numvfs 0 disables them (${got:-success}, sriov_numvfs $(cat $P/sriov_numvfs), virtfn0 $( [ -e $P/virtfn0 ] && echo present || echo gone))" \
		eval '[ -z "$got" ] && [ "$(cat $P/sriov_numvfs)" = 0 ] && [ ! -e $P/virtfn0 ]'
	got=$(try_write "$P/sriov_numvfs" 2)
	echo '1 fb64m-w3' > $D/provision
	q=$(grep -c '^vf1 ' $D/fw_query)
	echo '1 none' > $D/provision
	check "then 2 VFs enable (${got:-success}) with firmware contexts: vf1 provisioned in the firmware" \
		eval '[ -z "$got" ] && [ "$q" = 1 ]'
else
	pci_clear_override "$pf"
	not_ok "VFs left enabled by pci-pf-stub (bind or enable failed)"
	not_ok "sriov_numvfs 0 disables VFs left by a previous driver (not run)"
	not_ok "then 2 VFs enable with firmware contexts (not run)"
	grep -q '^jmgpu_pf ' /proc/modules || insmod $MOD
fi
rmmod pci_pf_stub 2>/dev/null

if newdmesg | grep -E 'WARNING:|BUG:|Oops|Call Trace'; then
	not_ok "nothing oopsed, no warning"
else
	ok "nothing oopsed, no warning"
fi
tap_done

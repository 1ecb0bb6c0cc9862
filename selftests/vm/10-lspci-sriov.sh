#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The jmgpu PF as a stock kernel and lspci see it, before any jmgpu driver:
# identity and capabilities decoded by `lspci -vvv`, then 32 VFs enabled
# through vfio-pci (enable_sriov=1) and sysfs sriov_numvfs: all present,
# each in its own IOMMU group, every VF BAR assigned; then back to 0 VFs.
. ./lib.sh

NVFS=32
tmp=/tmp/10-lspci.$$
pf=$(jmgpu_pf)
if [ -z "$pf" ]; then
	plan 1
	not_ok "jmgpu PF (1ee7:0001) present"
	diag "lspci -nn:"; lspci -nn | sed 's/^/#   /'
	exit 1
fi
diag "PF at $pf"
pf_drv_was=$(pci_driver "$pf")

cleanup() {
	[ -e /sys/bus/pci/devices/$pf/sriov_numvfs ] &&
		[ "$(cat /sys/bus/pci/devices/$pf/sriov_numvfs)" != 0 ] &&
		echo 0 > /sys/bus/pci/devices/$pf/sriov_numvfs
	if [ "$(pci_driver "$pf")" != "$pf_drv_was" ]; then
		pci_unbind "$pf"
		pci_clear_override "$pf"
		[ -n "$pf_drv_was" ] && echo "$pf" > /sys/bus/pci/drivers_probe
	fi
	pci_clear_override "$pf"
	vfio_pci_restore
	rm -f "$tmp".*
}
trap cleanup EXIT

# ---- identity and capabilities (lspci) -------------------------------
lspci -vvv -nn -s "$pf" > "$tmp.pf" 2>&1
lspci -n -s "$pf" > "$tmp.n" 2>&1
has() { grep -q -e "$1" "$tmp.pf"; }
show_on_fail() {	# show_on_fail <desc> <pattern>
	if has "$2"; then ok "$1"; else
		not_ok "$1"; diag "  no '$2' in lspci -vvv -nn -s $pf:"
		sed 's/^/#   /' "$tmp.pf"
	fi
}

if grep -q "^[0-9a-f:.]* 0302: 1ee7:0001" "$tmp.n"; then
	ok "class 0302, vendor:device 1ee7:0001 (lspci -n)"
else
	not_ok "class 0302, vendor:device 1ee7:0001 (lspci -n)"
	diag "  lspci -n: $(cat "$tmp.n")"
fi
if [ -e /usr/share/misc/pci.ids ] || [ -e /usr/share/hwdata/pci.ids ]; then
	show_on_fail "class named '3D controller'" "3D controller \[0302\]"
else
	skip "class named '3D controller'" "no pci.ids in the guest"
fi
show_on_fail "revision 01" "(rev 01)"
show_on_fail "subsystem 1ee7:0001" "Subsystem: .*\[1ee7:0001\]"
show_on_fail "SR-IOV capability decoded" "Single Root I/O Virtualization (SR-IOV)"
show_on_fail "SR-IOV Total VFs: 32" "Total VFs: 32,"
show_on_fail "SR-IOV VF offset 1, stride 1, VF device ID 0002" \
	"VF offset: 1, stride: 1, Device ID: 0002"
show_on_fail "ARI capability" "Alternative Routing-ID Interpretation (ARI)"
show_on_fail "ACS capability" "Access Control Services"
show_on_fail "MSI-X capability, 2 vectors" "MSI-X: Enable[+-] Count=2 "
show_on_fail "FLR advertised in DevCap (FLReset+)" "FLReset+"
show_on_fail "PCI Express endpoint" "Express (v2) Endpoint"
show_on_fail "BAR2 64-bit prefetchable" "Region 2: Memory at .* (64-bit, prefetchable)"

# ---- 32 VFs through the stock vfio-pci -------------------------------
if ! vfio_pci_load; then
	not_ok "vfio-pci loaded with enable_sriov=1"
	plan_end; exit 1
fi
ok "vfio-pci loaded with enable_sriov=1"
if ! pci_bind "$pf" vfio-pci; then
	not_ok "PF bound to vfio-pci (driver_override)"
	plan_end; exit 1
fi
ok "PF bound to vfio-pci (driver_override)"
check "sriov_totalvfs is $NVFS" \
	test "$(cat /sys/bus/pci/devices/$pf/sriov_totalvfs)" = $NVFS
dmesg > "$tmp.dmesg0"
t0=$(cut -d. -f1 /proc/uptime)
if echo $NVFS > /sys/bus/pci/devices/$pf/sriov_numvfs; then
	ok "echo $NVFS > sriov_numvfs"
else
	not_ok "echo $NVFS > sriov_numvfs"
	dmesg | tail -20 | sed 's/^/#   /'
fi
diag "enabling $NVFS VFs took ~$(( $(cut -d. -f1 /proc/uptime) - t0 )) s"
check "sriov_numvfs reads $NVFS" \
	test "$(cat /sys/bus/pci/devices/$pf/sriov_numvfs)" = $NVFS

n=$(lspci -d 1ee7:0002 | wc -l)
check "lspci -d 1ee7:0002 lists $NVFS VFs (got $n)" test "$n" -eq $NVFS
jmgpu_vfs "$pf" > "$tmp.vfs"
check "$NVFS virtfn links under the PF" test "$(wc -l < "$tmp.vfs")" -eq $NVFS

pfg=$(iommu_group "$pf")
# count the VFs that pass (not the ones that fail: no VF is not a pass)
good_id=0; good_group=0; good_bar=0; : > "$tmp.groups"
while read -r vf; do
	d=/sys/bus/pci/devices/$vf
	if [ "$(cat $d/vendor):$(cat $d/device)" = 0x1ee7:0x0002 ]; then
		good_id=$((good_id + 1))
	else
		diag "  $vf: id $(cat $d/vendor):$(cat $d/device)"
	fi
	g=$(iommu_group "$vf")
	if [ -n "$g" ] && [ "$g" != "$pfg" ]; then
		good_group=$((good_group + 1))
	else
		diag "  $vf: IOMMU group '$g' (PF: $pfg)"
	fi
	echo "$g" >> "$tmp.groups"
	nbar=0
	for bar in 0 2 4; do
		start=$(sed -n "$((bar + 1))p" $d/resource | cut -d' ' -f1)
		if [ -n "$start" ] && [ $((start)) -ne 0 ]; then
			nbar=$((nbar + 1))
		else
			diag "  $vf: BAR$bar not assigned: '$(sed -n "$((bar + 1))p" $d/resource)'"
		fi
	done
	[ $nbar = 3 ] && good_bar=$((good_bar + 1))
done < "$tmp.vfs"
check "every VF is 1ee7:0002 in sysfs ($good_id of $NVFS)" test $good_id -eq $NVFS
check "PF has an IOMMU group ($pfg)" test -n "$pfg"
check "no VF shares the PF's IOMMU group ($good_group of $NVFS in a group of their own)" \
	test $good_group -eq $NVFS
ng=$(sort -u "$tmp.groups" | grep -c .)
check "$NVFS distinct IOMMU groups for $NVFS VFs (got $ng)" test "$ng" -eq $NVFS
check "every VF has BAR0, BAR2 and BAR4 assigned ($good_bar of $NVFS)" test $good_bar -eq $NVFS
vf0=$(head -n1 "$tmp.vfs")
if [ -n "$vf0" ]; then
	lspci -vvv -s "$vf0" > "$tmp.vf0" 2>&1
	check "VF $vf0: MSI-X with 2 vectors" grep -q "MSI-X: Enable[+-] Count=2 " "$tmp.vf0"
	check "VF $vf0: FLR advertised (FLReset+)" grep -q "FLReset+" "$tmp.vf0"
else
	not_ok "VF 0 present for lspci -vvv"
fi
dmesg > "$tmp.dmesg1"
if grep -iE "can't assign|failed to assign|no space for" "$tmp.dmesg1" > "$tmp.bad"; then
	not_ok "dmesg has no BAR assignment failures"
	sed 's/^/#   /' "$tmp.bad"
else
	ok "dmesg has no BAR assignment failures"
fi

# ---- and back ---------------------------------------------------------
check "echo 0 > sriov_numvfs" sh -c "echo 0 > /sys/bus/pci/devices/$pf/sriov_numvfs"
n=$(lspci -d 1ee7:0002 | wc -l)
check "no VF left in lspci (got $n)" test "$n" -eq 0
check "no virtfn link left" test ! -e /sys/bus/pci/devices/$pf/virtfn0

plan_end
tap_done

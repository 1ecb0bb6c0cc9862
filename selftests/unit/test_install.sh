#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The host install path is not the test platform's: in a copy of the tree
# whose scripts/install-deps.sh and scripts/fetch-kernel.sh only leave a
# mark, `make install` (and DKMS=1) runs neither; it builds for the running
# kernel unless KDIR is given, refuses kernels older than 6.12 with a clear
# message, says how to run depmod when DESTDIR is set; dkms.conf's
# BUILD_EXCLUSIVE_KERNEL/CONFIG keep DKMS from building for a kernel that
# is too old or lacks SR-IOV/VFIO/mdev; the systemd unit starts before
# libvirt and has a start timeout. TAP.
. "$(dirname "$0")/lib.sh"
host_make_env jmgpu-install

# kernel versions: refused by make install and DKMS, or accepted
old_kernels="6.1.0-28-amd64 6.11.10 5.15.0-91-generic 6.2.0"
new_kernels="6.12.0 6.13.2-1-amd64 7.0.0 10.1.3"
echo "1..$((11 + $(wc -w <<< "$old_kernels $new_kernels")))"

# the copy: sources only, the two test-platform scripts replaced by marks
src=$tmp/src
mkdir -p "$src/scripts"
tar -C "$top" --exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='.*.cmd' --exclude=Module.symvers --exclude=modules.order \
	--exclude=sriov_cfg/sriov_cfg -c Makefile dkms.conf firmware-iface pf_driver \
	vf_mdev sriov_cfg | tar -x -C "$src"
for s in install-deps.sh fetch-kernel.sh; do
	printf '#!/bin/sh\necho ran >> "%s/ran.%s"\nexit 1\n' "$tmp" "$s" > "$src/scripts/$s"
	chmod +x "$src/scripts/$s"
done
marks() { ls "$tmp"/ran.* 2>/dev/null | sed 's|.*/ran\.||' | tr '\n' ' '; }

A=$tmp/destdir
if make -s -C "$src" install DESTDIR="$A" KDIR="$KSRC" > "$tmp/install.log" 2>&1 &&
	[ -z "$(marks)" ]; then
	ok "make install DESTDIR= KDIR=<guest headers>: runs neither install-deps.sh nor fetch-kernel.sh"
else
	not_ok "make install DESTDIR= KDIR=<guest headers> (test-platform scripts run: $(marks))"
	show_log "$tmp/install.log"
fi
if ls "$A/lib/modules/$KVER/updates/"jmgpu_pf.ko* "$A/lib/modules/$KVER/updates/"jmgpu_vfio_pci.ko* > /dev/null 2>&1 &&
	grep -q "DESTDIR is set, depmod not run: on the host that gets these files, run: depmod -a $KVER" "$tmp/install.log"; then
	ok "modules in DESTDIR/lib/modules/$KVER/updates; says to run depmod -a $KVER (DESTDIR set)"
else
	not_ok "modules in DESTDIR/lib/modules/$KVER/updates and the depmod note"
	show_log "$tmp/install.log"
fi

rm -f "$tmp"/ran.*
if make -s -C "$src" install DKMS=1 DESTDIR="$tmp/dkms-destdir" > "$tmp/dkms.log" 2>&1 &&
	[ -z "$(marks)" ] && grep -q "then: dkms add jmgpu/$VER && dkms install jmgpu/$VER" "$tmp/dkms.log"; then
	ok "make install DKMS=1: runs neither script, says the dkms commands that follow"
else
	not_ok "make install DKMS=1 (test-platform scripts run: $(marks))"; show_log "$tmp/dkms.log"
fi

# no KDIR: the running kernel's build tree, whether or not it is there
rm -f "$tmp"/ran.*
run=$(uname -r)
make -s -C "$src" install DESTDIR="$tmp/running" > "$tmp/running.log" 2>&1
st=$?
if [ -d "/lib/modules/$run/build" ]; then
	check=$(ls "$tmp/running/lib/modules/$run/updates/"jmgpu_pf.ko* 2>/dev/null)
	what="modules for the running kernel $run"
else
	check=$( [ $st != 0 ] && grep -F "no kernel build tree at /lib/modules/$run/build" "$tmp/running.log")
	what="refused: no build tree at /lib/modules/$run/build (the running kernel's)"
fi
if [ -n "$check" ] && [ -z "$(marks)" ]; then
	ok "make install without KDIR builds for the running kernel: $what"
else
	not_ok "make install without KDIR: $what (scripts run: $(marks))"; show_log "$tmp/running.log"
fi

# a build tree of each kernel version: only its kernel.release
for v in $old_kernels $new_kernels; do
	k=$tmp/k-$v
	mkdir -p "$k/include/config"
	echo "$v" > "$k/include/config/kernel.release"
	make -s -C "$src" install DESTDIR="$tmp/d-$v" KDIR="$k" > "$tmp/k-$v.log" 2>&1
	st=$?
	case " $old_kernels " in
	*" $v "*)
		if [ $st != 0 ] && grep -qF "jmgpu needs Linux 6.12 or later; $k is for $v." "$tmp/k-$v.log" &&
			grep -q "bookworm-backports linux-image-amd64 linux-headers-amd64" "$tmp/k-$v.log" &&
			[ ! -d "$tmp/d-$v/lib/modules" ]; then
			ok "make install refuses kernel $v, names it and where Debian 12 gets 6.12, installs nothing"
		else
			not_ok "make install refuses kernel $v (exit $st)"; show_log "$tmp/k-$v.log"
		fi ;;
	*)
		# past the check, the build itself fails on this empty tree
		if grep -qF "make install: modules for $v ($k)" "$tmp/k-$v.log" &&
			! grep -q "needs Linux 6.12" "$tmp/k-$v.log"; then
			ok "make install accepts kernel $v (goes on to build)"
		else
			not_ok "make install accepts kernel $v"; show_log "$tmp/k-$v.log"
		fi ;;
	esac
done

if PKG_CONFIG_LIBDIR=$tmp/none make -s -C "$src/sriov_cfg" > "$tmp/pc.log" 2>&1; then
	not_ok "sriov_cfg without its libraries' development files: refused"
elif grep -q "needs pkg-config and the development files of libpci json-c uuid smartcols (Debian: pkg-config libpci-dev libjson-c-dev uuid-dev libsmartcols-dev)" "$tmp/pc.log"; then
	ok "sriov_cfg without its libraries' development files: says which Debian packages to install"
else
	not_ok "sriov_cfg without its libraries: no clear message"; show_log "$tmp/pc.log"
fi

# dkms.conf as dkms reads it (bash, =~ against the kernel version)
bad=$(bash -c '. "$1"; shift
	for v in $1; do [[ $v =~ $BUILD_EXCLUSIVE_KERNEL ]] && echo "$v(old)"; done
	for v in $2 '"$KVER"' 6.20.1 6.100.0; do [[ $v =~ $BUILD_EXCLUSIVE_KERNEL ]] || echo "$v(new)"; done
	[ -n "$BUILD_EXCLUSIVE_KERNEL" ] || echo unset' _ "$top/dkms.conf" "$old_kernels" "$new_kernels")
if [ -z "$bad" ]; then
	ok "dkms.conf BUILD_EXCLUSIVE_KERNEL: matches the kernels >= 6.12 only"
else
	not_ok "dkms.conf BUILD_EXCLUSIVE_KERNEL wrong for: $bad"
fi
conf=$(bash -c '. "$1"; echo "$BUILD_EXCLUSIVE_CONFIG"' _ "$top/dkms.conf")
missing=
for c in CONFIG_PCI_IOV CONFIG_VFIO_PCI_CORE CONFIG_VFIO_MDEV; do
	case " $conf " in *" $c "*) ;; *) missing="$missing $c(not listed)" ;; esac
	grep -qE "^$c=[ym]" "$KSRC/.config" 2>/dev/null || missing="$missing $c(not in $KVER)"
done
if [ -z "$missing" ]; then
	ok "dkms.conf BUILD_EXCLUSIVE_CONFIG: PCI_IOV, VFIO_PCI_CORE, VFIO_MDEV (all set in $KVER)"
else
	not_ok "dkms.conf BUILD_EXCLUSIVE_CONFIG:$missing"
fi

# dkms itself, private trees: skips (77) a 6.1 kernel and a kernel without mdev
if ! command -v dkms > /dev/null; then
	skip "dkms build for 6.1: skipped (77)" "dkms not installed"
	skip "dkms build for a kernel without CONFIG_VFIO_MDEV: skipped (77)" "dkms not installed"
else
	d=(--dkmstree "$tmp/dkms" --sourcetree "$tmp/dkms-destdir/usr/src" --installtree "$tmp/kmod")
	mkdir -p "$tmp/dkms" "$tmp/kmod" "$tmp/k61" "$tmp/knomdev"
	grep -vE '^CONFIG_VFIO_MDEV=' "$KSRC/.config" > "$tmp/knomdev/.config" 2>/dev/null
	cp "$tmp/knomdev/.config" "$tmp/k61/.config"
	echo CONFIG_VFIO_MDEV=m >> "$tmp/k61/.config"
	dkms add -m jmgpu -v "$VER" "${d[@]}" > "$tmp/dkms-add.log" 2>&1
	for c in "6.1.0-28-amd64 k61" "6.12.99-nomdev knomdev"; do
		set -- $c
		dkms build -m jmgpu -v "$VER" "${d[@]}" -k "$1" --kernelsourcedir "$tmp/$2" \
			> "$tmp/dkms-$2.log" 2>&1
		st=$?
		if [ $st = 77 ] && grep -q "BUILD_EXCLUSIVE directive which does not match" "$tmp/dkms-$2.log"; then
			ok "dkms build for $1: skipped (77, BUILD_EXCLUSIVE), not a build failure"
		else
			not_ok "dkms build for $1: exit $st, want 77"; show_log "$tmp/dkms-$2.log"
		fi
	done
fi

# the boot-time unit: before the hypervisor's and orchestrators' services
unit=$top/sriov_cfg/jmgpu-sriov.service
before=" $(sed -n 's/^Before=//p' "$unit" | tr '\n' ' ') "
missing=
for u in virtqemud.service libvirtd.service libvirt-guests.service nova-compute.service kubelet.service; do
	case $before in *" $u "*) ;; *) missing="$missing $u" ;; esac
done
if [ -z "$missing" ]; then
	ok "jmgpu-sriov.service: Before= virtqemud, libvirtd, libvirt-guests, nova-compute, kubelet"
else
	not_ok "jmgpu-sriov.service: not Before=$missing"
fi
t=$(sed -n 's/^TimeoutStartSec=//p' "$unit")
if [ -n "$t" ] && [ "$t" != infinity ] && [ "${t%%[!0-9]*}" -gt 0 ] 2>/dev/null; then
	ok "jmgpu-sriov.service: TimeoutStartSec=$t"
else
	not_ok "jmgpu-sriov.service: no finite TimeoutStartSec ($t)"
fi
exit $rc

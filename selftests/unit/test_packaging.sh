#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Packaging on the host: `make install DESTDIR=` and `make install DKMS=1
# DESTDIR=` lay out the tool, man pages, systemd unit, udev rule, modules or
# the DKMS source tree; the installed unit passes `systemd-analyze verify`
# with its ExecStart pointing at the sriov_cfg installed into DESTDIR; and
# `dkms add` + `dkms build` build the installed DKMS tree against the
# guest kernel's headers (private dkms/install trees: nothing on the host
# changes). The last two are skipped, saying why, without systemd-analyze
# or dkms. TAP.
. "$(dirname "$0")/lib.sh"
# the guest kernel's make set-up, $tmp; TAP helpers ok, not_ok, skip, check
host_make_env jmgpu-pkg
# files <root> <path...>: every path is a regular non-empty file (a
# module also as .ko.xz: modules_install compresses as the kernel's config says)
files() { local r=$1 f m=; shift
	for f; do [ -s "$r$f" ] || [ -s "$r$f.xz" ] || m="$m $f"; done
	[ -z "$m" ] || echo "# missing:$m"; [ -z "$m" ]; }

echo "1..9"
A=$tmp/destdir K=$tmp/destdir-dkms
common=(/usr/sbin/sriov_cfg /usr/share/man/man8/sriov_cfg.8
	/usr/share/man/man5/sriov.conf.5 /lib/systemd/system/jmgpu-sriov.service
	/usr/share/doc/jmgpu/sriov.conf.example /lib/udev/rules.d/99-jmgpu-vfio.rules)

if make -s -C "$top" install DESTDIR="$A" KDIR="$KSRC" > "$tmp/install.log" 2>&1; then
	ok "make install DESTDIR=<tmp>"
else
	not_ok "make install DESTDIR=<tmp>"; show_log "$tmp/install.log"
fi
check "installed: sriov_cfg, man pages, unit, example, udev rule, modules in updates/" \
	files "$A" "${common[@]}" /lib/modules/$KVER/updates/jmgpu_pf.ko \
	/lib/modules/$KVER/updates/jmgpu_vfio_pci.ko
check "installed sriov_cfg runs (--help)" eval '"$A/usr/sbin/sriov_cfg" --help > /dev/null 2>&1'

if make -s -C "$top" install DKMS=1 DESTDIR="$K" > "$tmp/install-dkms.log" 2>&1; then
	ok "make install DKMS=1 DESTDIR=<tmp>"
else
	not_ok "make install DKMS=1 DESTDIR=<tmp>"; show_log "$tmp/install-dkms.log"
fi
S=/usr/src/jmgpu-$VER
check "DKMS tree $S: dkms.conf, Kbuild/Makefile/sources of both modules, the firmware header; no modules" \
	eval 'files "$K" "${common[@]}" $S/dkms.conf $S/pf_driver/Kbuild $S/pf_driver/Makefile \
		$S/vf_mdev/Kbuild $S/vf_mdev/Makefile &&
	ls "$K$S"/pf_driver/*.c "$K$S"/vf_mdev/*.c "$K$S"/firmware-iface/*.h > /dev/null &&
	[ -z "$(find "$K$S" -name "*.ko" -o -name "*.o" -o -name "*.mod.c")" ] &&
	[ ! -d "$K/lib/modules" ]'

unit=$A/lib/systemd/system/jmgpu-sriov.service
check "unit's ExecStart is the installed tool: /usr/sbin/sriov_cfg apply /etc/jmgpu/sriov.conf" \
	grep -qx 'ExecStart=/usr/sbin/sriov_cfg apply /etc/jmgpu/sriov.conf' "$unit"
if command -v systemd-analyze > /dev/null; then
	# the same unit, its ExecStart pointing at the sriov_cfg installed into
	# DESTDIR (systemd-analyze checks that every Exec binary exists)
	mkdir -p "$tmp/units"
	sed "s|^ExecStart=/usr/sbin/sriov_cfg |ExecStart=$A/usr/sbin/sriov_cfg |" "$unit" \
		> "$tmp/units/jmgpu-sriov.service"
	# and its Documentation= man pages: those installed into DESTDIR
	if MANPATH=$A/usr/share/man SYSTEMD_LOG_COLOR=0 systemd-analyze verify --man=yes \
		"$tmp/units/jmgpu-sriov.service" > "$tmp/verify.log" 2>&1 &&
		! grep -q . "$tmp/verify.log"; then
		ok "systemd-analyze verify jmgpu-sriov.service: no complaint"
	else
		not_ok "systemd-analyze verify jmgpu-sriov.service"; show_log "$tmp/verify.log"
	fi
else
	skip "systemd-analyze verify jmgpu-sriov.service" "systemd-analyze not installed"
fi

if ! command -v dkms > /dev/null; then
	skip "dkms add" "dkms not installed (scripts/install-deps.sh installs it)"
	skip "dkms build" "dkms not installed"
elif [ ! -d "$KSRC" ]; then
	not_ok "dkms add: no kernel headers in $KSRC (scripts/fetch-kernel.sh installs them)"
	not_ok "dkms build: no kernel headers in $KSRC"
else
	d=(--dkmstree "$tmp/dkms" --sourcetree "$K/usr/src" --installtree "$tmp/kmod")
	mkdir -p "$tmp/dkms" "$tmp/kmod"
	if dkms add -m jmgpu -v "$VER" "${d[@]}" > "$tmp/dkms-add.log" 2>&1; then
		ok "dkms add jmgpu/$VER (installed tree)"
	else
		not_ok "dkms add jmgpu/$VER"; show_log "$tmp/dkms-add.log"
	fi
	b=$tmp/dkms/jmgpu/$VER/$KVER/$(uname -m)/module
	# dkms signs the modules; its key goes to the private tree, not /var/lib/dkms
	if mok_signing_key=$tmp/mok.key mok_certificate=$tmp/mok.pub dkms build -m jmgpu -v "$VER" "${d[@]}" -k "$KVER" --kernelsourcedir "$KSRC" \
		> "$tmp/dkms-build.log" 2>&1 && files "$b" /jmgpu_pf.ko /jmgpu_vfio_pci.ko; then
		ok "dkms build jmgpu/$VER -k $KVER: jmgpu_pf.ko, jmgpu_vfio_pci.ko"
	else
		not_ok "dkms build jmgpu/$VER -k $KVER"; show_log "$tmp/dkms-build.log"
		ls -R "$tmp/dkms" 2>/dev/null | head -n 20 | sed 's/^/#   /'
		cat "$tmp"/dkms/jmgpu/"$VER"/build/make.log 2>/dev/null | tail -n 20 | sed 's/^/#   /'
	fi
fi
exit $rc

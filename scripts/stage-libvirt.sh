#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copy Debian's libvirt (the monolithic libvirtd with its QEMU driver
# only, and virsh), the shared libraries they need and a configuration
# for the test VM's initramfs into a root directory:
#   stage-libvirt.sh <root>
# Debian 12's libvirt 9.0 ships no modular virtqemud, so the daemon is
# libvirtd. The initramfs has no systemd, dbus, polkit, cgroup
# hierarchy or security module: libvirtd runs as root with all of them
# turned off, QEMU's output and the domains' logs go to plain files (no
# virtlogd), and only the QEMU connection driver is staged (no network,
# storage, nodedev or secret driver: a domain with a hostdev, a -kernel
# payload and a serial log file needs none).
set -euo pipefail
root=$1
multi=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
drv=/usr/lib/$multi/libvirt/connection-driver/libvirt_driver_qemu.so
for f in /usr/sbin/libvirtd /usr/bin/virsh "$drv"; do
	[ -e "$f" ] || { echo "stage-libvirt: $f missing (scripts/install-deps.sh)" >&2; exit 1; }
	install -D -m 0755 "$f" "$root$f"
	ldd "$f" | awk '/=>/ {print $3} /^\t\/lib/ {print $1}' | while read -r lib; do
		if [ -n "$lib" ] && [ ! -e "$root$lib" ]; then
			install -D -m 0755 "$lib" "$root$lib"
		fi
	done
done
# the CPU model map the QEMU driver reads for the host and guest CPU
mkdir -p "$root/usr/share/libvirt"
cp -r /usr/share/libvirt/cpu_map "$root/usr/share/libvirt/"
mkdir -p "$root/etc/libvirt/qemu" "$root/var/lib/libvirt/qemu" \
	"$root/var/log/libvirt/qemu" "$root/var/cache/libvirt/qemu" \
	"$root/var/lib/libvirt/images"
cat > "$root/etc/libvirt/libvirtd.conf" <<'CONF'
# jmgpu test VM: root only, over the UNIX socket, no polkit
listen_tls = 0
listen_tcp = 0
auth_unix_ro = "none"
auth_unix_rw = "none"
unix_sock_group = "root"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
CONF
cat > "$root/etc/libvirt/qemu.conf" <<'CONF'
# jmgpu test VM: an initramfs with no cgroup hierarchy, no security
# module, no virtlogd; QEMU runs as root
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
cgroup_controllers = [ ]
namespaces = [ ]
security_driver = "none"
stdio_handler = "file"
seccomp_sandbox = 0
CONF
[ -e "$root/var/run" ] || ln -s /run "$root/var/run"
echo 'uri_default = "qemu:///system"' > "$root/etc/libvirt/libvirt.conf"
exit 0

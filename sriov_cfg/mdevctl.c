// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_cfg: the vGPUs that mdevctl owns. mdevctl keeps one definition per
 * vGPU in /etc/mdevctl.d/<parent>/<uuid> (under --sysfs-root for tests);
 * the parent of a jmgpu vGPU is a VF. apply leaves a defined vGPU and its
 * VF to mdevctl: one owner per vGPU, and per VF.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sriov_cfg.h"

#define MDEVCTL_DIR	"/etc/mdevctl.d"

/*
 * The first definition under <parent>: its UUID in uuid (may be NULL).
 * Files that are not UUIDs (editor backups, say) are not definitions.
 */
bool mdevctl_parent_def(const char *parent, char *uuid, size_t len)
{
	DIR *d = opendir(sp(MDEVCTL_DIR "/%s", parent));
	struct dirent *e;
	bool found = false;

	if (!d)
		return false;
	while (!found && (e = readdir(d))) {
		if (!uuid_valid(e->d_name))
			continue;
		found = true;
		if (uuid)
			snprintf(uuid, len, "%s", e->d_name);
	}
	closedir(d);
	return found;
}

/* Whether a definition of uuid exists, on any parent; its parent in parent. */
bool mdevctl_uuid_def(const char *uuid, char *parent, size_t len)
{
	DIR *d = opendir(sp(MDEVCTL_DIR));
	struct dirent *e;
	bool found = false;

	if (!d)
		return false;
	while (!found && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (!sysfs_exists(sp(MDEVCTL_DIR "/%s/%s", e->d_name, uuid)))
			continue;
		found = true;
		if (parent)
			snprintf(parent, len, "%s", e->d_name);
	}
	closedir(d);
	return found;
}

/*
 * The address VF index of PF pf has, enabled or not: the PF's routing ID
 * plus sriov_offset plus index times sriov_stride (PCIe SR-IOV 9.3.3.10).
 */
int vf_bdf_at(const char *pf, int index, char *out, size_t len)
{
	unsigned int dom, bus, dev, fn, rid;
	uint64_t off, stride;

	if (sscanf(pf, "%x:%x:%x.%x", &dom, &bus, &dev, &fn) != 4)
		return -EINVAL;
	if (sysfs_read_u64(sp("/sys/bus/pci/devices/%s/sriov_offset", pf), &off) ||
	    sysfs_read_u64(sp("/sys/bus/pci/devices/%s/sriov_stride", pf), &stride))
		return -ENOENT;
	rid = (bus << 8 | dev << 3 | fn) + (unsigned int)(off + stride * (uint64_t)index);
	if (rid > 0xffff)
		return -ERANGE;
	snprintf(out, len, "%04x:%02x:%02x.%x", dom, rid >> 8, (rid >> 3) & 0x1f, rid & 7);
	return 0;
}

/*
 * Whether VF index of PF pf (enabled or not) is reserved by an mdevctl
 * definition; that definition's UUID in uuid (may be NULL).
 */
bool mdevctl_vf_reserved(const char *pf, int index, char *uuid, size_t len)
{
	char vf[32];

	return !vf_bdf_at(pf, index, vf, sizeof(vf)) &&
	       mdevctl_parent_def(vf, uuid, len);
}

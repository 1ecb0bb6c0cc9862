// SPDX-License-Identifier: GPL-2.0
/*
 * The changes sriov_cfg makes, each one sysfs write of the standard PCI,
 * driver-core and mdev interfaces (what mdevctl and a shell admin use).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sriov_cfg.h"

static int card_first_vgpu(const struct card *c)
{
	int i;

	for (i = 0; i < c->nvfs; i++)
		if (c->vfs[i].uuid[0])
			return i;
	return -1;
}

int op_enable(struct card *c, unsigned int n)
{
	char val[16];
	int i, ret;

	if (n > c->totalvfs)
		return fail(EINVAL, c->bdf, "%u VFs requested, the card has sriov_totalvfs %u",
			    n, c->totalvfs);
	if (c->numvfs == n) {
		note("%s: %u VFs already enabled", c->bdf, n);
		return 0;
	}
	i = card_first_vgpu(c);
	if (c->numvfs && i >= 0)
		return fail(EBUSY, c->bdf,
			    "cannot change the VF count from %u: vGPU %s lives on VF %s (destroy the vGPUs first)",
			    c->numvfs, c->vfs[i].uuid, c->vfs[i].bdf);
	if (c->numvfs) {
		ret = sysfs_write(sp("/sys/bus/pci/devices/%s/sriov_numvfs", c->bdf), "0");
		if (ret)
			return fail(-ret, c->bdf, "writing 0 to sriov_numvfs failed: %s",
				    strerror(-ret));
	}
	snprintf(val, sizeof(val), "%u", n);
	ret = sysfs_write(sp("/sys/bus/pci/devices/%s/sriov_numvfs", c->bdf), val);
	if (ret)
		return fail(-ret, c->bdf, "writing %u to sriov_numvfs failed: %s%s",
			    n, strerror(-ret),
			    ret == -EBUSY ? " (a VF is in use)" : "");
	c->numvfs = n;
	note("%s: %u VFs enabled", c->bdf, n);
	if (strcmp(c->auto_provision, "none"))
		note("%s: note: auto_provision is %s: the VFs are provisioned without vGPUs",
		     c->bdf, c->auto_provision);
	return 0;
}

int op_disable(struct card *c)
{
	int i = card_first_vgpu(c), ret;

	if (i >= 0)
		return fail(EBUSY, c->bdf,
			    "cannot disable SR-IOV: vGPU %s lives on VF %s (destroy the vGPUs first)",
			    c->vfs[i].uuid, c->vfs[i].bdf);
	if (!c->numvfs) {
		note("%s: SR-IOV already disabled", c->bdf);
		return 0;
	}
	ret = sysfs_write(sp("/sys/bus/pci/devices/%s/sriov_numvfs", c->bdf), "0");
	if (ret)
		return fail(-ret, c->bdf, "writing 0 to sriov_numvfs failed: %s%s",
			    strerror(-ret),
			    ret == -EBUSY ? " (a VF is in use)" : "");
	c->numvfs = 0;
	note("%s: SR-IOV disabled", c->bdf);
	return 0;
}

int op_bind_vf(const char *vf)
{
	char drv[NAME_LEN] = "";
	int ret;

	sysfs_link_name(sp("/sys/bus/pci/devices/%s/driver", vf), drv, sizeof(drv));
	if (!strcmp(drv, VF_DRIVER))
		return 0;
	if (drv[0])
		return fail(EBUSY, vf, "VF is bound to %s, not %s (unbind it first)",
			    drv, VF_DRIVER);
	if (!sysfs_exists(sp("/sys/bus/pci/drivers/%s", VF_DRIVER)))
		return fail(ENODEV, vf, "driver %s is not loaded (modprobe %s)",
			    VF_DRIVER, VF_DRIVER);
	ret = sysfs_write(sp("/sys/bus/pci/devices/%s/driver_override", vf), VF_DRIVER);
	if (ret)
		return fail(-ret, vf, "writing driver_override failed: %s", strerror(-ret));
	ret = sysfs_write(sp("/sys/bus/pci/drivers_probe"), vf);
	drv[0] = 0;
	sysfs_link_name(sp("/sys/bus/pci/devices/%s/driver", vf), drv, sizeof(drv));
	if (strcmp(drv, VF_DRIVER))
		return fail(ret ? -ret : EIO, vf, "%s did not bind (%s); see dmesg",
			    VF_DRIVER, ret ? strerror(-ret) : "no driver after drivers_probe");
	return 0;
}

/* mdev type directory (root-relative) of profile on vf */
static int find_type(const char *vf, const char *profile, char *out, size_t len)
{
	const char *types = sp("/sys/bus/pci/devices/%s/mdev_supported_types", vf);
	char rel[4200];
	struct dirent *t;
	int found = -ENOENT;
	DIR *d = opendir(types);

	if (!d)
		return -ENODEV;
	while ((t = readdir(d))) {
		char name[NAME_LEN];
		const char *dash;

		if (t->d_name[0] == '.')
			continue;
		snprintf(rel, sizeof(rel), "/sys/bus/pci/devices/%s/mdev_supported_types/%s",
			 vf, t->d_name);
		if (sysfs_read(sp("%s/name", rel), name, sizeof(name))) {
			dash = strchr(t->d_name, '-');
			snprintf(name, sizeof(name), "%.63s", dash ? dash + 1 : t->d_name);
		}
		if (!strcmp(name, profile)) {
			snprintf(out, len, "%s", rel);
			found = 0;
			break;
		}
	}
	closedir(d);
	return found;
}

int op_create(const char *vf, const char *profile, const char *uuid)
{
	char type[4200], obj[128];
	int ret;

	snprintf(obj, sizeof(obj), "vGPU %s", uuid);
	if (!uuid_valid(uuid))
		return fail(EINVAL, uuid, "not a UUID (want xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
	if (sysfs_exists(sp("/sys/bus/mdev/devices/%s", uuid)))
		return fail(EEXIST, obj, "this UUID is already in use by an mdev");
	ret = find_type(vf, profile, type, sizeof(type));
	if (ret == -ENODEV)
		return fail(ENODEV, vf, "VF is not an mdev parent (not bound to %s?)", VF_DRIVER);
	if (ret)
		return fail(EINVAL, vf, "profile '%s' is not an mdev type of this VF", profile);
	ret = sysfs_write(sp("%s/create", type), uuid);
	if (ret) {
		const char *why = strerror(-ret);

		if (ret == -EBUSY)
			why = "the VF already has a vGPU or is still open";
		else if (ret == -ENOSPC)
			why = "the profile does not fit the card's free resources";
		else if (ret == -EEXIST)
			why = "the UUID is in use";
		return fail(-ret, obj, "creating profile %s on VF %s failed: %s (see dmesg)",
			    profile, vf, why);
	}
	if (!sysfs_exists(sp("/sys/bus/mdev/devices/%s", uuid)))
		return fail(EIO, obj, "created on VF %s but /sys/bus/mdev/devices/%s is missing",
			    vf, uuid);
	return 0;
}

/* is uuid the vGPU of a VF of a jmgpu card? */
static bool jmgpu_vgpu(const char *uuid)
{
	static struct fleet f;
	int i, j;

	if (fleet_scan(&f))
		return false;
	for (i = 0; i < f.n; i++) {
		if (card_load(&f.c[i]))
			continue;
		for (j = 0; j < f.c[i].nvfs; j++)
			if (!strcmp(f.c[i].vfs[j].uuid, uuid))
				return true;
	}
	return false;
}

/* "type T of device D" for an mdev that is not ours */
static void describe_mdev(const char *uuid, char *buf, size_t len)
{
	char type[NAME_LEN] = "?", real[PATH_MAX], *slash;

	sysfs_link_name(sp("/sys/bus/mdev/devices/%s/mdev_type", uuid), type, sizeof(type));
	if (!realpath(sp("/sys/bus/mdev/devices/%s", uuid), real) ||
	    !(slash = strrchr(real, '/'))) {
		snprintf(buf, len, "mdev type %s", type);
		return;
	}
	*slash = 0;
	slash = strrchr(real, '/');
	snprintf(buf, len, "mdev type %s of device %.64s", type, slash ? slash + 1 : real);
}

int op_destroy(const char *uuid)
{
	char obj[128], what[300];
	uint64_t open = 0;
	int ret;

	snprintf(obj, sizeof(obj), "vGPU %s", uuid);
	if (!uuid_valid(uuid))
		return fail(EINVAL, uuid, "not a UUID (want xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
	if (!sysfs_exists(sp("/sys/bus/mdev/devices/%s", uuid)))
		return fail(ENOENT, obj, "no such mdev device");
	if (!jmgpu_vgpu(uuid)) {
		describe_mdev(uuid, what, sizeof(what));
		return fail(EPERM, obj, "not a jmgpu vGPU (%s, not on a VF of a jmgpu card): left alone",
			    what);
	}
	/* the driver would wait for the VM to release the VF: refuse instead */
	if (!sysfs_read_u64(sp("/sys/bus/mdev/devices/%s/jmgpu/open", uuid), &open) && open)
		return fail(EBUSY, obj, "its VF is open by a VM; stop the VM first");
	if (!sysfs_exists(sp("/sys/bus/mdev/devices/%s/remove", uuid)))
		return fail(EBUSY, obj, "its removal is already in progress");
	ret = sysfs_write(sp("/sys/bus/mdev/devices/%s/remove", uuid), "1");
	if (ret == -EAGAIN || ret == -EBUSY)
		return fail(EBUSY, obj, "its VF is open by a VM; stop the VM first");
	if (ret)
		return fail(-ret, obj, "remove failed: %s", strerror(-ret));
	return 0;
}

int op_set_attr(struct card *c, const char *attr, const char *val)
{
	int ret = sysfs_write(sp("/sys/bus/pci/devices/%s/jmgpu/%s", c->bdf, attr), val);

	if (ret)
		return fail(-ret, c->bdf, "writing '%s' to jmgpu/%s failed: %s (see dmesg)",
			    val, attr, strerror(-ret));
	return 0;
}

/* no vGPU, not provisioned, not kept for an mdevctl-defined vGPU */
static bool vf_free(const struct vf *v)
{
	return !v->uuid[0] && !strcmp(v->prov_profile, "-") &&
	       (!v->driver[0] || !strcmp(v->driver, VF_DRIVER)) &&
	       !mdevctl_parent_def(v->bdf, NULL, 0);
}

struct vf *card_pick_vf(struct card *c, const char *profile)
{
	int i;

	/* a bound VF that offers the profile now, then any free one */
	for (i = 0; i < c->nvfs; i++) {
		struct vf *v = &c->vfs[i];
		char type[4200];
		uint64_t avail = 0;

		if (!vf_free(v) || strcmp(v->driver, VF_DRIVER) ||
		    find_type(v->bdf, profile, type, sizeof(type)))
			continue;
		if (!sysfs_read_u64(sp("%s/available_instances", type), &avail) && avail)
			return v;
	}
	for (i = 0; i < c->nvfs; i++)
		if (vf_free(&c->vfs[i]) && !c->vfs[i].driver[0])
			return &c->vfs[i];
	return NULL;
}

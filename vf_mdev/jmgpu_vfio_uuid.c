// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu VF variant driver: the vGPU's UUID is a VFIO handle.
 *
 * libvirt, OpenStack Nova and KubeVirt hand an mdev to QEMU as
 * "-device vfio-pci,sysfsdev=/sys/bus/mdev/devices/<uuid>". QEMU reads
 * <sysfsdev>/iommu_group, opens that group and asks it for the device
 * named basename(<sysfsdev>), the UUID. A jmgpu vGPU has no DMA context of
 * its own (on a 6.12 kernel with the legacy VFIO container an mdev cannot
 * have one): its data path is the VF, which is the vfio device, in the VF's
 * own IOMMU group. So:
 *
 * - the mdev's sysfs directory gets an "iommu_group" link to the VF's
 *   group (made when the vGPU is created, removed with it);
 * - the VF's vfio device answers, through the match op, to the UUID of the
 *   vGPU bound to it as well as to its PCI address.
 *
 * On a kernel with the vfio device cdev (CONFIG_VFIO_DEVICE_CDEV, used by
 * QEMU's iommufd backend: "-object iommufd,id=fd0 -device
 * vfio-pci,sysfsdev=<dir>,iommufd=fd0"), QEMU instead lists
 * <sysfsdev>/vfio-dev/, takes the entry named vfioN, reads its "dev" file
 * and opens /dev/vfio/devices/vfioN. So the mdev's directory also gets a
 * "vfio-dev" directory holding a link "vfioN" to the VF's vfio device
 * (<VF>/vfio-dev/vfioN), made and removed with the iommu_group link. No
 * match op runs on that path: the cdev is the VF's, and the vfio core
 * refuses a second open of a device through its cdev and any group open
 * while it is open through the cdev (and the reverse), so one vGPU still
 * has one user.
 *
 * One vGPU, one vfio device: while the VF is open under one name, a second
 * open of it under the other name is refused with EBUSY (the group path of
 * the vfio core allows several opens of one device and does not tell the
 * driver; one QEMU given both host=<VF> and sysfsdev=<uuid> would otherwise
 * show the guest two functions driving the same VF). Opens under the same
 * name are the vfio core's business, and a second process cannot open the
 * group at all.
 */
#include <linux/iommu.h>
#include <linux/kernfs.h>
#include <linux/pci.h>
#include <linux/sysfs.h>
#include <linux/uuid.h>

#include "jmgpu_vfio.h"
#include "jmgpu_vfio_kernel.h"

#define JMGPU_IOMMU_GROUP_LINK	"iommu_group"
#define JMGPU_VFIO_DEV_DIR	"vfio-dev"

/* an empty named group: the mdev's vfio-dev directory, for the cdev link */
static struct attribute *jmgpu_vfio_dev_attrs[] = {
	NULL
};

static const struct attribute_group jmgpu_vfio_dev_group = {
	.name = JMGPU_VFIO_DEV_DIR,
	.attrs = jmgpu_vfio_dev_attrs,
};

static const char * const jmgpu_name_kind[] = {
	[JMGPU_NAME_PCI] = "PCI address",
	[JMGPU_NAME_UUID] = "vGPU UUID",
	[JMGPU_NAME_CDEV] = "device cdev",
};

/**
 * jmgpu_vfio_match - vfio_device_ops.match: the VF's name or its vGPU's UUID
 * @core_vdev: the VF's vfio device
 * @buf: the name userspace passed to VFIO_GROUP_GET_DEVICE_FD
 *
 * Return: 1 on a match, 0 when @buf names another device, -EBUSY when the
 * VF is open under its other name, or vfio_pci_core_match()'s errno (VF
 * token errors).
 */
int jmgpu_vfio_match(struct vfio_device *core_vdev, char *buf)
{
	struct jmgpu_vfio *jv = vdev_to_jmgpu(core_vdev);
	enum jmgpu_name kind;
	guid_t uuid;
	int ret;

	/* the same parser as the mdev core's "create": either case works */
	if (strlen(buf) == UUID_STRING_LEN && !guid_parse(buf, &uuid)) {
		kind = JMGPU_NAME_UUID;
	} else {
		ret = vfio_pci_core_match(core_vdev, buf);
		if (ret <= 0)
			return ret;
		kind = JMGPU_NAME_PCI;
	}

	mutex_lock(&jv->state_lock);
	if (kind == JMGPU_NAME_UUID &&
	    (!jv->mdev || jv->removing || !guid_equal(&uuid, &jv->mdev->uuid))) {
		ret = 0;
		goto out_unlock;
	}
	if (jv->open && jv->open_name != kind) {
		dev_err(jmgpu_vfio_dev(jv),
			"VF%u is open by its %s already: second open by its %s refused, one vGPU has one user\n",
			jv->vf, jmgpu_name_kind[jv->open_name],
			jmgpu_name_kind[kind]);
		ret = -EBUSY;
		goto out_unlock;
	}
	jv->match_name = kind;
	ret = 1;
out_unlock:
	mutex_unlock(&jv->state_lock);
	return ret;
}

/*
 * jmgpu_vfio_has_cdev - the VF's vfio device has a character device
 * @jv: VF state (the vfio device is registered)
 *
 * The vfio core gives a registered device a devt when it has a cdev; it
 * has none without CONFIG_VFIO_DEVICE_CDEV and for noiommu devices.
 */
static bool jmgpu_vfio_has_cdev(struct jmgpu_vfio *jv)
{
	return IS_ENABLED(CONFIG_VFIO_DEVICE_CDEV) &&
	       jmgpu_vfio_device_dev(&jv->core.vdev)->devt;
}

/*
 * jmgpu_vfio_link_cdev - give the vGPU's sysfs directory vfio-dev/vfioN,
 * a link to the VF's vfio device (its "dev" file names the cdev)
 * @jv: VF state
 * @mdev: the vGPU being created
 *
 * Return: 0 or a negative errno (after a dmesg line).
 */
static int jmgpu_vfio_link_cdev(struct jmgpu_vfio *jv, struct mdev_device *mdev)
{
	struct device *vdev = jmgpu_vfio_device_dev(&jv->core.vdev);
	int ret;

	ret = sysfs_create_group(&mdev->dev.kobj, &jmgpu_vfio_dev_group);
	if (ret)
		goto out_err;
	ret = sysfs_add_link_to_group(&mdev->dev.kobj, JMGPU_VFIO_DEV_DIR,
				      &vdev->kobj, dev_name(vdev));
	if (ret)
		goto out_remove_group;
	return 0;

out_remove_group:
	sysfs_remove_group(&mdev->dev.kobj, &jmgpu_vfio_dev_group);
out_err:
	dev_err(jmgpu_vfio_dev(jv),
		"VF%u: cannot link vGPU %pUl to the VF's vfio device %s: %d\n",
		jv->vf, &mdev->uuid, dev_name(vdev), ret);
	return ret;
}

/**
 * jmgpu_vfio_link_group - link the vGPU's sysfs directory to the VF's group
 * and, when the VF's vfio device has a cdev, to that device
 * @jv: VF state
 * @mdev: the vGPU being created
 *
 * Return: 0 or a negative errno (after a dmesg line).
 */
int jmgpu_vfio_link_group(struct jmgpu_vfio *jv, struct mdev_device *mdev)
{
	struct device *dev = jmgpu_vfio_dev(jv);
	struct iommu_group *group;
	struct kernfs_node *kn;
	struct kobject *gkobj;
	char id[16];
	int ret;

	group = iommu_group_get(dev);
	if (!group) {
		dev_err(dev, "VF%u has no IOMMU group: vGPU %pUl refused\n",
			jv->vf, &mdev->uuid);
		return -ENODEV;
	}
	/* the group holds its kobject while we hold the group */
	snprintf(id, sizeof(id), "%d", iommu_group_id(group));
	kn = kernfs_find_and_get(dev->kobj.sd, JMGPU_IOMMU_GROUP_LINK);
	gkobj = kn ? jmgpu_kernfs_link_target(kn) : NULL;
	if (!gkobj || strcmp(kobject_name(gkobj), id)) {
		dev_err(dev,
			"VF%u: its iommu_group link does not lead to IOMMU group %s: vGPU %pUl refused\n",
			jv->vf, id, &mdev->uuid);
		ret = -EIO;
		goto out_put;
	}
	ret = sysfs_create_link(&mdev->dev.kobj, gkobj, JMGPU_IOMMU_GROUP_LINK);
	if (ret) {
		dev_err(dev, "VF%u: cannot link vGPU %pUl to IOMMU group %s: %d\n",
			jv->vf, &mdev->uuid, id, ret);
		goto out_put;
	}
	if (jmgpu_vfio_has_cdev(jv)) {
		ret = jmgpu_vfio_link_cdev(jv, mdev);
		if (ret)
			sysfs_remove_link(&mdev->dev.kobj,
					  JMGPU_IOMMU_GROUP_LINK);
	}
out_put:
	kernfs_put(kn);
	iommu_group_put(group);
	return ret;
}

/**
 * jmgpu_vfio_unlink_group - undo jmgpu_vfio_link_group()
 * @jv: VF state
 * @mdev: the vGPU
 */
void jmgpu_vfio_unlink_group(struct jmgpu_vfio *jv, struct mdev_device *mdev)
{
	if (jmgpu_vfio_has_cdev(jv)) {
		sysfs_remove_link_from_group(&mdev->dev.kobj, JMGPU_VFIO_DEV_DIR,
					     dev_name(jmgpu_vfio_device_dev(&jv->core.vdev)));
		sysfs_remove_group(&mdev->dev.kobj, &jmgpu_vfio_dev_group);
	}
	sysfs_remove_link(&mdev->dev.kobj, JMGPU_IOMMU_GROUP_LINK);
}

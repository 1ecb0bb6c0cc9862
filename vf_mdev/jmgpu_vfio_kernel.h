/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jmgpu VF variant driver: the kernel internals it relies on, in one place.
 *
 * Everything else the driver uses is documented driver API (vfio-pci-core,
 * the mdev driver API, the IOMMU group API, sysfs). The items below are
 * facts about Linux 6.12 that are not promised by an API. The layouts and
 * signatures they depend on are checked at compile time below (a kernel
 * that changes them does not build this driver); the behaviour of 2 and 3
 * is pinned by the VM tests selftests/vm/49-mdev-uuid.sh and
 * 56-mdev-lifecycle.sh.
 *
 * 1. kernfs symlink layout (include/linux/kernfs.h). The IOMMU core links
 *    a device to its group with sysfs_create_link(dev, &group->kobj,
 *    "iommu_group"); the group's kobject is private to the IOMMU core and
 *    kernfs_create_link() is not exported. So the mdev's "iommu_group" link
 *    is made from the VF's own link: its kernfs node's symlink.target_kn is
 *    the group directory, whose priv is the group's kobject. The driver
 *    checks that the kobject's name is the group number that
 *    iommu_group_id() reports before it links to it (read only; nothing of
 *    the IOMMU core or kernfs is written).
 *
 * 2. vfio_device_ops.match contract (include/linux/vfio.h, used by
 *    vfio_device_get_from_name() in drivers/vfio/group.c): called for each
 *    VFIO_GROUP_GET_DEVICE_FD with the user's string, under the group's
 *    device lock and before the device is opened; > 0 selects the device,
 *    0 tries the next device of the group, < 0 ends the lookup and is the
 *    ioctl's errno. open_device() runs only for the first open of a device
 *    (the group path allows more opens of one device, the driver is not
 *    told), so match is the only place where a second open can be refused.
 *
 * 3. mdev core remove path (drivers/vfio/mdev/): writing the mdev's
 *    "remove" attribute deletes that attribute and unlinks the device from
 *    /sys/bus/mdev/devices before the driver's remove runs; remove cannot
 *    fail, the device and its UUID stay registered in the mdev core until
 *    remove returns (a create with the same UUID gets EEXIST meanwhile).
 *
 * 4. vfio_pci_core_device.err_trigger (include/linux/vfio_pci_core.h), read
 *    under RCU to signal the user's error eventfd on PF recovery
 *    (jmgpu_vfio_reset.c); vfio-pci-core exports no helper for it.
 *
 * 5. vfio_pci_core_device fields read by jmgpu_vfio_guard.c, which keeps
 *    the VF's ioeventfds itself: num_regions (device-specific regions after
 *    VFIO_PCI_NUM_REGIONS), msix_bar/msix_offset/msix_size (the MSI-X
 *    table no ioeventfd may write) and barmap[] (set by the exported
 *    vfio_pci_core_setup_barmap(), unmapped by vfio_pci_core_disable() at
 *    close, so the ioeventfds are released before that). Read only.
 *
 * 6. vfio device cdev (include/linux/vfio.h, drivers/vfio/device_cdev.c):
 *    vfio_device.device is the struct device that vfio_pci_core_register_
 *    device() adds as a child of the VF (<VF>/vfio-dev/vfioN); with
 *    CONFIG_VFIO_DEVICE_CDEV the core gives it a devt, the char device
 *    /dev/vfio/devices/vfioN (devt 0 when it has none: noiommu). The
 *    mdev's vfio-dev/vfioN link leads to that device (jmgpu_vfio_uuid.c);
 *    it is read only. The core's rules on that path that the driver relies
 *    on (one open through the cdev, no group open meanwhile and the
 *    reverse, no match op) are pinned by selftests/vm/50-mdev-iommufd.sh.
 */
#ifndef JMGPU_VFIO_KERNEL_H
#define JMGPU_VFIO_KERNEL_H

#include <linux/build_bug.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/kernfs.h>
#include <linux/vfio.h>
#include <linux/vfio_pci_core.h>

/* 1 */
static_assert(__same_type(((struct kernfs_node *)NULL)->symlink.target_kn,
			  struct kernfs_node *));
static_assert(__same_type(((struct kernfs_node *)NULL)->priv, void *));
/* 2 */
static_assert(__same_type(((struct vfio_device_ops *)NULL)->match,
			  int (*)(struct vfio_device *, char *)));
static_assert(__same_type(&vfio_pci_core_match,
			  int (*)(struct vfio_device *, char *)));
static_assert(__same_type(&vfio_pci_core_request,
			  void (*)(struct vfio_device *, unsigned int)));
/* 4 */
static_assert(__same_type(((struct vfio_pci_core_device *)NULL)->err_trigger,
			  struct vfio_pci_eventfd __rcu *));
/* 5 */
static_assert(__same_type(((struct vfio_pci_core_device *)NULL)->num_regions,
			  int));
static_assert(__same_type(((struct vfio_pci_core_device *)NULL)->msix_bar,
			  u8));
static_assert(__same_type(((struct vfio_pci_core_device *)NULL)->msix_offset,
			  u32));
static_assert(__same_type(((struct vfio_pci_core_device *)NULL)->msix_size,
			  u16));
static_assert(__same_type(((struct vfio_pci_core_device *)NULL)->barmap[0],
			  void __iomem *));
/* 6 */
static_assert(__same_type(((struct vfio_device *)NULL)->device,
			  struct device));
#if IS_ENABLED(CONFIG_VFIO_DEVICE_CDEV)
static_assert(__same_type(((struct vfio_device *)NULL)->cdev, struct cdev));
#endif

/**
 * jmgpu_vfio_device_dev - the struct device of a vfio device (item 6)
 * @vdev: a registered vfio device
 *
 * Return: its device: <parent>/vfio-dev/vfioN in sysfs.
 */
static inline struct device *jmgpu_vfio_device_dev(struct vfio_device *vdev)
{
	return &vdev->device;
}

/**
 * jmgpu_kernfs_link_target - the kobject a sysfs symlink points to
 * @kn: kernfs node of a symlink (reference held by the caller)
 *
 * Return: the target directory's kobject, or NULL if @kn is not a link to
 * a kobject directory. The caller keeps the target alive by other means.
 */
static inline struct kobject *jmgpu_kernfs_link_target(struct kernfs_node *kn)
{
	struct kernfs_node *target;

	if (kernfs_type(kn) != KERNFS_LINK)
		return NULL;
	target = kn->symlink.target_kn;
	if (!target || kernfs_type(target) != KERNFS_DIR)
		return NULL;
	return target->priv;
}

#endif /* JMGPU_VFIO_KERNEL_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu VF variant driver: VFIO arguments checked before vfio-pci-core.
 *
 * A VFIO user (QEMU, or any process root gave the VF to) is not trusted.
 * vfio-pci-core checks most ioctl arguments itself, but the 6.12 core
 * misreads one: VFIO_DEVICE_IOEVENTFD takes the region index from the
 * signed file offset, so an offset with bit 63 set gives a negative BAR
 * index that passes its "index > BAR5" test and indexes the device's
 * resources out of bounds (a host oops). This file refuses every argument
 * the core would have to check, with EINVAL and one rate-limited dmesg
 * line, before the core sees the call; the core still runs its own checks
 * afterwards. Documentation/security.rst lists each guard with the core
 * bug it covers.
 *
 * VFIO_DEVICE_IOEVENTFD does not reach the core at all: the core reads
 * the user's argument again after any check done here, and a second
 * thread could flip bit 63 in between. The driver keeps its VF's
 * ioeventfds itself (the same uAPI: a write of 1, 2, 4 or 8 bytes of
 * @data into a BAR outside the MSI-X table when the eventfd fires; the
 * same offset, size and data again with fd -1 removes it), from the one
 * copy it checked.
 */
#include <linux/eventfd.h>
#include <linux/io.h>
/* iowrite64 on every build, as vfio-pci-core sees it */
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/overflow.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "jmgpu_vfio.h"
#include "jmgpu_vfio_kernel.h"

#define JMGPU_IOEVENTFD_MAX	1000	/* per VF, as vfio-pci-core */

/**
 * struct jmgpu_ioeventfd - one VFIO ioeventfd of a VF
 * @node: in jmgpu_vfio.ioeventfds
 * @jv: the VF
 * @virqfd: the eventfd hook (vfio's virqfd)
 * @addr: mapped BAR address written
 * @bar: BAR index
 * @pos: offset in the BAR
 * @data: value written
 * @count: bytes written: 1, 2, 4 or 8
 */
struct jmgpu_ioeventfd {
	struct list_head node;
	struct jmgpu_vfio *jv;
	struct virqfd *virqfd;
	void __iomem *addr;
	int bar;
	u64 pos;
	u64 data;
	int count;
};

static unsigned int jmgpu_nregions(struct jmgpu_vfio *jv)
{
	return VFIO_PCI_NUM_REGIONS + jv->core.num_regions;
}

/* The one dmesg line of a refused argument; returns -EINVAL. */
static int jmgpu_refuse(struct jmgpu_vfio *jv, const char *what,
			const char *why, u64 val)
{
	dev_warn_ratelimited(jmgpu_vfio_dev(jv),
			     "VF%u: %s refused: %s (0x%llx)\n", jv->vf, what,
			     why, val);
	return -EINVAL;
}

/* Only argsz to check: its header is the first u32 of the argument. */
static int jmgpu_guard_argsz(struct jmgpu_vfio *jv, const char *what,
			     void __user *arg, u32 minsz)
{
	u32 argsz;

	if (get_user(argsz, (u32 __user *)arg))
		return -EFAULT;
	if (argsz < minsz)
		return jmgpu_refuse(jv, what, "argsz too small", argsz);
	return 0;
}

static int jmgpu_guard_region_info(struct jmgpu_vfio *jv, void __user *arg)
{
	u32 minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_region_info ri;

	if (copy_from_user(&ri, arg, minsz))
		return -EFAULT;
	if (ri.argsz < minsz)
		return jmgpu_refuse(jv, "GET_REGION_INFO", "argsz too small",
				    ri.argsz);
	if (ri.index >= jmgpu_nregions(jv))
		return jmgpu_refuse(jv, "GET_REGION_INFO",
				    "no such region", ri.index);
	return 0;
}

static int jmgpu_guard_irq_info(struct jmgpu_vfio *jv, void __user *arg)
{
	u32 minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info ii;

	if (copy_from_user(&ii, arg, minsz))
		return -EFAULT;
	if (ii.argsz < minsz)
		return jmgpu_refuse(jv, "GET_IRQ_INFO", "argsz too small",
				    ii.argsz);
	if (ii.index >= VFIO_PCI_NUM_IRQS)
		return jmgpu_refuse(jv, "GET_IRQ_INFO", "no such IRQ index",
				    ii.index);
	return 0;
}

static int jmgpu_guard_set_irqs(struct jmgpu_vfio *jv, void __user *arg)
{
	u32 minsz = offsetofend(struct vfio_irq_set, count);
	u32 data = 0, action;
	struct vfio_irq_set is;

	if (copy_from_user(&is, arg, minsz))
		return -EFAULT;
	if (is.argsz < minsz)
		return jmgpu_refuse(jv, "SET_IRQS", "argsz too small",
				    is.argsz);
	if (is.index >= VFIO_PCI_NUM_IRQS)
		return jmgpu_refuse(jv, "SET_IRQS", "no such IRQ index",
				    is.index);
	if (is.flags & ~(VFIO_IRQ_SET_DATA_TYPE_MASK |
			 VFIO_IRQ_SET_ACTION_TYPE_MASK))
		return jmgpu_refuse(jv, "SET_IRQS", "unknown flags",
				    is.flags);
	action = is.flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;
	if (hweight32(is.flags & VFIO_IRQ_SET_DATA_TYPE_MASK) != 1 ||
	    hweight32(action) != 1)
		return jmgpu_refuse(jv, "SET_IRQS",
				    "not one data type and one action",
				    is.flags);
	if ((u64)is.start + is.count > U32_MAX)
		return jmgpu_refuse(jv, "SET_IRQS", "start + count overflows",
				    (u64)is.start + is.count);
	if (is.flags & VFIO_IRQ_SET_DATA_BOOL)
		data = sizeof(u8);
	else if (is.flags & VFIO_IRQ_SET_DATA_EVENTFD)
		data = sizeof(s32);
	if ((u64)is.count * data > is.argsz - minsz)
		return jmgpu_refuse(jv, "SET_IRQS",
				    "argsz too small for count", is.argsz);
	return 0;
}

static int jmgpu_guard_hot_reset(struct jmgpu_vfio *jv, void __user *arg)
{
	u32 minsz = offsetofend(struct vfio_pci_hot_reset, count);
	struct vfio_pci_hot_reset hr;

	if (copy_from_user(&hr, arg, minsz))
		return -EFAULT;
	if (hr.argsz < minsz)
		return jmgpu_refuse(jv, "PCI_HOT_RESET", "argsz too small",
				    hr.argsz);
	if (hr.flags)
		return jmgpu_refuse(jv, "PCI_HOT_RESET", "unknown flags",
				    hr.flags);
	if ((u64)hr.count * sizeof(s32) > hr.argsz - minsz)
		return jmgpu_refuse(jv, "PCI_HOT_RESET",
				    "argsz too small for count", hr.count);
	return 0;
}

/**
 * jmgpu_vfio_guard_ioctl - refuse arguments vfio-pci-core would misread
 * @jv: VF state
 * @cmd: ioctl
 * @arg: its user argument
 *
 * Return: 0 to let the core handle the call, -EINVAL (refused, logged) or
 * -EFAULT.
 */
int jmgpu_vfio_guard_ioctl(struct jmgpu_vfio *jv, unsigned int cmd,
			   void __user *arg)
{
	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return jmgpu_guard_argsz(jv, "GET_INFO", arg,
					 offsetofend(struct vfio_device_info,
						     num_irqs));
	case VFIO_DEVICE_GET_REGION_INFO:
		return jmgpu_guard_region_info(jv, arg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return jmgpu_guard_irq_info(jv, arg);
	case VFIO_DEVICE_SET_IRQS:
		return jmgpu_guard_set_irqs(jv, arg);
	case VFIO_DEVICE_GET_PCI_HOT_RESET_INFO:
		return jmgpu_guard_argsz(jv, "GET_PCI_HOT_RESET_INFO", arg,
					 offsetofend(struct vfio_pci_hot_reset_info,
						     count));
	case VFIO_DEVICE_PCI_HOT_RESET:
		return jmgpu_guard_hot_reset(jv, arg);
	default:
		return 0;
	}
}

/**
 * jmgpu_vfio_guard_rw - refuse a region read/write outside the regions
 * @jv: VF state
 * @count: bytes
 * @pos: file offset (region index in bits 40..63)
 * @write: for the log
 *
 * Return: 0 or -EINVAL (logged).
 */
int jmgpu_vfio_guard_rw(struct jmgpu_vfio *jv, size_t count, loff_t pos,
			bool write)
{
	const char *what = write ? "region write" : "region read";
	u64 off = (u64)pos & VFIO_PCI_OFFSET_MASK;
	u64 index = (u64)pos >> VFIO_PCI_OFFSET_SHIFT;
	u64 len;

	if (index >= jmgpu_nregions(jv))
		return jmgpu_refuse(jv, what, "no such region", pos);
	if (index > VFIO_PCI_BAR5_REGION_INDEX)
		return 0;	/* config space, ROM, EDID: sized by the core */
	len = pci_resource_len(jv->core.pdev, index);
	if (off >= len)
		return jmgpu_refuse(jv, what, "beyond the BAR", pos);
	return 0;
}

static void jmgpu_ioeventfd_thread(void *opaque, void *unused)
{
	struct jmgpu_ioeventfd *e = opaque;
	struct vfio_pci_core_device *vdev = &e->jv->core;

	/* test_mem: nothing is written while memory decode is off */
	switch (e->count) {
	case 1:
		vfio_pci_core_iowrite8(vdev, true, e->data, e->addr);
		break;
	case 2:
		vfio_pci_core_iowrite16(vdev, true, e->data, e->addr);
		break;
	case 4:
		vfio_pci_core_iowrite32(vdev, true, e->data, e->addr);
		break;
	case 8:
		vfio_pci_core_iowrite64(vdev, true, e->data, e->addr);
		break;
	}
}

static void jmgpu_ioeventfd_free(struct jmgpu_vfio *jv,
				 struct jmgpu_ioeventfd *e)
{
	vfio_virqfd_disable(&e->virqfd);
	list_del(&e->node);
	jv->nr_ioeventfds--;
	kfree(e);
}

static int jmgpu_ioeventfd_set(struct jmgpu_vfio *jv,
			       const struct vfio_device_ioeventfd *a, int bar,
			       u64 pos, int count)
{
	struct jmgpu_ioeventfd *e;
	int ret;

	ret = vfio_pci_core_setup_barmap(&jv->core, bar);
	if (ret)
		return ret;

	mutex_lock(&jv->ioeventfd_lock);
	list_for_each_entry(e, &jv->ioeventfds, node) {
		if (e->bar == bar && e->pos == pos && e->data == a->data &&
		    e->count == count) {
			if (a->fd == -1) {
				jmgpu_ioeventfd_free(jv, e);
				ret = 0;
			} else {
				ret = -EEXIST;
			}
			goto out_unlock;
		}
	}
	if (a->fd == -1) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (jv->nr_ioeventfds >= JMGPU_IOEVENTFD_MAX) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	e = kzalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);
	if (!e) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	e->jv = jv;
	e->bar = bar;
	e->pos = pos;
	e->data = a->data;
	e->count = count;
	e->addr = jv->core.barmap[bar] + pos;
	ret = vfio_virqfd_enable(e, NULL, jmgpu_ioeventfd_thread, NULL,
				 &e->virqfd, a->fd);
	if (ret)
		goto out_free;
	list_add(&e->node, &jv->ioeventfds);
	jv->nr_ioeventfds++;
	mutex_unlock(&jv->ioeventfd_lock);
	return 0;

out_free:
	kfree(e);
out_unlock:
	mutex_unlock(&jv->ioeventfd_lock);
	return ret;
}

/**
 * jmgpu_vfio_ioeventfd - VFIO_DEVICE_IOEVENTFD, checked and done here
 * @jv: VF state (device open)
 * @arg: user's struct vfio_device_ioeventfd
 *
 * Return: 0, -EINVAL (refused, logged), -EFAULT, -EEXIST, -ENODEV (no such
 * ioeventfd to remove), -ENOSPC, or an error of the eventfd or the BAR map.
 */
long jmgpu_vfio_ioeventfd(struct jmgpu_vfio *jv, void __user *arg)
{
	u32 minsz = offsetofend(struct vfio_device_ioeventfd, fd);
	struct vfio_pci_core_device *vdev = &jv->core;
	struct vfio_device_ioeventfd a;
	u64 index, pos, len;
	int count;

	if (copy_from_user(&a, arg, minsz))
		return -EFAULT;
	if (a.argsz < minsz)
		return jmgpu_refuse(jv, "IOEVENTFD", "argsz too small",
				    a.argsz);
	if (a.flags & ~VFIO_DEVICE_IOEVENTFD_SIZE_MASK)
		return jmgpu_refuse(jv, "IOEVENTFD", "unknown flags", a.flags);
	count = a.flags & VFIO_DEVICE_IOEVENTFD_SIZE_MASK;
	if (hweight32(count) != 1)
		return jmgpu_refuse(jv, "IOEVENTFD", "not one write size",
				    a.flags);
	if (a.fd < -1)
		return jmgpu_refuse(jv, "IOEVENTFD", "bad fd", (u32)a.fd);
	/* unsigned: bit 63 is an index far out of range, never negative */
	index = a.offset >> VFIO_PCI_OFFSET_SHIFT;
	pos = a.offset & VFIO_PCI_OFFSET_MASK;
	if (index > VFIO_PCI_BAR5_REGION_INDEX)
		return jmgpu_refuse(jv, "IOEVENTFD", "offset not in a BAR",
				    a.offset);
	len = pci_resource_len(vdev->pdev, index);
	if (pos >= len || count > len - pos)
		return jmgpu_refuse(jv, "IOEVENTFD", "beyond the BAR",
				    a.offset);
	if (index == vdev->msix_bar && pos < vdev->msix_offset +
	    vdev->msix_size && pos + count > vdev->msix_offset)
		return jmgpu_refuse(jv, "IOEVENTFD", "in the MSI-X table",
				    a.offset);
	return jmgpu_ioeventfd_set(jv, &a, index, pos, count);
}

/**
 * jmgpu_vfio_ioeventfds_release - remove every ioeventfd of the VF
 * @jv: VF state; called on close, before vfio-pci-core unmaps the BARs
 */
void jmgpu_vfio_ioeventfds_release(struct jmgpu_vfio *jv)
{
	struct jmgpu_ioeventfd *e, *tmp;

	mutex_lock(&jv->ioeventfd_lock);
	list_for_each_entry_safe(e, tmp, &jv->ioeventfds, node)
		jmgpu_ioeventfd_free(jv, e);
	mutex_unlock(&jv->ioeventfd_lock);
}

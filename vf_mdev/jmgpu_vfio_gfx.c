// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu VF variant driver: mediated display extras.
 *
 * - VFIO EDID region (VFIO_REGION_TYPE_GFX / VFIO_REGION_SUBTYPE_GFX_EDID):
 *   userspace (QEMU) sets the virtual monitor's EDID; the resolution limits
 *   it reads (max_xres/max_yres) are the vGPU profile's. Link up (with a
 *   checked EDID) and link down go to the firmware (VF_SET_DISPLAY through
 *   jmgpu_pf_vf_set_display()), which shows the monitor to the guest in
 *   the VF's EDID window; a refusal fails the region write. Until the VMM
 *   writes link_state, the region shows the monitor the host set for the
 *   vGPU (jmgpu/monitor, jmgpu_vfio_monitor.c), connected at open; once
 *   it does, the VMM's writes decide. The last close disconnects the
 *   monitor.
 * - VFIO_DEVICE_QUERY_GFX_PLANE, region flavour: the VF's *active* plane
 *   (the ACTIVE_* registers the display engine latched at the last flip),
 *   read consistently (SCANOUT_GEN before and after) and checked against
 *   the profile. The region uAPI has no offset, so the plane is shown
 *   through one of two plane regions (vendor-type device regions) whose
 *   offset 0 is bound to the plane's base: at a flip to a new base the
 *   region not reported last is rebound, so region_index changes, which
 *   is what makes QEMU map the new region.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/uaccess.h>

#include "jmgpu_fw_validate.h"
#include "jmgpu_vfio.h"

/* DRM_PLANE_TYPE_* (include/drm/drm_plane.h), part of the VFIO uAPI */
#define JMGPU_DRM_PLANE_TYPE_PRIMARY	1
#define JMGPU_DRM_PLANE_TYPE_CURSOR	2

/**
 * jmgpu_vfio_edid_parse - check an EDID and take its preferred mode
 * @jv: VF state, gfx_lock held, EDID region set up (its max_xres/max_yres
 *	are the limits)
 * @b: the EDID
 * @size: its size in bytes
 * @x: its preferred (first detailed timing's) width
 * @y: its preferred height
 *
 * The base block's size, header and checksum are checked, and the
 * preferred mode against the profile's maximum; a refusal is logged.
 * The EDIDs a VMM writes and those jmgpu_vfio_edid_build() makes pass
 * the same check.
 *
 * Return: 0 or -EINVAL.
 */
int jmgpu_vfio_edid_parse(struct jmgpu_vfio *jv, const u8 *b, u32 size,
			  u32 *x, u32 *y)
{
	struct jmgpu_vfio_edid *e = &jv->edid;
	u8 sum = 0;
	int i;

	lockdep_assert_held(&jv->gfx_lock);
	if (size < JMGPU_EDID_BLOCK) {
		dev_err(jmgpu_vfio_dev(jv), "VF%u EDID: %u bytes, need at least %u\n",
			jv->vf, size, JMGPU_EDID_BLOCK);
		return -EINVAL;
	}
	if (!jmgpu_edid_header_ok(b)) {
		dev_err(jmgpu_vfio_dev(jv), "VF%u EDID: bad header\n", jv->vf);
		return -EINVAL;
	}
	for (i = 0; i < JMGPU_EDID_BLOCK; i++)
		sum += b[i];
	if (sum) {
		dev_err(jmgpu_vfio_dev(jv), "VF%u EDID: bad checksum\n", jv->vf);
		return -EINVAL;
	}
	/* first detailed timing descriptor at byte 54 */
	*x = b[56] | ((b[58] & 0xf0) << 4);
	*y = b[59] | ((b[61] & 0xf0) << 4);
	if (*x > e->regs.max_xres || *y > e->regs.max_yres) {
		dev_err(jmgpu_vfio_dev(jv),
			"VF%u EDID: preferred mode %ux%u exceeds the profile's %ux%u\n",
			jv->vf, *x, *y, e->regs.max_xres, e->regs.max_yres);
		return -EINVAL;
	}
	return 0;
}

static int jmgpu_edid_reg_write(struct jmgpu_vfio *jv, unsigned int off,
				u32 val)
{
	struct vfio_region_gfx_edid *r = &jv->edid.regs;
	u32 x, y;
	int ret;

	lockdep_assert_held(&jv->gfx_lock);
	switch (off) {
	case offsetof(struct vfio_region_gfx_edid, edid_size):
		if (val > r->edid_max_size) {
			dev_err(jmgpu_vfio_dev(jv),
				"VF%u EDID: size %u > max %u\n", jv->vf, val,
				r->edid_max_size);
			return -EINVAL;
		}
		r->edid_size = val;
		return 0;
	case offsetof(struct vfio_region_gfx_edid, link_state):
		/* the VMM sets the monitor now: jmgpu/monitor waits */
		jmgpu_vfio_monitor_vmm_locked(jv);
		if (val == VFIO_DEVICE_GFX_LINK_STATE_DOWN) {
			/* nothing to tell a firmware that has no monitor */
			ret = jv->edid.fw_link ?
			      jmgpu_pf_vf_set_display(jv->pf, jv->vf, false,
						      NULL, 0) : 0;
			if (ret)
				return ret;
			jv->edid.fw_link = false;
			r->link_state = val;
			return 0;
		}
		if (val != VFIO_DEVICE_GFX_LINK_STATE_UP) {
			dev_err(jmgpu_vfio_dev(jv),
				"VF%u EDID: link_state %u is neither up nor down\n",
				jv->vf, val);
			return -EINVAL;
		}
		ret = jmgpu_vfio_edid_parse(jv, jv->edid.blob, r->edid_size,
					    &x, &y);
		if (ret)
			return ret;
		ret = jmgpu_pf_vf_set_display(jv->pf, jv->vf, true,
					      jv->edid.blob, r->edid_size);
		if (ret)
			return ret;
		jv->edid.fw_link = true;
		jv->edid.mode_x = x;
		jv->edid.mode_y = y;
		r->link_state = val;
		return 0;
	default:
		dev_dbg(jmgpu_vfio_dev(jv),
			"VF%u EDID: write to read-only register 0x%x\n",
			jv->vf, off);
		return -EPERM;
	}
}

static ssize_t jmgpu_edid_rw(struct vfio_pci_core_device *vdev,
			     char __user *buf, size_t count, loff_t *ppos,
			     bool iswrite)
{
	struct jmgpu_vfio *jv = core_to_jmgpu(vdev);
	u64 pos = *ppos & VFIO_PCI_OFFSET_MASK;
	struct jmgpu_vfio_edid *e = &jv->edid;
	u32 val;
	int ret = 0;

	atomic64_inc(&jv->trapped);
	mutex_lock(&jv->gfx_lock);
	if (pos < sizeof(e->regs)) {
		/* register block: aligned 32-bit accesses only */
		if (count != sizeof(u32) || pos % sizeof(u32)) {
			ret = -EINVAL;
			goto out;
		}
		if (iswrite) {
			if (copy_from_user(&val, buf, sizeof(val))) {
				ret = -EFAULT;
				goto out;
			}
			ret = jmgpu_edid_reg_write(jv, pos, val);
		} else {
			memcpy(&val, (u8 *)&e->regs + pos, sizeof(val));
			if (copy_to_user(buf, &val, sizeof(val)))
				ret = -EFAULT;
		}
	} else if (pos >= JMGPU_EDID_OFFSET &&
		   pos < JMGPU_EDID_OFFSET + JMGPU_EDID_MAX_SIZE &&
		   count <= JMGPU_EDID_OFFSET + JMGPU_EDID_MAX_SIZE - pos) {
		u8 *p = e->blob + (pos - JMGPU_EDID_OFFSET);

		if (iswrite ? copy_from_user(p, buf, count) :
			      copy_to_user(buf, p, count))
			ret = -EFAULT;
	} else {
		ret = -EINVAL;
	}
out:
	mutex_unlock(&jv->gfx_lock);
	if (ret)
		return ret;
	*ppos += count;
	return count;
}

static void jmgpu_edid_release(struct vfio_pci_core_device *vdev,
			       struct vfio_pci_region *region)
{
}

static const struct vfio_pci_regops jmgpu_edid_regops = {
	.rw = jmgpu_edid_rw,
	.release = jmgpu_edid_release,
};

/* The plane regions: their offset 0 is BAR2 at the base they are bound to. */
static vm_fault_t jmgpu_plane_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct jmgpu_vfio_flip *f = vma->vm_private_data;
	struct jmgpu_vfio *jv = f->jv;
	struct pci_dev *pdev = jv->core.pdev;
	u64 off = ((u64)vmf->pgoff << PAGE_SHIFT) & VFIO_PCI_OFFSET_MASK;
	vm_fault_t ret;
	u64 fb;

	mutex_lock(&jv->plane_lock);
	fb = f->base + off;
	if (fb >= jv->plane_slice ||
	    fb >= pci_resource_len(pdev, JMGPU_BAR_FB))
		ret = VM_FAULT_SIGBUS;
	else
		ret = vmf_insert_pfn(vma, vmf->address,
				     (pci_resource_start(pdev, JMGPU_BAR_FB) +
				      fb) >> PAGE_SHIFT);
	mutex_unlock(&jv->plane_lock);
	return ret;
}

static const struct vm_operations_struct jmgpu_plane_vm_ops = {
	.fault = jmgpu_plane_fault,
};

static int jmgpu_plane_mmap(struct vfio_pci_core_device *vdev,
			    struct vfio_pci_region *region,
			    struct vm_area_struct *vma)
{
	u64 off = ((u64)vma->vm_pgoff << PAGE_SHIFT) & VFIO_PCI_OFFSET_MASK;
	u64 len = vma->vm_end - vma->vm_start;

	if (!(vma->vm_flags & VM_SHARED) || off > region->size ||
	    len > region->size - off)
		return -EINVAL;
	vma->vm_private_data = region->data;
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = &jmgpu_plane_vm_ops;
	return 0;
}

/* read()/write() of a plane region: refused, the plane is for mmap */
static ssize_t jmgpu_plane_rw(struct vfio_pci_core_device *vdev,
			      char __user *buf, size_t count, loff_t *ppos,
			      bool iswrite)
{
	atomic64_inc(&core_to_jmgpu(vdev)->trapped);
	return -EINVAL;
}

static void jmgpu_plane_release(struct vfio_pci_core_device *vdev,
				struct vfio_pci_region *region)
{
}

static const struct vfio_pci_regops jmgpu_plane_regops = {
	.rw = jmgpu_plane_rw,
	.mmap = jmgpu_plane_mmap,
	.release = jmgpu_plane_release,
};

/**
 * jmgpu_vfio_gfx_open - set up the display extras for a new open
 * @jv: VF state, state_lock held, vGPU present, vfio_pci_core_enable() done
 *
 * Maps BAR0 for the host's scanout register reads and, for profiles with a
 * display, registers a fresh EDID region and the two plane regions (both
 * bound to base 0, none reported yet), then connects the monitor the host
 * set for the vGPU (jmgpu/monitor; the EDID region shows it, link up with
 * its EDID, or link down for none). The regions go with
 * vfio_pci_core_disable().
 *
 * Return: 0 or a negative errno.
 */
int jmgpu_vfio_gfx_open(struct jmgpu_vfio *jv)
{
	const struct jmgpu_profile *p = jv->profile;
	struct jmgpu_vfio_edid *e = &jv->edid;
	int ret, i;

	ret = vfio_pci_core_setup_barmap(&jv->core, JMGPU_BAR_REGS);
	if (ret)
		return ret;
	if (!p->display_heads)
		return 0;

	mutex_lock(&jv->gfx_lock);
	memset(e, 0, sizeof(*e));
	e->regs.edid_offset = JMGPU_EDID_OFFSET;
	e->regs.edid_max_size = JMGPU_EDID_MAX_SIZE;
	e->regs.max_xres = p->max_width;
	e->regs.max_yres = p->max_height;
	e->regs.link_state = VFIO_DEVICE_GFX_LINK_STATE_DOWN;
	mutex_unlock(&jv->gfx_lock);

	ret = vfio_pci_core_register_dev_region(&jv->core,
						VFIO_REGION_TYPE_GFX,
						VFIO_REGION_SUBTYPE_GFX_EDID,
						&jmgpu_edid_regops,
						JMGPU_EDID_OFFSET +
						JMGPU_EDID_MAX_SIZE,
						VFIO_REGION_INFO_FLAG_READ |
						VFIO_REGION_INFO_FLAG_WRITE,
						jv);
	if (ret)
		return ret;

	mutex_lock(&jv->plane_lock);
	jv->plane_cur = -1;
	jv->plane_slice = p->fb_size;
	for (i = 0; i < JMGPU_NR_PLANE_REGIONS; i++) {
		jv->flip[i].jv = jv;
		jv->flip[i].base = 0;
	}
	mutex_unlock(&jv->plane_lock);
	for (i = 0; i < JMGPU_NR_PLANE_REGIONS; i++) {
		/* a plane fits the slice: the region is the slice's size */
		ret = vfio_pci_core_register_dev_region(&jv->core,
							JMGPU_REGION_TYPE,
							JMGPU_REGION_SUBTYPE_PLANE0 + i,
							&jmgpu_plane_regops,
							PAGE_ALIGN(p->fb_size),
							VFIO_REGION_INFO_FLAG_READ |
							VFIO_REGION_INFO_FLAG_WRITE |
							VFIO_REGION_INFO_FLAG_MMAP,
							&jv->flip[i]);
		if (ret)
			return ret;
		jv->flip[i].index = VFIO_PCI_NUM_REGIONS +
				    jv->core.num_regions - 1;
	}

	/* last: nothing fails after it, the last close disconnects it */
	mutex_lock(&jv->gfx_lock);
	jmgpu_vfio_monitor_open_locked(jv);
	mutex_unlock(&jv->gfx_lock);
	return 0;
}

/**
 * jmgpu_vfio_gfx_close - the display side of the last close
 * @jv: VF state (device still enabled)
 *
 * The monitor (the host's or the one the VMM connected) is disconnected;
 * the next open connects the host's monitor again. jmgpu/monitor writes
 * are only recorded from now on.
 */
void jmgpu_vfio_gfx_close(struct jmgpu_vfio *jv)
{
	int ret;

	mutex_lock(&jv->gfx_lock);
	if (jv->edid.fw_link) {
		ret = jmgpu_pf_vf_set_display(jv->pf, jv->vf, false, NULL, 0);
		if (ret && ret != -ENOENT && ret != -ENXIO)
			dev_warn(jmgpu_vfio_dev(jv),
				 "VF%u: monitor not disconnected at close: %d\n",
				 jv->vf, ret);
		jv->edid.fw_link = false;
		jv->edid.regs.link_state = VFIO_DEVICE_GFX_LINK_STATE_DOWN;
	}
	jmgpu_vfio_monitor_close_locked(jv);
	mutex_unlock(&jv->gfx_lock);
}

static int jmgpu_scanout_rd(struct jmgpu_vfio *jv, u32 reg, u32 *val)
{
	void __iomem *io = jv->core.barmap[JMGPU_BAR_REGS];

	if (!io)
		return -EIO;
	return vfio_pci_core_ioread32(&jv->core, true, val, io + reg);
}

#define JMGPU_PLANE_READ_TRIES	8

/* the active plane: ACTIVE_ENABLE..ACTIVE_FORMAT, one generation */
enum { A_EN, A_LO, A_HI, A_W, A_H, A_STRIDE, A_FMT, A_NR };

static int jmgpu_read_active(struct jmgpu_vfio *jv, u32 *a)
{
	u32 g0, g1;
	int ret, try, i;

	for (try = 0; try < JMGPU_PLANE_READ_TRIES; try++) {
		ret = jmgpu_scanout_rd(jv, JMGPU_VF_SCANOUT_GEN, &g0);
		for (i = 0; !ret && i < A_NR; i++)
			ret = jmgpu_scanout_rd(jv, JMGPU_VF_ACTIVE_ENABLE + 4 * i,
					       &a[i]);
		ret = ret ?: jmgpu_scanout_rd(jv, JMGPU_VF_SCANOUT_GEN, &g1);
		if (ret)
			return ret;
		if (g0 == g1)
			return 0;
	}
	dev_warn_ratelimited(jmgpu_vfio_dev(jv),
			     "VF%u plane: scanout generation moved during %d reads\n",
			     jv->vf, JMGPU_PLANE_READ_TRIES);
	return -EAGAIN;
}

/* Whether the active plane @a is one the profile allows; logs why not. */
static bool jmgpu_plane_ok(struct jmgpu_vfio *jv, const u32 *a, u64 base)
{
	const struct jmgpu_profile *p = jv->profile;
	struct device *dev = jmgpu_vfio_dev(jv);
	unsigned int bpp = jmgpu_scanout_bpp(a[A_FMT]);
	u64 end = base + (u64)a[A_STRIDE] * a[A_H];

	if (!bpp) {
		dev_warn_ratelimited(dev, "VF%u plane: format 0x%08x unknown: no plane\n",
				     jv->vf, a[A_FMT]);
		return false;
	}
	if (!a[A_W] || !a[A_H] || a[A_W] > p->max_width ||
	    a[A_H] > p->max_height) {
		dev_warn_ratelimited(dev, "VF%u plane: %ux%u outside 1x1..%ux%u: no plane\n",
				     jv->vf, a[A_W], a[A_H], p->max_width,
				     p->max_height);
		return false;
	}
	if (a[A_STRIDE] < a[A_W] * bpp || a[A_STRIDE] % 4) {
		dev_warn_ratelimited(dev, "VF%u plane: stride %u below %u bytes or not a multiple of 4: no plane\n",
				     jv->vf, a[A_STRIDE], a[A_W] * bpp);
		return false;
	}
	if (base % JMGPU_SCANOUT_BASE_ALIGN) {
		dev_warn_ratelimited(dev, "VF%u plane: base 0x%llx not %u-aligned: no plane\n",
				     jv->vf, base, JMGPU_SCANOUT_BASE_ALIGN);
		return false;
	}
	if (base >= p->fb_size || end > p->fb_size) {
		dev_warn_ratelimited(dev, "VF%u plane: 0x%llx..0x%llx past the %llu byte slice: no plane\n",
				     jv->vf, base, end, p->fb_size);
		return false;
	}
	return true;
}

/*
 * The plane region showing @base: the one reported last if it is bound
 * there, else the other one, rebound to @base after its user mappings are
 * zapped (they refault at the new base).
 */
static u32 jmgpu_plane_bind(struct jmgpu_vfio *jv, u64 base)
{
	struct jmgpu_vfio_flip *f;
	int cur;

	lockdep_assert_held(&jv->plane_lock);
	cur = jv->plane_cur;
	if (cur >= 0 && jv->flip[cur].base == base)
		return jv->flip[cur].index;
	cur = cur < 0 ? 0 : !cur;
	f = &jv->flip[cur];
	f->base = base;
	unmap_mapping_range(jv->core.vdev.inode->i_mapping,
			    (loff_t)f->index << VFIO_PCI_OFFSET_SHIFT,
			    VFIO_PCI_OFFSET_MASK + 1, true);
	jv->plane_cur = cur;
	return f->index;
}

/**
 * jmgpu_vfio_query_plane - VFIO_DEVICE_QUERY_GFX_PLANE
 * @jv: VF state (device open)
 * @arg: user struct vfio_device_gfx_plane_info
 *
 * Region planes only (no dma-buf). The active plane is reported with the
 * plane region bound to its base. A disabled plane and one outside the
 * profile's limits (format, size, stride, alignment, slice; logged,
 * ratelimited) are "no plane" (zero format and size), as the uAPI asks.
 *
 * Return: 0, -EAGAIN when the plane kept changing while read, or a
 * negative errno.
 */
long jmgpu_vfio_query_plane(struct jmgpu_vfio *jv, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_gfx_plane_info,
					  region_index);
	struct vfio_device_gfx_plane_info pl;
	u32 a[A_NR];
	u64 base;
	int ret;

	atomic64_inc(&jv->trapped);
	if (copy_from_user(&pl, arg, minsz))
		return -EFAULT;
	if (pl.argsz < minsz)
		return -EINVAL;
	if (!jv->profile || !jv->profile->display_heads)
		return -EINVAL;		/* headless profile: no display */
	if (pl.flags & VFIO_GFX_PLANE_TYPE_PROBE) {
		if (pl.flags == (VFIO_GFX_PLANE_TYPE_PROBE |
				 VFIO_GFX_PLANE_TYPE_REGION))
			return 0;
		return -EINVAL;
	}
	if (pl.flags != VFIO_GFX_PLANE_TYPE_REGION)
		return -EINVAL;

	pl.drm_format = 0;
	pl.drm_format_mod = 0;
	pl.width = 0;
	pl.height = 0;
	pl.stride = 0;
	pl.size = 0;
	pl.x_pos = 0;
	pl.y_pos = 0;
	pl.x_hot = 0xffffffff;
	pl.y_hot = 0xffffffff;
	mutex_lock(&jv->plane_lock);
	pl.region_index = jv->flip[jv->plane_cur < 0 ? 0 : jv->plane_cur].index;
	mutex_unlock(&jv->plane_lock);
	/*
	 * QEMU's region display asks with drm_plane_type 0 (it sets the
	 * type only for dma-buf planes): anything but the cursor is the
	 * one primary plane.
	 */
	if (pl.drm_plane_type == JMGPU_DRM_PLANE_TYPE_CURSOR)
		goto out;		/* no cursor plane */

	ret = jmgpu_read_active(jv, a);
	if (ret)
		return ret;
	base = (u64)a[A_HI] << 32 | a[A_LO];
	if (!(a[A_EN] & 1) || !jmgpu_plane_ok(jv, a, base))
		goto out;
	mutex_lock(&jv->plane_lock);
	pl.region_index = jmgpu_plane_bind(jv, base);
	mutex_unlock(&jv->plane_lock);
	pl.drm_format = a[A_FMT];
	pl.width = a[A_W];
	pl.height = a[A_H];
	pl.stride = a[A_STRIDE];
	pl.size = a[A_STRIDE] * a[A_H];
out:
	return copy_to_user(arg, &pl, minsz) ? -EFAULT : 0;
}

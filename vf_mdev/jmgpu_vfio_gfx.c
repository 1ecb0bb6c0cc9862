// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu VF variant driver: mediated display extras.
 *
 * - VFIO EDID region (VFIO_REGION_TYPE_GFX / VFIO_REGION_SUBTYPE_GFX_EDID):
 *   userspace (QEMU) sets the virtual monitor's EDID; the resolution limits
 *   it reads (max_xres/max_yres) are the vGPU profile's.
 * - VFIO_DEVICE_QUERY_GFX_PLANE, region flavour: the VF's primary plane as
 *   the guest programmed it in the VF scanout registers (read from BAR0 by
 *   this driver), living in BAR2 (the VF's FB slice).
 */
#include <linux/io.h>
#include <linux/pci.h>
#include <linux/uaccess.h>

#include "jmgpu_vfio.h"

/* DRM_PLANE_TYPE_* (include/drm/drm_plane.h), part of the VFIO uAPI */
#define JMGPU_DRM_PLANE_TYPE_PRIMARY	1

#define EDID_BLOCK		128

static const u8 edid_header[8] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0 };

/* Check an EDID base block and take its preferred (first detailed) mode. */
static int jmgpu_edid_parse(struct jmgpu_vfio *jv, u32 *x, u32 *y)
{
	struct jmgpu_vfio_edid *e = &jv->edid;
	const u8 *b = e->blob;
	u8 sum = 0;
	int i;

	if (e->regs.edid_size < EDID_BLOCK) {
		dev_err(jmgpu_vfio_dev(jv), "VF%u EDID: %u bytes, need at least %u\n",
			jv->vf, e->regs.edid_size, EDID_BLOCK);
		return -EINVAL;
	}
	if (memcmp(b, edid_header, sizeof(edid_header))) {
		dev_err(jmgpu_vfio_dev(jv), "VF%u EDID: bad header\n", jv->vf);
		return -EINVAL;
	}
	for (i = 0; i < EDID_BLOCK; i++)
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
		if (val == VFIO_DEVICE_GFX_LINK_STATE_DOWN) {
			r->link_state = val;
			return 0;
		}
		if (val != VFIO_DEVICE_GFX_LINK_STATE_UP) {
			dev_err(jmgpu_vfio_dev(jv),
				"VF%u EDID: link_state %u is neither up nor down\n",
				jv->vf, val);
			return -EINVAL;
		}
		ret = jmgpu_edid_parse(jv, &x, &y);
		if (ret)
			return ret;
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

/**
 * jmgpu_vfio_gfx_open - set up the display extras for a new open
 * @jv: VF state, state_lock held, vGPU present, vfio_pci_core_enable() done
 *
 * Maps BAR0 for the host's scanout register reads and, for profiles with a
 * display, registers a fresh EDID region (link down, no EDID).
 *
 * Return: 0 or a negative errno.
 */
int jmgpu_vfio_gfx_open(struct jmgpu_vfio *jv)
{
	const struct jmgpu_profile *p = jv->profile;
	struct jmgpu_vfio_edid *e = &jv->edid;
	int ret;

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

	return vfio_pci_core_register_dev_region(&jv->core,
						 VFIO_REGION_TYPE_GFX,
						 VFIO_REGION_SUBTYPE_GFX_EDID,
						 &jmgpu_edid_regops,
						 JMGPU_EDID_OFFSET +
						 JMGPU_EDID_MAX_SIZE,
						 VFIO_REGION_INFO_FLAG_READ |
						 VFIO_REGION_INFO_FLAG_WRITE,
						 jv);
}

static int jmgpu_scanout_rd(struct jmgpu_vfio *jv, u32 reg, u32 *val)
{
	void __iomem *io = jv->core.barmap[JMGPU_BAR_REGS];

	if (!io)
		return -EIO;
	return vfio_pci_core_ioread32(&jv->core, true, val, io + reg);
}

/**
 * jmgpu_vfio_query_plane - VFIO_DEVICE_QUERY_GFX_PLANE
 * @jv: VF state (device open)
 * @arg: user struct vfio_device_gfx_plane_info
 *
 * Region planes only (no dma-buf): region_index is BAR2. A disabled plane,
 * one the hardware rejected (SCANOUT_STATUS) or one not starting at offset
 * 0 of the slice (the region uAPI has no offset field) is reported as
 * "no plane" (zero format and size), as the uAPI asks.
 *
 * Return: 0 or a negative errno.
 */
long jmgpu_vfio_query_plane(struct jmgpu_vfio *jv, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_gfx_plane_info,
					  region_index);
	struct vfio_device_gfx_plane_info pl;
	u32 en, lo, hi, w, h, stride, fmt, st;
	u64 base, size;
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
	pl.region_index = VFIO_PCI_BAR0_REGION_INDEX + JMGPU_BAR_FB;
	if (pl.drm_plane_type != JMGPU_DRM_PLANE_TYPE_PRIMARY)
		goto out;		/* no cursor plane */

	ret = jmgpu_scanout_rd(jv, JMGPU_VF_SCANOUT_ENABLE, &en);
	ret = ret ?: jmgpu_scanout_rd(jv, JMGPU_VF_SCANOUT_STATUS, &st);
	ret = ret ?: jmgpu_scanout_rd(jv, JMGPU_VF_SCANOUT_BASE_LO, &lo);
	ret = ret ?: jmgpu_scanout_rd(jv, JMGPU_VF_SCANOUT_BASE_HI, &hi);
	ret = ret ?: jmgpu_scanout_rd(jv, JMGPU_VF_SCANOUT_WIDTH, &w);
	ret = ret ?: jmgpu_scanout_rd(jv, JMGPU_VF_SCANOUT_HEIGHT, &h);
	ret = ret ?: jmgpu_scanout_rd(jv, JMGPU_VF_SCANOUT_STRIDE, &stride);
	ret = ret ?: jmgpu_scanout_rd(jv, JMGPU_VF_SCANOUT_FORMAT, &fmt);
	if (ret)
		return ret;
	base = (u64)hi << 32 | lo;
	size = PAGE_ALIGN((u64)stride * h);
	if (!(en & 1) || st != JMGPU_SCANOUT_OK || base || !w || !h ||
	    size > jv->profile->fb_size || size > U32_MAX)
		goto out;
	pl.drm_format = fmt;
	pl.width = w;
	pl.height = h;
	pl.stride = stride;
	pl.size = size;
out:
	return copy_to_user(arg, &pl, minsz) ? -EFAULT : 0;
}

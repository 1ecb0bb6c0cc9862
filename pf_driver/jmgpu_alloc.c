// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu PF driver: resource allocators (FB slices, engine weight, codec
 * sessions, display limits). All functions expect cfg_lock held.
 *
 * FB: a bitmap with one bit per granule. Placement is best-fit over the
 * free extents, preferring a start aligned to the slice size (rounded down
 * to a power of two) inside the chosen extent, so small slices fill small
 * holes and big aligned holes stay whole for big slices.
 */
#include <linux/bitmap.h>
#include <linux/log2.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "jmgpu_pf.h"

int jmgpu_alloc_init(struct jmgpu_pf *pf)
{
	pf->fb_bits = pf->fb_size / pf->granule;
	pf->fb_map = bitmap_zalloc(pf->fb_bits, GFP_KERNEL);
	if (!pf->fb_map)
		return -ENOMEM;
	/* nothing is known clean until the firmware says so */
	pf->fb_dirty = bitmap_alloc(pf->fb_bits, GFP_KERNEL);
	if (!pf->fb_dirty) {
		bitmap_free(pf->fb_map);
		pf->fb_map = NULL;
		return -ENOMEM;
	}
	bitmap_fill(pf->fb_dirty, pf->fb_bits);
	pf->weight_used = 0;
	pf->codec_used = 0;
	return 0;
}

void jmgpu_alloc_fini(struct jmgpu_pf *pf)
{
	bitmap_free(pf->fb_dirty);
	pf->fb_dirty = NULL;
	bitmap_free(pf->fb_map);
	pf->fb_map = NULL;
}

/* Record VRAM range @off+@size as given to a tenant (@dirty) or scrubbed. */
void jmgpu_fb_set_dirty(struct jmgpu_pf *pf, u64 off, u64 size, bool dirty)
{
	if (dirty)
		bitmap_set(pf->fb_dirty, off / pf->granule, size / pf->granule);
	else
		bitmap_clear(pf->fb_dirty, off / pf->granule,
			     size / pf->granule);
}

/**
 * jmgpu_fb_make_clean - scrub what is not known clean in a VRAM range
 * @pf: the PF, cfg_lock held
 * @off: granule-aligned offset
 * @size: granule-aligned size; no provisioned slice in the range
 *
 * Every dirty extent of the range goes through FB_SCRUB; its bits are
 * cleared only when the firmware confirms.
 *
 * Return: 0, or the FB_SCRUB error (the range stays dirty).
 */
int jmgpu_fb_make_clean(struct jmgpu_pf *pf, u64 off, u64 size)
{
	unsigned int first = off / pf->granule;
	unsigned int last = first + size / pf->granule;
	unsigned int start, end;
	int ret;

	for (start = find_next_bit(pf->fb_dirty, last, first); start < last;
	     start = find_next_bit(pf->fb_dirty, last, end)) {
		end = find_next_zero_bit(pf->fb_dirty, last, start);
		ret = jmgpu_fw_fb_scrub(pf, (u64)start * pf->granule,
					(u64)(end - start) * pf->granule);
		if (ret) {
			dev_err(jmgpu_dev(pf),
				"FB_SCRUB of fb 0x%llx+0x%llx failed: %d\n",
				(u64)start * pf->granule,
				(u64)(end - start) * pf->granule, ret);
			return ret;
		}
		bitmap_clear(pf->fb_dirty, start, end - start);
	}
	return 0;
}

/**
 * jmgpu_fb_probe_scrub - learn which VRAM is clean, scrub the rest
 * @pf: the PF; probe, nothing provisioned by this driver yet
 *
 * A previous driver (or this one before a rebind, a PF FLR or a firmware
 * reset) may have released slices without a scrub: whatever the
 * firmware's clean map does not report clean is scrubbed now, before any
 * of it can be provisioned. Every failure names the mailbox call.
 *
 * Return: 0 or the mailbox error.
 */
int jmgpu_fb_probe_scrub(struct jmgpu_pf *pf)
{
	struct device *dev = jmgpu_dev(pf);
	struct jmgpu_clean_map *m;
	u32 first, i, n;
	int ret = 0;

	m = kmalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	for (first = 0; first < pf->fb_bits; first += n) {
		n = min_t(u32, pf->fb_bits - first, JMGPU_CLEAN_MAP_GRANULES);
		ret = jmgpu_fw_clean_map(pf, first, n, m);
		if (ret) {
			dev_err(dev, "probe: firmware clean map (FB_CLEAN_MAP) failed: %d\n",
				ret);
			goto out;
		}
		for (i = 0; i < n; i++)
			if (jmgpu_clean_map_test(m, i))
				clear_bit(first + i, pf->fb_dirty);
	}
	n = bitmap_weight(pf->fb_dirty, pf->fb_bits);
	if (!n)
		goto out;
	dev_info(dev, "%u MiB of VRAM not reported clean: scrubbing\n",
		 (u32)(((u64)n * pf->granule) >> 20));
	ret = jmgpu_fb_make_clean(pf, 0, pf->fb_size);
	if (ret)
		dev_err(dev, "probe: VRAM scrub (FB_SCRUB) failed: %d\n", ret);
out:
	kfree(m);
	return ret;
}

u64 jmgpu_fb_free(struct jmgpu_pf *pf)
{
	return (u64)(pf->fb_bits - bitmap_weight(pf->fb_map, pf->fb_bits)) *
	       pf->granule;
}

u64 jmgpu_fb_largest_free(struct jmgpu_pf *pf)
{
	unsigned int start, end, best = 0;

	for (start = find_first_zero_bit(pf->fb_map, pf->fb_bits);
	     start < pf->fb_bits;
	     start = find_next_zero_bit(pf->fb_map, pf->fb_bits, end)) {
		end = find_next_bit(pf->fb_map, pf->fb_bits, start);
		best = max(best, end - start);
	}
	return min_t(u64, (u64)best * pf->granule, pf->vf_aperture);
}

/* Best-fit placement of @n granules; returns the first bit or -ENOSPC. */
static int jmgpu_fb_place(struct jmgpu_pf *pf, unsigned int n)
{
	unsigned int align = rounddown_pow_of_two(n);
	unsigned int start, end, len, pos;
	unsigned int best_len = UINT_MAX, best_pos = 0;
	bool best_aligned = false, found = false;

	for (start = find_first_zero_bit(pf->fb_map, pf->fb_bits);
	     start < pf->fb_bits;
	     start = find_next_zero_bit(pf->fb_map, pf->fb_bits, end)) {
		bool aligned;

		end = find_next_bit(pf->fb_map, pf->fb_bits, start);
		len = end - start;
		if (len < n)
			continue;
		pos = round_up(start, align);
		aligned = pos + n <= end;
		if (!aligned)
			pos = start;
		/* aligned beats unaligned, then the smallest hole wins */
		if (!found || (aligned && !best_aligned) ||
		    (aligned == best_aligned && len < best_len)) {
			found = true;
			best_aligned = aligned;
			best_len = len;
			best_pos = pos;
		}
	}
	return found ? best_pos : -ENOSPC;
}

/**
 * jmgpu_check_profile - can this device ever give a VF @p
 * @pf: the PF
 * @p: resources asked for
 * @verbose: log what is wrong
 *
 * Return: 0 or -EINVAL.
 */
int jmgpu_check_profile(struct jmgpu_pf *pf, const struct jmgpu_profile *p,
			bool verbose)
{
	struct jmgpu_vf_config c = {
		.vf = 0,
		.engine_weight = cpu_to_le32(p->engine_weight),
		.fb_size = cpu_to_le64(p->fb_size),
		.codec_sessions = cpu_to_le32(p->codec_sessions),
		.display_heads = cpu_to_le16(p->display_heads),
		.max_width = cpu_to_le32(p->max_width),
		.max_height = cpu_to_le32(p->max_height),
	};

	if (jmgpu_check_vf_config(&c, &pf->caps, 1) == JMGPU_STATUS_OK)
		return 0;
	if (verbose)
		dev_info(jmgpu_dev(pf),
			 "profile %s not supported by this device (fb %llu MiB of max %llu MiB in %u KiB granules, weight %u of 1..%u, codec %u of %u, heads %u of %u, %ux%u of max %ux%u)\n",
			 p->name ?: "custom", p->fb_size >> 20,
			 pf->vf_aperture >> 20, pf->granule >> 10,
			 p->engine_weight, pf->max_weight, p->codec_sessions,
			 pf->codec_total, p->display_heads,
			 le32_to_cpu(pf->caps.display_heads), p->max_width,
			 p->max_height, le32_to_cpu(pf->caps.max_width),
			 le32_to_cpu(pf->caps.max_height));
	return -EINVAL;
}

/* 1 if @p can be provisioned now, 0 if not (resources), -EINVAL if never */
int jmgpu_profile_fits_locked(struct jmgpu_pf *pf,
			      const struct jmgpu_profile *p)
{
	int ret = jmgpu_check_profile(pf, p, false);

	if (ret)
		return ret;
	if (p->engine_weight > pf->max_weight - pf->weight_used ||
	    p->codec_sessions > pf->codec_total - pf->codec_used)
		return 0;
	return jmgpu_fb_place(pf, p->fb_size / pf->granule) >= 0;
}

/**
 * jmgpu_alloc_vf - reserve the resources of @p for VF @vf
 * @pf: the PF
 * @vf: VF index, not provisioned
 * @p: resources
 * @name: profile name to record
 *
 * Return: 0, -EINVAL (profile invalid for the device) or -ENOSPC with a
 * dmesg line naming the resource that ran out.
 */
int jmgpu_alloc_vf(struct jmgpu_pf *pf, u32 vf, const struct jmgpu_profile *p,
		   const char *name)
{
	struct jmgpu_vf *v = &pf->vf[vf];
	unsigned int n;
	int pos, ret;

	ret = jmgpu_check_profile(pf, p, true);
	if (ret)
		return ret;
	if (p->engine_weight > pf->max_weight - pf->weight_used) {
		dev_warn(jmgpu_dev(pf),
			 "vf%u: out of engine share: %s needs weight %u, %u of %u free\n",
			 vf, name, p->engine_weight,
			 pf->max_weight - pf->weight_used, pf->max_weight);
		return -ENOSPC;
	}
	if (p->codec_sessions > pf->codec_total - pf->codec_used) {
		dev_warn(jmgpu_dev(pf),
			 "vf%u: out of codec sessions: %s needs %u, %u of %u free\n",
			 vf, name, p->codec_sessions,
			 pf->codec_total - pf->codec_used, pf->codec_total);
		return -ENOSPC;
	}
	n = p->fb_size / pf->granule;
	pos = jmgpu_fb_place(pf, n);
	if (pos < 0) {
		dev_warn(jmgpu_dev(pf),
			 "vf%u: out of framebuffer: %s needs %llu MiB, %llu MiB free, largest hole %llu MiB\n",
			 vf, name, p->fb_size >> 20, jmgpu_fb_free(pf) >> 20,
			 jmgpu_fb_largest_free(pf) >> 20);
		return -ENOSPC;
	}
	bitmap_set(pf->fb_map, pos, n);
	pf->weight_used += p->engine_weight;
	pf->codec_used += p->codec_sessions;

	memset(&v->fw, 0, sizeof(v->fw));
	strscpy(v->name, name, sizeof(v->name));
	v->fw.provisioned = true;
	v->fw.profile = *p;
	v->fw.profile.name = v->name;
	v->fw.profile.description = NULL;
	v->fw.fb_offset = (u64)pos * pf->granule;
	v->fw.msix_count = v->msix_count;
	return 0;
}

/* Give the resources of VF @vf back (driver side only). */
void jmgpu_free_vf(struct jmgpu_pf *pf, u32 vf)
{
	struct jmgpu_vf *v = &pf->vf[vf];

	if (!v->fw.provisioned)
		return;
	bitmap_clear(pf->fb_map, v->fw.fb_offset / pf->granule,
		     v->fw.profile.fb_size / pf->granule);
	pf->weight_used -= v->fw.profile.engine_weight;
	pf->codec_used -= v->fw.profile.codec_sessions;
	memset(&v->fw, 0, sizeof(v->fw));
	v->owner = JMGPU_OWNER_NONE;
	v->scrub_on_flr = false;
	v->name[0] = '\0';
	/* the firmware's VF_UNPROVISION disconnects the monitor */
	v->monitor_link = false;
	v->monitor_size = 0;
	memset(v->monitor_edid, 0, sizeof(v->monitor_edid));
}

/**
 * jmgpu_equal_profile - the "equal" auto-provisioning profile for @n VFs
 * @pf: the PF
 * @n: number of VFs sharing the device
 * @p: filled in; p->name is "equal"
 *
 * FB, engine weight and codec sessions split evenly (FB rounded down to the
 * granule and capped at the VF aperture), one display head at the largest
 * resolution.
 *
 * Return: 0, or -ENOSPC when the device cannot be split @n ways.
 */
int jmgpu_equal_profile(struct jmgpu_pf *pf, u32 n, struct jmgpu_profile *p)
{
	u64 fb;

	if (!n)
		return -EINVAL;
	fb = div_u64(pf->fb_size, n);
	fb = min(fb - fb % pf->granule, pf->vf_aperture);
	memset(p, 0, sizeof(*p));
	p->name = "equal";
	p->fb_size = fb;
	p->engine_weight = pf->max_weight / n;
	p->codec_sessions = pf->codec_total / n;
	if (le32_to_cpu(pf->caps.display_heads)) {
		p->display_heads = 1;
		p->max_width = le32_to_cpu(pf->caps.max_width);
		p->max_height = le32_to_cpu(pf->caps.max_height);
	}
	if (!fb || !p->engine_weight) {
		dev_warn(jmgpu_dev(pf),
			 "equal split: %u VFs do not fit (%llu MiB FB, weight %u)\n",
			 n, pf->fb_size >> 20, pf->max_weight);
		return -ENOSPC;
	}
	return 0;
}

/* debugfs alloc_map: who owns which part of every resource. */
void jmgpu_alloc_show(struct jmgpu_pf *pf, struct seq_file *m)
{
	unsigned int start, end, i;

	seq_printf(m, "fb_size 0x%llx granule 0x%x free 0x%llx largest_free 0x%llx\n",
		   pf->fb_size, pf->granule, jmgpu_fb_free(pf),
		   jmgpu_fb_largest_free(pf));
	seq_printf(m, "weight used %u of %u\ncodec used %u of %u\n",
		   pf->weight_used, pf->max_weight, pf->codec_used,
		   pf->codec_total);
	seq_puts(m, "# vf fb_offset fb_size weight codec heads max_w max_h profile\n");
	for (i = 0; i < pf->num_vfs; i++) {
		const struct jmgpu_pf_vf_info *c = &pf->vf[i].fw;

		if (!c->provisioned)
			continue;
		seq_printf(m, "vf%u 0x%llx 0x%llx %u %u %u %u %u %s\n", i,
			   c->fb_offset, c->profile.fb_size,
			   c->profile.engine_weight, c->profile.codec_sessions,
			   c->profile.display_heads, c->profile.max_width,
			   c->profile.max_height, pf->vf[i].name);
	}
	seq_printf(m, "dirty 0x%llx\n",
		   (u64)bitmap_weight(pf->fb_dirty, pf->fb_bits) * pf->granule);
	seq_puts(m, "# free fb extents: offset size\n");
	for (start = find_first_zero_bit(pf->fb_map, pf->fb_bits);
	     start < pf->fb_bits;
	     start = find_next_zero_bit(pf->fb_map, pf->fb_bits, end)) {
		end = find_next_bit(pf->fb_map, pf->fb_bits, start);
		seq_printf(m, "free 0x%llx 0x%llx\n", (u64)start * pf->granule,
			   (u64)(end - start) * pf->granule);
	}
}

// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu VF variant driver: the vGPU's own virtual monitor.
 *
 * QEMU's vfio region display (the only one a jmgpu vGPU has) never writes
 * the VFIO EDID region, so the guest would see no monitor. As a physical
 * GPU has a monitor plugged in by whoever sets up the desk, a vGPU gets
 * one from the operator: /sys/bus/mdev/devices/<uuid>/jmgpu/monitor,
 * "WxH" or "none", 1024x768 (within the profile) when the vGPU is created.
 *
 * The driver builds an EDID 1.4 base block for the mode and hands it to
 * the firmware (jmgpu_pf_vf_set_display()) when the VF is opened, and at
 * once when the attribute is written while the VF is open: the firmware
 * shows it in the VF's EDID window and raises the VF's display interrupt
 * on a change. The EDID region shows the same monitor (link up, the
 * blob), so a VMM reading it sees what the guest sees.
 *
 * A VMM that writes the EDID region's link_state (a QEMU with an EDID of
 * its own) owns the monitor from then until the last close: writes of the
 * attribute are only recorded then, and apply at the next open. The last
 * close disconnects the monitor, whoever set it (jmgpu_vfio_gfx_close()).
 */
#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "jmgpu_vfio.h"

#define JMGPU_MONITOR_DEF_W	1024U
#define JMGPU_MONITOR_DEF_H	768U

/*
 * The preferred timing: CVT reduced-blanking style horizontal blanking
 * (front porch, sync, back porch in pixels), at least 460 us of vertical
 * blanking at 60 Hz with a 3 line front porch, a 5 line sync and at least
 * 6 lines of back porch; positive hsync, negative vsync. Modes whose
 * pixel clock at 60 Hz passes what a detailed timing holds (655.35 MHz)
 * get the highest refresh rate that fits.
 */
#define DTD_HFP			48
#define DTD_HSYNC		32
#define DTD_HBLANK		160
#define DTD_VFP			3
#define DTD_VSYNC		5
#define DTD_VBLANK_MIN		14
#define DTD_VBLANK_US		460
#define DTD_REFRESH_HZ		60
#define DTD_CLOCK_UNIT		10000		/* Hz: pixel clock unit */
#define DTD_CLOCK_MAX		(65535ULL * DTD_CLOCK_UNIT)

/* EDID base block layout (VESA E-EDID 1.4) */
#define EDID_MFG		8	/* big-endian, 3 letters of 5 bits */
#define EDID_PRODUCT		10	/* little-endian */
#define EDID_SERIAL		12	/* little-endian */
#define EDID_WEEK		16
#define EDID_YEAR		17	/* year - 1990 */
#define EDID_VERSION		18
#define EDID_REVISION		19
#define EDID_INPUT		20
#define EDID_WIDTH_CM		21
#define EDID_HEIGHT_CM		22
#define EDID_GAMMA		23
#define EDID_FEATURES		24
#define EDID_CHROMA		25
#define EDID_STD_TIMINGS	38
#define EDID_DESC(n)		(54 + 18 * (n))
#define EDID_DESC_LEN		18
#define EDID_EXTENSIONS		126
#define EDID_CHECKSUM		127

#define EDID_INPUT_DIGITAL_8BPC	0xa0	/* digital, 8 bits per colour */
#define EDID_GAMMA_2_2		120	/* (gamma - 1) * 100 */
#define EDID_FEAT_SRGB		0x04	/* sRGB is the default colour space */
#define EDID_FEAT_PREFERRED	0x02	/* descriptor 1: native mode */
#define EDID_TAG_NAME		0xfc
#define EDID_TAG_DUMMY		0x10
#define DTD_FLAGS_DIGITAL_SEP	0x18	/* digital separate sync */
#define DTD_FLAGS_HSYNC_POS	0x02

#define JMGPU_EDID_MFG		"JMG"
#define JMGPU_EDID_PRODUCT	0x0001
#define JMGPU_EDID_MODEL_YEAR	2026
#define JMGPU_EDID_NAME		"jmgpu vGPU"	/* up to 13 characters */

/* sRGB primaries (red, green, blue) and D65 white, x and y in 1/10000 */
static const u16 jmgpu_srgb_xy[8] = {
	6400, 3300, 3000, 6000, 1500, 600, 3127, 3290,
};

static void put_le16(u8 *p, u16 v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

/* 12-bit values split as a detailed timing stores them: low byte, nibble */
static void dtd_put12(u8 *lo_a, u8 *lo_b, u8 *hi, u32 a, u32 b)
{
	*lo_a = a & 0xff;
	*lo_b = b & 0xff;
	*hi = ((a >> 8) & 0xf) << 4 | ((b >> 8) & 0xf);
}

/* Descriptor 1: the preferred timing, @w x @h (both 1..JMGPU_EDID_DTD_MAX). */
static void jmgpu_edid_timing(u8 *d, u32 w, u32 h, u32 w_mm, u32 h_mm)
{
	u32 vblank, refresh = DTD_REFRESH_HZ;
	u64 total, clock;

	/* lines of 460 us at 60 Hz: h * 460 / (1000000 / 60 - 460) */
	vblank = DIV_ROUND_UP(h * DTD_VBLANK_US * DTD_REFRESH_HZ,
			      1000000 - DTD_VBLANK_US * DTD_REFRESH_HZ);
	vblank = max_t(u32, vblank, DTD_VBLANK_MIN);	/* back porch >= 6 */
	total = (u64)(w + DTD_HBLANK) * (h + vblank);
	if (total * refresh > DTD_CLOCK_MAX)
		refresh = div64_u64(DTD_CLOCK_MAX, total);
	clock = DIV_ROUND_UP_ULL(total * refresh, DTD_CLOCK_UNIT);

	memset(d, 0, EDID_DESC_LEN);
	put_le16(d, clock);
	dtd_put12(&d[2], &d[3], &d[4], w, DTD_HBLANK);
	dtd_put12(&d[5], &d[6], &d[7], h, vblank);
	d[8] = DTD_HFP;
	d[9] = DTD_HSYNC;
	d[10] = (DTD_VFP & 0xf) << 4 | (DTD_VSYNC & 0xf);
	d[11] = 0;	/* porch and sync widths all fit their low bits */
	dtd_put12(&d[12], &d[13], &d[14], w_mm, h_mm);
	d[17] = DTD_FLAGS_DIGITAL_SEP | DTD_FLAGS_HSYNC_POS;
}

/* A display descriptor (tag @tag) with text @s, 0x0a-ended, space-padded. */
static void jmgpu_edid_text(u8 *d, u8 tag, const char *s)
{
	size_t n = min_t(size_t, strlen(s), 13);

	memset(d, 0, EDID_DESC_LEN);
	d[3] = tag;
	memcpy(&d[5], s, n);
	if (n < 13) {
		d[5 + n] = 0x0a;
		memset(&d[6 + n], ' ', 12 - n);
	}
}

/**
 * jmgpu_vfio_edid_build - an EDID 1.4 base block for a monitor of one mode
 * @edid: JMGPU_EDID_BLOCK bytes to fill
 * @w: preferred width, 1..JMGPU_EDID_DTD_MAX
 * @h: preferred height, 1..JMGPU_EDID_DTD_MAX
 * @serial: the monitor's serial number (not 0)
 *
 * Digital input, 8 bits per colour, sRGB, a physical size of 96 dots per
 * inch, no established or standard timings, one detailed timing (the
 * preferred mode: @w x @h at 60 Hz, or less when its pixel clock would
 * not fit), the monitor name "jmgpu vGPU", no extensions, checksum.
 */
void jmgpu_vfio_edid_build(u8 *edid, u32 w, u32 h, u32 serial)
{
	static const char mfg[] = JMGPU_EDID_MFG;
	u32 w_mm = DIV_ROUND_CLOSEST(w * 254, 960);
	u32 h_mm = DIV_ROUND_CLOSEST(h * 254, 960);
	u16 id = 0, v;
	u8 sum = 0;
	int i;

	memset(edid, 0, JMGPU_EDID_BLOCK);
	memset(&edid[1], 0xff, 6);	/* header 00 ff ff ff ff ff ff 00 */
	for (i = 0; i < 3; i++)
		id = id << 5 | ((mfg[i] - 'A' + 1) & 0x1f);
	edid[EDID_MFG] = id >> 8;
	edid[EDID_MFG + 1] = id & 0xff;
	put_le16(&edid[EDID_PRODUCT], JMGPU_EDID_PRODUCT);
	put_le16(&edid[EDID_SERIAL], serial & 0xffff);
	put_le16(&edid[EDID_SERIAL + 2], serial >> 16);
	edid[EDID_WEEK] = 0xff;		/* the year is a model year */
	edid[EDID_YEAR] = JMGPU_EDID_MODEL_YEAR - 1990;
	edid[EDID_VERSION] = 1;
	edid[EDID_REVISION] = 4;
	edid[EDID_INPUT] = EDID_INPUT_DIGITAL_8BPC;
	edid[EDID_WIDTH_CM] = max_t(u32, DIV_ROUND_CLOSEST(w_mm, 10), 1);
	edid[EDID_HEIGHT_CM] = max_t(u32, DIV_ROUND_CLOSEST(h_mm, 10), 1);
	edid[EDID_GAMMA] = EDID_GAMMA_2_2;
	edid[EDID_FEATURES] = EDID_FEAT_SRGB | EDID_FEAT_PREFERRED;
	/* 10-bit chromaticity: the low 2 bits packed in 2 bytes, then 8 */
	for (i = 0; i < ARRAY_SIZE(jmgpu_srgb_xy); i++) {
		v = DIV_ROUND_CLOSEST(jmgpu_srgb_xy[i] * 1024, 10000);
		edid[EDID_CHROMA + i / 4] |= (v & 3) << (6 - 2 * (i % 4));
		edid[EDID_CHROMA + 2 + i] = v >> 2;
	}
	memset(&edid[EDID_STD_TIMINGS], 0x01, 16);	/* 8 unused */
	jmgpu_edid_timing(&edid[EDID_DESC(0)], w, h, w_mm, h_mm);
	jmgpu_edid_text(&edid[EDID_DESC(1)], EDID_TAG_NAME, JMGPU_EDID_NAME);
	edid[EDID_DESC(2) + 3] = EDID_TAG_DUMMY;
	edid[EDID_DESC(3) + 3] = EDID_TAG_DUMMY;
	edid[EDID_EXTENSIONS] = 0;
	for (i = 0; i < EDID_CHECKSUM; i++)
		sum += edid[i];
	edid[EDID_CHECKSUM] = -sum;
}

/*
 * Show the host's monitor to the firmware and in the EDID region: its
 * EDID with link up, or link down for "none". The region and the
 * firmware change together, or not at all.
 */
static int jmgpu_monitor_apply_locked(struct jmgpu_vfio *jv)
{
	struct jmgpu_vfio_monitor *m = &jv->monitor;
	struct jmgpu_vfio_edid *e = &jv->edid;
	u8 edid[JMGPU_EDID_BLOCK];
	u32 x, y;
	int ret;

	lockdep_assert_held(&jv->gfx_lock);
	if (!m->width) {
		if (e->fw_link) {
			ret = jmgpu_pf_vf_set_display(jv->pf, jv->vf, false,
						      NULL, 0);
			if (ret)
				return ret;
		}
		e->fw_link = false;
		e->regs.link_state = VFIO_DEVICE_GFX_LINK_STATE_DOWN;
		e->regs.edid_size = 0;
		memset(e->blob, 0, sizeof(e->blob));
		return 0;
	}
	jmgpu_vfio_edid_build(edid, m->width, m->height, jv->vf + 1);
	/* what a VMM would have to write passes the region's own check */
	ret = jmgpu_vfio_edid_parse(jv, edid, sizeof(edid), &x, &y);
	if (ret)
		return ret;
	ret = jmgpu_pf_vf_set_display(jv->pf, jv->vf, true, edid,
				      sizeof(edid));
	if (ret)
		return ret;
	memset(e->blob, 0, sizeof(e->blob));
	memcpy(e->blob, edid, sizeof(edid));
	e->regs.edid_size = sizeof(edid);
	e->regs.link_state = VFIO_DEVICE_GFX_LINK_STATE_UP;
	e->fw_link = true;
	WRITE_ONCE(e->mode_x, x);
	WRITE_ONCE(e->mode_y, y);
	return 0;
}

/**
 * jmgpu_vfio_monitor_init - the monitor of a new vGPU
 * @jv: VF state, state_lock held, the VF not open
 * @p: the vGPU's profile
 *
 * 1024x768 within the profile's maximum resolution; none for a headless
 * profile.
 */
void jmgpu_vfio_monitor_init(struct jmgpu_vfio *jv,
			     const struct jmgpu_profile *p)
{
	struct jmgpu_vfio_monitor *m = &jv->monitor;

	lockdep_assert_held(&jv->state_lock);
	mutex_lock(&jv->gfx_lock);
	memset(m, 0, sizeof(*m));
	if (p->display_heads) {
		m->max_width = p->max_width;
		m->max_height = p->max_height;
		m->width = min3(JMGPU_MONITOR_DEF_W, p->max_width,
				JMGPU_EDID_DTD_MAX);
		m->height = min3(JMGPU_MONITOR_DEF_H, p->max_height,
				 JMGPU_EDID_DTD_MAX);
		if (!m->width || !m->height) {
			m->width = 0;
			m->height = 0;
		}
	}
	mutex_unlock(&jv->gfx_lock);
}

/**
 * jmgpu_vfio_monitor_open_locked - connect the host's monitor at open
 * @jv: VF state, gfx_lock held, EDID region freshly set up (link down)
 *
 * A refusal leaves the VF without a monitor (logged): the open goes on,
 * the guest's driver falls back to a mode of its own.
 */
void jmgpu_vfio_monitor_open_locked(struct jmgpu_vfio *jv)
{
	struct jmgpu_vfio_monitor *m = &jv->monitor;
	int ret;

	lockdep_assert_held(&jv->gfx_lock);
	m->live = true;
	m->vmm = false;
	m->vmm_noted = false;
	ret = jmgpu_monitor_apply_locked(jv);
	if (ret)
		dev_warn(jmgpu_vfio_dev(jv),
			 "VF%u: monitor %ux%u not connected at open (%d): the guest starts without one\n",
			 jv->vf, m->width, m->height, ret);
}

/**
 * jmgpu_vfio_monitor_vmm_locked - the VMM wrote the EDID region's link
 * @jv: VF state, gfx_lock held, VF open
 *
 * From now until the last close the VMM's EDID region decides the
 * monitor; jmgpu/monitor writes are recorded for the next open.
 */
void jmgpu_vfio_monitor_vmm_locked(struct jmgpu_vfio *jv)
{
	lockdep_assert_held(&jv->gfx_lock);
	jv->monitor.vmm = true;
}

/**
 * jmgpu_vfio_monitor_close_locked - the VF's last close
 * @jv: VF state, gfx_lock held
 *
 * The monitor itself is disconnected by jmgpu_vfio_gfx_close(); from now
 * on writes are recorded only, and the VMM's ownership ends.
 */
void jmgpu_vfio_monitor_close_locked(struct jmgpu_vfio *jv)
{
	lockdep_assert_held(&jv->gfx_lock);
	jv->monitor.live = false;
	jv->monitor.vmm = false;
}

/* ---- /sys/bus/mdev/devices/<uuid>/jmgpu/monitor ---- */

static ssize_t monitor_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct jmgpu_vfio *jv = dev_get_drvdata(dev);
	u32 w, h;

	mutex_lock(&jv->gfx_lock);
	w = jv->monitor.width;
	h = jv->monitor.height;
	mutex_unlock(&jv->gfx_lock);
	if (!w)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "%ux%u\n", w, h);
}

/* "WxH": decimal digits, 'x', decimal digits; 0 or -EINVAL */
static int jmgpu_monitor_parse(const char *s, size_t len, u32 *w, u32 *h)
{
	char tmp[24], *x;

	if (len && s[len - 1] == '\n')
		len--;
	if (!len || len >= sizeof(tmp) || strspn(s, "0123456789x") != len)
		return -EINVAL;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	x = strchr(tmp, 'x');
	if (!x || !isdigit(tmp[0]) || !isdigit(x[1]))
		return -EINVAL;
	*x = '\0';
	if (kstrtou32(tmp, 10, w) || kstrtou32(x + 1, 10, h))
		return -EINVAL;
	return 0;
}

static ssize_t monitor_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t count)
{
	struct jmgpu_vfio *jv = dev_get_drvdata(dev);
	struct jmgpu_vfio_monitor *m = &jv->monitor;
	bool none = sysfs_streq(buf, "none");
	u32 w = 0, h = 0, old_w, old_h;
	int ret = 0;

	if (!none && jmgpu_monitor_parse(buf, count, &w, &h)) {
		dev_warn(dev, "VF%u monitor: '%.*s' refused: write WxH (e.g. 1920x1080) or none\n",
			 jv->vf, (int)min_t(size_t, strcspn(buf, "\n"), 32),
			 buf);
		return -EINVAL;
	}

	mutex_lock(&jv->gfx_lock);
	if (!none && !m->max_width) {
		dev_warn(dev, "VF%u monitor: %ux%u refused: the vGPU's profile is headless (no display heads), only none\n",
			 jv->vf, w, h);
		ret = -EOPNOTSUPP;
		goto out;
	}
	if (!none && (!w || !h)) {
		dev_warn(dev, "VF%u monitor: %ux%u refused: width and height must both be at least 1\n",
			 jv->vf, w, h);
		ret = -EINVAL;
		goto out;
	}
	if (w > m->max_width || h > m->max_height) {
		dev_warn(dev, "VF%u monitor: %ux%u refused: over the profile's maximum resolution %ux%u\n",
			 jv->vf, w, h, m->max_width, m->max_height);
		ret = -EINVAL;
		goto out;
	}
	if (w > JMGPU_EDID_DTD_MAX || h > JMGPU_EDID_DTD_MAX) {
		dev_warn(dev, "VF%u monitor: %ux%u refused: an EDID detailed timing holds at most %u pixels or lines per side\n",
			 jv->vf, w, h, JMGPU_EDID_DTD_MAX);
		ret = -EINVAL;
		goto out;
	}

	old_w = m->width;
	old_h = m->height;
	m->width = w;
	m->height = h;
	if (!m->live)
		goto out;		/* applied at the next open */
	if (m->vmm) {
		if (!m->vmm_noted)
			dev_info(dev, "VF%u monitor: recorded, not applied: the VMM set the EDID region's link and owns the monitor until the VF closes\n",
				 jv->vf);
		m->vmm_noted = true;
		goto out;
	}
	ret = jmgpu_monitor_apply_locked(jv);
	if (ret) {
		m->width = old_w;
		m->height = old_h;
	}
out:
	mutex_unlock(&jv->gfx_lock);
	return ret ? ret : count;
}

struct device_attribute jmgpu_vfio_dev_attr_monitor =
	__ATTR(monitor, 0644, monitor_show, monitor_store);

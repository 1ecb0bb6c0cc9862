// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu PF driver: a provisioned VF's virtual monitor (firmware
 * VF_SET_DISPLAY, interface 1.3): whether one is connected and its EDID,
 * which the guest reads from the VF's EDID window.
 */
#include <linux/module.h>
#include <linux/slab.h>

#include "jmgpu_fw_validate.h"
#include "jmgpu_pf.h"

static void jmgpu_fill_display(struct jmgpu_vf_display *r, u32 vf, bool link,
			       const u8 *edid, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->vf = cpu_to_le32(vf);
	r->link = cpu_to_le32(link);
	r->edid_size = cpu_to_le32(len);
	if (len)
		memcpy(r->edid, edid, len);
}

/**
 * jmgpu_fw_vf_restore_display - send a VF's monitor again (recovery)
 * @pf: the PF, cfg_lock held, in recovery
 * @vf: a VF just provisioned again
 *
 * Return: 0 (also when there is no monitor to restore or the firmware
 * has no display command) or the mailbox error.
 */
int jmgpu_fw_vf_restore_display(struct jmgpu_pf *pf, u32 vf)
{
	struct jmgpu_vf *v = &pf->vf[vf];
	struct jmgpu_vf_display *r;
	int ret;

	lockdep_assert_held(&pf->cfg_lock);
	if (!v->monitor_link ||
	    JMGPU_VERSION_MINOR(pf->fw_version) < JMGPU_FW_MINOR_DISPLAY)
		return 0;
	r = kmalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	jmgpu_fill_display(r, vf, true, v->monitor_edid, v->monitor_size);
	ret = jmgpu_mbox_call_recovery(pf, JMGPU_CMD_VF_SET_DISPLAY, r,
				       sizeof(*r), NULL, 0, NULL);
	kfree(r);
	return ret;
}

static const char *jmgpu_display_cause(int err)
{
	switch (err) {
	case -EINVAL:
		return "EDID or link refused as malformed";
	case -EBUSY:
		return "VF not provisioned or without display heads";
	case -ENXIO:
		return "VF not enabled in the firmware";
	case -EOPNOTSUPP:
		return "command unknown to the firmware";
	default:
		return "mailbox failure";
	}
}

/**
 * jmgpu_pf_vf_set_display - connect, change or disconnect a VF's monitor
 * @pf: PF handle
 * @vf: VF index
 * @link: true: a monitor with the EDID @edid is connected; false: none
 * @edid: @len bytes of EDID (base block + extensions), NULL when @len is 0
 * @len: 0 or a multiple of 128 up to JMGPU_VF_EDID_MAX; 0 when !@link
 *
 * The firmware checks every block (header, checksums) and, when link or
 * EDID change, raises the VF's display interrupt. The monitor survives VF
 * resets, FLRs and firmware recoveries (the driver sends it again);
 * unprovisioning disconnects it. Every refusal but
 * -ENXIO/-ENOENT logs one line naming the VF and the cause.
 *
 * Return: 0, -ENXIO (VF not enabled), -ENOENT (not provisioned), -EINVAL
 * (profile without display heads, @len or @link out of range, or the
 * firmware found the EDID malformed), -EOPNOTSUPP (firmware older than
 * interface 1.3), -ENOMEM or a mailbox error.
 */
int jmgpu_pf_vf_set_display(struct jmgpu_pf *pf, unsigned int vf, bool link,
			    const u8 *edid, size_t len)
{
	struct device *dev = jmgpu_dev(pf);
	const char *why = "malformed";
	struct jmgpu_vf_display *r;
	struct jmgpu_vf *v;
	int ret;

	r = kmalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	mutex_lock(&pf->cfg_lock);
	if (vf >= pf->num_vfs) {
		ret = -ENXIO;
		goto out;
	}
	v = &pf->vf[vf];
	if (!v->fw.provisioned) {
		ret = -ENOENT;
		goto out;
	}
	if (!v->fw.profile.display_heads) {
		dev_warn(dev, "vf%u: monitor not set: the VF has no display heads\n",
			 vf);
		ret = -EINVAL;
		goto out;
	}
	if (len > JMGPU_VF_EDID_MAX || (len && !edid)) {
		dev_warn(dev, "vf%u: monitor not set: %zu bytes of EDID (at most %u)\n",
			 vf, len, JMGPU_VF_EDID_MAX);
		ret = -EINVAL;
		goto out;
	}
	jmgpu_fill_display(r, vf, link, edid, len);
	/* the firmware's own rules: refused here, never sent */
	if (jmgpu_check_vf_display(r, pf->num_vfs, &why) != JMGPU_STATUS_OK) {
		dev_warn(dev, "vf%u: monitor not set: %s (link %u, %zu bytes of EDID)\n",
			 vf, why, link, len);
		ret = -EINVAL;
		goto out;
	}
	if (jmgpu_fw_too_old(pf, vf, JMGPU_FW_MINOR_DISPLAY, "monitor not set",
			     "has no display command")) {
		ret = -EOPNOTSUPP;
		goto out;
	}
	ret = jmgpu_mbox_call(pf, JMGPU_CMD_VF_SET_DISPLAY, r, sizeof(*r),
			      NULL, 0, NULL);
	if (ret) {
		dev_warn(dev, "vf%u: firmware refused monitor %s (%zu bytes EDID): %s (%d)\n",
			 vf, link ? "up" : "down", len,
			 jmgpu_display_cause(ret), ret);
		goto out;
	}
	v->monitor_link = link;
	v->monitor_size = len;
	memset(v->monitor_edid, 0, sizeof(v->monitor_edid));
	if (len)
		memcpy(v->monitor_edid, edid, len);
	dev_dbg(dev, "vf%u: monitor %s, %zu bytes EDID\n", vf,
		link ? "up" : "down", len);
out:
	mutex_unlock(&pf->cfg_lock);
	kfree(r);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(jmgpu_pf_vf_set_display, JMGPU);

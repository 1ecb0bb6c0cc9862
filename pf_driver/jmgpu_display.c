// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu PF driver: a provisioned VF's virtual monitor (firmware
 * VF_SET_DISPLAY, interface 1.3): whether one is connected and its EDID,
 * which the guest reads from the VF's EDID window.
 */
#include <linux/module.h>
#include <linux/slab.h>

#include "jmgpu_pf.h"

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
 * resets and FLRs; unprovisioning disconnects it. Every refusal but
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
	struct jmgpu_vf_display *r;
	struct jmgpu_vf *v;
	int ret;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
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
	if (len > JMGPU_VF_EDID_MAX || len % 128 || (!link && len) ||
	    (len && !edid)) {
		dev_warn(dev, "vf%u: monitor not set: link %u with %zu bytes of EDID (0 or n * 128 <= %u, none when down)\n",
			 vf, link, len, JMGPU_VF_EDID_MAX);
		ret = -EINVAL;
		goto out;
	}
	if (JMGPU_VERSION_MINOR(pf->fw_version) < JMGPU_FW_MINOR_DISPLAY) {
		dev_warn(dev,
			 "vf%u: monitor not set: firmware interface %u.%u has no display command (needs %u.%u)\n",
			 vf, JMGPU_VERSION_MAJOR(pf->fw_version),
			 JMGPU_VERSION_MINOR(pf->fw_version),
			 JMGPU_FW_IFACE_MAJOR, JMGPU_FW_MINOR_DISPLAY);
		ret = -EOPNOTSUPP;
		goto out;
	}
	r->vf = cpu_to_le32(vf);
	r->link = cpu_to_le32(link);
	r->edid_size = cpu_to_le32(len);
	if (len)
		memcpy(r->edid, edid, len);
	ret = jmgpu_mbox_call(pf, JMGPU_CMD_VF_SET_DISPLAY, r, sizeof(*r),
			      NULL, 0, NULL);
	if (ret) {
		dev_warn(dev, "vf%u: firmware refused monitor %s (%zu bytes EDID): %s (%d)\n",
			 vf, link ? "up" : "down", len,
			 jmgpu_display_cause(ret), ret);
		goto out;
	}
	dev_dbg(dev, "vf%u: monitor %s, %zu bytes EDID\n", vf,
		link ? "up" : "down", len);
out:
	mutex_unlock(&pf->cfg_lock);
	kfree(r);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(jmgpu_pf_vf_set_display, JMGPU);

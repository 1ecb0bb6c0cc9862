// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu PF driver: a provisioned VF's engine weight, changed at runtime
 * (firmware VF_SET_WEIGHT, interface 1.2).
 *
 * The driver's record of the VF (vf[].fw.profile.engine_weight) holds the
 * weight in force: the free-weight accounting follows it and a recovery
 * re-provisions the VF with it. The profile name stays what the VF was
 * provisioned with; the profile's weight is only the initial weight.
 */
#include <linux/module.h>

#include "jmgpu_pf.h"

static int jmgpu_fw_vf_set_weight(struct jmgpu_pf *pf, u32 vf, u32 weight)
{
	struct jmgpu_vf_weight r = {
		.vf = cpu_to_le32(vf),
		.engine_weight = cpu_to_le32(weight),
	};

	return jmgpu_mbox_call(pf, JMGPU_CMD_VF_SET_WEIGHT, &r, sizeof(r),
			       NULL, 0, NULL);
}

/**
 * jmgpu_pf_vf_set_weight - change a provisioned VF's engine weight
 * @pf: PF handle
 * @vf: VF index
 * @weight: the new weight, 1..(the VF's weight + the PF's free weight)
 *
 * The firmware's scheduler uses the weight from its next decision on. The
 * weight survives VF resets and firmware recovery; unprovisioning ends it.
 * Every refusal but -ENXIO/-ENOENT logs one line saying why.
 *
 * Return: 0, -ENXIO (VF not enabled), -ENOENT (not provisioned), -EINVAL
 * (0 or above the device's max_weight), -ENOSPC (more than the VF's own
 * plus the free weight), -EOPNOTSUPP (firmware older than interface 1.2)
 * or a mailbox error.
 */
int jmgpu_pf_vf_set_weight(struct jmgpu_pf *pf, unsigned int vf, u32 weight)
{
	struct device *dev = jmgpu_dev(pf);
	struct jmgpu_vf *v;
	u32 own, avail;
	int ret = 0;

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
	own = v->fw.profile.engine_weight;
	if (!weight || weight > pf->max_weight) {
		dev_warn(dev, "vf%u: engine weight %u out of range 1..%u\n",
			 vf, weight, pf->max_weight);
		ret = -EINVAL;
		goto out;
	}
	avail = own + pf->max_weight - pf->weight_used;
	if (weight > avail) {
		dev_warn(dev,
			 "vf%u: out of engine share: weight %u asked, %u available (own %u + free %u)\n",
			 vf, weight, avail, own, pf->max_weight - pf->weight_used);
		ret = -ENOSPC;
		goto out;
	}
	if (jmgpu_fw_too_old(pf, vf, JMGPU_FW_MINOR_SET_WEIGHT,
			     "engine weight not changed", "cannot change it")) {
		ret = -EOPNOTSUPP;
		goto out;
	}
	if (weight == own)
		goto out;
	ret = jmgpu_fw_vf_set_weight(pf, vf, weight);
	if (ret) {
		dev_err(dev, "vf%u: firmware refused engine weight %u: %d\n",
			vf, weight, ret);
		goto out;
	}
	pf->weight_used = pf->weight_used - own + weight;
	v->fw.profile.engine_weight = weight;
	dev_info(dev, "vf%u: engine weight %u -> %u\n", vf, own, weight);
out:
	mutex_unlock(&pf->cfg_lock);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(jmgpu_pf_vf_set_weight, JMGPU);

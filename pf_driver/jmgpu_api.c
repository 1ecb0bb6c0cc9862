// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu PF driver: the in-kernel API for the VF driver (jmgpu_pf_api.h),
 * exported in the JMGPU symbol namespace.
 */
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "jmgpu_pf.h"

/**
 * jmgpu_pf_get - find the PF handle of a jmgpu VF
 * @vfdev: a VF of a PF bound to jmgpu_pf
 * @vf: set to the VF index (0-based), may be NULL
 *
 * Uses pci_iov_get_pf_drvdata(): no global state. The handle is valid as
 * long as @vfdev exists (see jmgpu_pf_api.h).
 *
 * Return: the handle, or ERR_PTR(-EINVAL) when @vfdev is not a VF and
 * ERR_PTR(-ENODEV) when its PF is not bound to this driver.
 */
struct jmgpu_pf *jmgpu_pf_get(struct pci_dev *vfdev, unsigned int *vf)
{
	struct jmgpu_pf *pf;
	int id;

	pf = pci_iov_get_pf_drvdata(vfdev, &jmgpu_pf_driver);
	if (IS_ERR(pf))
		return pf;
	id = pci_iov_vf_id(vfdev);
	if (id < 0 || id >= JMGPU_MAX_VFS)
		return ERR_PTR(-EINVAL);
	if (vf)
		*vf = id;
	return pf;
}
EXPORT_SYMBOL_NS_GPL(jmgpu_pf_get, JMGPU);

static void jmgpu_capacity_locked(struct jmgpu_pf *pf,
				  struct jmgpu_pf_capacity *c)
{
	u32 i;

	memset(c, 0, sizeof(*c));
	c->fb_total = pf->fb_size;
	c->fb_free = jmgpu_fb_free(pf);
	c->fb_largest_free = jmgpu_fb_largest_free(pf);
	c->fb_granule = pf->granule;
	c->vf_aperture = pf->vf_aperture;
	c->weight_total = pf->max_weight;
	c->weight_free = pf->max_weight - pf->weight_used;
	c->codec_total = pf->codec_total;
	c->codec_free = pf->codec_total - pf->codec_used;
	c->display_heads = le32_to_cpu(pf->caps.display_heads);
	c->max_width = le32_to_cpu(pf->caps.max_width);
	c->max_height = le32_to_cpu(pf->caps.max_height);
	c->num_vfs = pf->num_vfs;
	c->max_vfs = pf->max_vfs;
	for (i = 0; i < pf->num_vfs; i++)
		c->provisioned += pf->vf[i].fw.provisioned;
}

/**
 * jmgpu_pf_get_capacity - totals and free resources of the PF
 * @pf: PF handle
 * @cap: filled in
 *
 * Return: 0.
 */
int jmgpu_pf_get_capacity(struct jmgpu_pf *pf, struct jmgpu_pf_capacity *cap)
{
	mutex_lock(&pf->cfg_lock);
	jmgpu_capacity_locked(pf, cap);
	mutex_unlock(&pf->cfg_lock);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(jmgpu_pf_get_capacity, JMGPU);

/**
 * jmgpu_pf_profile_fits - could @profile be provisioned on a VF now
 * @pf: PF handle
 * @profile: resources
 *
 * Return: 1 if the free resources suffice, 0 if not, -EINVAL if the device
 * can never provide @profile.
 */
int jmgpu_pf_profile_fits(struct jmgpu_pf *pf,
			  const struct jmgpu_profile *profile)
{
	int ret;

	mutex_lock(&pf->cfg_lock);
	ret = jmgpu_profile_fits_locked(pf, profile);
	mutex_unlock(&pf->cfg_lock);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(jmgpu_pf_profile_fits, JMGPU);

/**
 * jmgpu_pf_vf_provision - give a VF the resources of a profile
 * @pf: PF handle
 * @vf: VF index
 * @profile: resources; @profile->name is recorded (may be NULL: "custom")
 *
 * The VF then counts as in use: SR-IOV cannot be disabled until it is
 * unprovisioned. Out of resources gives -ENOSPC and a dmesg line naming
 * the resource.
 *
 * Return: 0, -ENXIO (VF not enabled), -EBUSY (already provisioned),
 * -EINVAL (not supported by the device), -ENOSPC, or a mailbox error
 * (-ETIMEDOUT, -EPROTO, -EIO while recovering, -ENODEV firmware dead).
 */
int jmgpu_pf_vf_provision(struct jmgpu_pf *pf, unsigned int vf,
			  const struct jmgpu_profile *profile)
{
	int ret;

	if (!profile)
		return -EINVAL;
	mutex_lock(&pf->cfg_lock);
	ret = jmgpu_provision_locked(pf, vf, profile,
				     profile->name ?: "custom",
				     JMGPU_OWNER_API);
	mutex_unlock(&pf->cfg_lock);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(jmgpu_pf_vf_provision, JMGPU);

/**
 * jmgpu_pf_vf_unprovision - take a VF's resources back
 * @pf: PF handle
 * @vf: VF index
 *
 * The firmware scrubs the VF's FB slice. If the mailbox fails, the
 * resources stay reserved until the recovery it triggers has scrubbed them;
 * the call still succeeds.
 *
 * Return: 0, -ENXIO, -ENOENT (not provisioned) or a firmware error.
 */
int jmgpu_pf_vf_unprovision(struct jmgpu_pf *pf, unsigned int vf)
{
	int ret;

	mutex_lock(&pf->cfg_lock);
	ret = jmgpu_unprovision_locked(pf, vf);
	mutex_unlock(&pf->cfg_lock);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(jmgpu_pf_vf_unprovision, JMGPU);

/**
 * jmgpu_pf_vf_reset - functional reset of a VF in the firmware
 * @pf: PF handle
 * @vf: VF index
 *
 * Stops the VF's engine and resets its registers; provisioning and FB
 * content stay. Call after the PCI FLR of the VF.
 *
 * Return: 0, -ENXIO or a mailbox error.
 */
int jmgpu_pf_vf_reset(struct jmgpu_pf *pf, unsigned int vf)
{
	int ret;

	mutex_lock(&pf->cfg_lock);
	if (vf >= pf->num_vfs)
		ret = -ENXIO;
	else
		ret = jmgpu_fw_vf_cmd(pf, JMGPU_CMD_VF_RESET, vf, false);
	mutex_unlock(&pf->cfg_lock);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(jmgpu_pf_vf_reset, JMGPU);

/**
 * jmgpu_pf_vf_get_info - the driver's record of a VF's provisioning
 * @pf: PF handle
 * @vf: VF index
 * @info: filled in; info->profile.name stays valid until the VF is
 *	unprovisioned
 *
 * Return: 0 or -ENXIO.
 */
int jmgpu_pf_vf_get_info(struct jmgpu_pf *pf, unsigned int vf,
			 struct jmgpu_pf_vf_info *info)
{
	int ret = 0;

	mutex_lock(&pf->cfg_lock);
	if (vf >= pf->num_vfs) {
		ret = -ENXIO;
	} else {
		*info = pf->vf[vf].fw;
		info->msix_count = pf->vf[vf].msix_count;
	}
	mutex_unlock(&pf->cfg_lock);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(jmgpu_pf_vf_get_info, JMGPU);

/**
 * jmgpu_pf_vf_get_stats - the last statistics sample of a VF
 * @pf: PF handle
 * @vf: VF index
 * @s: filled in from the cache (never waits for the firmware)
 *
 * Context: any; does not sleep.
 *
 * Return: 0 or -ENXIO.
 */
int jmgpu_pf_vf_get_stats(struct jmgpu_pf *pf, unsigned int vf,
			  struct jmgpu_vf_stats_sample *s)
{
	unsigned long flags;

	if (vf >= JMGPU_MAX_VFS)
		return -ENXIO;
	spin_lock_irqsave(&pf->stats_lock, flags);
	*s = pf->vf[vf].sample;
	s->age_ms = s->valid ?
		    jiffies_to_msecs(jiffies - pf->vf[vf].sample_jiffies) : 0;
	spin_unlock_irqrestore(&pf->stats_lock, flags);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(jmgpu_pf_vf_get_stats, JMGPU);

/**
 * jmgpu_pf_vf_set_busy - mark a VF in use (its device is open)
 * @pf: PF handle
 * @vf: VF index
 * @busy: true on open, false on close
 *
 * While busy, disabling SR-IOV is refused with -EBUSY.
 *
 * Return: 0 or -ENXIO.
 */
int jmgpu_pf_vf_set_busy(struct jmgpu_pf *pf, unsigned int vf, bool busy)
{
	if (vf >= JMGPU_MAX_VFS)
		return -ENXIO;
	mutex_lock(&pf->cfg_lock);
	pf->vf[vf].busy = busy;
	mutex_unlock(&pf->cfg_lock);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(jmgpu_pf_vf_set_busy, JMGPU);

/**
 * jmgpu_pf_register_events - receive a VF's events
 * @pf: PF handle
 * @vf: VF index
 * @fn: callback (see &typedef jmgpu_pf_event_fn)
 * @priv: passed to @fn
 *
 * Return: 0, -ENXIO, -EINVAL, or -EBUSY when a listener is registered.
 */
int jmgpu_pf_register_events(struct jmgpu_pf *pf, unsigned int vf,
			     jmgpu_pf_event_fn fn, void *priv)
{
	int ret = 0;

	if (vf >= JMGPU_MAX_VFS)
		return -ENXIO;
	if (!fn)
		return -EINVAL;
	mutex_lock(&pf->ev_lock);
	if (pf->vf[vf].ev_fn) {
		ret = -EBUSY;
	} else {
		pf->vf[vf].ev_fn = fn;
		pf->vf[vf].ev_priv = priv;
	}
	mutex_unlock(&pf->ev_lock);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(jmgpu_pf_register_events, JMGPU);

/**
 * jmgpu_pf_unregister_events - stop receiving a VF's events
 * @pf: PF handle
 * @vf: VF index
 *
 * On return the callback is not running and will not be called again.
 * Must not be called from the callback.
 */
void jmgpu_pf_unregister_events(struct jmgpu_pf *pf, unsigned int vf)
{
	if (vf >= JMGPU_MAX_VFS)
		return;
	mutex_lock(&pf->ev_lock);
	pf->vf[vf].ev_fn = NULL;
	pf->vf[vf].ev_priv = NULL;
	mutex_unlock(&pf->ev_lock);
}
EXPORT_SYMBOL_NS_GPL(jmgpu_pf_unregister_events, JMGPU);

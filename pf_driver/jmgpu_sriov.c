// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu PF driver: SR-IOV enable/disable, VF contexts, provisioning,
 * auto-provisioning and VF MSI-X counts.
 *
 * The PCI core calls .sriov_configure with the PF's device lock held, and
 * so is .remove: the two never run concurrently. cfg_lock is dropped around
 * pci_enable_sriov()/pci_disable_sriov() because VF drivers probe and remove
 * from inside them and may call the exported API. The per-VF sysfs
 * directories are added and removed outside cfg_lock too: removing one
 * waits for its readers, which take cfg_lock.
 */
#include <linux/module.h>
#include <linux/pci.h>

#include "jmgpu_pf.h"

static const char * const jmgpu_owner_str[] = {
	[JMGPU_OWNER_NONE] = "none",
	[JMGPU_OWNER_AUTO] = "auto",
	[JMGPU_OWNER_API] = "vf driver",
	[JMGPU_OWNER_DEBUGFS] = "debugfs",
};

static bool jmgpu_transport_err(int err)
{
	return err == -EIO || err == -ETIMEDOUT || err == -EPROTO ||
	       err == -ENODEV;
}

/* The pci_dev of VF @vf with a reference, or NULL. */
static struct pci_dev *jmgpu_get_vfdev(struct pci_dev *pdev, u32 vf)
{
	struct pci_dev *d = NULL;

	while ((d = pci_get_device(pdev->vendor, PCI_ANY_ID, d))) {
		if (d->is_virtfn && pci_physfn(d) == pdev &&
		    pci_iov_vf_id(d) == vf)
			return d;
	}
	return NULL;
}

/**
 * jmgpu_vf_in_use - is VF @vf in use (SR-IOV disable must be refused)
 * @pf: the PF, cfg_lock held
 * @vf: VF index
 * @why: set to a description of the use
 *
 * In use: provisioned by the VF driver (API) or via debugfs, marked busy by
 * the VF driver, or bound to a driver that has the function enabled
 * (vfio-pci enables a VF while a user has its device open).
 *
 * Return: true when in use.
 */
bool jmgpu_vf_in_use(struct jmgpu_pf *pf, u32 vf, const char **why)
{
	struct jmgpu_vf *v = &pf->vf[vf];
	struct pci_dev *pdev = pf->pdev, *vfdev;
	bool used = false;

	if (v->busy) {
		*why = "opened through its VF driver";
		return true;
	}
	if (v->fw.provisioned && v->owner != JMGPU_OWNER_AUTO) {
		*why = v->owner == JMGPU_OWNER_API ? "provisioned by its VF driver" :
		       "provisioned via debugfs";
		return true;
	}
	vfdev = jmgpu_get_vfdev(pdev, vf);
	if (!vfdev)
		return false;
	/*
	 * No device_lock here: VF drivers call the API (cfg_lock) with their
	 * device lock held. A racing bind/open is caught by the PCI core.
	 */
	if (READ_ONCE(vfdev->dev.driver) && pci_is_enabled(vfdev)) {
		*why = "bound to a driver that has it open";
		used = true;
	}
	pci_dev_put(vfdev);
	return used;
}

/*
 * A VF provisioned outside the vGPU path (auto_provision, debugfs) goes to
 * users through drivers that give us no open hook (stock vfio-pci): only
 * the FLR they do at every open and last close separates two users, so
 * the firmware must scrub the slice in that FLR (interface 1.1).
 */
static bool jmgpu_wants_flr_scrub(enum jmgpu_owner owner)
{
	return owner == JMGPU_OWNER_AUTO || owner == JMGPU_OWNER_DEBUGFS;
}

/**
 * jmgpu_provision_locked - give VF @vf the resources of @p
 * @pf: the PF, cfg_lock held
 * @vf: VF index
 * @p: resources
 * @name: name recorded for the VF (profile name, "equal", "custom")
 * @owner: who asks
 *
 * Outside the vGPU path (@owner auto or debugfs) the VF is provisioned
 * SCRUB_ON_FLR; a firmware older than interface 1.1 cannot do that, and
 * such a VF is refused rather than handed from user to user unscrubbed.
 *
 * Return: 0, -ENXIO (VF not enabled), -EBUSY (already provisioned),
 * -EINVAL (profile not supported), -ENOSPC (out of resources),
 * -EOPNOTSUPP (no scrub on FLR in the firmware) or a mailbox error.
 */
int jmgpu_provision_locked(struct jmgpu_pf *pf, u32 vf,
			   const struct jmgpu_profile *p, const char *name,
			   enum jmgpu_owner owner)
{
	struct jmgpu_vf *v;
	int ret;

	if (vf >= pf->num_vfs)
		return -ENXIO;
	v = &pf->vf[vf];
	if (v->fw.provisioned)
		return -EBUSY;
	if (jmgpu_wants_flr_scrub(owner) &&
	    JMGPU_VERSION_MINOR(pf->fw_version) < JMGPU_FW_MINOR_SCRUB_ON_FLR) {
		dev_err(jmgpu_dev(pf),
			"vf%u: %s refused: firmware interface %u.%u cannot scrub VRAM at VF FLR (needs %u.%u), so a VF outside a vGPU would reach its next user unscrubbed; use vGPUs (jmgpu_vfio_pci)\n",
			vf, name, JMGPU_VERSION_MAJOR(pf->fw_version),
			JMGPU_VERSION_MINOR(pf->fw_version), JMGPU_FW_IFACE_MAJOR,
			JMGPU_FW_MINOR_SCRUB_ON_FLR);
		return -EOPNOTSUPP;
	}
	ret = jmgpu_alloc_vf(pf, vf, p, name);
	if (ret)
		return ret;
	/* never hand out VRAM that was not seen scrubbed */
	ret = jmgpu_fb_make_clean(pf, v->fw.fb_offset, p->fb_size);
	if (ret) {
		dev_err(jmgpu_dev(pf), "vf%u: %s refused: its VRAM cannot be scrubbed (%d)\n",
			vf, name, ret);
		jmgpu_free_vf(pf, vf);
		return ret;
	}
	/* dirty from here: a provision whose reply is lost took effect */
	jmgpu_fb_set_dirty(pf, v->fw.fb_offset, p->fb_size, true);
	v->handed_out = false;
	v->scrub_on_flr = jmgpu_wants_flr_scrub(owner);
	ret = jmgpu_fw_vf_provision(pf, vf, false);
	if (ret) {
		dev_err(jmgpu_dev(pf), "vf%u: firmware refused provisioning %s: %d\n",
			vf, name, ret);
		jmgpu_free_vf(pf, vf);
		return ret;
	}
	v->owner = owner;
	jmgpu_stats_clear(pf, vf);
	dev_dbg(jmgpu_dev(pf), "vf%u provisioned %s (%s) at fb 0x%llx\n", vf,
		name, jmgpu_owner_str[owner], v->fw.fb_offset);
	return 0;
}

/**
 * jmgpu_unprovision_locked - take VF @vf's resources back; firmware scrubs
 * @pf: the PF, cfg_lock held
 * @vf: VF index
 *
 * When the mailbox fails the resources stay reserved and the VF is
 * unprovisioned (and scrubbed) by the recovery that the failure started.
 *
 * Return: 0, -ENXIO or -ENOENT (not provisioned), or a firmware error.
 */
int jmgpu_unprovision_locked(struct jmgpu_pf *pf, u32 vf)
{
	struct jmgpu_vf *v;
	int ret;

	if (vf >= pf->num_vfs)
		return -ENXIO;
	v = &pf->vf[vf];
	if (!v->fw.provisioned)
		return -ENOENT;
	if (v->scrub_pending)
		return 0;
	ret = jmgpu_fw_vf_cmd(pf, JMGPU_CMD_VF_UNPROVISION, vf, false);
	if (ret && jmgpu_transport_err(ret) && !READ_ONCE(pf->fw_dead)) {
		dev_warn(jmgpu_dev(pf),
			 "vf%u: unprovision deferred to firmware recovery (%d)\n",
			 vf, ret);
		v->scrub_pending = true;
		v->owner = JMGPU_OWNER_NONE;
		return 0;
	}
	if (ret && ret != -ENODEV) {
		dev_err(jmgpu_dev(pf), "vf%u: firmware refused unprovision: %d\n",
			vf, ret);
		return ret;
	}
	/* -ENODEV (firmware dead): released, but stays dirty */
	if (!ret)
		jmgpu_fb_set_dirty(pf, v->fw.fb_offset, v->fw.profile.fb_size,
				   false);
	jmgpu_free_vf(pf, vf);
	jmgpu_stats_clear(pf, vf);
	return 0;
}

/**
 * jmgpu_vf_hand_out_locked - VF @vf goes to a new user: scrub if used
 * @pf: the PF, cfg_lock held
 * @vf: VF index, provisioned
 *
 * The first user after provisioning gets the slice as provisioned (from
 * scrubbed VRAM); every later one only after VF_SCRUB zeroed it.
 *
 * Return: 0, -ENXIO, -ENOENT (not provisioned) or the VF_SCRUB error.
 */
static int jmgpu_vf_hand_out_locked(struct jmgpu_pf *pf, u32 vf)
{
	struct jmgpu_vf *v;
	int ret;

	if (vf >= pf->num_vfs)
		return -ENXIO;
	v = &pf->vf[vf];
	if (!v->fw.provisioned || v->scrub_pending)
		return -ENOENT;
	if (v->handed_out) {
		ret = jmgpu_fw_vf_cmd(pf, JMGPU_CMD_VF_SCRUB, vf, false);
		if (ret) {
			dev_err(jmgpu_dev(pf),
				"vf%u: scrub for its next user (VF_SCRUB) failed: %d\n",
				vf, ret);
			return ret;
		}
	}
	v->handed_out = true;
	return 0;
}

/**
 * jmgpu_pf_vf_hand_out - a new user is about to get VF @vf
 * @pf: PF handle
 * @vf: VF index
 *
 * Call before every open of the VF by a user: from the second user on,
 * the VF's slice is scrubbed first, so no user sees a previous one's
 * framebuffer. On error the open must fail.
 *
 * Return: 0, -ENXIO, -ENOENT or a mailbox error.
 */
int jmgpu_pf_vf_hand_out(struct jmgpu_pf *pf, unsigned int vf)
{
	int ret;

	mutex_lock(&pf->cfg_lock);
	ret = jmgpu_vf_hand_out_locked(pf, vf);
	mutex_unlock(&pf->cfg_lock);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(jmgpu_pf_vf_hand_out, JMGPU);

/* Resolve the auto_provision setting for @n VFs; 0 = off, 1 = use @p. */
static int jmgpu_auto_profile(struct jmgpu_pf *pf, u32 n,
			      struct jmgpu_profile *p)
{
	const struct jmgpu_profile *t;

	if (!pf->auto_provision[0] || sysfs_streq(pf->auto_provision, "none"))
		return 0;
	if (sysfs_streq(pf->auto_provision, "equal"))
		return jmgpu_equal_profile(pf, n, p) ?: 1;
	t = jmgpu_pf_profile_find(pf->auto_provision);
	if (!t) {
		dev_err(jmgpu_dev(pf), "auto_provision: unknown profile \"%s\"\n",
			pf->auto_provision);
		return -EINVAL;
	}
	*p = *t;
	return 1;
}

static void jmgpu_unprovision_owned(struct jmgpu_pf *pf, enum jmgpu_owner o)
{
	u32 i;

	for (i = 0; i < pf->num_vfs; i++)
		if (pf->vf[i].fw.provisioned && pf->vf[i].owner == o)
			jmgpu_unprovision_locked(pf, i);
}

static bool jmgpu_any_provisioned(struct jmgpu_pf *pf)
{
	u32 i;

	for (i = 0; i < pf->num_vfs; i++)
		if (pf->vf[i].fw.provisioned)
			return true;
	return false;
}

static int jmgpu_sriov_enable(struct jmgpu_pf *pf, int n)
{
	struct pci_dev *pdev = pf->pdev;
	struct jmgpu_profile p;
	int ret, autop;
	u32 i;

	mutex_lock(&pf->cfg_lock);
	if (pf->num_vfs) {
		mutex_unlock(&pf->cfg_lock);
		dev_warn(&pdev->dev, "%u VFs already enabled, disable before enabling %d\n",
			 pf->num_vfs, n);
		return -EBUSY;
	}
	if (n > pf->max_vfs || n > pci_sriov_get_totalvfs(pdev)) {
		mutex_unlock(&pf->cfg_lock);
		dev_warn(&pdev->dev, "%d VFs requested, at most %u supported\n",
			 n, min_t(u32, pf->max_vfs, pci_sriov_get_totalvfs(pdev)));
		return -ERANGE;
	}
	autop = jmgpu_auto_profile(pf, n, &p);
	mutex_unlock(&pf->cfg_lock);
	if (autop < 0)
		return autop;

	ret = pci_enable_sriov(pdev, n);
	if (ret) {
		dev_err(&pdev->dev, "cannot enable %d VFs: %d\n", n, ret);
		return ret;
	}
	/* read -ENODEV until num_vfs is set below */
	ret = jmgpu_vf_sysfs_add(pf, n);
	if (ret) {
		pci_disable_sriov(pdev);
		return ret;
	}

	mutex_lock(&pf->cfg_lock);
	ret = jmgpu_fw_vf_enable(pf, n, false);
	if (ret) {
		dev_err(&pdev->dev, "firmware VF_ENABLE %d failed: %d\n", n, ret);
		goto err_pci;
	}
	pf->num_vfs = n;
	jmgpu_events_seed(pf, false);
	for (i = 0; autop && i < n; i++) {
		ret = jmgpu_provision_locked(pf, i, &p, autop ? p.name : "",
					     JMGPU_OWNER_AUTO);
		if (ret) {
			dev_err(&pdev->dev,
				"auto_provision %s: vf%u failed (%d), VFs not enabled\n",
				pf->auto_provision, i, ret);
			goto err_fw;
		}
	}
	mutex_unlock(&pf->cfg_lock);
	dev_info(&pdev->dev, "%d VFs enabled%s%s\n", n,
		 autop ? ", auto-provisioned " : "", autop ? p.name : "");
	return n;

err_fw:
	jmgpu_unprovision_owned(pf, JMGPU_OWNER_AUTO);
	if (!jmgpu_any_provisioned(pf))
		jmgpu_fw_vf_cmd(pf, JMGPU_CMD_VF_DISABLE, 0, false);
	pf->num_vfs = 0;
err_pci:
	mutex_unlock(&pf->cfg_lock);
	jmgpu_vf_sysfs_del(pf);
	pci_disable_sriov(pdev);
	mutex_lock(&pf->cfg_lock);
	for (i = 0; i < JMGPU_MAX_VFS; i++)
		jmgpu_free_vf(pf, i);
	mutex_unlock(&pf->cfg_lock);
	return ret;
}

static int jmgpu_sriov_disable(struct jmgpu_pf *pf)
{
	struct pci_dev *pdev = pf->pdev;
	u32 i, n, on_pci;
	const char *why;
	int ret;

	mutex_lock(&pf->cfg_lock);
	/*
	 * The PCI core's count is the truth: VFs left enabled by a previous
	 * PF driver have no firmware context here (pf->num_vfs is 0) and
	 * must go all the same.
	 */
	on_pci = pci_num_vf(pdev);
	n = max(pf->num_vfs, on_pci);
	if (!n) {
		mutex_unlock(&pf->cfg_lock);
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (jmgpu_vf_in_use(pf, i, &why)) {
			struct pci_dev *vfdev = jmgpu_get_vfdev(pdev, i);

			mutex_unlock(&pf->cfg_lock);
			dev_warn(&pdev->dev,
				 "cannot disable VFs: vf%u (%s) is %s\n", i,
				 vfdev ? pci_name(vfdev) : "no pci_dev", why);
			pci_dev_put(vfdev);
			return -EBUSY;
		}
	}
	jmgpu_unprovision_owned(pf, JMGPU_OWNER_AUTO);
	if (jmgpu_any_provisioned(pf)) {
		mutex_unlock(&pf->cfg_lock);
		dev_warn(&pdev->dev,
			 "cannot disable VFs: unprovisioning pending recovery\n");
		return -EBUSY;
	}
	if (pf->num_vfs) {
		ret = jmgpu_fw_vf_cmd(pf, JMGPU_CMD_VF_DISABLE, 0, false);
		if (ret)
			dev_warn(&pdev->dev, "firmware VF_DISABLE failed (%d), disabling anyway\n",
				 ret);
	} else {
		dev_info(&pdev->dev, "disabling %u VFs enabled by a previous driver\n",
			 on_pci);
	}
	pf->num_vfs = 0;
	mutex_unlock(&pf->cfg_lock);

	jmgpu_vf_sysfs_del(pf);
	pci_disable_sriov(pdev);
	dev_info(&pdev->dev, "VFs disabled\n");
	return 0;
}

/**
 * jmgpu_sriov_configure - .sriov_configure: enable @num_vfs VFs or disable
 * @pdev: the PF
 * @num_vfs: 0 to disable, 1..TotalVFs to enable
 *
 * The PCI core (sriov_numvfs_store) already refuses values above TotalVFs
 * (-ERANGE), non-numbers (-EINVAL) and N -> M without 0 (-EBUSY); this
 * checks again for other callers.
 *
 * Return: the number of VFs enabled, 0 after disable, or a negative errno
 * (-EBUSY when a VF is in use or VFs are already enabled).
 */
int jmgpu_sriov_configure(struct pci_dev *pdev, int num_vfs)
{
	struct jmgpu_pf *pf = pci_get_drvdata(pdev);

	if (num_vfs < 0)
		return -EINVAL;
	if (READ_ONCE(pf->fw_dead)) {
		dev_err(&pdev->dev, "firmware is dead, reload the driver\n");
		if (num_vfs)
			return -ENODEV;
	}
	return num_vfs ? jmgpu_sriov_enable(pf, num_vfs) :
			 jmgpu_sriov_disable(pf);
}

/* Remove: tear everything down, VF users or not. Called without cfg_lock. */
void jmgpu_sriov_remove(struct jmgpu_pf *pf)
{
	bool api_left;
	u32 i;

	jmgpu_vf_sysfs_del(pf);
	mutex_lock(&pf->cfg_lock);
	if (!pf->num_vfs && !pci_num_vf(pf->pdev)) {
		mutex_unlock(&pf->cfg_lock);
		return;
	}
	jmgpu_unprovision_owned(pf, JMGPU_OWNER_AUTO);
	jmgpu_unprovision_owned(pf, JMGPU_OWNER_DEBUGFS);
	api_left = jmgpu_any_provisioned(pf);
	/* VF drivers unprovision from their remove: keep the contexts then */
	if (!api_left && pf->num_vfs) {
		jmgpu_fw_vf_cmd(pf, JMGPU_CMD_VF_DISABLE, 0, false);
		pf->num_vfs = 0;
	}
	mutex_unlock(&pf->cfg_lock);

	pci_disable_sriov(pf->pdev);

	mutex_lock(&pf->cfg_lock);
	for (i = 0; i < JMGPU_MAX_VFS; i++) {
		if (pf->vf[i].fw.provisioned)
			dev_warn(jmgpu_dev(pf),
				 "vf%u still provisioned at remove, released\n",
				 i);
		jmgpu_free_vf(pf, i);
		pf->vf[i].scrub_pending = false;
	}
	pf->num_vfs = 0;
	mutex_unlock(&pf->cfg_lock);
}

/**
 * jmgpu_sriov_set_msix_vec_count - .sriov_set_msix_vec_count
 * @vfdev: the VF (no driver bound; the PCI core checks)
 * @count: MSI-X vectors the VF should expose
 *
 * The device has a fixed MSI-X table of JMGPU_VF_MSIX_VECTORS (2) vectors
 * per VF and no way to change it: that count is accepted (nothing to do),
 * any other is refused rather than stored and ignored.
 *
 * Return: 0 or -EOPNOTSUPP.
 */
int jmgpu_sriov_set_msix_vec_count(struct pci_dev *vfdev, int count)
{
	struct jmgpu_pf *pf = pci_get_drvdata(pci_physfn(vfdev));
	int vf = pci_iov_vf_id(vfdev);

	if (!pf || vf < 0 || vf >= JMGPU_MAX_VFS)
		return -ENODEV;
	if (count != JMGPU_VF_MSIX_VECTORS) {
		dev_warn(jmgpu_dev(pf),
			 "vf%d: sriov_vf_msix_count %d refused: the VF's MSI-X table has a fixed size of %d vectors\n",
			 vf, count, JMGPU_VF_MSIX_VECTORS);
		return -EOPNOTSUPP;
	}
	return 0;
}

/**
 * jmgpu_sriov_get_vf_total_msix - .sriov_get_vf_total_msix
 * @pdev: the PF
 *
 * Return: MSI-X vectors available to all VFs together.
 */
u32 jmgpu_sriov_get_vf_total_msix(struct pci_dev *pdev)
{
	struct jmgpu_pf *pf = pci_get_drvdata(pdev);

	return pf ? pf->max_vfs * JMGPU_VF_MSIX_VECTORS : 0;
}

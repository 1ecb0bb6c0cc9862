// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu VF variant driver: every VF is an mdev parent; its types are the
 * PF's profiles and its single mdev is the vGPU instance. Creating the mdev
 * provisions the VF through the PF API, removing it unprovisions the VF
 * (the firmware scrubs the FB slice).
 *
 * The mdev is not a vfio device: it is bound to jmgpu_mdev_driver, whose
 * probe provisions and whose remove unprovisions. Userspace (QEMU) opens
 * the VF's own vfio device, which is gated on the mdev being present, by
 * the VF's PCI address or by the mdev's UUID (jmgpu_vfio_uuid.c).
 */
#include <linux/mdev.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "jmgpu_vfio.h"

static struct jmgpu_vfio *parent_to_jmgpu(struct mdev_parent *parent)
{
	return container_of(parent, struct jmgpu_vfio, parent);
}

static const struct jmgpu_profile *mtype_profile(struct mdev_type *mtype)
{
	return container_of(mtype, struct jmgpu_vfio_type, type)->profile;
}

/* How often the user of an open VF is asked again to release it. */
#define JMGPU_RELEASE_RETRY	(10 * HZ)

/*
 * jmgpu_mdev_wait_release - ask the user of the open VF to release it and
 * wait until the VF is closed
 * @jv: VF state, state_lock not held, jv->removing set
 * @mdev: the vGPU being removed
 *
 * The request goes through the VFIO request eventfd (VFIO_PCI_REQ_IRQ_INDEX):
 * QEMU answers it by unplugging the device from the guest; vfio-pci-core
 * logs when the user registered no request channel. The request is repeated
 * every JMGPU_RELEASE_RETRY, as the vfio core does when a device with open
 * users is unregistered.
 *
 * Return: true once the VF is closed, false if the waiting task got a
 * fatal signal first (the VF is still open then).
 */
static bool jmgpu_mdev_wait_release(struct jmgpu_vfio *jv,
				    struct mdev_device *mdev)
{
	unsigned int count = 0;
	long ret;

	dev_info(jmgpu_vfio_dev(jv),
		 "VF%u: vGPU %pUl is in use: asking its user to release it (VFIO device request); the removal completes when the VF is closed\n",
		 jv->vf, &mdev->uuid);
	do {
		vfio_pci_core_request(&jv->core.vdev, count++);
		ret = wait_event_killable_timeout(jv->release_wq,
						  !READ_ONCE(jv->open),
						  JMGPU_RELEASE_RETRY);
	} while (!ret);
	return ret > 0;
}

static int jmgpu_mdev_probe(struct mdev_device *mdev)
{
	struct jmgpu_vfio *jv = parent_to_jmgpu(mdev->type->parent);
	const struct jmgpu_profile *p = mtype_profile(mdev->type);
	struct device *dev = jmgpu_vfio_dev(jv);
	int fits, ret;

	mutex_lock(&jv->state_lock);
	if (jv->mdev) {
		dev_err(dev,
			"VF%u already has vGPU %pUl (%s%s): one mdev per VF, %pUl refused\n",
			jv->vf, &jv->mdev->uuid, jv->profile->name,
			jv->removing ? ", being removed: waits for its user to close the VF" : "",
			&mdev->uuid);
		ret = -EBUSY;
		goto out_unlock;
	}
	if (jv->orphan) {
		dev_err(dev,
			"VF%u is still open by the user of a removed vGPU: %pUl refused until it closes\n",
			jv->vf, &mdev->uuid);
		ret = -EBUSY;
		goto out_unlock;
	}
	fits = jmgpu_pf_profile_fits(jv->pf, p);
	if (fits <= 0) {
		ret = fits < 0 ? fits : -ENOSPC;
		dev_err(dev,
			"VF%u: profile %s %s: vGPU %pUl refused (%d)\n",
			jv->vf, p->name,
			fits < 0 ? "is not supported by this device" :
				   "does not fit the PF's free resources",
			&mdev->uuid, ret);
		goto out_unlock;
	}
	ret = jmgpu_pf_vf_provision(jv->pf, jv->vf, p);
	if (ret) {
		dev_err(dev, "VF%u: provisioning profile %s failed (%d): vGPU %pUl refused\n",
			jv->vf, p->name, ret, &mdev->uuid);
		goto out_unlock;
	}
	/* sysfsdev=/sys/bus/mdev/devices/<uuid> leads to the VF's group and cdev */
	ret = jmgpu_vfio_link_group(jv, mdev);
	if (ret)
		goto out_unprovision;
	jmgpu_pf_vf_set_busy(jv->pf, jv->vf, true);
	jmgpu_vfio_monitor_init(jv, p);
	jv->mdev = mdev;
	jv->profile = p;
	dev_set_drvdata(&mdev->dev, jv);
	mutex_unlock(&jv->state_lock);
	dev_info(dev, "VF%u: vGPU %pUl created, profile %s\n", jv->vf,
		 &mdev->uuid, p->name);
	return 0;

out_unprovision:
	jmgpu_pf_vf_unprovision(jv->pf, jv->vf);
out_unlock:
	mutex_unlock(&jv->state_lock);
	return ret;
}

/*
 * Removal of a vGPU (mdevctl stop, "echo 1 > remove", parent going away).
 * The mdev core gives a driver no veto, and upstream mdev semantics apply:
 * when the VF is open, its user is asked to release it and the removal
 * waits for the close, keeping every resource until then (the vGPU stays
 * provisioned, its UUID stays taken, no new vGPU on this VF, the VF does
 * not open again). If the waiting task is killed, the mdev goes at once
 * but its resources stay with the open VF and are released on close.
 */
static void jmgpu_mdev_remove(struct mdev_device *mdev)
{
	struct jmgpu_vfio *jv = dev_get_drvdata(&mdev->dev);
	struct device *dev = jmgpu_vfio_dev(jv);
	bool waited = false;
	int ret;

	jmgpu_vfio_unlink_group(jv, mdev);
	mutex_lock(&jv->state_lock);
	if (jv->open) {
		jv->removing = true;
		mutex_unlock(&jv->state_lock);
		waited = jmgpu_mdev_wait_release(jv, mdev);
		mutex_lock(&jv->state_lock);
		jv->removing = false;
	}
	if (jv->open) {
		/* the waiting task was killed: it cannot undo the removal */
		dev_warn(dev,
			 "VF%u: the wait for the release of vGPU %pUl was killed: the vGPU is removed, its resources stay with the open VF until it closes\n",
			 jv->vf, &mdev->uuid);
		jv->orphan = true;
	} else {
		ret = jmgpu_pf_vf_unprovision(jv->pf, jv->vf);
		if (ret && ret != -ENOENT)
			dev_err(dev, "VF%u: unprovision failed: %d\n", jv->vf,
				ret);
		jmgpu_pf_vf_set_busy(jv->pf, jv->vf, false);
		jv->profile = NULL;
		dev_info(dev, "VF%u: vGPU %pUl removed%s, FB slice scrubbed\n",
			 jv->vf, &mdev->uuid,
			 waited ? " after its user released the VF" : "");
	}
	jv->mdev = NULL;
	mutex_unlock(&jv->state_lock);
}

static unsigned int jmgpu_mdev_get_available(struct mdev_type *mtype)
{
	struct jmgpu_vfio *jv = parent_to_jmgpu(mtype->parent);
	struct jmgpu_pf_vf_info info;
	unsigned int avail = 0;

	mutex_lock(&jv->state_lock);
	if (jv->mdev || jv->orphan)
		goto out;
	/* provisioned behind our back (auto_provision, debugfs) */
	if (jmgpu_pf_vf_get_info(jv->pf, jv->vf, &info) || info.provisioned)
		goto out;
	avail = jmgpu_pf_profile_fits(jv->pf, mtype_profile(mtype)) == 1;
out:
	mutex_unlock(&jv->state_lock);
	return avail;
}

static ssize_t jmgpu_mdev_show_description(struct mdev_type *mtype,
					   char *buf)
{
	const struct jmgpu_profile *p = mtype_profile(mtype);

	return sysfs_emit(buf,
			  "%s\nframebuffer=%lluM engine_weight=%u codec_sessions=%u display_heads=%u max_resolution=%ux%u\n",
			  p->description, p->fb_size >> 20, p->engine_weight,
			  p->codec_sessions, p->display_heads, p->max_width,
			  p->max_height);
}

static struct mdev_driver jmgpu_mdev_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.max_instances = 1,
	.driver = {
		.name = "jmgpu_vgpu",
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
		.dev_groups = jmgpu_vfio_mdev_groups,
	},
	.probe = jmgpu_mdev_probe,
	.remove = jmgpu_mdev_remove,
	.get_available = jmgpu_mdev_get_available,
	.show_description = jmgpu_mdev_show_description,
};

/**
 * jmgpu_vfio_mdev_init - register the VF as mdev parent with all profiles
 * @jv: VF state
 *
 * Return: 0 or a negative errno.
 */
int jmgpu_vfio_mdev_init(struct jmgpu_vfio *jv)
{
	const struct jmgpu_profile *profiles;
	unsigned int i, n;
	int ret;

	profiles = jmgpu_pf_profiles(&n);
	if (!n)
		return -ENODEV;
	jv->types = kcalloc(n, sizeof(*jv->types), GFP_KERNEL);
	jv->type_ptrs = kcalloc(n, sizeof(*jv->type_ptrs), GFP_KERNEL);
	if (!jv->types || !jv->type_ptrs) {
		ret = -ENOMEM;
		goto out_free;
	}
	for (i = 0; i < n; i++) {
		jv->types[i].profile = &profiles[i];
		jv->types[i].type.sysfs_name = profiles[i].name;
		jv->types[i].type.pretty_name = profiles[i].name;
		jv->type_ptrs[i] = &jv->types[i].type;
	}
	jv->nr_types = n;

	ret = mdev_register_parent(&jv->parent, jmgpu_vfio_dev(jv),
				   &jmgpu_mdev_driver, jv->type_ptrs, n);
	if (ret)
		goto out_free;
	return 0;

out_free:
	kfree(jv->type_ptrs);
	kfree(jv->types);
	jv->types = NULL;
	jv->type_ptrs = NULL;
	jv->nr_types = 0;
	return ret;
}

/**
 * jmgpu_vfio_mdev_fini - remove the vGPU (if any) and the mdev parent
 * @jv: VF state; its vfio device is unregistered (closed) already
 */
void jmgpu_vfio_mdev_fini(struct jmgpu_vfio *jv)
{
	mdev_unregister_parent(&jv->parent);
	kfree(jv->type_ptrs);
	kfree(jv->types);
}

int jmgpu_vfio_mdev_register_driver(void)
{
	return mdev_register_driver(&jmgpu_mdev_driver);
}

void jmgpu_vfio_mdev_unregister_driver(void)
{
	mdev_unregister_driver(&jmgpu_mdev_driver);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu VF variant driver: PCI driver, vfio device ops and the open gate.
 *
 * The VF's vfio device is a plain vfio-pci-core device (config space
 * emulated, BARs mmapped to the hardware, MSI-X routed by the core) with
 * four additions: it opens only while a vGPU (mdev) is bound to the VF,
 * it answers to the vGPU's UUID as well as to the VF's PCI address
 * (jmgpu_vfio_uuid.c), region accesses that are trapped (read/write) are
 * counted, and the mediated extras (EDID region, display plane,
 * firmware-aware reset) are hooked into the ioctl path.
 */
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "jmgpu_vfio.h"

static int jmgpu_vfio_open_device(struct vfio_device *core_vdev)
{
	struct jmgpu_vfio *jv = vdev_to_jmgpu(core_vdev);
	struct vfio_pci_core_device *vdev = &jv->core;
	int ret;

	mutex_lock(&jv->state_lock);
	if (!jv->mdev || jv->orphan) {
		dev_err(jmgpu_vfio_dev(jv),
			"VF%u has no vGPU profile: create an mdev on it (mdevctl start -p %s -t <type>) before opening it\n",
			jv->vf, pci_name(vdev->pdev));
		ret = -ENODEV;
		goto out_unlock;
	}
	if (jv->removing) {
		dev_err(jmgpu_vfio_dev(jv),
			"VF%u: its vGPU %pUl is being removed: open refused\n",
			jv->vf, &jv->mdev->uuid);
		ret = -ENODEV;
		goto out_unlock;
	}

	/* from the second user on, the vGPU's slice is scrubbed first */
	ret = jmgpu_pf_vf_hand_out(jv->pf, jv->vf);
	if (ret) {
		dev_err(jmgpu_vfio_dev(jv),
			"VF%u: its framebuffer cannot be scrubbed for a new user (%d): open refused\n",
			jv->vf, ret);
		goto out_unlock;
	}

	ret = vfio_pci_core_enable(vdev);
	if (ret)
		goto out_unlock;

	ret = jmgpu_vfio_gfx_open(jv);
	if (ret)
		goto out_disable;

	vfio_pci_core_finish_enable(vdev);
	jv->open = true;
	/*
	 * the name the match op just accepted (see jmgpu_vfio_uuid.c); an
	 * open through the cdev runs no match op, it finds JMGPU_NAME_CDEV
	 */
	jv->open_name = jv->match_name;
	jv->match_name = JMGPU_NAME_CDEV;
	mutex_unlock(&jv->state_lock);
	dev_dbg(jmgpu_vfio_dev(jv), "VF%u opened by its %s (vGPU %pUl)\n",
		jv->vf, jv->open_name == JMGPU_NAME_UUID ? "vGPU UUID" :
		jv->open_name == JMGPU_NAME_PCI ? "PCI address" : "device cdev",
		&jv->mdev->uuid);
	return 0;

out_disable:
	vfio_pci_core_disable(vdev);
out_unlock:
	mutex_unlock(&jv->state_lock);
	return ret;
}

static void jmgpu_vfio_close_device(struct vfio_device *core_vdev)
{
	struct jmgpu_vfio *jv = vdev_to_jmgpu(core_vdev);

	/*
	 * FLR (vfio-pci-core, without the driver's reset callbacks), then
	 * the firmware reset; the ioeventfds go before the BARs are unmapped
	 */
	jmgpu_vfio_ioeventfds_release(jv);
	jmgpu_vfio_gfx_close(jv);
	vfio_pci_core_close_device(core_vdev);
	jmgpu_vfio_fw_reset(jv, "last close");

	mutex_lock(&jv->state_lock);
	jv->open = false;
	/* a later group open runs the match op first, a cdev open does not */
	jv->match_name = JMGPU_NAME_CDEV;
	if (jv->orphan) {
		int ret = jmgpu_pf_vf_unprovision(jv->pf, jv->vf);

		if (ret && ret != -ENOENT)
			dev_err(jmgpu_vfio_dev(jv),
				"VF%u: unprovision after close failed: %d\n",
				jv->vf, ret);
		jmgpu_pf_vf_set_busy(jv->pf, jv->vf, false);
		jv->orphan = false;
		jv->profile = NULL;
		dev_info(jmgpu_vfio_dev(jv),
			 "VF%u closed: resources of the removed vGPU released\n",
			 jv->vf);
	}
	mutex_unlock(&jv->state_lock);
	/* a removal of the vGPU may be waiting for this close */
	wake_up(&jv->release_wq);
}

static ssize_t jmgpu_vfio_read(struct vfio_device *core_vdev, char __user *buf,
			       size_t count, loff_t *ppos)
{
	struct jmgpu_vfio *jv = vdev_to_jmgpu(core_vdev);
	int ret;

	atomic64_inc(&jv->trapped);
	ret = jmgpu_vfio_guard_rw(jv, count, *ppos, false);
	if (ret)
		return ret;
	return vfio_pci_core_read(core_vdev, buf, count, ppos);
}

static ssize_t jmgpu_vfio_write(struct vfio_device *core_vdev,
				const char __user *buf, size_t count,
				loff_t *ppos)
{
	struct jmgpu_vfio *jv = vdev_to_jmgpu(core_vdev);
	int ret;

	atomic64_inc(&jv->trapped);
	ret = jmgpu_vfio_guard_rw(jv, count, *ppos, true);
	if (ret)
		return ret;
	return vfio_pci_core_write(core_vdev, buf, count, ppos);
}

static long jmgpu_vfio_ioctl(struct vfio_device *core_vdev, unsigned int cmd,
			     unsigned long arg)
{
	struct jmgpu_vfio *jv = vdev_to_jmgpu(core_vdev);
	int ret;

	switch (cmd) {
	case VFIO_DEVICE_QUERY_GFX_PLANE:
		return jmgpu_vfio_query_plane(jv, (void __user *)arg);
	case VFIO_DEVICE_RESET:
		return jmgpu_vfio_reset_ioctl(jv, cmd, arg);
	case VFIO_DEVICE_IOEVENTFD:
		/* never reaches the core: see jmgpu_vfio_guard.c */
		return jmgpu_vfio_ioeventfd(jv, (void __user *)arg);
	default:
		ret = jmgpu_vfio_guard_ioctl(jv, cmd, (void __user *)arg);
		if (ret)
			return ret;
		return vfio_pci_core_ioctl(core_vdev, cmd, arg);
	}
}

static const struct vfio_device_ops jmgpu_vfio_ops = {
	.name = JMGPU_VFIO_DRV_NAME,
	.init = vfio_pci_core_init_dev,
	.release = vfio_pci_core_release_dev,
	.open_device = jmgpu_vfio_open_device,
	.close_device = jmgpu_vfio_close_device,
	.ioctl = jmgpu_vfio_ioctl,
	.device_feature = vfio_pci_core_ioctl_feature,
	.read = jmgpu_vfio_read,
	.write = jmgpu_vfio_write,
	.mmap = vfio_pci_core_mmap,
	.request = vfio_pci_core_request,
	.match = jmgpu_vfio_match,
	.bind_iommufd = vfio_iommufd_physical_bind,
	.unbind_iommufd = vfio_iommufd_physical_unbind,
	.attach_ioas = vfio_iommufd_physical_attach_ioas,
	.detach_ioas = vfio_iommufd_physical_detach_ioas,
};

static int jmgpu_vfio_probe(struct pci_dev *pdev,
			    const struct pci_device_id *id)
{
	struct jmgpu_vfio *jv;
	struct jmgpu_pf *pf;
	unsigned int vf;
	int ret;

	pf = jmgpu_pf_get(pdev, &vf);
	if (IS_ERR(pf)) {
		dev_err(&pdev->dev,
			"not a VF of a PF bound to jmgpu_pf (%ld): load jmgpu_pf and enable VFs first\n",
			PTR_ERR(pf));
		return PTR_ERR(pf);
	}

	jv = vfio_alloc_device(jmgpu_vfio, core.vdev, &pdev->dev,
			       &jmgpu_vfio_ops);
	if (IS_ERR(jv))
		return PTR_ERR(jv);

	jv->pf = pf;
	jv->vf = vf;
	jv->match_name = JMGPU_NAME_CDEV;
	mutex_init(&jv->state_lock);
	mutex_init(&jv->gfx_lock);
	mutex_init(&jv->plane_lock);
	mutex_init(&jv->ioeventfd_lock);
	INIT_LIST_HEAD(&jv->ioeventfds);
	init_waitqueue_head(&jv->release_wq);
	dev_set_drvdata(&pdev->dev, &jv->core);

	ret = jmgpu_vfio_events_init(jv);
	if (ret)
		goto out_put;

	ret = vfio_pci_core_register_device(&jv->core);
	if (ret)
		goto out_events;

	ret = jmgpu_vfio_mdev_init(jv);
	if (ret)
		goto out_unregister;

	dev_info(&pdev->dev, "VF%u ready: %u vGPU types\n", vf, jv->nr_types);
	return 0;

out_unregister:
	vfio_pci_core_unregister_device(&jv->core);
out_events:
	jmgpu_vfio_events_fini(jv);
out_put:
	mutex_destroy(&jv->ioeventfd_lock);
	mutex_destroy(&jv->gfx_lock);
	mutex_destroy(&jv->plane_lock);
	mutex_destroy(&jv->state_lock);
	vfio_put_device(&jv->core.vdev);
	return ret;
}

static void jmgpu_vfio_remove(struct pci_dev *pdev)
{
	struct vfio_pci_core_device *core = dev_get_drvdata(&pdev->dev);
	struct jmgpu_vfio *jv = core_to_jmgpu(core);

	/* waits (asking the user through the request eventfd) for close */
	vfio_pci_core_unregister_device(core);
	/* removes the vGPU: unprovision, slice scrubbed by firmware */
	jmgpu_vfio_mdev_fini(jv);
	jmgpu_vfio_events_fini(jv);
	mutex_destroy(&jv->ioeventfd_lock);
	mutex_destroy(&jv->gfx_lock);
	mutex_destroy(&jv->plane_lock);
	mutex_destroy(&jv->state_lock);
	vfio_put_device(&core->vdev);
}

static const struct pci_device_id jmgpu_vfio_ids[] = {
	{ PCI_DRIVER_OVERRIDE_DEVICE_VFIO(JMGPU_PCI_VENDOR_ID,
					  JMGPU_PCI_DEVICE_ID_VF) },
	{}
};
MODULE_DEVICE_TABLE(pci, jmgpu_vfio_ids);

static struct pci_driver jmgpu_vfio_pci_driver = {
	.name = JMGPU_VFIO_DRV_NAME,
	.id_table = jmgpu_vfio_ids,
	.probe = jmgpu_vfio_probe,
	.remove = jmgpu_vfio_remove,
	.err_handler = &jmgpu_vfio_err_handlers,
	.driver_managed_dma = true,
	.dev_groups = jmgpu_vfio_pci_groups,
};

static int __init jmgpu_vfio_init(void)
{
	int ret;

	ret = jmgpu_vfio_mdev_register_driver();
	if (ret)
		return ret;
	ret = pci_register_driver(&jmgpu_vfio_pci_driver);
	if (ret)
		jmgpu_vfio_mdev_unregister_driver();
	return ret;
}

static void __exit jmgpu_vfio_exit(void)
{
	pci_unregister_driver(&jmgpu_vfio_pci_driver);
	jmgpu_vfio_mdev_unregister_driver();
}

module_init(jmgpu_vfio_init);
module_exit(jmgpu_vfio_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("jmgpu VF vfio-pci variant driver with mdev vGPU profiles");
MODULE_IMPORT_NS(JMGPU);
MODULE_SOFTDEP("pre: jmgpu_pf mdev");

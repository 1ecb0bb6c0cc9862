// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu PF driver: module, PCI probe and remove.
 *
 * Copyright (c) jmgpu project
 */
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/string.h>

#include "jmgpu_pf.h"

/*
 * Below 100 ms a reply that is merely late (a busy or emulated host)
 * counts as a firmware failure, and every one costs a firmware reset: 0
 * made every request time out, a recovery storm and then a dead firmware.
 */
#define JMGPU_MBOX_TIMEOUT_MIN_MS	100
#define JMGPU_MBOX_TIMEOUT_MAX_MS	60000

unsigned int jmgpu_mbox_timeout_ms = 1000;

static int jmgpu_mbox_timeout_set(const char *val,
				  const struct kernel_param *kp)
{
	unsigned int ms;

	if (kstrtouint(val, 0, &ms) || ms < JMGPU_MBOX_TIMEOUT_MIN_MS ||
	    ms > JMGPU_MBOX_TIMEOUT_MAX_MS) {
		pr_warn("%s: mbox_timeout_ms \"%.*s\" refused: must be %u..%u ms\n",
			JMGPU_DRV_NAME, (int)min_t(size_t, strcspn(val, "\n"), 32),
			val, JMGPU_MBOX_TIMEOUT_MIN_MS, JMGPU_MBOX_TIMEOUT_MAX_MS);
		return -EINVAL;
	}
	WRITE_ONCE(*(unsigned int *)kp->arg, ms);
	return 0;
}

static const struct kernel_param_ops jmgpu_mbox_timeout_ops = {
	.set = jmgpu_mbox_timeout_set,
	.get = param_get_uint,
};
module_param_cb(mbox_timeout_ms, &jmgpu_mbox_timeout_ops,
		&jmgpu_mbox_timeout_ms, 0644);
MODULE_PARM_DESC(mbox_timeout_ms,
		 "Mailbox request timeout in ms, 100..60000 (default 1000)");

unsigned int jmgpu_sample_interval_ms = 1000;
module_param_named(sample_interval_ms, jmgpu_sample_interval_ms, uint, 0644);
MODULE_PARM_DESC(sample_interval_ms,
		 "Statistics sampling / heartbeat check interval in ms (default 1000)");

static char *auto_provision = "";
module_param(auto_provision, charp, 0444);
MODULE_PARM_DESC(auto_provision,
		 "Default profile given to every VF enabled via sriov_numvfs: a profile name, \"equal\", or empty (off)");

static int jmgpu_check_id(struct jmgpu_pf *pf)
{
	struct device *dev = jmgpu_dev(pf);
	u32 magic = jmgpu_rd(pf, JMGPU_PF_MAGIC);
	u32 ver = jmgpu_rd(pf, JMGPU_PF_FW_IFACE_VERSION);

	if (magic != JMGPU_MAGIC) {
		dev_err(dev, "bad magic 0x%08x (expected 0x%08x): not a jmgpu PF\n",
			magic, JMGPU_MAGIC);
		return -ENODEV;
	}
	if (JMGPU_VERSION_MAJOR(ver) != JMGPU_FW_IFACE_MAJOR) {
		dev_err(dev,
			"firmware interface version %u.%u not supported by driver interface version %u.%u\n",
			JMGPU_VERSION_MAJOR(ver), JMGPU_VERSION_MINOR(ver),
			JMGPU_FW_IFACE_MAJOR, JMGPU_FW_IFACE_MINOR);
		return -ENODEV;
	}
	return 0;
}

/* Forget the event records the firmware has posted so far. */
static void jmgpu_evq_drop_stale(struct jmgpu_pf *pf)
{
	jmgpu_wr(pf, JMGPU_PF_EVQ_TAIL,
		 jmgpu_rd(pf, JMGPU_PF_EVQ_HEAD) % JMGPU_EVQ_ENTRIES);
}

/*
 * HELLO, GET_CAPS and the scheduler state; used by probe only. Every
 * failure names the mailbox call; nothing here starts a recovery (it is
 * not allowed before probe succeeds): the probe fails instead.
 */
static int jmgpu_fw_init(struct jmgpu_pf *pf)
{
	struct device *dev = jmgpu_dev(pf);
	int ret;

	ret = jmgpu_fw_wait_ready(pf, 2000);
	if (ret) {
		dev_err(dev, "firmware not ready (status 0x%x)\n",
			jmgpu_rd(pf, JMGPU_PF_STATUS));
		return ret;
	}
	/* events from before this point are stale: drop them */
	jmgpu_evq_drop_stale(pf);
	ret = jmgpu_fw_hello(pf, true);
	if (ret) {
		dev_err(dev, "probe: firmware handshake (HELLO) failed: %d\n",
			ret);
		return ret;
	}
	ret = jmgpu_fw_get_caps(pf, true);
	if (ret) {
		dev_err(dev, "probe: firmware capability report (GET_CAPS) failed: %d\n",
			ret);
		return ret;
	}
	ret = jmgpu_fw_get_sched(pf, &pf->sched_policy, &pf->sched_slice_us);
	if (ret) {
		dev_err(dev, "probe: firmware scheduler query (GET_SCHED) failed: %d\n",
			ret);
		return ret;
	}
	return 0;
}

static void jmgpu_irq_fini(struct jmgpu_pf *pf)
{
	jmgpu_wr(pf, JMGPU_PF_INT_MASK, 0);
	free_irq(pci_irq_vector(pf->pdev, JMGPU_PF_MSIX_EVENT), pf);
	free_irq(pci_irq_vector(pf->pdev, JMGPU_PF_MSIX_MBOX), pf);
	pci_free_irq_vectors(pf->pdev);
}

static int jmgpu_irq_init(struct jmgpu_pf *pf)
{
	struct pci_dev *pdev = pf->pdev;
	int ret;

	ret = pci_alloc_irq_vectors(pdev, JMGPU_PF_MSIX_VECTORS,
				    JMGPU_PF_MSIX_VECTORS, PCI_IRQ_MSIX);
	if (ret < 0) {
		dev_err(&pdev->dev, "cannot allocate %d MSI-X vectors: %d\n",
			JMGPU_PF_MSIX_VECTORS, ret);
		return ret;
	}
	ret = request_irq(pci_irq_vector(pdev, JMGPU_PF_MSIX_MBOX),
			  jmgpu_mbox_irq, 0, "jmgpu_pf-mbox", pf);
	if (ret)
		goto err_vectors;
	ret = request_threaded_irq(pci_irq_vector(pdev, JMGPU_PF_MSIX_EVENT),
				   NULL, jmgpu_event_irq, IRQF_ONESHOT,
				   "jmgpu_pf-event", pf);
	if (ret)
		goto err_mbox;
	/* mailbox only: events wait until the firmware is initialised */
	jmgpu_wr(pf, JMGPU_PF_INT_STATUS, JMGPU_PF_INT_MBOX | JMGPU_PF_INT_EVENT);
	jmgpu_wr(pf, JMGPU_PF_INT_MASK, JMGPU_PF_INT_MBOX);
	return 0;

err_mbox:
	free_irq(pci_irq_vector(pdev, JMGPU_PF_MSIX_MBOX), pf);
err_vectors:
	pci_free_irq_vectors(pdev);
	dev_err(&pdev->dev, "cannot request interrupts: %d\n", ret);
	return ret;
}

/*
 * Take firmware events from now on. Events posted since jmgpu_fw_init()
 * dropped the stale ones (a firmware reset during probe, say) are pending
 * and are delivered by the unmask; recovery is allowed by then.
 */
static void jmgpu_events_start(struct jmgpu_pf *pf)
{
	pf->evq_overflow = jmgpu_rd(pf, JMGPU_PF_EVQ_OVERFLOW);
	jmgpu_wr(pf, JMGPU_PF_INT_MASK, JMGPU_PF_INT_MBOX | JMGPU_PF_INT_EVENT);
}

static int jmgpu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct jmgpu_pf *pf;
	unsigned int i;
	int ret;

	pf = devm_kzalloc(dev, sizeof(*pf), GFP_KERNEL);
	if (!pf)
		return -ENOMEM;
	pf->pdev = pdev;
	mutex_init(&pf->mbox_lock);
	mutex_init(&pf->cfg_lock);
	mutex_init(&pf->ev_lock);
	spin_lock_init(&pf->trace_lock);
	spin_lock_init(&pf->stats_lock);
	init_completion(&pf->mbox_done);
	INIT_DELAYED_WORK(&pf->monitor_work, jmgpu_monitor_fn);
	INIT_WORK(&pf->resync_work, jmgpu_resync_fn);
	jmgpu_recovery_init(pf);
	for (i = 0; i < JMGPU_MAX_VFS; i++)
		pf->vf[i].msix_count = JMGPU_VF_MSIX_VECTORS;
	strscpy(pf->auto_provision, auto_provision, sizeof(pf->auto_provision));

	ret = pcim_enable_device(pdev);
	if (ret) {
		dev_err(dev, "cannot enable device: %d\n", ret);
		goto err_out;
	}
	/*
	 * BAR0 is mapped without requesting the region: with
	 * CONFIG_IO_STRICT_DEVMEM (Debian) a requested region cannot be
	 * mmapped through sysfs resource0, which the selftests need for the
	 * test-only fault block at 0x4000. The driver never touches that block.
	 */
	pf->regs = pcim_iomap(pdev, JMGPU_BAR_REGS, JMGPU_PF_BAR0_SIZE);
	if (!pf->regs) {
		dev_err(dev, "cannot map BAR%d\n", JMGPU_BAR_REGS);
		ret = -ENOMEM;
		goto err_out;
	}
	if (pci_resource_len(pdev, JMGPU_BAR_REGS) < JMGPU_PF_BAR0_SIZE) {
		dev_err(dev, "BAR%d too small\n", JMGPU_BAR_REGS);
		ret = -ENODEV;
		goto err_out;
	}
	ret = jmgpu_check_id(pf);
	if (ret)
		goto err_out;
	pci_set_master(pdev);
	pci_set_drvdata(pdev, pf);
	if (pci_num_vf(pdev))
		dev_warn(dev, "%d VFs left enabled by a previous driver: no firmware contexts until SR-IOV is disabled and enabled again\n",
			 pci_num_vf(pdev));

	ret = jmgpu_irq_init(pf);
	if (ret)
		goto err_out;
	ret = jmgpu_fw_init(pf);
	if (ret)
		goto err_irq;
	if (pf->max_vfs > pci_sriov_get_totalvfs(pdev))
		dev_warn(dev, "firmware reports %u VFs, SR-IOV capability %d\n",
			 pf->max_vfs, pci_sriov_get_totalvfs(pdev));
	ret = jmgpu_alloc_init(pf);
	if (ret)
		goto err_irq;
	ret = jmgpu_fb_probe_scrub(pf);
	if (ret)
		goto err_alloc;
	ret = jmgpu_sysfs_init(pf);
	if (ret)
		goto err_alloc;

	jmgpu_debugfs_init(pf);
	jmgpu_recovery_allow(pf);
	jmgpu_events_start(pf);
	jmgpu_monitor_start(pf);
	dev_info(dev,
		 "jmgpu PF: firmware interface %u.%u build %u, %llu MiB VRAM in %u KiB granules, %u VFs max\n",
		 JMGPU_VERSION_MAJOR(pf->fw_version),
		 JMGPU_VERSION_MINOR(pf->fw_version), pf->fw_build,
		 pf->fb_size >> 20, pf->granule >> 10, pf->max_vfs);
	return 0;

err_alloc:
	jmgpu_alloc_fini(pf);
err_irq:
	jmgpu_irq_fini(pf);
err_out:
	/* nothing may run on the PF state that devres frees next */
	jmgpu_recovery_stop(pf);
	dev_err(dev, "probe failed (%d), PF left unbound\n", ret);
	return ret;
}

static void jmgpu_remove(struct pci_dev *pdev)
{
	struct jmgpu_pf *pf = pci_get_drvdata(pdev);

	WRITE_ONCE(pf->removing, true);
	jmgpu_recovery_stop(pf);	/* none queued from here on */
	jmgpu_monitor_stop(pf);
	jmgpu_sriov_remove(pf);
	jmgpu_sysfs_fini(pf);
	jmgpu_debugfs_fini(pf);
	jmgpu_irq_fini(pf);
	cancel_work_sync(&pf->resync_work);	/* one the last event queued */
	jmgpu_alloc_fini(pf);
}

/*
 * A PCI reset of the PF itself (FLR through sysfs "reset", a bus reset):
 * the device restarts its firmware with no VF context, no provisioning and
 * its event totals at zero, and clears the interrupt mask. Around it the
 * driver holds cfg_lock and mbox_lock, so no configuration change and no
 * mailbox request runs into the reset, and masks the interrupts; after it
 * the interrupts are re-armed and a recovery restores the VF contexts,
 * every provisioning and the scheduler, as after a firmware reset nobody
 * asked for. A firmware that recovery had given up on gets a new try.
 */
static void jmgpu_reset_prepare(struct pci_dev *pdev)
{
	struct jmgpu_pf *pf = pci_get_drvdata(pdev);

	jmgpu_monitor_stop(pf);
	mutex_lock(&pf->cfg_lock);	/* a running recovery ends first */
	mutex_lock(&pf->mbox_lock);
	jmgpu_wr(pf, JMGPU_PF_INT_MASK, 0);
	synchronize_irq(pci_irq_vector(pdev, JMGPU_PF_MSIX_EVENT));
	WRITE_ONCE(pf->mbox_broken, true);
	dev_info(&pdev->dev, "PF reset: firmware state is restored after it\n");
}

static void jmgpu_reset_done(struct pci_dev *pdev)
{
	struct jmgpu_pf *pf = pci_get_drvdata(pdev);

	lockdep_assert_held(&pf->cfg_lock);
	/* the reset's own FW_RESET_DONE is no news: drop it with the rest */
	if (jmgpu_fw_wait_ready(pf, 2000))
		dev_warn(&pdev->dev, "PF reset: firmware not ready (status 0x%x)\n",
			 jmgpu_rd(pf, JMGPU_PF_STATUS));
	jmgpu_evq_drop_stale(pf);
	pf->pf_reset = true;
	WRITE_ONCE(pf->fw_dead, false);
	mutex_unlock(&pf->mbox_lock);
	mutex_unlock(&pf->cfg_lock);
	jmgpu_wr(pf, JMGPU_PF_INT_STATUS, JMGPU_PF_INT_MBOX | JMGPU_PF_INT_EVENT);
	jmgpu_events_start(pf);
	jmgpu_schedule_recovery(pf, "PF reset (FLR or bus reset)");
	jmgpu_monitor_start(pf);
}

static const struct pci_error_handlers jmgpu_pf_err_handlers = {
	.reset_prepare = jmgpu_reset_prepare,
	.reset_done = jmgpu_reset_done,
};

static const struct pci_device_id jmgpu_pf_ids[] = {
	{ PCI_DEVICE(JMGPU_PCI_VENDOR_ID, JMGPU_PCI_DEVICE_ID_PF) },
	{ }
};
MODULE_DEVICE_TABLE(pci, jmgpu_pf_ids);

struct pci_driver jmgpu_pf_driver = {
	.name = JMGPU_DRV_NAME,
	.id_table = jmgpu_pf_ids,
	.probe = jmgpu_probe,
	.remove = jmgpu_remove,
	.err_handler = &jmgpu_pf_err_handlers,
	.sriov_configure = jmgpu_sriov_configure,
	.sriov_set_msix_vec_count = jmgpu_sriov_set_msix_vec_count,
	.sriov_get_vf_total_msix = jmgpu_sriov_get_vf_total_msix,
	.dev_groups = jmgpu_pf_groups,
};

static int __init jmgpu_pf_init(void)
{
	int ret;

	jmgpu_debugfs_module_init();
	ret = pci_register_driver(&jmgpu_pf_driver);
	if (ret)
		jmgpu_debugfs_module_exit();
	return ret;
}

static void __exit jmgpu_pf_exit(void)
{
	pci_unregister_driver(&jmgpu_pf_driver);
	jmgpu_debugfs_module_exit();
}

module_init(jmgpu_pf_init);
module_exit(jmgpu_pf_exit);

MODULE_DESCRIPTION("jmgpu SR-IOV GPU physical function driver");
MODULE_LICENSE("GPL");

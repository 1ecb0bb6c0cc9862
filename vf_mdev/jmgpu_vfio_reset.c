// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu VF variant driver: reset policy and PF events.
 *
 * A vGPU reset is the PCI reset of the VF (FLR), done by the PCI core,
 * followed by the firmware's functional reset of that VF
 * (jmgpu_pf_vf_reset). Both touch only this VF: the other vGPUs keep
 * running. Every PCI reset the PCI core runs with the driver's reset
 * callbacks reaches the firmware through .reset_done: VFIO_DEVICE_RESET,
 * the reset at open (vfio_pci_core_enable), an FLR the guest writes into
 * the emulated DevCtl, a bus reset (VFIO_DEVICE_PCI_HOT_RESET) and the
 * host's sysfs "reset". The one PCI reset vfio-pci-core does without the
 * callbacks, at the last close (__pci_reset_function_locked() in
 * vfio_pci_core_disable), is followed by the firmware reset explicitly in
 * close_device. So each path resets the VF in the firmware exactly once.
 *
 * Locking: .reset_done runs under the VF's device lock (pci_dev_lock),
 * inside vfio-pci-core's memory_lock (ioctl, DevCtl) or dev_set lock and
 * this driver's state_lock (open). It takes only the PF's cfg_lock
 * (jmgpu_pf_vf_reset); jmgpu_pf never holds cfg_lock while it takes a VF's
 * device lock (pci_enable_sriov/pci_disable_sriov run without it) nor any
 * vfio lock, so the order memory_lock/state_lock -> device lock -> cfg_lock
 * has no reverse. It must not take state_lock (open holds it around the
 * reset).
 *
 * PF recovery (the firmware was reset by the PF driver, every VF's engine
 * state is lost, provisioning restored) reaches the user of an open VF
 * through the VFIO error eventfd (VFIO_PCI_ERR_IRQ_INDEX), the channel
 * vfio-pci uses for "the device lost its state" (AER); QEMU stops the VM
 * with an error so that management can reset it. The VF's own registers
 * show the loss too (ring disabled, fence reset), and the event is counted
 * in the vGPU's jmgpu/recoveries attribute.
 */
#include <linux/eventfd.h>
#include <linux/pci.h>
#include <linux/rcupdate.h>

#include "jmgpu_vfio.h"

/**
 * jmgpu_vfio_fw_reset - functional reset of the VF in the firmware
 * @jv: VF state
 * @why: for the log
 *
 * Return: 0 or the error of jmgpu_pf_vf_reset() (also logged).
 */
int jmgpu_vfio_fw_reset(struct jmgpu_vfio *jv, const char *why)
{
	int ret = jmgpu_pf_vf_reset(jv->pf, jv->vf);

	atomic_inc(&jv->resets);
	if (ret)
		dev_err(jmgpu_vfio_dev(jv),
			"VF%u: firmware VF reset (%s) failed: %d\n", jv->vf,
			why, ret);
	return ret;
}

/*
 * .reset_done: the PCI core reset the VF (FLR or bus reset) with the
 * driver's callbacks; reset it in the firmware too. The device lock is
 * held and the driver is bound, so drvdata is this driver's.
 */
static void jmgpu_vfio_reset_done(struct pci_dev *pdev)
{
	struct vfio_pci_core_device *core = dev_get_drvdata(&pdev->dev);
	struct jmgpu_vfio *jv = core_to_jmgpu(core);

	WRITE_ONCE(jv->fw_reset_err, jmgpu_vfio_fw_reset(jv, "PCI reset"));
}

/*
 * vfio-pci-core's AER handling (the user's error eventfd) stays as it is;
 * only the end of a reset is added, as the migration drivers do.
 */
const struct pci_error_handlers jmgpu_vfio_err_handlers = {
	.error_detected = vfio_pci_core_aer_err_detected,
	.reset_done = jmgpu_vfio_reset_done,
};

/**
 * jmgpu_vfio_reset_ioctl - VFIO_DEVICE_RESET: FLR, then firmware VF reset
 * @jv: VF state (device open)
 * @cmd: VFIO_DEVICE_RESET
 * @arg: ioctl argument (unused by the uAPI)
 *
 * The core's pci_try_reset_function() calls jmgpu_vfio_reset_done(), which
 * resets the VF in the firmware and leaves its result in @jv->fw_reset_err.
 *
 * Return: 0, -EIO when the firmware reset failed, or the core's errno.
 */
int jmgpu_vfio_reset_ioctl(struct jmgpu_vfio *jv, unsigned int cmd,
			   unsigned long arg)
{
	int ret;

	WRITE_ONCE(jv->fw_reset_err, -EIO);
	ret = vfio_pci_core_ioctl(&jv->core.vdev, cmd, arg);
	if (ret)
		return ret;
	ret = READ_ONCE(jv->fw_reset_err);
	if (ret) {
		dev_err(jmgpu_vfio_dev(jv),
			"VF%u: FLR done but the firmware VF reset failed: %d\n",
			jv->vf, ret);
		return -EIO;
	}
	return 0;
}

/* Signal the error eventfd the user registered, if any. */
static void jmgpu_vfio_signal_err(struct jmgpu_vfio *jv)
{
	struct vfio_pci_eventfd *trig;

	rcu_read_lock();
	trig = rcu_dereference(jv->core.err_trigger);
	if (trig)
		eventfd_signal(trig->ctx);
	rcu_read_unlock();
}

static void jmgpu_vfio_event(void *priv, unsigned int vf,
			     enum jmgpu_pf_event event, u32 data)
{
	struct jmgpu_vfio *jv = priv;

	switch (event) {
	case JMGPU_PF_EVENT_PF_RECOVERY:
		atomic_inc(&jv->recoveries);
		/* open is read without the lock: a stale value only means a
		 * signal to an eventfd nobody reads, or none to a closed VF.
		 */
		if (READ_ONCE(jv->open)) {
			dev_warn(jmgpu_vfio_dev(jv),
				 "VF%u: PF recovery #%u, engine state lost: signalling the user's error eventfd\n",
				 vf, data);
			jmgpu_vfio_signal_err(jv);
		}
		break;
	case JMGPU_PF_EVENT_ENGINE_FAULT:
		atomic_inc(&jv->engine_faults);
		dev_dbg(jmgpu_vfio_dev(jv), "VF%u: engine fault %u\n", vf,
			data);
		break;
	case JMGPU_PF_EVENT_FLR_DONE:
	case JMGPU_PF_EVENT_VF_MSG:
	default:
		break;
	}
}

int jmgpu_vfio_events_init(struct jmgpu_vfio *jv)
{
	int ret = jmgpu_pf_register_events(jv->pf, jv->vf, jmgpu_vfio_event,
					   jv);

	if (ret)
		dev_err(jmgpu_vfio_dev(jv),
			"VF%u: cannot register for PF events: %d\n", jv->vf,
			ret);
	return ret;
}

void jmgpu_vfio_events_fini(struct jmgpu_vfio *jv)
{
	jmgpu_pf_unregister_events(jv->pf, jv->vf);
}

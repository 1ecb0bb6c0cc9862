// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu VF variant driver: reset policy and PF events.
 *
 * A vGPU reset (VFIO_DEVICE_RESET, and the last close of the VF) is the
 * PCI FLR of the VF, done by vfio-pci-core, followed by the firmware's
 * functional reset of that VF (jmgpu_pf_vf_reset). Both touch only this VF:
 * the other vGPUs keep running.
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
 */
void jmgpu_vfio_fw_reset(struct jmgpu_vfio *jv, const char *why)
{
	int ret = jmgpu_pf_vf_reset(jv->pf, jv->vf);

	atomic_inc(&jv->resets);
	if (ret)
		dev_err(jmgpu_vfio_dev(jv),
			"VF%u: firmware VF reset (%s) failed: %d\n", jv->vf,
			why, ret);
}

/**
 * jmgpu_vfio_reset_ioctl - VFIO_DEVICE_RESET: FLR, then firmware VF reset
 * @jv: VF state (device open)
 * @cmd: VFIO_DEVICE_RESET
 * @arg: ioctl argument (unused by the uAPI)
 *
 * Return: 0 or a negative errno.
 */
int jmgpu_vfio_reset_ioctl(struct jmgpu_vfio *jv, unsigned int cmd,
			   unsigned long arg)
{
	int ret;

	ret = vfio_pci_core_ioctl(&jv->core.vdev, cmd, arg);
	if (ret)
		return ret;
	ret = jmgpu_pf_vf_reset(jv->pf, jv->vf);
	atomic_inc(&jv->resets);
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

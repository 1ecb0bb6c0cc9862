// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu PF driver: firmware recovery and event delivery to VF listeners.
 *
 * Causes: heartbeat stall or FW_HALTED (monitor), mailbox timeout or
 * malformed reply (mailbox), an unexpected FW_RESET_DONE event, a PCI
 * reset of the PF (jmgpu_main.c, reset_done). Recovery
 * resets the firmware through PF CONTROL, waits for FW_READY, repeats the
 * handshake, re-creates the VF contexts, restores every provisioning and
 * the scheduler settings, then tells every VF listener.
 */
#include <linux/delay.h>
#include <linux/iopoll.h>
#include <linux/stdarg.h>

#include "jmgpu_pf.h"

#define JMGPU_RECOVERY_TRIES	3

void jmgpu_recovery_init(struct jmgpu_pf *pf)
{
	INIT_WORK(&pf->recovery_work, jmgpu_recovery_fn);
	spin_lock_init(&pf->recovery_lock);
	pf->recovery_allowed = false;
	atomic_set(&pf->recoveries, 0);
	atomic_set(&pf->own_resets, 0);
}

/**
 * jmgpu_recovery_allow - let firmware problems start a recovery
 * @pf: the PF
 *
 * Called at the end of a successful probe. Before it, a failing firmware
 * fails the probe instead.
 */
void jmgpu_recovery_allow(struct jmgpu_pf *pf)
{
	unsigned long flags;

	spin_lock_irqsave(&pf->recovery_lock, flags);
	pf->recovery_allowed = true;
	spin_unlock_irqrestore(&pf->recovery_lock, flags);
}

/**
 * jmgpu_recovery_stop - no more recoveries; wait for a running one
 * @pf: the PF
 *
 * Probe's error path and remove call it before the PF state goes away.
 * Process context.
 */
void jmgpu_recovery_stop(struct jmgpu_pf *pf)
{
	unsigned long flags;

	spin_lock_irqsave(&pf->recovery_lock, flags);
	pf->recovery_allowed = false;
	spin_unlock_irqrestore(&pf->recovery_lock, flags);
	cancel_work_sync(&pf->recovery_work);
}

/**
 * jmgpu_schedule_recovery - start recovery (once) with a logged cause
 * @pf: the PF
 * @fmt: printf format of the cause
 *
 * Safe from any context. A recovery already pending keeps its first cause.
 * Outside the window of jmgpu_recovery_allow()..jmgpu_recovery_stop()
 * (probe, remove) nothing is queued: the caller's error is the outcome.
 */
void jmgpu_schedule_recovery(struct jmgpu_pf *pf, const char *fmt, ...)
{
	unsigned long flags;
	va_list ap;

	if (READ_ONCE(pf->fw_dead))
		return;
	WRITE_ONCE(pf->mbox_broken, true);
	spin_lock_irqsave(&pf->recovery_lock, flags);
	if (!pf->recovery_allowed || pf->recovery_cause[0]) {
		/* probe or remove; or a pending recovery covers this cause */
		spin_unlock_irqrestore(&pf->recovery_lock, flags);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(pf->recovery_cause, sizeof(pf->recovery_cause), fmt, ap);
	va_end(ap);
	dev_warn(jmgpu_dev(pf), "firmware problem: %s, recovering\n",
		 pf->recovery_cause);
	queue_work(system_long_wq, &pf->recovery_work);
	spin_unlock_irqrestore(&pf->recovery_lock, flags);
}

/**
 * jmgpu_fw_wait_ready - poll PF STATUS until the firmware accepts requests
 * @pf: the PF
 * @timeout_ms: how long to wait
 *
 * Return: 0, -ETIMEDOUT, or -ENODEV when the device is gone.
 */
int jmgpu_fw_wait_ready(struct jmgpu_pf *pf, unsigned int timeout_ms)
{
	u32 st;
	int ret;

	ret = read_poll_timeout(ioread32, st,
				st == U32_MAX ||
				((st & JMGPU_PF_STATUS_FW_READY) &&
				 !(st & (JMGPU_PF_STATUS_RESETTING |
					 JMGPU_PF_STATUS_FW_HALTED))),
				1000, timeout_ms * 1000ULL, false,
				pf->regs + JMGPU_PF_STATUS);
	if (!ret && st == U32_MAX)
		return -ENODEV;
	return ret;
}

/* One attempt: reset, handshake, contexts, provisioning, scheduler. */
static int jmgpu_recover_once(struct jmgpu_pf *pf)
{
	struct device *dev = jmgpu_dev(pf);
	u32 i;
	int ret;

	atomic_inc(&pf->own_resets);
	jmgpu_wr(pf, JMGPU_PF_CONTROL, JMGPU_PF_CONTROL_RESET);
	ret = jmgpu_fw_wait_ready(pf, 2000);
	if (ret) {
		dev_err(dev, "recovery: firmware not ready after reset (status 0x%x)\n",
			jmgpu_rd(pf, JMGPU_PF_STATUS));
		return ret;
	}
	/* a reply of the hung request may still be flagged; forget it */
	reinit_completion(&pf->mbox_done);
	ret = jmgpu_fw_hello(pf, true);
	if (!ret)
		ret = jmgpu_fw_get_caps(pf, true);
	if (ret) {
		dev_err(dev, "recovery: handshake failed: %d\n", ret);
		return ret;
	}
	if (pf->num_vfs) {
		ret = jmgpu_fw_vf_enable(pf, pf->num_vfs, true);
		if (ret) {
			dev_err(dev, "recovery: VF_ENABLE %u failed: %d\n",
				pf->num_vfs, ret);
			return ret;
		}
	}
	if (pf->pf_reset)
		jmgpu_events_seed(pf, true);
	for (i = 0; i < pf->num_vfs; i++) {
		struct jmgpu_vf *v = &pf->vf[i];

		if (!v->fw.provisioned)
			continue;
		ret = jmgpu_fw_vf_provision(pf, i, true);
		if (ret) {
			dev_err(dev, "recovery: restoring vf%u failed: %d\n", i,
				ret);
			return ret;
		}
		if (v->scrub_pending) {
			/* the unprovision that failed: now with scrub */
			ret = jmgpu_fw_vf_cmd(pf, JMGPU_CMD_VF_UNPROVISION, i,
					      true);
			if (ret) {
				dev_err(dev, "recovery: unprovision of vf%u failed: %d\n",
					i, ret);
				return ret;
			}
			v->scrub_pending = false;
			jmgpu_fb_set_dirty(pf, v->fw.fb_offset,
					   v->fw.profile.fb_size, false);
			jmgpu_free_vf(pf, i);
			jmgpu_stats_clear(pf, i);
			continue;
		}
		/* a monitor lost with the firmware's state: not fatal */
		ret = jmgpu_fw_vf_restore_display(pf, i);
		if (ret)
			dev_warn(dev, "recovery: monitor of vf%u not restored: %d\n",
				 i, ret);
	}
	ret = jmgpu_fw_set_sched(pf, pf->sched_policy, pf->sched_slice_us,
				 true);
	if (ret)
		dev_err(dev, "recovery: restoring scheduler failed: %d\n", ret);
	return ret;
}

void jmgpu_recovery_fn(struct work_struct *work)
{
	struct jmgpu_pf *pf = container_of(work, struct jmgpu_pf,
					   recovery_work);
	struct device *dev = jmgpu_dev(pf);
	char cause[sizeof(pf->recovery_cause)];
	unsigned long flags;
	int ret = -EIO, try, count;
	u32 i, nvfs;

	if (READ_ONCE(pf->removing))
		return;
	mutex_lock(&pf->cfg_lock);
	spin_lock_irqsave(&pf->recovery_lock, flags);
	strscpy(cause, pf->recovery_cause[0] ? pf->recovery_cause : "unknown",
		sizeof(cause));
	spin_unlock_irqrestore(&pf->recovery_lock, flags);

	count = atomic_inc_return(&pf->recoveries);
	dev_warn(dev, "recovery %d: resetting firmware (cause: %s)\n", count,
		 cause);
	for (try = 1; try <= JMGPU_RECOVERY_TRIES; try++) {
		WRITE_ONCE(pf->mbox_broken, true);
		ret = jmgpu_recover_once(pf);
		if (!ret)
			break;
		dev_warn(dev, "recovery %d: attempt %d failed: %d\n", count,
			 try, ret);
	}
	if (ret) {
		WRITE_ONCE(pf->fw_dead, true);
		dev_err(dev, "recovery %d failed, firmware dead: unbind and rebind the PF\n",
			count);
	} else {
		pf->pf_reset = false;
		WRITE_ONCE(pf->mbox_broken, false);
		dev_info(dev, "recovery %d done: %u VF contexts and their provisioning restored\n",
			 count, pf->num_vfs);
	}
	spin_lock_irqsave(&pf->recovery_lock, flags);
	pf->recovery_cause[0] = '\0';
	spin_unlock_irqrestore(&pf->recovery_lock, flags);
	nvfs = pf->num_vfs;
	mutex_unlock(&pf->cfg_lock);

	for (i = 0; i < nvfs; i++)
		jmgpu_notify(pf, i, JMGPU_PF_EVENT_PF_RECOVERY, count);
}

/**
 * jmgpu_notify - call VF @vf's listener, if any
 * @pf: the PF
 * @vf: VF index
 * @ev: event
 * @data: event data
 *
 * Process context; serialized with (un)registration by ev_lock.
 */
void jmgpu_notify(struct jmgpu_pf *pf, u32 vf, enum jmgpu_pf_event ev,
		  u32 data)
{
	if (vf >= JMGPU_MAX_VFS)
		return;
	mutex_lock(&pf->ev_lock);
	if (pf->vf[vf].ev_fn)
		pf->vf[vf].ev_fn(pf->vf[vf].ev_priv, vf, ev, data);
	mutex_unlock(&pf->ev_lock);
}

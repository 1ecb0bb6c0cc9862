// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu PF driver: monitoring (statistics sampling, firmware heartbeat
 * check) and the firmware event ring.
 *
 * The monitor is a self-rearming delayed work. It samples VF_GET_STATS for
 * every enabled VF into a cache under stats_lock, so readers (sysfs, API)
 * never wait for the mailbox, and checks that the heartbeat advances.
 */
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/math64.h>

#include "jmgpu_pf.h"

void jmgpu_stats_clear(struct jmgpu_pf *pf, u32 vf)
{
	unsigned long flags;

	spin_lock_irqsave(&pf->stats_lock, flags);
	memset(&pf->vf[vf].stats, 0, sizeof(pf->vf[vf].stats));
	memset(&pf->vf[vf].sample, 0, sizeof(pf->vf[vf].sample));
	/* FB in use follows provisioning at once, not the next sample */
	if (pf->vf[vf].fw.provisioned)
		pf->vf[vf].sample.fb_in_use = pf->vf[vf].fw.profile.fb_size;
	pf->vf[vf].sample_jiffies = 0;
	spin_unlock_irqrestore(&pf->stats_lock, flags);
}

static void jmgpu_stats_store(struct jmgpu_pf *pf, u32 vf,
			      const struct jmgpu_vf_stats *s, u64 fb)
{
	struct jmgpu_vf *v = &pf->vf[vf];
	struct jmgpu_vf_stats_sample *o = &v->sample;
	u64 busy = le64_to_cpu(s->engine_busy_ns);
	u64 ts = le64_to_cpu(s->timestamp_ns);
	u64 pbusy = le64_to_cpu(v->stats.engine_busy_ns);
	u64 pts = le64_to_cpu(v->stats.timestamp_ns);
	unsigned long flags;
	u32 pct = 0;

	if (o->valid && ts > pts && busy >= pbusy)
		pct = min_t(u64, 100, div64_u64((busy - pbusy) * 100, ts - pts));

	spin_lock_irqsave(&pf->stats_lock, flags);
	v->stats = *s;
	o->valid = true;
	o->engine_busy_pct = pct;
	o->fb_in_use = fb;
	o->engine_busy_ns = busy;
	o->jobs = le64_to_cpu(s->jobs);
	o->bytes = le64_to_cpu(s->bytes);
	o->doorbells = le64_to_cpu(s->doorbells);
	o->faults = le64_to_cpu(s->faults);
	o->resets = le64_to_cpu(s->resets);
	o->fb_violations = le64_to_cpu(s->fb_violations);
	o->timestamp_ns = ts;
	v->sample_jiffies = jiffies;
	spin_unlock_irqrestore(&pf->stats_lock, flags);
}

static void jmgpu_check_heartbeat(struct jmgpu_pf *pf)
{
	u32 st = jmgpu_rd(pf, JMGPU_PF_STATUS);
	u32 hb, period;

	if (st == U32_MAX) {
		jmgpu_schedule_recovery(pf, "device not responding (status reads all-ones)");
		return;
	}
	if (st & JMGPU_PF_STATUS_FW_HALTED) {
		jmgpu_schedule_recovery(pf, "firmware halted (status 0x%x)", st);
		return;
	}
	if (!(st & JMGPU_PF_STATUS_FW_READY) || (st & JMGPU_PF_STATUS_RESETTING)) {
		pf->last_hb_jiffies = 0;
		return;
	}
	hb = jmgpu_rd(pf, JMGPU_PF_HEARTBEAT);
	period = jmgpu_rd(pf, JMGPU_PF_HEARTBEAT_PERIOD_US);
	period = clamp_t(u32, period, 1, 1000000);
	if (pf->last_hb_jiffies && hb == pf->last_heartbeat &&
	    time_after(jiffies, pf->last_hb_jiffies +
		       usecs_to_jiffies(10 * period))) {
		jmgpu_schedule_recovery(pf, "heartbeat stalled at %u for %u ms",
					hb, jiffies_to_msecs(jiffies -
							     pf->last_hb_jiffies));
		pf->last_hb_jiffies = 0;
		return;
	}
	if (hb != pf->last_heartbeat || !pf->last_hb_jiffies) {
		pf->last_heartbeat = hb;
		pf->last_hb_jiffies = jiffies;
	}
}

static void jmgpu_sample(struct jmgpu_pf *pf)
{
	struct jmgpu_vf_stats s;
	u32 i;

	/* never wait behind provisioning or recovery: skip this round */
	if (!mutex_trylock(&pf->cfg_lock))
		return;
	for (i = 0; i < pf->num_vfs; i++) {
		if (READ_ONCE(pf->mbox_broken))
			break;
		if (jmgpu_fw_get_stats(pf, i, &s))
			break;
		jmgpu_stats_store(pf, i, &s, pf->vf[i].fw.provisioned ?
				  pf->vf[i].fw.profile.fb_size : 0);
	}
	mutex_unlock(&pf->cfg_lock);
}

void jmgpu_monitor_fn(struct work_struct *work)
{
	struct jmgpu_pf *pf = container_of(to_delayed_work(work),
					   struct jmgpu_pf, monitor_work);

	if (READ_ONCE(pf->removing))
		return;
	if (!READ_ONCE(pf->mbox_broken) && !READ_ONCE(pf->fw_dead)) {
		jmgpu_check_heartbeat(pf);
		if (!READ_ONCE(pf->mbox_broken))
			jmgpu_sample(pf);
	} else {
		pf->last_hb_jiffies = 0;
	}
	if (!READ_ONCE(pf->removing))
		schedule_delayed_work(&pf->monitor_work,
				      msecs_to_jiffies(max(jmgpu_sample_interval_ms, 10U)));
}

void jmgpu_monitor_start(struct jmgpu_pf *pf)
{
	schedule_delayed_work(&pf->monitor_work,
			      msecs_to_jiffies(max(jmgpu_sample_interval_ms, 10U)));
}

void jmgpu_monitor_stop(struct jmgpu_pf *pf)
{
	cancel_delayed_work_sync(&pf->monitor_work);
}

static void jmgpu_handle_event(struct jmgpu_pf *pf, const struct jmgpu_event *e)
{
	unsigned int type = le16_to_cpu(e->type);
	unsigned int vf = le16_to_cpu(e->vf);
	u32 data = le32_to_cpu(e->data);
	int err;

	err = jmgpu_check_event(e, pci_num_vf(pf->pdev));
	if (err != JMGPU_REPLY_OK) {
		dev_warn_ratelimited(jmgpu_dev(pf),
				     "event rejected: %s (type %u vf %u)\n",
				     jmgpu_reply_err_str(err), type, vf);
		return;
	}
	switch (type) {
	case JMGPU_EVENT_VF_FLR_DONE:
		dev_dbg(jmgpu_dev(pf), "vf%u: FLR done\n", vf);
		jmgpu_notify(pf, vf, JMGPU_PF_EVENT_FLR_DONE, 0);
		break;
	case JMGPU_EVENT_ENGINE_FAULT:
		dev_info_ratelimited(jmgpu_dev(pf), "vf%u: engine fault, code %u\n",
				     vf, data);
		jmgpu_notify(pf, vf, JMGPU_PF_EVENT_ENGINE_FAULT, data);
		break;
	case JMGPU_EVENT_VF_MSG:
		jmgpu_notify(pf, vf, JMGPU_PF_EVENT_VF_MSG,
			     le32_to_cpu(e->payload[0]));
		break;
	case JMGPU_EVENT_FW_RESET_DONE:
		if (atomic_dec_if_positive(&pf->own_resets) < 0)
			jmgpu_schedule_recovery(pf, "firmware reset without request");
		break;
	}
}

irqreturn_t jmgpu_event_irq(int irq, void *data)
{
	struct jmgpu_pf *pf = data;
	struct jmgpu_event e;
	u32 head, tail, ovf;
	unsigned int n = 0;

	jmgpu_wr(pf, JMGPU_PF_INT_STATUS, JMGPU_PF_INT_EVENT);
	head = jmgpu_rd(pf, JMGPU_PF_EVQ_HEAD);
	tail = jmgpu_rd(pf, JMGPU_PF_EVQ_TAIL);
	if (head >= JMGPU_EVQ_ENTRIES || tail >= JMGPU_EVQ_ENTRIES) {
		if (head != U32_MAX)
			dev_err_ratelimited(jmgpu_dev(pf),
					    "event ring index out of range (head %u tail %u)\n",
					    head, tail);
		return IRQ_HANDLED;
	}
	ovf = jmgpu_rd(pf, JMGPU_PF_EVQ_OVERFLOW);
	if (ovf != pf->evq_overflow) {
		dev_warn_ratelimited(jmgpu_dev(pf), "event ring overflow: %u events lost\n",
				     ovf - pf->evq_overflow);
		pf->evq_overflow = ovf;
	}
	while (tail != head && n++ < JMGPU_EVQ_ENTRIES) {
		memcpy_fromio(&e, pf->regs + JMGPU_PF_EVQ + tail * JMGPU_EVENT_SIZE,
			      sizeof(e));
		tail = (tail + 1) % JMGPU_EVQ_ENTRIES;
		jmgpu_wr(pf, JMGPU_PF_EVQ_TAIL, tail);
		jmgpu_handle_event(pf, &e);
	}
	return IRQ_HANDLED;
}

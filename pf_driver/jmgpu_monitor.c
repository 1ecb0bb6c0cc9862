// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu PF driver: monitoring (statistics sampling, firmware heartbeat
 * check), the firmware event ring and its resync after an overflow.
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
	struct jmgpu_vf_stats_sample *o = &pf->vf[vf].sample, keep;
	unsigned long flags;

	spin_lock_irqsave(&pf->stats_lock, flags);
	/*
	 * The firmware's totals of the VF (busy time, jobs, bytes, doorbells,
	 * faults, resets, violations) go on across provisionings: they
	 * restart only with the firmware. Keep the last ones, so that no
	 * counter in sysfs or the metrics steps back to 0 until the next
	 * sample; only the interval's busy percentage starts again.
	 */
	keep = *o;
	memset(&pf->vf[vf].stats, 0, sizeof(pf->vf[vf].stats));
	memset(o, 0, sizeof(*o));
	o->engine_busy_ns = keep.engine_busy_ns;
	o->jobs = keep.jobs;
	o->bytes = keep.bytes;
	o->doorbells = keep.doorbells;
	o->faults = keep.faults;
	o->resets = keep.resets;
	o->fb_violations = keep.fb_violations;
	/* FB in use follows provisioning at once, not the next sample */
	if (pf->vf[vf].fw.provisioned)
		o->fb_in_use = pf->vf[vf].fw.profile.fb_size;
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
	cancel_work_sync(&pf->resync_work);
}

/*
 * Account the occurrences up to the firmware's running @total (a record's,
 * or VF_EVENT_STATE's) in *@last and *@count; returns how many are new.
 * Totals are 32-bit and wrap: "new" is modulo 2^32, like sequence numbers.
 */
static u32 jmgpu_ev_account(struct jmgpu_pf *pf, u32 *last, u64 *count,
			    u32 total, bool resync, u32 vf)
{
	unsigned long flags;
	u32 d;

	spin_lock_irqsave(&pf->stats_lock, flags);
	d = total - *last;
	if ((s32)d <= 0) {
		d = 0;
	} else {
		*last = total;
		*count += d;
		if (resync)
			pf->vf[vf].ev.resynced += d;
	}
	spin_unlock_irqrestore(&pf->stats_lock, flags);
	return d;
}

static void jmgpu_handle_event(struct jmgpu_pf *pf, const struct jmgpu_event *e)
{
	unsigned int type = le16_to_cpu(e->type);
	unsigned int vf = le16_to_cpu(e->vf);
	u32 data = le32_to_cpu(e->data);
	struct jmgpu_vf_events *ev;
	unsigned long flags;
	int err;

	err = jmgpu_check_event(e, pci_num_vf(pf->pdev));
	if (err != JMGPU_REPLY_OK) {
		dev_warn_ratelimited(jmgpu_dev(pf),
				     "event rejected: %s (type %u vf %u)\n",
				     jmgpu_reply_err_str(err), type, vf);
		return;
	}
	ev = &pf->vf[vf].ev;
	if (type != JMGPU_EVENT_FW_RESET_DONE) {
		spin_lock_irqsave(&pf->stats_lock, flags);
		ev->records++;
		if (type == JMGPU_EVENT_ENGINE_FAULT)
			ev->last_fault = data;
		spin_unlock_irqrestore(&pf->stats_lock, flags);
	}
	switch (type) {
	case JMGPU_EVENT_VF_FLR_DONE:
		/* data: the VF's FLR total; one callback for those it covers */
		if (!jmgpu_ev_account(pf, &ev->flr_total, &ev->flr_done, data,
				      false, vf))
			break;
		dev_dbg(jmgpu_dev(pf), "vf%u: FLR done\n", vf);
		jmgpu_notify(pf, vf, JMGPU_PF_EVENT_FLR_DONE, 0);
		break;
	case JMGPU_EVENT_ENGINE_FAULT:
		if (!jmgpu_ev_account(pf, &ev->fault_total, &ev->faults,
				      le32_to_cpu(e->payload[2]), false, vf))
			break;
		dev_info_ratelimited(jmgpu_dev(pf), "vf%u: engine fault, code %u\n",
				     vf, data);
		jmgpu_notify(pf, vf, JMGPU_PF_EVENT_ENGINE_FAULT, data);
		break;
	case JMGPU_EVENT_VF_MSG:
		/* data: the message's seq; each is delivered and acked once */
		if (!jmgpu_ev_account(pf, &ev->msg_seq, &ev->msgs, data, false,
				      vf))
			break;
		jmgpu_notify(pf, vf, JMGPU_PF_EVENT_VF_MSG,
			     le32_to_cpu(e->payload[0]));
		/* the VF may send its next message */
		jmgpu_fw_vf_msg_ack(pf, vf, data);
		break;
	case JMGPU_EVENT_FW_RESET_DONE:
		if (atomic_dec_if_positive(&pf->own_resets) < 0)
			jmgpu_schedule_recovery(pf, "firmware reset without request");
		break;
	}
}

/*
 * Take every VF's totals as they are now as the ones already delivered.
 * At SR-IOV enable (@recovery false) what happened before is not this
 * driver's news: the driver's counts restart, and a message a previous
 * driver left unacknowledged is freed. In the recovery after a PCI reset
 * of the PF (@recovery true) the firmware's totals restarted from zero:
 * the driver's counts of what it delivered stay.
 * Under cfg_lock, with pf->num_vfs set.
 */
void jmgpu_events_seed(struct jmgpu_pf *pf, bool recovery)
{
	struct jmgpu_vf_event_state es;
	unsigned long flags;
	u32 i;

	lockdep_assert_held(&pf->cfg_lock);
	for (i = 0; i < pf->num_vfs; i++) {
		struct jmgpu_vf_events *ev = &pf->vf[i].ev;

		if (jmgpu_fw_vf_event_state(pf, i, &es, recovery))
			memset(&es, 0, sizeof(es));
		spin_lock_irqsave(&pf->stats_lock, flags);
		if (!recovery)
			memset(ev, 0, sizeof(*ev));
		ev->flr_total = le32_to_cpu(es.flr_done);
		ev->fault_total = le32_to_cpu(es.faults);
		ev->msg_seq = le32_to_cpu(es.msg_seq);
		spin_unlock_irqrestore(&pf->stats_lock, flags);
		if (!recovery && (le32_to_cpu(es.pending) & JMGPU_EVSTATE_MSG_BUSY))
			jmgpu_fw_vf_msg_ack(pf, i, le32_to_cpu(es.msg_seq));
	}
}

/*
 * Resync after EVQ_OVERFLOW moved: records were coalesced, or lost. Ask
 * the firmware for every VF's totals and deliver what no record brought:
 * FLRs and faults beyond the totals already accounted, and a message in
 * flight whose record never came (acknowledged so the VF can go on).
 * Then check that the firmware is alive and still holds the provisioning
 * it was given (a reset whose FW_RESET_DONE was missed starts recovery).
 */
void jmgpu_resync_fn(struct work_struct *work)
{
	struct jmgpu_pf *pf = container_of(work, struct jmgpu_pf, resync_work);
	u32 lost = READ_ONCE(pf->resync_lost);
	u32 i, n, flr = 0, faults = 0, msgs = 0, lostcfg = 0;
	struct jmgpu_vf_event_state es;
	struct jmgpu_vf_config cfg;
	int ret = 0;

	if (READ_ONCE(pf->removing))
		return;
	mutex_lock(&pf->cfg_lock);
	if (READ_ONCE(pf->mbox_broken) || READ_ONCE(pf->fw_dead)) {
		mutex_unlock(&pf->cfg_lock);
		return;		/* recovery restores everything */
	}
	n = pf->num_vfs;
	for (i = 0; i < n && !ret; i++) {
		struct jmgpu_vf_events *ev = &pf->vf[i].ev;
		u32 seq, d;

		ret = jmgpu_fw_vf_event_state(pf, i, &es, false);
		if (ret)
			break;
		d = jmgpu_ev_account(pf, &ev->flr_total, &ev->flr_done,
				     le32_to_cpu(es.flr_done), true, i);
		if (d)
			jmgpu_notify(pf, i, JMGPU_PF_EVENT_FLR_DONE, 0);
		flr += d;
		d = jmgpu_ev_account(pf, &ev->fault_total, &ev->faults,
				     le32_to_cpu(es.faults), true, i);
		if (d)
			jmgpu_notify(pf, i, JMGPU_PF_EVENT_ENGINE_FAULT,
				     JMGPU_FAULT_CODE_NONE);
		faults += d;
		seq = le32_to_cpu(es.msg_seq);
		if ((le32_to_cpu(es.pending) & JMGPU_EVSTATE_MSG_BUSY) &&
		    !(le32_to_cpu(es.pending) & JMGPU_EVSTATE_MSG_PENDING)) {
			d = jmgpu_ev_account(pf, &ev->msg_seq, &ev->msgs, seq,
					     true, i);
			if (d) {
				/* its payload is lost with its record */
				jmgpu_notify(pf, i, JMGPU_PF_EVENT_VF_MSG, 0);
				jmgpu_fw_vf_msg_ack(pf, i, seq);
			}
			msgs += d;
		}
		if (pf->vf[i].fw.provisioned) {
			ret = jmgpu_fw_vf_query(pf, i, &cfg);
			if (!ret && !le64_to_cpu(cfg.fb_size))
				lostcfg++;
		}
	}
	if (!ret)
		ret = jmgpu_fw_ping(pf);
	atomic_inc(&pf->resyncs);
	mutex_unlock(&pf->cfg_lock);

	dev_warn(jmgpu_dev(pf),
		 "event ring overflow (%u records coalesced or lost): resync of %u VFs %s, delivered %u FLR, %u fault, %u message events no record brought\n",
		 lost, n, ret ? "failed" : "done", flr, faults, msgs);
	if (lostcfg)
		jmgpu_schedule_recovery(pf, "resync: firmware lost the provisioning of %u VFs",
					lostcfg);
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
	while (tail != head && n++ < JMGPU_EVQ_ENTRIES) {
		memcpy_fromio(&e, pf->regs + JMGPU_PF_EVQ + tail * JMGPU_EVENT_SIZE,
			      sizeof(e));
		tail = (tail + 1) % JMGPU_EVQ_ENTRIES;
		/* freeing the slot lets the firmware move a waiting record in */
		jmgpu_wr(pf, JMGPU_PF_EVQ_TAIL, tail);
		jmgpu_handle_event(pf, &e);
	}
	/* after the drain: what was coalesced or lost is asked for once */
	ovf = jmgpu_rd(pf, JMGPU_PF_EVQ_OVERFLOW);
	if (ovf != pf->evq_overflow && ovf != U32_MAX &&
	    !READ_ONCE(pf->removing)) {
		WRITE_ONCE(pf->resync_lost, ovf - pf->evq_overflow);
		pf->evq_overflow = ovf;
		schedule_work(&pf->resync_work);
	}
	return IRQ_HANDLED;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jmgpu copy/fill engines (one context per VF) and the firmware scheduler
 * that time-slices them in QEMU virtual time.
 */
#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "qemu/units.h"
#include "hw/pci/pci_device.h"
#include "jmgpu.h"
#include "jmgpu_fw_validate.h"

/* Host pointer to [off, off + len) of the VF's slice, or NULL outside it. */
uint8_t *jmgpu_fb_ptr(JmgpuVfCtx *c, uint64_t off, uint64_t len)
{
    if (!c->provisioned || off > c->cfg.fb_size ||
        len > c->cfg.fb_size - off) {
        return NULL;
    }
    return (uint8_t *)memory_region_get_ram_ptr(&c->pf->vram) +
           c->cfg.fb_offset + off;
}

static bool jmgpu_dma(JmgpuVfCtx *c, uint64_t addr, void *buf, uint64_t len,
                      DMADirection dir)
{
    PCIDevice *d = jmgpu_vf_pci(c);

    if (c->dma_error) {
        c->dma_error = false;
        jmgpu_fw_log(c->pf, "fault: injected DMA error vf%u addr 0x%" PRIx64,
                     c->index, addr);
        return false;
    }
    if (!d) {
        return false;
    }
    return pci_dma_rw(d, addr, buf, len, dir, MEMTXATTRS_UNSPECIFIED) ==
           MEMTX_OK;
}

/* Read or write @len bytes at FB offset or IOVA @addr; faults on error. */
static bool jmgpu_xfer(JmgpuVfCtx *c, bool fb, uint64_t addr, void *buf,
                       uint64_t len, bool write)
{
    uint8_t *p;

    if (fb) {
        p = jmgpu_fb_ptr(c, addr, len);
        if (!p) {
            jmgpu_engine_fault(c, JMGPU_FAULT_CODE_FB_RANGE, addr);
            return false;
        }
        if (write) {
            memcpy(p, buf, len);
        } else {
            memcpy(buf, p, len);
        }
        return true;
    }
    if (!jmgpu_dma(c, addr, buf, len, write ? DMA_DIRECTION_FROM_DEVICE :
                   DMA_DIRECTION_TO_DEVICE)) {
        jmgpu_engine_fault(c, JMGPU_FAULT_CODE_DMA, addr);
        return false;
    }
    return true;
}

static void jmgpu_flush(JmgpuVfCtx *c);

void jmgpu_engine_fault(JmgpuVfCtx *c, uint32_t code, uint64_t addr)
{
    uint32_t gen = c->gen;

    jmgpu_flush(c);             /* jobs before the faulting one completed */
    if (c->gen != gen) {
        return;     /* their fence or interrupt reset the engine: moot */
    }
    c->faulted = true;
    c->job_active = false;
    c->regs.fault_status = code;
    c->regs.fault_addr = addr;
    c->stats.faults++;
    jmgpu_fw_log_vf(c, "engine fault vf%u code %u addr 0x%" PRIx64
                    " (ring head %u)", c->index, code, addr,
                    c->regs.ring_head);
    jmgpu_vf_raise(c, JMGPU_VF_INT_FAULT);
    /* payload[0..1]: the faulting address, as in FAULT_ADDR */
    jmgpu_event_post(c->pf, JMGPU_EVENT_ENGINE_FAULT, c->index, code,
                     (uint32_t[JMGPU_VF_MSG_DWORDS]) { addr, addr >> 32 });
}

/* Drop in-flight work (reset paths); fetching restarts at HEAD. */
void jmgpu_engine_stop(JmgpuVfCtx *c)
{
    c->gen++;
    c->job_active = false;
    memset(&c->job, 0, sizeof(c->job));
    c->pend_jobs = 0;
    c->pend_bytes = 0;
    c->pend_fence = false;
    c->pend_irq = false;
    c->fetch = c->regs.ring_head;
    if (c->pf->running == c) {
        c->pf->running = NULL;
    }
}

static bool jmgpu_ring_valid(JmgpuVfCtx *c)
{
    JmgpuVfRegs *r = &c->regs;

    return r->ring_size && is_power_of_2(r->ring_size) &&
           r->ring_size <= 65536 && !(r->ring_base & 63);
}

static bool jmgpu_runnable(JmgpuVfCtx *c)
{
    return c->enabled && c->provisioned && !c->faulted &&
           (c->regs.ring_ctrl & JMGPU_RING_CTRL_ENABLE) &&
           (c->job_active || c->fetch != c->regs.ring_tail);
}

/* Fetch and validate the descriptor at HEAD. */
static bool jmgpu_fetch(JmgpuVfCtx *c)
{
    JmgpuVfRegs *r = &c->regs;
    struct jmgpu_job d;
    uint64_t addr;
    uint32_t gen = c->gen;

    if (!jmgpu_ring_valid(c)) {
        jmgpu_engine_fault(c, JMGPU_FAULT_CODE_RING, r->ring_base);
        return false;
    }
    addr = r->ring_base + (uint64_t)c->fetch * sizeof(d);
    if (!jmgpu_xfer(c, r->ring_ctrl & JMGPU_RING_CTRL_IN_FB, addr, &d,
                    sizeof(d), false) || c->gen != gen) {
        return false;
    }
    if (jmgpu_check_job(&d) != JMGPU_FAULT_CODE_NONE) {
        jmgpu_engine_fault(c, JMGPU_FAULT_CODE_BAD_JOB, addr);
        return false;
    }
    c->job.opcode = le32_to_cpu(d.opcode);
    c->job.flags = le32_to_cpu(d.flags);
    c->job.src = le64_to_cpu(d.src);
    c->job.dst = le64_to_cpu(d.dst);
    c->job.len = c->job.opcode == JMGPU_JOB_NOP ? 0 : le64_to_cpu(d.len);
    c->job.fill = le32_to_cpu(d.fill);
    c->job.fence = le64_to_cpu(d.fence);
    c->job.done = 0;
    c->job_active = true;
    return true;
}

/* A job finished inside the running slice: visible at the slice end. */
static void jmgpu_complete(JmgpuVfCtx *c)
{
    JmgpuJob *j = &c->job;

    if (j->flags & JMGPU_JOB_F_FENCE) {
        c->pend_fence = true;
        c->pend_fence_val = j->fence;
    }
    if (j->flags & JMGPU_JOB_F_IRQ) {
        c->pend_irq = true;
    }
    c->pend_jobs++;
    c->pend_bytes += j->len;
    c->job_active = false;
    c->fetch = (c->fetch + 1) & (c->regs.ring_size - 1);
}

/* Make the completed jobs visible: fence write-back, HEAD, interrupt. */
static void jmgpu_flush(JmgpuVfCtx *c)
{
    JmgpuVfRegs *r = &c->regs;
    uint32_t n = c->pend_jobs, gen = c->gen;
    bool fence = c->pend_fence, irq = c->pend_irq;
    uint8_t v[8];

    if (!n) {
        return;
    }
    c->pend_jobs = 0;
    c->pend_fence = false;
    c->pend_irq = false;
    c->stats.jobs += n;
    c->stats.bytes += c->pend_bytes;
    c->pend_bytes = 0;
    r->ring_head = (r->ring_head + n) & (r->ring_size - 1);
    if (fence) {
        stq_le_p(v, c->pend_fence_val);
        if (!jmgpu_xfer(c, r->ring_ctrl & JMGPU_RING_CTRL_FENCE_IN_FB,
                        r->fence_addr, v, sizeof(v), true) ||
            c->gen != gen) {
            return;     /* faulted, or the write reset this engine */
        }
        r->fence_value = c->pend_fence_val;
    }
    if (irq) {
        jmgpu_vf_raise(c, JMGPU_VF_INT_JOB_DONE);
    }
}

/*
 * Process one chunk of the active job, at most @max bytes. Returns the
 * bytes done, 0 when the engine faulted or its own DMA stopped it (@gen:
 * the engine generation the job started in).
 */
static uint64_t jmgpu_chunk(JmgpuVfCtx *c, uint64_t max, uint32_t gen)
{
    JmgpuJob *j = &c->job;
    uint8_t *bounce = c->pf->bounce;
    uint64_t n = MIN(MIN(j->len - j->done, (uint64_t)JMGPU_CHUNK), max);
    uint64_t i;

    if (j->opcode == JMGPU_JOB_COPY) {
        if (!jmgpu_xfer(c, j->flags & JMGPU_JOB_F_SRC_FB, j->src + j->done,
                        bounce, n, false) || c->gen != gen) {
            return 0;
        }
    } else {
        for (i = 0; i < n; i++) {
            bounce[i] = j->fill >> (8 * ((j->done + i) & 3));
        }
    }
    if (!jmgpu_xfer(c, j->flags & JMGPU_JOB_F_DST_FB, j->dst + j->done,
                    bounce, n, true) || c->gen != gen) {
        return 0;
    }
    j->done += n;
    return n;
}

/*
 * Run the VF's engine for up to @budget bytes of work. Every job costs at
 * least engine_rate bytes (1 us). Returns the cost consumed. Every DMA can
 * re-enter the device (a write to its own registers) and stop this
 * engine: then the work in flight is dropped as by the reset it did, and
 * nothing of it completes.
 */
static uint64_t jmgpu_run(JmgpuVfCtx *c, uint64_t budget)
{
    uint64_t min_cost = c->pf->engine_rate;
    uint64_t used = 0, n;
    uint32_t gen = c->gen;

    while (used < budget && jmgpu_runnable(c)) {
        if (!c->job_active && !jmgpu_fetch(c)) {
            break;
        }
        if (c->gen != gen) {
            break;
        }
        while (c->job.done < c->job.len && used < budget) {
            n = jmgpu_chunk(c, budget - used, gen);
            if (!n) {
                return used;    /* faulted, or stopped by its own DMA */
            }
            used += n;
        }
        if (c->job.done < c->job.len) {
            break;              /* slice used up, job continues later */
        }
        if (c->job.len < min_cost) {
            used += min_cost - c->job.len;
        }
        jmgpu_complete(c);
    }
    return used;
}

static uint64_t jmgpu_total_weight(JmgpuState *s)
{
    uint64_t total = 0;
    int i;

    for (i = 0; i < JMGPU_MAX_VFS; i++) {
        if (s->vf[i].provisioned) {
            total += s->vf[i].cfg.engine_weight;
        }
    }
    return MAX(total, JMGPU_MAX_WEIGHT);
}

/*
 * Fixed share: each VF earns engine time at weight / max(100, sum of
 * provisioned weights) of real time; unused credit is capped at one slice.
 */
static void jmgpu_credit(JmgpuState *s, int64_t now)
{
    int64_t elapsed = now - s->sched_last;
    int64_t slice_ns = (int64_t)s->sched_slice_us * SCALE_US;
    uint64_t total = jmgpu_total_weight(s);
    int i;

    s->sched_last = now;
    if (elapsed <= 0 || s->sched_policy != JMGPU_SCHED_FIXED_SHARE) {
        return;
    }
    for (i = 0; i < JMGPU_MAX_VFS; i++) {
        JmgpuVfCtx *c = &s->vf[i];

        if (c->provisioned) {
            c->credit_ns += elapsed * c->cfg.engine_weight / total;
            c->credit_ns = MIN(c->credit_ns, slice_ns);
        }
    }
}

/* Virtual time @used bytes of work take: at least 1 us per slice. */
static int64_t jmgpu_work_ns(JmgpuState *s, uint64_t used)
{
    return (int64_t)(used * SCALE_US / s->engine_rate);
}

/*
 * The slice ends: account its engine time to its VF. The slice may have
 * reset its own VF, or the whole firmware (DMA or MSI-X into CONTROL or
 * the SR-IOV control): then the VF may be unprovisioned (weight 0) and has
 * nothing left to flush. The engine time was spent all the same.
 */
static void jmgpu_slice_end(JmgpuState *s, int64_t next)
{
    JmgpuVfCtx *pick = s->slice_vf;
    int64_t ns = MAX(jmgpu_work_ns(s, s->slice_used), (int64_t)SCALE_US);

    s->slice_vf = NULL;
    pick->stats.engine_busy_ns += ns;
    if (pick->provisioned && pick->cfg.engine_weight) {
        if (s->sched_policy == JMGPU_SCHED_EQUAL_SHARE) {
            pick->vtime += ns;
        } else {
            pick->vtime += ns * JMGPU_MAX_WEIGHT / pick->cfg.engine_weight;
        }
        if (s->sched_policy == JMGPU_SCHED_FIXED_SHARE) {
            pick->credit_ns -= ns;
        }
    }
    s->running = pick->gen == s->slice_gen ? pick : NULL;
    s->slice_end = s->slice_start + ns;
    timer_mod(s->sched_timer, MIN(s->slice_end, next));
}

/*
 * One step of the slice in progress: at most one chunk of work. The next
 * step comes when that work's virtual time has passed; the slice ends when
 * its budget is used, its VF has nothing left to run, or the VF was reset
 * (also by its own DMA) since the slice started.
 */
static void jmgpu_slice_step(JmgpuState *s, int64_t now)
{
    JmgpuVfCtx *c = s->slice_vf;
    uint64_t left = s->slice_budget - s->slice_used, used = 0;
    int64_t host = get_clock(), due, t;

    if (c->gen == s->slice_gen && left) {
        used = jmgpu_run(c, MIN(left, (uint64_t)JMGPU_CHUNK));
        s->slice_used += used;
    }
    host = get_clock() - host;
    if (!used || c->gen != s->slice_gen || !jmgpu_runnable(c) ||
        s->slice_used >= s->slice_budget) {
        jmgpu_slice_end(s, s->slice_wake);
        return;
    }
    due = s->slice_start + jmgpu_work_ns(s, s->slice_used);
    /*
     * Behind (the host did not run this thread for a while, or the chunk
     * took longer on the host than its bytes take on the engine):
     * catching up chunk after chunk would keep the main loop, and the
     * lock the vCPUs need for every device access, busy for as long as
     * the host was away, and starve the guest that feeds the engine.
     * Leave the vCPUs at least as much host time as the chunk took: the
     * work slips, it is still accounted by its bytes, and the next slice
     * starts afresh. The clock is read after the chunk: under TCG the
     * virtual clock runs with the host's, so @now is already stale here.
     */
    t = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    timer_mod(s->sched_timer, due >= t ? due : t + host);
}

static void jmgpu_sched_tick(void *opaque)
{
    JmgpuState *s = opaque;
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    int64_t next = INT64_MAX;
    uint64_t total = jmgpu_total_weight(s);
    JmgpuVfCtx *pick = NULL;
    int i;

    if (s->slice_vf) {
        jmgpu_slice_step(s, now);
        return;
    }
    if (s->running) {
        jmgpu_flush(s->running);  /* the previous slice ends now */
        s->running = NULL;
    }
    jmgpu_credit(s, now);
    for (i = 0; i < JMGPU_MAX_VFS; i++) {
        JmgpuVfCtx *c = &s->vf[i];

        if (!jmgpu_runnable(c)) {
            continue;
        }
        if (c->hung) {
            /* no progress; the firmware watchdog reports it */
            if (c->hang_since < 0) {
                c->hang_since = now;
            }
            if (now - c->hang_since >= JMGPU_HANG_DETECT_NS) {
                jmgpu_engine_fault(c, JMGPU_FAULT_CODE_HANG,
                                   c->regs.ring_base +
                                   (uint64_t)c->regs.ring_head * 64);
            } else {
                next = MIN(next, c->hang_since + JMGPU_HANG_DETECT_NS);
            }
            continue;
        }
        if (s->sched_policy == JMGPU_SCHED_FIXED_SHARE && c->credit_ns < 0) {
            /* idle until this VF has earned its credit back */
            next = MIN(next, now + ((-c->credit_ns) * (int64_t)total +
                                    c->cfg.engine_weight - 1) /
                       c->cfg.engine_weight);
            continue;
        }
        if (!pick || c->vtime < pick->vtime) {
            pick = c;
        }
    }
    if (!pick) {
        if (next != INT64_MAX) {
            timer_mod(s->sched_timer, next);
        }
        return;
    }

    s->sched_vclock = pick->vtime;
    s->slice_vf = pick;
    s->slice_gen = pick->gen;
    s->slice_start = now;
    s->slice_budget = (uint64_t)s->engine_rate * s->sched_slice_us;
    s->slice_used = 0;
    s->slice_wake = next;
    jmgpu_slice_step(s, now);
}

/* New work or new policy: start the scheduler if the engine is idle. */
void jmgpu_engine_kick(JmgpuState *s)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

    int64_t t = MAX(now, s->slice_end);

    if (!s->sched_timer || s->slice_vf) {
        return;     /* not realized yet, or a slice runs: its end picks */
    }
    /* never preempt the running slice; wake an idle or waiting engine */
    if (!timer_pending(s->sched_timer) ||
        timer_expire_time_ns(s->sched_timer) > t) {
        timer_mod(s->sched_timer, t);
    }
}

/* VF doorbell: new ring tail. */
void jmgpu_engine_doorbell(JmgpuVfCtx *c, uint32_t tail)
{
    bool was = jmgpu_runnable(c);

    c->stats.doorbells++;
    c->regs.ring_tail = tail;
    if (!was && jmgpu_runnable(c)) {
        /* waking from idle: no credit for the time spent idle */
        c->vtime = MAX(c->vtime, c->pf->sched_vclock);
        jmgpu_engine_kick(c->pf);
    }
}

bool jmgpu_engine_busy(JmgpuVfCtx *c)
{
    return jmgpu_runnable(c) || c->pend_jobs;
}

/* Scheduler policy changed: start all VFs even. */
void jmgpu_sched_changed(JmgpuState *s)
{
    int i;

    for (i = 0; i < JMGPU_MAX_VFS; i++) {
        s->vf[i].credit_ns = 0;
        s->vf[i].vtime = 0;
    }
    s->sched_vclock = 0;
    s->sched_last = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    jmgpu_engine_kick(s);
}

/*
 * VF_SET_WEIGHT: a provisioned VF's new weight, used from the next
 * scheduling decision on. Fixed-share credit earned so far is banked at the
 * old weights first; a slice of the VF in progress is charged at the new
 * weight when it ends (it ends before the next decision). No VF's virtual
 * time is reset: the VF keeps what it has used, the others do not jump.
 */
void jmgpu_engine_set_weight(JmgpuVfCtx *c, uint32_t weight)
{
    JmgpuState *s = c->pf;

    jmgpu_credit(s, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
    c->cfg.engine_weight = weight;
    /* a VF waiting for credit may now earn it sooner: decide again */
    jmgpu_engine_kick(s);
}

void jmgpu_engine_init(JmgpuState *s)
{
    s->sched_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, jmgpu_sched_tick, s);
    s->sched_last = 0;
}

void jmgpu_engine_fini(JmgpuState *s)
{
    timer_free(s->sched_timer);
    s->sched_timer = NULL;
}

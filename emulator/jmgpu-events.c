/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jmgpu PF event ring: firmware produces (HEAD), driver consumes (TAIL).
 *
 * The ring is only the transport. What the firmware owes the driver is
 * held per VF: at most one waiting record of each kind (FLR_DONE, FAULT,
 * VF_MSG) per VF and one FW_RESET_DONE for the PF. Records move into the
 * ring round-robin over the VFs whenever there is room (on every post and
 * every write of EVQ_TAIL); VF records never take the last usable slot,
 * which is kept for FW_RESET_DONE. A second occurrence of a kind that is
 * still waiting is coalesced into it and counted in EVQ_OVERFLOW (the
 * per-VF totals of VF_EVENT_STATE count every occurrence), so whatever
 * one VF does, no other VF's record and no PF record is ever dropped.
 *
 * VF -> PF messages are one-in-flight: a doorbell while the previous
 * message is not acknowledged (VF_MSG_ACK, VF_MSG_REPLY) is dropped and
 * counted in the VF's MSG_OUT_DROPPED; it posts, logs and raises nothing.
 */
#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "jmgpu.h"

static const uint16_t jmgpu_evk_type[JMGPU_EVK_NUM] = {
    [JMGPU_EVK_FLR] = JMGPU_EVENT_VF_FLR_DONE,
    [JMGPU_EVK_FAULT] = JMGPU_EVENT_ENGINE_FAULT,
    [JMGPU_EVK_MSG] = JMGPU_EVENT_VF_MSG,
};

void jmgpu_evq_reset(JmgpuState *s)
{
    memset(s->evq, 0, sizeof(s->evq));
    s->evq_head = 0;
    s->evq_tail = 0;
    s->evq_overflow = 0;
    s->ev_fw_reset = false;
    s->ev_rr = 0;
    jmgpu_evq_forget_vfs(s);
}

/* VFs gone on PCI (or the PF reset): nothing waits for them any more. */
void jmgpu_evq_forget_vfs(JmgpuState *s)
{
    int i;

    for (i = 0; i < JMGPU_MAX_VFS; i++) {
        s->vf[i].ev_pending = 0;
    }
}

/*
 * A VF context goes away (firmware reset, VF_DISABLE) or is set up anew
 * (VF_ENABLE): its message in flight and its waiting VF_MSG record are
 * void. Waiting FLR_DONE and ENGINE_FAULT records stay: they report what
 * happened before. With @counters (PCI reset of the PF) also the totals
 * and the log allowance restart.
 */
void jmgpu_vf_ev_reset(JmgpuVfCtx *c, bool counters)
{
    c->ev_pending &= ~(1u << JMGPU_EVK_MSG);
    c->msg_busy = false;
    if (counters) {
        c->flr_done = 0;
        c->faults = 0;
        c->msgs = 0;
        c->msg_dropped = 0;
        c->msg_seq = 0;
        c->log_tat = 0;
        c->log_suppressed = 0;
        c->log_suppressed_total = 0;
    }
}

static uint32_t jmgpu_evq_used(JmgpuState *s)
{
    return (s->evq_head + JMGPU_EVQ_ENTRIES - s->evq_tail) %
           JMGPU_EVQ_ENTRIES;
}

static void jmgpu_evq_write(JmgpuState *s, uint16_t type, uint16_t vf,
                            uint32_t data, const uint32_t *payload,
                            int64_t when)
{
    uint8_t *e = s->evq + s->evq_head * JMGPU_EVENT_SIZE;
    int i;

    memset(e, 0, JMGPU_EVENT_SIZE);
    stw_le_p(e + offsetof(struct jmgpu_event, type), type);
    stw_le_p(e + offsetof(struct jmgpu_event, vf), vf);
    stl_le_p(e + offsetof(struct jmgpu_event, data), data);
    for (i = 0; payload && i < JMGPU_VF_MSG_DWORDS; i++) {
        stl_le_p(e + offsetof(struct jmgpu_event, payload) + 4 * i,
                 payload[i]);
    }
    stq_le_p(e + offsetof(struct jmgpu_event, timestamp_ns), when);
    s->evq_head = (s->evq_head + 1) % JMGPU_EVQ_ENTRIES;
}

/* Move waiting records into the ring while there is room. */
void jmgpu_evq_refill(JmgpuState *s)
{
    bool posted = false;
    unsigned int n, k, best;
    JmgpuVfCtx *c;

    if (s->ev_fw_reset && jmgpu_evq_used(s) < JMGPU_EVQ_ENTRIES - 1) {
        jmgpu_evq_write(s, JMGPU_EVENT_FW_RESET_DONE, 0, 0, NULL,
                        s->ev_fw_reset_time);
        s->ev_fw_reset = false;
        posted = true;
    }
    while (jmgpu_evq_used(s) < JMGPU_EVQ_VF_SLOTS) {
        for (n = 0; n < JMGPU_MAX_VFS; n++) {
            if (s->vf[(s->ev_rr + n) % JMGPU_MAX_VFS].ev_pending) {
                break;
            }
        }
        if (n == JMGPU_MAX_VFS) {
            break;
        }
        c = &s->vf[(s->ev_rr + n) % JMGPU_MAX_VFS];
        best = JMGPU_EVK_NUM;
        for (k = 0; k < JMGPU_EVK_NUM; k++) {
            if ((c->ev_pending & (1u << k)) &&
                (best == JMGPU_EVK_NUM || c->ev_order[k] < c->ev_order[best])) {
                best = k;
            }
        }
        c->ev_pending &= ~(1u << best);
        s->ev_rr = (c->index + 1) % JMGPU_MAX_VFS;
        if (s->test_evq_drop) {
            s->test_evq_drop--;         /* test: lost, as without this */
            s->evq_overflow++;
            posted = true;
            continue;
        }
        jmgpu_evq_write(s, jmgpu_evk_type[best], c->index, c->ev_data[best],
                        c->ev_payload[best], c->ev_time[best]);
        posted = true;
    }
    if (posted) {
        jmgpu_pf_raise(s, JMGPU_PF_INT_EVENT);
    }
}

void jmgpu_event_post(JmgpuState *s, uint16_t type, uint16_t vf,
                      uint32_t data, const uint32_t *payload)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    JmgpuVfCtx *c;
    unsigned int k;

    if (type == JMGPU_EVENT_FW_RESET_DONE) {
        if (s->ev_fw_reset) {
            s->evq_overflow++;
            jmgpu_pf_raise(s, JMGPU_PF_INT_EVENT);
        } else {
            s->ev_fw_reset = true;
            s->ev_fw_reset_time = now;
        }
        jmgpu_evq_refill(s);
        return;
    }
    for (k = 0; k < JMGPU_EVK_NUM && jmgpu_evk_type[k] != type; k++) {
        /* find the kind */
    }
    if (k == JMGPU_EVK_NUM || vf >= JMGPU_MAX_VFS) {
        return;
    }
    c = &s->vf[vf];
    if (k == JMGPU_EVK_FLR) {
        c->flr_done++;
    } else if (k == JMGPU_EVK_FAULT) {
        c->faults++;
    }
    if (c->ev_pending & (1u << k)) {
        /* coalesced: the waiting record carries the latest data */
        s->evq_overflow++;
        jmgpu_pf_raise(s, JMGPU_PF_INT_EVENT);
    } else {
        c->ev_pending |= 1u << k;
        c->ev_order[k] = s->ev_order++;
        c->ev_time[k] = now;
    }
    c->ev_data[k] = data;
    memset(c->ev_payload[k], 0, sizeof(c->ev_payload[k]));
    if (payload) {
        memcpy(c->ev_payload[k], payload, sizeof(c->ev_payload[k]));
    }
    /*
     * Records carry the VF's running total of their kind (FLR_DONE in
     * data, ENGINE_FAULT in payload[2], VF_MSG its seq in data): the
     * driver counts the occurrences a record stands for by difference.
     */
    if (k == JMGPU_EVK_FLR) {
        c->ev_data[k] = c->flr_done;
    } else if (k == JMGPU_EVK_FAULT) {
        c->ev_payload[k][2] = c->faults;
    }
    jmgpu_evq_refill(s);
}

/* MSG_OUT_DOORBELL written with 1 by an enabled VF. */
void jmgpu_vf_msg_send(JmgpuVfCtx *c)
{
    uint32_t *m = c->regs.msg_out;

    if (c->msg_busy) {
        c->msg_dropped++;       /* nothing posted, logged or raised */
        return;
    }
    c->msg_busy = true;
    c->msg_seq++;
    c->msgs++;
    jmgpu_fw_log_vf(c, "msg from vf%u seq %u: %08x %08x %08x %08x", c->index,
                    c->msg_seq, m[0], m[1], m[2], m[3]);
    jmgpu_event_post(c->pf, JMGPU_EVENT_VF_MSG, c->index, c->msg_seq, m);
}

/*
 * The PF received the VF's message: VF_MSG_REPLY (@any) or VF_MSG_ACK
 * naming the message's seq. False when there is no such message.
 */
bool jmgpu_vf_msg_ack(JmgpuVfCtx *c, bool any, uint32_t seq)
{
    if (!c->msg_busy || (!any && seq != c->msg_seq)) {
        return false;
    }
    c->msg_busy = false;
    return true;
}

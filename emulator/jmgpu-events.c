/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jmgpu PF event ring: firmware produces (HEAD), driver consumes (TAIL).
 */
#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "jmgpu.h"

void jmgpu_evq_reset(JmgpuState *s)
{
    memset(s->evq, 0, sizeof(s->evq));
    s->evq_head = 0;
    s->evq_tail = 0;
    s->evq_overflow = 0;
}

void jmgpu_event_post(JmgpuState *s, uint16_t type, uint16_t vf,
                      uint32_t data, const uint32_t *payload)
{
    uint32_t next = (s->evq_head + 1) % JMGPU_EVQ_ENTRIES;
    uint8_t *e;
    int i;

    if (next == s->evq_tail) {
        /* full: one slot stays empty so HEAD == TAIL means empty */
        s->evq_overflow++;
        jmgpu_fw_log(s, "event ring full, dropped event %u vf%u", type, vf);
        jmgpu_pf_raise(s, JMGPU_PF_INT_EVENT);
        return;
    }
    e = s->evq + s->evq_head * JMGPU_EVENT_SIZE;
    memset(e, 0, JMGPU_EVENT_SIZE);
    stw_le_p(e + offsetof(struct jmgpu_event, type), type);
    stw_le_p(e + offsetof(struct jmgpu_event, vf), vf);
    stl_le_p(e + offsetof(struct jmgpu_event, data), data);
    for (i = 0; payload && i < JMGPU_VF_MSG_DWORDS; i++) {
        stl_le_p(e + offsetof(struct jmgpu_event, payload) + 4 * i,
                 payload[i]);
    }
    stq_le_p(e + offsetof(struct jmgpu_event, timestamp_ns),
             qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
    s->evq_head = next;
    jmgpu_pf_raise(s, JMGPU_PF_INT_EVENT);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jmgpu fault injection: QOM properties (qom-set at run time) and the
 * test-only register block in PF BAR0 (after unlock).
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "jmgpu.h"

static void jmgpu_fault_fw_hang(JmgpuState *s, bool on)
{
    if (on == s->fault_fw_hang) {
        return;
    }
    s->fault_fw_hang = on;
    jmgpu_heartbeat_freeze(s, on);
    if (on) {
        jmgpu_fw_log(s, "fault: firmware hang");
    } else if (s->mbox_status == JMGPU_MBOX_STATUS_BUSY) {
        /* un-hung: the outstanding request is finally processed */
        timer_mod(s->mbox_timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                  JMGPU_MBOX_LATENCY_NS);
    }
}

/* @vf >= 0: hang that VF's engine; -1: release all injected hangs */
void jmgpu_fault_engine_hang(JmgpuState *s, int32_t vf)
{
    int i;

    s->fault_engine_hang_vf = vf;
    for (i = 0; i < JMGPU_MAX_VFS; i++) {
        if (vf < 0 && s->vf[i].hung) {
            s->vf[i].hung = false;
            s->vf[i].hang_since = -1;
        }
    }
    if (vf >= 0) {
        s->vf[vf].hung = true;
        s->vf[vf].hang_since = -1;
        jmgpu_fw_log(s, "fault: engine hang vf%d", vf);
    }
    jmgpu_engine_kick(s);
}

/* @vf >= 0: next DMA of that VF fails; -1: disarm all */
void jmgpu_fault_dma_error(JmgpuState *s, int32_t vf)
{
    int i;

    for (i = 0; i < JMGPU_MAX_VFS; i++) {
        if (vf < 0) {
            s->vf[i].dma_error = false;
        }
    }
    if (vf >= 0) {
        s->vf[vf].dma_error = true;
        jmgpu_fw_log(s, "fault: DMA error armed for vf%d", vf);
    }
}

uint32_t jmgpu_fault_armed_mask(JmgpuState *s)
{
    uint32_t m = 0;
    int i;

    if (s->fault_fw_hang) {
        m |= 1u << JMGPU_FAULT_FW_HANG;
    }
    if (s->fault_drop_reply) {
        m |= 1u << JMGPU_FAULT_DROP_REPLY;
    }
    if (s->fault_corrupt_reply >= 0) {
        m |= 1u << JMGPU_FAULT_CORRUPT_REPLY;
    }
    if (s->fault_fw_reset) {
        m |= 1u << JMGPU_FAULT_FW_RESET;
    }
    for (i = 0; i < JMGPU_MAX_VFS; i++) {
        if (s->vf[i].hung) {
            m |= 1u << JMGPU_FAULT_ENGINE_HANG;
        }
        if (s->vf[i].dma_error) {
            m |= 1u << JMGPU_FAULT_DMA_ERROR;
        }
    }
    return m;
}

/* ---------------- test register block ---------------- */

uint64_t jmgpu_test_read(JmgpuState *s, hwaddr addr)
{
    switch (addr) {
    case JMGPU_PF_TEST_UNLOCK:
        return s->test_unlocked;
    case JMGPU_PF_TEST_FAULT_ARG:
        return s->test_arg;
    case JMGPU_PF_TEST_FAULT:
        return jmgpu_fault_armed_mask(s);
    case JMGPU_PF_TEST_FW_VERSION:
        return s->test_fw_version;
    case JMGPU_PF_TEST_FAULT_OPCODE:
        return s->fault_opcode;
    case JMGPU_PF_TEST_FAULT_SKIP:
        return s->fault_skip | (s->fault_keep ? JMGPU_FAULT_SKIP_KEEP : 0);
    case JMGPU_PF_TEST_EVQ_DROP:
        return s->test_evq_drop;
    }
    jmgpu_guest_error(s, "test block read of undefined register 0x%"
                      HWADDR_PRIx, addr);
    return 0;
}

void jmgpu_test_write(JmgpuState *s, hwaddr addr, uint32_t val)
{
    uint32_t fault = val & 0xff;

    if (addr == JMGPU_PF_TEST_UNLOCK) {
        s->test_unlocked = val == JMGPU_TEST_UNLOCK_KEY;
        if (!s->test_unlocked) {
            jmgpu_guest_error(s, "test block: wrong unlock key 0x%x (locked)",
                              val);
        }
        return;
    }
    if (!s->test_unlocked) {
        jmgpu_guest_error(s, "test block write 0x%x to 0x%" HWADDR_PRIx
                          " while locked: ignored", val, addr);
        return;
    }
    switch (addr) {
    case JMGPU_PF_TEST_FAULT_ARG:
        s->test_arg = val;
        return;
    case JMGPU_PF_TEST_FAULT:
        break;
    case JMGPU_PF_TEST_FAULT_OPCODE:
        if (val > 0xffff) {
            jmgpu_guest_error(s, "test block: fault opcode 0x%x > 0xffff",
                              val);
            return;
        }
        s->fault_opcode = val;
        return;
    case JMGPU_PF_TEST_FAULT_SKIP:
        s->fault_skip = val & ~JMGPU_FAULT_SKIP_KEEP;
        s->fault_keep = val & JMGPU_FAULT_SKIP_KEEP;
    case JMGPU_PF_TEST_EVQ_DROP:
        s->test_evq_drop = val;
        jmgpu_fw_log(s, "test: the next %u VF event records are lost", val);
        return;
    case JMGPU_PF_TEST_FW_VERSION:
        /* sticky until 0 is written: PCI and firmware resets keep it */
        s->test_fw_version = val;
        if (val) {
            jmgpu_fw_log(s, "test: firmware reports interface %u.%u",
                         JMGPU_VERSION_MAJOR(val), JMGPU_VERSION_MINOR(val));
        } else {
            jmgpu_fw_log(s, "test: interface version override cleared");
        }
        return;
    default:
        jmgpu_guest_error(s, "test block write to undefined register 0x%"
                          HWADDR_PRIx, addr);
        return;
    }
    switch (fault) {
    case JMGPU_FAULT_FW_HANG:
        jmgpu_fault_fw_hang(s, true);
        return;
    case JMGPU_FAULT_DROP_REPLY:
        s->fault_drop_reply = true;
        return;
    case JMGPU_FAULT_FW_RESET:
        s->fault_fw_reset = true;
        return;
    case JMGPU_FAULT_CORRUPT_REPLY:
        if (s->test_arg > JMGPU_CORRUPT_MAX) {
            jmgpu_guest_error(s, "test block: corruption kind %u > %u",
                              s->test_arg, JMGPU_CORRUPT_MAX);
            return;
        }
        s->fault_corrupt_reply = s->test_arg;
        return;
    case JMGPU_FAULT_ENGINE_HANG:
    case JMGPU_FAULT_DMA_ERROR:
        if (s->test_arg >= JMGPU_MAX_VFS) {
            jmgpu_guest_error(s, "test block: fault %u for vf %u >= %u", fault,
                              s->test_arg, JMGPU_MAX_VFS);
            return;
        }
        if (fault == JMGPU_FAULT_ENGINE_HANG) {
            jmgpu_fault_engine_hang(s, s->test_arg);
        } else {
            jmgpu_fault_dma_error(s, s->test_arg);
        }
        return;
    }
    jmgpu_guest_error(s, "test block: unknown fault %u", fault);
}

/* ---------------- QOM properties ---------------- */

static void jmgpu_get_bool(Object *obj, Visitor *v, const char *name,
                           void *opaque, Error **errp)
{
    JmgpuState *s = JMGPU(obj);
    bool val = !strcmp(name, "fault-fw-hang") ? s->fault_fw_hang :
               s->fault_drop_reply;

    visit_type_bool(v, name, &val, errp);
}

static void jmgpu_set_bool(Object *obj, Visitor *v, const char *name,
                           void *opaque, Error **errp)
{
    JmgpuState *s = JMGPU(obj);
    bool val;

    if (!visit_type_bool(v, name, &val, errp)) {
        return;
    }
    if (!strcmp(name, "fault-fw-hang")) {
        jmgpu_fault_fw_hang(s, val);
    } else {
        s->fault_drop_reply = val;
    }
}

static void jmgpu_get_int(Object *obj, Visitor *v, const char *name,
                          void *opaque, Error **errp)
{
    JmgpuState *s = JMGPU(obj);
    int32_t val = -1;
    int i;

    if (!strcmp(name, "fault-corrupt-reply")) {
        val = s->fault_corrupt_reply;
    } else {
        for (i = JMGPU_MAX_VFS - 1; i >= 0; i--) {
            if (!strcmp(name, "fault-engine-hang-vf") ? s->vf[i].hung :
                s->vf[i].dma_error) {
                val = i;
            }
        }
    }
    visit_type_int32(v, name, &val, errp);
}

static void jmgpu_set_int(Object *obj, Visitor *v, const char *name,
                          void *opaque, Error **errp)
{
    JmgpuState *s = JMGPU(obj);
    int32_t val;

    if (!visit_type_int32(v, name, &val, errp)) {
        return;
    }
    if (!strcmp(name, "fault-corrupt-reply")) {
        if (val < -1 || val > JMGPU_CORRUPT_MAX) {
            error_setg(errp, "%s: -1 or 0..%d", name, JMGPU_CORRUPT_MAX);
            return;
        }
        s->fault_corrupt_reply = val;
        return;
    }
    if (val < -1 || val >= JMGPU_MAX_VFS) {
        error_setg(errp, "%s: -1 or 0..%d", name, JMGPU_MAX_VFS - 1);
        return;
    }
    if (!strcmp(name, "fault-engine-hang-vf")) {
        jmgpu_fault_engine_hang(s, val);
    } else {
        jmgpu_fault_dma_error(s, val);
    }
}

void jmgpu_fault_props_init(Object *obj)
{
    object_property_add(obj, "fault-fw-hang", "bool", jmgpu_get_bool,
                        jmgpu_set_bool, NULL, NULL);
    object_property_add(obj, "fault-drop-reply", "bool", jmgpu_get_bool,
                        jmgpu_set_bool, NULL, NULL);
    object_property_add(obj, "fault-corrupt-reply", "int32", jmgpu_get_int,
                        jmgpu_set_int, NULL, NULL);
    object_property_add(obj, "fault-engine-hang-vf", "int32", jmgpu_get_int,
                        jmgpu_set_int, NULL, NULL);
    object_property_add(obj, "fault-dma-error-vf", "int32", jmgpu_get_int,
                        jmgpu_set_int, NULL, NULL);
}

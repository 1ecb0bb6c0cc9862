/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jmgpu PF: PCI function, BAR0 registers, VRAM (BAR2), MSI-X (BAR4),
 * PCIe/ARI/ACS/SR-IOV capabilities.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/units.h"
#include "qemu/module.h"
#include "qapi/error.h"
#include "hw/pci/pci_device.h"
#include "hw/pci/pcie.h"
#include "hw/pci/pcie_sriov.h"
#include "hw/pci/msix.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "jmgpu.h"

#define JMGPU_PF_EXP_OFF        0xa0
#define JMGPU_PF_AER_OFF        0x100
#define JMGPU_PF_ARI_OFF        0x148
#define JMGPU_PF_ACS_OFF        0x150
#define JMGPU_PF_SRIOV_OFF      0x160

void jmgpu_guest_error(JmgpuState *s, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    s->guest_errors++;
    qemu_log_mask(LOG_GUEST_ERROR, "jmgpu: %s\n", msg);
}

/* The interface version the firmware reports: test override or property */
uint32_t jmgpu_fw_version(JmgpuState *s)
{
    return s->test_fw_version ? s->test_fw_version : s->fw_iface_version;
}

PCIDevice *jmgpu_vf_pci(JmgpuVfCtx *c)
{
    return c->dev ? PCI_DEVICE(c->dev) : NULL;
}

void jmgpu_pf_raise(JmgpuState *s, uint32_t bits)
{
    PCIDevice *d = PCI_DEVICE(s);

    s->int_status |= bits;
    if (!msix_enabled(d)) {
        return;
    }
    if ((bits & JMGPU_PF_INT_MBOX) && (s->int_mask & JMGPU_PF_INT_MBOX)) {
        msix_notify(d, JMGPU_PF_MSIX_MBOX);
    }
    if ((bits & JMGPU_PF_INT_EVENT) && (s->int_mask & JMGPU_PF_INT_EVENT)) {
        msix_notify(d, JMGPU_PF_MSIX_EVENT);
    }
}

uint64_t jmgpu_heartbeat(JmgpuState *s)
{
    int64_t now;

    if (s->hb_epoch < 0) {
        return s->hb_base;      /* frozen (firmware hang) */
    }
    now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    return s->hb_base + (now - s->hb_epoch) / (JMGPU_HB_PERIOD_US * SCALE_US);
}

void jmgpu_heartbeat_freeze(JmgpuState *s, bool freeze)
{
    if (freeze && s->hb_epoch >= 0) {
        s->hb_base = jmgpu_heartbeat(s);
        s->hb_epoch = -1;
    } else if (!freeze && s->hb_epoch < 0) {
        s->hb_epoch = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    }
}

static uint64_t jmgpu_pf_read(void *opaque, hwaddr addr, unsigned size)
{
    JmgpuState *s = opaque;

    if (addr & (size - 1)) {
        jmgpu_guest_error(s, "PF BAR0 unaligned read at 0x%" HWADDR_PRIx
                          " size %u", addr, size);
        return 0;
    }
    /* the buffers accept 1/2/4/8-byte accesses, registers 4 only */
    if (addr >= JMGPU_PF_MBOX_REQ &&
        addr < JMGPU_PF_MBOX_REQ + JMGPU_MBOX_SIZE) {
        return ldn_le_p(s->mbox_req + (addr - JMGPU_PF_MBOX_REQ), size);
    }
    if (addr >= JMGPU_PF_MBOX_RESP &&
        addr < JMGPU_PF_MBOX_RESP + JMGPU_MBOX_SIZE) {
        return ldn_le_p(s->mbox_resp + (addr - JMGPU_PF_MBOX_RESP), size);
    }
    if (addr >= JMGPU_PF_EVQ && addr < JMGPU_PF_EVQ + JMGPU_EVQ_BYTES) {
        return ldn_le_p(s->evq + (addr - JMGPU_PF_EVQ), size);
    }
    if (size != 4) {
        jmgpu_guest_error(s, "PF BAR0 read at 0x%" HWADDR_PRIx
                          " size %u: registers are 32-bit", addr, size);
        return 0;
    }
    if (addr >= JMGPU_PF_TEST_UNLOCK && addr < JMGPU_PF_TEST_UNLOCK + 0x100) {
        return jmgpu_test_read(s, addr);
    }

    switch (addr) {
    case JMGPU_PF_MAGIC:
        return JMGPU_MAGIC;
    case JMGPU_PF_HW_REV:
        return JMGPU_HW_REV;
    case JMGPU_PF_FW_IFACE_VERSION:
        return jmgpu_fw_version(s);
    case JMGPU_PF_CAPS:
        return JMGPU_CAP_SRIOV | JMGPU_CAP_COPY_ENGINE | JMGPU_CAP_DISPLAY |
               JMGPU_CAP_CODEC | JMGPU_CAP_FAULT_INJECT;
    case JMGPU_PF_STATUS:
        return s->status;
    case JMGPU_PF_CONTROL:
        return 0;
    case JMGPU_PF_HEARTBEAT:
        return (uint32_t)jmgpu_heartbeat(s);
    case JMGPU_PF_HEARTBEAT_PERIOD_US:
        return JMGPU_HB_PERIOD_US;
    case JMGPU_PF_INT_STATUS:
        return s->int_status;
    case JMGPU_PF_INT_MASK:
        return s->int_mask;
    case JMGPU_PF_FB_SIZE_LO:
        return (uint32_t)s->vram_size;
    case JMGPU_PF_FB_SIZE_HI:
        return s->vram_size >> 32;
    case JMGPU_PF_EVQ_HEAD:
        return s->evq_head;
    case JMGPU_PF_EVQ_TAIL:
        return s->evq_tail;
    case JMGPU_PF_EVQ_OVERFLOW:
        return s->evq_overflow;
    case JMGPU_PF_MBOX_DOORBELL:
        return 0;
    case JMGPU_PF_MBOX_STATUS:
        return s->mbox_status;
    }
    jmgpu_guest_error(s, "PF BAR0 read of undefined register 0x%" HWADDR_PRIx,
                      addr);
    return 0;
}

static void jmgpu_pf_write(void *opaque, hwaddr addr, uint64_t val64,
                           unsigned size)
{
    JmgpuState *s = opaque;
    uint32_t val = val64;

    if (addr & (size - 1)) {
        jmgpu_guest_error(s, "PF BAR0 unaligned write at 0x%" HWADDR_PRIx
                          " size %u", addr, size);
        return;
    }
    if (addr >= JMGPU_PF_MBOX_REQ &&
        addr < JMGPU_PF_MBOX_REQ + JMGPU_MBOX_SIZE) {
        stn_le_p(s->mbox_req + (addr - JMGPU_PF_MBOX_REQ), size, val64);
        return;
    }
    if (size != 4) {
        jmgpu_guest_error(s, "PF BAR0 write at 0x%" HWADDR_PRIx
                          " size %u: registers are 32-bit", addr, size);
        return;
    }
    if (addr >= JMGPU_PF_TEST_UNLOCK && addr < JMGPU_PF_TEST_UNLOCK + 0x100) {
        jmgpu_test_write(s, addr, val);
        return;
    }

    switch (addr) {
    case JMGPU_PF_CONTROL:
        if (val & ~JMGPU_PF_CONTROL_RESET) {
            jmgpu_guest_error(s, "PF CONTROL: undefined bits 0x%x", val);
        }
        if (val & JMGPU_PF_CONTROL_RESET) {
            jmgpu_fw_reset(s, false);
        }
        return;
    case JMGPU_PF_INT_STATUS:
        s->int_status &= ~val;
        return;
    case JMGPU_PF_INT_MASK:
        if (val & ~(JMGPU_PF_INT_MBOX | JMGPU_PF_INT_EVENT)) {
            jmgpu_guest_error(s, "PF INT_MASK: undefined bits 0x%x", val);
        }
        {
            uint32_t newly = val & ~s->int_mask;

            s->int_mask = val & (JMGPU_PF_INT_MBOX | JMGPU_PF_INT_EVENT);
            /* unmasking a pending source delivers its interrupt */
            if (newly & s->int_status) {
                jmgpu_pf_raise(s, newly & s->int_status);
            }
        }
        return;
    case JMGPU_PF_EVQ_TAIL:
        if (val >= JMGPU_EVQ_ENTRIES) {
            jmgpu_guest_error(s, "EVQ_TAIL %u out of range", val);
            return;
        }
        s->evq_tail = val;
        jmgpu_evq_refill(s);    /* room for what waits in the firmware */
        return;
    case JMGPU_PF_MBOX_DOORBELL:
        jmgpu_fw_doorbell(s, val);
        return;
    }
    jmgpu_guest_error(s, "PF BAR0 write 0x%x to %s register 0x%" HWADDR_PRIx,
                      val, addr < 0x200 || (addr >= JMGPU_PF_MBOX_RESP &&
                      addr < JMGPU_PF_EVQ + JMGPU_EVQ_BYTES) ?
                      "read-only or undefined" : "undefined", addr);
}

static const MemoryRegionOps jmgpu_pf_ops = {
    .read = jmgpu_pf_read,
    .write = jmgpu_pf_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
    .impl = { .min_access_size = 1, .max_access_size = 8 },
};

static void jmgpu_pf_config_write(PCIDevice *d, uint32_t addr, uint32_t val,
                                  int len)
{
    JmgpuState *s = JMGPU(d);
    uint16_t old_vfs = pcie_sriov_num_vfs(d);

    pci_default_write_config(d, addr, val, len);
    pcie_cap_flr_write_config(d, addr, val, len);
    if (pcie_sriov_num_vfs(d) != old_vfs) {
        jmgpu_fw_sriov_changed(s, old_vfs, pcie_sriov_num_vfs(d));
    }
}

static void jmgpu_pf_realize(PCIDevice *d, Error **errp)
{
    JmgpuState *s = JMGPU(d);
    int i;

    if (s->vram_size < JMGPU_FB_GRANULE || s->vram_size > 64 * GiB ||
        !is_power_of_2(s->vram_size)) {
        error_setg(errp, "jmgpu: vram-size must be a power of two "
                   "between 4 MiB and 64 GiB");
        return;
    }
    if (!is_power_of_2(s->vf_aperture) || s->vf_aperture < JMGPU_FB_GRANULE ||
        s->vf_aperture > s->vram_size) {
        error_setg(errp, "jmgpu: vf-aperture must be a power of two "
                   "between 4 MiB and vram-size");
        return;
    }
    if (s->engine_rate == 0 || s->engine_rate > 1000000) {
        error_setg(errp, "jmgpu: engine-rate must be 1..1000000 bytes/us");
        return;
    }
    if (s->fw_iface_version == 0) {
        error_setg(errp, "jmgpu: fw-iface-version must be non-zero "
                   "(major << 16 | minor)");
        return;
    }

    d->config_write = jmgpu_pf_config_write;
    d->config[PCI_INTERRUPT_PIN] = 0;  /* MSI-X only, no INTx */

    memory_region_init_io(&s->bar0, OBJECT(s), &jmgpu_pf_ops, s,
                          "jmgpu-regs", JMGPU_PF_BAR0_SIZE);
    pci_register_bar(d, JMGPU_BAR_REGS, PCI_BASE_ADDRESS_SPACE_MEMORY,
                     &s->bar0);
    if (!memory_region_init_ram_flags_nomigrate(&s->vram, OBJECT(s),
                                                "jmgpu-vram", s->vram_size,
                                                0, errp)) {
        return;
    }
    pci_register_bar(d, JMGPU_BAR_FB, PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64 |
                     PCI_BASE_ADDRESS_MEM_PREFETCH, &s->vram);
    if (msix_init_exclusive_bar(d, JMGPU_PF_MSIX_VECTORS, JMGPU_BAR_MSIX,
                                errp)) {
        return;
    }
    for (i = 0; i < JMGPU_PF_MSIX_VECTORS; i++) {
        msix_vector_use(d, i);
    }

    if (pcie_endpoint_cap_init(d, JMGPU_PF_EXP_OFF) < 0) {
        error_setg(errp, "jmgpu: cannot add PCIe capability");
        return;
    }
    pcie_cap_flr_init(d);
    if (pcie_aer_init(d, PCI_ERR_VER, JMGPU_PF_AER_OFF, PCI_ERR_SIZEOF,
                      errp) < 0) {
        return;
    }
    pcie_ari_init(d, JMGPU_PF_ARI_OFF);

    for (i = 0; i < JMGPU_MAX_VFS; i++) {
        s->vf[i].pf = s;
        s->vf[i].index = i;
    }
    jmgpu_fw_init(s);
    jmgpu_engine_init(s);

    if (!pcie_sriov_pf_init(d, JMGPU_PF_SRIOV_OFF, TYPE_JMGPU_VF,
                            JMGPU_PCI_DEVICE_ID_VF, JMGPU_MAX_VFS,
                            JMGPU_MAX_VFS, JMGPU_VF_OFFSET, JMGPU_VF_STRIDE,
                            errp)) {
        jmgpu_engine_fini(s);
        jmgpu_fw_fini(s);
        pcie_aer_exit(d);
        pcie_cap_exit(d);
        msix_uninit_exclusive_bar(d);
        return;
    }
    /* after pf_init: ACS wants a multifunction device, pf_init makes it one */
    pcie_acs_init(d, JMGPU_PF_ACS_OFF);
    pcie_sriov_pf_init_vf_bar(d, JMGPU_BAR_REGS,
                              PCI_BASE_ADDRESS_SPACE_MEMORY,
                              JMGPU_VF_BAR0_SIZE);
    pcie_sriov_pf_init_vf_bar(d, JMGPU_BAR_FB,
                              PCI_BASE_ADDRESS_SPACE_MEMORY |
                              PCI_BASE_ADDRESS_MEM_TYPE_64 |
                              PCI_BASE_ADDRESS_MEM_PREFETCH, s->vf_aperture);
    pcie_sriov_pf_init_vf_bar(d, JMGPU_BAR_MSIX,
                              PCI_BASE_ADDRESS_SPACE_MEMORY,
                              memory_region_size(&d->msix_exclusive_bar));
}

static void jmgpu_pf_exit(PCIDevice *d)
{
    JmgpuState *s = JMGPU(d);

    pcie_sriov_pf_exit(d);
    jmgpu_engine_fini(s);
    jmgpu_fw_fini(s);
    pcie_aer_exit(d);
    pcie_cap_exit(d);
    msix_uninit_exclusive_bar(d);
}

static void jmgpu_pf_reset_hold(Object *obj, ResetType type)
{
    JmgpuState *s = JMGPU(obj);
    PCIDevice *d = PCI_DEVICE(obj);

    pcie_sriov_pf_reset(d);
    pcie_acs_reset(d);
    s->int_status = 0;
    s->int_mask = 0;
    jmgpu_evq_reset(s);
    jmgpu_fw_reset(s, true);
}

static void jmgpu_pf_instance_init(Object *obj)
{
    JmgpuState *s = JMGPU(obj);

    jmgpu_fault_props_init(obj);
    /* read-only counters for tests and debugging */
    object_property_add_uint32_ptr(obj, "guest-errors", &s->guest_errors,
                                   OBJ_PROP_FLAG_READ);
    object_property_add_uint32_ptr(obj, "mbox-ignored", &s->mbox_ignored,
                                   OBJ_PROP_FLAG_READ);
    /*
     * Bytes ever written to the firmware log (the stream position). Tests
     * set it to stand where a long run would (past 4 GiB, say); the ring
     * keeps its bytes, the next line is written at the new position.
     */
    object_property_add_uint64_ptr(obj, "fw-log-total", &s->log_total,
                                   OBJ_PROP_FLAG_READWRITE);
}

static const Property jmgpu_pf_props[] = {
    DEFINE_PROP_SIZE("vram-size", JmgpuState, vram_size, 2 * GiB),
    DEFINE_PROP_SIZE("vf-aperture", JmgpuState, vf_aperture, 256 * MiB),
    DEFINE_PROP_UINT32("engine-rate", JmgpuState, engine_rate, 1000),
    DEFINE_PROP_UINT32("fw-iface-version", JmgpuState, fw_iface_version,
                       JMGPU_FW_IFACE_VERSION),
};

static const VMStateDescription jmgpu_vmstate = {
    .name = "jmgpu",
    .unmigratable = 1,
};

static void jmgpu_pf_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    k->realize = jmgpu_pf_realize;
    k->exit = jmgpu_pf_exit;
    k->vendor_id = JMGPU_PCI_VENDOR_ID;
    k->device_id = JMGPU_PCI_DEVICE_ID_PF;
    k->subsystem_vendor_id = JMGPU_PCI_SUBSYS_VENDOR_ID;
    k->subsystem_id = JMGPU_PCI_SUBSYS_ID;
    k->revision = JMGPU_PCI_REVISION;
    k->class_id = PCI_CLASS_DISPLAY_3D;
    rc->phases.hold = jmgpu_pf_reset_hold;
    dc->desc = "jmgpu SR-IOV GPU (physical function)";
    dc->vmsd = &jmgpu_vmstate;
    device_class_set_props(dc, jmgpu_pf_props);
    set_bit(DEVICE_CATEGORY_DISPLAY, dc->categories);
}

static const TypeInfo jmgpu_pf_info = {
    .name = TYPE_JMGPU,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(JmgpuState),
    .instance_init = jmgpu_pf_instance_init,
    .class_init = jmgpu_pf_class_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_PCIE_DEVICE },
        { }
    },
};

static void jmgpu_pf_register_types(void)
{
    type_register_static(&jmgpu_pf_info);
}

type_init(jmgpu_pf_register_types)

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jmgpu VF: PCI function, BAR0 registers, FB aperture (BAR2) with slice
 * enforcement, MSI-X (BAR4), FLR.
 */
#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "qemu/log.h"
#include "qemu/units.h"
#include "qemu/module.h"
#include "qapi/error.h"
#include "hw/pci/pci_device.h"
#include "hw/pci/pcie.h"
#include "hw/pci/pcie_sriov.h"
#include "hw/pci/msix.h"
#include "migration/vmstate.h"
#include "jmgpu.h"
#include "jmgpu_fw_validate.h"

#define JMGPU_VF_EXP_OFF        0xa0
#define JMGPU_VF_ARI_OFF        0x100
#define JMGPU_VF_ACS_OFF        0x108

/* Vblanks since the VF's reset at virtual time @now */
static uint64_t jmgpu_vblank_count(JmgpuVfCtx *c, int64_t now)
{
    if (now <= c->regs.vblank_epoch) {
        return 0;
    }
    return muldiv64(now - c->regs.vblank_epoch, JMGPU_REFRESH_HZ,
                    NANOSECONDS_PER_SECOND);
}

/* Virtual ns of vblank @n: the first instant the count reads @n */
static int64_t jmgpu_vblank_time(JmgpuVfCtx *c, uint64_t n)
{
    return c->regs.vblank_epoch +
           DIV_ROUND_UP(n * NANOSECONDS_PER_SECOND, JMGPU_REFRESH_HZ);
}

static int64_t jmgpu_next_vblank(JmgpuVfCtx *c)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

    return jmgpu_vblank_time(c, jmgpu_vblank_count(c, now) + 1);
}

/* The timer runs only while a flip waits or INT_VBLANK is enabled. */
static void jmgpu_vblank_arm(JmgpuVfCtx *c)
{
    if (!c->vblank_timer) {
        return;
    }
    if (!c->regs.flip_queued && !(c->regs.int_mask & JMGPU_VF_INT_VBLANK)) {
        timer_del(c->vblank_timer);
        return;
    }
    timer_mod(c->vblank_timer, jmgpu_next_vblank(c));
}

static void jmgpu_vblank_tick(void *opaque)
{
    JmgpuVfCtx *c = opaque;
    JmgpuVfRegs *r = &c->regs;
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    uint32_t bits = 0;

    if (r->flip_queued && now >= r->flip_due) {
        r->active = r->queued;
        r->flip_queued = false;
        r->scanout_gen++;
        bits |= JMGPU_VF_INT_FLIP_DONE;
    }
    if (r->int_mask & JMGPU_VF_INT_VBLANK) {
        bits |= JMGPU_VF_INT_VBLANK;
    }
    jmgpu_vblank_arm(c);
    if (bits) {
        jmgpu_vf_raise(c, bits);
    }
}

void jmgpu_vf_display_init(JmgpuVfCtx *c)
{
    c->vblank_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, jmgpu_vblank_tick, c);
}

void jmgpu_vf_display_fini(JmgpuVfCtx *c)
{
    timer_free(c->vblank_timer);
    c->vblank_timer = NULL;
}

/*
 * Reset of the VF's registers: the active plane is disabled (SCANOUT_GEN
 * moves so a reader retries), a queued flip is dropped, the vblank count
 * restarts. The monitor is not a register: it stays.
 */
void jmgpu_vf_regs_reset(JmgpuVfCtx *c)
{
    uint32_t gen = c->regs.scanout_gen;

    memset(&c->regs, 0, sizeof(c->regs));
    c->fetch = 0;
    c->regs.scanout_gen = gen + 1;
    c->regs.vblank_epoch = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    if (c->vblank_timer) {
        timer_del(c->vblank_timer);
    }
}

void jmgpu_vf_raise(JmgpuVfCtx *c, uint32_t bits)
{
    PCIDevice *d = jmgpu_vf_pci(c);
    uint32_t en = bits & c->regs.int_mask;

    c->regs.int_status |= bits;
    if (!d || !d->enabled || !msix_enabled(d)) {
        return;
    }
    if (en & (JMGPU_VF_INT_JOB_DONE | JMGPU_VF_INT_FAULT)) {
        msix_notify(d, JMGPU_VF_MSIX_ENGINE);
    }
    if (en & (JMGPU_VF_INT_MSG | JMGPU_VF_INT_DISPLAY |
              JMGPU_VF_INT_FLIP_DONE | JMGPU_VF_INT_VBLANK)) {
        msix_notify(d, JMGPU_VF_MSIX_MSG);
    }
}

/*
 * The host's VF_SET_DISPLAY (checked by the firmware) or unprovision:
 * DISPLAY_GEN moves and INT_DISPLAY is raised only when link or EDID
 * changed. Return: whether they changed.
 */
bool jmgpu_vf_set_monitor(JmgpuVfCtx *c, uint32_t link, uint32_t size,
                          const uint8_t *edid)
{
    uint8_t buf[JMGPU_VF_EDID_MAX] = { 0 };

    if (size) {
        memcpy(buf, edid, MIN(size, JMGPU_VF_EDID_MAX));
    }
    if (link == c->display_link && size == c->edid_size &&
        !memcmp(buf, c->edid, sizeof(buf))) {
        return false;
    }
    c->display_link = link;
    c->edid_size = size;
    memcpy(c->edid, buf, sizeof(buf));
    c->display_gen++;
    jmgpu_vf_raise(c, JMGPU_VF_INT_DISPLAY);
    return true;
}

void jmgpu_vf_msg_in(JmgpuVfCtx *c, const uint32_t *data)
{
    memcpy(c->regs.msg_in, data, sizeof(c->regs.msg_in));
    jmgpu_vf_raise(c, JMGPU_VF_INT_MSG);
}

void jmgpu_vf_update_fb(JmgpuVfCtx *c)
{
    JmgpuVfState *v = c->dev;

    if (!v) {
        return;
    }
    memory_region_transaction_begin();
    if (c->provisioned) {
        memory_region_set_alias_offset(&v->fb_slice, c->cfg.fb_offset);
        memory_region_set_size(&v->fb_slice, c->cfg.fb_size);
        memory_region_set_enabled(&v->fb_slice, true);
    } else {
        memory_region_set_enabled(&v->fb_slice, false);
    }
    memory_region_transaction_commit();
}

/* SCANOUT_COMMIT: check the pending plane, queue it for the next vblank */
static void jmgpu_scanout_commit(JmgpuVfCtx *c)
{
    JmgpuVfRegs *r = &c->regs;
    JmgpuPlane *p = &r->pending;
    unsigned int bpp = jmgpu_scanout_bpp(p->format);
    uint32_t st = JMGPU_SCANOUT_OK;
    const char *why = NULL;

    if (!p->enable) {
        /* disabling is always allowed: a disabled plane is latched */
    } else if (!c->provisioned || !c->cfg.display_heads) {
        st = JMGPU_SCANOUT_NO_DISPLAY;
        why = "no display provisioned";
    } else if (!bpp) {
        st = JMGPU_SCANOUT_BAD_FORMAT;
        why = "unsupported format";
    } else if (!p->width || p->width > c->cfg.max_width ||
               !p->height || p->height > c->cfg.max_height) {
        st = JMGPU_SCANOUT_BAD_GEOMETRY;
        why = "size zero or over the provisioned maximum";
    } else if (p->stride < (uint64_t)p->width * bpp || p->stride & 3) {
        st = JMGPU_SCANOUT_BAD_STRIDE;
        why = "stride below width * bpp or not a multiple of 4";
    } else if (p->base % JMGPU_SCANOUT_BASE_ALIGN ||
               p->base > c->cfg.fb_size ||
               (uint64_t)p->stride * p->height > c->cfg.fb_size - p->base) {
        st = JMGPU_SCANOUT_BAD_BASE;
        why = "base unaligned or plane past the framebuffer slice";
    }
    r->scanout_status = st;
    if (st != JMGPU_SCANOUT_OK) {
        jmgpu_guest_error(c->pf, "vf%u scanout commit %ux%u stride %u base 0x%"
                          PRIx64 " format 0x%x refused (status %u): %s",
                          c->index, p->width, p->height, p->stride, p->base,
                          p->format, st, why);
        return;
    }
    if (p->enable) {
        r->queued = *p;
    } else {
        memset(&r->queued, 0, sizeof(r->queued));
    }
    r->flip_queued = true;
    r->flip_due = jmgpu_next_vblank(c);
    jmgpu_vblank_arm(c);
}

static uint64_t jmgpu_vf_read(void *opaque, hwaddr addr, unsigned size)
{
    JmgpuVfState *v = opaque;
    JmgpuVfCtx *c = v->ctx;
    JmgpuVfRegs *r = &c->regs;
    uint32_t st;

    if (size != 4 || (addr & 3)) {
        jmgpu_guest_error(c->pf, "vf%u BAR0 read at 0x%" HWADDR_PRIx
                          " size %u: only aligned 32-bit", c->index, addr,
                          size);
        return 0;
    }
    if (addr >= JMGPU_VF_MSG_OUT && addr < JMGPU_VF_MSG_OUT + 16) {
        return r->msg_out[(addr - JMGPU_VF_MSG_OUT) / 4];
    }
    if (addr >= JMGPU_VF_MSG_IN && addr < JMGPU_VF_MSG_IN + 16) {
        return r->msg_in[(addr - JMGPU_VF_MSG_IN) / 4];
    }
    if (addr >= JMGPU_VF_EDID && addr < JMGPU_VF_EDID + JMGPU_VF_EDID_MAX) {
        return ldl_le_p(c->edid + (addr - JMGPU_VF_EDID));
    }
    switch (addr) {
    case JMGPU_VF_ID:
        return c->index;
    case JMGPU_VF_STATUS:
        st = 0;
        if (c->provisioned) {
            st |= JMGPU_VF_STATUS_PROVISIONED;
        }
        if (jmgpu_engine_busy(c)) {
            st |= JMGPU_VF_STATUS_ENGINE_BUSY;
        }
        if (c->faulted) {
            st |= JMGPU_VF_STATUS_ENGINE_FAULT;
        }
        if (c->enabled) {
            st |= JMGPU_VF_STATUS_ENABLED;
        }
        return st;
    case JMGPU_VF_FB_SIZE_LO:
        return (uint32_t)c->cfg.fb_size;
    case JMGPU_VF_FB_SIZE_HI:
        return c->cfg.fb_size >> 32;
    case JMGPU_VF_MAX_WIDTH:
        return c->cfg.max_width;
    case JMGPU_VF_MAX_HEIGHT:
        return c->cfg.max_height;
    case JMGPU_VF_CODEC_SESSIONS:
        return c->cfg.codec_sessions;
    case JMGPU_VF_ENGINE_WEIGHT:
        return c->cfg.engine_weight;
    case JMGPU_VF_RING_BASE_LO:
        return (uint32_t)r->ring_base;
    case JMGPU_VF_RING_BASE_HI:
        return r->ring_base >> 32;
    case JMGPU_VF_RING_SIZE:
        return r->ring_size;
    case JMGPU_VF_RING_CTRL:
        return r->ring_ctrl;
    case JMGPU_VF_RING_HEAD:
        return r->ring_head;
    case JMGPU_VF_RING_TAIL:
        return r->ring_tail;
    case JMGPU_VF_DOORBELL:
    case JMGPU_VF_MSG_OUT_DOORBELL:
        return 0;
    case JMGPU_VF_MSG_OUT_STATUS:
        return c->msg_busy ? JMGPU_VF_MSG_OUT_BUSY : 0;
    case JMGPU_VF_MSG_OUT_DROPPED:
        return c->msg_dropped;
    case JMGPU_VF_FENCE_ADDR_LO:
        return (uint32_t)r->fence_addr;
    case JMGPU_VF_FENCE_ADDR_HI:
        return r->fence_addr >> 32;
    case JMGPU_VF_FENCE_VALUE_LO:
        return (uint32_t)r->fence_value;
    case JMGPU_VF_FENCE_VALUE_HI:
        return r->fence_value >> 32;
    case JMGPU_VF_INT_STATUS:
        return r->int_status;
    case JMGPU_VF_INT_MASK:
        return r->int_mask;
    case JMGPU_VF_FAULT_STATUS:
        return r->fault_status;
    case JMGPU_VF_FAULT_ADDR_LO:
        return (uint32_t)r->fault_addr;
    case JMGPU_VF_FAULT_ADDR_HI:
        return r->fault_addr >> 32;
    case JMGPU_VF_SCANOUT_ENABLE:
        return r->pending.enable;
    case JMGPU_VF_SCANOUT_BASE_LO:
        return (uint32_t)r->pending.base;
    case JMGPU_VF_SCANOUT_BASE_HI:
        return r->pending.base >> 32;
    case JMGPU_VF_SCANOUT_WIDTH:
        return r->pending.width;
    case JMGPU_VF_SCANOUT_HEIGHT:
        return r->pending.height;
    case JMGPU_VF_SCANOUT_STRIDE:
        return r->pending.stride;
    case JMGPU_VF_SCANOUT_FORMAT:
        return r->pending.format;
    case JMGPU_VF_SCANOUT_STATUS:
        return r->scanout_status;
    case JMGPU_VF_SCANOUT_COMMIT:
        return 0;
    case JMGPU_VF_SCANOUT_GEN:
        return r->scanout_gen;
    case JMGPU_VF_VBLANK_COUNT:
        return (uint32_t)jmgpu_vblank_count(c,
                            qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
    case JMGPU_VF_ACTIVE_ENABLE:
        return r->active.enable;
    case JMGPU_VF_ACTIVE_BASE_LO:
        return (uint32_t)r->active.base;
    case JMGPU_VF_ACTIVE_BASE_HI:
        return r->active.base >> 32;
    case JMGPU_VF_ACTIVE_WIDTH:
        return r->active.width;
    case JMGPU_VF_ACTIVE_HEIGHT:
        return r->active.height;
    case JMGPU_VF_ACTIVE_STRIDE:
        return r->active.stride;
    case JMGPU_VF_ACTIVE_FORMAT:
        return r->active.format;
    case JMGPU_VF_DISPLAY_LINK:
        return c->display_link;
    case JMGPU_VF_DISPLAY_EDID_SIZE:
        return c->edid_size;
    case JMGPU_VF_DISPLAY_GEN:
        return c->display_gen;
    }
    jmgpu_guest_error(c->pf, "vf%u BAR0 read of undefined register 0x%"
                      HWADDR_PRIx, c->index, addr);
    return 0;
}

static void jmgpu_vf_ring_ctrl(JmgpuVfCtx *c, uint32_t val)
{
    JmgpuVfRegs *r = &c->regs;
    uint32_t all = JMGPU_RING_CTRL_ENABLE | JMGPU_RING_CTRL_IN_FB |
                   JMGPU_RING_CTRL_FENCE_IN_FB;

    if (val & ~all) {
        jmgpu_guest_error(c->pf, "vf%u RING_CTRL: undefined bits 0x%x",
                          c->index, val & ~all);
        val &= all;
    }
    if (!(r->ring_ctrl & JMGPU_RING_CTRL_ENABLE) &&
        (val & JMGPU_RING_CTRL_ENABLE)) {
        r->ring_head = 0;
        r->ring_tail = 0;
        jmgpu_engine_stop(c);
        if (!r->ring_size || !is_power_of_2(r->ring_size) ||
            r->ring_size > 65536 || (r->ring_base & 63)) {
            jmgpu_guest_error(c->pf, "vf%u ring enabled with base 0x%"
                              PRIx64 " size %u: size must be a power of "
                              "two <= 65536, base 64-byte aligned", c->index,
                              r->ring_base, r->ring_size);
            r->ring_ctrl = val;
            jmgpu_engine_fault(c, JMGPU_FAULT_CODE_RING, r->ring_base);
            return;
        }
    } else if ((r->ring_ctrl & JMGPU_RING_CTRL_ENABLE) &&
               !(val & JMGPU_RING_CTRL_ENABLE)) {
        r->ring_head = 0;
        r->ring_tail = 0;
        jmgpu_engine_stop(c);   /* in-flight work dropped */
    }
    r->ring_ctrl = val;
}

static void jmgpu_vf_write(void *opaque, hwaddr addr, uint64_t val64,
                           unsigned size)
{
    JmgpuVfState *v = opaque;
    JmgpuVfCtx *c = v->ctx;
    JmgpuState *s = c->pf;
    JmgpuVfRegs *r = &c->regs;
    uint32_t val = val64;
    bool ring_on = r->ring_ctrl & JMGPU_RING_CTRL_ENABLE;

    if (size != 4 || (addr & 3)) {
        jmgpu_guest_error(s, "vf%u BAR0 write at 0x%" HWADDR_PRIx
                          " size %u: only aligned 32-bit", c->index, addr,
                          size);
        return;
    }
    if (!c->enabled) {
        jmgpu_guest_error(s, "vf%u BAR0 write 0x%x to 0x%" HWADDR_PRIx
                          ": VF context not set up (VF_ENABLE)", c->index,
                          val, addr);
        return;
    }
    if (addr >= JMGPU_VF_MSG_OUT && addr < JMGPU_VF_MSG_OUT + 16) {
        r->msg_out[(addr - JMGPU_VF_MSG_OUT) / 4] = val;
        return;
    }
    switch (addr) {
    case JMGPU_VF_RING_BASE_LO:
    case JMGPU_VF_RING_BASE_HI:
    case JMGPU_VF_RING_SIZE:
        if (ring_on) {
            jmgpu_guest_error(s, "vf%u ring register 0x%" HWADDR_PRIx
                              " written while the ring is enabled: ignored",
                              c->index, addr);
            return;
        }
        if (addr == JMGPU_VF_RING_BASE_LO) {
            r->ring_base = deposit64(r->ring_base, 0, 32, val);
        } else if (addr == JMGPU_VF_RING_BASE_HI) {
            r->ring_base = deposit64(r->ring_base, 32, 32, val);
        } else {
            r->ring_size = val;
        }
        return;
    case JMGPU_VF_RING_CTRL:
        jmgpu_vf_ring_ctrl(c, val);
        return;
    case JMGPU_VF_DOORBELL:
        if (!c->provisioned || !ring_on) {
            jmgpu_guest_error(s, "vf%u DOORBELL %u: %s: ignored", c->index,
                              val, c->provisioned ? "ring not enabled" :
                              "VF not provisioned");
            return;
        }
        if (val >= r->ring_size) {
            jmgpu_guest_error(s, "vf%u DOORBELL tail %u >= ring size %u: "
                              "ignored", c->index, val, r->ring_size);
            return;
        }
        jmgpu_engine_doorbell(c, val);
        return;
    case JMGPU_VF_FENCE_ADDR_LO:
        r->fence_addr = deposit64(r->fence_addr, 0, 32, val);
        return;
    case JMGPU_VF_FENCE_ADDR_HI:
        r->fence_addr = deposit64(r->fence_addr, 32, 32, val);
        return;
    case JMGPU_VF_INT_STATUS:
        r->int_status &= ~val;
        return;
    case JMGPU_VF_INT_MASK:
        if (val & ~JMGPU_VF_INT_ALL) {
            jmgpu_guest_error(s, "vf%u INT_MASK: undefined bits 0x%x",
                              c->index, val & ~JMGPU_VF_INT_ALL);
        }
        {
            uint32_t newly = val & JMGPU_VF_INT_ALL & ~r->int_mask;

            r->int_mask = val & JMGPU_VF_INT_ALL;
            jmgpu_vblank_arm(c);
            if (newly & r->int_status) {
                jmgpu_vf_raise(c, newly & r->int_status);
            }
        }
        return;
    case JMGPU_VF_SCANOUT_ENABLE:
        r->pending.enable = val & 1;
        return;
    case JMGPU_VF_SCANOUT_BASE_LO:
        r->pending.base = deposit64(r->pending.base, 0, 32, val);
        return;
    case JMGPU_VF_SCANOUT_BASE_HI:
        r->pending.base = deposit64(r->pending.base, 32, 32, val);
        return;
    case JMGPU_VF_SCANOUT_WIDTH:
        r->pending.width = val;
        return;
    case JMGPU_VF_SCANOUT_HEIGHT:
        r->pending.height = val;
        return;
    case JMGPU_VF_SCANOUT_STRIDE:
        r->pending.stride = val;
        return;
    case JMGPU_VF_SCANOUT_FORMAT:
        r->pending.format = val;
        return;
    case JMGPU_VF_SCANOUT_COMMIT:
        if (val != 1) {
            jmgpu_guest_error(s, "vf%u SCANOUT_COMMIT written with %u "
                              "(must be 1)", c->index, val);
            return;
        }
        jmgpu_scanout_commit(c);
        return;
    case JMGPU_VF_MSG_OUT_DOORBELL:
        if (val != 1) {
            jmgpu_guest_error(s, "vf%u MSG_OUT_DOORBELL written with %u "
                              "(must be 1)", c->index, val);
            return;
        }
        jmgpu_vf_msg_send(c);
        return;
    }
    jmgpu_guest_error(s, "vf%u BAR0 write 0x%x to read-only or undefined "
                      "register 0x%" HWADDR_PRIx, c->index, val, addr);
}

static const MemoryRegionOps jmgpu_vf_ops = {
    .read = jmgpu_vf_read,
    .write = jmgpu_vf_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
    .impl = { .min_access_size = 1, .max_access_size = 8 },
};

/* BAR2 outside the provisioned slice: reads 0, writes dropped, counted */
static uint64_t jmgpu_vf_fb_bg_read(void *opaque, hwaddr addr, unsigned size)
{
    JmgpuVfCtx *c = ((JmgpuVfState *)opaque)->ctx;

    c->stats.fb_violations++;
    jmgpu_guest_error(c->pf, "vf%u FB read at 0x%" HWADDR_PRIx
                      " outside its slice (0x%" PRIx64 " bytes)", c->index,
                      addr, c->cfg.fb_size);
    return 0;
}

static void jmgpu_vf_fb_bg_write(void *opaque, hwaddr addr, uint64_t val,
                                 unsigned size)
{
    JmgpuVfCtx *c = ((JmgpuVfState *)opaque)->ctx;

    c->stats.fb_violations++;
    jmgpu_guest_error(c->pf, "vf%u FB write at 0x%" HWADDR_PRIx
                      " outside its slice (0x%" PRIx64 " bytes): dropped",
                      c->index, addr, c->cfg.fb_size);
}

static const MemoryRegionOps jmgpu_vf_fb_bg_ops = {
    .read = jmgpu_vf_fb_bg_read,
    .write = jmgpu_vf_fb_bg_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
    .impl = { .min_access_size = 1, .max_access_size = 8 },
};

static void jmgpu_vf_config_write(PCIDevice *d, uint32_t addr, uint32_t val,
                                  int len)
{
    pci_default_write_config(d, addr, val, len);
    pcie_cap_flr_write_config(d, addr, val, len);
}

static void jmgpu_vf_realize(PCIDevice *d, Error **errp)
{
    JmgpuVfState *v = JMGPU_VF(d);
    PCIDevice *pfd = pcie_sriov_get_pf(d);
    JmgpuState *pf;
    int i;

    if (!pfd || !object_dynamic_cast(OBJECT(pfd), TYPE_JMGPU)) {
        error_setg(errp, "jmgpu-vf is created by its jmgpu PF only");
        return;
    }
    pf = JMGPU(pfd);
    v->ctx = &pf->vf[pcie_sriov_vf_number(d)];
    v->ctx->dev = v;

    d->config_write = jmgpu_vf_config_write;

    memory_region_init_io(&v->bar0, OBJECT(v), &jmgpu_vf_ops, v,
                          "jmgpu-vf-regs", JMGPU_VF_BAR0_SIZE);
    pci_register_bar(d, JMGPU_BAR_REGS, PCI_BASE_ADDRESS_SPACE_MEMORY,
                     &v->bar0);

    memory_region_init(&v->fb, OBJECT(v), "jmgpu-vf-fb", pf->vf_aperture);
    memory_region_init_io(&v->fb_bg, OBJECT(v), &jmgpu_vf_fb_bg_ops, v,
                          "jmgpu-vf-fb-outside", pf->vf_aperture);
    memory_region_init_alias(&v->fb_slice, OBJECT(v), "jmgpu-vf-fb-slice",
                             &pf->vram, 0, JMGPU_FB_GRANULE);
    memory_region_add_subregion_overlap(&v->fb, 0, &v->fb_bg, 0);
    memory_region_add_subregion_overlap(&v->fb, 0, &v->fb_slice, 1);
    memory_region_set_enabled(&v->fb_slice, false);
    pci_register_bar(d, JMGPU_BAR_FB, PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64 |
                     PCI_BASE_ADDRESS_MEM_PREFETCH, &v->fb);

    if (msix_init_exclusive_bar(d, JMGPU_VF_MSIX_VECTORS, JMGPU_BAR_MSIX,
                                errp)) {
        return;
    }
    for (i = 0; i < JMGPU_VF_MSIX_VECTORS; i++) {
        msix_vector_use(d, i);
    }
    if (pcie_endpoint_cap_init(d, JMGPU_VF_EXP_OFF) < 0) {
        error_setg(errp, "jmgpu-vf: cannot add PCIe capability");
        return;
    }
    pcie_cap_flr_init(d);
    pcie_ari_init(d, JMGPU_VF_ARI_OFF);
    /*
     * ACS on every VF. QEMU asserts ACS only on multifunction devices or
     * function != 0; a VF at function 0 of a slot (VF7, VF15, ...) is
     * part of the PF's multi-function device in SR-IOV terms, so let it
     * pass the check without changing its header.
     */
    {
        uint32_t cp = d->cap_present;

        d->cap_present |= QEMU_PCI_CAP_MULTIFUNCTION;
        pcie_acs_init(d, JMGPU_VF_ACS_OFF);
        d->cap_present = cp;
    }
    jmgpu_vf_update_fb(v->ctx);
}

static void jmgpu_vf_exit(PCIDevice *d)
{
    JmgpuVfState *v = JMGPU_VF(d);

    if (v->ctx) {
        v->ctx->dev = NULL;
    }
    pcie_cap_exit(d);
    msix_uninit_exclusive_bar(d);
}

/*
 * Reset of the VF function: PCIe FLR (DEVCTL.BCR_FLR set while the handler
 * runs), VF Enable toggling, or system reset. All reset this VF's
 * registers, engine and in-flight work only; provisioning stays. An FLR
 * of a set-up VF zeroes its slice when it was provisioned SCRUB_ON_FLR,
 * and is reported with a VF_FLR_DONE event.
 */
static void jmgpu_vf_reset_hold(Object *obj, ResetType type)
{
    JmgpuVfState *v = JMGPU_VF(obj);
    PCIDevice *d = PCI_DEVICE(obj);
    JmgpuVfCtx *c = v->ctx;
    bool flr;

    if (!c) {
        return;
    }
    flr = d->exp.exp_cap &&
          (pci_get_word(d->config + d->exp.exp_cap + PCI_EXP_DEVCTL) &
           PCI_EXP_DEVCTL_BCR_FLR);
    jmgpu_vf_ctx_reset(c);
    /* the function is reset: a message in flight (and its record) is void */
    c->msg_busy = false;
    c->ev_pending &= ~(1u << JMGPU_EVK_MSG);
    pcie_acs_reset(d);
    if (flr && c->enabled) {
        /* before the FLR completes: nothing of the last user survives it */
        jmgpu_vf_flr_scrub(c);
        c->stats.resets++;
        jmgpu_fw_log_vf(c, "flr vf%u done", c->index);
        jmgpu_event_post(c->pf, JMGPU_EVENT_VF_FLR_DONE, c->index, 0, NULL);
    }
}

static const VMStateDescription jmgpu_vf_vmstate = {
    .name = "jmgpu-vf",
    .unmigratable = 1,
};

static void jmgpu_vf_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);
    ResettableClass *rc = RESETTABLE_CLASS(klass);

    k->realize = jmgpu_vf_realize;
    k->exit = jmgpu_vf_exit;
    k->vendor_id = JMGPU_PCI_VENDOR_ID;
    k->device_id = JMGPU_PCI_DEVICE_ID_VF;
    k->subsystem_vendor_id = JMGPU_PCI_SUBSYS_VENDOR_ID;
    k->subsystem_id = JMGPU_PCI_SUBSYS_ID;
    k->revision = JMGPU_PCI_REVISION;
    k->class_id = PCI_CLASS_DISPLAY_3D;
    rc->phases.hold = jmgpu_vf_reset_hold;
    dc->desc = "jmgpu SR-IOV GPU (virtual function)";
    dc->vmsd = &jmgpu_vf_vmstate;
    dc->user_creatable = false;
    set_bit(DEVICE_CATEGORY_DISPLAY, dc->categories);
}

static const TypeInfo jmgpu_vf_info = {
    .name = TYPE_JMGPU_VF,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(JmgpuVfState),
    .class_init = jmgpu_vf_class_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_PCIE_DEVICE },
        { }
    },
};

static void jmgpu_vf_register_types(void)
{
    type_register_static(&jmgpu_vf_info);
}

type_init(jmgpu_vf_register_types)

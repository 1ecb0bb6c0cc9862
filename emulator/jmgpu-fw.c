/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jmgpu firmware model: mailbox request processing, VF contexts,
 * provisioning, firmware reset and the firmware log.
 */
#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "qemu/log.h"
#include "qemu/units.h"
#include "hw/pci/pcie_sriov.h"
#include "exec/cpu-common.h"
#include "qemu/cutils.h"
#include "jmgpu.h"
#include "jmgpu_fw_validate.h"

QEMU_BUILD_BUG_ON(sizeof(struct jmgpu_msg_hdr) != JMGPU_MSG_HDR_SIZE);
QEMU_BUILD_BUG_ON(sizeof(struct jmgpu_event) != JMGPU_EVENT_SIZE);
QEMU_BUILD_BUG_ON(sizeof(struct jmgpu_job) != 64);
QEMU_BUILD_BUG_ON(sizeof(struct jmgpu_caps) != 56);
QEMU_BUILD_BUG_ON(sizeof(struct jmgpu_vf_config) != 40);
QEMU_BUILD_BUG_ON(sizeof(struct jmgpu_vf_event_state) != 40);

/* ------------------------------------------------------------------ */
/* Log ring                                                            */
/* ------------------------------------------------------------------ */

void jmgpu_fw_log(JmgpuState *s, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    g_autofree char *line = NULL;
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    va_list ap;
    size_t i, n;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    line = g_strdup_printf("[%6" PRId64 ".%06" PRId64 "] %s\n",
                           now / (int64_t)NANOSECONDS_PER_SECOND,
                           (now % (int64_t)NANOSECONDS_PER_SECOND) / 1000,
                           msg);
    n = strlen(line);
    for (i = 0; i < n; i++) {
        s->log[(s->log_total + i) % JMGPU_LOG_SIZE] = line[i];
    }
    s->log_total += n;
}

/*
 * A line caused by what a VF does (its messages, FLRs, faults): each VF
 * may write JMGPU_LOG_VF_BURST lines at once, then one per
 * JMGPU_LOG_VF_PERIOD_NS of virtual time; lines over that are dropped and
 * counted, and the VF's next line is preceded by one "vfN: K lines
 * suppressed". So no VF can wipe the log of what came before.
 */
void jmgpu_fw_log_vf(JmgpuVfCtx *c, const char *fmt, ...)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    g_autofree char *msg = NULL;
    va_list ap;

    if (c->log_tat < now) {
        c->log_tat = now;
    }
    if (c->log_tat - now >
        (int64_t)(JMGPU_LOG_VF_BURST - 1) * JMGPU_LOG_VF_PERIOD_NS) {
        c->log_suppressed++;
        c->log_suppressed_total++;
        return;
    }
    c->log_tat += JMGPU_LOG_VF_PERIOD_NS;
    if (c->log_suppressed) {
        jmgpu_fw_log(c->pf, "vf%u: %u lines suppressed", c->index,
                     c->log_suppressed);
        c->log_suppressed = 0;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    jmgpu_fw_log(c->pf, "%s", msg);
}

/* ------------------------------------------------------------------ */
/* VF contexts                                                         */
/* ------------------------------------------------------------------ */

static void jmgpu_fill_caps(JmgpuState *s, struct jmgpu_caps *c)
{
    memset(c, 0, sizeof(*c));
    c->fb_size = cpu_to_le64(s->vram_size);
    c->vf_aperture = cpu_to_le64(s->vf_aperture);
    c->fb_granule = cpu_to_le32(JMGPU_FB_GRANULE);
    c->max_vfs = cpu_to_le32(JMGPU_MAX_VFS);
    c->num_engines = cpu_to_le32(JMGPU_NUM_ENGINES);
    c->codec_sessions = cpu_to_le32(JMGPU_CODEC_SESSIONS);
    c->display_heads = cpu_to_le32(JMGPU_DISPLAY_HEADS);
    c->max_width = cpu_to_le32(JMGPU_MAX_WIDTH);
    c->max_height = cpu_to_le32(JMGPU_MAX_HEIGHT);
    c->max_weight = cpu_to_le32(JMGPU_MAX_WEIGHT);
    c->engine_rate = cpu_to_le32(s->engine_rate);
}

/* Functional reset of one VF: engine, registers, in-flight work. */
void jmgpu_vf_ctx_reset(JmgpuVfCtx *c)
{
    jmgpu_engine_stop(c);
    c->faulted = false;
    c->hung = false;
    c->hang_since = -1;
    c->dma_error = false;
    c->credit_ns = 0;
    jmgpu_vf_regs_reset(c);
}

/* Zero a VRAM range; pages never touched stay unallocated. */
static void jmgpu_scrub(JmgpuState *s, uint64_t off, uint64_t size)
{
    uint8_t *p = memory_region_get_ram_ptr(&s->vram) + off;
    uint64_t i;

    if (ram_block_discard_range(s->vram.ram_block, off, size) == 0) {
        return;
    }
    for (i = 0; i < size; i += 4096) {
        if (!buffer_is_zero(p + i, 4096)) {
            memset(p + i, 0, 4096);
        }
    }
}

static uint32_t jmgpu_granules(JmgpuState *s)
{
    return s->vram_size / JMGPU_FB_GRANULE;
}

/* Mark the granules of VRAM range @off+@size clean or not. */
static void jmgpu_fb_mark(JmgpuState *s, uint64_t off, uint64_t size,
                          bool clean)
{
    uint64_t g;

    for (g = off / JMGPU_FB_GRANULE;
         g < (off + size) / JMGPU_FB_GRANULE && g < jmgpu_granules(s); g++) {
        if (clean) {
            s->fb_clean[g / 64] |= 1ull << (g % 64);
        } else {
            s->fb_clean[g / 64] &= ~(1ull << (g % 64));
        }
    }
}

static void jmgpu_unprovision(JmgpuVfCtx *c, bool scrub)
{
    JmgpuState *s = c->pf;

    if (!c->provisioned) {
        return;
    }
    jmgpu_vf_ctx_reset(c);
    if (scrub) {
        jmgpu_scrub(s, c->cfg.fb_offset, c->cfg.fb_size);
        jmgpu_fb_mark(s, c->cfg.fb_offset, c->cfg.fb_size, true);
    }
    s->codec_used -= c->cfg.codec_sessions;
    c->provisioned = false;
    memset(&c->cfg, 0, sizeof(c->cfg));
    jmgpu_vf_update_fb(c);
    jmgpu_vf_regs_reset(c);
    /* the monitor was the host's for this tenant: disconnected */
    if (jmgpu_vf_set_monitor(c, 0, 0, NULL)) {
        jmgpu_fw_log(s, "unprovision vf%u: monitor disconnected", c->index);
    }
}

/* Tear a VF context down completely; VRAM content is kept. */
void jmgpu_vf_teardown(JmgpuVfCtx *c)
{
    jmgpu_unprovision(c, false);
    jmgpu_vf_ctx_reset(c);
    jmgpu_vf_ev_reset(c, false);
    c->enabled = false;
    c->vtime = 0;
}

static void jmgpu_teardown_all(JmgpuState *s, bool scrub)
{
    int i;

    for (i = 0; i < JMGPU_MAX_VFS; i++) {
        jmgpu_unprovision(&s->vf[i], scrub);
        jmgpu_vf_teardown(&s->vf[i]);
    }
    s->num_vfs = 0;
    s->codec_used = 0;
}

void jmgpu_fw_sriov_changed(JmgpuState *s, uint16_t old_vfs, uint16_t new_vfs)
{
    int i, n = 0;

    if (new_vfs != 0) {
        jmgpu_fw_log(s, "sr-iov: %u VFs enabled on PCI", new_vfs);
        return;
    }
    for (i = 0; i < JMGPU_MAX_VFS; i++) {
        n += s->vf[i].provisioned;
    }
    if (n) {
        jmgpu_guest_error(s, "VFs disabled on PCI with %d VF(s) still "
                          "provisioned: unprovisioned and scrubbed", n);
    }
    jmgpu_teardown_all(s, true);
    jmgpu_evq_forget_vfs(s);
    jmgpu_fw_log(s, "sr-iov: VFs disabled on PCI (was %u), contexts torn down",
                 old_vfs);
}

/* ------------------------------------------------------------------ */
/* Command handlers: return a JMGPU_STATUS_*, fill resp and *rlen      */
/* ------------------------------------------------------------------ */

static int jmgpu_cmd_hello(JmgpuState *s, const void *req, void *resp,
                           uint32_t *rlen)
{
    const struct jmgpu_hello_req *r = req;
    struct jmgpu_hello_resp *o = resp;
    uint32_t v = le32_to_cpu(r->driver_version);
    uint32_t fw = jmgpu_fw_version(s);

    if (le32_to_cpu(r->reserved)) {
        return JMGPU_STATUS_BAD_PARAM;
    }
    if (JMGPU_VERSION_MAJOR(v) != JMGPU_VERSION_MAJOR(fw)) {
        jmgpu_fw_log(s, "hello: driver interface %u.%u refused (fw %u.%u)",
                     JMGPU_VERSION_MAJOR(v), JMGPU_VERSION_MINOR(v),
                     JMGPU_VERSION_MAJOR(fw), JMGPU_VERSION_MINOR(fw));
        return JMGPU_STATUS_VERSION;
    }
    o->fw_version = cpu_to_le32(fw);
    o->fw_build = cpu_to_le32(JMGPU_FW_BUILD);
    *rlen = sizeof(*o);
    s->hello_done = true;
    jmgpu_fw_log(s, "hello: driver interface %u.%u", JMGPU_VERSION_MAJOR(v),
                 JMGPU_VERSION_MINOR(v));
    return JMGPU_STATUS_OK;
}

static int jmgpu_cmd_get_caps(JmgpuState *s, const void *req, void *resp,
                              uint32_t *rlen)
{
    jmgpu_fill_caps(s, resp);
    *rlen = sizeof(struct jmgpu_caps);
    return JMGPU_STATUS_OK;
}

static int jmgpu_cmd_vf_enable(JmgpuState *s, const void *req, void *resp,
                               uint32_t *rlen)
{
    const struct jmgpu_vf_enable_req *r = req;
    uint32_t n = le32_to_cpu(r->num_vfs);
    uint16_t pci_vfs = pcie_sriov_num_vfs(PCI_DEVICE(s));
    uint32_t i;

    if (le32_to_cpu(r->reserved) || n < 1 || n > JMGPU_MAX_VFS) {
        return JMGPU_STATUS_BAD_PARAM;
    }
    if (s->num_vfs) {
        jmgpu_fw_log(s, "vf_enable %u refused: %u VF contexts exist", n,
                     s->num_vfs);
        return JMGPU_STATUS_BAD_STATE;
    }
    if (n != pci_vfs) {
        jmgpu_fw_log(s, "vf_enable %u refused: %u VFs enabled on PCI", n,
                     pci_vfs);
        return JMGPU_STATUS_BAD_STATE;
    }
    for (i = 0; i < n; i++) {
        jmgpu_vf_ctx_reset(&s->vf[i]);
        jmgpu_vf_ev_reset(&s->vf[i], false);
        s->vf[i].enabled = true;
        s->vf[i].vtime = 0;
    }
    s->num_vfs = n;
    jmgpu_fw_log(s, "vf_enable: %u VF contexts set up", n);
    return JMGPU_STATUS_OK;
}

static int jmgpu_cmd_vf_disable(JmgpuState *s, const void *req, void *resp,
                                uint32_t *rlen)
{
    uint32_t i;

    if (!s->num_vfs) {
        return JMGPU_STATUS_BAD_STATE;
    }
    for (i = 0; i < s->num_vfs; i++) {
        if (s->vf[i].provisioned) {
            jmgpu_fw_log(s, "vf_disable refused: vf%u still provisioned", i);
            return JMGPU_STATUS_BAD_STATE;
        }
    }
    jmgpu_fw_log(s, "vf_disable: %u VF contexts torn down", s->num_vfs);
    jmgpu_teardown_all(s, false);
    return JMGPU_STATUS_OK;
}

static int jmgpu_cmd_vf_provision(JmgpuState *s, const void *req, void *resp,
                                  uint32_t *rlen)
{
    const struct jmgpu_vf_config *r = req;
    struct jmgpu_caps caps;
    uint32_t vf = le32_to_cpu(r->vf);
    JmgpuVfCfg cfg;
    JmgpuVfCtx *c;
    int st, i;

    jmgpu_fill_caps(s, &caps);
    st = jmgpu_check_vf_config(r, &caps, s->num_vfs);
    if (st != JMGPU_STATUS_OK) {
        return st;
    }
    /* a firmware reporting 1.0 is one: flags are its display_heads' top */
    if (le16_to_cpu(r->flags) && JMGPU_VERSION_MINOR(jmgpu_fw_version(s)) <
        JMGPU_FW_MINOR_SCRUB_ON_FLR) {
        jmgpu_fw_log(s, "provision vf%u refused: display_heads 0x%x", vf,
                     le16_to_cpu(r->display_heads) |
                     (uint32_t)le16_to_cpu(r->flags) << 16);
        return JMGPU_STATUS_BAD_PARAM;
    }
    c = &s->vf[vf];
    if (c->provisioned) {
        return JMGPU_STATUS_BAD_STATE;
    }
    cfg.engine_weight = le32_to_cpu(r->engine_weight);
    cfg.fb_offset = le64_to_cpu(r->fb_offset);
    cfg.fb_size = le64_to_cpu(r->fb_size);
    cfg.codec_sessions = le32_to_cpu(r->codec_sessions);
    cfg.display_heads = le16_to_cpu(r->display_heads);
    cfg.flags = le16_to_cpu(r->flags);
    cfg.max_width = le32_to_cpu(r->max_width);
    cfg.max_height = le32_to_cpu(r->max_height);

    for (i = 0; i < JMGPU_MAX_VFS; i++) {
        JmgpuVfCfg *o = &s->vf[i].cfg;

        if (!s->vf[i].provisioned) {
            continue;
        }
        if (cfg.fb_offset < o->fb_offset + o->fb_size &&
            o->fb_offset < cfg.fb_offset + cfg.fb_size) {
            jmgpu_fw_log(s, "provision vf%u refused: fb 0x%" PRIx64 "+0x%"
                         PRIx64 " overlaps vf%d", vf, cfg.fb_offset,
                         cfg.fb_size, i);
            return JMGPU_STATUS_NO_SPACE;
        }
    }
    if (cfg.codec_sessions > JMGPU_CODEC_SESSIONS - s->codec_used) {
        jmgpu_fw_log(s, "provision vf%u refused: %u codec sessions, %u left",
                     vf, cfg.codec_sessions,
                     JMGPU_CODEC_SESSIONS - s->codec_used);
        return JMGPU_STATUS_NO_SPACE;
    }

    jmgpu_vf_ctx_reset(c);
    c->cfg = cfg;
    c->provisioned = true;
    /* the tenant may write it from now on: no longer known clean */
    jmgpu_fb_mark(s, cfg.fb_offset, cfg.fb_size, false);
    s->codec_used += cfg.codec_sessions;
    jmgpu_vf_update_fb(c);
    jmgpu_fw_log(s, "provision vf%u fb 0x%" PRIx64 "+0x%" PRIx64
                 " weight %u codec %u heads %u %ux%u%s", vf, cfg.fb_offset,
                 cfg.fb_size, cfg.engine_weight, cfg.codec_sessions,
                 cfg.display_heads, cfg.max_width, cfg.max_height,
                 cfg.flags & JMGPU_VF_CFG_SCRUB_ON_FLR ? " scrub-on-flr" : "");
    return JMGPU_STATUS_OK;
}

static int jmgpu_vf_of(JmgpuState *s, const void *req, JmgpuVfCtx **c)
{
    const struct jmgpu_vf_req *r = req;
    int st = jmgpu_check_vf_req(r, s->num_vfs);

    if (st == JMGPU_STATUS_OK) {
        *c = &s->vf[le32_to_cpu(r->vf)];
    }
    return st;
}

static int jmgpu_cmd_vf_unprovision(JmgpuState *s, const void *req,
                                    void *resp, uint32_t *rlen)
{
    JmgpuVfCtx *c;
    int st = jmgpu_vf_of(s, req, &c);

    if (st) {
        return st;
    }
    if (!c->provisioned) {
        return JMGPU_STATUS_BAD_STATE;
    }
    jmgpu_fw_log(s, "unprovision vf%u: scrub fb 0x%" PRIx64 "+0x%" PRIx64,
                 c->index, c->cfg.fb_offset, c->cfg.fb_size);
    jmgpu_unprovision(c, true);
    return JMGPU_STATUS_OK;
}

static int jmgpu_cmd_vf_reset(JmgpuState *s, const void *req, void *resp,
                              uint32_t *rlen)
{
    JmgpuVfCtx *c;
    int st = jmgpu_vf_of(s, req, &c);

    if (st) {
        return st;
    }
    jmgpu_vf_ctx_reset(c);
    /* the function is reset: a message in flight (and its record) is void */
    c->msg_busy = false;
    c->ev_pending &= ~(1u << JMGPU_EVK_MSG);
    c->stats.resets++;
    jmgpu_fw_log(s, "reset vf%u", c->index);
    return JMGPU_STATUS_OK;
}

static int jmgpu_cmd_fb_scrub(JmgpuState *s, const void *req, void *resp,
                              uint32_t *rlen)
{
    const struct jmgpu_fb_range *r = req;
    uint64_t off = le64_to_cpu(r->fb_offset);
    uint64_t size = le64_to_cpu(r->fb_size);
    struct jmgpu_caps caps;
    int st, i;

    jmgpu_fill_caps(s, &caps);
    st = jmgpu_check_fb_range(r, &caps);
    if (st) {
        return st;
    }
    for (i = 0; i < JMGPU_MAX_VFS; i++) {
        JmgpuVfCfg *o = &s->vf[i].cfg;

        if (s->vf[i].provisioned && off < o->fb_offset + o->fb_size &&
            o->fb_offset < off + size) {
            jmgpu_fw_log(s, "fb scrub 0x%" PRIx64 "+0x%" PRIx64
                         " refused: overlaps vf%d", off, size, i);
            return JMGPU_STATUS_BAD_STATE;
        }
    }
    jmgpu_scrub(s, off, size);
    jmgpu_fb_mark(s, off, size, true);
    jmgpu_fw_log(s, "fb scrub 0x%" PRIx64 "+0x%" PRIx64, off, size);
    return JMGPU_STATUS_OK;
}

static int jmgpu_cmd_fb_clean_map(JmgpuState *s, const void *req, void *resp,
                                  uint32_t *rlen)
{
    const struct jmgpu_clean_map_req *r = req;
    struct jmgpu_clean_map *o = resp;
    uint32_t first = le32_to_cpu(r->first), n, i, set = 0;
    int st = jmgpu_check_clean_map_req(r, jmgpu_granules(s));

    if (st) {
        return st;
    }
    n = MIN(le32_to_cpu(r->count), jmgpu_granules(s) - first);
    memset(o, 0, sizeof(*o));
    for (i = 0; i < n; i++) {
        uint32_t g = first + i;

        if (s->fb_clean[g / 64] & (1ull << (g % 64))) {
            o->bits[i / 64] |= cpu_to_le64(1ull << (i % 64));
            set++;
        }
    }
    o->first = cpu_to_le32(first);
    o->count = cpu_to_le32(n);
    o->clean = cpu_to_le32(set);
    *rlen = sizeof(*o);
    return JMGPU_STATUS_OK;
}

static int jmgpu_cmd_vf_scrub(JmgpuState *s, const void *req, void *resp,
                              uint32_t *rlen)
{
    JmgpuVfCtx *c;
    int st = jmgpu_vf_of(s, req, &c);

    if (st) {
        return st;
    }
    if (!c->provisioned) {
        return JMGPU_STATUS_BAD_STATE;
    }
    /* nothing of the previous user may write into it afterwards */
    jmgpu_vf_ctx_reset(c);
    jmgpu_scrub(s, c->cfg.fb_offset, c->cfg.fb_size);
    jmgpu_fw_log(s, "scrub vf%u: fb 0x%" PRIx64 "+0x%" PRIx64, c->index,
                 c->cfg.fb_offset, c->cfg.fb_size);
    return JMGPU_STATUS_OK;
}

/*
 * Part of a PCIe FLR of VF @c (called before the reset completes): a slice
 * provisioned with SCRUB_ON_FLR is zeroed, so no user of the function
 * after the reset reads what one before it wrote. The slice stays the
 * VF's and stays not clean in the map, as after VF_SCRUB.
 */
void jmgpu_vf_flr_scrub(JmgpuVfCtx *c)
{
    if (!c->provisioned || !(c->cfg.flags & JMGPU_VF_CFG_SCRUB_ON_FLR)) {
        return;
    }
    jmgpu_scrub(c->pf, c->cfg.fb_offset, c->cfg.fb_size);
    jmgpu_fw_log_vf(c, "flr vf%u: scrub fb 0x%" PRIx64 "+0x%" PRIx64,
                    c->index, c->cfg.fb_offset, c->cfg.fb_size);
}

static int jmgpu_cmd_vf_set_weight(JmgpuState *s, const void *req,
                                   void *resp, uint32_t *rlen)
{
    const struct jmgpu_vf_weight *r = req;
    uint32_t vf = le32_to_cpu(r->vf), w = le32_to_cpu(r->engine_weight);
    uint32_t fw = jmgpu_fw_version(s), others = 0, old;
    struct jmgpu_caps caps;
    JmgpuVfCtx *c;
    int st, i;

    /* a firmware reporting an older minor is one: it has no such command */
    if (JMGPU_VERSION_MINOR(fw) < JMGPU_FW_MINOR_SET_WEIGHT) {
        jmgpu_fw_log(s, "set_weight: unknown command for interface %u.%u",
                     JMGPU_VERSION_MAJOR(fw), JMGPU_VERSION_MINOR(fw));
        return JMGPU_STATUS_UNKNOWN_CMD;
    }
    jmgpu_fill_caps(s, &caps);
    st = jmgpu_check_vf_weight(r, &caps, s->num_vfs);
    if (st != JMGPU_STATUS_OK) {
        return st;
    }
    c = &s->vf[vf];
    if (!c->provisioned) {
        jmgpu_fw_log(s, "set_weight vf%u refused: not provisioned", vf);
        return JMGPU_STATUS_BAD_STATE;
    }
    for (i = 0; i < JMGPU_MAX_VFS; i++) {
        if ((uint32_t)i != vf && s->vf[i].provisioned) {
            others += s->vf[i].cfg.engine_weight;
        }
    }
    if (others > JMGPU_MAX_WEIGHT || w > JMGPU_MAX_WEIGHT - others) {
        jmgpu_fw_log(s, "set_weight vf%u refused: weight %u, %u of %u free",
                     vf, w, others > JMGPU_MAX_WEIGHT ? 0 :
                     JMGPU_MAX_WEIGHT - others, JMGPU_MAX_WEIGHT);
        return JMGPU_STATUS_NO_SPACE;
    }
    old = c->cfg.engine_weight;
    jmgpu_engine_set_weight(c, w);
    jmgpu_fw_log(s, "set_weight vf%u: %u -> %u", vf, old, w);
    return JMGPU_STATUS_OK;
}

static int jmgpu_cmd_vf_set_display(JmgpuState *s, const void *req,
                                    void *resp, uint32_t *rlen)
{
    const struct jmgpu_vf_display *r = req;
    uint32_t vf = le32_to_cpu(r->vf), fw = jmgpu_fw_version(s);
    uint32_t link = le32_to_cpu(r->link), size = le32_to_cpu(r->edid_size);
    const char *why = "";
    JmgpuVfCtx *c;
    int st;

    /* a firmware reporting an older minor is one: it has no such command */
    if (JMGPU_VERSION_MINOR(fw) < JMGPU_FW_MINOR_DISPLAY) {
        jmgpu_fw_log(s, "set_display: unknown command for interface %u.%u",
                     JMGPU_VERSION_MAJOR(fw), JMGPU_VERSION_MINOR(fw));
        return JMGPU_STATUS_UNKNOWN_CMD;
    }
    st = jmgpu_check_vf_display(r, s->num_vfs, &why);
    if (st == JMGPU_STATUS_BAD_VF) {
        jmgpu_fw_log(s, "set_display vf%u refused: %u VF contexts", vf,
                     s->num_vfs);
        return st;
    }
    if (st != JMGPU_STATUS_OK) {
        jmgpu_fw_log(s, "set_display vf%u refused: link %u edid %u bytes: %s",
                     vf, link, size, why);
        return st;
    }
    c = &s->vf[vf];
    if (!c->provisioned || !c->cfg.display_heads) {
        jmgpu_fw_log(s, "set_display vf%u refused: %s", vf,
                     c->provisioned ? "no display heads" : "not provisioned");
        return JMGPU_STATUS_BAD_STATE;
    }
    if (jmgpu_vf_set_monitor(c, link, size, r->edid)) {
        jmgpu_fw_log(s, "set_display vf%u: link %u edid %u bytes, gen %u", vf,
                     link, size, c->display_gen);
    } else {
        jmgpu_fw_log(s, "set_display vf%u: link %u edid %u bytes, unchanged",
                     vf, link, size);
    }
    return JMGPU_STATUS_OK;
}

static int jmgpu_cmd_vf_get_stats(JmgpuState *s, const void *req, void *resp,
                                  uint32_t *rlen)
{
    struct jmgpu_vf_stats *o = resp;
    JmgpuVfCtx *c;
    int st = jmgpu_vf_of(s, req, &c);

    if (st) {
        return st;
    }
    o->vf = cpu_to_le32(c->index);
    o->engine_busy_ns = cpu_to_le64(c->stats.engine_busy_ns);
    o->jobs = cpu_to_le64(c->stats.jobs);
    o->bytes = cpu_to_le64(c->stats.bytes);
    o->doorbells = cpu_to_le64(c->stats.doorbells);
    o->faults = cpu_to_le64(c->stats.faults);
    o->resets = cpu_to_le64(c->stats.resets);
    o->fb_violations = cpu_to_le64(c->stats.fb_violations);
    o->timestamp_ns = cpu_to_le64(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
    *rlen = sizeof(*o);
    return JMGPU_STATUS_OK;
}

static int jmgpu_cmd_vf_query(JmgpuState *s, const void *req, void *resp,
                              uint32_t *rlen)
{
    struct jmgpu_vf_config *o = resp;
    JmgpuVfCtx *c;
    int st = jmgpu_vf_of(s, req, &c);

    if (st) {
        return st;
    }
    o->vf = cpu_to_le32(c->index);
    if (c->provisioned) {
        o->engine_weight = cpu_to_le32(c->cfg.engine_weight);
        o->fb_offset = cpu_to_le64(c->cfg.fb_offset);
        o->fb_size = cpu_to_le64(c->cfg.fb_size);
        o->codec_sessions = cpu_to_le32(c->cfg.codec_sessions);
        o->display_heads = cpu_to_le16(c->cfg.display_heads);
        o->flags = cpu_to_le16(c->cfg.flags);
        o->max_width = cpu_to_le32(c->cfg.max_width);
        o->max_height = cpu_to_le32(c->cfg.max_height);
    }
    *rlen = sizeof(*o);
    return JMGPU_STATUS_OK;
}

static int jmgpu_cmd_vf_msg_reply(JmgpuState *s, const void *req, void *resp,
                                  uint32_t *rlen)
{
    const struct jmgpu_vf_msg *r = req;
    uint32_t vf = le32_to_cpu(r->vf);
    uint32_t data[JMGPU_VF_MSG_DWORDS];
    int i;

    if (le32_to_cpu(r->reserved)) {
        return JMGPU_STATUS_BAD_PARAM;
    }
    if (vf >= s->num_vfs) {
        return JMGPU_STATUS_BAD_VF;
    }
    for (i = 0; i < JMGPU_VF_MSG_DWORDS; i++) {
        data[i] = le32_to_cpu(r->data[i]);
    }
    jmgpu_vf_msg_ack(&s->vf[vf], true, 0);     /* a reply acknowledges */
    jmgpu_vf_msg_in(&s->vf[vf], data);
    jmgpu_fw_log(s, "msg to vf%u: %08x %08x %08x %08x", vf, data[0], data[1],
                 data[2], data[3]);
    return JMGPU_STATUS_OK;
}

static int jmgpu_cmd_vf_msg_ack(JmgpuState *s, const void *req, void *resp,
                                uint32_t *rlen)
{
    const struct jmgpu_vf_msg_ack *r = req;
    uint32_t vf = le32_to_cpu(r->vf);

    if (vf >= s->num_vfs) {
        return JMGPU_STATUS_BAD_VF;
    }
    if (!jmgpu_vf_msg_ack(&s->vf[vf], false, le32_to_cpu(r->seq))) {
        return JMGPU_STATUS_BAD_STATE;      /* stale: no such message */
    }
    return JMGPU_STATUS_OK;
}

static int jmgpu_cmd_vf_event_state(JmgpuState *s, const void *req,
                                    void *resp, uint32_t *rlen)
{
    struct jmgpu_vf_event_state *o = resp;
    JmgpuVfCtx *c;
    uint32_t p = 0;
    int st = jmgpu_vf_of(s, req, &c);

    if (st) {
        return st;
    }
    if (c->ev_pending & (1u << JMGPU_EVK_FLR)) {
        p |= JMGPU_EVSTATE_FLR_PENDING;
    }
    if (c->ev_pending & (1u << JMGPU_EVK_FAULT)) {
        p |= JMGPU_EVSTATE_FAULT_PENDING;
    }
    if (c->ev_pending & (1u << JMGPU_EVK_MSG)) {
        p |= JMGPU_EVSTATE_MSG_PENDING;
    }
    if (c->msg_busy) {
        p |= JMGPU_EVSTATE_MSG_BUSY;
    }
    o->vf = cpu_to_le32(c->index);
    o->pending = cpu_to_le32(p);
    o->flr_done = cpu_to_le32(c->flr_done);
    o->faults = cpu_to_le32(c->faults);
    o->msgs = cpu_to_le32(c->msgs);
    o->msg_dropped = cpu_to_le32(c->msg_dropped);
    o->msg_seq = cpu_to_le32(c->msg_seq);
    o->log_suppressed = cpu_to_le32(c->log_suppressed_total);
    o->fw_epoch = cpu_to_le32(s->fw_epoch);
    o->reserved = 0;
    *rlen = sizeof(*o);
    return JMGPU_STATUS_OK;
}

static int jmgpu_cmd_set_sched(JmgpuState *s, const void *req, void *resp,
                               uint32_t *rlen)
{
    const struct jmgpu_sched *r = req;
    static const char *const names[] = {
        "best-effort", "equal-share", "fixed-share"
    };
    int st = jmgpu_check_sched(r);

    if (st) {
        return st;
    }
    s->sched_policy = le32_to_cpu(r->policy);
    s->sched_slice_us = le32_to_cpu(r->timeslice_us);
    jmgpu_fw_log(s, "sched: policy %s, time slice %u us",
                 names[s->sched_policy], s->sched_slice_us);
    jmgpu_sched_changed(s);
    return JMGPU_STATUS_OK;
}

static int jmgpu_cmd_get_sched(JmgpuState *s, const void *req, void *resp,
                               uint32_t *rlen)
{
    struct jmgpu_sched *o = resp;

    o->policy = cpu_to_le32(s->sched_policy);
    o->timeslice_us = cpu_to_le32(s->sched_slice_us);
    *rlen = sizeof(*o);
    return JMGPU_STATUS_OK;
}

static int jmgpu_cmd_ping(JmgpuState *s, const void *req, void *resp,
                          uint32_t *rlen)
{
    memcpy(resp, req, sizeof(struct jmgpu_ping));
    *rlen = sizeof(struct jmgpu_ping);
    return JMGPU_STATUS_OK;
}

static int jmgpu_cmd_get_log(JmgpuState *s, const void *req, void *resp,
                             uint32_t *rlen)
{
    const struct jmgpu_log_req *r = req;
    struct jmgpu_log_resp *o = resp;
    uint32_t max = le32_to_cpu(r->max_len);
    uint64_t oldest = s->log_total > JMGPU_LOG_SIZE ?
                      s->log_total - JMGPU_LOG_SIZE : 0;
    /*
     * Offsets on the wire are stream positions modulo 2^32: the request
     * names the position at most 4 GiB behind the end with those low
     * bits. Before 4 GiB of log a position "behind byte 0" is one past
     * the end (BAD_PARAM); after it, anything that far back is simply
     * overwritten (resume at the oldest byte).
     */
    uint64_t back = (uint32_t)((uint32_t)s->log_total -
                               le32_to_cpu(r->offset));
    uint64_t off, len, i;

    if (max > JMGPU_LOG_CHUNK || back > s->log_total) {
        return JMGPU_STATUS_BAD_PARAM;
    }
    off = s->log_total - back;
    if (off < oldest) {
        off = oldest;           /* overwritten: resume at the oldest byte */
    }
    len = MIN(max, s->log_total - off);
    for (i = 0; i < len; i++) {
        o->text[i] = s->log[(off + i) % JMGPU_LOG_SIZE];
    }
    o->offset = cpu_to_le32((uint32_t)off);
    o->len = cpu_to_le32(len);
    o->next = cpu_to_le32((uint32_t)(off + len));
    o->reserved = 0;
    *rlen = sizeof(*o) + len;
    return JMGPU_STATUS_OK;
}

typedef int (*JmgpuCmdFn)(JmgpuState *s, const void *req, void *resp,
                          uint32_t *rlen);

static JmgpuCmdFn jmgpu_cmd_fn(unsigned int op)
{
    switch (op) {
    case JMGPU_CMD_HELLO:           return jmgpu_cmd_hello;
    case JMGPU_CMD_GET_CAPS:        return jmgpu_cmd_get_caps;
    case JMGPU_CMD_VF_ENABLE:       return jmgpu_cmd_vf_enable;
    case JMGPU_CMD_VF_DISABLE:      return jmgpu_cmd_vf_disable;
    case JMGPU_CMD_VF_PROVISION:    return jmgpu_cmd_vf_provision;
    case JMGPU_CMD_VF_UNPROVISION:  return jmgpu_cmd_vf_unprovision;
    case JMGPU_CMD_VF_RESET:        return jmgpu_cmd_vf_reset;
    case JMGPU_CMD_VF_GET_STATS:    return jmgpu_cmd_vf_get_stats;
    case JMGPU_CMD_VF_QUERY:        return jmgpu_cmd_vf_query;
    case JMGPU_CMD_VF_MSG_REPLY:    return jmgpu_cmd_vf_msg_reply;
    case JMGPU_CMD_FB_SCRUB:        return jmgpu_cmd_fb_scrub;
    case JMGPU_CMD_FB_CLEAN_MAP:    return jmgpu_cmd_fb_clean_map;
    case JMGPU_CMD_VF_SCRUB:        return jmgpu_cmd_vf_scrub;
    case JMGPU_CMD_VF_MSG_ACK:      return jmgpu_cmd_vf_msg_ack;
    case JMGPU_CMD_VF_EVENT_STATE:  return jmgpu_cmd_vf_event_state;
    case JMGPU_CMD_VF_SET_WEIGHT:   return jmgpu_cmd_vf_set_weight;
    case JMGPU_CMD_VF_SET_DISPLAY:  return jmgpu_cmd_vf_set_display;
    case JMGPU_CMD_SET_SCHED:       return jmgpu_cmd_set_sched;
    case JMGPU_CMD_GET_SCHED:       return jmgpu_cmd_get_sched;
    case JMGPU_CMD_PING:            return jmgpu_cmd_ping;
    case JMGPU_CMD_GET_LOG:         return jmgpu_cmd_get_log;
    }
    return NULL;
}

/* Damage a finished response per JMGPU_CORRUPT_* (fault injection). */
static void jmgpu_corrupt(JmgpuState *s, int kind)
{
    struct jmgpu_msg_hdr *h = (struct jmgpu_msg_hdr *)s->mbox_resp;
    uint8_t *p = s->mbox_resp + JMGPU_MSG_HDR_SIZE;
    unsigned int op = le16_to_cpu(h->opcode);
    uint32_t len = le32_to_cpu(h->len);

    switch (kind) {
    case JMGPU_CORRUPT_SEQ:
        h->seq = cpu_to_le32(le32_to_cpu(h->seq) + 0x1000);
        break;
    case JMGPU_CORRUPT_OPCODE:
        h->opcode = cpu_to_le16(op ^ 0x40);
        break;
    case JMGPU_CORRUPT_LEN:
        h->len = cpu_to_le32(len + 4);
        break;
    case JMGPU_CORRUPT_STATUS:
        h->status = cpu_to_le16(JMGPU_STATUS_MAX + 0x70);
        break;
    case JMGPU_CORRUPT_PAYLOAD:
        if (le16_to_cpu(h->status) != JMGPU_STATUS_OK || len < 4) {
            /* nothing to damage: an undefined status instead */
            h->status = cpu_to_le16(JMGPU_STATUS_MAX + 0x71);
        } else if (op == JMGPU_CMD_GET_CAPS) {
            stl_le_p(p + offsetof(struct jmgpu_caps, max_vfs), 0x10000);
        } else if (op == JMGPU_CMD_GET_LOG) {
            stl_le_p(p + offsetof(struct jmgpu_log_resp, len), 0xffffff);
        } else {
            /* vf index / version / policy / cookie: first dword */
            stl_le_p(p, ldl_le_p(p) ^ 0xdead0000);
        }
        break;
    case JMGPU_CORRUPT_RESERVED:
        h->reserved = cpu_to_le32(0x5eed);
        break;
    }
}

/*
 * Does an armed reply fault apply to this request (opcode @op)? Called
 * once per request while a reply fault is armed: a matching request is
 * let pass while TEST_FAULT_SKIP counts down.
 */
static bool jmgpu_fault_hits(JmgpuState *s, unsigned int op)
{
    if (!s->fault_drop_reply && s->fault_corrupt_reply < 0 &&
        !s->fault_fw_reset) {
        return false;
    }
    if (s->fault_opcode && s->fault_opcode != op) {
        return false;
    }
    if (s->fault_skip) {
        s->fault_skip--;
        return false;
    }
    s->fault_keep = false;      /* it fires: a reset may clear it again */
    return true;
}

static void jmgpu_fw_mbox_process(void *opaque)
{
    JmgpuState *s = opaque;
    struct jmgpu_msg_hdr req, *rh = (struct jmgpu_msg_hdr *)s->mbox_resp;
    uint8_t *payload = s->mbox_work + JMGPU_MSG_HDR_SIZE;
    uint32_t epoch = s->fw_epoch;
    unsigned int op;
    uint32_t rlen = 0;
    JmgpuCmdFn fn;
    bool hit;
    int st;

    if (s->fault_fw_hang || s->mbox_status != JMGPU_MBOX_STATUS_BUSY) {
        return;                 /* hung firmware never answers */
    }
    memcpy(&req, s->mbox_work, sizeof(req));
    op = le16_to_cpu(req.opcode);
    hit = jmgpu_fault_hits(s, op);
    if (s->fault_fw_reset && hit) {
        /* crash on this request: it is lost, the firmware restarts */
        jmgpu_fw_log(s, "fault: firmware restarts on request 0x%x seq %u",
                     op, le32_to_cpu(req.seq));
        jmgpu_fw_reset(s, false);
        return;
    }

    memset(s->mbox_resp, 0, sizeof(s->mbox_resp));
    st = jmgpu_check_req_hdr(&req, JMGPU_MSG_MAX_PAYLOAD);
    if (st == JMGPU_STATUS_OK && !s->hello_done && op != JMGPU_CMD_HELLO &&
        op != JMGPU_CMD_PING && op != JMGPU_CMD_GET_LOG) {
        /* no interface version agreed since the last reset */
        jmgpu_fw_log(s, "request 0x%x seq %u before HELLO", op,
                     le32_to_cpu(req.seq));
        st = JMGPU_STATUS_BAD_STATE;
    } else if (st == JMGPU_STATUS_OK) {
        fn = jmgpu_cmd_fn(op);
        st = fn(s, payload, s->mbox_resp + JMGPU_MSG_HDR_SIZE, &rlen);
    }
    if (s->fw_epoch != epoch) {
        /*
         * The command raised a VF interrupt whose MSI-X message hit
         * CONTROL.RESET: the firmware restarted under it, the request is
         * lost with everything else (the mailbox is IDLE again).
         */
        jmgpu_fw_log(s, "request 0x%x seq %u: firmware reset while it ran, "
                     "no reply", op, le32_to_cpu(req.seq));
        return;
    }
    if (st != JMGPU_STATUS_OK) {
        rlen = 0;
        memset(s->mbox_resp + JMGPU_MSG_HDR_SIZE, 0, JMGPU_MSG_MAX_PAYLOAD);
        jmgpu_guest_error(s, "mailbox request opcode 0x%x seq %u len %u: %s",
                          op, le32_to_cpu(req.seq), le32_to_cpu(req.len),
                          jmgpu_status_str(st));
        jmgpu_fw_log(s, "request 0x%x seq %u failed: %s", op,
                     le32_to_cpu(req.seq), jmgpu_status_str(st));
    }
    rh->opcode = cpu_to_le16(op);
    rh->status = cpu_to_le16(st);
    rh->seq = req.seq;
    rh->len = cpu_to_le32(rlen);
    rh->reserved = 0;

    if (s->fault_drop_reply && hit) {
        /* the request took effect, its reply is lost */
        s->fault_drop_reply = false;
        s->fault_opcode = 0;
        memset(s->mbox_resp, 0, sizeof(s->mbox_resp));
        s->mbox_status = JMGPU_MBOX_STATUS_IDLE;
        jmgpu_fw_log(s, "fault: reply to 0x%x seq %u dropped", op,
                     le32_to_cpu(req.seq));
        return;
    }
    if (s->fault_corrupt_reply >= 0 && hit) {
        jmgpu_fw_log(s, "fault: reply to 0x%x seq %u corrupted (kind %d)", op,
                     le32_to_cpu(req.seq), s->fault_corrupt_reply);
        jmgpu_corrupt(s, s->fault_corrupt_reply);
        s->fault_corrupt_reply = -1;
        s->fault_opcode = 0;
    }
    s->mbox_status = JMGPU_MBOX_STATUS_DONE;
    jmgpu_pf_raise(s, JMGPU_PF_INT_MBOX);
}

void jmgpu_fw_doorbell(JmgpuState *s, uint32_t val)
{
    if (val != 1) {
        jmgpu_guest_error(s, "MBOX_DOORBELL written with %u (must be 1)", val);
        return;
    }
    if (!(s->status & JMGPU_PF_STATUS_FW_READY)) {
        s->mbox_ignored++;
        jmgpu_guest_error(s, "MBOX_DOORBELL while firmware not ready: ignored");
        return;
    }
    if (s->mbox_status == JMGPU_MBOX_STATUS_BUSY) {
        s->mbox_ignored++;
        jmgpu_guest_error(s, "MBOX_DOORBELL while a request is outstanding: "
                          "ignored");
        jmgpu_fw_log(s, "doorbell while busy ignored (%u so far)",
                     s->mbox_ignored);
        return;
    }
    memcpy(s->mbox_work, s->mbox_req, sizeof(s->mbox_work));
    s->mbox_status = JMGPU_MBOX_STATUS_BUSY;
    if (!s->fault_fw_hang) {
        timer_mod(s->mbox_timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                  JMGPU_MBOX_LATENCY_NS);
    }
}

/* ------------------------------------------------------------------ */
/* Firmware reset                                                      */
/* ------------------------------------------------------------------ */

static void jmgpu_fw_reset_done(void *opaque)
{
    JmgpuState *s = opaque;

    s->status = JMGPU_PF_STATUS_FW_READY;
    jmgpu_heartbeat_freeze(s, false);
    jmgpu_fw_log(s, "firmware ready (interface %u.%u, build %u)",
                 JMGPU_VERSION_MAJOR(jmgpu_fw_version(s)),
                 JMGPU_VERSION_MINOR(jmgpu_fw_version(s)), JMGPU_FW_BUILD);
    jmgpu_event_post(s, JMGPU_EVENT_FW_RESET_DONE, 0, 0, NULL);
}

/*
 * @hard: PCI reset of the PF (power-on, system reset, PF FLR): also the
 * statistics, the test block and the heartbeat restart. Otherwise
 * PF CONTROL.RESET. Both: RESETTING for JMGPU_RESET_NS, then FW_READY and
 * a FW_RESET_DONE event; all VF contexts and provisioning are lost, VRAM
 * content is kept.
 */
void jmgpu_fw_reset(JmgpuState *s, bool hard)
{
    bool keep = s->fault_keep && !hard;
    bool drop = s->fault_drop_reply, restart = s->fault_fw_reset;
    int32_t corrupt = s->fault_corrupt_reply;
    uint32_t opcode = s->fault_opcode, skip = s->fault_skip;
    int i;

    s->fw_epoch++;
    s->hello_done = false;
    timer_del(s->mbox_timer);
    timer_del(s->reset_timer);
    for (i = 0; i < JMGPU_MAX_VFS; i++) {
        if (s->vf[i].enabled && !hard) {
            s->vf[i].stats.resets++;
        }
    }
    jmgpu_teardown_all(s, false);
    s->mbox_status = JMGPU_MBOX_STATUS_IDLE;
    s->fault_fw_hang = false;
    s->fault_drop_reply = false;
    s->fault_corrupt_reply = -1;
    s->fault_fw_reset = false;
    s->fault_opcode = 0;
    s->fault_skip = 0;
    s->fault_keep = false;
    if (keep) {
        /* TEST_FAULT_SKIP_KEEP: aimed at the requests after this reset */
        s->fault_drop_reply = drop;
        s->fault_corrupt_reply = corrupt;
        s->fault_fw_reset = restart;
        s->fault_opcode = opcode;
        s->fault_skip = skip;
        s->fault_keep = true;
    }
    s->fault_engine_hang_vf = -1;
    s->fault_dma_error_vf = -1;
    s->test_evq_drop = 0;
    s->sched_policy = JMGPU_SCHED_BEST_EFFORT;
    s->sched_slice_us = JMGPU_SCHED_DEFAULT_US;
    if (hard) {
        for (i = 0; i < JMGPU_MAX_VFS; i++) {
            memset(&s->vf[i].stats, 0, sizeof(s->vf[i].stats));
            jmgpu_vf_ev_reset(&s->vf[i], true);     /* totals restart */
        }
        s->test_unlocked = false;
        s->test_arg = 0;
        /* test_fw_version is sticky: see TEST_FW_VERSION */
        s->hb_base = 0;
        s->hb_epoch = -1;
        jmgpu_fw_log(s, "PCI reset of the PF: firmware boots");
    } else {
        jmgpu_heartbeat_freeze(s, true);
        jmgpu_fw_log(s, "firmware reset requested: all VF contexts lost");
    }
    s->status = JMGPU_PF_STATUS_RESETTING;
    timer_mod(s->reset_timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
              JMGPU_RESET_NS);
}

void jmgpu_fw_init(JmgpuState *s)
{
    int i;

    s->mbox_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, jmgpu_fw_mbox_process, s);
    s->reset_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, jmgpu_fw_reset_done, s);
    for (i = 0; i < JMGPU_MAX_VFS; i++) {
        jmgpu_vf_display_init(&s->vf[i]);
    }
    s->fault_corrupt_reply = -1;
    s->fault_engine_hang_vf = -1;
    s->fault_dma_error_vf = -1;
    s->sched_policy = JMGPU_SCHED_BEST_EFFORT;
    s->sched_slice_us = JMGPU_SCHED_DEFAULT_US;
    s->status = JMGPU_PF_STATUS_FW_READY;
    /* VRAM starts zeroed: every granule clean */
    memset(s->fb_clean, 0, sizeof(s->fb_clean));
    jmgpu_fb_mark(s, 0, s->vram_size, true);
}

void jmgpu_fw_fini(JmgpuState *s)
{
    int i;

    for (i = 0; i < JMGPU_MAX_VFS; i++) {
        jmgpu_vf_display_fini(&s->vf[i]);
    }
    timer_free(s->mbox_timer);
    timer_free(s->reset_timer);
    s->mbox_timer = NULL;
    s->reset_timer = NULL;
}

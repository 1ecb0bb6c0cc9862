/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jmgpu device model: shared state of the PF, its VFs, the firmware,
 * the copy/fill engines and the scheduler.
 *
 * The wire contract (registers, mailbox, jobs, events) is
 * jmgpu_fw_iface.h; the prose spec is Documentation/hardware-model.rst.
 */
#ifndef HW_MISC_JMGPU_H
#define HW_MISC_JMGPU_H

#include "hw/pci/pci_device.h"
#include "qemu/timer.h"
#include "qemu/units.h"
#include "qom/object.h"
#include "jmgpu_fw_iface.h"

#define TYPE_JMGPU              "jmgpu"
#define TYPE_JMGPU_VF           "jmgpu-vf"

OBJECT_DECLARE_SIMPLE_TYPE(JmgpuState, JMGPU)
OBJECT_DECLARE_SIMPLE_TYPE(JmgpuVfState, JMGPU_VF)

/* Fixed model parameters (reported through GET_CAPS) */
#define JMGPU_FB_GRANULE        (4 * MiB)
#define JMGPU_NUM_ENGINES       32
#define JMGPU_CODEC_SESSIONS    64
#define JMGPU_DISPLAY_HEADS     4
#define JMGPU_MAX_WIDTH         7680
#define JMGPU_MAX_HEIGHT        4320
#define JMGPU_MAX_WEIGHT        100
#define JMGPU_FW_BUILD          20260001

/* Timing of the firmware model, virtual time */
#define JMGPU_MBOX_LATENCY_NS   (10 * SCALE_US)   /* doorbell -> reply */
#define JMGPU_RESET_NS          (1 * SCALE_MS)    /* PF CONTROL reset */
#define JMGPU_HB_PERIOD_US      1000              /* heartbeat period */
#define JMGPU_HANG_DETECT_NS    (200 * SCALE_MS)  /* engine watchdog */
#define JMGPU_SCHED_DEFAULT_US  1000              /* default time slice */

#define JMGPU_LOG_SIZE          (64 * KiB)        /* log ring, power of 2 */
/* per-VF log limit: a burst of this many lines, then one per period */
#define JMGPU_LOG_VF_BURST      20
#define JMGPU_LOG_VF_PERIOD_NS  (100 * SCALE_MS)
#define JMGPU_CHUNK             (64 * KiB)        /* engine bounce buffer */

/* Message/event ring lives at JMGPU_PF_EVQ: 64 * 40 bytes */
#define JMGPU_EVQ_BYTES         (JMGPU_EVQ_ENTRIES * JMGPU_EVENT_SIZE)

/* Decoded job in progress */
typedef struct JmgpuJob {
    uint32_t opcode;
    uint32_t flags;
    uint64_t src;
    uint64_t dst;
    uint64_t len;
    uint32_t fill;
    uint64_t fence;
    uint64_t done;          /* bytes processed so far */
} JmgpuJob;

typedef struct JmgpuVfStats {
    uint64_t engine_busy_ns;
    uint64_t jobs;
    uint64_t bytes;
    uint64_t doorbells;
    uint64_t faults;
    uint64_t resets;
    uint64_t fb_violations;
} JmgpuVfStats;

/* Provisioning of one VF, host endian */
typedef struct JmgpuVfCfg {
    uint32_t engine_weight;
    uint64_t fb_offset;
    uint64_t fb_size;
    uint32_t codec_sessions;
    uint32_t display_heads;
    uint32_t max_width;
    uint32_t max_height;
    uint32_t flags;             /* JMGPU_VF_CFG_* */
} JmgpuVfCfg;

/* One scanout plane: pending (programmed), queued (committed), active */
typedef struct JmgpuPlane {
    uint32_t enable;
    uint64_t base;
    uint32_t width;
    uint32_t height;
    uint32_t stride;
    uint32_t format;
} JmgpuPlane;

/* VF BAR0 registers that the VF's driver programs */
typedef struct JmgpuVfRegs {
    uint64_t ring_base;
    uint32_t ring_size;
    uint32_t ring_ctrl;
    uint32_t ring_head;
    uint32_t ring_tail;
    uint64_t fence_addr;
    uint64_t fence_value;
    uint32_t int_status;
    uint32_t int_mask;
    uint32_t fault_status;
    uint64_t fault_addr;
    JmgpuPlane pending;         /* SCANOUT_ENABLE..FORMAT */
    JmgpuPlane queued;          /* committed, latched at the next vblank */
    JmgpuPlane active;          /* ACTIVE_*: what is scanned out */
    bool flip_queued;
    int64_t flip_due;           /* virtual ns of the vblank that latches */
    uint32_t scanout_status;
    uint32_t scanout_gen;
    int64_t vblank_epoch;       /* virtual ns of the VF reset */
    uint32_t msg_out[JMGPU_VF_MSG_DWORDS];
    uint32_t msg_in[JMGPU_VF_MSG_DWORDS];
} JmgpuVfRegs;

/* Kinds of VF event record waiting in the firmware */
enum {
    JMGPU_EVK_FLR,
    JMGPU_EVK_FAULT,
    JMGPU_EVK_MSG,
    JMGPU_EVK_NUM,
};

/* Per-VF firmware context, owned by the PF */
typedef struct JmgpuVfCtx {
    JmgpuState *pf;
    JmgpuVfState *dev;      /* the VF PCI function, set at VF realize */
    unsigned int index;

    bool enabled;           /* firmware context set up (VF_ENABLE) */
    bool provisioned;
    JmgpuVfCfg cfg;
    JmgpuVfRegs regs;

    /* engine */
    /*
     * Bumped by every stop of this engine (VF reset, FLR, ring disable,
     * unprovision, firmware reset). A DMA or an MSI-X write of the engine
     * can land in the device's own registers (CONTROL, the SR-IOV control
     * through ECAM, its ring registers) and stop it: work in flight
     * compares gen after each of them and gives up when it moved.
     */
    uint32_t gen;
    bool job_active;
    JmgpuJob job;
    uint32_t fetch;         /* next descriptor to fetch (HEAD lags it) */
    /* jobs finished in the running slice, made visible at its end */
    uint32_t pend_jobs;
    uint64_t pend_bytes;
    bool pend_fence;
    uint64_t pend_fence_val;
    bool pend_irq;
    bool faulted;           /* stopped on a fault until reset */
    bool hung;              /* injected hang: no progress */
    int64_t hang_since;     /* virtual ns, -1 = not yet observed */
    bool dma_error;         /* injected: next DMA fails */
    int64_t vtime;          /* scheduler virtual time */
    int64_t credit_ns;      /* fixed-share credit */

    JmgpuVfStats stats;

    /*
     * Display: the vblank timer runs only while a flip is queued or
     * INT_VBLANK is enabled. The monitor is the host's (VF_SET_DISPLAY):
     * VF reset and FLR keep it, unprovision disconnects it. The timer is
     * the PF's, like the context: it outlives the VF function.
     */
    QEMUTimer *vblank_timer;
    uint32_t display_link;
    uint32_t edid_size;
    uint32_t display_gen;
    uint8_t edid[JMGPU_VF_EDID_MAX];

    /*
     * Event accounting (jmgpu-events.c): at most one record of each
     * kind waits here for room in the PF's event ring; later occurrences
     * of the same kind are coalesced into it. Totals since VF_ENABLE.
     */
    uint32_t ev_pending;            /* 1 << JMGPU_EVK_* */
    uint64_t ev_order[JMGPU_EVK_NUM];   /* post order of each waiting one */
    int64_t ev_time[JMGPU_EVK_NUM];     /* virtual ns of its first one */
    uint32_t ev_data[JMGPU_EVK_NUM];
    uint32_t ev_payload[JMGPU_EVK_NUM][JMGPU_VF_MSG_DWORDS];
    uint32_t flr_done;
    uint32_t faults;
    /* VF -> PF messages: one in flight until the PF acknowledges it */
    bool msg_busy;
    uint32_t msg_seq;
    uint32_t msgs;
    uint32_t msg_dropped;
    /* log rate limit: theoretical arrival time of the next line (GCRA) */
    int64_t log_tat;
    uint32_t log_suppressed;        /* since the last summary line */
    uint32_t log_suppressed_total;
} JmgpuVfCtx;

struct JmgpuVfState {
    PCIDevice parent_obj;
    MemoryRegion bar0;
    MemoryRegion fb;        /* BAR2 container, vf-aperture */
    MemoryRegion fb_bg;     /* background: outside the slice */
    MemoryRegion fb_slice;  /* alias into PF VRAM */
    JmgpuVfCtx *ctx;
};

struct JmgpuState {
    PCIDevice parent_obj;
    MemoryRegion bar0;
    MemoryRegion vram;

    /* properties */
    uint64_t vram_size;
    uint64_t vf_aperture;
    uint32_t engine_rate;   /* bytes per us of virtual time */
    uint32_t fw_iface_version;  /* interface the firmware implements */

    /* PF registers */
    uint32_t status;
    uint32_t int_status;
    uint32_t int_mask;
    uint32_t guest_errors;

    /* heartbeat: value = hb_base + (now - hb_epoch) / period */
    uint64_t hb_base;
    int64_t hb_epoch;

    /* mailbox */
    uint8_t mbox_req[JMGPU_MBOX_SIZE];
    uint8_t mbox_resp[JMGPU_MBOX_SIZE];
    uint8_t mbox_work[JMGPU_MBOX_SIZE];     /* snapshot at doorbell */
    uint32_t mbox_status;
    uint32_t mbox_ignored;  /* doorbells while busy / not ready */
    QEMUTimer *mbox_timer;
    QEMUTimer *reset_timer;

    /* event ring */
    uint8_t evq[JMGPU_EVQ_BYTES];
    uint32_t evq_head;
    uint32_t evq_tail;
    uint32_t evq_overflow;  /* occurrences coalesced into a waiting one */
    bool ev_fw_reset;       /* FW_RESET_DONE waiting (reserved slot) */
    int64_t ev_fw_reset_time;
    uint32_t ev_rr;         /* next VF in the round-robin refill */
    uint64_t ev_order;      /* post counter */

    /* fault injection */
    bool test_unlocked;
    uint32_t test_arg;
    bool fault_fw_hang;
    bool fault_drop_reply;
    int32_t fault_corrupt_reply;    /* JMGPU_CORRUPT_* or -1 */
    bool fault_fw_reset;            /* restart on the next request */
    uint32_t fault_opcode;          /* reply faults wait for it, 0 = any */
    int32_t fault_engine_hang_vf;   /* -1 = none */
    int32_t fault_dma_error_vf;     /* -1 = none */
    uint32_t test_fw_version;       /* TEST_FW_VERSION override, 0 = none */
    uint32_t fault_skip;            /* matching requests let pass first */
    bool fault_keep;                /* reply fault survives fw resets */

    /*
     * One bit per FB granule, 1 = known clean (zero, not handed to a VF
     * since). Kept with VRAM: only realize sets it (VRAM starts zeroed).
     */
    uint64_t fb_clean[JMGPU_CLEAN_MAP_GRANULES / 64];
    uint32_t test_evq_drop;         /* TEST_EVQ_DROP: VF records to lose */

    /* firmware state */
    uint32_t fw_epoch;      /* bumped by every firmware reset */
    bool hello_done;        /* HELLO agreed a version since the last reset */
    uint32_t num_vfs;       /* VF contexts set up */
    uint32_t codec_used;
    uint32_t sched_policy;
    uint32_t sched_slice_us;
    QEMUTimer *sched_timer;
    int64_t sched_last;     /* virtual ns of the last credit update */
    int64_t sched_vclock;   /* virtual time of the last pick */
    int64_t slice_end;      /* end of the running slice, virtual ns */
    JmgpuVfCtx *running;    /* VF whose finished jobs the slice end shows */
    /*
     * The slice in progress: it runs one chunk per timer event, each at
     * the virtual time its bytes take, so a job's data lands progressively
     * while HEAD and the fence move only at the slice end.
     */
    JmgpuVfCtx *slice_vf;   /* NULL: no slice in progress */
    uint32_t slice_gen;     /* slice_vf->gen when the slice started */
    int64_t slice_start;    /* virtual ns */
    uint64_t slice_budget;  /* bytes of work the slice may do */
    uint64_t slice_used;    /* bytes of work (cost) done so far */
    int64_t slice_wake;     /* a hung VF's watchdog due in the slice */
    JmgpuVfCtx vf[JMGPU_MAX_VFS];

    /* engine bounce buffer: one chunk of a copy or fill in flight */
    uint8_t bounce[JMGPU_CHUNK];

    /* firmware log ring */
    char log[JMGPU_LOG_SIZE];
    uint64_t log_total;     /* bytes ever written */
};

/* jmgpu-pf.c */
uint32_t jmgpu_fw_version(JmgpuState *s);
void jmgpu_guest_error(JmgpuState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void jmgpu_pf_raise(JmgpuState *s, uint32_t bits);
uint64_t jmgpu_heartbeat(JmgpuState *s);
void jmgpu_heartbeat_freeze(JmgpuState *s, bool freeze);
PCIDevice *jmgpu_vf_pci(JmgpuVfCtx *c);

/* jmgpu-events.c */
void jmgpu_event_post(JmgpuState *s, uint16_t type, uint16_t vf,
                      uint32_t data, const uint32_t *payload);
void jmgpu_evq_reset(JmgpuState *s);
void jmgpu_evq_refill(JmgpuState *s);
void jmgpu_evq_forget_vfs(JmgpuState *s);
void jmgpu_vf_ev_reset(JmgpuVfCtx *c, bool counters);
void jmgpu_vf_msg_send(JmgpuVfCtx *c);
bool jmgpu_vf_msg_ack(JmgpuVfCtx *c, bool any, uint32_t seq);

/* jmgpu-fw.c */
void jmgpu_fw_init(JmgpuState *s);
void jmgpu_fw_fini(JmgpuState *s);
void jmgpu_fw_doorbell(JmgpuState *s, uint32_t val);
void jmgpu_fw_reset(JmgpuState *s, bool hard);
void jmgpu_fw_sriov_changed(JmgpuState *s, uint16_t old_vfs, uint16_t new_vfs);
void jmgpu_fw_log(JmgpuState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void jmgpu_fw_log_vf(JmgpuVfCtx *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void jmgpu_vf_teardown(JmgpuVfCtx *c);
void jmgpu_vf_ctx_reset(JmgpuVfCtx *c);
void jmgpu_vf_flr_scrub(JmgpuVfCtx *c);

/* jmgpu-vf.c */
void jmgpu_vf_raise(JmgpuVfCtx *c, uint32_t bits);
void jmgpu_vf_update_fb(JmgpuVfCtx *c);
void jmgpu_vf_regs_reset(JmgpuVfCtx *c);
void jmgpu_vf_msg_in(JmgpuVfCtx *c, const uint32_t *data);
void jmgpu_vf_display_init(JmgpuVfCtx *c);
void jmgpu_vf_display_fini(JmgpuVfCtx *c);
bool jmgpu_vf_set_monitor(JmgpuVfCtx *c, uint32_t link, uint32_t size,
                          const uint8_t *edid);

/* jmgpu-engine.c */
void jmgpu_engine_init(JmgpuState *s);
void jmgpu_engine_fini(JmgpuState *s);
void jmgpu_engine_kick(JmgpuState *s);
void jmgpu_engine_doorbell(JmgpuVfCtx *c, uint32_t tail);
bool jmgpu_engine_busy(JmgpuVfCtx *c);
void jmgpu_sched_changed(JmgpuState *s);
void jmgpu_engine_set_weight(JmgpuVfCtx *c, uint32_t weight);
void jmgpu_engine_stop(JmgpuVfCtx *c);
void jmgpu_engine_fault(JmgpuVfCtx *c, uint32_t code, uint64_t addr);
uint8_t *jmgpu_fb_ptr(JmgpuVfCtx *c, uint64_t off, uint64_t len);

/* jmgpu-fault.c */
void jmgpu_fault_props_init(Object *obj);
uint64_t jmgpu_test_read(JmgpuState *s, hwaddr addr);
void jmgpu_test_write(JmgpuState *s, hwaddr addr, uint32_t val);
void jmgpu_fault_engine_hang(JmgpuState *s, int32_t vf);
void jmgpu_fault_dma_error(JmgpuState *s, int32_t vf);
uint32_t jmgpu_fault_armed_mask(JmgpuState *s);

#endif /* HW_MISC_JMGPU_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jmgpu PF driver: internal definitions shared by the driver's files.
 */
#ifndef JMGPU_PF_H
#define JMGPU_PF_H

#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "jmgpu_fw_iface.h"
#include "jmgpu_fw_validate.h"
#include "jmgpu_pf_api.h"

#define JMGPU_DRV_NAME		"jmgpu_pf"
#define JMGPU_TRACE_LEN		64	/* mailbox trace entries */
#define JMGPU_MAX_FB_GRANULES	BIT(20)

/* Who provisioned a VF; decides whether it counts as "in use". */
enum jmgpu_owner {
	JMGPU_OWNER_NONE,
	JMGPU_OWNER_AUTO,	/* auto_provision: released by sriov disable */
	JMGPU_OWNER_API,	/* vf_mdev through the exported API */
	JMGPU_OWNER_DEBUGFS,	/* test/debug interface */
};

/* One mailbox trace record (debugfs mbox_trace). */
struct jmgpu_trace_ent {
	u32 seq;
	u16 opcode;
	s16 result;		/* firmware status, or -errno of transport */
	u32 latency_us;
	u64 when_ns;		/* ktime_get_boottime_ns() at submission */
};

/*
 * Events of one VF as the driver received them (jmgpu_monitor.c). Records
 * carry the firmware's running totals; the driver counts occurrences by
 * difference, so coalesced ones are counted too. Under jmgpu_pf.stats_lock.
 */
struct jmgpu_vf_events {
	u32 flr_total;		/* last firmware FLR total accounted */
	u32 fault_total;	/* likewise faults */
	u32 msg_seq;		/* last message seq accounted */
	u64 flr_done;		/* FLRs delivered */
	u64 faults;		/* faults delivered */
	u64 msgs;		/* messages delivered (and acknowledged) */
	u64 records;		/* event records read for this VF */
	u64 resynced;		/* occurrences found by a resync, not a record */
	u32 last_fault;		/* JMGPU_FAULT_CODE_* of the last fault */
};

/* Driver's view of one VF. */
struct jmgpu_vf {
	enum jmgpu_owner owner;
	bool busy;			/* vf_mdev: device open */
	bool scrub_pending;		/* unprovision failed: redo after reset */
	bool handed_out;		/* a user had it since its last scrub */
	bool scrub_on_flr;		/* provisioned JMGPU_VF_CFG_SCRUB_ON_FLR */
	char name[JMGPU_PROFILE_NAME_LEN];
	struct jmgpu_pf_vf_info fw;	/* resources, as sent to firmware */
	u32 msix_count;			/* fixed: JMGPU_VF_MSIX_VECTORS */
	/*
	 * the monitor the firmware last accepted (VF_SET_DISPLAY), restored
	 * by a recovery; under jmgpu_pf.cfg_lock, cleared with @fw
	 */
	bool monitor_link;
	u32 monitor_size;
	u8 monitor_edid[JMGPU_VF_EDID_MAX];

	/* listener; changed and called under jmgpu_pf.ev_lock */
	jmgpu_pf_event_fn ev_fn;
	void *ev_priv;

	struct jmgpu_vf_events ev;	/* under jmgpu_pf.stats_lock */

	/* last statistics; under jmgpu_pf.stats_lock */
	struct jmgpu_vf_stats stats;
	struct jmgpu_vf_stats_sample sample;
	u64 sample_jiffies;
};

/* Per-PF driver state; drvdata of the PF pci_dev. */
struct jmgpu_pf {
	struct pci_dev *pdev;
	void __iomem *regs;

	/* firmware identity from HELLO / GET_CAPS */
	u32 fw_version;
	u32 fw_build;
	struct jmgpu_caps caps;		/* validated, little-endian */
	u64 fb_size;
	u64 vf_aperture;
	u32 granule;
	u32 max_vfs;
	u32 max_weight;
	u32 codec_total;

	/*
	 * Mailbox transport. @mbox_lock serializes requests: it is held from
	 * writing the request buffer until the reply has been copied out (or
	 * the request timed out), and protects @seq and @mbox_resp.
	 */
	struct mutex mbox_lock;
	u32 seq;
	struct completion mbox_done;	/* completed by the mailbox IRQ */
	u8 mbox_resp[JMGPU_MBOX_SIZE];	/* reply copy, under mbox_lock */
	bool mbox_broken;	/* fail fast until recovery; atomic access */
	bool fw_dead;		/* recovery gave up; atomic access */

	/* @trace_lock protects the mailbox trace ring (IRQ-safe readers). */
	spinlock_t trace_lock;
	struct jmgpu_trace_ent trace[JMGPU_TRACE_LEN];
	unsigned int trace_next;
	u64 trace_total;

	/*
	 * @cfg_lock protects the SR-IOV and provisioning state below (num_vfs,
	 * vf[].owner/fw/busy/msix_count, allocators, scheduler settings,
	 * auto_provision) and serializes every state-changing firmware
	 * sequence, including recovery. Lock order: cfg_lock, then mbox_lock.
	 */
	struct mutex cfg_lock;
	u32 num_vfs;
	struct jmgpu_vf vf[JMGPU_MAX_VFS];
	unsigned long *fb_map;		/* one bit per granule, 1 = used */
	/*
	 * One bit per granule, 1 = not seen scrubbed: a VF was given it, or
	 * the firmware's clean map did not report it clean at probe. Nothing
	 * is provisioned over a set bit before an FB_SCRUB clears it.
	 */
	unsigned long *fb_dirty;
	u32 fb_bits;
	u32 weight_used;
	u32 codec_used;
	u32 sched_policy;
	u32 sched_slice_us;
	char auto_provision[JMGPU_PROFILE_NAME_LEN];
	/*
	 * A PCI reset of the PF (FLR, bus reset) restarted the firmware and
	 * its per-VF event totals: the next recovery takes the totals anew.
	 */
	bool pf_reset;

	/* @ev_lock protects vf[].ev_fn/ev_priv and serializes callbacks. */
	struct mutex ev_lock;

	/* @stats_lock protects vf[].stats/sample; readers never sleep. */
	spinlock_t stats_lock;

	/* monitor (stats sampling + heartbeat check) */
	struct delayed_work monitor_work;
	u32 last_heartbeat;		/* monitor work only */
	unsigned long last_hb_jiffies;	/* monitor work only */
	u32 evq_overflow;		/* event IRQ thread only */
	/* resync after an event ring overflow, under cfg_lock */
	struct work_struct resync_work;
	u32 resync_lost;		/* overflow count behind it; atomic access */
	atomic_t resyncs;

	/* recovery; recoveries and own_resets are atomics */
	struct work_struct recovery_work;
	/*
	 * @recovery_lock protects @recovery_cause ("" = none pending) and
	 * @recovery_allowed. Recovery is queued only while @recovery_allowed
	 * is set: from the end of a successful probe until the start of
	 * remove. Probe's error path and remove clear it, then
	 * cancel_work_sync(): no recovery can outlive the PF state.
	 */
	spinlock_t recovery_lock;
	bool recovery_allowed;
	char recovery_cause[96];
	atomic_t recoveries;
	atomic_t own_resets;	/* FW_RESET_DONE events we caused */
	bool removing;		/* remove in progress; atomic access */

	struct dentry *debugfs;

	/*
	 * sysfs directories (jmgpu_sysfs_vf.c): <pf>/jmgpu_vf/ with one
	 * kobject per enabled VF, <pf>/jmgpu_profiles/ with one per profile.
	 * Changed only at probe, remove and .sriov_configure (device lock).
	 */
	struct kobject *vf_dir;
	struct kobject *vf_kobj[JMGPU_MAX_VFS];
	struct kobject *prof_dir;
	struct kobject **prof_kobj;
	unsigned int nprof_kobj;
};

extern struct pci_driver jmgpu_pf_driver;
extern unsigned int jmgpu_mbox_timeout_ms;	/* READ_ONCE() */
extern unsigned int jmgpu_sample_interval_ms;

static inline struct device *jmgpu_dev(struct jmgpu_pf *pf)
{
	return &pf->pdev->dev;
}

static inline u32 jmgpu_rd(struct jmgpu_pf *pf, u32 reg)
{
	return ioread32(pf->regs + reg);
}

static inline void jmgpu_wr(struct jmgpu_pf *pf, u32 reg, u32 val)
{
	iowrite32(val, pf->regs + reg);
}

/* jmgpu_mbox.c */
int jmgpu_mbox_call(struct jmgpu_pf *pf, u16 opcode, const void *req,
		    u32 req_len, void *resp, u32 resp_max, u32 *resp_len);
int jmgpu_mbox_call_recovery(struct jmgpu_pf *pf, u16 opcode, const void *req,
			     u32 req_len, void *resp, u32 resp_max,
			     u32 *resp_len);
irqreturn_t jmgpu_mbox_irq(int irq, void *data);
int jmgpu_fw_hello(struct jmgpu_pf *pf, bool recovery);
bool jmgpu_fw_too_old(struct jmgpu_pf *pf, u32 vf, u32 minor,
		      const char *refused, const char *lacks);
int jmgpu_fw_get_caps(struct jmgpu_pf *pf, bool recovery);
int jmgpu_fw_set_sched(struct jmgpu_pf *pf, u32 policy, u32 slice, bool rec);
int jmgpu_fw_get_sched(struct jmgpu_pf *pf, u32 *policy, u32 *slice);
int jmgpu_fw_vf_cmd(struct jmgpu_pf *pf, u16 opcode, u32 vf, bool recovery);
int jmgpu_fw_vf_enable(struct jmgpu_pf *pf, u32 num_vfs, bool recovery);
int jmgpu_fw_vf_provision(struct jmgpu_pf *pf, u32 vf, bool recovery);
int jmgpu_fw_vf_query(struct jmgpu_pf *pf, u32 vf, struct jmgpu_vf_config *c);
int jmgpu_fw_get_stats(struct jmgpu_pf *pf, u32 vf, struct jmgpu_vf_stats *s);
int jmgpu_fw_fb_scrub(struct jmgpu_pf *pf, u64 off, u64 size);
int jmgpu_fw_clean_map(struct jmgpu_pf *pf, u32 first, u32 count,
		       struct jmgpu_clean_map *m);
int jmgpu_fw_get_log(struct jmgpu_pf *pf, u32 offset, char *buf, u32 max,
		     u32 *len, u32 *next);
int jmgpu_fw_ping(struct jmgpu_pf *pf);
int jmgpu_fw_vf_msg_ack(struct jmgpu_pf *pf, u32 vf, u32 seq);
int jmgpu_fw_vf_event_state(struct jmgpu_pf *pf, u32 vf,
			    struct jmgpu_vf_event_state *es, bool recovery);
const char *jmgpu_cmd_name(unsigned int opcode);

/* jmgpu_alloc.c */
int jmgpu_alloc_init(struct jmgpu_pf *pf);
void jmgpu_alloc_fini(struct jmgpu_pf *pf);
int jmgpu_alloc_vf(struct jmgpu_pf *pf, u32 vf, const struct jmgpu_profile *p,
		   const char *name);
void jmgpu_free_vf(struct jmgpu_pf *pf, u32 vf);
int jmgpu_fw_vf_restore_display(struct jmgpu_pf *pf, u32 vf);
u64 jmgpu_fb_largest_free(struct jmgpu_pf *pf);
u64 jmgpu_fb_free(struct jmgpu_pf *pf);
int jmgpu_check_profile(struct jmgpu_pf *pf, const struct jmgpu_profile *p,
			bool verbose);
int jmgpu_profile_fits_locked(struct jmgpu_pf *pf,
			      const struct jmgpu_profile *p);
void jmgpu_alloc_show(struct jmgpu_pf *pf, struct seq_file *m);
int jmgpu_fb_probe_scrub(struct jmgpu_pf *pf);
int jmgpu_fb_make_clean(struct jmgpu_pf *pf, u64 off, u64 size);
void jmgpu_fb_set_dirty(struct jmgpu_pf *pf, u64 off, u64 size, bool dirty);
int jmgpu_equal_profile(struct jmgpu_pf *pf, u32 n, struct jmgpu_profile *p);

/* jmgpu_sriov.c */
int jmgpu_sriov_configure(struct pci_dev *pdev, int num_vfs);
int jmgpu_sriov_set_msix_vec_count(struct pci_dev *vfdev, int count);
u32 jmgpu_sriov_get_vf_total_msix(struct pci_dev *pdev);
void jmgpu_sriov_remove(struct jmgpu_pf *pf);
int jmgpu_provision_locked(struct jmgpu_pf *pf, u32 vf,
			   const struct jmgpu_profile *p, const char *name,
			   enum jmgpu_owner owner);
int jmgpu_unprovision_locked(struct jmgpu_pf *pf, u32 vf);
bool jmgpu_vf_in_use(struct jmgpu_pf *pf, u32 vf, const char **why);

/* jmgpu_sysfs.c */
extern const struct attribute_group *jmgpu_pf_groups[];

/* jmgpu_sysfs_vf.c */
const char *jmgpu_owner_name(enum jmgpu_owner o);
int jmgpu_sysfs_init(struct jmgpu_pf *pf);
void jmgpu_sysfs_fini(struct jmgpu_pf *pf);
int jmgpu_vf_sysfs_add(struct jmgpu_pf *pf, u32 n);
void jmgpu_vf_sysfs_del(struct jmgpu_pf *pf);

/* jmgpu_debugfs.c */
void jmgpu_debugfs_init(struct jmgpu_pf *pf);
void jmgpu_debugfs_fini(struct jmgpu_pf *pf);
void jmgpu_debugfs_module_init(void);
void jmgpu_debugfs_module_exit(void);

/* jmgpu_monitor.c */
void jmgpu_monitor_start(struct jmgpu_pf *pf);
void jmgpu_monitor_stop(struct jmgpu_pf *pf);
void jmgpu_monitor_fn(struct work_struct *work);
irqreturn_t jmgpu_event_irq(int irq, void *data);
void jmgpu_stats_clear(struct jmgpu_pf *pf, u32 vf);
void jmgpu_resync_fn(struct work_struct *work);
void jmgpu_events_seed(struct jmgpu_pf *pf, bool recovery);

/* jmgpu_recovery.c */
void jmgpu_recovery_init(struct jmgpu_pf *pf);
void jmgpu_recovery_allow(struct jmgpu_pf *pf);
void jmgpu_recovery_stop(struct jmgpu_pf *pf);
void jmgpu_schedule_recovery(struct jmgpu_pf *pf, const char *fmt, ...)
	__printf(2, 3);
void jmgpu_recovery_fn(struct work_struct *work);
int jmgpu_fw_wait_ready(struct jmgpu_pf *pf, unsigned int timeout_ms);
void jmgpu_notify(struct jmgpu_pf *pf, u32 vf, enum jmgpu_pf_event ev,
		  u32 data);

#endif /* JMGPU_PF_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jmgpu PF driver: in-kernel API for the VF driver (vf_mdev).
 *
 * All symbols are exported in the JMGPU symbol namespace; users add
 * MODULE_IMPORT_NS(JMGPU) and a soft dependency on jmgpu_pf.
 *
 * Lifetime: a PF handle obtained with jmgpu_pf_get() stays valid as long as
 * the VF pci_dev it was obtained from exists: the PF driver disables SR-IOV
 * (which removes every VF and unbinds its driver) before it frees the handle.
 * A VF driver must therefore drop every use of the handle (unregister events,
 * unprovision) in its remove callback at the latest.
 *
 * Context: every function may sleep unless stated otherwise. None may be
 * called from an event callback of the same PF except jmgpu_pf_vf_get_stats(),
 * jmgpu_pf_vf_get_config() and jmgpu_pf_get_capacity().
 */
#ifndef JMGPU_PF_API_H
#define JMGPU_PF_API_H

#include <linux/types.h>

struct pci_dev;
struct jmgpu_pf;

/* Longest profile name, including the terminating NUL. */
#define JMGPU_PROFILE_NAME_LEN	32

/**
 * struct jmgpu_profile - a vGPU profile: the resources of one VF
 * @name: type name, as used in mdev_supported_types and auto_provision
 * @description: one-line human readable description
 * @fb_size: framebuffer slice, bytes (multiple of the FB granule)
 * @engine_weight: engine share, 1..max_weight (percent with the model)
 * @codec_sessions: codec sessions reserved for the VF
 * @display_heads: virtual display heads, 0 = headless
 * @max_width: largest scanout width, 0 when headless
 * @max_height: largest scanout height, 0 when headless
 */
struct jmgpu_profile {
	const char *name;
	const char *description;
	u64 fb_size;
	u32 engine_weight;
	u32 codec_sessions;
	u32 display_heads;
	u32 max_width;
	u32 max_height;
};

/**
 * struct jmgpu_pf_capacity - totals and free resources of a PF
 * @fb_total: VRAM that VFs can be given, bytes
 * @fb_free: VRAM not given to any VF, bytes
 * @fb_largest_free: largest slice that can still be placed, bytes
 * @fb_granule: slice size/offset alignment, bytes
 * @vf_aperture: largest slice of one VF (VF BAR2 size), bytes
 * @weight_total: sum of engine weights the PF can hand out
 * @weight_free: engine weight not given to any VF
 * @codec_total: codec sessions of the device
 * @codec_free: codec sessions not given to any VF
 * @display_heads: most display heads per VF
 * @max_width: largest scanout width per head
 * @max_height: largest scanout height per head
 * @num_vfs: VFs currently enabled
 * @max_vfs: VFs the device supports (TotalVFs)
 * @provisioned: VFs currently provisioned
 */
struct jmgpu_pf_capacity {
	u64 fb_total;
	u64 fb_free;
	u64 fb_largest_free;
	u64 fb_granule;
	u64 vf_aperture;
	u32 weight_total;
	u32 weight_free;
	u32 codec_total;
	u32 codec_free;
	u32 display_heads;
	u32 max_width;
	u32 max_height;
	u32 num_vfs;
	u32 max_vfs;
	u32 provisioned;
};

/**
 * struct jmgpu_vf_stats_sample - last statistics sample of a VF
 * @valid: false until the first sample after provisioning/enable
 * @engine_busy_pct: engine busy percentage over the last interval
 * @fb_in_use: FB bytes provisioned to the VF
 * @engine_busy_ns: cumulative engine time, firmware virtual ns
 * @jobs: completed jobs
 * @bytes: bytes copied or filled
 * @doorbells: doorbell writes
 * @faults: engine faults
 * @resets: VF resets (FLR + firmware reset)
 * @fb_violations: BAR2 accesses outside the slice
 * @timestamp_ns: firmware time of the sample
 * @age_ms: milliseconds since the sample was taken
 */
struct jmgpu_vf_stats_sample {
	bool valid;
	u32 engine_busy_pct;
	u64 fb_in_use;
	u64 engine_busy_ns;
	u64 jobs;
	u64 bytes;
	u64 doorbells;
	u64 faults;
	u64 resets;
	u64 fb_violations;
	u64 timestamp_ns;
	u64 age_ms;
};

/**
 * struct jmgpu_pf_vf_info - provisioning of a VF as the PF driver holds it
 * @provisioned: the VF has resources
 * @profile: the resources (name is the profile's or "custom"/"equal")
 * @fb_offset: slice offset in VRAM, bytes
 * @msix_count: MSI-X vectors configured via sriov_vf_msix_count
 */
struct jmgpu_pf_vf_info {
	bool provisioned;
	struct jmgpu_profile profile;
	u64 fb_offset;
	u32 msix_count;
};

/**
 * enum jmgpu_pf_event - events delivered to a VF's listener
 * @JMGPU_PF_EVENT_FLR_DONE: the VF finished a function level reset
 * @JMGPU_PF_EVENT_ENGINE_FAULT: the VF's engine stopped on a fault;
 *	data is the JMGPU_FAULT_CODE_*
 * @JMGPU_PF_EVENT_VF_MSG: the VF sent a message; data is its first dword
 * @JMGPU_PF_EVENT_PF_RECOVERY: the firmware was reset and the VF's
 *	provisioning restored; all VF engine state (rings, fences) is lost.
 *	data is the recovery count
 *
 * Several FLRs or faults that the firmware coalesced into one record (the
 * event ring was full) are delivered as one call; debugfs ``events``
 * counts each. After an overflow, occurrences that no record brought are
 * delivered by the resync (a fault then with data JMGPU_FAULT_CODE_NONE,
 * a message with data 0: its payload is lost).
 */
enum jmgpu_pf_event {
	JMGPU_PF_EVENT_FLR_DONE,
	JMGPU_PF_EVENT_ENGINE_FAULT,
	JMGPU_PF_EVENT_VF_MSG,
	JMGPU_PF_EVENT_PF_RECOVERY,
};

/**
 * typedef jmgpu_pf_event_fn - per-VF event callback
 * @priv: the pointer given to jmgpu_pf_register_events()
 * @vf: VF index, 0-based
 * @event: what happened
 * @data: event specific value (see &enum jmgpu_pf_event)
 *
 * Called in process context (a threaded IRQ or a work item); may sleep
 * briefly but must not call jmgpu_pf_unregister_events(), provision or
 * reset functions of the same PF (queue a work item for that).
 */
typedef void (*jmgpu_pf_event_fn)(void *priv, unsigned int vf,
				  enum jmgpu_pf_event event, u32 data);

struct jmgpu_pf *jmgpu_pf_get(struct pci_dev *vfdev, unsigned int *vf);
int jmgpu_pf_get_capacity(struct jmgpu_pf *pf, struct jmgpu_pf_capacity *cap);
int jmgpu_pf_vf_provision(struct jmgpu_pf *pf, unsigned int vf,
			  const struct jmgpu_profile *profile);
int jmgpu_pf_vf_unprovision(struct jmgpu_pf *pf, unsigned int vf);
int jmgpu_pf_vf_reset(struct jmgpu_pf *pf, unsigned int vf);
int jmgpu_pf_vf_hand_out(struct jmgpu_pf *pf, unsigned int vf);
int jmgpu_pf_vf_get_info(struct jmgpu_pf *pf, unsigned int vf,
			 struct jmgpu_pf_vf_info *info);
int jmgpu_pf_vf_get_stats(struct jmgpu_pf *pf, unsigned int vf,
			  struct jmgpu_vf_stats_sample *s);
int jmgpu_pf_vf_set_weight(struct jmgpu_pf *pf, unsigned int vf, u32 weight);
int jmgpu_pf_vf_set_display(struct jmgpu_pf *pf, unsigned int vf, bool link,
			    const u8 *edid, size_t len);
int jmgpu_pf_vf_set_busy(struct jmgpu_pf *pf, unsigned int vf, bool busy);
int jmgpu_pf_register_events(struct jmgpu_pf *pf, unsigned int vf,
			     jmgpu_pf_event_fn fn, void *priv);
void jmgpu_pf_unregister_events(struct jmgpu_pf *pf, unsigned int vf);
int jmgpu_pf_profile_fits(struct jmgpu_pf *pf,
			  const struct jmgpu_profile *profile);

const struct jmgpu_profile *jmgpu_pf_profiles(unsigned int *count);
const struct jmgpu_profile *jmgpu_pf_profile_find(const char *name);

#endif /* JMGPU_PF_API_H */

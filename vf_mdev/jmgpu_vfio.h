/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jmgpu VF variant driver (jmgpu_vfio_pci): shared definitions.
 *
 * One jmgpu_vfio per VF. The VF itself is the vfio device that QEMU opens
 * (vfio-pci-core, BARs mmapped straight to the hardware); the VF is also an
 * mdev parent whose single mdev is the vGPU instance: it carries the
 * profile, provisioning lifecycle, monitoring and reset policy.
 */
#ifndef JMGPU_VFIO_H
#define JMGPU_VFIO_H

#include <linux/atomic.h>
#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/vfio.h>
#include <linux/vfio_pci_core.h>
#include <linux/wait.h>

#include "jmgpu_fw_iface.h"
#include "jmgpu_pf_api.h"

#define JMGPU_VFIO_DRV_NAME	"jmgpu_vfio_pci"
#define JMGPU_EDID_OFFSET	0x100	/* EDID blob offset in the region */
#define JMGPU_EDID_MAX_SIZE	512	/* base block + 3 extensions */
#define JMGPU_EDID_BLOCK	128	/* one EDID block */
#define JMGPU_EDID_DTD_MAX	4095U	/* 12 bits: detailed timing sizes */

/**
 * struct jmgpu_vfio_type - an mdev type of one VF: a PF profile
 * @type: the mdev core's type object (one per parent and profile)
 * @profile: the profile, from jmgpu_pf_profiles() (static table)
 */
struct jmgpu_vfio_type {
	struct mdev_type type;
	const struct jmgpu_profile *profile;
};

/**
 * struct jmgpu_vfio_edid - state of the VFIO EDID region
 * @regs: the register block userspace sees at offset 0
 * @blob: the EDID bytes at JMGPU_EDID_OFFSET
 * @mode_x: preferred width of the last EDID accepted with link up
 * @mode_y: preferred height of the same
 * @fw_link: the firmware was last told that a monitor is connected
 */
struct jmgpu_vfio_edid {
	struct vfio_region_gfx_edid regs;
	u8 blob[JMGPU_EDID_MAX_SIZE];
	u32 mode_x;
	u32 mode_y;
	bool fw_link;
};

/**
 * struct jmgpu_vfio_monitor - the vGPU's own monitor (jmgpu_vfio_monitor.c)
 * @width: width of its preferred mode, 0: no monitor (jmgpu/monitor "none")
 * @height: height of the same, 0 with @width
 * @max_width: the profile's maximum width, 0: headless (never a monitor)
 * @max_height: the profile's maximum height
 * @live: the VF is open with an EDID region: a change applies at once
 * @vmm: the VMM wrote the EDID region's link_state during this open: it
 *	owns the monitor until the last close, changes are only recorded
 * @vmm_noted: a change was recorded but not applied during this open
 *	(logged once)
 */
struct jmgpu_vfio_monitor {
	u32 width;
	u32 height;
	u32 max_width;
	u32 max_height;
	bool live;
	bool vmm;
	bool vmm_noted;
};

/* flip regions: device-specific region subtypes of the VF (vendor type) */
#define JMGPU_REGION_TYPE	(VFIO_REGION_TYPE_PCI_VENDOR_TYPE | \
				 JMGPU_PCI_VENDOR_ID)
#define JMGPU_REGION_SUBTYPE_PLANE0	1
#define JMGPU_REGION_SUBTYPE_PLANE1	2
#define JMGPU_NR_PLANE_REGIONS	2

/**
 * struct jmgpu_vfio_flip - one of the two plane regions (jmgpu_vfio_gfx.c)
 * @jv: the VF
 * @index: its VFIO region index
 * @base: FB slice offset its offset 0 maps (under &jmgpu_vfio.plane_lock)
 */
struct jmgpu_vfio_flip {
	struct jmgpu_vfio *jv;
	u32 index;
	u64 base;
};

/**
 * enum jmgpu_name - the names the VF's vfio device answers to
 * @JMGPU_NAME_PCI: its PCI address (QEMU -device vfio-pci,host=)
 * @JMGPU_NAME_UUID: the UUID of its vGPU (sysfsdev=/sys/bus/mdev/devices/)
 * @JMGPU_NAME_CDEV: no name: opened through its cdev (/dev/vfio/devices/),
 *	which asks no match op (either sysfsdev path leads to the cdev)
 */
enum jmgpu_name {
	JMGPU_NAME_PCI,
	JMGPU_NAME_UUID,
	JMGPU_NAME_CDEV,
};

/**
 * struct jmgpu_vfio - driver state of one VF
 * @core: vfio-pci-core device (drvdata of the VF is &core)
 * @pf: PF handle from jmgpu_pf_get(), valid while the VF exists
 * @vf: VF index, 0-based
 * @parent: mdev parent of the VF
 * @types: one type per profile
 * @type_ptrs: @types as the pointer array mdev_register_parent() wants
 * @nr_types: entries in @types
 * @state_lock: see below
 * @mdev: the vGPU bound to this VF, NULL when none
 * @profile: profile of @mdev (provisioned), NULL when none
 * @open: the vfio device is open (between open_device and close_device)
 * @orphan: @mdev went away while the VF was open; unprovision on close
 * @removing: @mdev is being removed and waits for the VF to close
 * @match_name: the name the last successful match op was given;
 *	JMGPU_NAME_CDEV before any and after the open that used it and close
 * @open_name: the name the VF was opened by (valid while @open)
 * @release_wq: woken when @open goes false
 * @gfx_lock: see below
 * @edid: EDID region state, reset on every open
 * @monitor: the monitor the host set for the vGPU (jmgpu/monitor)
 * @plane_lock: see below
 * @flip: the two plane regions, registered at open for display profiles
 * @plane_cur: index in @flip of the region QUERY_GFX_PLANE reported last,
 *	-1 before the first plane of an open
 * @plane_slice: the slice size (profile fb_size) at open: the limit of
 *	every plane region mapping
 * @trapped: region reads/writes that went through this driver
 * @recoveries: PF recovery events seen
 * @resets: firmware VF resets done by this driver (every PCI reset of the
 *	VF through .reset_done, and the last close)
 * @fw_reset_err: result of the last firmware reset from .reset_done
 * @engine_faults: engine fault events seen
 * @ioeventfd_lock: protects @ioeventfds and @nr_ioeventfds
 * @ioeventfds: the VF's VFIO ioeventfds (jmgpu_vfio_guard.c)
 * @nr_ioeventfds: entries in @ioeventfds
 */
struct jmgpu_vfio {
	struct vfio_pci_core_device core;
	struct jmgpu_pf *pf;
	unsigned int vf;

	struct mdev_parent parent;
	struct jmgpu_vfio_type *types;
	struct mdev_type **type_ptrs;
	unsigned int nr_types;

	/*
	 * @state_lock protects @mdev, @profile, @open, @orphan, @removing,
	 * @match_name and @open_name, and
	 * serializes mdev probe/remove (provisioning) against the gate in
	 * open_device/close_device. Taken inside the vfio dev_set lock
	 * (open/close) and inside the vfio group's device lock (match);
	 * never held while calling into vfio-pci-core ioctl paths or
	 * while waiting for the VF to close.
	 */
	struct mutex state_lock;
	struct mdev_device *mdev;
	const struct jmgpu_profile *profile;
	bool open;
	bool orphan;
	bool removing;
	enum jmgpu_name match_name;
	enum jmgpu_name open_name;
	wait_queue_head_t release_wq;

	/*
	 * @gfx_lock protects @edid and @monitor, and serializes every
	 * VF_SET_DISPLAY this driver sends: EDID region accesses, jmgpu/monitor
	 * writes, the monitor's connection at open and its disconnection at
	 * the last close. Taken inside @state_lock (open, vGPU creation).
	 */
	struct mutex gfx_lock;
	struct jmgpu_vfio_edid edid;
	struct jmgpu_vfio_monitor monitor;

	/*
	 * @plane_lock protects the binding of the plane regions: @flip[].base
	 * and @plane_cur. Taken by the plane regions' fault handler (under
	 * mmap_lock) and by QUERY_GFX_PLANE around a rebind and the zap of
	 * the rebound region's mappings; never held across user copies.
	 */
	struct mutex plane_lock;
	struct jmgpu_vfio_flip flip[JMGPU_NR_PLANE_REGIONS];
	int plane_cur;
	u64 plane_slice;

	atomic64_t trapped;
	atomic_t recoveries;
	atomic_t resets;
	int fw_reset_err;
	atomic_t engine_faults;

	struct mutex ioeventfd_lock;	/* protects @ioeventfds */
	struct list_head ioeventfds;
	unsigned int nr_ioeventfds;
};

static inline struct jmgpu_vfio *core_to_jmgpu(struct vfio_pci_core_device *c)
{
	return container_of(c, struct jmgpu_vfio, core);
}

static inline struct jmgpu_vfio *vdev_to_jmgpu(struct vfio_device *v)
{
	return container_of(v, struct jmgpu_vfio, core.vdev);
}

static inline struct device *jmgpu_vfio_dev(struct jmgpu_vfio *jv)
{
	return &jv->core.pdev->dev;
}

/* jmgpu_vfio_mdev.c */
int jmgpu_vfio_mdev_init(struct jmgpu_vfio *jv);
void jmgpu_vfio_mdev_fini(struct jmgpu_vfio *jv);
int jmgpu_vfio_mdev_register_driver(void);
void jmgpu_vfio_mdev_unregister_driver(void);

/* jmgpu_vfio_uuid.c */
int jmgpu_vfio_match(struct vfio_device *core_vdev, char *buf);
int jmgpu_vfio_link_group(struct jmgpu_vfio *jv, struct mdev_device *mdev);
void jmgpu_vfio_unlink_group(struct jmgpu_vfio *jv, struct mdev_device *mdev);

/* jmgpu_vfio_gfx.c */
int jmgpu_vfio_gfx_open(struct jmgpu_vfio *jv);
void jmgpu_vfio_gfx_close(struct jmgpu_vfio *jv);
long jmgpu_vfio_query_plane(struct jmgpu_vfio *jv, void __user *arg);
int jmgpu_vfio_edid_parse(struct jmgpu_vfio *jv, const u8 *b, u32 size,
			  u32 *x, u32 *y);

/* jmgpu_vfio_monitor.c */
void jmgpu_vfio_edid_build(u8 *edid, u32 w, u32 h, u32 serial);
void jmgpu_vfio_monitor_init(struct jmgpu_vfio *jv,
			     const struct jmgpu_profile *p);
void jmgpu_vfio_monitor_open_locked(struct jmgpu_vfio *jv);
void jmgpu_vfio_monitor_vmm_locked(struct jmgpu_vfio *jv);
void jmgpu_vfio_monitor_close_locked(struct jmgpu_vfio *jv);
extern struct device_attribute jmgpu_vfio_dev_attr_monitor;

/* jmgpu_vfio_reset.c */
int jmgpu_vfio_reset_ioctl(struct jmgpu_vfio *jv, unsigned int cmd,
			   unsigned long arg);
int jmgpu_vfio_fw_reset(struct jmgpu_vfio *jv, const char *why);
extern const struct pci_error_handlers jmgpu_vfio_err_handlers;
int jmgpu_vfio_events_init(struct jmgpu_vfio *jv);
void jmgpu_vfio_events_fini(struct jmgpu_vfio *jv);

/* jmgpu_vfio_guard.c */
int jmgpu_vfio_guard_ioctl(struct jmgpu_vfio *jv, unsigned int cmd,
			   void __user *arg);
int jmgpu_vfio_guard_rw(struct jmgpu_vfio *jv, size_t count, loff_t pos,
			bool write);
long jmgpu_vfio_ioeventfd(struct jmgpu_vfio *jv, void __user *arg);
void jmgpu_vfio_ioeventfds_release(struct jmgpu_vfio *jv);

/* jmgpu_vfio_sysfs.c */
extern const struct attribute_group *jmgpu_vfio_mdev_groups[];
extern const struct attribute_group *jmgpu_vfio_pci_groups[];

#endif /* JMGPU_VFIO_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sriov_cfg: administration of jmgpu cards (SR-IOV VFs and their vGPUs)
 * through sysfs only. Shared definitions of the tool's modules.
 */
#ifndef SRIOV_CFG_H
#define SRIOV_CFG_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

/* the release, as dkms.conf's PACKAGE_VERSION (a unit test compares them) */
#define SRIOV_CFG_VERSION	"0.1"
/* version of the --json output: bumped when a key changes meaning or goes */
#define JSON_SCHEMA	1

#define JMGPU_VENDOR	0x1ee7
#define JMGPU_PF_DEVICE	0x0001
#define JMGPU_VF_DEVICE	0x0002
#define PF_DRIVER	"jmgpu_pf"
#define VF_DRIVER	"jmgpu_vfio_pci"

#define MAX_CARDS	16
#define MAX_VFS		32
#define MAX_PROFILES	32
#define NAME_LEN	64
#define UUID_LEN	37	/* 36 characters + NUL */

/* ---- sysfs.c: every path is resolved under --sysfs-root ------------- */
extern char sysfs_root[4096];
/*
 * Test hook: when set, sysfs_write() calls it instead of writing; it returns
 * 0 or a negative errno, like the kernel's store method. NULL in the tool.
 */
extern int (*sysfs_write_hook)(const char *path, const char *val);

/* root-relative path; returns a static rotating buffer */
const char *sp(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int sysfs_read(const char *path, char *buf, size_t len);	/* -errno */
int sysfs_read_u64(const char *path, uint64_t *v);
int sysfs_write(const char *path, const char *val);		/* -errno */
bool sysfs_exists(const char *path);
int sysfs_link_name(const char *path, char *buf, size_t len);	/* basename of target */

/* ---- err.c: every error names the object and the reason ------------- */
/* prints "sriov_cfg: <object>: <reason>" on stderr, returns -code */
int fail(int code, const char *object, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* one "sriov_cfg: ..." error line on stderr ("<3>" first in the journal) */
void errline(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern bool quiet;

/* ---- card.c: the state of a card as the drivers show it ------------- */
struct profile {
	char name[NAME_LEN];
	uint64_t fb;
	unsigned int weight, codec, heads, w, h;
	char state[16];		/* available, full, unsupported */
	int fits_now;		/* VFs on which the profile can be created now */
};

struct vf {
	int index;
	char bdf[32];
	char driver[NAME_LEN];		/* "" when unbound */
	char override[NAME_LEN];
	/* from <pf>/jmgpu_vf/<index>/ */
	char prov_profile[NAME_LEN];	/* "-" when unprovisioned */
	char owner[16];			/* auto, mdev, debugfs, - */
	uint64_t fb_size;		/* framebuffer provisioned to the VF */
	unsigned int weight, codec;
	int in_use;
	/* from <pf>/jmgpu_vf/<index>/stats/ */
	bool has_stats;
	unsigned int busy;		/* engine busy %, last sample interval */
	uint64_t busy_ns;		/* firmware's cumulative engine time */
	uint64_t fb_in_use, jobs, bytes, doorbells, faults, resets, fb_violations;
	/* the vGPU (mdev) on the VF */
	char uuid[UUID_LEN];		/* "" when none */
	char mdev_type[NAME_LEN];	/* profile name of the mdev type */
	int open;			/* 1 open, 0 closed, -1 unknown */
};

struct card {
	char bdf[32];
	char pf_driver[NAME_LEN];	/* the PF's driver, "" when none */
	bool bound;			/* jmgpu_pf bound and jmgpu/ present */
	unsigned int numvfs, totalvfs;
	uint64_t fb_size, fb_free, fb_largest_free, fb_granule, vf_aperture;
	unsigned int weight_total, weight_free, codec_total, codec_free;
	unsigned int heads, max_w, max_h, timeslice_us, recoveries;
	char fw_version[NAME_LEN], fw_state[32], sched_policy[32];
	char auto_provision[NAME_LEN];
	int nprofiles;
	struct profile profiles[MAX_PROFILES];
	int nvfs;
	struct vf vfs[MAX_VFS];
};

struct fleet {
	int n;
	struct card c[MAX_CARDS];
};

int fleet_scan(struct fleet *f);		/* libpci; -errno */
/*
 * -errno; -ENODEV (c->bound false) without a message when jmgpu_pf is not
 * bound: callers that need the driver report it with card_unbound().
 */
int card_load(struct card *c);
int card_unbound(const struct card *c);		/* message, -ENODEV */
struct card *fleet_find(struct fleet *f, const char *pf);
const struct profile *card_profile(const struct card *c, const char *name);
int canon_bdf(const char *in, char *out, size_t len);
bool uuid_valid(const char *s);
void uuid_lower(char *s);
int uuid_new(char *out);

/* ---- ops.c: the changes -------------------------------------------- */
int op_enable(struct card *c, unsigned int n);
int op_disable(struct card *c);
int op_bind_vf(const char *vf);
int op_create(const char *vf, const char *profile, const char *uuid);
/* only a jmgpu vGPU: an mdev on a VF of a jmgpu card (-EPERM otherwise) */
int op_destroy(const char *uuid);
int op_set_attr(struct card *c, const char *attr, const char *val);
/* picks a VF of c that is free and on which profile can be created */
struct vf *card_pick_vf(struct card *c, const char *profile);

/* ---- jsonw.c: strict JSON check, line of each value by its path ------ */
struct jloc {
	char *path;			/* "" top level, "cards[0].vgpus[1].uuid" */
	int line;
};

struct jmap {
	struct jloc *v;
	int n, cap;
};

#define MAX_DUPS 16
struct jdup {
	char path[128];
	int line, first_line;
};

struct jerr {
	int line, col;			/* of the first error; 0 when none */
	char msg[160];
	int ndup;			/* keys given twice in one object */
	struct jdup dup[MAX_DUPS];
};

/* 0, or -1 with err->line, col, msg; duplicate keys listed in err->dup */
int json_strict_scan(const char *text, size_t len, struct jmap *map, struct jerr *err);
int jmap_line(const struct jmap *m, const char *path);
void jmap_free(struct jmap *m);

/* ---- mdevctl.c: the vGPUs that mdevctl's definitions own ------------ */
bool mdevctl_parent_def(const char *parent, char *uuid, size_t len);
bool mdevctl_uuid_def(const char *uuid, char *parent, size_t len);
/* the address of VF index of pf, from sriov_offset and sriov_stride */
int vf_bdf_at(const char *pf, int index, char *out, size_t len);
/* VF index of pf has an mdevctl definition (its UUID in uuid, may be NULL) */
bool mdevctl_vf_reserved(const char *pf, int index, char *uuid, size_t len);

/* ---- apply.c ------------------------------------------------------- */
int cmd_apply(const char *file, bool dry_run);

/* ---- show.c -------------------------------------------------------- */
/* cols: "status -o" (NULL: the default set with raw, or the card view) */
int cmd_status(bool json, const char *cols, bool raw);
const char *vf_profile(const struct vf *v);	/* the vGPU's or provisioned */
const char *vfio_state(const struct vf *v);	/* ready, open, unbound, ... */

/* ---- table.c: status -o / --raw through libsmartcols ---------------- */
int vf_columns_parse(const char *cols, int *idx, int max);	/* n or -errno */
const char *vf_columns_help(void);
int vf_table_print(const struct fleet *f, const int *idx, int n, bool raw);
int cmd_profiles(const char *pf, bool json);
int cmd_stats(int format);	/* 0 text, 1 json, 2 prometheus */
int cmd_top(int iterations, double delay);

int sriov_cfg_main(int argc, char **argv);

#endif /* SRIOV_CFG_H */

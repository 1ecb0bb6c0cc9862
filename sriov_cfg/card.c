// SPDX-License-Identifier: GPL-2.0
/*
 * Discovery of jmgpu cards (libpci, sysfs access method) and the state of
 * one card from the drivers' sysfs: PF attributes (jmgpu_pf), VFs, their
 * driver, and the vGPU (mdev) on each VF (jmgpu_vfio_pci).
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pci/pci.h>

#include "sriov_cfg.h"

static void __attribute__((noreturn, format(printf, 1, 2))) pci_die(char *msg, ...)
{
	va_list ap;

	fprintf(stderr, "sriov_cfg: libpci: ");
	va_start(ap, msg);
	vfprintf(stderr, msg, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EIO);
}

static void __attribute__((format(printf, 1, 2))) pci_quiet(char *msg, ...)
{
	(void)msg;
}

static int bdf_cmp(const void *a, const void *b)
{
	return strcmp(((const struct card *)a)->bdf, ((const struct card *)b)->bdf);
}

/* Every jmgpu PF on the PCI bus, sorted by address. */
int fleet_scan(struct fleet *f)
{
	char path[4200], id[16];
	struct pci_filter pf_id;
	struct pci_access *pacc;
	struct pci_dev *d;
	int ret = 0;

	memset(f, 0, sizeof(*f));
	snprintf(path, sizeof(path), "%s/sys/bus/pci", sysfs_root);
	if (!sysfs_exists(path))
		return fail(ENODEV, path, "no PCI bus in sysfs (is --sysfs-root right?)");
	pacc = pci_alloc();
	pacc->error = pci_die;
	pacc->warning = pci_quiet;
	pacc->debug = pci_quiet;
	pacc->method = PCI_ACCESS_SYS_BUS_PCI;
	if (pci_set_param(pacc, "sysfs.path", path)) {
		pci_cleanup(pacc);
		return fail(EIO, "libpci", "no sysfs.path parameter");
	}
	pci_init(pacc);
	pci_filter_init(pacc, &pf_id);
	snprintf(id, sizeof(id), "%04x:%04x", JMGPU_VENDOR, JMGPU_PF_DEVICE);
	if (pci_filter_parse_id(&pf_id, id)) {
		pci_cleanup(pacc);
		return fail(EIO, "libpci", "cannot parse the device ID %s", id);
	}
	pci_scan_bus(pacc);
	for (d = pacc->devices; d; d = d->next) {
		struct card *c;

		if (!pci_filter_match(&pf_id, d))
			continue;
		if (f->n == MAX_CARDS) {
			ret = fail(E2BIG, "fleet", "more than %d jmgpu cards", MAX_CARDS);
			break;
		}
		c = &f->c[f->n++];
		snprintf(c->bdf, sizeof(c->bdf), "%04x:%02x:%02x.%d",
			 d->domain, d->bus, d->dev, d->func);
	}
	pci_cleanup(pacc);
	qsort(f->c, f->n, sizeof(f->c[0]), bdf_cmp);
	return ret;
}

struct card *fleet_find(struct fleet *f, const char *pf)
{
	char bdf[32];
	int i;

	if (canon_bdf(pf, bdf, sizeof(bdf))) {
		fail(EINVAL, pf, "not a PCI address (want [dddd:]bb:dd.f)");
		errno = EINVAL;
		return NULL;
	}
	for (i = 0; i < f->n; i++)
		if (!strcmp(f->c[i].bdf, bdf))
			return &f->c[i];
	fail(ENODEV, bdf, "no jmgpu card (PCI %04x:%04x) at this address",
	     JMGPU_VENDOR, JMGPU_PF_DEVICE);
	errno = ENODEV;
	return NULL;
}

const struct profile *card_profile(const struct card *c, const char *name)
{
	int i;

	for (i = 0; i < c->nprofiles; i++)
		if (!strcmp(c->profiles[i].name, name))
			return &c->profiles[i];
	return NULL;
}

static unsigned int rd_u(const char *pf, const char *attr)
{
	uint64_t v = 0;

	sysfs_read_u64(sp("/sys/bus/pci/devices/%s/jmgpu/%s", pf, attr), &v);
	return (unsigned int)v;
}

static uint64_t rd_u64(const char *pf, const char *attr)
{
	uint64_t v = 0;

	sysfs_read_u64(sp("/sys/bus/pci/devices/%s/jmgpu/%s", pf, attr), &v);
	return v;
}

static void rd_s(const char *pf, const char *attr, char *buf, size_t len)
{
	if (sysfs_read(sp("/sys/bus/pci/devices/%s/jmgpu/%s", pf, attr), buf, len))
		snprintf(buf, len, "?");
}

static int load_profiles(struct card *c)
{
	char buf[8192], *line, *save = NULL;
	int ret;

	ret = sysfs_read(sp("/sys/bus/pci/devices/%s/jmgpu/profiles", c->bdf),
			 buf, sizeof(buf));
	if (ret)
		return fail(-ret, c->bdf, "cannot read jmgpu/profiles: %s",
			    strerror(-ret));
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct profile *p = &c->profiles[c->nprofiles];

		if (c->nprofiles == MAX_PROFILES)
			break;
		memset(p, 0, sizeof(*p));
		if (sscanf(line, "%63s %" SCNu64 " %u %u %u %ux%u %15s", p->name,
			   &p->fb, &p->weight, &p->codec, &p->heads, &p->w,
			   &p->h, p->state) != 8)
			return fail(EPROTO, c->bdf,
				    "jmgpu/profiles: cannot parse line '%s'", line);
		c->nprofiles++;
	}
	return 0;
}

static struct vf *vf_by_index(struct card *c, int index)
{
	int i;

	for (i = 0; i < c->nvfs; i++)
		if (c->vfs[i].index == index)
			return &c->vfs[i];
	return NULL;
}

static void load_vf_table(struct card *c)
{
	char buf[16384], *line, *save = NULL;

	if (!sysfs_read(sp("/sys/bus/pci/devices/%s/jmgpu/vfs", c->bdf), buf,
			sizeof(buf))) {
		for (line = strtok_r(buf, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			char prof[NAME_LEN], owner[16];
			uint64_t off, size;
			unsigned int w, cs;
			int idx, in_use = 0;
			struct vf *v;

			if (sscanf(line, "vf%d %63s %15s %" SCNx64 " %" SCNx64 " %u %u %*u %*s %*u %d",
				   &idx, prof, owner, &off, &size, &w, &cs,
				   &in_use) < 7)
				continue;
			v = vf_by_index(c, idx);
			if (!v)
				continue;
			snprintf(v->prov_profile, sizeof(v->prov_profile), "%s", prof);
			snprintf(v->owner, sizeof(v->owner), "%s", owner);
			v->fb_size = size;
			v->weight = w;
			v->codec = cs;
			v->in_use = in_use;
		}
	}
	save = NULL;
	if (!sysfs_read(sp("/sys/bus/pci/devices/%s/jmgpu/vf_stats", c->bdf),
			buf, sizeof(buf))) {
		for (line = strtok_r(buf, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			struct vf t;
			int idx;

			if (sscanf(line, "vf%d %u %" SCNu64 " %" SCNu64 " %" SCNu64
				   " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64,
				   &idx, &t.busy, &t.fb_used_mib, &t.jobs, &t.bytes,
				   &t.doorbells, &t.faults, &t.resets,
				   &t.fb_violations) != 9)
				continue;
			struct vf *v = vf_by_index(c, idx);

			if (!v)
				continue;
			v->has_stats = true;
			v->busy = t.busy;
			v->fb_used_mib = t.fb_used_mib;
			v->jobs = t.jobs;
			v->bytes = t.bytes;
			v->doorbells = t.doorbells;
			v->faults = t.faults;
			v->resets = t.resets;
			v->fb_violations = t.fb_violations;
		}
	}
}

/* the vGPU on a VF: mdev_supported_types/<type>/devices/<uuid> */
static void load_vf_mdev(struct vf *v)
{
	const char *types = sp("/sys/bus/pci/devices/%s/mdev_supported_types", v->bdf);
	struct dirent *t;
	DIR *d = opendir(types);

	if (!d)
		return;
	while ((t = readdir(d)) && !v->uuid[0]) {
		char tdir[4200];
		struct dirent *m;
		DIR *md;

		if (t->d_name[0] == '.')
			continue;
		snprintf(tdir, sizeof(tdir), "%s/%s", types, t->d_name);
		md = opendir(sp("%s/devices", tdir + strlen(sysfs_root)));
		if (!md)
			continue;
		while ((m = readdir(md))) {
			char open_s[8];

			if (!uuid_valid(m->d_name))
				continue;
			snprintf(v->uuid, sizeof(v->uuid), "%.36s", m->d_name);
			if (sysfs_read(sp("%s/name", tdir + strlen(sysfs_root)),
				       v->mdev_type, sizeof(v->mdev_type))) {
				const char *n = strchr(t->d_name, '-');

				snprintf(v->mdev_type, sizeof(v->mdev_type), "%.63s",
					 n ? n + 1 : t->d_name);
			}
			v->open = -1;
			if (!sysfs_read(sp("/sys/bus/mdev/devices/%s/jmgpu/open", v->uuid),
					open_s, sizeof(open_s)))
				v->open = atoi(open_s);
			break;
		}
		closedir(md);
	}
	closedir(d);
}

/* per-profile: how many more vGPUs of it the card takes now */
static void compute_fits(struct card *c)
{
	int i, j, free_vfs = 0;

	for (j = 0; j < c->nvfs; j++) {
		const struct vf *v = &c->vfs[j];

		if (!v->uuid[0] && !strcmp(v->prov_profile, "-") &&
		    (!v->driver[0] || !strcmp(v->driver, VF_DRIVER)))
			free_vfs++;
	}
	for (i = 0; i < c->nprofiles; i++) {
		struct profile *p = &c->profiles[i];
		uint64_t n = free_vfs;

		if (!strcmp(p->state, "unsupported") || p->fb > c->fb_largest_free) {
			p->fits_now = 0;
			continue;
		}
		if (p->fb && c->fb_free / p->fb < n)
			n = c->fb_free / p->fb;
		if (p->weight && c->weight_free / p->weight < n)
			n = c->weight_free / p->weight;
		if (p->codec && c->codec_free / p->codec < n)
			n = c->codec_free / p->codec;
		p->fits_now = (int)n;
	}
}

int card_unbound(const struct card *c)
{
	return fail(ENODEV, c->bdf, "driver %s is not bound (driver: %s); load jmgpu_pf.ko",
		    PF_DRIVER, c->pf_driver[0] ? c->pf_driver : "none");
}

int card_load(struct card *c)
{
	char bdf[32], drv[NAME_LEN] = "";
	uint64_t v;
	int i, ret;

	snprintf(bdf, sizeof(bdf), "%s", c->bdf);
	memset(c, 0, sizeof(*c));
	snprintf(c->bdf, sizeof(c->bdf), "%s", bdf);
	if (!sysfs_read_u64(sp("/sys/bus/pci/devices/%s/sriov_totalvfs", bdf), &v))
		c->totalvfs = (unsigned int)v;
	if (!sysfs_read_u64(sp("/sys/bus/pci/devices/%s/sriov_numvfs", bdf), &v))
		c->numvfs = (unsigned int)v;
	sysfs_link_name(sp("/sys/bus/pci/devices/%s/driver", bdf), drv, sizeof(drv));
	snprintf(c->pf_driver, sizeof(c->pf_driver), "%s", drv);
	if (strcmp(drv, PF_DRIVER) ||
	    !sysfs_exists(sp("/sys/bus/pci/devices/%s/jmgpu", bdf)))
		return -ENODEV;
	c->bound = true;
	c->fb_size = rd_u64(bdf, "fb_size");
	c->fb_free = rd_u64(bdf, "fb_free");
	c->fb_largest_free = rd_u64(bdf, "fb_largest_free");
	c->fb_granule = rd_u64(bdf, "fb_granule");
	c->vf_aperture = rd_u64(bdf, "vf_aperture");
	c->weight_total = rd_u(bdf, "engine_weight_total");
	c->weight_free = rd_u(bdf, "engine_weight_free");
	c->codec_total = rd_u(bdf, "codec_sessions_total");
	c->codec_free = rd_u(bdf, "codec_sessions_free");
	c->heads = rd_u(bdf, "display_heads");
	c->timeslice_us = rd_u(bdf, "timeslice_us");
	c->recoveries = rd_u(bdf, "recoveries");
	{
		char res[32];

		rd_s(bdf, "max_resolution", res, sizeof(res));
		if (sscanf(res, "%ux%u", &c->max_w, &c->max_h) != 2)
			c->max_w = c->max_h = 0;
	}
	rd_s(bdf, "fw_version", c->fw_version, sizeof(c->fw_version));
	rd_s(bdf, "fw_state", c->fw_state, sizeof(c->fw_state));
	rd_s(bdf, "sched_policy", c->sched_policy, sizeof(c->sched_policy));
	rd_s(bdf, "auto_provision", c->auto_provision, sizeof(c->auto_provision));
	ret = load_profiles(c);
	if (ret)
		return ret;
	for (i = 0; i < MAX_VFS && (unsigned int)i < c->numvfs; i++) {
		struct vf *f = &c->vfs[c->nvfs];

		if (sysfs_link_name(sp("/sys/bus/pci/devices/%s/virtfn%d", bdf, i),
				    f->bdf, sizeof(f->bdf)))
			continue;
		f->index = i;
		f->open = -1;
		snprintf(f->prov_profile, sizeof(f->prov_profile), "-");
		snprintf(f->owner, sizeof(f->owner), "-");
		sysfs_link_name(sp("/sys/bus/pci/devices/%s/driver", f->bdf),
				f->driver, sizeof(f->driver));
		sysfs_read(sp("/sys/bus/pci/devices/%s/driver_override", f->bdf),
			   f->override, sizeof(f->override));
		if (!strcmp(f->override, "(null)"))
			f->override[0] = 0;
		load_vf_mdev(f);
		c->nvfs++;
	}
	load_vf_table(c);
	compute_fits(c);
	return 0;
}

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

/* one attribute of a per-object directory: a number, or -EPROTO */
static int rd_attr_u64(const char *dir, const char *attr, uint64_t *v)
{
	int ret = sysfs_read_u64(sp("%s/%s", dir, attr), v);

	return ret == -EINVAL ? -EPROTO : ret;
}

static int rd_attr_u(const char *dir, const char *attr, unsigned int *v)
{
	uint64_t x = 0;
	int ret = rd_attr_u64(dir, attr, &x);

	if (!ret && x > UINT32_MAX)
		ret = -EPROTO;
	*v = (unsigned int)x;
	return ret;
}

static int rd_attr_res(const char *dir, unsigned int *w, unsigned int *h)
{
	char buf[32], *x, *end;
	unsigned long a, b;
	int ret = sysfs_read(sp("%s/max_resolution", dir), buf, sizeof(buf));

	if (ret)
		return ret;
	x = strchr(buf, 'x');
	if (!x || x == buf || !x[1])
		return -EPROTO;
	*x = 0;
	errno = 0;
	a = strtoul(buf, &end, 10);
	if (*end || errno || a > UINT32_MAX)
		return -EPROTO;
	b = strtoul(x + 1, &end, 10);
	if (*end || errno || b > UINT32_MAX)
		return -EPROTO;
	*w = (unsigned int)a;
	*h = (unsigned int)b;
	return 0;
}

/* the driver's order is not readdir's: smallest first, as a user sizes */
static int profile_cmp(const void *a, const void *b)
{
	const struct profile *x = a, *y = b;

	if (x->fb != y->fb)
		return x->fb < y->fb ? -1 : 1;
	if (x->weight != y->weight)
		return x->weight < y->weight ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* <pf>/jmgpu_profiles/<name>/: one directory per profile */
static int load_profiles(struct card *c)
{
	const char *rel = sp("/sys/bus/pci/devices/%s/jmgpu_profiles", c->bdf);
	char dir[4200], pdir[4400];
	struct dirent *e;
	int ret = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s", rel);
	d = opendir(dir);
	if (!d)
		return fail(errno, c->bdf, "cannot read jmgpu_profiles/: %s",
			    strerror(errno));
	while ((e = readdir(d))) {
		struct profile *p = &c->profiles[c->nprofiles];

		if (e->d_name[0] == '.')
			continue;
		if (c->nprofiles == MAX_PROFILES)
			break;
		memset(p, 0, sizeof(*p));
		snprintf(p->name, sizeof(p->name), "%.63s", e->d_name);
		/* sp() results are under --sysfs-root: strip it for the next */
		snprintf(pdir, sizeof(pdir), "%s/%s", dir + strlen(sysfs_root), p->name);
		ret = rd_attr_u64(pdir, "fb_size", &p->fb);
		if (!ret)
			ret = rd_attr_u(pdir, "engine_weight", &p->weight);
		if (!ret)
			ret = rd_attr_u(pdir, "codec_sessions", &p->codec);
		if (!ret)
			ret = rd_attr_u(pdir, "display_heads", &p->heads);
		if (!ret)
			ret = rd_attr_res(pdir, &p->w, &p->h);
		if (!ret)
			ret = sysfs_read(sp("%s/state", pdir), p->state, sizeof(p->state));
		if (ret) {
			ret = fail(ret == -EPROTO ? EPROTO : -ret, c->bdf,
				   "jmgpu_profiles/%s: %s", p->name,
				   ret == -EPROTO ? "a value is not a number" :
				   strerror(-ret));
			break;
		}
		c->nprofiles++;
	}
	closedir(d);
	qsort(c->profiles, c->nprofiles, sizeof(c->profiles[0]), profile_cmp);
	return ret;
}

/*
 * <pf>/jmgpu_vf/<N>/ and its stats/: the PF driver's view of VF N. A VF
 * whose directory cannot be read keeps "-" (unprovisioned, no stats).
 */
static void load_vf_attrs(struct card *c, struct vf *v)
{
	const char *vd = sp("/sys/bus/pci/devices/%s/jmgpu_vf/%d", c->bdf, v->index);
	char dir[4200], sd[4300];
	unsigned int in_use = 0;
	uint64_t x;

	snprintf(dir, sizeof(dir), "%s", vd + strlen(sysfs_root));
	if (sysfs_read(sp("%s/profile", dir), v->prov_profile, sizeof(v->prov_profile)))
		snprintf(v->prov_profile, sizeof(v->prov_profile), "-");
	if (sysfs_read(sp("%s/owner", dir), v->owner, sizeof(v->owner)))
		snprintf(v->owner, sizeof(v->owner), "-");
	rd_attr_u64(dir, "fb_size", &v->fb_size);
	rd_attr_u(dir, "engine_weight", &v->weight);
	rd_attr_u(dir, "codec_sessions", &v->codec);
	if (!rd_attr_u(dir, "in_use", &in_use))
		v->in_use = (int)in_use;

	snprintf(sd, sizeof(sd), "%s/stats", dir);
	if (rd_attr_u64(sd, "engine_busy_ns", &v->busy_ns))
		return;
	v->has_stats = true;
	if (!rd_attr_u64(sd, "engine_busy_percent", &x))
		v->busy = (unsigned int)x;
	rd_attr_u64(sd, "fb_in_use", &v->fb_in_use);
	rd_attr_u64(sd, "jobs", &v->jobs);
	rd_attr_u64(sd, "bytes", &v->bytes);
	rd_attr_u64(sd, "doorbells", &v->doorbells);
	rd_attr_u64(sd, "faults", &v->faults);
	rd_attr_u64(sd, "resets", &v->resets);
	rd_attr_u64(sd, "fb_violations", &v->fb_violations);
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
		load_vf_attrs(c, f);
		load_vf_mdev(f);
		c->nvfs++;
	}
	compute_fits(c);
	return 0;
}

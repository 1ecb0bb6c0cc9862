// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu PF driver: one value per file for each VF and each profile.
 *
 *   <pf>/jmgpu_vf/<N>/{profile,owner,fb_offset,...}	VF N's provisioning
 *   <pf>/jmgpu_vf/<N>/stats/{engine_busy_ns,...}	VF N's last sample
 *   <pf>/jmgpu_profiles/<name>/{fb_size,...,state}	one named profile
 *
 * A named attribute group cannot hold directories, so these are kobjects
 * under the PF device next to its "jmgpu" group. The <N> directories live
 * from SR-IOV enable to disable; they are added and removed from
 * .sriov_configure and .remove (PF device lock held) and never under
 * cfg_lock, since removing a directory waits for its readers and a reader
 * takes cfg_lock. A file still open after its directory went reads
 * -ENODEV (kernfs); the kobject is freed by its release once the last
 * reference goes. Documentation/ABI/testing/sysfs-driver-jmgpu-pf.
 */
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "jmgpu_pf.h"

static const char * const jmgpu_owner_names[] = {
	[JMGPU_OWNER_NONE] = "-",
	[JMGPU_OWNER_AUTO] = "auto",
	[JMGPU_OWNER_API] = "mdev",
	[JMGPU_OWNER_DEBUGFS] = "debugfs",
};

const char *jmgpu_owner_name(enum jmgpu_owner o)
{
	return o < ARRAY_SIZE(jmgpu_owner_names) ? jmgpu_owner_names[o] : "?";
}

/* ---- <pf>/jmgpu_vf/<N>/ ------------------------------------------------ */

struct jmgpu_vf_kobj {
	struct kobject kobj;
	struct jmgpu_pf *pf;
	u32 vf;
};

/*
 * A VF attribute. @show gets the VF with cfg_lock held; @stat gets the
 * cached statistics sample (no cfg_lock: a scrape never waits behind
 * provisioning or recovery).
 */
struct jmgpu_vf_attr {
	struct attribute attr;
	ssize_t (*show)(struct jmgpu_pf *pf, struct jmgpu_vf *v, char *buf);
	ssize_t (*stat)(const struct jmgpu_vf_stats_sample *s, char *buf);
};

static ssize_t jmgpu_vf_attr_show(struct kobject *kobj, struct attribute *a,
				  char *buf)
{
	struct jmgpu_vf_kobj *k = container_of(kobj, struct jmgpu_vf_kobj, kobj);
	struct jmgpu_vf_attr *va = container_of(a, struct jmgpu_vf_attr, attr);
	struct jmgpu_pf *pf = k->pf;
	struct jmgpu_vf_stats_sample s;
	ssize_t n;

	if (va->stat) {
		/* between disable and the removal of this directory */
		if (k->vf >= READ_ONCE(pf->num_vfs))
			return -ENODEV;
		jmgpu_pf_vf_get_stats(pf, k->vf, &s);
		return va->stat(&s, buf);
	}
	mutex_lock(&pf->cfg_lock);
	n = k->vf < pf->num_vfs ? va->show(pf, &pf->vf[k->vf], buf) : -ENODEV;
	mutex_unlock(&pf->cfg_lock);
	return n;
}

static const struct sysfs_ops jmgpu_vf_sysfs_ops = {
	.show = jmgpu_vf_attr_show,
};

static const struct jmgpu_profile jmgpu_no_profile;

#define JMGPU_VF_ATTR(_name)						\
static struct jmgpu_vf_attr jmgpu_vf_attr_##_name = {			\
	.attr = { .name = __stringify(_name), .mode = 0444 },		\
	.show = _name##_show,						\
}

/* resources: all 0 (max_resolution 0x0) while the VF is unprovisioned */
#define JMGPU_VF_RES_ATTR(_name, _fmt, ...)				\
static ssize_t _name##_show(struct jmgpu_pf *pf, struct jmgpu_vf *v,	\
			    char *buf)					\
{									\
	const struct jmgpu_profile *p = &v->fw.profile;			\
									\
	if (!v->fw.provisioned)						\
		p = &jmgpu_no_profile;					\
	return sysfs_emit(buf, _fmt "\n", __VA_ARGS__);			\
}									\
JMGPU_VF_ATTR(_name)

#define JMGPU_VF_STAT_ATTR(_name, _expr)				\
static ssize_t _name##_stat(const struct jmgpu_vf_stats_sample *s,	\
			    char *buf)					\
{									\
	return sysfs_emit(buf, "%llu\n", (u64)(_expr));			\
}									\
static struct jmgpu_vf_attr jmgpu_vf_attr_##_name = {			\
	.attr = { .name = __stringify(_name), .mode = 0444 },		\
	.stat = _name##_stat,						\
}

static ssize_t profile_show(struct jmgpu_pf *pf, struct jmgpu_vf *v, char *buf)
{
	return sysfs_emit(buf, "%s\n", v->fw.provisioned ? v->name : "-");
}
JMGPU_VF_ATTR(profile);

static ssize_t owner_show(struct jmgpu_pf *pf, struct jmgpu_vf *v, char *buf)
{
	return sysfs_emit(buf, "%s\n", v->fw.provisioned ?
			  jmgpu_owner_name(v->owner) : "-");
}
JMGPU_VF_ATTR(owner);

/* no slice, no offset: "-" rather than a 0x0 that looks like a real one */
static ssize_t fb_offset_show(struct jmgpu_pf *pf, struct jmgpu_vf *v,
			      char *buf)
{
	if (!v->fw.provisioned)
		return sysfs_emit(buf, "-\n");
	return sysfs_emit(buf, "0x%llx\n", v->fw.fb_offset);
}
JMGPU_VF_ATTR(fb_offset);

JMGPU_VF_RES_ATTR(fb_size, "%llu", p->fb_size);
JMGPU_VF_RES_ATTR(engine_weight, "%u", p->engine_weight);
JMGPU_VF_RES_ATTR(codec_sessions, "%u", p->codec_sessions);
JMGPU_VF_RES_ATTR(display_heads, "%u", p->display_heads);
JMGPU_VF_RES_ATTR(max_resolution, "%ux%u", p->max_width, p->max_height);

static ssize_t msix_vectors_show(struct jmgpu_pf *pf, struct jmgpu_vf *v,
				 char *buf)
{
	return sysfs_emit(buf, "%u\n", v->msix_count);
}
JMGPU_VF_ATTR(msix_vectors);

static ssize_t in_use_show(struct jmgpu_pf *pf, struct jmgpu_vf *v, char *buf)
{
	const char *why;

	return sysfs_emit(buf, "%d\n", jmgpu_vf_in_use(pf, v - pf->vf, &why));
}
JMGPU_VF_ATTR(in_use);

static struct attribute *jmgpu_vf_attrs[] = {
	&jmgpu_vf_attr_profile.attr,
	&jmgpu_vf_attr_owner.attr,
	&jmgpu_vf_attr_fb_offset.attr,
	&jmgpu_vf_attr_fb_size.attr,
	&jmgpu_vf_attr_engine_weight.attr,
	&jmgpu_vf_attr_codec_sessions.attr,
	&jmgpu_vf_attr_display_heads.attr,
	&jmgpu_vf_attr_max_resolution.attr,
	&jmgpu_vf_attr_msix_vectors.attr,
	&jmgpu_vf_attr_in_use.attr,
	NULL,
};

static const struct attribute_group jmgpu_vf_group = {
	.attrs = jmgpu_vf_attrs,
};

/* firmware's cumulative engine time of the VF, from VF_GET_STATS */
JMGPU_VF_STAT_ATTR(engine_busy_ns, s->engine_busy_ns);
JMGPU_VF_STAT_ATTR(engine_busy_percent, s->engine_busy_pct);
JMGPU_VF_STAT_ATTR(fb_in_use, s->fb_in_use);
JMGPU_VF_STAT_ATTR(jobs, s->jobs);
JMGPU_VF_STAT_ATTR(bytes, s->bytes);
JMGPU_VF_STAT_ATTR(doorbells, s->doorbells);
JMGPU_VF_STAT_ATTR(faults, s->faults);
JMGPU_VF_STAT_ATTR(resets, s->resets);
JMGPU_VF_STAT_ATTR(fb_violations, s->fb_violations);

static struct attribute *jmgpu_vf_stats_attrs[] = {
	&jmgpu_vf_attr_engine_busy_ns.attr,
	&jmgpu_vf_attr_engine_busy_percent.attr,
	&jmgpu_vf_attr_fb_in_use.attr,
	&jmgpu_vf_attr_jobs.attr,
	&jmgpu_vf_attr_bytes.attr,
	&jmgpu_vf_attr_doorbells.attr,
	&jmgpu_vf_attr_faults.attr,
	&jmgpu_vf_attr_resets.attr,
	&jmgpu_vf_attr_fb_violations.attr,
	NULL,
};

static const struct attribute_group jmgpu_vf_stats_group = {
	.name = "stats",
	.attrs = jmgpu_vf_stats_attrs,
};

static const struct attribute_group *jmgpu_vf_groups[] = {
	&jmgpu_vf_group,
	&jmgpu_vf_stats_group,
	NULL,
};

static void jmgpu_vf_kobj_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct jmgpu_vf_kobj, kobj));
}

static const struct kobj_type jmgpu_vf_ktype = {
	.release = jmgpu_vf_kobj_release,
	.sysfs_ops = &jmgpu_vf_sysfs_ops,
	.default_groups = jmgpu_vf_groups,
};

/**
 * jmgpu_vf_sysfs_add - add <pf>/jmgpu_vf/<N>/ for VFs 0..@n-1
 * @pf: the PF; PF device lock held, cfg_lock not held
 * @n: number of VFs
 *
 * Return: 0, or a negative errno with none of the directories added.
 */
int jmgpu_vf_sysfs_add(struct jmgpu_pf *pf, u32 n)
{
	struct jmgpu_vf_kobj *k;
	int ret;
	u32 i;

	for (i = 0; i < n; i++) {
		k = kzalloc(sizeof(*k), GFP_KERNEL);
		if (!k) {
			ret = -ENOMEM;
			goto err;
		}
		k->pf = pf;
		k->vf = i;
		ret = kobject_init_and_add(&k->kobj, &jmgpu_vf_ktype,
					   pf->vf_dir, "%u", i);
		if (ret) {
			kobject_put(&k->kobj);
			goto err;
		}
		pf->vf_kobj[i] = &k->kobj;
	}
	return 0;

err:
	dev_err(jmgpu_dev(pf), "cannot add jmgpu_vf/%u in sysfs: %d\n", i, ret);
	jmgpu_vf_sysfs_del(pf);
	return ret;
}

/**
 * jmgpu_vf_sysfs_del - remove every <pf>/jmgpu_vf/<N>/
 * @pf: the PF; PF device lock held, cfg_lock not held
 *
 * Waits for running readers; files left open read -ENODEV afterwards.
 */
void jmgpu_vf_sysfs_del(struct jmgpu_pf *pf)
{
	u32 i;

	for (i = 0; i < JMGPU_MAX_VFS; i++) {
		if (!pf->vf_kobj[i])
			continue;
		kobject_del(pf->vf_kobj[i]);
		kobject_put(pf->vf_kobj[i]);
		pf->vf_kobj[i] = NULL;
	}
}

/* ---- <pf>/jmgpu_profiles/<name>/ ------------------------------------- */

struct jmgpu_prof_kobj {
	struct kobject kobj;
	struct jmgpu_pf *pf;
	const struct jmgpu_profile *p;
};

struct jmgpu_prof_attr {
	struct attribute attr;
	ssize_t (*show)(struct jmgpu_pf *pf, const struct jmgpu_profile *p,
			char *buf);
};

static ssize_t jmgpu_prof_attr_show(struct kobject *kobj, struct attribute *a,
				    char *buf)
{
	struct jmgpu_prof_kobj *k = container_of(kobj, struct jmgpu_prof_kobj,
						 kobj);
	struct jmgpu_prof_attr *pa = container_of(a, struct jmgpu_prof_attr,
						  attr);

	return pa->show(k->pf, k->p, buf);
}

static const struct sysfs_ops jmgpu_prof_sysfs_ops = {
	.show = jmgpu_prof_attr_show,
};

#define JMGPU_PROF_ATTR(_name, _fmt, ...)				\
static ssize_t prof_##_name##_show(struct jmgpu_pf *pf,			\
				   const struct jmgpu_profile *p,	\
				   char *buf)				\
{									\
	return sysfs_emit(buf, _fmt "\n", __VA_ARGS__);			\
}									\
static struct jmgpu_prof_attr jmgpu_prof_attr_##_name = {		\
	.attr = { .name = __stringify(_name), .mode = 0444 },		\
	.show = prof_##_name##_show,					\
}

JMGPU_PROF_ATTR(fb_size, "%llu", p->fb_size);
JMGPU_PROF_ATTR(engine_weight, "%u", p->engine_weight);
JMGPU_PROF_ATTR(codec_sessions, "%u", p->codec_sessions);
JMGPU_PROF_ATTR(display_heads, "%u", p->display_heads);
JMGPU_PROF_ATTR(max_resolution, "%ux%u", p->max_width, p->max_height);

static ssize_t prof_state_show(struct jmgpu_pf *pf,
			       const struct jmgpu_profile *p, char *buf)
{
	int fits;

	mutex_lock(&pf->cfg_lock);
	fits = jmgpu_profile_fits_locked(pf, p);
	mutex_unlock(&pf->cfg_lock);
	return sysfs_emit(buf, "%s\n", fits < 0 ? "unsupported" :
			  fits ? "available" : "full");
}

static struct jmgpu_prof_attr jmgpu_prof_attr_state = {
	.attr = { .name = "state", .mode = 0444 },
	.show = prof_state_show,
};

static struct attribute *jmgpu_prof_attrs[] = {
	&jmgpu_prof_attr_fb_size.attr,
	&jmgpu_prof_attr_engine_weight.attr,
	&jmgpu_prof_attr_codec_sessions.attr,
	&jmgpu_prof_attr_display_heads.attr,
	&jmgpu_prof_attr_max_resolution.attr,
	&jmgpu_prof_attr_state.attr,
	NULL,
};
ATTRIBUTE_GROUPS(jmgpu_prof);

static void jmgpu_prof_kobj_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct jmgpu_prof_kobj, kobj));
}

static const struct kobj_type jmgpu_prof_ktype = {
	.release = jmgpu_prof_kobj_release,
	.sysfs_ops = &jmgpu_prof_sysfs_ops,
	.default_groups = jmgpu_prof_groups,
};

static void jmgpu_prof_sysfs_del(struct jmgpu_pf *pf)
{
	unsigned int i;

	for (i = 0; i < pf->nprof_kobj; i++) {
		kobject_del(pf->prof_kobj[i]);
		kobject_put(pf->prof_kobj[i]);
	}
	kfree(pf->prof_kobj);
	pf->prof_kobj = NULL;
	pf->nprof_kobj = 0;
}

/**
 * jmgpu_sysfs_init - add <pf>/jmgpu_vf/ and <pf>/jmgpu_profiles/<name>/
 * @pf: the PF, at probe
 *
 * Return: 0 or a negative errno with nothing added.
 */
int jmgpu_sysfs_init(struct jmgpu_pf *pf)
{
	struct kobject *parent = &jmgpu_dev(pf)->kobj;
	const struct jmgpu_profile *t;
	struct jmgpu_prof_kobj *k;
	unsigned int i, n;
	int ret;

	t = jmgpu_pf_profiles(&n);
	pf->vf_dir = kobject_create_and_add("jmgpu_vf", parent);
	if (!pf->vf_dir)
		return -ENOMEM;
	pf->prof_dir = kobject_create_and_add("jmgpu_profiles", parent);
	if (!pf->prof_dir) {
		ret = -ENOMEM;
		goto err_vf_dir;
	}
	pf->prof_kobj = kcalloc(n, sizeof(*pf->prof_kobj), GFP_KERNEL);
	if (!pf->prof_kobj) {
		ret = -ENOMEM;
		goto err_prof_dir;
	}
	for (i = 0; i < n; i++) {
		k = kzalloc(sizeof(*k), GFP_KERNEL);
		if (!k) {
			ret = -ENOMEM;
			goto err_prof;
		}
		k->pf = pf;
		k->p = &t[i];
		ret = kobject_init_and_add(&k->kobj, &jmgpu_prof_ktype,
					   pf->prof_dir, "%s", t[i].name);
		if (ret) {
			kobject_put(&k->kobj);
			goto err_prof;
		}
		pf->prof_kobj[pf->nprof_kobj++] = &k->kobj;
	}
	return 0;

err_prof:
	jmgpu_prof_sysfs_del(pf);
err_prof_dir:
	kobject_put(pf->prof_dir);
	pf->prof_dir = NULL;
err_vf_dir:
	kobject_put(pf->vf_dir);
	pf->vf_dir = NULL;
	dev_err(jmgpu_dev(pf), "cannot add jmgpu_vf/ and jmgpu_profiles/ in sysfs: %d\n",
		ret);
	return ret;
}

/* Undo jmgpu_sysfs_init(); the VF directories are gone already. */
void jmgpu_sysfs_fini(struct jmgpu_pf *pf)
{
	jmgpu_vf_sysfs_del(pf);
	jmgpu_prof_sysfs_del(pf);
	kobject_put(pf->prof_dir);
	pf->prof_dir = NULL;
	kobject_put(pf->vf_dir);
	pf->vf_dir = NULL;
}

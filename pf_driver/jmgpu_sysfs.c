// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu PF driver: the "jmgpu" sysfs attribute group of the PF device
 * (card-wide values). Per-VF and per-profile directories: jmgpu_sysfs_vf.c.
 * Documentation/ABI/testing/sysfs-driver-jmgpu-pf.
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/pci.h>
#include <linux/sysfs.h>

#include "jmgpu_pf.h"

static const char * const jmgpu_sched_names[] = {
	[JMGPU_SCHED_BEST_EFFORT] = "best-effort",
	[JMGPU_SCHED_EQUAL_SHARE] = "equal-share",
	[JMGPU_SCHED_FIXED_SHARE] = "fixed-share",
};

static struct jmgpu_pf *to_pf(struct device *dev)
{
	return pci_get_drvdata(to_pci_dev(dev));
}

#define JMGPU_CAP_ATTR(_name, _fmt, _expr)				\
static ssize_t _name##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	struct jmgpu_pf *pf = to_pf(dev);				\
	ssize_t n;							\
									\
	mutex_lock(&pf->cfg_lock);					\
	n = sysfs_emit(buf, _fmt "\n", _expr);				\
	mutex_unlock(&pf->cfg_lock);					\
	return n;							\
}									\
static DEVICE_ATTR_RO(_name)

JMGPU_CAP_ATTR(fb_size, "%llu", pf->fb_size);
JMGPU_CAP_ATTR(fb_free, "%llu", jmgpu_fb_free(pf));
JMGPU_CAP_ATTR(fb_largest_free, "%llu", jmgpu_fb_largest_free(pf));
JMGPU_CAP_ATTR(fb_granule, "%u", pf->granule);
JMGPU_CAP_ATTR(vf_aperture, "%llu", pf->vf_aperture);
JMGPU_CAP_ATTR(engine_weight_total, "%u", pf->max_weight);
JMGPU_CAP_ATTR(engine_weight_free, "%u", pf->max_weight - pf->weight_used);
JMGPU_CAP_ATTR(codec_sessions_total, "%u", pf->codec_total);
JMGPU_CAP_ATTR(codec_sessions_free, "%u", pf->codec_total - pf->codec_used);
JMGPU_CAP_ATTR(display_heads, "%u", le32_to_cpu(pf->caps.display_heads));

static ssize_t max_resolution_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct jmgpu_pf *pf = to_pf(dev);

	return sysfs_emit(buf, "%ux%u\n", le32_to_cpu(pf->caps.max_width),
			  le32_to_cpu(pf->caps.max_height));
}
static DEVICE_ATTR_RO(max_resolution);

static ssize_t fw_version_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct jmgpu_pf *pf = to_pf(dev);

	return sysfs_emit(buf, "%u.%u %u\n", JMGPU_VERSION_MAJOR(pf->fw_version),
			  JMGPU_VERSION_MINOR(pf->fw_version), pf->fw_build);
}
static DEVICE_ATTR_RO(fw_version);

static ssize_t recoveries_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&to_pf(dev)->recoveries));
}
static DEVICE_ATTR_RO(recoveries);

static ssize_t fw_state_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	struct jmgpu_pf *pf = to_pf(dev);

	if (READ_ONCE(pf->fw_dead))
		return sysfs_emit(buf, "dead\n");
	return sysfs_emit(buf, "%s\n", READ_ONCE(pf->mbox_broken) ?
			  "recovering" : "ok");
}
static DEVICE_ATTR_RO(fw_state);

static ssize_t sched_policy_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct jmgpu_pf *pf = to_pf(dev);
	u32 p = READ_ONCE(pf->sched_policy);

	return sysfs_emit(buf, "%s\n", p <= JMGPU_SCHED_MAX ?
			  jmgpu_sched_names[p] : "?");
}

static ssize_t sched_policy_store(struct device *dev,
				  struct device_attribute *attr,
				  const char *buf, size_t count)
{
	struct jmgpu_pf *pf = to_pf(dev);
	int p, ret;

	p = sysfs_match_string(jmgpu_sched_names, buf);
	if (p < 0) {
		dev_warn(dev, "sched_policy: \"%.*s\" invalid, use best-effort, equal-share or fixed-share\n",
			 (int)min_t(size_t, strcspn(buf, "\n"), 32), buf);
		return -EINVAL;
	}
	mutex_lock(&pf->cfg_lock);
	ret = jmgpu_fw_set_sched(pf, p, pf->sched_slice_us, false);
	if (!ret)
		WRITE_ONCE(pf->sched_policy, p);
	else
		dev_warn(dev, "sched_policy: firmware refused %s: %d\n",
			 jmgpu_sched_names[p], ret);
	mutex_unlock(&pf->cfg_lock);
	return ret ?: count;
}
static DEVICE_ATTR_RW(sched_policy);

static ssize_t timeslice_us_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(to_pf(dev)->sched_slice_us));
}

static ssize_t timeslice_us_store(struct device *dev,
				  struct device_attribute *attr,
				  const char *buf, size_t count)
{
	struct jmgpu_pf *pf = to_pf(dev);
	u32 us;
	int ret;

	ret = kstrtou32(buf, 0, &us);
	if (ret || us < JMGPU_SCHED_MIN_SLICE_US ||
	    us > JMGPU_SCHED_MAX_SLICE_US) {
		dev_warn(dev, "timeslice_us: \"%.*s\" invalid, must be %u..%u\n",
			 (int)min_t(size_t, strcspn(buf, "\n"), 32), buf,
			 JMGPU_SCHED_MIN_SLICE_US, JMGPU_SCHED_MAX_SLICE_US);
		return -EINVAL;
	}
	mutex_lock(&pf->cfg_lock);
	ret = jmgpu_fw_set_sched(pf, pf->sched_policy, us, false);
	if (!ret)
		WRITE_ONCE(pf->sched_slice_us, us);
	else
		dev_warn(dev, "timeslice_us: firmware refused %u: %d\n", us, ret);
	mutex_unlock(&pf->cfg_lock);
	return ret ?: count;
}
static DEVICE_ATTR_RW(timeslice_us);

static ssize_t auto_provision_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct jmgpu_pf *pf = to_pf(dev);
	ssize_t n;

	mutex_lock(&pf->cfg_lock);
	n = sysfs_emit(buf, "%s\n", pf->auto_provision[0] ?
		       pf->auto_provision : "none");
	mutex_unlock(&pf->cfg_lock);
	return n;
}

static ssize_t auto_provision_store(struct device *dev,
				    struct device_attribute *attr,
				    const char *buf, size_t count)
{
	struct jmgpu_pf *pf = to_pf(dev);
	const struct jmgpu_profile *p = NULL;
	char name[JMGPU_PROFILE_NAME_LEN];
	int ret = 0;

	if (count >= sizeof(name) || !count)
		goto bad;
	strscpy(name, buf, sizeof(name));
	strim(name);
	if (!strcmp(name, "none") || !strcmp(name, "equal"))
		goto set;
	p = jmgpu_pf_profile_find(name);
	if (!p)
		goto bad;
	mutex_lock(&pf->cfg_lock);
	ret = jmgpu_check_profile(pf, p, true);
	mutex_unlock(&pf->cfg_lock);
	if (ret)
		goto bad;
set:
	mutex_lock(&pf->cfg_lock);
	strscpy(pf->auto_provision, strcmp(name, "none") ? name : "",
		sizeof(pf->auto_provision));
	mutex_unlock(&pf->cfg_lock);
	return count;
bad:
	dev_warn(dev, "auto_provision: \"%.*s\" is not none, equal or a supported profile (see jmgpu_profiles/)\n",
		 (int)min_t(size_t, strcspn(buf, "\n"), 32), buf);
	return -EINVAL;
}
static DEVICE_ATTR_RW(auto_provision);

static struct attribute *jmgpu_pf_attrs[] = {
	&dev_attr_fb_size.attr,
	&dev_attr_fb_free.attr,
	&dev_attr_fb_largest_free.attr,
	&dev_attr_fb_granule.attr,
	&dev_attr_vf_aperture.attr,
	&dev_attr_engine_weight_total.attr,
	&dev_attr_engine_weight_free.attr,
	&dev_attr_codec_sessions_total.attr,
	&dev_attr_codec_sessions_free.attr,
	&dev_attr_display_heads.attr,
	&dev_attr_max_resolution.attr,
	&dev_attr_fw_version.attr,
	&dev_attr_fw_state.attr,
	&dev_attr_recoveries.attr,
	&dev_attr_sched_policy.attr,
	&dev_attr_timeslice_us.attr,
	&dev_attr_auto_provision.attr,
	NULL,
};

static const struct attribute_group jmgpu_pf_group = {
	.name = "jmgpu",
	.attrs = jmgpu_pf_attrs,
};

const struct attribute_group *jmgpu_pf_groups[] = {
	&jmgpu_pf_group,
	NULL,
};

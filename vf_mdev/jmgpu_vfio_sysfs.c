// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu VF variant driver: sysfs.
 *
 * /sys/bus/mdev/devices/<uuid>/jmgpu/: the vGPU's profile, its VF and
 * monitoring (Documentation/ABI/testing/sysfs-bus-mdev-jmgpu); its monitor
 * is jmgpu_vfio_monitor.c's. Statistics
 * come from the PF's cached firmware samples: reading never blocks on the
 * firmware.
 * /sys/bus/pci/devices/<vf>/jmgpu_vfio/: the VF side (bound vGPU, trapped
 * accesses).
 */
#include <linux/device.h>
#include <linux/pci.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "jmgpu_vfio.h"

static struct jmgpu_vfio *mdev_jv(struct device *dev)
{
	return dev_get_drvdata(dev);
}

static ssize_t profile_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	const struct jmgpu_profile *p = to_mdev_device(dev)->type ?
		container_of(to_mdev_device(dev)->type,
			     struct jmgpu_vfio_type, type)->profile : NULL;

	return sysfs_emit(buf, "%s\n", p ? p->name : "");
}
static DEVICE_ATTR_RO(profile);

static ssize_t vf_show(struct device *dev, struct device_attribute *attr,
		       char *buf)
{
	struct jmgpu_vfio *jv = mdev_jv(dev);

	return sysfs_emit(buf, "%s %u\n", pci_name(jv->core.pdev), jv->vf);
}
static DEVICE_ATTR_RO(vf);

static ssize_t open_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(mdev_jv(dev)->open));
}
static DEVICE_ATTR_RO(open);

static ssize_t trapped_accesses_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  (long long)atomic64_read(&mdev_jv(dev)->trapped));
}
static DEVICE_ATTR_RO(trapped_accesses);

static ssize_t recoveries_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&mdev_jv(dev)->recoveries));
}
static DEVICE_ATTR_RO(recoveries);

static ssize_t display_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct jmgpu_vfio *jv = mdev_jv(dev);
	u32 x = READ_ONCE(jv->edid.mode_x), y = READ_ONCE(jv->edid.mode_y);
	u32 link = READ_ONCE(jv->edid.regs.link_state);

	return sysfs_emit(buf, "%s %ux%u\n",
			  link == VFIO_DEVICE_GFX_LINK_STATE_UP ? "up" : "down",
			  x, y);
}
static DEVICE_ATTR_RO(display);

/*
 * The engine weight in force: the profile's at creation, then whatever an
 * operator wrote (jmgpu_pf_vf_set_weight checks it and logs a refusal).
 */
static ssize_t engine_weight_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	struct jmgpu_vfio *jv = mdev_jv(dev);
	struct jmgpu_pf_vf_info info;
	int ret = jmgpu_pf_vf_get_info(jv->pf, jv->vf, &info);

	if (ret)
		return ret;
	if (!info.provisioned)
		return -ENODEV;
	return sysfs_emit(buf, "%u\n", info.profile.engine_weight);
}

static ssize_t engine_weight_store(struct device *dev,
				   struct device_attribute *attr,
				   const char *buf, size_t count)
{
	struct jmgpu_vfio *jv = mdev_jv(dev);
	unsigned int w;
	int ret;

	ret = kstrtouint(buf, 0, &w);
	if (ret) {
		dev_warn(dev, "engine_weight: '%.*s' is not a weight (%d)\n",
			 (int)min_t(size_t, strcspn(buf, "\n"), 32), buf, ret);
		return ret;
	}
	ret = jmgpu_pf_vf_set_weight(jv->pf, jv->vf, w);
	return ret ? ret : count;
}
static DEVICE_ATTR_RW(engine_weight);

/* Statistics from the PF's cache (jmgpu_pf_vf_get_stats never sleeps). */
#define JMGPU_STAT_ATTR(_name, _fmt, _expr)				\
static ssize_t _name##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	struct jmgpu_vfio *jv = mdev_jv(dev);				\
	struct jmgpu_vf_stats_sample s;					\
	int ret = jmgpu_pf_vf_get_stats(jv->pf, jv->vf, &s);		\
									\
	if (ret)							\
		return ret;						\
	return sysfs_emit(buf, _fmt "\n", _expr);			\
}									\
static DEVICE_ATTR_RO(_name)

JMGPU_STAT_ATTR(fb_in_use, "%llu", s.fb_in_use);
JMGPU_STAT_ATTR(engine_busy_pct, "%u", s.engine_busy_pct);
JMGPU_STAT_ATTR(engine_busy_ns, "%llu", s.engine_busy_ns);
JMGPU_STAT_ATTR(jobs, "%llu", s.jobs);
JMGPU_STAT_ATTR(bytes, "%llu", s.bytes);
JMGPU_STAT_ATTR(doorbells, "%llu", s.doorbells);
JMGPU_STAT_ATTR(faults, "%llu", s.faults);
JMGPU_STAT_ATTR(resets, "%llu", s.resets);
JMGPU_STAT_ATTR(fb_violations, "%llu", s.fb_violations);
JMGPU_STAT_ATTR(stats_age_ms, "%lld", s.valid ? (long long)s.age_ms : -1LL);

static struct attribute *jmgpu_mdev_attrs[] = {
	&dev_attr_profile.attr,
	&dev_attr_vf.attr,
	&dev_attr_open.attr,
	&dev_attr_engine_weight.attr,
	&dev_attr_fb_in_use.attr,
	&dev_attr_engine_busy_pct.attr,
	&dev_attr_engine_busy_ns.attr,
	&dev_attr_jobs.attr,
	&dev_attr_bytes.attr,
	&dev_attr_doorbells.attr,
	&dev_attr_faults.attr,
	&dev_attr_resets.attr,
	&dev_attr_fb_violations.attr,
	&dev_attr_stats_age_ms.attr,
	&dev_attr_trapped_accesses.attr,
	&dev_attr_recoveries.attr,
	&dev_attr_display.attr,
	&jmgpu_vfio_dev_attr_monitor.attr,
	NULL,
};

static const struct attribute_group jmgpu_mdev_group = {
	.name = "jmgpu",
	.attrs = jmgpu_mdev_attrs,
};

const struct attribute_group *jmgpu_vfio_mdev_groups[] = {
	&jmgpu_mdev_group,
	NULL,
};

/* ---- VF side ---- */

static struct jmgpu_vfio *pci_jv(struct device *dev)
{
	return core_to_jmgpu(dev_get_drvdata(dev));
}

static ssize_t vgpu_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct jmgpu_vfio *jv = pci_jv(dev);
	ssize_t n;

	mutex_lock(&jv->state_lock);
	if (jv->mdev)
		n = sysfs_emit(buf, "%pUl %s\n", &jv->mdev->uuid,
			       jv->profile->name);
	else
		n = sysfs_emit(buf, "\n");
	mutex_unlock(&jv->state_lock);
	return n;
}
static DEVICE_ATTR_RO(vgpu);

static ssize_t vf_trapped_accesses_show(struct device *dev,
					struct device_attribute *attr,
					char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  (long long)atomic64_read(&pci_jv(dev)->trapped));
}

static struct device_attribute dev_attr_vf_trapped_accesses =
	__ATTR(trapped_accesses, 0444, vf_trapped_accesses_show, NULL);

static ssize_t vf_resets_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&pci_jv(dev)->resets));
}

static struct device_attribute dev_attr_vf_resets =
	__ATTR(resets, 0444, vf_resets_show, NULL);

static struct attribute *jmgpu_pci_attrs[] = {
	&dev_attr_vgpu.attr,
	&dev_attr_vf_trapped_accesses.attr,
	&dev_attr_vf_resets.attr,
	NULL,
};

static const struct attribute_group jmgpu_pci_group = {
	.name = "jmgpu_vfio",
	.attrs = jmgpu_pci_attrs,
};

const struct attribute_group *jmgpu_vfio_pci_groups[] = {
	&jmgpu_pci_group,
	NULL,
};

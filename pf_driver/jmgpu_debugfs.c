// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu PF driver: debugfs, /sys/kernel/debug/jmgpu/<bdf>/.
 *
 *   mbox_trace  last mailbox requests: seq, opcode, result, latency
 *   alloc_map   the driver's allocator state
 *   fw_query    VF_QUERY of every provisioned VF: the firmware's view
 *               (last column: JMGPU_VF_CFG_* flags, 0x1 = scrub on FLR)
 *   events      per-VF events delivered by the driver and the firmware's
 *               totals (VF_EVENT_STATE), the overflow and resync counts
 *   fw_log      the firmware log (GET_LOG)
 *   fw_sched    GET_SCHED
 *   ping        PING (prints "ok" or the error)
 *   vfs         the driver's VF table, one line per VF (for humans; tools
 *               read <pf>/jmgpu_vf/<N>/ in sysfs)
 *   vf_stats    the last statistics sample of every VF, one line each
 *   profiles    the profile table with each profile's state
 *   provision   test/debug control, write "<vf> <profile>|equal|none" or
 *               "<vf> custom <fb_mib> <weight> <codec> <heads> <w> <h>"
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "jmgpu_pf.h"

/* Module-wide directory holding one directory per PF (not device state). */
static struct dentry *jmgpu_debugfs_root;

static int mbox_trace_show(struct seq_file *m, void *v)
{
	struct jmgpu_pf *pf = m->private;
	struct jmgpu_trace_ent *t;
	unsigned int i, n, idx;
	u64 total;

	t = kcalloc(JMGPU_TRACE_LEN, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	spin_lock_irq(&pf->trace_lock);
	memcpy(t, pf->trace, sizeof(pf->trace));
	idx = pf->trace_next;
	total = pf->trace_total;
	spin_unlock_irq(&pf->trace_lock);

	n = min_t(u64, total, JMGPU_TRACE_LEN);
	seq_printf(m, "# %llu requests; last %u: time_ns seq opcode result latency_us\n",
		   total, n);
	for (i = 0; i < n; i++) {
		struct jmgpu_trace_ent *e =
			&t[(idx + JMGPU_TRACE_LEN - n + i) % JMGPU_TRACE_LEN];

		seq_printf(m, "%llu %u %s ", e->when_ns, e->seq,
			   jmgpu_cmd_name(e->opcode));
		if (e->result < 0)
			seq_printf(m, "err%d", e->result);
		else
			seq_puts(m, jmgpu_status_str(e->result));
		seq_printf(m, " %u\n", e->latency_us);
	}
	kfree(t);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mbox_trace);

static int alloc_map_show(struct seq_file *m, void *v)
{
	struct jmgpu_pf *pf = m->private;

	mutex_lock(&pf->cfg_lock);
	jmgpu_alloc_show(pf, m);
	mutex_unlock(&pf->cfg_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(alloc_map);

static int fw_query_show(struct seq_file *m, void *v)
{
	struct jmgpu_pf *pf = m->private;
	struct jmgpu_vf_config c;
	int ret = 0;
	u32 i;

	seq_puts(m, "# vf fb_offset fb_size weight codec heads max_w max_h flags\n");
	mutex_lock(&pf->cfg_lock);
	for (i = 0; i < pf->num_vfs; i++) {
		ret = jmgpu_fw_vf_query(pf, i, &c);
		if (ret)
			break;
		if (!c.fb_size)
			continue;
		seq_printf(m, "vf%u 0x%llx 0x%llx %u %u %u %u %u 0x%x\n", i,
			   le64_to_cpu(c.fb_offset), le64_to_cpu(c.fb_size),
			   le32_to_cpu(c.engine_weight),
			   le32_to_cpu(c.codec_sessions),
			   le16_to_cpu(c.display_heads),
			   le32_to_cpu(c.max_width), le32_to_cpu(c.max_height),
			   le16_to_cpu(c.flags));
	}
	mutex_unlock(&pf->cfg_lock);
	return ret;
}
DEFINE_SHOW_ATTRIBUTE(fw_query);

/*
 * Per-VF events: what the driver delivered (records read, FLRs, faults,
 * messages, how many of those only a resync found) next to the
 * firmware's totals (VF_EVENT_STATE), incl. the doorbells it dropped.
 */
static int events_show(struct seq_file *m, void *v)
{
	struct jmgpu_pf *pf = m->private;
	struct jmgpu_vf_event_state es;
	struct jmgpu_vf_events ev;
	int ret = 0;
	u32 i;

	seq_printf(m, "# evq_overflow %u resyncs %d\n", READ_ONCE(pf->evq_overflow),
		   atomic_read(&pf->resyncs));
	seq_puts(m, "# vf records flr_done faults msgs resynced last_fault | fw: flr_done faults msgs msg_dropped log_suppressed pending\n");
	mutex_lock(&pf->cfg_lock);
	for (i = 0; i < pf->num_vfs; i++) {
		ret = jmgpu_fw_vf_event_state(pf, i, &es, false);
		if (ret)
			break;
		spin_lock_irq(&pf->stats_lock);
		ev = pf->vf[i].ev;
		spin_unlock_irq(&pf->stats_lock);
		seq_printf(m, "vf%u %llu %llu %llu %llu %llu %u | %u %u %u %u %u 0x%x\n",
			   i, ev.records, ev.flr_done, ev.faults, ev.msgs,
			   ev.resynced, ev.last_fault,
			   le32_to_cpu(es.flr_done), le32_to_cpu(es.faults),
			   le32_to_cpu(es.msgs), le32_to_cpu(es.msg_dropped),
			   le32_to_cpu(es.log_suppressed),
			   le32_to_cpu(es.pending));
	}
	mutex_unlock(&pf->cfg_lock);
	return ret;
}
DEFINE_SHOW_ATTRIBUTE(events);

static int fw_log_show(struct seq_file *m, void *v)
{
	struct jmgpu_pf *pf = m->private;
	u32 off = 0, len, next, i;
	char *buf;
	int ret = 0;

	buf = kmalloc(JMGPU_LOG_CHUNK, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < 64; i++) {
		ret = jmgpu_fw_get_log(pf, off, buf, JMGPU_LOG_CHUNK, &len,
				       &next);
		if (ret || !len)
			break;
		seq_write(m, buf, len);
		off = next;
	}
	kfree(buf);
	return ret;
}
DEFINE_SHOW_ATTRIBUTE(fw_log);

static int fw_sched_show(struct seq_file *m, void *v)
{
	struct jmgpu_pf *pf = m->private;
	u32 policy, slice;
	int ret;

	ret = jmgpu_fw_get_sched(pf, &policy, &slice);
	if (!ret)
		seq_printf(m, "%u %u\n", policy, slice);
	return ret;
}
DEFINE_SHOW_ATTRIBUTE(fw_sched);

static int ping_show(struct seq_file *m, void *v)
{
	int ret = jmgpu_fw_ping(m->private);

	if (!ret)
		seq_puts(m, "ok\n");
	return ret;
}
DEFINE_SHOW_ATTRIBUTE(ping);

static int vfs_show(struct seq_file *m, void *v)
{
	struct jmgpu_pf *pf = m->private;
	const char *why;
	u32 i;

	seq_puts(m, "# vf profile owner fb_offset fb_size weight codec heads max_res msix in_use\n");
	mutex_lock(&pf->cfg_lock);
	for (i = 0; i < pf->num_vfs; i++) {
		struct jmgpu_vf *vf = &pf->vf[i];
		const struct jmgpu_profile *p = &vf->fw.profile;

		seq_printf(m, "vf%u %s %s ", i,
			   vf->fw.provisioned ? vf->name : "-",
			   vf->fw.provisioned ? jmgpu_owner_name(vf->owner) : "-");
		if (vf->fw.provisioned)
			seq_printf(m, "0x%llx", vf->fw.fb_offset);
		else
			seq_putc(m, '-');
		seq_printf(m, " 0x%llx %u %u %u %ux%u %u %d\n", p->fb_size,
			   p->engine_weight, p->codec_sessions, p->display_heads,
			   p->max_width, p->max_height, vf->msix_count,
			   jmgpu_vf_in_use(pf, i, &why));
	}
	mutex_unlock(&pf->cfg_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vfs);

static int vf_stats_show(struct seq_file *m, void *v)
{
	struct jmgpu_pf *pf = m->private;
	struct jmgpu_vf_stats_sample s;
	u32 i, n = READ_ONCE(pf->num_vfs);

	seq_puts(m, "# vf busy_pct busy_ns fb_in_use_mib jobs bytes doorbells faults resets fb_violations age_ms\n");
	for (i = 0; i < n; i++) {
		jmgpu_pf_vf_get_stats(pf, i, &s);
		seq_printf(m, "vf%u %u %llu %llu %llu %llu %llu %llu %llu %llu %llu\n",
			   i, s.engine_busy_pct, s.engine_busy_ns,
			   s.fb_in_use >> 20, s.jobs, s.bytes, s.doorbells,
			   s.faults, s.resets, s.fb_violations, s.age_ms);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vf_stats);

static int profiles_show(struct seq_file *m, void *v)
{
	struct jmgpu_pf *pf = m->private;
	const struct jmgpu_profile *t;
	unsigned int i, n;
	int fits;

	seq_puts(m, "# name fb_size weight codec heads max_res state\n");
	t = jmgpu_pf_profiles(&n);
	mutex_lock(&pf->cfg_lock);
	for (i = 0; i < n; i++, t++) {
		fits = jmgpu_profile_fits_locked(pf, t);
		seq_printf(m, "%s %llu %u %u %u %ux%u %s\n", t->name,
			   t->fb_size, t->engine_weight, t->codec_sessions,
			   t->display_heads, t->max_width, t->max_height,
			   fits < 0 ? "unsupported" :
			   fits ? "available" : "full");
	}
	mutex_unlock(&pf->cfg_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(profiles);

static ssize_t provision_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct jmgpu_pf *pf = file->private_data;
	struct jmgpu_profile custom = { .name = "custom" };
	const struct jmgpu_profile *p = NULL;
	char buf[96], name[JMGPU_PROFILE_NAME_LEN];
	unsigned long long fb_mib;
	u32 vf;
	int ret, n;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (sscanf(buf, "%u %31s", &vf, name) != 2)
		goto bad;

	mutex_lock(&pf->cfg_lock);
	if (!strcmp(name, "none")) {
		ret = jmgpu_unprovision_locked(pf, vf);
		goto out;
	}
	if (!strcmp(name, "equal")) {
		ret = jmgpu_equal_profile(pf, pf->num_vfs ?: 1, &custom);
		if (ret)
			goto out;
		p = &custom;
	} else if (!strcmp(name, "custom")) {
		n = sscanf(buf, "%*u %*s %llu %u %u %u %u %u", &fb_mib,
			   &custom.engine_weight, &custom.codec_sessions,
			   &custom.display_heads, &custom.max_width,
			   &custom.max_height);
		if (n != 6 || fb_mib > (1ULL << 30)) {
			mutex_unlock(&pf->cfg_lock);
			goto bad;
		}
		custom.fb_size = fb_mib << 20;
		p = &custom;
	} else {
		p = jmgpu_pf_profile_find(name);
		if (!p) {
			mutex_unlock(&pf->cfg_lock);
			goto bad;
		}
	}
	ret = jmgpu_provision_locked(pf, vf, p, p->name, JMGPU_OWNER_DEBUGFS);
out:
	mutex_unlock(&pf->cfg_lock);
	return ret ?: count;
bad:
	dev_warn(jmgpu_dev(pf), "debugfs provision: cannot parse \"%s\"\n",
		 strim(buf));
	return -EINVAL;
}

static const struct file_operations provision_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = provision_write,
	.llseek = noop_llseek,
};

void jmgpu_debugfs_init(struct jmgpu_pf *pf)
{
	struct dentry *d;

	if (IS_ERR_OR_NULL(jmgpu_debugfs_root))
		return;
	d = debugfs_create_dir(pci_name(pf->pdev), jmgpu_debugfs_root);
	pf->debugfs = d;
	debugfs_create_file("mbox_trace", 0400, d, pf, &mbox_trace_fops);
	debugfs_create_file("alloc_map", 0400, d, pf, &alloc_map_fops);
	debugfs_create_file("fw_query", 0400, d, pf, &fw_query_fops);
	debugfs_create_file("events", 0400, d, pf, &events_fops);
	debugfs_create_file("fw_log", 0400, d, pf, &fw_log_fops);
	debugfs_create_file("fw_sched", 0400, d, pf, &fw_sched_fops);
	debugfs_create_file("ping", 0400, d, pf, &ping_fops);
	debugfs_create_file("vfs", 0400, d, pf, &vfs_fops);
	debugfs_create_file("vf_stats", 0400, d, pf, &vf_stats_fops);
	debugfs_create_file("profiles", 0400, d, pf, &profiles_fops);
	debugfs_create_file("provision", 0200, d, pf, &provision_fops);
}

void jmgpu_debugfs_fini(struct jmgpu_pf *pf)
{
	debugfs_remove_recursive(pf->debugfs);
	pf->debugfs = NULL;
}

void jmgpu_debugfs_module_init(void)
{
	jmgpu_debugfs_root = debugfs_create_dir("jmgpu", NULL);
}

void jmgpu_debugfs_module_exit(void)
{
	debugfs_remove_recursive(jmgpu_debugfs_root);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Read-only commands: status, profiles, stats (text, JSON, Prometheus text
 * exposition format), top.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "sriov_cfg.h"

#define MIB ((uint64_t)1024 * 1024)

/*
 * Scan and load every card. A card whose jmgpu_pf is not bound is a state
 * to show, not an error; any other failure to read a card is returned
 * (after loading the others).
 */
static int load_all(struct fleet *f)
{
	int i, ret = fleet_scan(f), first = 0;

	if (ret)
		return ret;
	for (i = 0; i < f->n; i++) {
		ret = card_load(&f->c[i]);
		if (ret && !(ret == -ENODEV && !f->c[i].bound) && !first)
			first = ret;
	}
	return first;
}

const char *vf_profile(const struct vf *v)
{
	return v->uuid[0] ? v->mdev_type : v->prov_profile;
}

const char *vfio_state(const struct vf *v)
{
	if (!v->driver[0])
		return "unbound";
	if (strcmp(v->driver, VF_DRIVER))
		return v->driver;
	if (!v->uuid[0])
		return "no-vgpu";
	return v->open == 1 ? "open" : v->open == 0 ? "ready" : "?";
}

/* ---- JSON: one shape per object, the same in every command ------------ */

static json_object *jstr(const char *s)
{
	return s && s[0] ? json_object_new_string(s) : json_object_new_null();
}

static void jadd(json_object *o, const char *k, json_object *v)
{
	json_object_object_add(o, k, v);
}

static json_object *jpair(const char *k1, uint64_t v1, const char *k2, uint64_t v2)
{
	json_object *o = json_object_new_object();

	jadd(o, k1, json_object_new_uint64(v1));
	jadd(o, k2, json_object_new_uint64(v2));
	return o;
}

/*
 * A card: every key always present; those the PF driver gives are null
 * while it is not bound.
 */
static json_object *card_json(const struct card *c)
{
	json_object *o = json_object_new_object(), *x;
	bool b = c->bound;

	jadd(o, "pf", json_object_new_string(c->bdf));
	jadd(o, "driver_bound", json_object_new_boolean(b));
	jadd(o, "vfs_enabled", json_object_new_int(c->numvfs));
	jadd(o, "vfs_total", json_object_new_int(c->totalvfs));
	jadd(o, "fw_version", b ? jstr(c->fw_version) : NULL);
	jadd(o, "fw_state", b ? jstr(c->fw_state) : NULL);
	jadd(o, "fw_recoveries", b ? json_object_new_int64(c->recoveries) : NULL);
	jadd(o, "sched_policy", b ? jstr(c->sched_policy) : NULL);
	jadd(o, "timeslice_us", b ? json_object_new_int64(c->timeslice_us) : NULL);
	jadd(o, "auto_provision", b ? jstr(c->auto_provision) : NULL);
	x = NULL;
	if (b) {
		x = jpair("size", c->fb_size, "free", c->fb_free);
		jadd(x, "largest_free", json_object_new_uint64(c->fb_largest_free));
	}
	jadd(o, "fb_bytes", x);
	jadd(o, "engine_weight", b ? jpair("total", c->weight_total, "free", c->weight_free) : NULL);
	jadd(o, "codec_sessions", b ? jpair("total", c->codec_total, "free", c->codec_free) : NULL);
	return o;
}

/* a VF: identity, binding, vGPU and the driver's last statistics sample */
static json_object *vf_json(const struct vf *v)
{
	json_object *x = json_object_new_object();
	bool s = v->has_stats;

	jadd(x, "vf", json_object_new_int(v->index));
	jadd(x, "address", json_object_new_string(v->bdf));
	jadd(x, "driver", jstr(v->driver));
	jadd(x, "vfio_state", json_object_new_string(vfio_state(v)));
	jadd(x, "profile", jstr(strcmp(vf_profile(v), "-") ? vf_profile(v) : ""));
	jadd(x, "owner", jstr(strcmp(v->owner, "-") ? v->owner : ""));
	jadd(x, "uuid", jstr(v->uuid));
	jadd(x, "fb_provisioned_bytes", json_object_new_uint64(v->fb_size));
	jadd(x, "engine_busy_ratio", s ? json_object_new_double(v->busy / 100.0) : NULL);
	jadd(x, "engine_busy_ns", s ? json_object_new_uint64(v->busy_ns) : NULL);
	jadd(x, "jobs", s ? json_object_new_uint64(v->jobs) : NULL);
	jadd(x, "bytes", s ? json_object_new_uint64(v->bytes) : NULL);
	jadd(x, "doorbells", s ? json_object_new_uint64(v->doorbells) : NULL);
	jadd(x, "faults", s ? json_object_new_uint64(v->faults) : NULL);
	jadd(x, "resets", s ? json_object_new_uint64(v->resets) : NULL);
	jadd(x, "fb_violations", s ? json_object_new_uint64(v->fb_violations) : NULL);
	return x;
}

static json_object *card_json_vfs(const struct card *c)
{
	json_object *o = card_json(c), *a = json_object_new_array();
	int i;

	for (i = 0; i < c->nvfs; i++)
		json_object_array_add(a, vf_json(&c->vfs[i]));
	jadd(o, "vfs", a);
	return o;
}

/* {"schema": N, "cards": [...]} */
static void print_json(json_object *cards)
{
	json_object *o = json_object_new_object();

	jadd(o, "schema", json_object_new_int(JSON_SCHEMA));
	jadd(o, "cards", cards);
	printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						      JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

int cmd_status(bool json, const char *cols, bool raw)
{
	static struct fleet f;
	int idx[32], n = 0, i, j, ret;

	if (cols || raw) {
		n = vf_columns_parse(cols, idx, 32);
		if (n < 0)
			return n;
	}
	ret = load_all(&f);
	if (ret && !f.n)
		return ret;
	if (n) {
		int r = vf_table_print(&f, idx, n, raw);

		return r ? r : ret;
	}
	if (json) {
		json_object *a = json_object_new_array();

		for (i = 0; i < f.n; i++)
			json_object_array_add(a, card_json_vfs(&f.c[i]));
		print_json(a);
		return ret;
	}
	if (!f.n)
		printf("no jmgpu cards\n");
	for (i = 0; i < f.n; i++) {
		const struct card *c = &f.c[i];

		printf("card %s  VFs %u/%u", c->bdf, c->numvfs, c->totalvfs);
		if (!c->bound) {
			printf("  (driver %s not bound, driver: %s)\n", PF_DRIVER,
			       c->pf_driver[0] ? c->pf_driver : "none");
			continue;
		}
		printf("  firmware %s (%s)  scheduler %s/%uus\n", c->fw_version,
		       c->fw_state, c->sched_policy, c->timeslice_us);
		printf("  FB %" PRIu64 " MiB free of %" PRIu64 " MiB (largest %" PRIu64
		       " MiB)  engine weight %u free of %u  codec sessions %u free of %u\n",
		       c->fb_free / MIB, c->fb_size / MIB, c->fb_largest_free / MIB,
		       c->weight_free, c->weight_total, c->codec_free, c->codec_total);
		if (!c->nvfs)
			continue;
		printf("  %-3s %-13s %-18s %-36s %-8s %6s %5s\n", "VF", "ADDRESS",
		       "PROFILE", "UUID", "VFIO", "FB_MiB", "BUSY%");
		for (j = 0; j < c->nvfs; j++) {
			const struct vf *v = &c->vfs[j];
			char prof[NAME_LEN + 20];

			snprintf(prof, sizeof(prof), "%s%s%s%s", vf_profile(v),
				 strcmp(v->owner, "auto") && strcmp(v->owner, "debugfs") ? "" : "(",
				 strcmp(v->owner, "auto") && strcmp(v->owner, "debugfs") ? "" : v->owner,
				 strcmp(v->owner, "auto") && strcmp(v->owner, "debugfs") ? "" : ")");
			printf("  %-3d %-13s %-18s %-36s %-8s %6" PRIu64 " %5u\n", v->index,
			       v->bdf, prof, v->uuid[0] ? v->uuid : "-", vfio_state(v),
			       v->fb_size / MIB, v->busy);
		}
	}
	return ret;
}

int cmd_profiles(const char *pf, bool json)
{
	static struct fleet f;
	json_object *cards = NULL;
	int i, j, ret = fleet_scan(&f), first = 0;

	if (ret)
		return ret;
	if (pf) {
		struct card *c = fleet_find(&f, pf);

		if (!c)
			return -errno;
		f.c[0] = *c;
		f.n = 1;
	}
	if (json)
		cards = json_object_new_array();
	else if (!f.n)
		printf("no jmgpu cards\n");
	for (i = 0; i < f.n; i++) {
		struct card *c = &f.c[i];

		ret = card_load(c);
		if (ret && !(ret == -ENODEV && !c->bound) && !first)
			first = ret;
		if (json) {
			json_object *o = card_json(c), *a = json_object_new_array();

			for (j = 0; j < c->nprofiles; j++) {
				const struct profile *p = &c->profiles[j];
				json_object *x = json_object_new_object();
				char res[32];

				snprintf(res, sizeof(res), "%ux%u", p->w, p->h);
				jadd(x, "name", json_object_new_string(p->name));
				jadd(x, "fb_bytes", json_object_new_uint64(p->fb));
				jadd(x, "engine_weight", json_object_new_int(p->weight));
				jadd(x, "codec_sessions", json_object_new_int(p->codec));
				jadd(x, "display_heads", json_object_new_int(p->heads));
				jadd(x, "max_resolution", json_object_new_string(res));
				jadd(x, "state", json_object_new_string(p->state));
				jadd(x, "fits_now", json_object_new_int(p->fits_now));
				json_object_array_add(a, x);
			}
			jadd(o, "profiles", a);
			json_object_array_add(cards, o);
			continue;
		}
		if (!c->bound) {
			printf("card %s  VFs %u/%u  (driver %s not bound, driver: %s)\n",
			       c->bdf, c->numvfs, c->totalvfs, PF_DRIVER,
			       c->pf_driver[0] ? c->pf_driver : "none");
			continue;
		}
		printf("card %s  VFs %u/%u  FB %" PRIu64 "/%" PRIu64
		       " MiB free  engine %u/%u free  codec %u/%u free\n",
		       c->bdf, c->numvfs, c->totalvfs, c->fb_free / MIB,
		       c->fb_size / MIB, c->weight_free, c->weight_total,
		       c->codec_free, c->codec_total);
		printf("  %-20s %7s %6s %5s %5s %-10s %-11s %s\n", "PROFILE", "FB_MiB",
		       "WEIGHT", "CODEC", "HEADS", "MAX_RES", "STATE", "FITS_NOW");
		for (j = 0; j < c->nprofiles; j++) {
			const struct profile *p = &c->profiles[j];
			char res[32];

			snprintf(res, sizeof(res), "%ux%u", p->w, p->h);
			printf("  %-20s %7" PRIu64 " %6u %5u %5u %-10s %-11s %d\n", p->name,
			       p->fb / MIB, p->weight, p->codec, p->heads, res,
			       p->state, p->fits_now);
		}
	}
	if (json)
		print_json(cards);
	return first;
}

/* ---- stats ------------------------------------------------------------ */

/*
 * Prometheus text exposition format 0.0.4. Naming: counters end in _total,
 * gauges do not; bytes and ratios (0..1) in base units. Card series carry
 * the label pf, VF series pf and vf (index); which vGPU (UUID, profile) a
 * VF holds is one jmgpu_vgpu_info series, so that re-creating a vGPU does
 * not start new series of every VF metric.
 */

/* a label value with \, " and newline escaped; rotating static buffers */
static const char *esc(const char *s)
{
	static char bufs[4][2 * NAME_LEN + 8];
	static int next;
	char *b = bufs[next++ % 4], *o = b;

	for (; *s && o < b + sizeof(bufs[0]) - 3; s++) {
		if (*s == '\\' || *s == '"') {
			*o++ = '\\';
			*o++ = *s;
		} else if (*s == '\n') {
			*o++ = '\\';
			*o++ = 'n';
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
	return b;
}

/* a percentage as a ratio, shortest form: 0, 0.05, 0.5, 1 */
static const char *ratio(unsigned int pct)
{
	static char b[16];

	if (pct >= 100)
		return "1";
	if (!pct)
		return "0";
	snprintf(b, sizeof(b), pct % 10 ? "0.%02u" : "0.%u", pct % 10 ? pct : pct / 10);
	return b;
}

static void prom_family(const char *name, const char *type, const char *help)
{
	printf("# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

enum card_metric {
	C_BOUND, C_UP, C_VFS, C_VFS_MAX, C_FB, C_FB_FREE, C_FB_LARGEST, C_W, C_W_FREE,
	C_CODEC, C_CODEC_FREE, C_RECOVERIES,
};

static const struct {
	const char *name, *type, *help;
	bool needs_driver;	/* only for cards with jmgpu_pf bound */
} card_metrics[] = {
	[C_BOUND] = { "jmgpu_pf_driver_bound", "gauge", "1 when jmgpu_pf is bound to the card, else 0.", false },
	[C_UP] = { "jmgpu_fw_up", "gauge", "1 when jmgpu_pf is bound and the firmware state is ok, else 0.", false },
	[C_VFS] = { "jmgpu_vfs_enabled", "gauge", "VFs enabled (sriov_numvfs).", false },
	[C_VFS_MAX] = { "jmgpu_vfs_supported", "gauge", "VFs the card supports (sriov_totalvfs).", false },
	[C_FB] = { "jmgpu_fb_size_bytes", "gauge", "Framebuffer (VRAM) of the card.", true },
	[C_FB_FREE] = { "jmgpu_fb_free_bytes", "gauge", "Framebuffer not provisioned to any VF.", true },
	[C_FB_LARGEST] = { "jmgpu_fb_largest_free_bytes", "gauge", "Largest contiguous free framebuffer slice.", true },
	[C_W] = { "jmgpu_engine_weight_capacity", "gauge", "Engine weight of the card.", true },
	[C_W_FREE] = { "jmgpu_engine_weight_free", "gauge", "Engine weight not given to any VF.", true },
	[C_CODEC] = { "jmgpu_codec_sessions_capacity", "gauge", "Codec sessions of the card.", true },
	[C_CODEC_FREE] = { "jmgpu_codec_sessions_free", "gauge", "Codec sessions not reserved by any VF.", true },
	[C_RECOVERIES] = { "jmgpu_fw_recoveries_total", "counter", "Firmware recoveries since jmgpu_pf bound.", true },
};

static uint64_t card_value(const struct card *c, int m)
{
	switch (m) {
	case C_BOUND: return c->bound;
	case C_UP: return c->bound && !strcmp(c->fw_state, "ok");
	case C_VFS: return c->numvfs;
	case C_VFS_MAX: return c->totalvfs;
	case C_FB: return c->fb_size;
	case C_FB_FREE: return c->fb_free;
	case C_FB_LARGEST: return c->fb_largest_free;
	case C_W: return c->weight_total;
	case C_W_FREE: return c->weight_free;
	case C_CODEC: return c->codec_total;
	case C_CODEC_FREE: return c->codec_free;
	default: return c->recoveries;
	}
}

enum vf_metric { V_FB, V_JOBS, V_BYTES, V_DB, V_FAULTS, V_RESETS, V_VIOL };

static const struct {
	const char *name, *type, *help;
} vf_metrics[] = {
	[V_FB] = { "jmgpu_vf_fb_provisioned_bytes", "gauge", "Framebuffer provisioned to the VF (its profile's size; 0 when unprovisioned)." },
	[V_JOBS] = { "jmgpu_vf_jobs_total", "counter", "Jobs completed by the VF's engine." },
	[V_BYTES] = { "jmgpu_vf_bytes_total", "counter", "Bytes moved by the VF's jobs." },
	[V_DB] = { "jmgpu_vf_doorbells_total", "counter", "Doorbell writes of the VF." },
	[V_FAULTS] = { "jmgpu_vf_faults_total", "counter", "Engine faults of the VF." },
	[V_RESETS] = { "jmgpu_vf_resets_total", "counter", "VF resets seen by the firmware." },
	[V_VIOL] = { "jmgpu_vf_fb_violations_total", "counter", "VF accesses outside its framebuffer slice." },
};

static uint64_t vf_value(const struct vf *v, int m)
{
	switch (m) {
	case V_FB: return v->fb_size;
	case V_JOBS: return v->jobs;
	case V_BYTES: return v->bytes;
	case V_DB: return v->doorbells;
	case V_FAULTS: return v->faults;
	case V_RESETS: return v->resets;
	default: return v->fb_violations;
	}
}

static void stats_prometheus(const struct fleet *f)
{
	size_t m;
	int i, j;

	for (m = 0; m < sizeof(card_metrics) / sizeof(card_metrics[0]); m++) {
		prom_family(card_metrics[m].name, card_metrics[m].type, card_metrics[m].help);
		for (i = 0; i < f->n; i++)
			if (f->c[i].bound || !card_metrics[m].needs_driver)
				printf("%s{pf=\"%s\"} %" PRIu64 "\n", card_metrics[m].name,
				       esc(f->c[i].bdf), card_value(&f->c[i], (int)m));
	}
	prom_family("jmgpu_card_info", "gauge",
		    "Always 1; the firmware version and scheduler policy of a card with jmgpu_pf bound.");
	for (i = 0; i < f->n; i++)
		if (f->c[i].bound)
			printf("jmgpu_card_info{pf=\"%s\",fw_version=\"%s\",sched_policy=\"%s\"} 1\n",
			       esc(f->c[i].bdf), esc(f->c[i].fw_version), esc(f->c[i].sched_policy));
	prom_family("jmgpu_vgpu_info", "gauge",
		    "Always 1; the vGPU (mdev UUID and profile) on a VF.");
	for (i = 0; i < f->n; i++)
		for (j = 0; j < f->c[i].nvfs; j++) {
			const struct vf *v = &f->c[i].vfs[j];

			if (v->uuid[0])
				printf("jmgpu_vgpu_info{pf=\"%s\",vf=\"%d\",address=\"%s\",uuid=\"%s\",profile=\"%s\"} 1\n",
				       esc(f->c[i].bdf), v->index, esc(v->bdf), esc(v->uuid),
				       esc(v->mdev_type));
		}
	/*
	 * The firmware's cumulative engine time of the VF (stats/engine_busy_ns),
	 * a counter that restarts at 0 only with the firmware; exact decimal
	 * seconds, no float rounding of large nanosecond counts.
	 */
	prom_family("jmgpu_vf_engine_busy_seconds_total", "counter",
		    "Engine time the firmware gave the VF since the firmware started, in seconds.");
	for (i = 0; i < f->n; i++)
		for (j = 0; j < f->c[i].nvfs; j++) {
			const struct vf *v = &f->c[i].vfs[j];

			if (v->has_stats)
				printf("jmgpu_vf_engine_busy_seconds_total{pf=\"%s\",vf=\"%d\"} %" PRIu64
				       ".%09" PRIu64 "\n", esc(f->c[i].bdf), v->index,
				       v->busy_ns / 1000000000u, v->busy_ns % 1000000000u);
		}
	/* and the busy share of the last sample interval, a gauge */
	prom_family("jmgpu_vf_engine_busy_ratio", "gauge",
		    "Share of the last sample interval (sample_interval_ms) the VF's engine was busy, 0 to 1.");
	for (i = 0; i < f->n; i++)
		for (j = 0; j < f->c[i].nvfs; j++) {
			const struct vf *v = &f->c[i].vfs[j];

			if (v->has_stats)
				printf("jmgpu_vf_engine_busy_ratio{pf=\"%s\",vf=\"%d\"} %s\n",
				       esc(f->c[i].bdf), v->index, ratio(v->busy));
		}
	for (m = 0; m < sizeof(vf_metrics) / sizeof(vf_metrics[0]); m++) {
		prom_family(vf_metrics[m].name, vf_metrics[m].type, vf_metrics[m].help);
		for (i = 0; i < f->n; i++)
			for (j = 0; j < f->c[i].nvfs; j++) {
				const struct vf *v = &f->c[i].vfs[j];

				if (v->has_stats || m == V_FB)
					printf("%s{pf=\"%s\",vf=\"%d\"} %" PRIu64 "\n",
					       vf_metrics[m].name, esc(f->c[i].bdf), v->index,
					       vf_value(v, (int)m));
			}
	}
}

int cmd_stats(int format)
{
	static struct fleet f;
	int i, j, ret = load_all(&f);

	if (ret && !f.n)
		return ret;
	if (format == 2) {
		stats_prometheus(&f);
		return ret;
	}
	if (format == 1) {
		json_object *cards = json_object_new_array();

		for (i = 0; i < f.n; i++)
			json_object_array_add(cards, card_json_vfs(&f.c[i]));
		print_json(cards);
		return ret;
	}
	if (!f.n)
		printf("no jmgpu cards\n");
	for (i = 0; i < f.n; i++) {
		const struct card *c = &f.c[i];

		if (!c->bound) {
			printf("card %s  (driver %s not bound, driver: %s)\n", c->bdf, PF_DRIVER,
			       c->pf_driver[0] ? c->pf_driver : "none");
			continue;
		}
		printf("card %s  firmware %s  recoveries %u\n", c->bdf, c->fw_state,
		       c->recoveries);
		printf("  %-3s %-36s %-18s %5s %6s %10s %14s %9s %6s %6s %6s\n", "VF",
		       "UUID", "PROFILE", "BUSY%", "FB_MiB", "JOBS", "BYTES",
		       "DOORBELLS", "FAULTS", "RESETS", "FBVIOL");
		for (j = 0; j < c->nvfs; j++) {
			const struct vf *v = &c->vfs[j];

			printf("  %-3d %-36s %-18s %5u %6" PRIu64 " %10" PRIu64 " %14" PRIu64
			       " %9" PRIu64 " %6" PRIu64 " %6" PRIu64 " %6" PRIu64 "\n",
			       v->index, v->uuid[0] ? v->uuid : "-", vf_profile(v),
			       v->busy, v->fb_size / MIB, v->jobs, v->bytes, v->doorbells,
			       v->faults, v->resets, v->fb_violations);
		}
	}
	return ret;
}

/* ---- top ------------------------------------------------------------ */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int cmd_top(int iterations, double delay)
{
	static struct fleet f, prev;
	double t_prev = 0, t;
	bool tty = isatty(STDOUT_FILENO);
	int it, i, j, ret;

	for (it = 0; iterations <= 0 || it < iterations; it++) {
		if (it) {
			struct timespec ts = { (time_t)delay,
					       (long)((delay - (time_t)delay) * 1e9) };

			nanosleep(&ts, NULL);
		}
		prev = f;
		ret = load_all(&f);
		if (ret)
			return ret;
		t = now_s();
		if (!f.n)
			printf("no jmgpu cards\n");
		if (tty)
			fputs("\033[H\033[2J", stdout);
		printf("sriov_cfg top - sample %d, every %.1fs\n", it + 1, delay);
		for (i = 0; i < f.n; i++) {
			const struct card *c = &f.c[i];
			const struct card *pc = NULL;

			for (j = 0; it && j < prev.n; j++)
				if (!strcmp(prev.c[j].bdf, c->bdf))
					pc = &prev.c[j];
			printf("card %s  VFs %u/%u  engine weight %u/%u used  FB %" PRIu64
			       "/%" PRIu64 " MiB used  firmware %s\n", c->bdf, c->numvfs,
			       c->totalvfs, c->weight_total - c->weight_free,
			       c->weight_total, (c->fb_size - c->fb_free) / MIB,
			       c->fb_size / MIB, c->fw_state);
			printf("  %-3s %-36s %-18s %5s %6s %9s %9s %6s\n", "VF", "UUID",
			       "PROFILE", "BUSY%", "FB_MiB", "JOBS/s", "MiB/s", "FAULTS");
			for (j = 0; j < c->nvfs; j++) {
				const struct vf *v = &c->vfs[j], *pv = NULL;
				double jr = 0, br = 0, dt = t - t_prev;
				int k;

				for (k = 0; pc && k < pc->nvfs; k++)
					if (pc->vfs[k].index == v->index)
						pv = &pc->vfs[k];
				if (pv && dt > 0 && v->jobs >= pv->jobs && v->bytes >= pv->bytes) {
					jr = (double)(v->jobs - pv->jobs) / dt;
					br = (double)(v->bytes - pv->bytes) / dt / MIB;
				}
				printf("  %-3d %-36s %-18s %5u %6" PRIu64 " %9.1f %9.2f %6" PRIu64 "\n",
				       v->index, v->uuid[0] ? v->uuid : "-", vf_profile(v),
				       v->busy, v->fb_size / MIB, jr, br, v->faults);
			}
		}
		fflush(stdout);
		t_prev = t;
	}
	return 0;
}

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

static const char *vf_profile(const struct vf *v)
{
	return v->uuid[0] ? v->mdev_type : v->prov_profile;
}

static const char *vfio_state(const struct vf *v)
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

int cmd_status(bool json)
{
	static struct fleet f;
	int i, j, ret = load_all(&f);

	if (ret && !f.n)
		return ret;
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

struct metric {
	const char *name, *type, *help;
	int field;
};

enum { F_BUSY, F_FB, F_JOBS, F_BYTES, F_DB, F_FAULTS, F_RESETS, F_VIOL };

static const struct metric vf_metrics[] = {
	{ "jmgpu_vf_engine_busy_percent", "gauge", "Engine busy percentage of the VF over the last sampling interval.", F_BUSY },
	{ "jmgpu_vf_fb_used_bytes", "gauge", "Framebuffer bytes provisioned to the VF.", F_FB },
	{ "jmgpu_vf_jobs_total", "counter", "Jobs completed by the VF's engine.", F_JOBS },
	{ "jmgpu_vf_bytes_total", "counter", "Bytes moved by the VF's jobs.", F_BYTES },
	{ "jmgpu_vf_doorbells_total", "counter", "Doorbell writes of the VF.", F_DB },
	{ "jmgpu_vf_faults_total", "counter", "Engine faults of the VF.", F_FAULTS },
	{ "jmgpu_vf_resets_total", "counter", "VF resets seen by the firmware.", F_RESETS },
	{ "jmgpu_vf_fb_violations_total", "counter", "VF accesses outside its framebuffer slice.", F_VIOL },
};

static uint64_t vf_field(const struct vf *v, int f)
{
	switch (f) {
	case F_BUSY: return v->busy;
	case F_FB: return v->fb_used_mib * MIB;
	case F_JOBS: return v->jobs;
	case F_BYTES: return v->bytes;
	case F_DB: return v->doorbells;
	case F_FAULTS: return v->faults;
	case F_RESETS: return v->resets;
	default: return v->fb_violations;
	}
}

static void prom_family(const char *name, const char *type, const char *help)
{
	printf("# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void prom_card(const struct fleet *f, const char *name, const char *type,
		      const char *help, int which)
{
	int i;

	prom_family(name, type, help);
	for (i = 0; i < f->n; i++) {
		const struct card *c = &f->c[i];
		uint64_t v;

		if (!c->bound && which > 1)
			continue;
		switch (which) {
		case 0: v = c->numvfs; break;
		case 1: v = c->totalvfs; break;
		case 2: v = c->fb_size; break;
		case 3: v = c->fb_free; break;
		case 4: v = c->weight_total; break;
		case 5: v = c->weight_free; break;
		case 6: v = c->codec_total; break;
		case 7: v = c->codec_free; break;
		case 8: v = c->recoveries; break;
		default: v = !strcmp(c->fw_state, "ok"); break;
		}
		printf("%s{pf=\"%s\"} %" PRIu64 "\n", name, c->bdf, v);
	}
}

static void stats_prometheus(const struct fleet *f)
{
	size_t m;
	int i, j;

	prom_card(f, "jmgpu_vfs_enabled", "gauge", "VFs enabled (sriov_numvfs).", 0);
	prom_card(f, "jmgpu_vfs_total", "gauge", "VFs the card supports (sriov_totalvfs).", 1);
	prom_card(f, "jmgpu_fb_size_bytes", "gauge", "Framebuffer (VRAM) of the card.", 2);
	prom_card(f, "jmgpu_fb_free_bytes", "gauge", "Framebuffer not given to any VF.", 3);
	prom_card(f, "jmgpu_engine_weight_total", "gauge", "Engine weight of the card (max_weight).", 4);
	prom_card(f, "jmgpu_engine_weight_free", "gauge", "Engine weight not given to any VF.", 5);
	prom_card(f, "jmgpu_codec_sessions_total", "gauge", "Codec sessions of the card.", 6);
	prom_card(f, "jmgpu_codec_sessions_free", "gauge", "Codec sessions not reserved by any VF.", 7);
	prom_card(f, "jmgpu_fw_recoveries_total", "counter", "Firmware recoveries since the PF driver bound.", 8);
	prom_card(f, "jmgpu_fw_up", "gauge", "1 when the firmware state is ok.", 9);
	for (m = 0; m < sizeof(vf_metrics) / sizeof(vf_metrics[0]); m++) {
		prom_family(vf_metrics[m].name, vf_metrics[m].type, vf_metrics[m].help);
		for (i = 0; i < f->n; i++)
			for (j = 0; j < f->c[i].nvfs; j++) {
				const struct vf *v = &f->c[i].vfs[j];

				if (!v->has_stats)
					continue;
				printf("%s{pf=\"%s\",vf=\"%d\",address=\"%s\",uuid=\"%s\",profile=\"%s\"} %" PRIu64 "\n",
				       vf_metrics[m].name, f->c[i].bdf, v->index, v->bdf,
				       v->uuid, strcmp(vf_profile(v), "-") ? vf_profile(v) : "",
				       vf_field(v, vf_metrics[m].field));
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

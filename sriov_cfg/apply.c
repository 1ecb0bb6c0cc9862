// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_cfg apply: bring cards to the state a JSON file declares (VF count,
 * scheduler, vGPUs with profiles and UUIDs). The file is checked as strict
 * JSON (jsonw.c: no comments, single quotes, trailing commas or duplicate
 * keys), parsed by json-c, checked completely against the cards (every
 * field, names, UUIDs, capacity, vGPUs that would have to go while a VM uses
 * them) and turned into a plan before the first change; an empty plan
 * changes nothing. When a step of the plan fails, the steps done are undone
 * in reverse order, so that the cards are left as they were.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "sriov_cfg.h"

#define MIB ((uint64_t)1024 * 1024)

struct vgpu_spec {
	char uuid[UUID_LEN];
	char profile[NAME_LEN];
	int vf;				/* pinned VF index, -1: any */
	char path[64];
	const struct profile *p;
	bool keep;			/* exists as declared, left alone */
	bool has_uuid, has_profile;
};

struct card_spec {
	char path[32];
	struct card *c;
	int num_vfs;
	char policy[32];		/* "" = leave */
	int timeslice;			/* 0 = leave */
	int nv;
	struct vgpu_spec v[MAX_VFS];
	bool external;			/* no "vgpus": another manager's vGPUs */
	bool reenable;
};

enum act_type { A_DESTROY, A_AUTOPROV, A_ENABLE, A_POLICY, A_SLICE, A_CREATE };

struct action {
	enum act_type t;
	struct card_spec *cs;
	struct vgpu_spec *vs;		/* A_CREATE */
	char uuid[UUID_LEN];		/* A_DESTROY */
	char what[320];			/* description */
	/* the state before, to undo it */
	char old[NAME_LEN];		/* A_DESTROY: profile; A_AUTOPROV, A_POLICY: value */
	int old_vf;			/* A_DESTROY: VF index */
	unsigned int old_n;		/* A_ENABLE: sriov_numvfs; A_SLICE: timeslice_us */
	char old_autoprov[NAME_LEN];	/* A_ENABLE: auto_provision before the plan */
};

struct apply_ctx {
	const char *file;
	struct jmap map;		/* line of each value, by path */
	struct fleet fleet;
	int ncards;
	struct card_spec cards[MAX_CARDS];
	int nact;
	struct action act[MAX_CARDS * (2 * MAX_VFS + 4)];
	int first_err;
	int nerr;
};

static void cerr(struct apply_ctx *x, int code, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* "sriov_cfg: <file>:<line>: <object path>: <reason>"; keeps the first code */
static void cerr(struct apply_ctx *x, int code, const char *path, const char *fmt, ...)
{
	char reason[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	errline("%s:%d: %s: %s", x->file, jmap_line(&x->map, path), path, reason);
	if (!x->first_err)
		x->first_err = code;
	x->nerr++;
}

static char *read_file(struct apply_ctx *x, size_t *len)
{
	FILE *f = fopen(x->file, "r");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		x->first_err = errno;
		fail(errno, x->file, "cannot open: %s", strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t r;

		if (n + 4096 + 1 > cap) {
			char *nb;

			cap = cap ? cap * 2 : 8192;
			if (cap > (1u << 24)) {
				x->first_err = EFBIG;
				fail(EFBIG, x->file, "larger than 16 MiB");
				goto err;
			}
			nb = realloc(buf, cap);
			if (!nb) {
				x->first_err = ENOMEM;
				fail(ENOMEM, x->file, "out of memory");
				goto err;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		x->first_err = EIO;
		fail(EIO, x->file, "read error");
		goto err;
	}
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
err:
	fclose(f);
	free(buf);
	return NULL;
}

/*
 * The strict walk first (exact positions, duplicate keys), then json-c,
 * strict too, builds the objects; its errors become line:column as well.
 */
static json_object *parse(struct apply_ctx *x)
{
	struct json_tokener *tok;
	struct jerr je;
	json_object *root;
	size_t len = 0, i, end;
	char *text = read_file(x, &len);
	int line = 1, col = 1, k;

	if (!text)
		return NULL;
	if (json_strict_scan(text, len, &x->map, &je)) {
		errline("%s:%d:%d: JSON syntax error: %s", x->file, je.line, je.col, je.msg);
		x->first_err = EINVAL;
		free(text);
		return NULL;
	}
	for (k = 0; k < je.ndup; k++)
		errline("%s:%d: %s: given twice (also on line %d); a key may appear once",
			x->file, je.dup[k].line, je.dup[k].path, je.dup[k].first_line);
	if (je.ndup) {
		errline("%s: rejected (%d duplicate key%s), nothing changed", x->file, je.ndup,
			je.ndup > 1 ? "s" : "");
		x->first_err = EINVAL;
		free(text);
		return NULL;
	}
	tok = json_tokener_new();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, text, (int)len);
	enum json_tokener_error e = json_tokener_get_error(tok);

	end = json_tokener_get_parse_end(tok);
	if (e == json_tokener_continue) {
		e = json_tokener_error_parse_eof;
		end = len;
	}
	if (!root || e != json_tokener_success) {
		for (i = 0; i < end && i < len; i++) {
			if (text[i] == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
				col++;
			}
		}
		errline("%s:%d:%d: JSON syntax error: %s", x->file, line, col,
			json_tokener_error_desc(e));
		x->first_err = EINVAL;
		json_object_put(root);
		root = NULL;
	}
	json_tokener_free(tok);
	free(text);
	return root;
}

static const char *type_name(json_object *o)
{
	return json_type_to_name(json_object_get_type(o));
}

static bool get_int(struct apply_ctx *x, json_object *o, const char *path,
		    int min, int max, int *out)
{
	int64_t v;

	if (!json_object_is_type(o, json_type_int)) {
		cerr(x, EINVAL, path, "must be an integer, not %s", type_name(o));
		return false;
	}
	v = json_object_get_int64(o);
	if (v < min || v > max) {
		cerr(x, EINVAL, path, "%" PRId64 " is out of range %d..%d", v, min, max);
		return false;
	}
	*out = (int)v;
	return true;
}

static bool get_str(struct apply_ctx *x, json_object *o, const char *path,
		    char *out, size_t len)
{
	if (!json_object_is_type(o, json_type_string)) {
		cerr(x, EINVAL, path, "must be a string, not %s", type_name(o));
		return false;
	}
	if ((size_t)json_object_get_string_len(o) >= len) {
		cerr(x, EINVAL, path, "longer than %zu characters", len - 1);
		return false;
	}
	snprintf(out, len, "%s", json_object_get_string(o));
	return true;
}

static void parse_vgpu(struct apply_ctx *x, struct card_spec *cs, json_object *o, int i)
{
	struct vgpu_spec *vs = &cs->v[cs->nv++];
	char p[96];

	memset(vs, 0, sizeof(*vs));
	vs->vf = -1;
	char cpath[32];

	snprintf(cpath, sizeof(cpath), "%s", cs->path);
	snprintf(vs->path, sizeof(vs->path), "%s.vgpus[%d]", cpath, i);
	if (!json_object_is_type(o, json_type_object)) {
		cerr(x, EINVAL, vs->path, "must be an object, not %s", type_name(o));
		return;
	}
	json_object_object_foreach(o, key, val) {
		snprintf(p, sizeof(p), "%s.%s", vs->path, key);
		if (!strcmp(key, "uuid")) {
			char u[64];

			vs->has_uuid = true;
			if (!get_str(x, val, p, u, sizeof(u)))
				continue;
			if (!uuid_valid(u)) {
				cerr(x, EINVAL, p, "'%s' is not a UUID (want xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", u);
				continue;
			}
			snprintf(vs->uuid, sizeof(vs->uuid), "%.36s", u);
			uuid_lower(vs->uuid);
		} else if (!strcmp(key, "profile")) {
			vs->has_profile = true;
			if (get_str(x, val, p, vs->profile, sizeof(vs->profile)) &&
			    !vs->profile[0])
				cerr(x, EINVAL, p, "empty profile name (sriov_cfg profiles lists the card's)");
		} else if (!strcmp(key, "vf")) {
			get_int(x, val, p, 0, MAX_VFS - 1, &vs->vf);
		} else {
			cerr(x, EINVAL, p, "unknown key (want uuid, profile, vf)");
		}
	}
	if (!vs->has_uuid)
		cerr(x, EINVAL, vs->path, "missing \"uuid\"");
	if (!vs->has_profile)
		cerr(x, EINVAL, vs->path, "missing \"profile\"");
}

static void parse_card(struct apply_ctx *x, json_object *o, int i)
{
	struct card_spec *cs = &x->cards[x->ncards++];
	char p[96], pf[64] = "";
	json_object *vg = NULL;
	int j;

	memset(cs, 0, sizeof(*cs));
	cs->num_vfs = -1;
	snprintf(cs->path, sizeof(cs->path), "cards[%d]", i);
	if (!json_object_is_type(o, json_type_object)) {
		cerr(x, EINVAL, cs->path, "must be an object, not %s", type_name(o));
		return;
	}
	json_object_object_foreach(o, key, val) {
		snprintf(p, sizeof(p), "%s.%s", cs->path, key);
		if (!strcmp(key, "pf")) {
			get_str(x, val, p, pf, sizeof(pf));
		} else if (!strcmp(key, "num_vfs")) {
			get_int(x, val, p, 0, MAX_VFS, &cs->num_vfs);
		} else if (!strcmp(key, "sched_policy")) {
			if (get_str(x, val, p, cs->policy, sizeof(cs->policy)) &&
			    strcmp(cs->policy, "best-effort") &&
			    strcmp(cs->policy, "equal-share") &&
			    strcmp(cs->policy, "fixed-share"))
				cerr(x, EINVAL, p, "'%s' is not a policy (want best-effort, equal-share, fixed-share)",
				     cs->policy);
		} else if (!strcmp(key, "timeslice_us")) {
			get_int(x, val, p, 100, 100000, &cs->timeslice);
		} else if (!strcmp(key, "vgpus")) {
			vg = val;
		} else {
			cerr(x, EINVAL, p, "unknown key (want pf, num_vfs, sched_policy, timeslice_us, vgpus)");
		}
	}
	if (!pf[0]) {
		if (!json_object_object_get_ex(o, "pf", NULL))
			cerr(x, EINVAL, cs->path, "missing \"pf\" (the card's PCI address)");
	} else {
		char bdf[32];

		snprintf(p, sizeof(p), "%s.pf", cs->path);
		if (canon_bdf(pf, bdf, sizeof(bdf))) {
			cerr(x, EINVAL, p, "'%s' is not a PCI address", pf);
		} else {
			for (j = 0; j < x->fleet.n; j++)
				if (!strcmp(x->fleet.c[j].bdf, bdf))
					cs->c = &x->fleet.c[j];
			if (!cs->c)
				cerr(x, ENODEV, p, "no jmgpu card at %s", bdf);
			for (j = 0; j < x->ncards - 1; j++)
				if (cs->c && x->cards[j].c == cs->c)
					cerr(x, EINVAL, p, "card %s is also declared in %s",
					     bdf, x->cards[j].path);
		}
	}
	if (cs->num_vfs < 0 && !json_object_object_get_ex(o, "num_vfs", NULL))
		cerr(x, EINVAL, cs->path, "missing \"num_vfs\"");
	if (!vg) {
		cs->external = true;
		return;
	}
	snprintf(p, sizeof(p), "%s.vgpus", cs->path);
	if (!json_object_is_type(vg, json_type_array)) {
		cerr(x, EINVAL, p, "must be an array, not %s", type_name(vg));
		return;
	}
	if (json_object_array_length(vg) > MAX_VFS) {
		cerr(x, ENOSPC, p, "%zu vGPUs declared, a card has at most %d VFs",
		     json_object_array_length(vg), MAX_VFS);
		return;
	}
	for (j = 0; j < (int)json_object_array_length(vg); j++)
		parse_vgpu(x, cs, json_object_array_get_idx(vg, j), j);
}

static void parse_root(struct apply_ctx *x, json_object *root)
{
	json_object *cards = NULL;
	int i;

	if (!json_object_is_type(root, json_type_object)) {
		cerr(x, EINVAL, "(top level)", "must be an object, not %s", type_name(root));
		return;
	}
	json_object_object_foreach(root, key, val) {
		if (!strcmp(key, "cards")) {
			cards = val;
		} else if (!strcmp(key, "version")) {
			int v;

			if (get_int(x, val, "version", 1, 1000, &v) && v != 1)
				cerr(x, EINVAL, "version", "version %d is not supported (want 1)", v);
		} else {
			cerr(x, EINVAL, key, "unknown key (want version, cards)");
		}
	}
	if (!cards) {
		cerr(x, EINVAL, "(top level)", "missing \"cards\"");
		return;
	}
	if (!json_object_is_type(cards, json_type_array)) {
		cerr(x, EINVAL, "cards", "must be an array, not %s", type_name(cards));
		return;
	}
	if (json_object_array_length(cards) > MAX_CARDS) {
		cerr(x, EINVAL, "cards", "more than %d cards", MAX_CARDS);
		return;
	}
	for (i = 0; i < (int)json_object_array_length(cards); i++)
		parse_card(x, json_object_array_get_idx(cards, i), i);
}

/* ---- checks against the cards ------------------------------------- */

static struct vf *find_vgpu(struct fleet *f, const char *uuid, struct card **card)
{
	int i, j;

	for (i = 0; i < f->n; i++)
		for (j = 0; j < f->c[i].nvfs; j++)
			if (!strcmp(f->c[i].vfs[j].uuid, uuid)) {
				*card = &f->c[i];
				return &f->c[i].vfs[j];
			}
	return NULL;
}

static bool declared_on(const struct card_spec *cs, const struct vf *v)
{
	int i;

	for (i = 0; i < cs->nv; i++)
		if (!strcmp(cs->v[i].uuid, v->uuid))
			return cs->v[i].keep;
	return false;
}

/*
 * One owner per vGPU and per VF: a vGPU that mdevctl defines is mdevctl's
 * (udev starts it when its VF binds, maybe while apply runs), so this file
 * may neither declare its UUID nor place a vGPU on its VF.
 */
static void check_mdevctl(struct apply_ctx *x, struct card_spec *cs)
{
	char vf[32], u[UUID_LEN], p[96];
	int i, j, nres = 0;

	for (i = 0; i < cs->nv; i++) {
		struct vgpu_spec *vs = &cs->v[i];

		if (vs->uuid[0] && mdevctl_uuid_def(vs->uuid, vf, sizeof(vf))) {
			snprintf(p, sizeof(p), "%s.uuid", vs->path);
			cerr(x, EEXIST, p, "UUID %s is defined by mdevctl (parent %s): a vGPU has one owner, remove it here or run 'mdevctl undefine -u %s'",
			     vs->uuid, vf, vs->uuid);
		}
	}
	for (i = 0; i < cs->num_vfs; i++) {
		if (!mdevctl_vf_reserved(cs->c->bdf, i, u, sizeof(u)))
			continue;
		vf_bdf_at(cs->c->bdf, i, vf, sizeof(vf));
		nres++;
		for (j = 0; j < cs->nv; j++) {
			if (cs->v[j].vf != i)
				continue;
			snprintf(p, sizeof(p), "%s.vf", cs->v[j].path);
			cerr(x, EBUSY, p, "VF %d (%s) is reserved for vGPU %s, which mdevctl defines",
			     i, vf, u);
		}
	}
	if (nres && cs->nv + nres > cs->num_vfs) {
		snprintf(p, sizeof(p), "%s.vgpus", cs->path);
		cerr(x, ENOSPC, p, "%d vGPUs declared but only %d of the %d VFs are free: %d are reserved by mdevctl definitions",
		     cs->nv, cs->num_vfs - nres, cs->num_vfs, nres);
	}
}

static void check_card(struct apply_ctx *x, struct card_spec *cs)
{
	struct card *c = cs->c;
	uint64_t fb_res = 0, fb = 0;
	unsigned int w_res = 0, w = 0, cod_res = 0, cod = 0;
	char p[96];
	int i, j;

	if (!c || cs->num_vfs < 0)
		return;
	if (!c->bound) {
		cerr(x, ENODEV, cs->path, "card %s: driver %s is not bound", c->bdf, PF_DRIVER);
		return;
	}
	snprintf(p, sizeof(p), "%s.num_vfs", cs->path);
	if ((unsigned int)cs->num_vfs > c->totalvfs)
		cerr(x, EINVAL, p, "%d VFs, card %s has sriov_totalvfs %u", cs->num_vfs,
		     c->bdf, c->totalvfs);
	if (cs->nv > cs->num_vfs) {
		snprintf(p, sizeof(p), "%s.vgpus[%d]", cs->path, cs->num_vfs);
		cerr(x, ENOSPC, p, "%d vGPUs declared but num_vfs is %d (one vGPU per VF)",
		     cs->nv, cs->num_vfs);
	}
	check_mdevctl(x, cs);
	/* resources held by VFs provisioned outside of mdev that stay */
	for (j = 0; j < c->nvfs; j++) {
		const struct vf *v = &c->vfs[j];

		if (!strcmp(v->owner, "debugfs")) {
			fb_res += v->fb_size;
			w_res += v->weight;
			cod_res += v->codec;
		}
	}
	for (i = 0; i < cs->nv; i++) {
		struct vgpu_spec *vs = &cs->v[i];

		for (j = 0; j < i; j++)
			if (vs->vf >= 0 && vs->vf == cs->v[j].vf) {
				snprintf(p, sizeof(p), "%s.vf", vs->path);
				cerr(x, EINVAL, p, "VF %d is also given to %s", vs->vf, cs->v[j].path);
			}
		if (vs->vf >= cs->num_vfs) {
			snprintf(p, sizeof(p), "%s.vf", vs->path);
			cerr(x, EINVAL, p, "VF %d does not exist with num_vfs %d", vs->vf, cs->num_vfs);
		}
		if (!vs->profile[0])
			continue;
		snprintf(p, sizeof(p), "%s.profile", vs->path);
		vs->p = card_profile(c, vs->profile);
		if (!vs->p) {
			char list[512] = "";

			for (j = 0; j < c->nprofiles; j++)
				snprintf(list + strlen(list), sizeof(list) - strlen(list),
					 "%s%s", j ? " " : "", c->profiles[j].name);
			cerr(x, EINVAL, p, "unknown profile '%s' (card %s has: %s)",
			     vs->profile, c->bdf, list);
			continue;
		}
		if (!strcmp(vs->p->state, "unsupported")) {
			cerr(x, EINVAL, p, "profile '%s' is not supported by card %s",
			     vs->profile, c->bdf);
			continue;
		}
		fb += vs->p->fb;
		w += vs->p->weight;
		cod += vs->p->codec;
		if (fb + fb_res > c->fb_size)
			cerr(x, ENOSPC, vs->path,
			     "does not fit: the vGPUs up to here need %" PRIu64 " MiB of framebuffer, card %s has %" PRIu64 " MiB%s",
			     fb / MIB, c->bdf, (c->fb_size - fb_res) / MIB,
			     fb_res ? " not held by debugfs-provisioned VFs" : "");
		else if (w + w_res > c->weight_total)
			cerr(x, ENOSPC, vs->path,
			     "does not fit: the vGPUs up to here need engine weight %u, card %s has %u",
			     w, c->bdf, c->weight_total - w_res);
		else if (cod + cod_res > c->codec_total)
			cerr(x, ENOSPC, vs->path,
			     "does not fit: the vGPUs up to here need %u codec sessions, card %s has %u",
			     cod, c->bdf, c->codec_total - cod_res);
	}
}

static void check_uuids(struct apply_ctx *x)
{
	int a, i, b, j;

	for (a = 0; a < x->ncards; a++)
		for (i = 0; i < x->cards[a].nv; i++) {
			struct vgpu_spec *vs = &x->cards[a].v[i];
			struct card *oc = NULL;
			struct vf *ov;
			bool dup = false;

			if (!uuid_valid(vs->uuid))
				continue;
			for (b = 0; b <= a && !dup; b++)
				for (j = 0; j < (b == a ? i : x->cards[b].nv); j++)
					if (!strcmp(x->cards[b].v[j].uuid, vs->uuid)) {
						char p[96];

						snprintf(p, sizeof(p), "%s.uuid", vs->path);
						cerr(x, EINVAL, p, "UUID %s is also used by %s",
						     vs->uuid, x->cards[b].v[j].path);
						dup = true;
						break;
					}
			ov = find_vgpu(&x->fleet, vs->uuid, &oc);
			if (ov) {
				bool managed = false;

				for (b = 0; b < x->ncards; b++)
					if (x->cards[b].c == oc)
						managed = true;
				if (!managed) {
					char p[96];

					snprintf(p, sizeof(p), "%s.uuid", vs->path);
					cerr(x, EEXIST, p, "UUID %s is in use by a vGPU on card %s, which this file does not manage",
					     vs->uuid, oc->bdf);
				}
			} else if (sysfs_exists(sp("/sys/bus/mdev/devices/%s", vs->uuid))) {
				char p[96];

				snprintf(p, sizeof(p), "%s.uuid", vs->path);
				cerr(x, EEXIST, p, "UUID %s is in use by an mdev device of another parent",
				     vs->uuid);
			}
		}
}

/* ---- plan ----------------------------------------------------------- */

static struct action *add(struct apply_ctx *x, enum act_type t, struct card_spec *cs)
{
	struct action *a = &x->act[x->nact++];

	memset(a, 0, sizeof(*a));
	a->t = t;
	a->cs = cs;
	return a;
}

static int fb_desc(const void *a, const void *b)
{
	const struct vgpu_spec *x = *(struct vgpu_spec * const *)a;
	const struct vgpu_spec *y = *(struct vgpu_spec * const *)b;

	if ((x->vf >= 0) != (y->vf >= 0))
		return x->vf >= 0 ? -1 : 1;
	return x->p->fb < y->p->fb ? 1 : x->p->fb > y->p->fb ? -1 : 0;
}

static void plan_card(struct apply_ctx *x, struct card_spec *cs)
{
	struct card *c = cs->c;
	struct vgpu_spec *order[MAX_VFS];
	struct action *a;
	bool auto_vfs = false, taken[MAX_VFS] = { false };
	int i, j, n = 0, next = 0;

	/* which declared vGPUs exist as declared */
	for (i = 0; i < cs->nv; i++) {
		struct vgpu_spec *vs = &cs->v[i];

		for (j = 0; j < c->nvfs; j++) {
			const struct vf *v = &c->vfs[j];

			if (strcmp(v->uuid, vs->uuid))
				continue;
			vs->keep = !strcmp(v->mdev_type, vs->profile) &&
				   (vs->vf < 0 || vs->vf == v->index);
		}
	}
	for (j = 0; j < c->nvfs; j++)
		if (!strcmp(c->vfs[j].owner, "auto"))
			auto_vfs = true;
	cs->reenable = (unsigned int)cs->num_vfs != c->numvfs ||
		       (auto_vfs && cs->nv > 0);
	if (cs->reenable)
		for (i = 0; i < cs->nv; i++)
			cs->v[i].keep = false;
	/* vGPUs that go: undeclared, changed, or all when the VFs change */
	for (j = 0; j < c->nvfs; j++) {
		const struct vf *v = &c->vfs[j];

		if (!v->uuid[0] || (!cs->reenable && declared_on(cs, v)))
			continue;
		if (cs->external) {
			if (cs->reenable)
				cerr(x, EBUSY, cs->path, "num_vfs %d would remove vGPU %s on VF %s, which this file does not manage (no \"vgpus\")",
				     cs->num_vfs, v->uuid, v->bdf);
			continue;
		}
		if (mdevctl_uuid_def(v->uuid, NULL, 0)) {
			if (cs->reenable)
				cerr(x, EBUSY, cs->path, "num_vfs %d would remove vGPU %s on VF %s, which mdevctl defines: stop it first ('mdevctl stop -u %s')",
				     cs->num_vfs, v->uuid, v->bdf, v->uuid);
			else
				note("%s: vGPU %s on VF %d %s is defined by mdevctl: left to it",
				     c->bdf, v->uuid, v->index, v->bdf);
			continue;
		}
		if (v->open == 1) {
			char p[96];

			snprintf(p, sizeof(p), "%s", cs->path);
			cerr(x, EBUSY, p, "vGPU %s on VF %s would have to be removed but a VM has it open",
			     v->uuid, v->bdf);
		}
		a = add(x, A_DESTROY, cs);
		snprintf(a->uuid, sizeof(a->uuid), "%s", v->uuid);
		snprintf(a->old, sizeof(a->old), "%s", v->mdev_type);
		a->old_vf = v->index;
		snprintf(a->what, sizeof(a->what), "%s: destroy vGPU %s (%s) on VF %d %s",
			 c->bdf, v->uuid, v->mdev_type, v->index, v->bdf);
	}
	if (cs->nv && strcmp(c->auto_provision, "none")) {
		a = add(x, A_AUTOPROV, cs);
		snprintf(a->what, sizeof(a->what), "%s: set auto_provision %s -> none",
			 c->bdf, c->auto_provision);
		snprintf(a->old, sizeof(a->old), "%s", c->auto_provision);
	}
	if (cs->reenable) {
		a = add(x, A_ENABLE, cs);
		snprintf(a->what, sizeof(a->what), "%s: set sriov_numvfs %u -> %s%d",
			 c->bdf, c->numvfs,
			 c->numvfs && (unsigned int)cs->num_vfs == c->numvfs ? "0 -> " : "",
			 cs->num_vfs);
		a->old_n = c->numvfs;
		snprintf(a->old_autoprov, sizeof(a->old_autoprov), "%s", c->auto_provision);
	}
	if (cs->policy[0] && strcmp(cs->policy, c->sched_policy)) {
		a = add(x, A_POLICY, cs);
		snprintf(a->what, sizeof(a->what), "%s: set sched_policy %s -> %s",
			 c->bdf, c->sched_policy, cs->policy);
		snprintf(a->old, sizeof(a->old), "%s", c->sched_policy);
	}
	if (cs->timeslice && (unsigned int)cs->timeslice != c->timeslice_us) {
		a = add(x, A_SLICE, cs);
		snprintf(a->what, sizeof(a->what), "%s: set timeslice_us %u -> %d",
			 c->bdf, c->timeslice_us, cs->timeslice);
		a->old_n = c->timeslice_us;
	}
	/* creations: pinned first, then large framebuffers first */
	for (i = 0; i < cs->nv; i++) {
		if (!cs->v[i].p) {
			/* checked before: a vGPU must never be dropped silently */
			cerr(x, EIO, cs->v[i].path, "internal error: no profile to create");
			return;
		}
		if (cs->v[i].keep)
			for (j = 0; j < c->nvfs; j++)
				if (!strcmp(c->vfs[j].uuid, cs->v[i].uuid))
					taken[c->vfs[j].index] = true;
		if (!cs->v[i].keep)
			order[n++] = &cs->v[i];
		if (cs->v[i].vf >= 0)
			taken[cs->v[i].vf] = true;
	}
	qsort(order, n, sizeof(order[0]), fb_desc);
	for (i = 0; i < n; i++) {
		int vf = order[i]->vf;

		a = add(x, A_CREATE, cs);
		a->vs = order[i];
		if (vf < 0) {
			while (next < cs->num_vfs && (taken[next] || mdevctl_vf_reserved(c->bdf, next, NULL, 0)))
				next++;
			vf = next < cs->num_vfs ? next : -1;
			if (vf >= 0)
				taken[vf] = true;
		}
		snprintf(a->what, sizeof(a->what), "%s: create vGPU %s (%s) on VF %d%s",
			 c->bdf, order[i]->uuid, order[i]->profile, vf,
			 order[i]->vf >= 0 ? " (pinned)" : "");
	}
}

/* ---- execution ------------------------------------------------------ */

static struct vf *vf_by_index(struct card *c, int index)
{
	int i;

	for (i = 0; i < c->nvfs; i++)
		if (c->vfs[i].index == index)
			return &c->vfs[i];
	return NULL;
}

/* card_load that names an unbound PF */
static int reload(struct card *c)
{
	int ret = card_load(c);

	if (ret == -ENODEV && !c->bound)
		return card_unbound(c);
	return ret;
}

/* sriov_numvfs to n, through 0 */
static int set_numvfs(struct card *c, unsigned int n)
{
	int ret = reload(c);

	if (!ret && c->numvfs && c->numvfs != n) {
		ret = sysfs_write(sp("/sys/bus/pci/devices/%s/sriov_numvfs", c->bdf), "0");
		if (ret)
			return fail(-ret, c->bdf, "writing 0 to sriov_numvfs failed: %s",
				    strerror(-ret));
		c->numvfs = 0;
	}
	if (!ret && n && c->numvfs != n) {
		bool q = quiet;

		quiet = true;
		ret = op_enable(c, n);
		quiet = q;
	}
	return ret;
}

/*
 * The card whose in-memory state create_on() has kept up to date since its
 * last reload: its own creates are written into the VF records, so a run
 * of creates reads the card's sysfs once, not once per vGPU (32 creates
 * re-read 32 VFs each: the apply of 32 vGPUs took 5.5 times the apply of
 * 8). Any other action may change the card behind it and forgets it.
 */
static struct card *fresh_card;

/* a vGPU of profile with uuid on the VF with this index (-1: any free VF) */
static int create_on(struct card *c, int index, const char *profile, const char *uuid,
		     const char *path)
{
	struct vf *v;
	int ret = fresh_card == c ? 0 : reload(c);

	fresh_card = NULL;
	if (ret)
		return ret;
	if (index >= 0) {
		v = vf_by_index(c, index);
		if (!v)
			return fail(ENODEV, c->bdf, "VF %d is not enabled", index);
	} else {
		v = card_pick_vf(c, profile);
		if (!v)
			return fail(ENOSPC, path, "no free VF on card %s for %s", c->bdf, uuid);
	}
	ret = op_bind_vf(v->bdf);
	if (ret)
		return ret;
	ret = op_create(v->bdf, profile, uuid);
	if (ret)
		return ret;
	/* what the next create must know: this VF is taken */
	snprintf(v->uuid, sizeof(v->uuid), "%s", uuid);
	snprintf(v->mdev_type, sizeof(v->mdev_type), "%s", profile);
	snprintf(v->prov_profile, sizeof(v->prov_profile), "%s", profile);
	snprintf(v->driver, sizeof(v->driver), "%s", VF_DRIVER);
	fresh_card = c;
	return 0;
}

static int run(struct action *a)
{
	struct card *c = a->cs->c;
	char val[16];

	if (a->t != A_CREATE)
		fresh_card = NULL;
	switch (a->t) {
	case A_DESTROY:
		return op_destroy(a->uuid);
	case A_AUTOPROV:
		return op_set_attr(c, "auto_provision", "none");
	case A_ENABLE:
		if (reload(c))
			return -ENODEV;
		/* the same count again re-enables: through 0 */
		if (c->numvfs == (unsigned int)a->cs->num_vfs && c->numvfs) {
			int ret = sysfs_write(sp("/sys/bus/pci/devices/%s/sriov_numvfs", c->bdf), "0");

			if (ret)
				return fail(-ret, c->bdf, "writing 0 to sriov_numvfs failed: %s",
					    strerror(-ret));
		}
		return set_numvfs(c, (unsigned int)a->cs->num_vfs);
	case A_POLICY:
		return op_set_attr(c, "sched_policy", a->cs->policy);
	case A_SLICE:
		snprintf(val, sizeof(val), "%d", a->cs->timeslice);
		return op_set_attr(c, "timeslice_us", val);
	case A_CREATE:
		return create_on(c, a->vs->vf, a->vs->profile, a->vs->uuid, a->vs->path);
	}
	return -EINVAL;
}

/*
 * Undo one step (also the one that failed, which may be half done): each
 * undo looks at the state first and returns 1 where nothing changed.
 */
static int undo(struct action *a, char *what, size_t len)
{
	struct card *c = a->cs->c;
	char val[16];
	int ret;

	fresh_card = NULL;

	switch (a->t) {
	case A_DESTROY:
		snprintf(what, len, "%s: re-create vGPU %s (%s) on VF %d", c->bdf, a->uuid,
			 a->old, a->old_vf);
		if (sysfs_exists(sp("/sys/bus/mdev/devices/%s", a->uuid)))
			return 1;
		return create_on(c, a->old_vf, a->old, a->uuid, a->uuid);
	case A_AUTOPROV:
		snprintf(what, len, "%s: set auto_provision back to %s", c->bdf, a->old);
		ret = reload(c);
		if (ret || !strcmp(c->auto_provision, a->old))
			return ret ? ret : 1;
		return op_set_attr(c, "auto_provision", a->old);
	case A_ENABLE:
		snprintf(what, len, "%s: set sriov_numvfs back to %u", c->bdf, a->old_n);
		ret = reload(c);
		if (ret)
			return ret;
		/*
		 * VFs come back as auto_provision was when they were enabled:
		 * with it restored, the same count is enabled again, through 0
		 */
		if (strcmp(c->auto_provision, a->old_autoprov)) {
			ret = op_set_attr(c, "auto_provision", a->old_autoprov);
			if (!ret && c->numvfs && c->numvfs == a->old_n)
				ret = set_numvfs(c, 0);
			if (ret)
				return ret;
		} else if (c->numvfs == a->old_n) {
			return 1;
		}
		return set_numvfs(c, a->old_n);
	case A_POLICY:
		snprintf(what, len, "%s: set sched_policy back to %s", c->bdf, a->old);
		ret = reload(c);
		if (ret || !strcmp(c->sched_policy, a->old))
			return ret ? ret : 1;
		return op_set_attr(c, "sched_policy", a->old);
	case A_SLICE:
		snprintf(what, len, "%s: set timeslice_us back to %u", c->bdf, a->old_n);
		ret = reload(c);
		if (ret || c->timeslice_us == a->old_n)
			return ret ? ret : 1;
		snprintf(val, sizeof(val), "%u", a->old_n);
		return op_set_attr(c, "timeslice_us", val);
	case A_CREATE:
		snprintf(what, len, "%s: destroy vGPU %s again", c->bdf, a->vs->uuid);
		if (!sysfs_exists(sp("/sys/bus/mdev/devices/%s", a->vs->uuid)))
			return 1;
		return op_destroy(a->vs->uuid);
	}
	return -EINVAL;
}

int cmd_apply(const char *file, bool dry_run)
{
	static struct apply_ctx x;
	struct action *done[sizeof(x.act) / sizeof(x.act[0])];
	json_object *root;
	int i, ret, ndone = 0, nundo_failed = 0, pass;
	struct action *failed = NULL;

	fresh_card = NULL;

	jmap_free(&x.map);
	memset(&x, 0, sizeof(x));
	x.file = file;
	ret = fleet_scan(&x.fleet);
	if (ret)
		return ret;
	for (i = 0; i < x.fleet.n; i++)
		card_load(&x.fleet.c[i]);	/* an unbound PF: c->bound false */
	root = parse(&x);
	if (!root)
		return -x.first_err;
	parse_root(&x, root);
	json_object_put(root);
	for (i = 0; i < x.ncards; i++)
		check_card(&x, &x.cards[i]);
	check_uuids(&x);
	if (!x.nerr)
		for (i = 0; i < x.ncards; i++)
			plan_card(&x, &x.cards[i]);
	if (x.nerr) {
		errline("%s: rejected (%d error%s), nothing changed", file, x.nerr,
			x.nerr > 1 ? "s" : "");
		return -x.first_err;
	}
	if (!x.nact) {
		printf("%s: nothing to do, the cards are as declared\n", file);
		return 0;
	}
	/* destroys on every card first: a UUID may move between cards */
	for (pass = 0; pass < 2 && !failed; pass++)
		for (i = 0; i < x.nact && !failed; i++) {
			struct action *a = &x.act[i];

			if ((a->t == A_DESTROY) != (pass == 0))
				continue;
			printf("%s%s\n", dry_run ? "plan: " : "", a->what);
			fflush(stdout);
			if (dry_run)
				continue;
			ret = run(a);
			done[ndone++] = a;
			if (ret)
				failed = a;
		}
	if (dry_run) {
		printf("%s: %d change%s planned, none made (--dry-run)\n", file, x.nact,
		       x.nact > 1 ? "s" : "");
		return 0;
	}
	if (!failed)
		return 0;
	/* undo in reverse order, the failed step first */
	errline("%s: step %d of %d failed: %s; undoing the %d step%s done", file, ndone,
		x.nact, failed->what, ndone, ndone > 1 ? "s" : "");
	while (ndone--) {
		char what[400];
		int r = undo(done[ndone], what, sizeof(what));

		if (r < 0) {
			nundo_failed++;
			errline("%s: undo failed: %s", file, what);
		} else if (!r) {
			printf("undo: %s\n", what);
			fflush(stdout);
		}
	}
	if (nundo_failed)
		errline("%s: apply failed at \"%s\" and %d undo step%s failed: the cards are in between (sriov_cfg status shows them)",
			file, failed->what, nundo_failed, nundo_failed > 1 ? "s" : "");
	else
		errline("%s: apply failed at \"%s\": %s; every step undone, the cards are as before",
			file, failed->what, strerror(ret < 0 ? -ret : ret));
	return ret;
}

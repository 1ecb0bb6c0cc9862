// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_cfg: the VF table of "status -o COLUMNS" and "status --raw",
 * through libsmartcols (the table library of lsblk and findmnt): column
 * selection, alignment, and raw output with its escaping of blanks.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libsmartcols.h>

#include "sriov_cfg.h"

#define MIB ((uint64_t)1024 * 1024)

struct vf_col {
	const char *name;
	const char *help;
	int flags;		/* SCOLS_FL_* */
};

/* every column a row can show; the default set is the plain table's */
static const struct vf_col vf_cols[] = {
	{ "PF", "address of the card's PF", 0 },
	{ "VF", "VF index", SCOLS_FL_RIGHT },
	{ "ADDRESS", "PCI address of the VF", 0 },
	{ "DRIVER", "driver bound to the VF, - when none", 0 },
	{ "PROFILE", "profile provisioned, - when none", 0 },
	{ "OWNER", "who provisioned it: mdev, auto, debugfs, -", 0 },
	{ "UUID", "the vGPU on the VF, - when none", 0 },
	{ "VFIO", "ready, open, unbound, other driver", 0 },
	{ "FB_MIB", "framebuffer provisioned, MiB", SCOLS_FL_RIGHT },
	{ "WEIGHT", "engine weight provisioned", SCOLS_FL_RIGHT },
	{ "BUSY%", "engine busy, last sample interval", SCOLS_FL_RIGHT },
	{ "JOBS", "jobs completed", SCOLS_FL_RIGHT },
	{ "FAULTS", "engine faults", SCOLS_FL_RIGHT },
};

#define NCOLS ((int)(sizeof(vf_cols) / sizeof(vf_cols[0])))
static const char default_cols[] = "PF,VF,ADDRESS,PROFILE,UUID,VFIO,FB_MIB,BUSY%";

const char *vf_columns_help(void)
{
	static char b[1024];
	int i;

	if (!b[0])
		for (i = 0; i < NCOLS; i++)
			snprintf(b + strlen(b), sizeof(b) - strlen(b), "%s%s",
				 i ? "," : "", vf_cols[i].name);
	return b;
}

/*
 * cols: comma-separated names (case does not matter), NULL for the
 * default set; sets idx[] and returns their number, or -EINVAL with a
 * message naming the column.
 */
int vf_columns_parse(const char *cols, int *idx, int max)
{
	char buf[512], *tok, *save = NULL;
	int n = 0, i;

	snprintf(buf, sizeof(buf), "%s", cols ? cols : default_cols);
	if (cols && (!cols[0] || strlen(cols) >= sizeof(buf)))
		return fail(EINVAL, "-o", "'%s' is not a list of columns (want some of %s)",
			    cols, vf_columns_help());
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NCOLS; i++)
			if (!strcasecmp(tok, vf_cols[i].name))
				break;
		if (i == NCOLS)
			return fail(EINVAL, "-o", "unknown column '%s' (want some of %s)",
				    tok, vf_columns_help());
		if (n == max)
			return fail(EINVAL, "-o", "more than %d columns", max);
		idx[n++] = i;
	}
	if (!n)
		return fail(EINVAL, "-o", "no column given (want some of %s)",
			    vf_columns_help());
	return n;
}

static void cell(const struct card *c, const struct vf *v, int col, char *b, size_t len)
{
	switch (col) {
	case 0: snprintf(b, len, "%s", c->bdf); break;
	case 1: snprintf(b, len, "%d", v->index); break;
	case 2: snprintf(b, len, "%s", v->bdf); break;
	case 3: snprintf(b, len, "%s", v->driver[0] ? v->driver : "-"); break;
	case 4: snprintf(b, len, "%s", vf_profile(v)[0] ? vf_profile(v) : "-"); break;
	case 5: snprintf(b, len, "%s", v->owner[0] ? v->owner : "-"); break;
	case 6: snprintf(b, len, "%s", v->uuid[0] ? v->uuid : "-"); break;
	case 7: snprintf(b, len, "%s", vfio_state(v)); break;
	case 8: snprintf(b, len, "%" PRIu64, v->fb_size / MIB); break;
	case 9: snprintf(b, len, "%u", v->weight); break;
	case 10: snprintf(b, len, "%u", v->busy); break;
	case 11: snprintf(b, len, "%" PRIu64, v->jobs); break;
	case 12: snprintf(b, len, "%" PRIu64, v->faults); break;
	default: b[0] = 0;
	}
}

/* one row per VF of every bound card, the columns idx[0..n-1] */
int vf_table_print(const struct fleet *f, const int *idx, int n, bool raw)
{
	struct libscols_table *tb = scols_new_table();
	int i, j, k, ret = 0;

	if (!tb)
		return fail(ENOMEM, "status", "cannot make the table");
	scols_table_enable_raw(tb, raw);
	for (k = 0; k < n && !ret; k++)
		if (!scols_table_new_column(tb, vf_cols[idx[k]].name, 0,
					    vf_cols[idx[k]].flags))
			ret = fail(ENOMEM, "status", "cannot make the table");
	for (i = 0; i < f->n && !ret; i++) {
		const struct card *c = &f->c[i];

		for (j = 0; j < c->nvfs && !ret; j++) {
			struct libscols_line *ln = scols_table_new_line(tb, NULL);

			if (!ln) {
				ret = fail(ENOMEM, "status", "cannot make the table");
				break;
			}
			for (k = 0; k < n; k++) {
				char b[128];

				cell(c, &c->vfs[j], idx[k], b, sizeof(b));
				if (scols_line_set_data(ln, k, b)) {
					ret = fail(ENOMEM, "status", "cannot make the table");
					break;
				}
			}
		}
	}
	if (!ret && scols_print_table(tb))
		ret = fail(EIO, "status", "writing the table failed");
	scols_unref_table(tb);
	return ret;
}

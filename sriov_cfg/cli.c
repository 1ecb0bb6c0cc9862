// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_cfg command line. Exit status: 0 on success, else the errno value
 * of the first failure (EINVAL bad command line or file, ENOENT no such vGPU
 * or file, EPERM not a jmgpu vGPU, ENODEV no card / driver not loaded,
 * ENOSPC does not fit, EBUSY in use, EEXIST UUID in use, EIO unexpected
 * sysfs state, EPROTO unreadable driver table); see sriov_cfg(8). The
 * read-only commands exit 0 whatever state they show.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sriov_cfg.h"

static const char usage[] =
"usage: sriov_cfg [--sysfs-root DIR] [-q] COMMAND [ARGS]\n"
"       sriov_cfg --help | --version\n"
"  status [--json | -o COLUMNS | --raw] cards, capacity, one row per VF\n"
"  profiles [--pf PF] [--json]          profile table and what still fits\n"
"  enable PF N | disable PF             set the number of VFs\n"
"  create --profile P [--pf PF] [--uuid U]\n"
"                                       make a vGPU on a free VF\n"
"  destroy UUID                         remove a jmgpu vGPU\n"
"  apply FILE [--dry-run]               bring cards to the declared state\n"
"  stats [--json | --prometheus]        per-VF statistics\n"
"  top [-n ITERATIONS] [-d SECONDS]     refreshing per-vGPU load\n";

static int bad_usage(const char *what)
{
	fprintf(stderr, "sriov_cfg: %s\n%s", what, usage);
	return EINVAL;
}

static int parse_uint(const char *s, unsigned int *v)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || end == s || *end || n > 1000000 || s[0] == '-')
		return -EINVAL;
	*v = (unsigned int)n;
	return 0;
}

static int cmd_enable(const char *pf, const char *nstr, bool disable)
{
	static struct fleet f;
	struct card *c;
	unsigned int n = 0;
	int ret;

	if (!disable && parse_uint(nstr, &n))
		return fail(EINVAL, nstr, "not a number of VFs");
	ret = fleet_scan(&f);
	if (ret)
		return ret;
	c = fleet_find(&f, pf);
	if (!c)
		return -errno;
	ret = card_load(c);
	if (ret == -ENODEV && !c->bound)
		return card_unbound(c);
	if (ret)
		return ret;
	return disable ? op_disable(c) : op_enable(c, n);
}

static int cmd_create(const char *profile, const char *pf, const char *uuid_in)
{
	static struct fleet f;
	char uuid[UUID_LEN];
	struct vf *v = NULL;
	struct card *c = NULL;
	int i, ret, nbound = 0;
	const char *why = NULL;
	static char whybuf[160];

	if (uuid_in) {
		if (!uuid_valid(uuid_in))
			return fail(EINVAL, uuid_in, "not a UUID (want xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
		snprintf(uuid, sizeof(uuid), "%s", uuid_in);
		uuid_lower(uuid);
	} else {
		uuid_new(uuid);
	}
	ret = fleet_scan(&f);
	if (ret)
		return ret;
	if (pf) {
		c = fleet_find(&f, pf);
		if (!c)
			return -errno;
		f.c[0] = *c;
		f.n = 1;
	}
	if (!f.n)
		return fail(ENODEV, "create", "no jmgpu cards");
	if (sysfs_exists(sp("/sys/bus/mdev/devices/%s", uuid)))
		return fail(EEXIST, uuid, "this UUID is already in use by an mdev");
	for (i = 0; i < f.n && !v; i++) {
		const struct profile *p;

		c = &f.c[i];
		ret = card_load(c);
		if (ret == -ENODEV && !c->bound && pf)
			return card_unbound(c);
		if (ret) {
			if (pf)
				return ret;
			continue;
		}
		nbound++;
		p = card_profile(c, profile);
		if (!p) {
			why = "unknown profile";
			continue;
		}
		if (!strcmp(p->state, "unsupported")) {
			why = "profile not supported by the card";
			continue;
		}
		if (p->fits_now < 1) {
			int j, nauto = 0;

			for (j = 0; j < c->nvfs; j++)
				nauto += !strcmp(c->vfs[j].owner, "auto") && !c->vfs[j].uuid[0];
			why = !c->nvfs ? "no VFs enabled (sriov_cfg enable PF N)" :
			      nauto ? "the free VFs are auto-provisioned (auto_provision is not none: write none to jmgpu/auto_provision and re-enable the VFs)" :
				      "no free VF on the card";
			if (p->fb > c->fb_largest_free)
				snprintf(whybuf, sizeof(whybuf),
					 "needs %llu MiB of framebuffer, the largest free slice is %llu MiB",
					 (unsigned long long)(p->fb >> 20),
					 (unsigned long long)(c->fb_largest_free >> 20));
			else if (p->weight > c->weight_free)
				snprintf(whybuf, sizeof(whybuf),
					 "needs engine weight %u, %u of %u free", p->weight,
					 c->weight_free, c->weight_total);
			else if (p->codec > c->codec_free)
				snprintf(whybuf, sizeof(whybuf),
					 "needs %u codec sessions, %u of %u free", p->codec,
					 c->codec_free, c->codec_total);
			else
				continue;
			why = whybuf;
			continue;
		}
		v = card_pick_vf(c, profile);
		if (!v)
			why = "no free VF bound to " VF_DRIVER " or unbound";
	}
	if (!v) {
		char obj[160];

		snprintf(obj, sizeof(obj), "profile %s", profile);
		if (!nbound)
			return fail(ENODEV, obj, "no card with driver %s bound", PF_DRIVER);
		if (why && !strcmp(why, "unknown profile")) {
			char list[512] = "";

			for (i = 0; c && i < c->nprofiles; i++)
				snprintf(list + strlen(list), sizeof(list) - strlen(list),
					 " %s", c->profiles[i].name);
			return fail(EINVAL, obj, "unknown profile (known:%s)", list);
		}
		if (why && !strcmp(why, "profile not supported by the card"))
			return fail(EINVAL, obj, "%s%s%s", why, pf ? " " : "", pf ? c->bdf : "");
		return fail(ENOSPC, obj, "does not fit: %s%s%s", why ? why : "no card",
			    pf ? " on " : "", pf ? c->bdf : "");
	}
	ret = op_bind_vf(v->bdf);
	if (ret)
		return ret;
	ret = op_create(v->bdf, profile, uuid);
	if (ret)
		return ret;
	printf("%s %s\n", uuid, v->bdf);
	if (!quiet)
		fprintf(stderr, "vGPU %s (%s) on VF %s of card %s; QEMU: -device vfio-pci,host=%s\n",
			uuid, profile, v->bdf, c->bdf, v->bdf);
	return 0;
}

/* ---- command line --------------------------------------------------- */

enum {
	O_JSON = 1 << 0, O_PROM = 1 << 1, O_DRY = 1 << 2, O_PROFILE = 1 << 3,
	O_PF = 1 << 4, O_UUID = 1 << 5, O_N = 1 << 6, O_D = 1 << 7,
	O_OUT = 1 << 9, O_RAW = 1 << 10,
	O_GLOBAL = 1 << 8,		/* --sysfs-root, -q, --help, --version */
};

struct command {
	const char *name;
	int nargs;			/* exact number of arguments */
	unsigned int opts;		/* the options it takes */
	const char *want;		/* its arguments and options, for messages */
};

static const struct command commands[] = {
	{ "status", 0, O_JSON | O_OUT | O_RAW, "[--json | -o COLUMNS | --raw]" },
	{ "profiles", 0, O_PF | O_JSON, "[--pf PF] [--json]" },
	{ "enable", 2, 0, "PF N" },
	{ "disable", 1, 0, "PF" },
	{ "create", 0, O_PROFILE | O_PF | O_UUID, "--profile P [--pf PF] [--uuid U]" },
	{ "destroy", 1, 0, "UUID" },
	{ "apply", 1, O_DRY, "FILE [--dry-run]" },
	{ "stats", 0, O_JSON | O_PROM, "[--json | --prometheus]" },
	{ "top", 0, O_N | O_D, "[-n ITERATIONS] [-d SECONDS]" },
};

struct cli {
	const char *profile, *pf, *uuid, *root, *cols;
	unsigned int seen;		/* O_* given */
	int n;
	double d;
};

static const struct option opts[] = {
	{ "sysfs-root", required_argument, NULL, 'R' },
	{ "json", no_argument, NULL, 'j' },
	{ "prometheus", no_argument, NULL, 'P' },
	{ "dry-run", no_argument, NULL, 'D' },
	{ "profile", required_argument, NULL, 'p' },
	{ "pf", required_argument, NULL, 'f' },
	{ "uuid", required_argument, NULL, 'u' },
	{ "output", required_argument, NULL, 'o' },
	{ "raw", no_argument, NULL, 'r' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static unsigned int opt_bit(int c)
{
	switch (c) {
	case 'j': return O_JSON;
	case 'P': return O_PROM;
	case 'D': return O_DRY;
	case 'p': return O_PROFILE;
	case 'f': return O_PF;
	case 'u': return O_UUID;
	case 'o': return O_OUT;
	case 'r': return O_RAW;
	case 'n': return O_N;
	case 'd': return O_D;
	default: return O_GLOBAL;
	}
}

/*
 * getopt over argv from optind; stops at the first non-option ('+'). cmd is
 * NULL before the command: then only the global options are accepted.
 * Returns 0, -1 after --help or --version (exit 0), or an exit status.
 */
static int parse_opts(struct cli *o, int argc, char **argv, const struct command *cmd)
{
	const char *ctx = cmd ? cmd->name : NULL;
	char *end;
	int c, li = -1;

	while ((c = getopt_long(argc, argv, "+hqn:d:o:", opts, &li)) != -1) {
		unsigned int bit = opt_bit(c);
		char given[40];

		/* the option's name (argv[optind - 1] may be its value) */
		if (li >= 0)
			snprintf(given, sizeof(given), "--%s", opts[li].name);
		else if (c != '?')
			snprintf(given, sizeof(given), "-%c", c);
		else
			snprintf(given, sizeof(given), "%.39s", argv[optind - 1]);
		li = -1;
		if (c == '?') {
			fprintf(stderr, "sriov_cfg: %s%s%s: unknown option or missing value\n%s",
				ctx ? ctx : "", ctx ? ": " : "", given, usage);
			return EINVAL;
		}
		if (bit != O_GLOBAL && (!cmd || !(cmd->opts & bit))) {
			if (cmd)
				fprintf(stderr, "sriov_cfg: %s: %s: not an option of %s (usage: sriov_cfg %s %s)\n",
					ctx, given, ctx, ctx, cmd->want);
			else
				fprintf(stderr, "sriov_cfg: %s: an option of a command, give it after the command\n%s",
					given, usage);
			return EINVAL;
		}
		o->seen |= bit;
		switch (c) {
		case 'R': o->root = optarg; break;
		case 'p': o->profile = optarg; break;
		case 'f': o->pf = optarg; break;
		case 'u': o->uuid = optarg; break;
		case 'o': o->cols = optarg; break;
		case 'q': quiet = true; break;
		case 'n':
			errno = 0;
			o->n = (int)strtol(optarg, &end, 10);
			if (errno || *end || !*optarg || o->n < 0)
				return -fail(EINVAL, optarg, "-n wants a number of iterations");
			break;
		case 'd':
			o->d = strtod(optarg, &end);
			if (*end || !(o->d >= 0.05 && o->d <= 3600))
				return -fail(EINVAL, optarg, "-d wants seconds (0.05..3600)");
			break;
		case 'h':
			fputs(usage, stdout);
			return -1;
		case 'V':
			printf("sriov_cfg %s\n", SRIOV_CFG_VERSION);
			return -1;
		}
	}
	return 0;
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int sriov_cfg_main(int argc, char **argv)
{
	struct cli o = { .root = "/", .d = 1.0 };
	const char *args[2] = { NULL, NULL };
	const struct command *cmd;
	int ret, nargs = 0;

	optind = 1;
	opterr = 0;
	ret = parse_opts(&o, argc, argv, NULL);
	if (ret)
		return ret < 0 ? 0 : ret;
	if (optind >= argc)
		return bad_usage("no command");
	cmd = find_command(argv[optind]);
	if (!cmd) {
		fprintf(stderr, "sriov_cfg: %s: unknown command\n%s", argv[optind], usage);
		return EINVAL;
	}
	optind++;
	/* options and arguments may be mixed after the command */
	while (optind < argc) {
		ret = parse_opts(&o, argc, argv, cmd);
		if (ret)
			return ret < 0 ? 0 : ret;
		if (optind < argc) {
			if (nargs == cmd->nargs) {
				fprintf(stderr, "sriov_cfg: %s: %s: wrong arguments: too many (usage: sriov_cfg %s %s)\n",
					cmd->name, argv[optind], cmd->name, cmd->want);
				return EINVAL;
			}
			args[nargs++] = argv[optind++];
		}
	}
	if (nargs != cmd->nargs) {
		fprintf(stderr, "sriov_cfg: %s: wrong arguments: %s missing (usage: sriov_cfg %s %s)\n",
			cmd->name, cmd->want, cmd->name, cmd->want);
		return EINVAL;
	}
	if ((cmd->opts & O_PROFILE) && !o.profile) {
		fprintf(stderr, "sriov_cfg: %s: wrong arguments: --profile is required (usage: sriov_cfg %s %s)\n",
			cmd->name, cmd->name, cmd->want);
		return EINVAL;
	}
	if ((o.seen & O_JSON) && (o.seen & (O_OUT | O_RAW))) {
		fprintf(stderr, "sriov_cfg: %s: --json and -o/--raw exclude each other\n",
			cmd->name);
		return EINVAL;
	}
	if ((o.seen & O_JSON) && (o.seen & O_PROM)) {
		fprintf(stderr, "sriov_cfg: %s: --json and --prometheus exclude each other\n",
			cmd->name);
		return EINVAL;
	}
	snprintf(sysfs_root, sizeof(sysfs_root), "%s", strcmp(o.root, "/") ? o.root : "");
	if (!strcmp(cmd->name, "status")) {
		ret = cmd_status(o.seen & O_JSON, o.cols, o.seen & O_RAW);
	} else if (!strcmp(cmd->name, "profiles")) {
		ret = cmd_profiles(o.pf, o.seen & O_JSON);
	} else if (!strcmp(cmd->name, "enable")) {
		ret = cmd_enable(args[0], args[1], false);
	} else if (!strcmp(cmd->name, "disable")) {
		ret = cmd_enable(args[0], NULL, true);
	} else if (!strcmp(cmd->name, "create")) {
		ret = cmd_create(o.profile, o.pf, o.uuid);
	} else if (!strcmp(cmd->name, "destroy")) {
		char u[UUID_LEN + 1];

		snprintf(u, sizeof(u), "%s", args[0]);
		uuid_lower(u);
		ret = op_destroy(u);
		if (!ret)
			note("vGPU %s destroyed", u);
		if (!ret && mdevctl_uuid_def(u, NULL, 0))
			note("vGPU %s is defined by mdevctl: it comes back when its VF is bound again, unless 'mdevctl undefine -u %s'",
			     u, u);
	} else if (!strcmp(cmd->name, "apply")) {
		ret = cmd_apply(args[0], o.seen & O_DRY);
	} else if (!strcmp(cmd->name, "stats")) {
		ret = cmd_stats(o.seen & O_PROM ? 2 : o.seen & O_JSON ? 1 : 0);
	} else {
		ret = cmd_top(o.n, o.d);
	}
	return ret < 0 ? -ret : ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test of sriov_cfg against the fake sysfs tree of fake_sysfs.h
 * (--sysfs-root): one jmgpu card as jmgpu_pf and jmgpu_vfio_pci show it,
 * and the fake kernel that plays the drivers' part for writes. Every
 * command runs in a forked child (as the tool would), its exit status and
 * output are checked: the CLI, status and enable, filling the card with
 * vGPUs, stats (a Prometheus exposition format checker), apply and its
 * errors. TAP output.
 */
#include <json-c/json.h>

#include "fake_sysfs.h"

/* the checks this program makes (one fake_ok() or tap_*() each) */
#define NTESTS 101

/* ---- the tree as a text ----------------------------------------------- */

/* everything under <root>/sys: names, link targets and contents */
static char *snapshot(void)
{
	char cmd[1200], *buf = malloc(1 << 20);
	FILE *f;
	size_t n;

	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && find sys | sort | while read -r p; do echo \"$p\"; "
		 "if [ -L \"$p\" ]; then readlink \"$p\"; elif [ -f \"$p\" ]; then cat \"$p\"; fi; done",
		 root);
	f = popen(cmd, "r");
	n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = 0;
	pclose(f);
	return buf;
}

/* ---- Prometheus text exposition format checker ------------------------ */

static bool name_ok(const char *s, size_t n, bool metric)
{
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];
		bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
			     (metric && c == ':');

		if (!alpha && !(i && c >= '0' && c <= '9'))
			return false;
	}
	return true;
}

/* returns NULL when valid, else the reason */
static const char *prom_check(const char *text, int *lineno)
{
	static char why[256];
	char fam[64][96], typed[96] = "", series[512][300];
	int nfam = 0, nser = 0, i;
	const char *l = text;

	*lineno = 0;
	while (*l) {
		const char *e = strchr(l, '\n'), *s;
		char line[1024], name[96];
		size_t len;

		if (!e)
			return "last line does not end with a newline";
		len = (size_t)(e - l);
		snprintf(line, sizeof(line), "%.*s", (int)len, l);
		l = e + 1;
		(*lineno)++;
		if (!strncmp(line, "# HELP ", 7) || !strncmp(line, "# TYPE ", 7)) {
			char kw[8], typ[32];

			if (sscanf(line, "# %7s %95s %31s", kw, name, typ) < 2 ||
			    !name_ok(name, strlen(name), true))
				return "bad metric name in HELP/TYPE";
			if (!strcmp(kw, "TYPE")) {
				if (strcmp(typ, "counter") && strcmp(typ, "gauge") &&
				    strcmp(typ, "histogram") && strcmp(typ, "summary") &&
				    strcmp(typ, "untyped"))
					return "unknown TYPE";
				for (i = 0; i < nfam; i++)
					if (!strcmp(fam[i], name))
						return "second TYPE line for a family";
				if (!strcmp(typ, "counter") &&
				    (strlen(name) < 6 || strcmp(name + strlen(name) - 6, "_total")))
					return "counter name does not end in _total";
				snprintf(fam[nfam++], 96, "%s", name);
				snprintf(typed, sizeof(typed), "%s", name);
			}
			continue;
		}
		if (line[0] == '#')
			continue;
		if (!line[0])
			return "empty line";
		/* sample: name{labels} value */
		for (s = line; *s && *s != '{' && *s != ' '; s++)
			;
		snprintf(name, sizeof(name), "%.*s", (int)(s - line), line);
		if (!name_ok(name, strlen(name), true))
			return "bad metric name";
		if (strcmp(name, typed))
			return "sample outside its family's block (TYPE missing or families interleaved)";
		if (*s == '{') {
			s++;
			while (*s != '}') {
				const char *ln = s;

				while (*s && *s != '=')
					s++;
				if (!name_ok(ln, (size_t)(s - ln), false) || s[1] != '"')
					return "bad label name";
				for (s += 2; *s && *s != '"'; s++)
					if (*s == '\\' && (s[1] == '\\' || s[1] == '"' || s[1] == 'n'))
						s++;
					else if (*s == '\\')
						return "bad escape in label value";
				if (*s != '"')
					return "unterminated label value";
				s++;
				if (*s == ',')
					s++;
				else if (*s != '}')
					return "expected , or } after a label";
			}
			s++;
		}
		if (*s != ' ')
			return "no space before the value";
		{
			char *end;

			strtod(s + 1, &end);
			if (end == s + 1 || (*end && *end != ' '))
				return "value is not a number";
		}
		snprintf(why, sizeof(why), "%.*s", (int)(s - line), line);
		for (i = 0; i < nser; i++)
			if (!strcmp(series[i], why))
				return "duplicate series";
		if (nser < 512)
			snprintf(series[nser++], 300, "%s", why);
	}
	return NULL;
}

/* ---- the tests -------------------------------------------------------- */

static void test_cli(void)
{
	fake_ok(fake_run("") == EINVAL && strstr(err, "no command"), "no command: EINVAL + usage");
	fake_ok(fake_run("frobnicate") == EINVAL && strstr(err, "frobnicate: unknown command"),
		"unknown command named: EINVAL");
	fake_ok(fake_run("status --bogus") == EINVAL && strstr(err, "--bogus"), "unknown option named: EINVAL");
	fake_ok(fake_run("top -n x") == EINVAL && strstr(err, "x: -n wants"), "top -n x: EINVAL");
	fake_ok(fake_run("enable " PF) == EINVAL && strstr(err, "enable: wrong arguments"),
		"enable without N: EINVAL");
	fake_ok(fake_run("create") == EINVAL, "create without --profile: EINVAL");
	fake_ok(fake_run("--sysfs-root /nonexistent status") == ENODEV && strstr(err, "no PCI bus"),
		"a sysfs root without a PCI bus: ENODEV naming it");
}

static void test_status_enable(void)
{
	json_object *j, *c, *v;

	setup_tree(false, false);
	fake_ok(fake_run("status") == 0 && strstr(out, "card " PF "  VFs 0/32") &&
		strstr(out, "FB 2048 MiB free of 2048 MiB"), "status of a card without VFs");
	fake_ok(fake_run("profiles") == 0 && count(out, "fb") >= NPROF &&
		strstr(out, "fb512m-w50") && strstr(out, "unsupported"),
		"profiles lists the driver's table with states");
	fake_ok(fake_run("profiles --json") == 0 && (j = json_tokener_parse(out)) &&
		json_object_array_length(json_object_object_get(
			json_object_array_get_idx(json_object_object_get(j, "cards"), 0),
			"profiles")) == NPROF, "profiles --json: %d profiles", NPROF);
	json_object_put(j);
	fake_ok(fake_run("enable 01:00.0 40") == EINVAL && strstr(err, PF ": 40 VFs requested"),
		"enable 40: EINVAL naming the card and sriov_totalvfs");
	fake_ok(fake_run("enable 01:00.0 x") == EINVAL && strstr(err, "x: not a number"),
		"enable x: EINVAL");
	fake_ok(fake_run("enable zz 2") == EINVAL && strstr(err, "zz: not a PCI address"),
		"enable on a bad address: EINVAL");
	fake_ok(fake_run("enable 05:00.0 2") == ENODEV && strstr(err, "0000:05:00.0: no jmgpu card"),
		"enable on an address without a card: ENODEV");
	fake_ok(fake_run("enable 01:00.0 8") == 0 && K->numvfs == 8, "enable 8 writes sriov_numvfs");
	fake_ok(fake_run("enable 01:00.0 8") == 0 && strstr(out, "already") && K->writes == 1,
		"enable 8 again writes nothing");
	fake_ok(fake_run("enable 01:00.0 4") == 0 && K->numvfs == 4, "enable 4 goes through 0");
	fake_ok(fake_run("status") == 0 && count(out, "unbound") == 4, "status: 4 unbound VFs");
	fake_ok(fake_run("status --json") == 0 && (j = json_tokener_parse(out)) &&
		(c = json_object_array_get_idx(json_object_object_get(j, "cards"), 0)) &&
		json_object_get_int(json_object_object_get(c, "vfs_enabled")) == 4 &&
		json_object_get_int(json_object_object_get(c, "vfs_total")) == 32 &&
		(v = json_object_object_get(c, "vfs")) && json_object_array_length(v) == 4,
		"status --json: 4 of 32 VFs, 4 rows");
	json_object_put(j);
	fake_ok(fake_run("disable " PF) == 0 && K->numvfs == 0, "disable");
	fake_ok(fake_run("create --profile fb64m-w3") == ENOSPC && strstr(err, "no VFs enabled"),
		"create without VFs: ENOSPC, says to enable VFs");
	fake_run("enable " PF " 8");
	fake_ok(fake_run("create --profile fb64m-w3") == ENODEV && strstr(err, "jmgpu_vfio_pci is not loaded"),
		"create without the VF driver: ENODEV naming it");
	K->pf_bound = false;
	unlink(P("/sys/bus/pci/devices/%s/driver", PF));
	fake_ok(fake_run("enable " PF " 2") == ENODEV && strstr(err, "jmgpu_pf is not bound"),
		"enable with jmgpu_pf unbound: ENODEV");
}

static void test_create_fill(void)
{
	static const char *mix[] = { "fb256m-w25", "fb256m-w25", "fb256m-w25",
				     "fb256m-w12", "fb256m-w12", "fb32m-w1-headless" };
	char uuids[8][40];
	json_object *j;
	int i, ok = 1, nu;

	setup_tree(true, false);
	fake_run("enable " PF " 8");
	for (i = 0; i < 6; i++) {
		int rc = fake_run("create --profile %s", mix[i]);

		if (rc || sscanf(out, "%36s", uuids[i]) != 1 || !strstr(out, "0000:02:00."))
			ok = 0;
	}
	fake_ok(ok, "6 vGPUs of 3 profiles created (weight 100 of 100), each prints UUID and VF");
	fake_ok(fake_run("create --profile fb64m-w3") == ENOSPC &&
		strstr(err, "profile fb64m-w3: does not fit: needs engine weight 3, 0 of 100 free"),
		"a 7th vGPU that exceeds the engine weight: ENOSPC naming the profile");
	fake_ok(fake_run("create --profile fb512m-w50") == EINVAL && strstr(err, "not supported"),
		"unsupported profile: EINVAL");
	fake_ok(fake_run("create --profile nope") == EINVAL && strstr(err, "profile nope: unknown profile"),
		"unknown profile: EINVAL, lists the known ones");
	fake_ok(fake_run("create --profile fb64m-w3 --uuid zz") == EINVAL && strstr(err, "zz: not a UUID"),
		"bad --uuid: EINVAL");
	fake_ok(fake_run("create --profile fb64m-w3 --uuid %s", uuids[0]) == EEXIST && strstr(err, uuids[0]),
		"--uuid already in use: EEXIST");
	fake_ok(fake_run("create --profile fb64m-w3 --pf 03:00.0") == ENODEV, "--pf without a card: ENODEV");
	fake_ok(fake_run("status") == 0 && count(out, "fb256m-w25") == 3 && count(out, "ready") == 6 &&
		strstr(out, uuids[5]) && strstr(out, "engine weight 0 free of 100"),
		"status: 6 vGPUs with profiles, UUIDs, vfio state, no weight left");
	nu = 0;
	if (!fake_run("status --json") && (j = json_tokener_parse(out))) {
		json_object *v = json_object_object_get(
			json_object_array_get_idx(json_object_object_get(j, "cards"), 0), "vfs");

		for (i = 0; i < (int)json_object_array_length(v); i++)
			if (json_object_get_string(json_object_object_get(
				    json_object_array_get_idx(v, i), "uuid")))
				nu++;
		json_object_put(j);
	}
	fake_ok(nu == 6, "status --json: 6 VFs with a UUID (%d)", nu);
	fake_ok(fake_run("profiles") == 0 && strstr(out, "fb64m-w3") && !strstr(out, "available"),
		"profiles: nothing fits any more");
	fake_ok(fake_run("disable " PF) == EBUSY && strstr(err, "vGPU") && K->numvfs == 8,
		"disable with vGPUs: EBUSY naming one");
	fake_ok(fake_run("enable " PF " 4") == EBUSY && K->numvfs == 8, "changing the VF count with vGPUs: EBUSY");
	fake_ok(fake_run("destroy %s", uuids[5]) == 0 && access(P("/sys/bus/mdev/devices/%s", uuids[5]), F_OK),
		"destroy removes the mdev");
	fake_ok(fake_run("destroy %s", uuids[5]) == ENOENT && strstr(err, uuids[5]), "destroy again: ENOENT");
	fake_ok(fake_run("destroy not-a-uuid") == EINVAL, "destroy of a non-UUID: EINVAL");
	for (i = 0; i < 8; i++)
		if (K->vf[i].prof >= 0 && !strcmp(K->vf[i].uuid, uuids[0]))
			K->vf[i].open = 1;
	regen();
	fake_ok(fake_run("status") == 0 && strstr(out, " open "), "status shows the open VF");
	fake_ok(fake_run("destroy %s", uuids[0]) == EBUSY && strstr(err, "open by a VM"),
		"destroy of an open vGPU: EBUSY");
	fake_ok(fake_run("create --profile fb32m-w1-headless --uuid %s", U(9)) == 0 &&
		strstr(out, U(9)), "create with --uuid after a destroy frees weight");
}

static void test_stats(void)
{
	const char *why;
	json_object *j;
	int line, rc;
	FILE *p;

	rc = fake_run("stats --prometheus");
	why = prom_check(out, &line);
	fake_ok(!rc && !why && strstr(out, "jmgpu_vf_engine_busy_ratio{pf=\"" PF "\""),
		"stats --prometheus is valid exposition format (%s at line %d)",
		why ? why : "ok", line);
	fake_ok(prom_check("# TYPE a counter\na 1\n", &line) != NULL,
		"the checker rejects a counter without _total");
	fake_ok(prom_check("# TYPE a gauge\na{x=\"1} 1\n", &line) != NULL,
		"the checker rejects an unterminated label");
	fake_ok(prom_check("# TYPE a gauge\n# TYPE b gauge\na 1\n", &line) != NULL,
		"the checker rejects interleaved families");
	fake_ok(prom_check("# TYPE a gauge\na 1\na 2\n", &line) != NULL,
		"the checker rejects duplicate series");
	/* the Prometheus project's own parser, when installed */
	if (system("/usr/bin/python3 -c 'import prometheus_client' 2>/dev/null") == 0) {
		char cmd[600];

		snprintf(cmd, sizeof(cmd),
			 "/usr/bin/python3 -c 'import sys; from prometheus_client.parser import text_string_to_metric_families as t; "
			 "print(sum(len(f.samples) for f in t(sys.stdin.read())))' < %s", outf);
		p = popen(cmd, "r");
		line = -1;
		if (!p || fscanf(p, "%d", &line) != 1)
			line = -1;
		if (p)
			pclose(p);
		/* 13 card series, 9 per VF of 8 VFs, one vgpu_info per vGPU (6) */
		fake_ok(line == 13 + 9 * 8 + 6, "prometheus_client parses the output: %d samples", line);
	} else {
		tap_skip("python3-prometheus-client not installed",
			 "prometheus_client parses the output");
	}
	fake_ok(fake_run("stats --json") == 0 && (j = json_tokener_parse(out)) &&
		json_object_array_length(json_object_object_get(
			json_object_array_get_idx(json_object_object_get(j, "cards"), 0), "vfs")) == 8,
		"stats --json: 8 VFs");
	json_object_put(j);
	fake_ok(fake_run("stats") == 0 && strstr(out, "DOORBELLS"), "stats: table");
	fake_ok(fake_run("stats --json --prometheus") == EINVAL, "stats --json --prometheus: EINVAL");
	fake_ok(fake_run("top -n 2 -d 0.1") == 0 && count(out, "sriov_cfg top - sample") == 2 &&
		strstr(out, "JOBS/s"), "top -n 2 -d 0.1: two samples");
}

#define GOODP(p1) \
	"{\n  \"version\": 1,\n  \"cards\": [\n    {\n      \"pf\": \"01:00.0\",\n" \
	"      \"num_vfs\": 6,\n      \"sched_policy\": \"fixed-share\",\n" \
	"      \"timeslice_us\": 2000,\n      \"vgpus\": [\n" \
	"        { \"uuid\": \"" U(1) "\", \"profile\": \"" p1 "\" },\n" \
	"        { \"uuid\": \"" U(2) "\", \"profile\": \"fb256m-w25\" },\n" \
	"        { \"uuid\": \"" U(3) "\", \"profile\": \"fb128m-w6\", \"vf\": 5 }\n" \
	"      ]\n    }\n  ]\n}\n"
#define GOOD GOODP("fb64m-w3")

static bool state_is_good(void)
{
	int i, n = 0;

	for (i = 0; i < K->numvfs; i++)
		if (K->vf[i].prof >= 0)
			n++;
	return K->numvfs == 6 && n == 3 && !strcmp(K->policy, "fixed-share") &&
	       K->slice == 2000 && K->vf[5].prof == 1 && !strcmp(K->vf[5].uuid, U(3)) &&
	       !access(P("/sys/bus/mdev/devices/%s", U(1)), F_OK) &&
	       !access(P("/sys/bus/mdev/devices/%s", U(2)), F_OK);
}

static void test_apply(void)
{
	char *before, *after;
	int w;

	setup_tree(true, false);
	cfg(GOOD);
	before = snapshot();
	fake_ok(fake_run("apply %s --dry-run", cfgf) == 0 && strstr(out, "plan: " PF ": set sriov_numvfs 0 -> 6") &&
		count(out, "plan: ") == 6 && strstr(out, "on VF 5 (pinned)") && K->writes == 0,
		"apply --dry-run prints the plan (6 steps) and writes nothing");
	after = snapshot();
	fake_ok(!strcmp(before, after), "--dry-run: the tree is unchanged");
	free(before);
	free(after);
	fake_ok(fake_run("apply %s", cfgf) == 0 && state_is_good(), "apply brings the card to the declared state");
	w = K->writes;
	before = snapshot();
	fake_ok(fake_run("apply %s", cfgf) == 0 && strstr(out, "nothing to do") && K->writes == w,
		"a second apply writes nothing");
	after = snapshot();
	fake_ok(!strcmp(before, after), "second apply: the tree is unchanged");
	free(before);
	free(after);
	fake_ok(fake_run("status") == 0 && count(out, "ready") == 3, "status after apply: 3 vGPUs");
	/* the profile of a declared vGPU changed, an undeclared vGPU appeared */
	fake_run("create --profile fb32m-w1-headless --uuid %s", U(8));
	cfg("%s", GOODP("fb128m-w6"));
	fake_ok(fake_run("apply %s --dry-run", cfgf) == 0 && strstr(out, "destroy vGPU " U(8)) &&
		strstr(out, "destroy vGPU " U(1)) && strstr(out, "create vGPU " U(1) " (fb128m-w6)") &&
		count(out, "plan: ") == 3, "plan: drop the undeclared vGPU, re-create the changed one");
	fake_ok(fake_run("apply %s", cfgf) == 0 && access(P("/sys/bus/mdev/devices/%s", U(8)), F_OK) &&
		fake_run("apply %s", cfgf) == 0 && strstr(out, "nothing to do"),
		"applied, then nothing to do");
	/* the drivers were reloaded: no VFs, no vGPUs */
	cfg(GOOD);
	fake_run("apply %s", cfgf);
	setup_tree(true, false);
	fake_ok(fake_run("apply %s", cfgf) == 0 && state_is_good(),
		"after a driver reload apply restores the vGPUs with the same UUIDs");
	/* an open vGPU that the file wants changed */
	K->vf[5].open = 1;
	regen();
	cfg("{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":4,\"vgpus\":[]}]}");
	before = snapshot();
	fake_ok(fake_run("apply %s", cfgf) == EBUSY && strstr(err, U(3)) && strstr(err, "has it open") &&
		strstr(err, "nothing changed"), "a plan that removes an open vGPU: EBUSY, names it");
	after = snapshot();
	fake_ok(!strcmp(before, after), "  ... and the tree is unchanged");
	free(before);
	free(after);
	K->vf[5].open = 0;
	regen();
}

struct bad {
	const char *desc, *text, *msg;
	int code;
};

static const struct bad bads[] = {
	{ "syntax error: line:column", "{\n  \"cards\": [\n    { \"pf\": 1,, }\n", ":3:", EINVAL },
	{ "truncated file", "{ \"cards\": [", "JSON syntax error", EINVAL },
	{ "trailing garbage", "{ \"cards\": [] } x", ":1:17:", EINVAL },
	{ "top level not an object", "[1]", "(top level): must be an object", EINVAL },
	{ "missing cards", "{}", "missing \"cards\"", EINVAL },
	{ "cards not an array", "{\"cards\":{}}", "cards: must be an array", EINVAL },
	{ "unknown top-level key", "{\"cards\":[],\"cardz\":1}", "cardz: unknown key", EINVAL },
	{ "unsupported version", "{\"version\":2,\"cards\":[]}", "version: version 2 is not supported", EINVAL },
	{ "card not an object", "{\"cards\":[1]}", "cards[0]: must be an object", EINVAL },
	{ "missing pf", "{\"cards\":[{\"num_vfs\":1}]}", "cards[0]: missing \"pf\"", EINVAL },
	{ "pf not an address", "{\"cards\":[{\"pf\":\"gpu0\",\"num_vfs\":1}]}", "cards[0].pf: 'gpu0' is not a PCI address", EINVAL },
	{ "pf without a card", "{\"cards\":[{\"pf\":\"07:00.0\",\"num_vfs\":1}]}", "cards[0].pf: no jmgpu card at 0000:07:00.0", ENODEV },
	{ "card twice", "{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":1},{\"pf\":\"01:00.0\",\"num_vfs\":1}]}", "cards[1].pf: card 0000:01:00.0 is also declared in cards[0]", EINVAL },
	{ "missing num_vfs", "{\"cards\":[{\"pf\":\"" PF "\"}]}", "cards[0]: missing \"num_vfs\"", EINVAL },
	{ "num_vfs a string", "{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":\"4\"}]}", "cards[0].num_vfs: must be an integer, not string", EINVAL },
	{ "num_vfs too large", "{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":33}]}", "cards[0].num_vfs: 33 is out of range 0..32", EINVAL },
	{ "unknown card key", "{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":1,\"numvfs\":2}]}", "cards[0].numvfs: unknown key", EINVAL },
	{ "bad policy", "{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":1,\"sched_policy\":\"fast\"}]}", "cards[0].sched_policy: 'fast' is not a policy", EINVAL },
	{ "bad timeslice", "{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":1,\"timeslice_us\":5}]}", "cards[0].timeslice_us: 5 is out of range 100..100000", EINVAL },
	{ "vgpus not an array", "{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":1,\"vgpus\":{}}]}", "cards[0].vgpus: must be an array", EINVAL },
	{ "vgpu not an object", "{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":1,\"vgpus\":[\"x\"]}]}", "cards[0].vgpus[0]: must be an object", EINVAL },
	{ "vgpu without uuid", "{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":1,\"vgpus\":[{\"profile\":\"fb64m-w3\"}]}]}", "cards[0].vgpus[0]: missing \"uuid\"", EINVAL },
	{ "vgpu bad uuid", "{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":1,\"vgpus\":[{\"uuid\":\"1234\",\"profile\":\"fb64m-w3\"}]}]}", "cards[0].vgpus[0].uuid: '1234' is not a UUID", EINVAL },
	{ "vgpu without profile", "{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":1,\"vgpus\":[{\"uuid\":\"" U(1) "\"}]}]}", "cards[0].vgpus[0]: missing \"profile\"", EINVAL },
	{ "unknown profile", "{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":1,\"vgpus\":[{\"uuid\":\"" U(1) "\",\"profile\":\"fb1g\"}]}]}", "cards[0].vgpus[0].profile: unknown profile 'fb1g' (card 0000:01:00.0 has: fb32m-w1-headless fb64m-w3 ", EINVAL },
	{ "unsupported profile", "{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":1,\"vgpus\":[{\"uuid\":\"" U(1) "\",\"profile\":\"fb512m-w50\"}]}]}", "cards[0].vgpus[0].profile: profile 'fb512m-w50' is not supported", EINVAL },
	{ "unknown vgpu key", "{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":1,\"vgpus\":[{\"uuid\":\"" U(1) "\",\"profile\":\"fb64m-w3\",\"type\":1}]}]}", "cards[0].vgpus[0].type: unknown key", EINVAL },
	{ "vf beyond num_vfs", "{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":2,\"vgpus\":[{\"uuid\":\"" U(1) "\",\"profile\":\"fb64m-w3\",\"vf\":3}]}]}", "cards[0].vgpus[0].vf: VF 3 does not exist with num_vfs 2", EINVAL },
	{ "vf twice", "{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":2,\"vgpus\":[{\"uuid\":\"" U(1) "\",\"profile\":\"fb64m-w3\",\"vf\":1},{\"uuid\":\"" U(2) "\",\"profile\":\"fb64m-w3\",\"vf\":1}]}]}", "cards[0].vgpus[1].vf: VF 1 is also given to cards[0].vgpus[0]", EINVAL },
	{ "uuid twice", "{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":2,\"vgpus\":[{\"uuid\":\"" U(1) "\",\"profile\":\"fb64m-w3\"},{\"uuid\":\"" U(1) "\",\"profile\":\"fb64m-w3\"}]}]}", "cards[0].vgpus[1].uuid: UUID " U(1) " is also used by cards[0].vgpus[0]", EINVAL },
	{ "more vGPUs than VFs", "{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":1,\"vgpus\":[{\"uuid\":\"" U(1) "\",\"profile\":\"fb64m-w3\"},{\"uuid\":\"" U(2) "\",\"profile\":\"fb64m-w3\"}]}]}", "cards[0].vgpus[1]: 2 vGPUs declared but num_vfs is 1", ENOSPC },
	{ "engine weight does not fit", "{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":8,\"vgpus\":["
	  "{\"uuid\":\"" U(1) "\",\"profile\":\"fb256m-w25\"},{\"uuid\":\"" U(2) "\",\"profile\":\"fb256m-w25\"},"
	  "{\"uuid\":\"" U(3) "\",\"profile\":\"fb256m-w25\"},{\"uuid\":\"" U(4) "\",\"profile\":\"fb256m-w25\"},"
	  "{\"uuid\":\"" U(5) "\",\"profile\":\"fb64m-w3\"}]}]}",
	  "cards[0].vgpus[4]: does not fit: the vGPUs up to here need engine weight 103, card 0000:01:00.0 has 100", ENOSPC },
	{ "framebuffer does not fit (9 x 256 MiB)", "{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":9,\"vgpus\":["
	  "{\"uuid\":\"" U(1) "\",\"profile\":\"fb256m-w12\"},{\"uuid\":\"" U(2) "\",\"profile\":\"fb256m-w12\"},"
	  "{\"uuid\":\"" U(3) "\",\"profile\":\"fb256m-w12\"},{\"uuid\":\"" U(4) "\",\"profile\":\"fb256m-w12\"},"
	  "{\"uuid\":\"" U(5) "\",\"profile\":\"fb256m-w12\"},{\"uuid\":\"" U(6) "\",\"profile\":\"fb256m-w12\"},"
	  "{\"uuid\":\"" U(7) "\",\"profile\":\"fb256m-w12\"},{\"uuid\":\"" U(8) "\",\"profile\":\"fb256m-w12\"},"
	  "{\"uuid\":\"" U(9) "\",\"profile\":\"fb32m-w1-headless\"}]}]}",
	  "cards[0].vgpus[8]: does not fit: the vGPUs up to here need 2080 MiB of framebuffer, card 0000:01:00.0 has 2048 MiB", ENOSPC },
};

static void test_apply_errors(void)
{
	char *before, *after;
	size_t i;
	int rc;

	setup_tree(true, false);
	cfg(GOOD);
	fake_run("apply %s", cfgf);
	before = snapshot();
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		cfg("%s", bads[i].text);
		rc = fake_run("apply %s", cfgf);
		fake_ok(rc == bads[i].code && strstr(err, cfgf) && strstr(err, bads[i].msg),
			"bad file, %s: exit %d, '%s'", bads[i].desc, bads[i].code, bads[i].msg);
	}
	after = snapshot();
	fake_ok(!strcmp(before, after) && state_is_good(),
		"none of the %zu bad files changed anything", sizeof(bads) / sizeof(bads[0]));
	free(after);
	fake_ok(fake_run("apply /nonexistent.conf") == ENOENT && strstr(err, "/nonexistent.conf: cannot open"),
		"missing file: ENOENT naming it");
	/* a UUID held by an mdev of another parent */
	mkdir_p(P("/sys/bus/mdev/devices/%s", U(7)));
	cfg("{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":2,\"vgpus\":[{\"uuid\":\"" U(7) "\",\"profile\":\"fb64m-w3\"}]}]}");
	fake_ok(fake_run("apply %s", cfgf) == EEXIST && strstr(err, "cards[0].vgpus[0].uuid: UUID " U(7) " is in use"),
		"a UUID used by another mdev parent: EEXIST");
	rm_rf(P("/sys/bus/mdev/devices/%s", U(7)));
	after = snapshot();
	fake_ok(!strcmp(before, after), "  ... and nothing changed");
	free(after);
	free(before);
	/* uppercase UUIDs are the same UUIDs */
	{
		char *s = strdup(GOOD), *p;

		for (p = strstr(s, U(1)); p && p < strstr(s, U(1)) + 36; p++)
			if (*p >= 'a' && *p <= 'f')
				*p = (char)(*p - 32);
		cfg("%s", s);
		free(s);
	}
	fake_ok(fake_run("apply %s", cfgf) == 0 && strstr(out, "nothing to do"),
		"UUIDs compare case-insensitively");
	/* PF driver unbound */
	unlink(P("/sys/bus/pci/devices/%s/driver", PF));
	cfg(GOOD);
	fake_ok(fake_run("apply %s", cfgf) == ENODEV && strstr(err, "cards[0]: card " PF ": driver jmgpu_pf is not bound"),
		"card without jmgpu_pf: ENODEV");
}

int main(void)
{
	fake_init();
	setup_tree(false, false);

	/* the plan up front: a run that stops early is caught by it */
	tap_plan(NTESTS);
	test_cli();
	test_status_enable();
	test_create_fill();
	test_stats();
	test_apply();
	test_apply_errors();

	fake_done();
	return tap_done();
}

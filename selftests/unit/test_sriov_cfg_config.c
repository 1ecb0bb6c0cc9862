// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_cfg as an operator relies on it, against the fake sysfs tree of
 * fake_sysfs.h: every field of a configuration file checked and reported
 * as FILE:LINE: object: reason, strict JSON with duplicate keys refused,
 * options checked per command and exact command names, one exit status
 * per condition whatever the command, --version, the --json shapes, destroy
 * of jmgpu vGPUs only, and an apply that fails half-way undoing what it
 * did, with error lines the journal files as errors. TAP output.
 */
#include <json-c/json.h>

#include "fake_sysfs.h"

#define U1UP "1111111A-2222-4333-8444-555555555555"
#define U1LO "1111111a-2222-4333-8444-555555555555"

/* ---- command line ---------------------------------------------------- */

struct clicase {
	const char *args;
	int code;
	const char *err;	/* in stderr (NULL: stderr empty) */
	const char *desc;
};

static const struct clicase clis[] = {
	{ "tat", EINVAL, "tat: unknown command", "a part of a command name is no command (tat)" },
	{ "stat", EINVAL, "stat: unknown command", "a prefix of a command name is no command (stat)" },
	{ "statuss", EINVAL, "statuss: unknown command", "a longer name is no command (statuss)" },
	{ "status --dry-run", EINVAL, "status: --dry-run: not an option of status", "status refuses --dry-run" },
	{ "status --dry-run -n 3", EINVAL, "status: --dry-run: not an option of status", "status --dry-run -n 3 refused" },
	{ "status -n 3", EINVAL, "status: -n: not an option of status", "status refuses -n (named as -n, not its value)" },
	{ "profiles --prometheus", EINVAL, "profiles: --prometheus: not an option", "profiles refuses --prometheus" },
	{ "destroy " U(1) " --json", EINVAL, "destroy: --json: not an option", "destroy refuses --json" },
	{ "create --profile fb64m-w3 --dry-run", EINVAL, "create: --dry-run: not an option", "create refuses --dry-run" },
	{ "top --json", EINVAL, "top: --json: not an option", "top refuses --json" },
	{ "enable " PF " 2 --pf " PF, EINVAL, "enable: --pf: not an option", "enable refuses --pf" },
	{ "stats --uuid " U(1), EINVAL, "stats: --uuid: not an option", "stats refuses --uuid" },
	{ "--json status", EINVAL, "--json: an option of a command", "a command's option before the command is refused" },
	{ "stats --json --prometheus", EINVAL, "--json and --prometheus exclude each other", "stats --json --prometheus refused" },
	{ "status extra", EINVAL, "status: extra: wrong arguments: too many", "status with an argument refused" },
	{ "disable", EINVAL, "disable: wrong arguments", "disable without PF refused" },
	{ "create --pf " PF, EINVAL, "create: wrong arguments: --profile is required", "create without --profile refused" },
	{ "status -o VF,FOO", EINVAL, "-o: unknown column 'FOO' (want some of PF,VF,", "status -o with an unknown column: EINVAL, lists the columns" },
	{ "status -o ,", EINVAL, "-o: no column given", "status -o without a column name refused" },
	{ "status --json -o VF", EINVAL, "--json and -o/--raw exclude each other", "status --json -o refused" },
	{ "status --raw --json", EINVAL, "--json and -o/--raw exclude each other", "status --raw --json refused" },
	{ "profiles --raw", EINVAL, "profiles: --raw: not an option of profiles", "profiles refuses --raw" },
	{ "status -o", EINVAL, "status: -o: unknown option or missing value", "status -o without its value refused" },
	{ "status -o vf,uuid --raw", 0, NULL, "status -o (any case) --raw accepted" },
	{ "--version", 0, NULL, "--version exits 0" },
	{ "status --json", 0, NULL, "status --json accepted" },
	{ "stats -q --prometheus", 0, NULL, "a global option (-q) after the command accepted" },
};
#define NCLI ((int)(sizeof(clis) / sizeof(clis[0])))

static void test_cli(void)
{
	char ver[64] = "", want[80];
	FILE *f;
	int i, rc;

	setup_tree(true, false);
	for (i = 0; i < NCLI; i++) {
		rc = fake_run("%s", clis[i].args);
		fake_ok(rc == clis[i].code &&
			(clis[i].err ? strstr(err, clis[i].err) != NULL : !err[0]) &&
			(!clis[i].err || !strstr(err, "wrong arguments") ||
			 strstr(clis[i].err, "wrong arguments")),
			"%s: exit %d%s%s", clis[i].desc, clis[i].code,
			clis[i].err ? ", " : "", clis[i].err ? clis[i].err : "");
	}
	/* the release is dkms.conf's */
	f = fopen("../../dkms.conf", "r");
	while (f && fgets(want, sizeof(want), f))
		if (sscanf(want, "PACKAGE_VERSION=\"%63[^\"]\"", ver) == 1)
			break;
	if (f)
		fclose(f);
	snprintf(want, sizeof(want), "sriov_cfg %s\n", ver);
	fake_ok(fake_run("--version") == 0 && ver[0] && !strcmp(out, want),
		"--version prints 'sriov_cfg <dkms.conf PACKAGE_VERSION %s>'", ver);
}

/* ---- one exit status per condition ----------------------------------- */

struct codecase {
	const char *args;
	int code;
	const char *out;	/* in stdout, or NULL */
	const char *desc;
};

/* PF bound, PF2 without a driver */
static const struct codecase codes[] = {
	{ "status", 0, PF2 "  VFs 0/32  (driver jmgpu_pf not bound", "status: a card without jmgpu_pf is shown as such, exit 0" },
	{ "status --json", 0, "\"driver_bound\":false", "status --json: driver_bound false, exit 0" },
	{ "profiles", 0, "card " PF2 "  VFs 0/32  (driver jmgpu_pf not bound", "profiles: the same card shown as such, exit 0" },
	{ "profiles --json", 0, "\"driver_bound\":false", "profiles --json: driver_bound false, exit 0" },
	{ "profiles --pf " PF2, 0, "(driver jmgpu_pf not bound", "profiles --pf <that card>: shown as such, exit 0" },
	{ "stats", 0, "card " PF2 "  (driver jmgpu_pf not bound", "stats: shown as such, exit 0" },
	{ "stats --json", 0, "\"driver_bound\":false", "stats --json: driver_bound false, exit 0" },
	{ "stats --prometheus", 0, "jmgpu_fw_up{pf=\"" PF2 "\"} 0", "stats --prometheus: jmgpu_fw_up 0, exit 0" },
	{ "top -n 1 -d 0.05", 0, NULL, "top: exit 0" },
	{ "enable " PF2 " 2", ENODEV, NULL, "enable on that card: ENODEV" },
	{ "disable " PF2, ENODEV, NULL, "disable on that card: ENODEV" },
	{ "create --profile fb64m-w3 --pf " PF2, ENODEV, NULL, "create --pf <that card>: ENODEV" },
};
#define NCODE ((int)(sizeof(codes) / sizeof(codes[0])))

static void test_codes(void)
{
	int i, rc;

	setup_tree(true, true);
	for (i = 0; i < NCODE; i++) {
		rc = fake_run("%s", codes[i].args);
		fake_ok(rc == codes[i].code && (!codes[i].out || strstr(out, codes[i].out)) &&
			(codes[i].code || !err[0]) &&
			(!codes[i].code || strstr(err, PF2 ": driver jmgpu_pf is not bound")),
			"%s", codes[i].desc);
	}
	cfg("{\"cards\": [{\"pf\": \"" PF2 "\", \"num_vfs\": 1}]}");
	fake_ok(fake_run("apply %s", cfgf) == ENODEV &&
		strstr(err, ":1: cards[0]: card " PF2 ": driver jmgpu_pf is not bound"),
		"apply of a file naming that card: ENODEV, FILE:LINE: names it");
	/* a host without cards: the read-only commands list nothing, exit 0 */
	rm_rf(P("/sys/bus/pci/devices"));
	mkdir_p(P("/sys/bus/pci/devices"));
	fake_ok(fake_run("status") == 0 && strstr(out, "no jmgpu cards") &&
		fake_run("profiles") == 0 && strstr(out, "no jmgpu cards") &&
		fake_run("stats") == 0 && strstr(out, "no jmgpu cards"),
		"no cards: status, profiles and stats say so, exit 0");
	fake_ok(fake_run("create --profile fb64m-w3") == ENODEV, "no cards: create: ENODEV");
}

/* ---- --json ----------------------------------------------------------- */

/* the sorted keys of an object, as one string */
static void keys_of(json_object *o, char *buf, size_t len)
{
	const char *k[64];
	int n = 0, i, j;

	buf[0] = 0;
	if (!json_object_is_type(o, json_type_object))
		return;
	json_object_object_foreach(o, key, val) {
		(void)val;
		if (n < 64)
			k[n++] = key;
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(k[j - 1], k[j]) > 0; j--) {
			const char *t = k[j];

			k[j] = k[j - 1];
			k[j - 1] = t;
		}
	for (i = 0; i < n; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? "," : "", k[i]);
}

static json_object *run_json(const char *args, int *schema)
{
	json_object *j;

	*schema = -1;
	if (fake_run("%s", args))
		return NULL;
	j = json_tokener_parse(out);
	if (j && json_object_is_type(json_object_object_get(j, "schema"), json_type_int))
		*schema = json_object_get_int(json_object_object_get(j, "schema"));
	return j;
}

/* element i of an array member (NULL when there is none) */
static json_object *nth(json_object *o, const char *key, int i)
{
	json_object *a = json_object_object_get(o, key);

	if (!json_object_is_type(a, json_type_array) || i >= (int)json_object_array_length(a))
		return NULL;
	return json_object_array_get_idx(a, i);
}

static json_object *card_of(json_object *j, int i)
{
	return nth(j, "cards", i);
}

static void test_json(void)
{
	json_object *st, *sa, *pr, *v;
	char k1[1024], k2[1024], k3[1024], k4[1024];
	int s1, s2, s3, i, ok;

	setup_tree(true, true);
	fake_run("enable " PF " 4");
	fake_run("create --profile fb256m-w12 --uuid " U(1));
	fake_run("create --profile fb64m-w3 --uuid " U(2));
	st = run_json("status --json", &s1);
	sa = run_json("stats --json", &s2);
	pr = run_json("profiles --json", &s3);
	fake_ok(st && sa && pr && s1 == JSON_SCHEMA && s2 == JSON_SCHEMA && s3 == JSON_SCHEMA,
		"status, stats and profiles --json carry \"schema\": %d (%d %d %d)", JSON_SCHEMA,
		s1, s2, s3);
	/* card 0 (PF) of each, without its list */
	keys_of(card_of(st, 0), k1, sizeof(k1));
	keys_of(card_of(sa, 0), k2, sizeof(k2));
	keys_of(card_of(pr, 0), k3, sizeof(k3));
	fake_ok(!strcmp(k1, k2) && strstr(k1, "fw_recoveries") && strstr(k1, ",vfs,"),
		"a card has the same keys in status and stats (%s)", k1);
	{
		char *p = strstr(k3, "profiles,");

		if (p)
			memmove(p, p + 9, strlen(p + 9) + 1);
		p = strstr(k1, "vfs,");
		if (p)
			memmove(p, p + 4, strlen(p + 4) + 1);
	}
	fake_ok(!strcmp(k1, k3), "and in profiles, but for its list (%s)", k3);
	keys_of(card_of(st, 1), k4, sizeof(k4));
	keys_of(card_of(st, 0), k1, sizeof(k1));
	fake_ok(!strcmp(k1, k4) &&
		json_object_is_type(json_object_object_get(card_of(st, 1), "fb_bytes"), json_type_null),
		"a card without its driver has the same keys, null where the driver would tell");
	ok = 1;
	for (i = 0; i < 4; i++) {
		keys_of(nth(card_of(st, 0), "vfs", i), k1, sizeof(k1));
		keys_of(nth(card_of(sa, 0), "vfs", i), k2, sizeof(k2));
		if (strcmp(k1, k2) || !strstr(k1, "engine_busy_ratio") || !strstr(k1, "jobs"))
			ok = 0;
	}
	fake_ok(ok, "a VF has the same keys in status and stats (%s)", k1);
	ok = 1;
	for (i = 0; i < 4; i++) {
		double r;

		v = nth(card_of(sa, 0), "vfs", i);
		if (!v) {
			ok = 0;
			break;
		}
		r = json_object_get_double(json_object_object_get(v, "engine_busy_ratio"));
		if (r < 0 || r > 1 || (int)(r * 100 + 0.5) != fake_busy(i) ||
		    json_object_get_uint64(json_object_object_get(v, "fb_provisioned_bytes")) !=
		    (K->vf[i].prof >= 0 ? profs[K->vf[i].prof].fb : 0))
			ok = 0;
	}
	fake_ok(ok, "engine_busy_ratio is the driver's busy %% / 100, fb_provisioned_bytes the profile's size");
	json_object_put(st);
	json_object_put(sa);
	json_object_put(pr);
}

/* ---- destroy: jmgpu vGPUs only --------------------------------------- */

#define FOREIGN "5f5f5f5f-0000-4000-8000-0000000000aa"

static void test_destroy(void)
{
	char rm[64] = "x";
	FILE *f;
	int w;

	setup_tree(true, false);
	fake_run("enable " PF " 2");
	fake_run("create --profile fb64m-w3 --uuid " U(1));
	foreign_mdev(FOREIGN);
	w = K->writes;
	fake_ok(fake_run("destroy " FOREIGN) == EPERM &&
		strstr(err, "vGPU " FOREIGN ": not a jmgpu vGPU (mdev type i915-GVTg_V5_4 of device 0000:00:02.0"),
		"destroy of another vendor's mdev: EPERM, names its type and parent");
	f = fopen(P("/sys/bus/mdev/devices/%s/remove", FOREIGN), "r");
	if (f) {
		if (!fgets(rm, sizeof(rm), f))
			rm[0] = 0;
		fclose(f);
	}
	fake_ok(K->writes == w && !rm[0], "  ... and its remove file was not written");
	fake_ok(fake_run("destroy %s", U(1)) == 0 && K->vf[0].prof < 0 && K->vf[1].prof < 0,
		"destroy of a jmgpu vGPU still removes it");
	fake_ok(fake_run("destroy " U(9)) == ENOENT && strstr(err, U(9) ": no such mdev"),
		"destroy of an unknown UUID: ENOENT");
}

/* ---- configuration files ---------------------------------------------- */

/*
 * Files of 13 lines: line 5 the card's pf, 6 num_vfs, 8 and 9 the vGPUs,
 * so that each error's line is known.
 */
#define CFGP(pf, nv, g0, g1) \
	"{\n  \"version\": 1,\n  \"cards\": [\n    {\n      \"pf\": \"" pf "\",\n" \
	"      \"num_vfs\": " nv ",\n      \"vgpus\": [\n        " g0 ",\n        " g1 "\n" \
	"      ]\n    }\n  ]\n}\n"
#define CFG(nv, g0, g1) CFGP("01:00.0", nv, g0, g1)
#define G(u, p) "{ \"uuid\": \"" u "\", \"profile\": \"" p "\" }"
#define GV(u, p, vf) "{ \"uuid\": \"" u "\", \"profile\": \"" p "\", \"vf\": " vf " }"
#define G2 G(U(2), "fb64m-w3")

struct bad {
	const char *desc, *text, *msg;
	int code;
};

static const struct bad bads[] = {
	/* every field */
	{ "empty profile", CFG("4", G(U(1), ""), G2), ":8: cards[0].vgpus[0].profile: empty profile name", EINVAL },
	{ "unknown profile", CFG("4", G(U(1), "fb64m-w3"), G(U(2), "fb1g")), ":9: cards[0].vgpus[1].profile: unknown profile 'fb1g'", EINVAL },
	{ "profile with a trailing blank", CFG("4", G(U(1), "fb64m-w3 "), G2), ":8: cards[0].vgpus[0].profile: unknown profile 'fb64m-w3 '", EINVAL },
	{ "unsupported profile", CFG("4", G(U(1), "fb64m-w3"), G(U(2), "fb512m-w50")), ":9: cards[0].vgpus[1].profile: profile 'fb512m-w50' is not supported", EINVAL },
	{ "profile not a string", CFG("4", G(U(1), "fb64m-w3"), "{ \"uuid\": \"" U(2) "\", \"profile\": 64 }"), ":9: cards[0].vgpus[1].profile: must be a string, not int", EINVAL },
	{ "profile missing", CFG("4", G(U(1), "fb64m-w3"), "{ \"uuid\": \"" U(2) "\" }"), ":9: cards[0].vgpus[1]: missing \"profile\"", EINVAL },
	{ "UUID too short", CFG("4", G("1234", "fb64m-w3"), G2), ":8: cards[0].vgpus[0].uuid: '1234' is not a UUID", EINVAL },
	{ "UUID with a non-hex digit", CFG("4", G("g1111111-2222-4333-8444-555555555555", "fb64m-w3"), G2), ":8: cards[0].vgpus[0].uuid: 'g1111111-2222-4333-8444-555555555555' is not a UUID", EINVAL },
	{ "UUID in braces", CFG("4", G("{11111111-2222-4333-8444-555555555555}", "fb64m-w3"), G2), ":8: cards[0].vgpus[0].uuid: '{11111111-2222-4333-8444-555555555555}' is not a UUID", EINVAL },
	{ "UUID without hyphens", CFG("4", G("11111111222243338444555555555555", "fb64m-w3"), G2), ":8: cards[0].vgpus[0].uuid: '11111111222243338444555555555555' is not a UUID", EINVAL },
	{ "UUID hyphen misplaced", CFG("4", G("1111111-12222-4333-8444-555555555555", "fb64m-w3"), G2), ":8: cards[0].vgpus[0].uuid: '1111111-12222-4333-8444-555555555555' is not a UUID", EINVAL },
	{ "UUID empty", CFG("4", G("", "fb64m-w3"), G2), ":8: cards[0].vgpus[0].uuid: '' is not a UUID", EINVAL },
	{ "duplicate UUID (other case)", CFG("4", G(U1LO, "fb64m-w3"), G(U1UP, "fb64m-w3")), ":9: cards[0].vgpus[1].uuid: UUID " U1LO " is also used by cards[0].vgpus[0]", EINVAL },
	{ "duplicate VF index", CFG("4", GV(U(1), "fb64m-w3", "2"), GV(U(2), "fb64m-w3", "2")), ":9: cards[0].vgpus[1].vf: VF 2 is also given to cards[0].vgpus[0]", EINVAL },
	{ "VF index = num_vfs", CFG("4", G(U(1), "fb64m-w3"), GV(U(2), "fb64m-w3", "4")), ":9: cards[0].vgpus[1].vf: VF 4 does not exist with num_vfs 4", EINVAL },
	{ "VF index negative", CFG("4", G(U(1), "fb64m-w3"), GV(U(2), "fb64m-w3", "-1")), ":9: cards[0].vgpus[1].vf: -1 is out of range 0..31", EINVAL },
	{ "VF index a string", CFG("4", G(U(1), "fb64m-w3"), GV(U(2), "fb64m-w3", "\"1\"")), ":9: cards[0].vgpus[1].vf: must be an integer, not string", EINVAL },
	{ "VF index a fraction", CFG("4", G(U(1), "fb64m-w3"), GV(U(2), "fb64m-w3", "1.5")), ":9: cards[0].vgpus[1].vf: must be an integer, not double", EINVAL },
	{ "num_vfs too large", CFG("40", G(U(1), "fb64m-w3"), G2), ":6: cards[0].num_vfs: 40 is out of range 0..32", EINVAL },
	{ "num_vfs null", CFG("null", G(U(1), "fb64m-w3"), G2), ":6: cards[0].num_vfs: must be an integer, not null", EINVAL },
	{ "more vGPUs than VFs", CFG("1", G(U(1), "fb64m-w3"), G2), ":9: cards[0].vgpus[1]: 2 vGPUs declared but num_vfs is 1", ENOSPC },
	{ "pf not an address", CFGP("gpu0", "4", G(U(1), "fb64m-w3"), G2), ":5: cards[0].pf: 'gpu0' is not a PCI address", EINVAL },
	{ "pf without a function", CFGP("01:00", "4", G(U(1), "fb64m-w3"), G2), ":5: cards[0].pf: '01:00' is not a PCI address", EINVAL },
	{ "pf with a wildcard", CFGP("01:*.0", "4", G(U(1), "fb64m-w3"), G2), ":5: cards[0].pf: '01:*.0' is not a PCI address", EINVAL },
	{ "pf device out of range", CFGP("01:20.0", "4", G(U(1), "fb64m-w3"), G2), ":5: cards[0].pf: '01:20.0' is not a PCI address", EINVAL },
	{ "unknown key", CFG("4", G(U(1), "fb64m-w3"), "{ \"uuid\": \"" U(2) "\", \"profile\": \"fb64m-w3\", \"vF\": 1 }"), ":9: cards[0].vgpus[1].vF: unknown key", EINVAL },
	/* strict JSON */
	{ "single quotes", "{\n  'cards': []\n}\n", ":2:3: JSON syntax error: single quotes are not JSON", EINVAL },
	{ "a // comment", "{\n  \"cards\": [] // none\n}\n", ":2:15: JSON syntax error: comments are not JSON", EINVAL },
	{ "a /* comment */ first", "/* x */ {\"cards\": []}\n", ":1:1: JSON syntax error: comments are not JSON", EINVAL },
	{ "trailing comma in an object", "{\n  \"cards\": [],\n}\n", ":3:1: JSON syntax error: a comma before '}'", EINVAL },
	{ "trailing comma in an array", "{\"cards\": [\n  {\"pf\": \"01:00.0\", \"num_vfs\": 0},\n]}\n", ":3:1: JSON syntax error: a comma before ']'", EINVAL },
	{ "NaN", "{\"cards\": [], \"version\": NaN}\n", ":1:26: JSON syntax error: NaN is not a JSON number", EINVAL },
	{ "a raw tab in a string", "{\"cards\": [], \"x\": \"a\tb\"}\n", ":1:22: JSON syntax error: a control character in a string", EINVAL },
	{ "\\u0000 in a profile name", CFG("4", G(U(1), "fb64m-w3\\u0000x"), G2), ":8:79: JSON syntax error: \\u0000 (NUL) in a string", EINVAL },
	{ "a number with a leading zero", "{\"version\": 01, \"cards\": []}\n", ":1:13: JSON syntax error: a number does not start with 0", EINVAL },
	{ "text after the value", "{\"cards\": []}\n{}\n", ":2:1: JSON syntax error: more text after the end", EINVAL },
	/* duplicate keys: json-c would keep the last silently */
	{ "num_vfs twice", "{\n  \"cards\": [ {\n    \"pf\": \"01:00.0\",\n    \"num_vfs\": 2,\n    \"num_vfs\": 4\n  } ]\n}\n", ":5: cards[0].num_vfs: given twice (also on line 4)", EINVAL },
	{ "profile twice in a vGPU", CFG("4", "{ \"uuid\": \"" U(1) "\", \"profile\": \"\", \"profile\": \"fb64m-w3\" }", G2), ":8: cards[0].vgpus[0].profile: given twice (also on line 8)", EINVAL },
	{ "cards twice", "{\n  \"cards\": [],\n  \"cards\": []\n}\n", ":3: cards: given twice (also on line 2)", EINVAL },
	{ "a key twice, once escaped", "{\n  \"cards\": [],\n  \"\\u0063ards\": []\n}\n", ":3: cards: given twice (also on line 2)", EINVAL },
};
#define NBAD ((int)(sizeof(bads) / sizeof(bads[0])))

static void test_config(void)
{
	int i, rc, w;

	setup_tree(true, false);
	cfg(CFG("4", G(U(1), "fb64m-w3"), G2));
	fake_ok(fake_run("apply %s", cfgf) == 0 && K->numvfs == 4 && K->vf[0].prof == 0 &&
		K->vf[1].prof == 0, "the 13-line file the cases below break is good: applied");
	w = K->writes;
	for (i = 0; i < NBAD; i++) {
		cfg("%s", bads[i].text);
		rc = fake_run("apply %s", cfgf);
		fake_ok(rc == bads[i].code && strstr(err, cfgf) && strstr(err, bads[i].msg) &&
			K->writes == w, "bad file, %s: exit %d, 'FILE%s'", bads[i].desc,
			bads[i].code, bads[i].msg);
	}
	fake_ok(K->writes == w && K->numvfs == 4, "none of the %d bad files wrote anything", NBAD);
	/* the empty profile through a second apply: still refused, never "nothing to do" */
	cfg(CFG("4", G(U(1), ""), G2));
	rc = fake_run("apply %s", cfgf);
	fake_ok(rc == EINVAL && !strstr(out, "nothing to do"),
		"an empty profile stays refused on the next apply too");
}

/* ---- status -o / --raw: the VF table through libsmartcols ------------- */

/* out with every run of blanks made one space */
static const char *squashed(void)
{
	static char b[sizeof(out)];
	size_t i, n = 0;

	for (i = 0; out[i] && n < sizeof(b) - 1; i++)
		if (out[i] != ' ' || (n && b[n - 1] != ' ' && b[n - 1] != '\n'))
			b[n++] = out[i];
	b[n] = 0;
	for (i = 0; i + 1 < n; i++)
		if (b[i] == ' ' && b[i + 1] == '\n')
			memmove(&b[i], &b[i + 1], n - i);
	return b;
}

#define NTABLE 3
static void test_table(void)
{
	int rc;

	setup_tree(true, false);
	fake_run("enable " PF " 3");
	fake_run("create --profile fb128m-w6 --uuid " U(1));
	rc = fake_run("status --raw");
	fake_ok(rc == 0 && !strncmp(out, "PF VF ADDRESS PROFILE UUID VFIO FB_MIB BUSY%\n", 45) &&
		strstr(out, "\n" PF " 0 0000:02:00.0 fb128m-w6 " U(1) " ready 128 ") &&
		strstr(out, "\n" PF " 2 0000:02:00.2 - - unbound 0 0\n") && count(out, "\n") == 4,
		"status --raw: header and one raw row per VF, the default columns (exit %d)", rc);
	rc = fake_run("status -o uuid,VF,profile");
	fake_ok(rc == 0 && !strcmp(squashed(), "UUID VF PROFILE\n" U(1) " 0 fb128m-w6\n- 1 -\n- 2 -\n"),
		"status -o: the named columns in the given order, aligned (exit %d)", rc);
	rc = fake_run("status -o ADDRESS");
	fake_ok(rc == 0 && !strcmp(out, "ADDRESS\n0000:02:00.0\n0000:02:00.1\n0000:02:00.2\n"),
		"status -o ADDRESS: one column, one row per VF (exit %d)", rc);
}

/* ---- one owner per vGPU: mdevctl's definitions ------------------------ */

/* what "mdevctl define --auto -u u -p <VF i> -t ...-fb64m-w3" writes */
static void mdevctl_define(int i, const char *u)
{
	mkdir_p(P("/etc/mdevctl.d/%s", vf_bdf(i)));
	put(P("/etc/mdevctl.d/%s/%s", vf_bdf(i), u),
	    "{\"mdev_type\": \"jmgpu_vfio_pci-fb64m-w3\", \"start\": \"auto\", \"attrs\": []}\n");
}

/* what udev and mdevctl do when VF i binds: bind it, start the definition */
static bool mdevctl_start(int i, const char *u)
{
	return !fake_kernel(P("/sys/bus/pci/devices/%s/driver_override", vf_bdf(i)),
			    "jmgpu_vfio_pci") &&
	       !fake_kernel(P("/sys/bus/pci/drivers_probe"), vf_bdf(i)) &&
	       !fake_kernel(P("/sys/bus/pci/devices/%s/mdev_supported_types/jmgpu_vfio_pci-fb64m-w3/create",
			      vf_bdf(i)), u);
}

#define NMDEVCTL 11
static void test_mdevctl(void)
{
	int rc, w;

	setup_tree(true, false);
	rm_rf(P("/etc"));
	mdevctl_define(0, U(7));
	cfg(CFG("4", G(U(1), "fb64m-w3"), G2));
	rc = fake_run("apply %s", cfgf);
	fake_ok(rc == 0 && K->vf[0].prof < 0 && K->vf[1].prof >= 0 && K->vf[2].prof >= 0,
		"apply leaves the VF that mdevctl defines a vGPU for free (exit %d)", rc);
	fake_ok(mdevctl_start(0, U(7)), "  ... so mdevctl's vGPU starts there when the VF binds");
	w = K->writes;
	rc = fake_run("apply %s", cfgf);
	fake_ok(rc == 0 && K->writes == w && !strcmp(K->vf[0].uuid, U(7)) &&
		strstr(out, "nothing to do") && strstr(out, U(7) " on VF 0 0000:02:00.0 is defined by mdevctl: left to it"),
		"apply again: the running mdevctl vGPU is left alone and said so (exit %d)", rc);
	cfg(CFG("4", G(U(7), "fb64m-w3"), G2));
	rc = fake_run("apply %s", cfgf);
	fake_ok(rc == EEXIST && strstr(err, ":8: cards[0].vgpus[0].uuid: UUID " U(7) " is defined by mdevctl") &&
		K->writes == w, "a file declaring an mdevctl-defined UUID: EEXIST at its line");
	cfg(CFG("4", GV(U(1), "fb64m-w3", "0"), G2));
	rc = fake_run("apply %s", cfgf);
	fake_ok(rc == EBUSY && strstr(err, ":8: cards[0].vgpus[0].vf: VF 0 (0000:02:00.0) is reserved for vGPU " U(7)) &&
		K->writes == w, "a vGPU pinned to mdevctl's VF: EBUSY at its line");
	cfg(CFG("2", G(U(1), "fb64m-w3"), G2));
	rc = fake_run("apply %s", cfgf);
	fake_ok(rc == ENOSPC && strstr(err, "2 vGPUs declared but only 1 of the 2 VFs are free: 1 are reserved") &&
		K->writes == w, "num_vfs without room beside mdevctl's VFs: ENOSPC, nothing written");
	cfg(CFG("5", G(U(1), "fb64m-w3"), G2));
	rc = fake_run("apply %s", cfgf);
	fake_ok(rc == EBUSY && strstr(err, "num_vfs 5 would remove vGPU " U(7)) && K->writes == w &&
		!strcmp(K->vf[0].uuid, U(7)), "a num_vfs change under a running mdevctl vGPU: EBUSY, it stays");
	rc = fake_run("destroy %s", U(7));
	fake_ok(rc == 0 && K->vf[0].prof < 0 && strstr(out, "defined by mdevctl: it comes back"),
		"destroy of an mdevctl-defined vGPU says it comes back (exit %d)", rc);
	rm_rf(P("/etc"));
	/* no "vgpus": the card's vGPUs are another manager's (Nova, KubeVirt) */
	w = K->writes;
	cfg("{ \"cards\": [ { \"pf\": \"" PF "\", \"num_vfs\": 4, \"sched_policy\": \"fixed-share\" } ] }\n");
	rc = fake_run("apply %s", cfgf);
	fake_ok(rc == 0 && K->vf[1].prof >= 0 && K->vf[2].prof >= 0 && K->writes == w + 1 &&
		!strcmp(K->policy, "fixed-share"),
		"a card without \"vgpus\": scheduler set, its vGPUs left alone (exit %d)", rc);
	cfg("{ \"cards\": [ { \"pf\": \"" PF "\", \"num_vfs\": 6 } ] }\n");
	rc = fake_run("apply %s", cfgf);
	fake_ok(rc == EBUSY && strstr(err, "num_vfs 6 would remove vGPU " U(1)) &&
		strstr(err, "which this file does not manage") && K->writes == w + 1,
		"  ... and a num_vfs change that would remove them: EBUSY, nothing written");
	fake_run("destroy %s", U(1));
	fake_run("destroy %s", U(2));
	w = K->writes;
	rc = fake_run("apply %s", cfgf);
	fake_ok(rc == 0 && K->numvfs == 6 && K->writes == w + 2,
		"  ... with no vGPUs left: VFs re-enabled (4 -> 0 -> 6), no vGPU created (exit %d)", rc);
}

/* ---- an apply that fails half-way ------------------------------------- */

/* 6 VFs, fixed-share 2000 us, U1 fb64m-w3, U2 fb256m-w25, U3 fb128m-w6 on VF 5 */
#define START \
	"{ \"cards\": [ { \"pf\": \"" PF "\", \"num_vfs\": 6, \"sched_policy\": \"fixed-share\"," \
	" \"timeslice_us\": 2000, \"vgpus\": [" \
	" { \"uuid\": \"" U(1) "\", \"profile\": \"fb64m-w3\" }," \
	" { \"uuid\": \"" U(2) "\", \"profile\": \"fb256m-w25\" }," \
	" { \"uuid\": \"" U(3) "\", \"profile\": \"fb128m-w6\", \"vf\": 5 } ] } ] }\n"
/*
 * U2 goes, U1 changes profile, U3 stays, U4 and U5 are new, other
 * scheduler: destroy U2, destroy U1, policy, slice, create U5, U1, U4.
 */
#define CHANGE \
	"{ \"cards\": [ { \"pf\": \"" PF "\", \"num_vfs\": 6, \"sched_policy\": \"equal-share\"," \
	" \"timeslice_us\": 3000, \"vgpus\": [" \
	" { \"uuid\": \"" U(1) "\", \"profile\": \"fb128m-w6\" }," \
	" { \"uuid\": \"" U(3) "\", \"profile\": \"fb128m-w6\", \"vf\": 5 }," \
	" { \"uuid\": \"" U(4) "\", \"profile\": \"fb32m-w1-headless\" }," \
	" { \"uuid\": \"" U(5) "\", \"profile\": \"fb256m-w12\" } ] } ] }\n"
/* 8 VFs: every vGPU goes, SR-IOV 6 -> 0 -> 8, then the creates */
#define RESIZE \
	"{ \"cards\": [ { \"pf\": \"" PF "\", \"num_vfs\": 8, \"vgpus\": [" \
	" { \"uuid\": \"" U(1) "\", \"profile\": \"fb64m-w3\" } ] } ] }\n"

struct midway {
	const char *desc, *file, *match;
	int skip, times, errno_val;
};

static const struct midway midways[] = {
	{ "the first remove", CHANGE, "/remove", 0, 1, EIO },
	{ "the second remove", CHANGE, "/remove", 1, 1, EIO },
	{ "sched_policy", CHANGE, "/jmgpu/sched_policy", 0, 1, EACCES },
	{ "timeslice_us", CHANGE, "/jmgpu/timeslice_us", 0, 1, ENOMEM },
	{ "the first create", CHANGE, "/create", 0, 1, ENOSPC },
	{ "the last create", CHANGE, "/create", 2, 1, EIO },
	{ "sriov_numvfs 0 -> 8", RESIZE, "/sriov_numvfs", 1, 1, ENOMEM },
	{ "binding a VF after re-enabling", RESIZE, "/driver_override", 0, 1, EACCES },
};
#define NMID ((int)(sizeof(midways) / sizeof(midways[0])))

static void to_start(void)
{
	setup_tree(true, false);
	cfg(START);
	if (fake_run("apply %s", cfgf))
		tap_diag_text("could not reach the start state", err, 40);
}

static void test_midway(void)
{
	char before[2048];
	int i, rc, lines, errlines;
	const char *l;

	for (i = 0; i < NMID; i++) {
		to_start();
		snprintf(before, sizeof(before), "%s", fake_state());
		cfg("%s", midways[i].file);
		fake_fail(midways[i].match, midways[i].skip, midways[i].times,
			  midways[i].errno_val);
		rc = fake_run("apply %s", cfgf);
		fake_ok(rc == midways[i].errno_val && !strcmp(before, fake_state()) &&
			strstr(err, "every step undone, the cards are as before"),
			"apply failing at %s (errno %d): exits %d, every step undone, the card as before",
			midways[i].desc, midways[i].errno_val, midways[i].errno_val);
		if (strcmp(before, fake_state())) {
			tap_diag("before: %s", before);
			tap_diag("after:  %s", fake_state());
		}
	}
	/* what the journal shows */
	to_start();
	cfg(CHANGE);
	fake_fail("/create", 1, 1, EIO);
	K->journal = true;
	rc = fake_run("apply %s", cfgf);
	K->journal = false;
	lines = errlines = 0;
	for (l = err; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
		lines++;
		errlines += !strncmp(l, "<3>sriov_cfg: ", 14);
	}
	fake_ok(rc == EIO && lines >= 2 && errlines == lines && strstr(out, "undo: ") &&
		strstr(err, "step 6 of 7 failed: " PF ": create vGPU " U(1) " (fb128m-w6)") &&
		strstr(err, "apply failed at \"" PF ": create vGPU " U(1) " (fb128m-w6) on VF"),
		"under systemd (JOURNAL_STREAM): every stderr line is '<3>sriov_cfg: ...' (priority err), naming the step");
	to_start();
	cfg(CHANGE);
	fake_fail("/create", 1, 1, EIO);
	rc = fake_run("apply %s", cfgf);
	fake_ok(rc == EIO && !strstr(err, "<3>") && strstr(err, "sriov_cfg: "),
		"on a terminal: no priority prefix");
	/* the undo fails too: said plainly */
	to_start();
	cfg(CHANGE);
	fake_fail("/create", 0, 100, EIO);
	rc = fake_run("apply %s", cfgf);
	fake_ok(rc == EIO && strstr(err, "undo failed: " PF ": re-create vGPU") &&
		strstr(err, "the cards are in between (sriov_cfg status shows them)"),
		"when an undo fails too: exit of the first failure, says the cards are in between");
	K->fail_match[0] = 0;
}

/* ---- the documented exit statuses -------------------------------------- */

static const struct {
	const char *name;
	int val;
} errnos[] = {
	{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "EIO", EIO }, { "EBUSY", EBUSY },
	{ "EEXIST", EEXIST }, { "ENODEV", ENODEV }, { "EINVAL", EINVAL },
	{ "ENOSPC", ENOSPC }, { "EPROTO", EPROTO },
};

/* "1 EPERM,2 ENOENT,..." from the man page (".B 1 (EPERM)") or the rst table */
static void doc_codes(const char *path, bool man, char *list, size_t len, bool *named_ok)
{
	char line[512], name[16];
	FILE *f = fopen(path, "r");
	int code;
	size_t k;

	list[0] = 0;
	while (f && fgets(line, sizeof(line), f)) {
		if (man ? sscanf(line, ".B %d (%15[A-Z])", &code, name) != 2 :
			  sscanf(line, "%d %15[A-Z]", &code, name) != 2 || line[0] == ' ')
			continue;
		snprintf(list + strlen(list), len - strlen(list), "%s%d %s", list[0] ? "," : "",
			 code, name);
		for (k = 0; k < sizeof(errnos) / sizeof(errnos[0]); k++)
			if (!strcmp(errnos[k].name, name) && errnos[k].val != code)
				*named_ok = false;
	}
	if (f)
		fclose(f);
}

/* is "<code> " an entry of a "1 EPERM,2 ENOENT" list? */
static bool listed(const char *list, int code)
{
	char e[16];

	snprintf(e, sizeof(e), "%d ", code);
	if (!strncmp(list, e, strlen(e)))
		return true;
	snprintf(e, sizeof(e), ",%d ", code);
	return strstr(list, e) != NULL;
}

static void test_doc_codes(void)
{
	char man[512], rst[512], want[16], missing[128] = "";
	bool named_ok = true;
	int i;

	doc_codes("../../sriov_cfg/sriov_cfg.8", true, man, sizeof(man), &named_ok);
	doc_codes("../../Documentation/sriov-cfg.rst", false, rst, sizeof(rst), &named_ok);
	/* every status the tables above expect is documented */
	for (i = 0; i < NCLI + NCODE + NBAD; i++) {
		int c = i < NCLI ? clis[i].code : i < NCLI + NCODE ? codes[i - NCLI].code :
			bads[i - NCLI - NCODE].code;

		snprintf(want, sizeof(want), " %d ", c);
		if (c && !listed(man, c) && !strstr(missing, want))
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
				 "%s", want);
	}
	fake_ok(man[0] && !strcmp(man, rst) && named_ok && !missing[0] && strstr(man, "1 EPERM"),
		"sriov_cfg(8) and sriov-cfg.rst list the same exit statuses (%s), each the errno it names, and every status tested here%s%s",
		man, missing[0] ? "; missing:" : "", missing);
	if (strcmp(man, rst))
		tap_diag("sriov-cfg.rst: %s", rst);
}

int main(void)
{
	fake_init();
	tap_plan(NCLI + 1 + NCODE + 3 + 6 + 4 + NBAD + 3 + NTABLE + NMDEVCTL + NMID + 3 + 1);
	test_cli();
	test_codes();
	test_json();
	test_destroy();
	test_config();
	test_table();
	test_mdevctl();
	test_midway();
	test_doc_codes();
	fake_done();
	return tap_done();
}

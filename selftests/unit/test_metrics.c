// SPDX-License-Identifier: GPL-2.0
/*
 * sriov_cfg stats --prometheus as a Prometheus server and its operator see
 * it, on the fake sysfs tree of fake_sysfs.h: a card with vGPUs of mixed
 * profiles next to a card whose PF has no driver, then both unbound.
 * `promtool check metrics` (the Prometheus project's own parser and
 * linter; scripts/install-deps.sh puts it in $JMGPU_CACHE/promtool) must
 * find nothing; without promtool, the documented fallback: the Python
 * client's parser and the naming rules below. Then what the values mean:
 * jmgpu_fw_up 0 for an unbound PF, one jmgpu_vgpu_info series per vGPU and
 * no UUID or profile label elsewhere, ratios 0..1, escaped label values.
 * The example alerting rules (sriov_cfg/jmgpu-alerts.yml) pass `promtool
 * check rules`, and `promtool test rules` fires JmgpuFirmwareDown for the
 * unbound card from the series this output gives. The Grafana dashboard
 * (sriov_cfg/jmgpu-grafana.json): every query parses (promtool, as a
 * recording rule) and names only metrics the tool emits. TAP output.
 */
#include <limits.h>

#include <json-c/json.h>

#include "fake_sysfs.h"

/* ---- promtool, or the fallback ----------------------------------------- */

static char promtool[512];

static void find_promtool(void)
{
	const char *c = getenv("JMGPU_CACHE");
	FILE *p;

	snprintf(promtool, sizeof(promtool), "%s/promtool/promtool", c ? c : "/var/cache/jmgpu");
	if (!access(promtool, X_OK))
		return;
	p = popen("command -v promtool", "r");
	if (!p || !fgets(promtool, sizeof(promtool), p))
		promtool[0] = 0;
	if (p)
		pclose(p);
	promtool[strcspn(promtool, "\n")] = 0;
}

/* run cmd, its output (stdout and stderr) in buf; returns its exit status */
static int sh(const char *cmd, char *buf, size_t len)
{
	char full[1400];
	FILE *p;
	size_t n;
	int st;

	snprintf(full, sizeof(full), "%s 2>&1", cmd);
	p = popen(full, "r");
	if (!p)
		return -1;
	n = fread(buf, 1, len - 1, p);
	buf[n] = 0;
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/*
 * The naming rules promtool's linter applies, kept here so that the
 * fallback checks them too: HELP for every family, counters end in _total
 * and other types do not. Returns NULL or the first problem.
 */
static const char *naming(const char *text)
{
	static char why[200];
	const char *l;

	for (l = text; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
		char name[128], type[32], help[140];
		size_t nl;

		if (sscanf(l, "# TYPE %127s %31s", name, type) != 2)
			continue;
		nl = strlen(name);
		snprintf(help, sizeof(help), "# HELP %s ", name);
		if (!strstr(text, help)) {
			snprintf(why, sizeof(why), "%s has no HELP", name);
			return why;
		}
		if (!strcmp(type, "counter") != (nl > 6 && !strcmp(name + nl - 6, "_total"))) {
			snprintf(why, sizeof(why), "%s is a %s: %s", name, type,
				 strcmp(type, "counter") ? "only counters end in _total" :
				 "a counter ends in _total");
			return why;
		}
	}
	return NULL;
}

/* promtool check metrics on a file: 0 when it has nothing to say */
static int run_promtool(const char *file, char *buf, size_t len)
{
	char cmd[1200];
	int rc;

	snprintf(cmd, sizeof(cmd), "'%s' check metrics < '%s'", promtool, file);
	rc = sh(cmd, buf, len);
	return rc || buf[0] ? (rc ? rc : 1) : 0;
}

/* the fallback: prometheus_client's parser reads every sample, and naming() */
static int run_fallback(const char *file, const char *text, char *buf, size_t len)
{
	char cmd[1200];
	const char *why;
	int rc, n = -1, want = 0;
	const char *l;

	for (l = text; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l))
		want += *l != '#' && *l != '\n';
	snprintf(cmd, sizeof(cmd),
		 "/usr/bin/python3 -c 'import sys\n"
		 "from prometheus_client.parser import text_string_to_metric_families as t\n"
		 "print(sum(len(f.samples) for f in t(sys.stdin.read())))' < '%s'", file);
	rc = sh(cmd, buf, len);
	if (rc || sscanf(buf, "%d", &n) != 1 || n != want) {
		snprintf(buf + strlen(buf), len - strlen(buf),
			 "prometheus_client read %d of %d samples", n, want);
		return 1;
	}
	why = naming(text);
	if (why) {
		snprintf(buf, len, "%s", why);
		return 1;
	}
	return 0;
}

static bool have_python_client(void)
{
	return system("/usr/bin/python3 -c 'import prometheus_client' > /dev/null 2>&1") == 0;
}

/* the check the documentation promises: promtool, else the fallback */
static int check(const char *file, const char *text, char *buf, size_t len)
{
	if (promtool[0])
		return run_promtool(file, buf, len);
	if (have_python_client())
		return run_fallback(file, text, buf, len);
	snprintf(buf, len, "neither promtool nor python3-prometheus-client installed (scripts/install-deps.sh)");
	return 1;
}

/* ---- the samples -------------------------------------------------------- */

struct sample {
	char name[96], labels[400];
	double value;
};

static struct sample samples[1024];
static int nsamples;

static void parse_samples(const char *text)
{
	const char *l;

	nsamples = 0;
	for (l = text; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
		struct sample *s = &samples[nsamples];
		const char *b, *e = strchr(l, '\n');
		size_t len = e ? (size_t)(e - l) : strlen(l);
		char line[600];

		if (*l == '#' || *l == '\n' || nsamples == 1024)
			continue;
		snprintf(line, sizeof(line), "%.*s", (int)len, l);
		b = strchr(line, '{');
		e = strrchr(line, '}');
		if (!b || !e) {
			b = strchr(line, ' ');
			snprintf(s->name, sizeof(s->name), "%.*s", (int)(b - line), line);
			s->labels[0] = 0;
			s->value = atof(b + 1);
		} else {
			snprintf(s->name, sizeof(s->name), "%.*s", (int)(b - line), line);
			snprintf(s->labels, sizeof(s->labels), "%.*s", (int)(e - b - 1), b + 1);
			s->value = atof(e + 2);
		}
		nsamples++;
	}
}

/* the value of name{labels}, or -1 when there is no such sample */
static double value_of(const char *name, const char *labels)
{
	int i;

	for (i = 0; i < nsamples; i++)
		if (!strcmp(samples[i].name, name) && !strcmp(samples[i].labels, labels))
			return samples[i].value;
	return -1;
}

static int count_of(const char *name, const char *label_part)
{
	int i, n = 0;

	for (i = 0; i < nsamples; i++)
		n += !strcmp(samples[i].name, name) &&
		     (!label_part || strstr(samples[i].labels, label_part));
	return n;
}

static char text[65536], pfile[400], buf[8192];

static int scrape(void)
{
	int rc = fake_run("stats --prometheus");
	FILE *f;

	snprintf(text, sizeof(text), "%s", out);
	snprintf(pfile, sizeof(pfile), "%s/metrics.prom", tmpdir);
	f = fopen(pfile, "w");
	fputs(text, f);
	fclose(f);
	parse_samples(text);
	return rc;
}

/*
 * promtool test rules: the jmgpu_fw_up series of this scrape held for 10
 * minutes, and a VF's fb_violations counter that grows: after 6 minutes
 * JmgpuFirmwareDown fires for exactly the cards whose value is 0, and
 * JmgpuFramebufferViolation for that VF.
 */
static int test_rules(const char *rules, char *res, size_t len)
{
	char tf[400], cmd[1200], lab[400];
	FILE *f;
	int i;

	snprintf(tf, sizeof(tf), "%s/rules-test.yml", tmpdir);
	f = fopen(tf, "w");
	fprintf(f, "rule_files:\n  - %s\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n",
		rules);
	for (i = 0; i < nsamples; i++)
		if (!strcmp(samples[i].name, "jmgpu_fw_up"))
			fprintf(f, "      - series: 'jmgpu_fw_up{%s}'\n        values: '%gx10'\n",
				samples[i].labels, samples[i].value);
	snprintf(lab, sizeof(lab), "pf=\"%s\",vf=\"1\"", PF);
	fprintf(f, "      - series: 'jmgpu_vf_fb_violations_total{%s}'\n        values: '0 0 0 2 2 2 2 2 2 2'\n", lab);
	fprintf(f, "    alert_rule_test:\n      - eval_time: 6m\n        alertname: JmgpuFirmwareDown\n        exp_alerts:\n");
	for (i = 0; i < nsamples; i++)
		if (!strcmp(samples[i].name, "jmgpu_fw_up") && samples[i].value == 0) {
			char pf[32] = "";

			sscanf(samples[i].labels, "pf=\"%31[^\"]\"", pf);
			fprintf(f, "          - exp_labels: { severity: critical, pf: \"%s\" }\n"
				"            exp_annotations:\n              summary: \"jmgpu card %s: firmware not up or jmgpu_pf not bound\"\n",
				pf, pf);
		}
	fprintf(f, "      - eval_time: 5m\n        alertname: JmgpuFramebufferViolation\n        exp_alerts:\n"
		"          - exp_labels: { severity: warning, pf: \"%s\", vf: \"1\" }\n"
		"            exp_annotations:\n              summary: \"jmgpu card %s VF 1: accesses outside its framebuffer slice (blocked)\"\n",
		PF, PF);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "'%s' test rules '%s'", promtool, tf);
	return sh(cmd, res, len);
}

/* every "expr" of the dashboard's panels, $pf as .*, into rules (a file) */
static int dashboard_exprs(const char *dash, const char *rules, char *bad, size_t len)
{
	json_object *d = json_object_from_file(dash), *panels;
	int i, j, n = 0;
	FILE *f;

	bad[0] = 0;
	if (!d || !json_object_object_get_ex(d, "panels", &panels))
		return -1;
	f = fopen(rules, "w");
	fprintf(f, "groups:\n  - name: dashboard\n    rules:\n");
	for (i = 0; i < (int)json_object_array_length(panels); i++) {
		json_object *t = json_object_object_get(json_object_array_get_idx(panels, i), "targets");

		for (j = 0; t && j < (int)json_object_array_length(t); j++) {
			const char *e = json_object_get_string(json_object_object_get(
				json_object_array_get_idx(t, j), "expr"));
			char ex[1024], *o = ex;
			const char *m;

			for (; e && *e && o < ex + sizeof(ex) - 4; e++) {
				if (!strncmp(e, "$pf", 3)) {
					o += sprintf(o, ".*");
					e += 2;
				} else {
					*o++ = *e == '\'' ? '"' : *e;
				}
			}
			*o = 0;
			fprintf(f, "      - record: jmgpu:dashboard:%d\n        expr: '%s'\n", n++, ex);
			/* the metric names it uses: jmgpu_... not followed by ( or : */
			for (m = ex; (m = strstr(m, "jmgpu_")); ) {
				char name[96], fam[110];

				sscanf(m, "%95[a-z_]", name);
				m += strlen(name);
				snprintf(fam, sizeof(fam), "# TYPE %s ", name);
				if (!strstr(text, fam) && len > strlen(bad) + strlen(name) + 2)
					snprintf(bad + strlen(bad), len - strlen(bad), " %s", name);
			}
		}
	}
	fclose(f);
	json_object_put(d);
	return n;
}

/* vGPUs of mixed profiles on 6 VFs of PF: VF 0..4 hold one, VF 5 none */
static const char *mix[] = { "fb256m-w25", "fb128m-w6", "fb256m-w12", "fb64m-w3",
			     "fb32m-w1-headless" };
#define NMIX 5

int main(void)
{
	char lab[300], vlab[64], before[8192] = "", after[8192] = "";
	int i, rc, ok, nvgpu;

	fake_init();
	find_promtool();
	tap_plan(23);
	tap_diag("checker: %s", promtool[0] ? promtool :
		 "fallback (python3-prometheus-client parser + naming rules)");
	setup_tree(true, true);
	fake_run("enable " PF " 6");
	for (i = 0; i < NMIX; i++)
		fake_run("create --profile %s --uuid 5a1e000%d-0000-4000-8000-00000000000%d",
			 mix[i], i, i);
	nvgpu = 0;
	for (i = 0; i < 6; i++)
		nvgpu += K->vf[i].prof >= 0;
	rc = scrape();
	tap_ok(rc == 0 && nvgpu == NMIX, "stats --prometheus of a card with %d vGPUs of %d profiles and an unbound card: exit 0",
	       nvgpu, NMIX);
	rc = check(pfile, text, buf, sizeof(buf));
	tap_ok(rc == 0, "%s finds nothing to say", promtool[0] ? "promtool check metrics" : "the fallback check");
	if (rc)
		tap_diag_text("check", buf, 30);
	/* the check can fail: a gauge named like a counter, a bad escape */
	{
		FILE *f;
		char bad[400];

		snprintf(bad, sizeof(bad), "%s/bad.prom", tmpdir);
		f = fopen(bad, "w");
		fputs("# HELP jmgpu_x_total a gauge with a counter's name\n# TYPE jmgpu_x_total gauge\njmgpu_x_total{pf=\"a\\q\"} 1\n", f);
		fclose(f);
		tap_ok(check(bad, "# HELP jmgpu_x_total a\n# TYPE jmgpu_x_total gauge\njmgpu_x_total 1\n",
			     buf, sizeof(buf)) != 0,
		       "  ... and it does refuse a gauge named *_total with a bad escape");
	}
	if (have_python_client()) {
		rc = run_fallback(pfile, text, buf, sizeof(buf));
		tap_ok(rc == 0, "the fallback check (prometheus_client parser, naming rules) agrees");
		if (rc)
			tap_diag_text("fallback", buf, 30);
	} else {
		tap_skip("python3-prometheus-client not installed", "the fallback check agrees");
	}
	tap_ok(!naming(text), "naming: every family has HELP, counters and only counters end in _total (%s)",
	       naming(text) ? naming(text) : "ok");
	tap_ok(value_of("jmgpu_fw_up", "pf=\"" PF "\"") == 1 &&
	       value_of("jmgpu_fw_up", "pf=\"" PF2 "\"") == 0 &&
	       value_of("jmgpu_pf_driver_bound", "pf=\"" PF2 "\"") == 0,
	       "jmgpu_fw_up is 1 for the bound card, 0 for the unbound one (so its alert can fire)");
	tap_ok(value_of("jmgpu_vfs_supported", "pf=\"" PF2 "\"") == 32 &&
	       count_of("jmgpu_fb_size_bytes", PF2) == 0 && count_of("jmgpu_fw_recoveries_total", PF2) == 0,
	       "the unbound card: what the PCI core knows, nothing the driver would tell");
	ok = count_of("jmgpu_vgpu_info", NULL) == NMIX;
	for (i = 0; i < 6; i++) {
		if (K->vf[i].prof < 0)
			continue;
		snprintf(lab, sizeof(lab), "pf=\"%s\",vf=\"%d\",address=\"%s\",uuid=\"%s\",profile=\"%s\"",
			 PF, i, vf_bdf(i), K->vf[i].uuid, profs[K->vf[i].prof].name);
		if (value_of("jmgpu_vgpu_info", lab) != 1) {
			tap_diag("no jmgpu_vgpu_info{%s} 1", lab);
			ok = 0;
		}
	}
	tap_ok(ok, "one jmgpu_vgpu_info{pf,vf,address,uuid,profile} 1 per vGPU (%d)", NMIX);
	ok = 1;
	for (i = 0; i < nsamples; i++)
		if (strcmp(samples[i].name, "jmgpu_vgpu_info") &&
		    (strstr(samples[i].labels, "uuid=") || strstr(samples[i].labels, "profile="))) {
			if (ok-- > -3)
				tap_diag("%s{%s} carries a vGPU label", samples[i].name,
					 samples[i].labels);
		}
	ok = ok == 1;
	tap_ok(ok, "no other series carries a uuid or profile label");
	ok = count_of("jmgpu_vf_engine_busy_ratio", NULL) == 6;
	for (i = 0; i < 6; i++) {
		double v;

		snprintf(vlab, sizeof(vlab), "pf=\"%s\",vf=\"%d\"", PF, i);
		v = value_of("jmgpu_vf_engine_busy_ratio", vlab);
		if (v < 0 || v > 1 || (int)(v * 100 + 0.5) != fake_busy(i)) {
			tap_diag("busy ratio of VF %d: %g, the driver says %d %%", i, v,
				 fake_busy(i));
			ok = 0;
		}
	}
	tap_ok(ok, "jmgpu_vf_engine_busy_ratio: the driver's busy %% as a ratio 0..1, per VF");
	/* exact: the counts are above 2^53 ns, where a double would round */
	ok = strstr(text, "# TYPE jmgpu_vf_engine_busy_seconds_total counter\n") &&
	     count_of("jmgpu_vf_engine_busy_seconds_total", NULL) == 6;
	for (i = 0; i < 6; i++) {
		unsigned long long ns = fake_busy_ns(i);
		char line[200];

		snprintf(line, sizeof(line),
			 "\njmgpu_vf_engine_busy_seconds_total{pf=\"%s\",vf=\"%d\"} %llu.%09llu\n",
			 PF, i, ns / 1000000000ULL, ns % 1000000000ULL);
		if (!strstr(text, line)) {
			tap_diag("no sample%.*s (stats/engine_busy_ns %llu)",
				 (int)strlen(line) - 1, line, ns);
			ok = 0;
		}
	}
	tap_ok(ok, "jmgpu_vf_engine_busy_seconds_total: a counter, the firmware's engine_busy_ns in exact seconds, per VF");
	ok = 1;
	for (i = 0; i < 6; i++) {
		snprintf(vlab, sizeof(vlab), "pf=\"%s\",vf=\"%d\"", PF, i);
		if (value_of("jmgpu_vf_fb_provisioned_bytes", vlab) !=
		    (K->vf[i].prof >= 0 ? (double)profs[K->vf[i].prof].fb : 0) ||
		    value_of("jmgpu_vf_jobs_total", vlab) != 100 * i)
			ok = 0;
	}
	tap_ok(ok, "jmgpu_vf_fb_provisioned_bytes is the profile's size (0 without a vGPU), jmgpu_vf_jobs_total the driver's count");
	tap_ok(strstr(text, "jmgpu_card_info{pf=\"" PF "\",fw_version=\"1.0 \\\"7\\\"\",sched_policy=\"best-effort\"} 1\n") != NULL,
	       "label values escaped: fw_version 1.0 \"7\" as \"1.0 \\\"7\\\"\"");
	/* the example alerting rules */
	{
		char rules[PATH_MAX], cmd[PATH_MAX + 600];

		if (!realpath("../../sriov_cfg/jmgpu-alerts.yml", rules))
			rules[0] = 0;
		if (!promtool[0]) {
			tap_skip("promtool not installed (scripts/install-deps.sh)",
				 "promtool check rules jmgpu-alerts.yml");
			tap_skip("promtool not installed", "promtool test rules");
		} else {
			snprintf(cmd, sizeof(cmd), "'%s' check rules '%s'", promtool, rules);
			rc = sh(cmd, buf, sizeof(buf));
			tap_ok(rules[0] && rc == 0, "promtool check rules sriov_cfg/jmgpu-alerts.yml");
			if (rc)
				tap_diag_text("rules", buf, 30);
			rc = test_rules(rules, buf, sizeof(buf));
			tap_ok(rules[0] && rc == 0,
			       "promtool test rules: JmgpuFirmwareDown fires for the unbound card only, from this output's series");
			if (rc)
				tap_diag_text("test rules", buf, 30);
		}
	}
	/* the Grafana dashboard */
	{
		char dash[PATH_MAX], rf[400], cmd[PATH_MAX + 600], bad[400];
		int nq;

		snprintf(rf, sizeof(rf), "%s/dashboard-rules.yml", tmpdir);
		if (!realpath("../../sriov_cfg/jmgpu-grafana.json", dash))
			dash[0] = 0;
		nq = dash[0] ? dashboard_exprs(dash, rf, bad, sizeof(bad)) : -1;
		tap_ok(nq > 5 && !bad[0], "jmgpu-grafana.json: its %d queries name only metrics sriov_cfg emits%s%s",
		       nq, bad[0] ? "; unknown:" : "", bad);
		if (!promtool[0]) {
			tap_skip("promtool not installed", "jmgpu-grafana.json: every query parses");
		} else {
			snprintf(cmd, sizeof(cmd), "'%s' check rules '%s'", promtool, rf);
			rc = sh(cmd, buf, sizeof(buf));
			tap_ok(nq > 5 && rc == 0, "jmgpu-grafana.json: every query parses (promtool check rules, as recording rules)");
			if (rc)
				tap_diag_text("dashboard", buf, 30);
		}
	}
	/* re-creating a vGPU: a new info series, the VF series stay the same */
	for (i = 0; i < nsamples; i++)
		if (strcmp(samples[i].name, "jmgpu_vgpu_info"))
			snprintf(before + strlen(before), sizeof(before) - strlen(before), "%s{%s}\n",
				 samples[i].name, samples[i].labels);
	fake_run("destroy %s", K->vf[3].uuid);
	fake_run("create --profile fb64m-w3 --pf " PF " --uuid 5a1e00ff-0000-4000-8000-0000000000ff");
	scrape();
	for (i = 0; i < nsamples; i++)
		if (strcmp(samples[i].name, "jmgpu_vgpu_info"))
			snprintf(after + strlen(after), sizeof(after) - strlen(after), "%s{%s}\n",
				 samples[i].name, samples[i].labels);
	tap_ok(!strcmp(before, after) && count_of("jmgpu_vgpu_info", "5a1e00ff") == 1 &&
	       count_of("jmgpu_vgpu_info", NULL) == NMIX,
	       "a vGPU re-created with a new UUID: one new info series, every other series as before");
	/* both cards without their driver */
	K->pf_bound = false;
	unlink(P("/sys/bus/pci/devices/%s/driver", PF));
	rc = scrape();
	tap_ok(rc == 0 && value_of("jmgpu_fw_up", "pf=\"" PF "\"") == 0 &&
	       value_of("jmgpu_fw_up", "pf=\"" PF2 "\"") == 0,
	       "no driver bound at all: exit 0, jmgpu_fw_up 0 for both cards");
	rc = check(pfile, text, buf, sizeof(buf));
	tap_ok(rc == 0, "  ... and %s finds nothing to say", promtool[0] ? "promtool check metrics" : "the fallback check");
	if (rc)
		tap_diag_text("check", buf, 30);
	tap_ok(count_of("jmgpu_vgpu_info", NULL) == 0 && count_of("jmgpu_vf_jobs_total", NULL) == 0,
	       "  ... and no VF series");
	tap_ok(!naming(text), "  ... naming rules hold too");
	/* the check over the unbound-only output really read samples */
	tap_ok(count_of("jmgpu_vfs_enabled", NULL) == 2 && count_of("jmgpu_pf_driver_bound", NULL) == 2,
	       "  ... one jmgpu_vfs_enabled and jmgpu_pf_driver_bound per card");
	fake_done();
	return tap_done();
}

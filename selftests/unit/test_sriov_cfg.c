// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test of sriov_cfg against a fake sysfs tree (--sysfs-root).
 *
 * The tree holds one jmgpu card as jmgpu_pf and jmgpu_vfio_pci show it. A
 * small fake kernel (sysfs_write_hook) plays the drivers' part for writes:
 * sriov_numvfs creates the VFs, drivers_probe binds them, an mdev type's
 * create provisions the VF (with the PF's resource accounting), remove
 * unprovisions. Every command runs in a forked child (as the tool would),
 * its exit status and output are checked. TAP output.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "../../sriov_cfg/sriov_cfg.h"

#define PF	"0000:01:00.0"
#define MiB	(1024ULL * 1024)


/* the checks this program makes (one tap() each) */
#define NTESTS 101
static int tn, tfail;
static char root[256], outf[300], errf[300], cfgf[300];
static char out[65536], err[16384];

static void tap(int cond, const char *fmt, ...)
{
	va_list ap;

	tn++;
	if (!cond)
		tfail++;
	printf("%sok %d - ", cond ? "" : "not ", tn);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		printf("# stdout: %.2000s\n# stderr: %.2000s\n", out, err);
	fflush(stdout);
}

/* ---- the fake card ------------------------------------------------ */

struct fprof {
	const char *name;
	unsigned long long fb;
	unsigned int w, codec, heads, x, y;
	bool unsupported;
};

static const struct fprof profs[] = {
	{ "fb64m-w3", 64 * MiB, 3, 2, 1, 1920, 1080, false },
	{ "fb128m-w6", 128 * MiB, 6, 4, 1, 2560, 1440, false },
	{ "fb256m-w12", 256 * MiB, 12, 8, 2, 3840, 2160, false },
	{ "fb256m-w25", 256 * MiB, 25, 16, 4, 7680, 4320, false },
	{ "fb32m-w1-headless", 32 * MiB, 1, 0, 0, 0, 0, false },
	{ "fb512m-w50", 512 * MiB, 50, 16, 4, 7680, 4320, true },
};
#define NPROF ((int)(sizeof(profs) / sizeof(profs[0])))

struct fvf {
	bool bound;
	int prof;		/* -1 none */
	int open;
	char uuid[40];
};

struct fcard {
	bool pf_bound;
	int numvfs;
	struct fvf vf[32];
	char policy[32], autoprov[32];
	int slice;
	int writes;		/* sysfs writes seen */
};

static struct fcard *K;		/* MAP_SHARED: survives the children */

static const char *P(const char *fmt, ...)
{
	static char b[4][1024];
	static int n;
	char *p = b[n++ % 4];
	int l = snprintf(p, 1024, "%s", root);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p + l, 1024 - l, fmt, ap);
	va_end(ap);
	return p;
}

static void put(const char *path, const char *fmt, ...)
{
	FILE *f = fopen(path, "w");
	va_list ap;

	if (!f) {
		perror(path);
		exit(2);
	}
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

static void mkdir_p(const char *path)
{
	char tmp[1024], *s;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (s = tmp + 1; *s; s++)
		if (*s == '/') {
			*s = 0;
			mkdir(tmp, 0755);
			*s = '/';
		}
	mkdir(tmp, 0755);
}

static void rm_rf(const char *path)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	if (system(cmd))
		exit(2);
}

static const char *vf_bdf(int i)
{
	static char b[4][32];
	static int n;
	char *p = b[n++ % 4];

	snprintf(p, 32, "0000:02:%02x.%d", i / 8, i % 8);
	return p;
}

static void used(unsigned long long *fb, unsigned int *w, unsigned int *c)
{
	int i;

	*fb = 0;
	*w = *c = 0;
	for (i = 0; i < K->numvfs; i++)
		if (K->vf[i].prof >= 0) {
			*fb += profs[K->vf[i].prof].fb;
			*w += profs[K->vf[i].prof].w;
			*c += profs[K->vf[i].prof].codec;
		}
}

static bool fits(int p)
{
	unsigned long long fb;
	unsigned int w, c;

	used(&fb, &w, &c);
	return !profs[p].unsupported && fb + profs[p].fb <= 2048 * MiB &&
	       w + profs[p].w <= 100 && c + profs[p].codec <= 64;
}

/* rewrite every file the drivers compute from their state */
static void regen(void)
{
	const char *j = "/sys/bus/pci/devices/" PF "/jmgpu";
	unsigned long long fb;
	unsigned int w, c;
	char buf[8192];
	int i, p, n;
	FILE *f;

	if (!K->pf_bound)
		return;
	used(&fb, &w, &c);
	put(P("/sys/bus/pci/devices/%s/sriov_numvfs", PF), "%d\n", K->numvfs);
	put(P("/sys/bus/pci/devices/%s/jmgpu/fb_free", PF), "%llu\n", 2048 * MiB - fb);
	put(P("/sys/bus/pci/devices/%s/jmgpu/fb_largest_free", PF), "%llu\n",
	    2048 * MiB - fb > 256 * MiB ? 256 * MiB : 2048 * MiB - fb);
	put(P("/sys/bus/pci/devices/%s/jmgpu/engine_weight_free", PF), "%u\n", 100 - w);
	put(P("/sys/bus/pci/devices/%s/jmgpu/codec_sessions_free", PF), "%u\n", 64 - c);
	put(P("/sys/bus/pci/devices/%s/jmgpu/sched_policy", PF), "%s\n", K->policy);
	put(P("/sys/bus/pci/devices/%s/jmgpu/timeslice_us", PF), "%d\n", K->slice);
	put(P("/sys/bus/pci/devices/%s/jmgpu/auto_provision", PF), "%s\n", K->autoprov);
	f = fopen(P("%s/profiles", j), "w");
	for (p = 0; p < NPROF; p++)
		fprintf(f, "%s %llu %u %u %u %ux%u %s\n", profs[p].name, profs[p].fb,
			profs[p].w, profs[p].codec, profs[p].heads, profs[p].x,
			profs[p].y, profs[p].unsupported ? "unsupported" :
			fits(p) ? "available" : "full");
	fclose(f);
	n = 0;
	buf[0] = 0;
	for (i = 0; i < K->numvfs; i++) {
		int q = K->vf[i].prof;

		n += snprintf(buf + n, sizeof(buf) - n,
			      "vf%d %s %s 0x%x 0x%llx %u %u %u %ux%u 2 %d\n", i,
			      q >= 0 ? profs[q].name : "-", q >= 0 ? "mdev" : "-",
			      0, q >= 0 ? profs[q].fb : 0, q >= 0 ? profs[q].w : 0,
			      q >= 0 ? profs[q].codec : 0, q >= 0 ? profs[q].heads : 0,
			      q >= 0 ? profs[q].x : 0, q >= 0 ? profs[q].y : 0, q >= 0);
	}
	put(P("%s/vfs", j), "%s", buf);
	n = 0;
	buf[0] = 0;
	for (i = 0; i < K->numvfs; i++) {
		int q = K->vf[i].prof;

		n += snprintf(buf + n, sizeof(buf) - n, "vf%d %d %llu %d %d %d 0 0 0\n",
			      i, q >= 0 ? 10 + i : 0, q >= 0 ? profs[q].fb / MiB : 0,
			      100 * i, 4096 * i, 7 * i);
	}
	put(P("%s/vf_stats", j), "%s", buf);
	for (i = 0; i < K->numvfs; i++) {
		if (!K->vf[i].bound)
			continue;
		for (p = 0; p < NPROF; p++)
			put(P("/sys/bus/pci/devices/%s/mdev_supported_types/jmgpu_vfio_pci-%s/available_instances",
			      vf_bdf(i), profs[p].name), "%d\n",
			    K->vf[i].prof < 0 && fits(p));
		if (K->vf[i].prof >= 0)
			put(P("/sys/bus/mdev/devices/%s/jmgpu/open", K->vf[i].uuid),
			    "%d\n", K->vf[i].open);
	}
}

static void make_vfs(int n)
{
	int i, p;

	for (i = 0; i < n; i++) {
		char dd[512];
		const char *d = dd;

		snprintf(dd, sizeof(dd), "%s/sys/bus/pci/devices/%s", root, vf_bdf(i));

		mkdir_p(d);
		put(P("%s/vendor", d + strlen(root)), "0x1ee7\n");
		put(P("%s/device", d + strlen(root)), "0x0002\n");
		put(P("%s/driver_override", d + strlen(root)), "(null)\n");
		if (symlink(P("/sys/bus/pci/devices/%s", PF),
			    P("/sys/bus/pci/devices/%s/physfn", vf_bdf(i))) ||
		    symlink(P("/sys/bus/pci/devices/%s", vf_bdf(i)),
			    P("/sys/bus/pci/devices/%s/virtfn%d", PF, i)))
			exit(2);
		memset(&K->vf[i], 0, sizeof(K->vf[i]));
		K->vf[i].prof = -1;
		(void)p;
	}
	K->numvfs = n;
}

static void remove_vfs(void)
{
	int i;

	for (i = 0; i < K->numvfs; i++) {
		rm_rf(P("/sys/bus/pci/devices/%s", vf_bdf(i)));
		unlink(P("/sys/bus/pci/devices/%s/virtfn%d", PF, i));
	}
	K->numvfs = 0;
}

static int vf_of(const char *path)
{
	int i;

	for (i = 0; i < K->numvfs; i++)
		if (strstr(path, vf_bdf(i)))
			return i;
	return -1;
}

static int fake_kernel(const char *path, const char *val)
{
	const char *rel = path + strlen(root);
	int i, n, p;

	K->writes++;
	if (!strncmp(rel, "/sys/bus/pci/devices/" PF "/sriov_numvfs", 100)) {
		n = atoi(val);
		if (n < 0 || n > 32)
			return -EINVAL;
		if (n && K->numvfs)
			return -EBUSY;
		for (i = 0; i < K->numvfs; i++)
			if (K->vf[i].prof >= 0)
				return -EBUSY;
		if (n)
			make_vfs(n);
		else
			remove_vfs();
		regen();
		return 0;
	}
	if (strstr(rel, "/driver_override")) {
		put(path, "%s\n", val);
		return 0;
	}
	if (!strcmp(rel, "/sys/bus/pci/drivers_probe")) {
		char o[64] = "";
		FILE *f;

		i = vf_of(val);
		if (i < 0)
			return -ENODEV;
		f = fopen(P("/sys/bus/pci/devices/%s/driver_override", vf_bdf(i)), "r");
		if (!f || !fgets(o, sizeof(o), f))
			o[0] = 0;
		if (f)
			fclose(f);
		if (strcmp(o, "jmgpu_vfio_pci\n") ||
		    access(P("/sys/bus/pci/drivers/jmgpu_vfio_pci"), F_OK))
			return 0;
		if (symlink(P("/sys/bus/pci/drivers/jmgpu_vfio_pci"),
			    P("/sys/bus/pci/devices/%s/driver", vf_bdf(i))))
			return -EIO;
		for (p = 0; p < NPROF; p++) {
			char tt[512];
			const char *t = tt;

			snprintf(tt, sizeof(tt), "%s/sys/bus/pci/devices/%s/mdev_supported_types/jmgpu_vfio_pci-%s",
				 root, vf_bdf(i), profs[p].name);

			mkdir_p(P("%s/devices", t + strlen(root)));
			put(P("%s/name", t + strlen(root)), "%s\n", profs[p].name);
			put(P("%s/device_api", t + strlen(root)), "vfio-pci\n");
			put(P("%s/create", t + strlen(root)), "");
		}
		K->vf[i].bound = true;
		regen();
		return 0;
	}
	if (strstr(rel, "/mdev_supported_types/") && strstr(rel, "/create")) {
		i = vf_of(rel);
		for (p = 0; p < NPROF; p++)
			if (strstr(rel, profs[p].name) &&
			    strstr(rel, profs[p].name)[strlen(profs[p].name)] == '/')
				break;
		if (i < 0 || p == NPROF)
			return -ENOENT;
		if (!uuid_valid(val))
			return -EINVAL;
		if (!access(P("/sys/bus/mdev/devices/%s", val), F_OK))
			return -EEXIST;
		if (K->vf[i].prof >= 0)
			return -EBUSY;
		if (!fits(p))
			return -ENOSPC;
		K->vf[i].prof = p;
		K->vf[i].open = 0;
		snprintf(K->vf[i].uuid, sizeof(K->vf[i].uuid), "%s", val);
		mkdir_p(P("/sys/bus/mdev/devices/%s/jmgpu", val));
		put(P("/sys/bus/mdev/devices/%s/remove", val), "");
		put(P("/sys/bus/mdev/devices/%s/jmgpu/profile", val), "%s\n", profs[p].name);
		if (symlink(P("/sys/bus/mdev/devices/%s", val),
			    P("/sys/bus/pci/devices/%s/mdev_supported_types/jmgpu_vfio_pci-%s/devices/%s",
			      vf_bdf(i), profs[p].name, val)))
			return -EIO;
		regen();
		return 0;
	}
	if (!strncmp(rel, "/sys/bus/mdev/devices/", 22) && strstr(rel, "/remove")) {
		for (i = 0; i < K->numvfs; i++)
			if (K->vf[i].prof >= 0 && strstr(rel, K->vf[i].uuid))
				break;
		if (i == K->numvfs)
			return -ENOENT;
		if (K->vf[i].open)
			return -EAGAIN;
		unlink(P("/sys/bus/pci/devices/%s/mdev_supported_types/jmgpu_vfio_pci-%s/devices/%s",
			 vf_bdf(i), profs[K->vf[i].prof].name, K->vf[i].uuid));
		rm_rf(P("/sys/bus/mdev/devices/%s", K->vf[i].uuid));
		K->vf[i].prof = -1;
		K->vf[i].uuid[0] = 0;
		regen();
		return 0;
	}
	if (strstr(rel, "/jmgpu/sched_policy")) {
		if (strcmp(val, "best-effort") && strcmp(val, "equal-share") &&
		    strcmp(val, "fixed-share"))
			return -EINVAL;
		snprintf(K->policy, sizeof(K->policy), "%s", val);
		regen();
		return 0;
	}
	if (strstr(rel, "/jmgpu/timeslice_us")) {
		K->slice = atoi(val);
		regen();
		return 0;
	}
	if (strstr(rel, "/jmgpu/auto_provision")) {
		snprintf(K->autoprov, sizeof(K->autoprov), "%s", val);
		regen();
		return 0;
	}
	return -EPERM;
}

/* a fresh card: jmgpu_pf bound, SR-IOV off */
static void setup_tree(bool vfio_driver)
{
	char pfd[512];
	const char *pf = pfd;

	snprintf(pfd, sizeof(pfd), "%s/sys/bus/pci/devices/%s", root, PF);
	rm_rf(P("/sys"));
	memset(K, 0, sizeof(*K));
	mkdir_p(P("%s/jmgpu", pf + strlen(root)));
	mkdir_p(P("/sys/bus/pci/drivers/jmgpu_pf"));
	mkdir_p(P("/sys/bus/mdev/devices"));
	if (vfio_driver)
		mkdir_p(P("/sys/bus/pci/drivers/jmgpu_vfio_pci"));
	put(P("/sys/bus/pci/drivers_probe"), "");
	put(P("%s/vendor", pf + strlen(root)), "0x1ee7\n");
	put(P("%s/device", pf + strlen(root)), "0x0001\n");
	put(P("%s/sriov_totalvfs", pf + strlen(root)), "32\n");
	if (symlink(P("/sys/bus/pci/drivers/jmgpu_pf"), P("%s/driver", pf + strlen(root))))
		exit(2);
	put(P("%s/jmgpu/fb_size", pf + strlen(root)), "%llu\n", 2048 * MiB);
	put(P("%s/jmgpu/fb_granule", pf + strlen(root)), "%llu\n", 4 * MiB);
	put(P("%s/jmgpu/vf_aperture", pf + strlen(root)), "%llu\n", 256 * MiB);
	put(P("%s/jmgpu/engine_weight_total", pf + strlen(root)), "100\n");
	put(P("%s/jmgpu/codec_sessions_total", pf + strlen(root)), "64\n");
	put(P("%s/jmgpu/display_heads", pf + strlen(root)), "4\n");
	put(P("%s/jmgpu/max_resolution", pf + strlen(root)), "7680x4320\n");
	put(P("%s/jmgpu/fw_version", pf + strlen(root)), "1.0 7\n");
	put(P("%s/jmgpu/fw_state", pf + strlen(root)), "ok\n");
	put(P("%s/jmgpu/recoveries", pf + strlen(root)), "0\n");
	snprintf(K->policy, sizeof(K->policy), "best-effort");
	snprintf(K->autoprov, sizeof(K->autoprov), "none");
	K->slice = 1000;
	K->pf_bound = true;
	regen();
}

/* ---- running the tool ----------------------------------------------- */

static void slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? 0 : read(fd, buf, len - 1);

	buf[n > 0 ? n : 0] = 0;
	if (fd >= 0)
		close(fd);
}

/* run sriov_cfg --sysfs-root <root> <args...>; returns its exit status */
static int run(const char *args, ...)
{
	char *argv[32], *a, buf[2048];
	int argc = 0, st;
	va_list ap;
	pid_t pid;

	va_start(ap, args);
	vsnprintf(buf, sizeof(buf), args, ap);
	va_end(ap);
	argv[argc++] = "sriov_cfg";
	argv[argc++] = "--sysfs-root";
	argv[argc++] = root;
	for (a = strtok(buf, " "); a && argc < 31; a = strtok(NULL, " "))
		argv[argc++] = a;
	argv[argc] = NULL;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int o = open(outf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(o, 1);
		dup2(e, 2);
		sysfs_write_hook = fake_kernel;
		st = sriov_cfg_main(argc, argv);
		fflush(stdout);
		fflush(stderr);
		_exit(st);
	}
	waitpid(pid, &st, 0);
	slurp(outf, out, sizeof(out));
	slurp(errf, err, sizeof(err));
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void cfg(const char *fmt, ...)
{
	FILE *f = fopen(cfgf, "w");
	va_list ap;

	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

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

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)); hay++)
		n++;
	return n;
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

#define U(n) "1111111" #n "-2222-4333-8444-555555555555"

static void test_cli(void)
{
	tap(run("") == EINVAL && strstr(err, "no command"), "no command: EINVAL + usage");
	tap(run("frobnicate") == EINVAL && strstr(err, "frobnicate: unknown command"),
	    "unknown command named: EINVAL");
	tap(run("status --bogus") == EINVAL && strstr(err, "--bogus"), "unknown option named: EINVAL");
	tap(run("top -n x") == EINVAL && strstr(err, "x: -n wants"), "top -n x: EINVAL");
	tap(run("enable " PF) == EINVAL && strstr(err, "enable: wrong arguments"),
	    "enable without N: EINVAL");
	tap(run("create") == EINVAL, "create without --profile: EINVAL");
	tap(run("--sysfs-root /nonexistent status") == ENODEV && strstr(err, "no PCI bus"),
	    "a sysfs root without a PCI bus: ENODEV naming it");
}

static void test_status_enable(void)
{
	json_object *j, *c, *v;

	setup_tree(false);
	tap(run("status") == 0 && strstr(out, "card " PF "  VFs 0/32") &&
	    strstr(out, "FB 2048 MiB free of 2048 MiB"), "status of a card without VFs");
	tap(run("profiles") == 0 && count(out, "fb") >= NPROF &&
	    strstr(out, "fb512m-w50") && strstr(out, "unsupported"),
	    "profiles lists the driver's table with states");
	tap(run("profiles --json") == 0 && (j = json_tokener_parse(out)) &&
	    json_object_array_length(json_object_object_get(
		    json_object_array_get_idx(json_object_object_get(j, "cards"), 0),
		    "profiles")) == NPROF, "profiles --json: %d profiles", NPROF);
	json_object_put(j);
	tap(run("enable 01:00.0 40") == EINVAL && strstr(err, PF ": 40 VFs requested"),
	    "enable 40: EINVAL naming the card and sriov_totalvfs");
	tap(run("enable 01:00.0 x") == EINVAL && strstr(err, "x: not a number"),
	    "enable x: EINVAL");
	tap(run("enable zz 2") == EINVAL && strstr(err, "zz: not a PCI address"),
	    "enable on a bad address: EINVAL");
	tap(run("enable 05:00.0 2") == ENODEV && strstr(err, "0000:05:00.0: no jmgpu card"),
	    "enable on an address without a card: ENODEV");
	tap(run("enable 01:00.0 8") == 0 && K->numvfs == 8, "enable 8 writes sriov_numvfs");
	tap(run("enable 01:00.0 8") == 0 && strstr(out, "already") && K->writes == 1,
	    "enable 8 again writes nothing");
	tap(run("enable 01:00.0 4") == 0 && K->numvfs == 4, "enable 4 goes through 0");
	tap(run("status") == 0 && count(out, "unbound") == 4, "status: 4 unbound VFs");
	tap(run("status --json") == 0 && (j = json_tokener_parse(out)) &&
	    (c = json_object_array_get_idx(json_object_object_get(j, "cards"), 0)) &&
	    json_object_get_int(json_object_object_get(c, "vfs_enabled")) == 4 &&
	    json_object_get_int(json_object_object_get(c, "vfs_total")) == 32 &&
	    (v = json_object_object_get(c, "vfs")) && json_object_array_length(v) == 4,
	    "status --json: 4 of 32 VFs, 4 rows");
	json_object_put(j);
	tap(run("disable " PF) == 0 && K->numvfs == 0, "disable");
	tap(run("create --profile fb64m-w3") == ENOSPC && strstr(err, "no VFs enabled"),
	    "create without VFs: ENOSPC, says to enable VFs");
	run("enable " PF " 8");
	tap(run("create --profile fb64m-w3") == ENODEV && strstr(err, "jmgpu_vfio_pci is not loaded"),
	    "create without the VF driver: ENODEV naming it");
	K->pf_bound = false;
	unlink(P("/sys/bus/pci/devices/%s/driver", PF));
	tap(run("enable " PF " 2") == ENODEV && strstr(err, "jmgpu_pf is not bound"),
	    "enable with jmgpu_pf unbound: ENODEV");
}

static void test_create_fill(void)
{
	static const char *mix[] = { "fb256m-w25", "fb256m-w25", "fb256m-w25",
				     "fb256m-w12", "fb256m-w12", "fb32m-w1-headless" };
	char uuids[8][40];
	json_object *j;
	int i, ok = 1, nu;

	setup_tree(true);
	run("enable " PF " 8");
	for (i = 0; i < 6; i++) {
		int rc = run("create --profile %s", mix[i]);

		if (rc || sscanf(out, "%36s", uuids[i]) != 1 || !strstr(out, "0000:02:00."))
			ok = 0;
	}
	tap(ok, "6 vGPUs of 3 profiles created (weight 100 of 100), each prints UUID and VF");
	tap(run("create --profile fb64m-w3") == ENOSPC &&
	    strstr(err, "profile fb64m-w3: does not fit: needs engine weight 3, 0 of 100 free"),
	    "a 7th vGPU that exceeds the engine weight: ENOSPC naming the profile");
	tap(run("create --profile fb512m-w50") == EINVAL && strstr(err, "not supported"),
	    "unsupported profile: EINVAL");
	tap(run("create --profile nope") == EINVAL && strstr(err, "profile nope: unknown profile"),
	    "unknown profile: EINVAL, lists the known ones");
	tap(run("create --profile fb64m-w3 --uuid zz") == EINVAL && strstr(err, "zz: not a UUID"),
	    "bad --uuid: EINVAL");
	tap(run("create --profile fb64m-w3 --uuid %s", uuids[0]) == EEXIST && strstr(err, uuids[0]),
	    "--uuid already in use: EEXIST");
	tap(run("create --profile fb64m-w3 --pf 03:00.0") == ENODEV, "--pf without a card: ENODEV");
	tap(run("status") == 0 && count(out, "fb256m-w25") == 3 && count(out, "ready") == 6 &&
	    strstr(out, uuids[5]) && strstr(out, "engine weight 0 free of 100"),
	    "status: 6 vGPUs with profiles, UUIDs, vfio state, no weight left");
	nu = 0;
	if (!run("status --json") && (j = json_tokener_parse(out))) {
		json_object *v = json_object_object_get(
			json_object_array_get_idx(json_object_object_get(j, "cards"), 0), "vfs");

		for (i = 0; i < (int)json_object_array_length(v); i++)
			if (json_object_get_string(json_object_object_get(
				    json_object_array_get_idx(v, i), "uuid")))
				nu++;
		json_object_put(j);
	}
	tap(nu == 6, "status --json: 6 VFs with a UUID (%d)", nu);
	tap(run("profiles") == 0 && strstr(out, "fb64m-w3") && !strstr(out, "available"),
	    "profiles: nothing fits any more");
	tap(run("disable " PF) == EBUSY && strstr(err, "vGPU") && K->numvfs == 8,
	    "disable with vGPUs: EBUSY naming one");
	tap(run("enable " PF " 4") == EBUSY && K->numvfs == 8, "changing the VF count with vGPUs: EBUSY");
	tap(run("destroy %s", uuids[5]) == 0 && access(P("/sys/bus/mdev/devices/%s", uuids[5]), F_OK),
	    "destroy removes the mdev");
	tap(run("destroy %s", uuids[5]) == ENOENT && strstr(err, uuids[5]), "destroy again: ENOENT");
	tap(run("destroy not-a-uuid") == EINVAL, "destroy of a non-UUID: EINVAL");
	for (i = 0; i < 8; i++)
		if (K->vf[i].prof >= 0 && !strcmp(K->vf[i].uuid, uuids[0]))
			K->vf[i].open = 1;
	regen();
	tap(run("status") == 0 && strstr(out, " open "), "status shows the open VF");
	tap(run("destroy %s", uuids[0]) == EBUSY && strstr(err, "open by a VM"),
	    "destroy of an open vGPU: EBUSY");
	tap(run("create --profile fb32m-w1-headless --uuid %s", U(9)) == 0 &&
	    strstr(out, U(9)), "create with --uuid after a destroy frees weight");
}

static void test_stats(void)
{
	const char *why;
	json_object *j;
	int line, rc;
	FILE *p;

	rc = run("stats --prometheus");
	why = prom_check(out, &line);
	tap(!rc && !why && strstr(out, "jmgpu_vf_engine_busy_ratio{pf=\"" PF "\""),
	    "stats --prometheus is valid exposition format (%s at line %d)",
	    why ? why : "ok", line);
	tap(prom_check("# TYPE a counter\na 1\n", &line) != NULL,
	    "the checker rejects a counter without _total");
	tap(prom_check("# TYPE a gauge\na{x=\"1} 1\n", &line) != NULL,
	    "the checker rejects an unterminated label");
	tap(prom_check("# TYPE a gauge\n# TYPE b gauge\na 1\n", &line) != NULL,
	    "the checker rejects interleaved families");
	tap(prom_check("# TYPE a gauge\na 1\na 2\n", &line) != NULL,
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
		/* 13 card series, 8 per VF of 8 VFs, one vgpu_info per vGPU (6) */
		tap(line == 13 + 8 * 8 + 6, "prometheus_client parses the output: %d samples", line);
	} else {
		printf("ok %d - prometheus_client parses the output # SKIP python3-prometheus-client not installed\n",
		       ++tn);
	}
	tap(run("stats --json") == 0 && (j = json_tokener_parse(out)) &&
	    json_object_array_length(json_object_object_get(
		    json_object_array_get_idx(json_object_object_get(j, "cards"), 0), "vfs")) == 8,
	    "stats --json: 8 VFs");
	json_object_put(j);
	tap(run("stats") == 0 && strstr(out, "DOORBELLS"), "stats: table");
	tap(run("stats --json --prometheus") == EINVAL, "stats --json --prometheus: EINVAL");
	tap(run("top -n 2 -d 0.1") == 0 && count(out, "sriov_cfg top - sample") == 2 &&
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

	setup_tree(true);
	cfg(GOOD);
	before = snapshot();
	tap(run("apply %s --dry-run", cfgf) == 0 && strstr(out, "plan: " PF ": set sriov_numvfs 0 -> 6") &&
	    count(out, "plan: ") == 6 && strstr(out, "on VF 5 (pinned)") && K->writes == 0,
	    "apply --dry-run prints the plan (6 steps) and writes nothing");
	after = snapshot();
	tap(!strcmp(before, after), "--dry-run: the tree is unchanged");
	free(before);
	free(after);
	tap(run("apply %s", cfgf) == 0 && state_is_good(), "apply brings the card to the declared state");
	w = K->writes;
	before = snapshot();
	tap(run("apply %s", cfgf) == 0 && strstr(out, "nothing to do") && K->writes == w,
	    "a second apply writes nothing");
	after = snapshot();
	tap(!strcmp(before, after), "second apply: the tree is unchanged");
	free(before);
	free(after);
	tap(run("status") == 0 && count(out, "ready") == 3, "status after apply: 3 vGPUs");
	/* the profile of a declared vGPU changed, an undeclared vGPU appeared */
	run("create --profile fb32m-w1-headless --uuid %s", U(8));
	cfg("%s", GOODP("fb128m-w6"));
	tap(run("apply %s --dry-run", cfgf) == 0 && strstr(out, "destroy vGPU " U(8)) &&
	    strstr(out, "destroy vGPU " U(1)) && strstr(out, "create vGPU " U(1) " (fb128m-w6)") &&
	    count(out, "plan: ") == 3, "plan: drop the undeclared vGPU, re-create the changed one");
	tap(run("apply %s", cfgf) == 0 && access(P("/sys/bus/mdev/devices/%s", U(8)), F_OK) &&
	    run("apply %s", cfgf) == 0 && strstr(out, "nothing to do"),
	    "applied, then nothing to do");
	/* the drivers were reloaded: no VFs, no vGPUs */
	cfg(GOOD);
	run("apply %s", cfgf);
	setup_tree(true);
	tap(run("apply %s", cfgf) == 0 && state_is_good(),
	    "after a driver reload apply restores the vGPUs with the same UUIDs");
	/* an open vGPU that the file wants changed */
	K->vf[5].open = 1;
	regen();
	cfg("{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":4}]}");
	before = snapshot();
	tap(run("apply %s", cfgf) == EBUSY && strstr(err, U(3)) && strstr(err, "has it open") &&
	    strstr(err, "nothing changed"), "a plan that removes an open vGPU: EBUSY, names it");
	after = snapshot();
	tap(!strcmp(before, after), "  ... and the tree is unchanged");
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
	{ "unknown profile", "{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":1,\"vgpus\":[{\"uuid\":\"" U(1) "\",\"profile\":\"fb1g\"}]}]}", "cards[0].vgpus[0].profile: unknown profile 'fb1g' (card 0000:01:00.0 has: fb64m-w3", EINVAL },
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

	setup_tree(true);
	cfg(GOOD);
	run("apply %s", cfgf);
	before = snapshot();
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		cfg("%s", bads[i].text);
		rc = run("apply %s", cfgf);
		tap(rc == bads[i].code && strstr(err, cfgf) && strstr(err, bads[i].msg),
		    "bad file, %s: exit %d, '%s'", bads[i].desc, bads[i].code, bads[i].msg);
	}
	after = snapshot();
	tap(!strcmp(before, after) && state_is_good(),
	    "none of the %zu bad files changed anything", sizeof(bads) / sizeof(bads[0]));
	free(after);
	tap(run("apply /nonexistent.conf") == ENOENT && strstr(err, "/nonexistent.conf: cannot open"),
	    "missing file: ENOENT naming it");
	/* a UUID held by an mdev of another parent */
	mkdir_p(P("/sys/bus/mdev/devices/%s", U(7)));
	cfg("{\"cards\":[{\"pf\":\"" PF "\",\"num_vfs\":2,\"vgpus\":[{\"uuid\":\"" U(7) "\",\"profile\":\"fb64m-w3\"}]}]}");
	tap(run("apply %s", cfgf) == EEXIST && strstr(err, "cards[0].vgpus[0].uuid: UUID " U(7) " is in use"),
	    "a UUID used by another mdev parent: EEXIST");
	rm_rf(P("/sys/bus/mdev/devices/%s", U(7)));
	after = snapshot();
	tap(!strcmp(before, after), "  ... and nothing changed");
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
	tap(run("apply %s", cfgf) == 0 && strstr(out, "nothing to do"),
	    "UUIDs compare case-insensitively");
	/* PF driver unbound */
	unlink(P("/sys/bus/pci/devices/%s/driver", PF));
	cfg(GOOD);
	tap(run("apply %s", cfgf) == ENODEV && strstr(err, "cards[0]: card " PF ": driver jmgpu_pf is not bound"),
	    "card without jmgpu_pf: ENODEV");
}

int main(void)
{
	char tmpl[] = "/tmp/sriov_cfg_test.XXXXXX";

	K = mmap(NULL, sizeof(*K), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (K == MAP_FAILED || !mkdtemp(tmpl))
		return 2;
	snprintf(root, sizeof(root), "%s/root", tmpl);
	snprintf(outf, sizeof(outf), "%s/out", tmpl);
	snprintf(errf, sizeof(errf), "%s/err", tmpl);
	snprintf(cfgf, sizeof(cfgf), "%s/sriov.conf", tmpl);
	mkdir(root, 0755);
	setup_tree(false);

	/* the plan up front: a run that stops early is caught by it */
	printf("1..%d\n", NTESTS);
	test_cli();
	test_status_enable();
	test_create_fill();
	test_stats();
	test_apply();
	test_apply_errors();

	if (tn != NTESTS)
		printf("# ran %d checks, planned %d\n", tn, NTESTS);
	rm_rf(tmpl);
	return tfail ? 1 : 0;
}

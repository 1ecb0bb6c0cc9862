/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake sysfs tree for running sriov_cfg (--sysfs-root) in unit tests:
 * one jmgpu card with jmgpu_pf bound (PF), optionally a second card whose
 * PF has no driver (PF2), and a small fake kernel (sysfs_write_hook) that
 * plays the drivers' part for writes: sriov_numvfs creates the VFs,
 * drivers_probe binds them, an mdev type's create provisions the VF with
 * the PF's resource accounting, remove unprovisions, the PF's jmgpu/
 * attributes take their values. fake_fail() makes one chosen write fail
 * as a driver would. Commands run in a forked child (fake_run), whose exit
 * status and output are returned; fake_ok() is tap_ok() that shows them
 * when a check fails. Included by test programs only.
 */
#ifndef FAKE_SYSFS_H
#define FAKE_SYSFS_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../sriov_cfg/sriov_cfg.h"
#include "tap.h"

#define PF	"0000:01:00.0"
#define PF2	"0000:03:00.0"
#define MiB	(1024ULL * 1024)
/* the n-th test UUID (n one hex digit) */
#define U(n)	"1111111" #n "-2222-4333-8444-555555555555"

static char root[256], outf[300], errf[300], cfgf[300], tmpdir[256];
static char out[65536], err[16384];

struct fprof {
	const char *name;
	unsigned long long fb;
	unsigned int w, codec, heads, x, y;
	bool unsupported;
};

static const struct fprof profs[] = {
	{ "fb64m-w3", 64 * MiB, 3, 2, 1, 1920, 1080, false },
	{ "fb128m-w6", 128 * MiB, 6, 4, 1, 2560, 1440, false },
	{ "fb256m-w12", 256 * MiB, 12, 8, 1, 3840, 2160, false },
	{ "fb256m-w25", 256 * MiB, 25, 16, 1, 7680, 4320, false },
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
	/*
	 * fault injection: writes whose path has fail_match fail with
	 * fail_errno, fail_times of them after the first fail_skip
	 */
	char fail_match[128];
	int fail_skip, fail_times, fail_errno;
	bool journal;		/* run the tool with JOURNAL_STREAM = its stderr */
};

static struct fcard *K;		/* MAP_SHARED: survives the children */

static const char *P(const char *fmt, ...)
{
	static char b[8][1024];
	static int n;
	char *p = b[n++ % 8];
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

static void link_or_die(const char *target, const char *name)
{
	if (symlink(target, name)) {
		perror(name);
		exit(2);
	}
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

/* busy % the fake firmware reports for VF i (0 without a vGPU) */
static int fake_busy(int i)
{
	return K->vf[i].prof >= 0 ? (i * 37 + 5) % 101 : 0;
}

/*
 * firmware's cumulative engine time of VF i (0 without a vGPU): odd and
 * above 2^53 ns from VF 1 on, where a double loses nanoseconds
 */
static unsigned long long fake_busy_ns(int i)
{
	return K->vf[i].prof >= 0 ? (unsigned long long)i << 53 | (2ULL * i + 1) : 0;
}

/* rewrite every file the drivers compute from their state */
static void regen(void)
{
	const char *j = "/sys/bus/pci/devices/" PF "/jmgpu";
	unsigned long long fb;
	unsigned int w, c;
	int i, p;

	if (!K->pf_bound)
		return;
	used(&fb, &w, &c);
	put(P("/sys/bus/pci/devices/%s/sriov_numvfs", PF), "%d\n", K->numvfs);
	put(P("%s/fb_free", j), "%llu\n", 2048 * MiB - fb);
	put(P("%s/fb_largest_free", j), "%llu\n",
	    2048 * MiB - fb > 256 * MiB ? 256 * MiB : 2048 * MiB - fb);
	put(P("%s/engine_weight_free", j), "%u\n", 100 - w);
	put(P("%s/codec_sessions_free", j), "%u\n", 64 - c);
	put(P("%s/sched_policy", j), "%s\n", K->policy);
	put(P("%s/timeslice_us", j), "%d\n", K->slice);
	put(P("%s/auto_provision", j), "%s\n", K->autoprov);
	for (p = 0; p < NPROF; p++) {
		char d[512];

		snprintf(d, sizeof(d), "/sys/bus/pci/devices/%s/jmgpu_profiles/%s", PF,
			 profs[p].name);
		mkdir_p(P("%s", d));
		put(P("%s/fb_size", d), "%llu\n", profs[p].fb);
		put(P("%s/engine_weight", d), "%u\n", profs[p].w);
		put(P("%s/codec_sessions", d), "%u\n", profs[p].codec);
		put(P("%s/display_heads", d), "%u\n", profs[p].heads);
		put(P("%s/max_resolution", d), "%ux%u\n", profs[p].x,
		    profs[p].y);
		put(P("%s/state", d), "%s\n", profs[p].unsupported ?
		    "unsupported" : fits(p) ? "available" : "full");
	}
	for (i = 0; i < K->numvfs; i++) {
		int q = K->vf[i].prof;
		char d[512], sd[600];

		snprintf(d, sizeof(d), "/sys/bus/pci/devices/%s/jmgpu_vf/%d", PF, i);
		snprintf(sd, sizeof(sd), "%s/stats", d);
		mkdir_p(P("%s", sd));
		put(P("%s/profile", d), "%s\n", q >= 0 ? profs[q].name : "-");
		put(P("%s/owner", d), "%s\n", q >= 0 ? "mdev" : "-");
		if (q >= 0)
			put(P("%s/fb_offset", d), "0x%x\n", i * 256 * (int)MiB);
		else
			put(P("%s/fb_offset", d), "-\n");
		put(P("%s/fb_size", d), "%llu\n", q >= 0 ? profs[q].fb : 0);
		put(P("%s/engine_weight", d), "%u\n", q >= 0 ? profs[q].w : 0);
		put(P("%s/codec_sessions", d), "%u\n", q >= 0 ? profs[q].codec : 0);
		put(P("%s/display_heads", d), "%u\n", q >= 0 ? profs[q].heads : 0);
		put(P("%s/max_resolution", d), "%ux%u\n", q >= 0 ? profs[q].x : 0,
		    q >= 0 ? profs[q].y : 0);
		put(P("%s/msix_vectors", d), "2\n");
		put(P("%s/in_use", d), "%d\n", q >= 0);
		put(P("%s/engine_busy_ns", sd), "%llu\n", fake_busy_ns(i));
		put(P("%s/engine_busy_percent", sd), "%d\n", fake_busy(i));
		put(P("%s/fb_in_use", sd), "%llu\n", q >= 0 ? profs[q].fb : 0);
		put(P("%s/jobs", sd), "%d\n", 100 * i);
		put(P("%s/bytes", sd), "%d\n", 4096 * i);
		put(P("%s/doorbells", sd), "%d\n", 7 * i);
		put(P("%s/faults", sd), "%d\n", i % 3);
		put(P("%s/resets", sd), "%d\n", i % 2);
		put(P("%s/fb_violations", sd), "0\n");
	}
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
	int i;

	for (i = 0; i < n; i++) {
		char d[512];

		snprintf(d, sizeof(d), "/sys/bus/pci/devices/%s", vf_bdf(i));
		mkdir_p(P("%s", d));
		put(P("%s/vendor", d), "0x1ee7\n");
		put(P("%s/device", d), "0x0002\n");
		put(P("%s/driver_override", d), "(null)\n");
		link_or_die(P("/sys/bus/pci/devices/%s", PF), P("%s/physfn", d));
		link_or_die(P("%s", d), P("/sys/bus/pci/devices/%s/virtfn%d", PF, i));
		memset(&K->vf[i], 0, sizeof(K->vf[i]));
		K->vf[i].prof = -1;
	}
	K->numvfs = n;
}

static void remove_vfs(void)
{
	int i;

	for (i = 0; i < K->numvfs; i++) {
		rm_rf(P("/sys/bus/pci/devices/%s", vf_bdf(i)));
		rm_rf(P("/sys/bus/pci/devices/%s/jmgpu_vf/%d", PF, i));
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

static inline void fake_fail(const char *match, int skip, int times, int errno_val)
{
	snprintf(K->fail_match, sizeof(K->fail_match), "%s", match);
	K->fail_skip = skip;
	K->fail_times = times;
	K->fail_errno = errno_val;
}

static int fake_kernel(const char *path, const char *val)
{
	const char *rel = path + strlen(root);
	int i, n, p;

	K->writes++;
	if (K->fail_match[0] && strstr(rel, K->fail_match) && K->fail_skip-- <= 0) {
		if (--K->fail_times <= 0)
			K->fail_match[0] = 0;
		return -K->fail_errno;
	}
	if (!strcmp(rel, "/sys/bus/pci/devices/" PF "/sriov_numvfs")) {
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
		link_or_die(P("/sys/bus/pci/drivers/jmgpu_vfio_pci"),
			    P("/sys/bus/pci/devices/%s/driver", vf_bdf(i)));
		for (p = 0; p < NPROF; p++) {
			char t[512];

			snprintf(t, sizeof(t), "/sys/bus/pci/devices/%s/mdev_supported_types/jmgpu_vfio_pci-%s",
				 vf_bdf(i), profs[p].name);
			mkdir_p(P("%s/devices", t));
			put(P("%s/name", t), "%s\n", profs[p].name);
			put(P("%s/device_api", t), "vfio-pci\n");
			put(P("%s/create", t), "");
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
		link_or_die(P("/sys/bus/mdev/devices/%s", val),
			    P("/sys/bus/pci/devices/%s/mdev_supported_types/jmgpu_vfio_pci-%s/devices/%s",
			      vf_bdf(i), profs[p].name, val));
		regen();
		return 0;
	}
	if (!strncmp(rel, "/sys/bus/mdev/devices/", 22) && strstr(rel, "/remove")) {
		for (i = 0; i < K->numvfs; i++)
			if (K->vf[i].prof >= 0 && strstr(rel, K->vf[i].uuid))
				break;
		if (i == K->numvfs) {
			/* not ours: a fake kernel has nothing to do, note it */
			put(path, "written\n");
			return 0;
		}
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

static void pci_dev(const char *bdf, const char *device)
{
	mkdir_p(P("/sys/bus/pci/devices/%s", bdf));
	put(P("/sys/bus/pci/devices/%s/vendor", bdf), "0x1ee7\n");
	put(P("/sys/bus/pci/devices/%s/device", bdf), "%s\n", device);
}

/*
 * A fresh tree: PF with jmgpu_pf bound, SR-IOV off; with_pf2 adds a second
 * card without a driver; vfio_driver: jmgpu_vfio_pci is loaded.
 */
static void setup_tree(bool vfio_driver, bool with_pf2)
{
	const char *j = "/sys/bus/pci/devices/" PF "/jmgpu";

	rm_rf(P("/sys"));
	memset(K, 0, sizeof(*K));
	pci_dev(PF, "0x0001");
	mkdir_p(P("%s", j));
	mkdir_p(P("/sys/bus/pci/drivers/jmgpu_pf"));
	mkdir_p(P("/sys/bus/mdev/devices"));
	if (vfio_driver)
		mkdir_p(P("/sys/bus/pci/drivers/jmgpu_vfio_pci"));
	put(P("/sys/bus/pci/drivers_probe"), "");
	put(P("/sys/bus/pci/devices/%s/sriov_totalvfs", PF), "32\n");
	/* VF i at 0000:02:<i / 8>.<i % 8> (vf_bdf) */
	put(P("/sys/bus/pci/devices/%s/sriov_offset", PF), "256\n");
	put(P("/sys/bus/pci/devices/%s/sriov_stride", PF), "1\n");
	link_or_die(P("/sys/bus/pci/drivers/jmgpu_pf"), P("/sys/bus/pci/devices/%s/driver", PF));
	put(P("%s/fb_size", j), "%llu\n", 2048 * MiB);
	put(P("%s/fb_granule", j), "%llu\n", 4 * MiB);
	put(P("%s/vf_aperture", j), "%llu\n", 256 * MiB);
	put(P("%s/engine_weight_total", j), "100\n");
	put(P("%s/codec_sessions_total", j), "64\n");
	put(P("%s/display_heads", j), "4\n");
	put(P("%s/max_resolution", j), "7680x4320\n");
	put(P("%s/fw_version", j), "1.0 \"7\"\n");
	put(P("%s/fw_state", j), "ok\n");
	put(P("%s/recoveries", j), "2\n");
	if (with_pf2) {
		pci_dev(PF2, "0x0001");
		put(P("/sys/bus/pci/devices/%s/sriov_totalvfs", PF2), "32\n");
		put(P("/sys/bus/pci/devices/%s/sriov_numvfs", PF2), "0\n");
	}
	snprintf(K->policy, sizeof(K->policy), "best-effort");
	snprintf(K->autoprov, sizeof(K->autoprov), "none");
	K->slice = 1000;
	K->pf_bound = true;
	regen();
}

/*
 * Another vendor's mdev, as the kernel shows it: the device under its
 * parent, an mdev_type link to the parent's type, /sys/bus/mdev/devices/
 * <uuid> a link to it.
 */
static inline void foreign_mdev(const char *uuid)
{
	const char *par = "/sys/devices/pci0000:00/0000:00:02.0";

	mkdir_p(P("%s/mdev_supported_types/i915-GVTg_V5_4/devices", par));
	mkdir_p(P("%s/%s", par, uuid));
	put(P("%s/%s/remove", par, uuid), "");
	link_or_die(P("%s/mdev_supported_types/i915-GVTg_V5_4", par),
		    P("%s/%s/mdev_type", par, uuid));
	link_or_die(P("%s/%s", par, uuid), P("/sys/bus/mdev/devices/%s", uuid));
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
static int fake_run(const char *args, ...)
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
		struct stat sb;
		char js[64];

		dup2(o, 1);
		dup2(e, 2);
		alarm(30);	/* a command that never ends fails its test */
		unsetenv("JOURNAL_STREAM");
		if (K->journal && !fstat(2, &sb)) {
			snprintf(js, sizeof(js), "%llu:%llu", (unsigned long long)sb.st_dev,
				 (unsigned long long)sb.st_ino);
			setenv("JOURNAL_STREAM", js, 1);
		}
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

static inline void cfg(const char *fmt, ...)
{
	FILE *f = fopen(cfgf, "w");
	va_list ap;

	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

static inline int count(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)); hay++)
		n++;
	return n;
}

/* the fake card's state that apply may change, as one line */
static inline const char *fake_state(void)
{
	static char s[2048];
	int i, n;

	n = snprintf(s, sizeof(s), "numvfs %d policy %s slice %d autoprov %s;", K->numvfs,
		     K->policy, K->slice, K->autoprov);
	for (i = 0; i < K->numvfs; i++)
		if (K->vf[i].prof >= 0)
			n += snprintf(s + n, sizeof(s) - n, " vf%d %s %s", i, K->vf[i].uuid,
				      profs[K->vf[i].prof].name);
	return s;
}

/*
 * tap_ok() on a check of the tool's run: a failure shows the last
 * fake_run()'s stdout and stderr as TAP comments.
 */
#define fake_ok(cond, ...)						\
	({								\
		int _fp = tap_ok(cond, __VA_ARGS__);			\
		if (!_fp) {						\
			tap_diag_text("stdout", out, 40);		\
			tap_diag_text("stderr", err, 40);		\
		}							\
		_fp;							\
	})

/* a temporary directory with root/, out, err, sriov.conf; K mapped */
static void fake_init(void)
{
	char tmpl[] = "/tmp/sriov_cfg_fake.XXXXXX";

	K = mmap(NULL, sizeof(*K), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (K == MAP_FAILED || !mkdtemp(tmpl))
		exit(2);
	snprintf(tmpdir, sizeof(tmpdir), "%s", tmpl);
	snprintf(root, sizeof(root), "%s/root", tmpl);
	snprintf(outf, sizeof(outf), "%s/out", tmpl);
	snprintf(errf, sizeof(errf), "%s/err", tmpl);
	snprintf(cfgf, sizeof(cfgf), "%s/sriov.conf", tmpl);
	mkdir(root, 0755);
}

static void fake_done(void)
{
	rm_rf(tmpdir);
}

#endif /* FAKE_SYSFS_H */

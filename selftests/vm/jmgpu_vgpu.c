// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu_vgpu - VFIO uAPI tests of jmgpu vGPUs (VFs bound to jmgpu_vfio_pci
 * with an mdev), used by selftests/vm/4N-mdev-*.sh.
 *
 *   jmgpu_vgpu open <vf>               open the VF's vfio device, close it
 *   jmgpu_vgpu hold <vf> <stopfile>    open, print "holding", wait for file
 *   jmgpu_vgpu copy <vf>...            copy jobs on all VFs at once
 *   jmgpu_vgpu fault <vfA> <vfB>       DMA to an unmapped IOVA faults A only
 *   jmgpu_vgpu isolate <vfA> <vfB>     A cannot reach B's FB slice
 *   jmgpu_vgpu reset <vfA> <vfB> <n> [min%]  reset A n times while B streams
 *   jmgpu_vgpu fbfill <vf> <byte>      fill the whole FB slice via BAR2
 *   jmgpu_vgpu fbcheck <vf> <byte>     whole FB slice == byte
 *   jmgpu_vgpu gfx <vf> <maxx> <maxy> <step> [vfB]  mediated display, one
 *                                      behaviour per step: limits edid
 *                                      linkdown close plane flip remap
 *                                      badcommit other (B not disturbed)
 *                                      recovery <stopfile> (monitor kept)
 *                                      hostmon <WxH|none> (the host's
 *                                      monitor at open)
 *                                      monitor <attrpath> (jmgpu/monitor
 *                                      writes while open)
 *   jmgpu_vgpu badinput <vf>           bad ioctls/reads/writes: errnos
 *   jmgpu_vgpu busy <vf> <stopfile>    keep the ring full of 8 MiB FILLs
 *                                      (FB) until the file exists
 *   jmgpu_vgpu recovery <vf> <secs>    wait for the VFIO error eventfd (PF
 *                                      recovery), then reset and run a job
 *
 * Exit status 0 when every check passed; "# " lines explain failures.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jmgpu_engine.h"
#include "jmgpu_fw_iface.h"
#include "vfio_dev.h"

#define IOVA_RING	0x100000ULL
#define IOVA_SRC	0x200000ULL
#define IOVA_DST	0x400000ULL
#define BUF		(1u << 20)
#define BUSY_LEN	(8u << 20)	/* busy's FILL jobs */
#define MAXV		32

static int failed;

#define FAIL(...) do { printf("# FAIL: " __VA_ARGS__); printf("\n"); \
			failed = 1; } while (0)
#define INFO(...) do { printf("# " __VA_ARGS__); printf("\n"); } while (0)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct vgpu {
	struct vfio_dev d;
	struct jmgpu_engine e;
	uint8_t *src, *dst;
};

static int vgpu_open(struct vgpu *g, const char *bdf)
{
	memset(g, 0, sizeof(*g));
	if (vfio_dev_open(&g->d, bdf, NULL)) {
		FAIL("%s", g->d.err);
		return -1;
	}
	if (jmgpu_engine_init(&g->e, &g->d, IOVA_RING, 64)) {
		FAIL("%s", g->e.err);
		return -1;
	}
	g->src = vfio_dev_dma_alloc(&g->d, IOVA_SRC, BUF);
	g->dst = vfio_dev_dma_alloc(&g->d, IOVA_DST, BUF);
	if (!g->src || !g->dst) {
		FAIL("%s", g->d.err);
		return -1;
	}
	return 0;
}

static void vgpu_close(struct vgpu *g)
{
	jmgpu_engine_fini(&g->e);
	vfio_dev_close(&g->d);
}

static int cmd_open(const char *bdf)
{
	struct vfio_dev d = { .quiet = 1 };

	if (vfio_dev_open(&d, bdf, NULL)) {
		printf("open %s failed: errno %d (%s)\n", bdf, errno,
		       strerror(errno));
		printf("# %s\n", d.err);
		return 1;
	}
	printf("open %s ok\n", bdf);
	vfio_dev_close(&d);
	return 0;
}

static int cmd_hold(const char *bdf, const char *stop)
{
	struct vfio_dev d;
	struct stat st;

	if (vfio_dev_open(&d, bdf, NULL))
		return 1;
	printf("holding %s\n", bdf);
	fflush(stdout);
	while (stat(stop, &st))
		usleep(50000);
	vfio_dev_close(&d);
	return 0;
}

/*
 * busy: a saturating tenant. The ring stays full of 8 MiB FILL jobs into
 * the FB slice (no DMA: the engine's time is all the VF asks for; 8 ms of
 * engine time each, so that even a debug kernel's slow submitter keeps
 * the engine busy and the scheduler, not the CPU, sets the shares) until
 * @stop exists; prints "busy <vf>" once the first batch is queued and the
 * job count at the end.
 */
static int cmd_busy(const char *bdf, const char *stop)
{
	struct vgpu g;
	struct stat st;
	uint64_t f = 0, n = 0;
	int i;

	if (vgpu_open(&g, bdf))
		return 1;
	for (i = 0; stat(stop, &st); i++) {
		f = jmgpu_engine_submit(&g.e, JMGPU_JOB_FILL, JMGPU_JOB_F_DST_FB,
					0, 0, BUSY_LEN, 0x5a5a5a5a);
		if (!f) {
			FAIL("%s: submit: %s", bdf, g.e.err);
			break;
		}
		n++;
		if (i == 16)
			printf("busy %s\n", bdf);
	}
	if (f && jmgpu_engine_wait(&g.e, f, 20000))
		FAIL("%s: last job: %s", bdf, g.e.err);
	INFO("%s: %llu jobs of %u bytes", bdf, (unsigned long long)n, BUSY_LEN);
	vgpu_close(&g);
	return failed;
}

/* copy: host src -> FB 0 -> host dst on every VF, all submitted at once */
static int cmd_copy(int n, char **bdf)
{
	static struct vgpu g[MAXV];
	uint64_t f[MAXV];
	int i, k;

	if (n > MAXV)
		n = MAXV;
	for (i = 0; i < n; i++)
		if (vgpu_open(&g[i], bdf[i]))
			return 1;
	for (i = 0; i < n; i++)
		for (k = 0; k < (int)BUF; k++)
			g[i].src[k] = (uint8_t)(k * 13 + i * 101 + (k >> 10));
	for (i = 0; i < n; i++)
		f[i] = jmgpu_engine_submit(&g[i].e, JMGPU_JOB_COPY,
					   JMGPU_JOB_F_DST_FB, IOVA_SRC, 0,
					   BUF, 0);
	for (i = 0; i < n; i++)
		if (!f[i] || jmgpu_engine_wait(&g[i].e, f[i], 20000))
			FAIL("%s: host->FB: %s", bdf[i], g[i].e.err);
	for (i = 0; i < n; i++)
		f[i] = jmgpu_engine_submit(&g[i].e, JMGPU_JOB_COPY,
					   JMGPU_JOB_F_SRC_FB, 0, IOVA_DST,
					   BUF, 0);
	for (i = 0; i < n; i++)
		if (!f[i] || jmgpu_engine_wait(&g[i].e, f[i], 20000))
			FAIL("%s: FB->host: %s", bdf[i], g[i].e.err);
	for (i = 0; i < n; i++) {
		if (memcmp(g[i].src, g[i].dst, BUF))
			FAIL("%s: bytes differ after host->FB->host", bdf[i]);
		if (g[i].e.fb && memcmp(g[i].e.fb, g[i].src, 4096))
			FAIL("%s: FB (BAR2 mmap) differs from the source",
			     bdf[i]);
	}
	for (i = 0; i < n; i++)
		vgpu_close(&g[i]);
	if (!failed)
		INFO("%d vGPUs: 2 copy jobs of %u bytes each at once, bytes match",
		     n, BUF);
	return failed;
}

static int cmd_fault(const char *a, const char *b)
{
	static struct vgpu ga, gb;
	uint64_t fa, fb;
	int ra;

	if (vgpu_open(&ga, a) || vgpu_open(&gb, b))
		return 1;
	memset(gb.src, 0x5a, BUF);
	fa = jmgpu_engine_submit(&ga.e, JMGPU_JOB_COPY, JMGPU_JOB_F_DST_FB,
				 0x7ff00000000ULL, 0, 4096, 0);
	fb = jmgpu_engine_submit(&gb.e, JMGPU_JOB_COPY, 0, IOVA_SRC, IOVA_DST,
				 BUF, 0);
	ra = jmgpu_engine_wait(&ga.e, fa, 5000);
	if (!ra || ga.e.fault != JMGPU_FAULT_CODE_DMA)
		FAIL("%s: DMA from an unmapped IOVA: fault %u, want %u (DMA)",
		     a, ga.e.fault, JMGPU_FAULT_CODE_DMA);
	else
		INFO("%s: %s", a, ga.e.err);
	if (jmgpu_engine_wait(&gb.e, fb, 10000))
		FAIL("%s: job while A faulted: %s", b, gb.e.err);
	else if (memcmp(gb.src, gb.dst, BUF))
		FAIL("%s: bytes differ", b);
	if (jmgpu_engine_rd(&gb.e, JMGPU_VF_STATUS) &
	    JMGPU_VF_STATUS_ENGINE_FAULT)
		FAIL("%s: engine fault flag set by A's fault", b);
	/* A recovers after a reset */
	if (vfio_dev_reset(&ga.d) || jmgpu_engine_restart(&ga.e) ||
	    jmgpu_engine_run(&ga.e, JMGPU_JOB_COPY, 0, IOVA_SRC, IOVA_DST,
			     4096, 0, 5000))
		FAIL("%s: no recovery after VFIO_DEVICE_RESET: %s %s", a,
		     ga.e.err, ga.d.err);
	vgpu_close(&ga);
	vgpu_close(&gb);
	if (!failed)
		INFO("fault stayed on %s; %s copied correctly; %s works after reset",
		     a, b, a);
	return failed;
}

static int cmd_isolate(const char *a, const char *b)
{
	static struct vgpu ga, gb;
	const struct vfio_region_info *ri;
	uint64_t k;
	uint8_t buf[4096];

	if (vgpu_open(&ga, a) || vgpu_open(&gb, b))
		return 1;
	if (!ga.e.fb || !gb.e.fb) {
		FAIL("BAR2 not mmappable");
		return 1;
	}
	for (k = 0; k < 4096; k++)
		gb.e.fb[k] = (uint8_t)(0xa5 ^ k);
	ri = vfio_dev_region(&ga.d, JMGPU_BAR_FB);
	INFO("%s: BAR2 %llu MiB, slice %llu MiB", a,
	     (unsigned long long)(ri->size >> 20),
	     (unsigned long long)(ga.e.fb_size >> 20));
	/* CPU: A's aperture past its slice reads 0 and drops writes */
	if (ri->size > ga.e.fb_size) {
		volatile uint32_t *p = (uint32_t *)(ga.e.fb + ga.e.fb_size);

		p[0] = 0xdeadbeef;
		if (p[0] != 0)
			FAIL("%s: BAR2 past the slice reads 0x%x, want 0", a,
			     p[0]);
		if (vfio_dev_region_write(&ga.d, JMGPU_BAR_FB, ri->size - 4,
					  "abcd", 4) ||
		    vfio_dev_region_read(&ga.d, JMGPU_BAR_FB, ri->size - 4,
					 buf, 4) || memcmp(buf, "\0\0\0\0", 4))
			FAIL("%s: pwrite/pread at the aperture end not dropped",
			     a);
	}
	/* engine: FB offsets past the slice fault, FB_RANGE */
	if (!jmgpu_engine_run(&ga.e, JMGPU_JOB_COPY, JMGPU_JOB_F_DST_FB,
			      IOVA_SRC, ga.e.fb_size, 4096, 0, 5000) ||
	    ga.e.fault != JMGPU_FAULT_CODE_FB_RANGE)
		FAIL("%s: copy to FB offset %llu: fault %u, want FB_RANGE",
		     a, (unsigned long long)ga.e.fb_size, ga.e.fault);
	if (vfio_dev_reset(&ga.d) || jmgpu_engine_restart(&ga.e))
		FAIL("%s: reset: %s", a, ga.e.err);
	if (!jmgpu_engine_run(&ga.e, JMGPU_JOB_COPY, JMGPU_JOB_F_SRC_FB,
			      ga.e.fb_size - 2048, IOVA_DST, 4096, 0, 5000) ||
	    ga.e.fault != JMGPU_FAULT_CODE_FB_RANGE)
		FAIL("%s: read straddling the slice end: fault %u, want FB_RANGE",
		     a, ga.e.fault);
	/* B intact: CPU and engine view */
	for (k = 0; k < 4096; k++)
		if (gb.e.fb[k] != (uint8_t)(0xa5 ^ k)) {
			FAIL("%s: FB byte %llu changed", b,
			     (unsigned long long)k);
			break;
		}
	if (jmgpu_engine_run(&gb.e, JMGPU_JOB_COPY, JMGPU_JOB_F_SRC_FB, 0,
			     IOVA_DST, 4096, 0, 5000) ||
	    memcmp(gb.dst, (void *)gb.e.fb, 4096))
		FAIL("%s: engine read of its own FB: %s", b, gb.e.err);
	vgpu_close(&ga);
	vgpu_close(&gb);
	if (!failed)
		INFO("%s could neither read nor write past its slice; %s intact",
		     a, b);
	return failed;
}

/* B: stream of verified host->FB->host copies, rate reported per phase */
static void stream_child(const char *b, int go_fd, int res_fd, double base_s)
{
	static struct vgpu g;
	unsigned long jobs[2] = { 0, 0 }, bad = 0;
	double t0, t[2] = { 1, 1 };
	int phase = 0, flags;
	uint64_t k;
	char c;

	if (vgpu_open(&g, b))
		_exit(1);
	for (k = 0; k < 65536; k++)
		g.src[k] = (uint8_t)(k * 7 + 3);
	if (read(go_fd, &c, 1) != 1)	/* A is open: start */
		_exit(1);
	flags = fcntl(go_fd, F_GETFL);
	fcntl(go_fd, F_SETFL, flags | O_NONBLOCK);
	t0 = now_s();
	for (;;) {
		memset(g.dst, 0, 65536);
		g.src[0]++;
		if (jmgpu_engine_run(&g.e, JMGPU_JOB_COPY, JMGPU_JOB_F_DST_FB,
				     IOVA_SRC, 0, 65536, 0, 10000) ||
		    jmgpu_engine_run(&g.e, JMGPU_JOB_COPY, JMGPU_JOB_F_SRC_FB,
				     0, IOVA_DST, 65536, 0, 10000)) {
			printf("# FAIL: %s: %s\n", b, g.e.err);
			bad++;
			break;
		}
		if (memcmp(g.src, g.dst, 65536))
			bad++;
		jobs[phase] += 2;
		if (phase == 0 && now_s() - t0 >= base_s) {
			t[0] = now_s() - t0;
			phase = 1;
			t0 = now_s();
			if (write(res_fd, "b", 1) != 1)
				break;
		}
		if (phase == 1 && read(go_fd, &c, 1) == 1)
			break;
	}
	t[1] = now_s() - t0;
	dprintf(res_fd, "%lu %f %lu %f %lu\n", jobs[0], t[0], jobs[1], t[1],
		bad);
	vgpu_close(&g);
	_exit(bad ? 1 : 0);
}

static int cmd_reset(const char *a, const char *b, int n, double min_pct)
{
	static struct vgpu ga;
	int go[2], res[2], i, st;
	unsigned long j0, j1, bad;
	double t0, t1, r0, r1, ts;
	char c, line[256];
	FILE *fp;
	pid_t pid;

	if (pipe(go) || pipe(res))
		return 1;
	pid = fork();
	if (!pid) {
		close(go[1]);
		close(res[0]);
		stream_child(b, go[0], res[1], 3.0);
	}
	close(go[0]);
	close(res[1]);
	if (vgpu_open(&ga, a))
		goto out;
	if (write(go[1], "s", 1) != 1 || read(res[0], &c, 1) != 1) {	/* B's baseline done */
		FAIL("%s: stream died during its baseline", b);
		goto out;
	}
	ts = now_s();
	for (i = 0; i < n && !failed; i++) {
		if (vfio_dev_reset(&ga.d)) {
			FAIL("%s: reset %d: %s", a, i, ga.d.err);
			break;
		}
		if (jmgpu_engine_restart(&ga.e) ||
		    jmgpu_engine_run(&ga.e, JMGPU_JOB_FILL, JMGPU_JOB_F_DST_FB,
				     0, 0, 4096, 0x11000000u + i, 5000) ||
		    jmgpu_engine_run(&ga.e, JMGPU_JOB_COPY, JMGPU_JOB_F_SRC_FB,
				     0, IOVA_DST, 4096, 0, 5000)) {
			FAIL("%s: after reset %d: %s", a, i, ga.e.err);
			break;
		}
		if (le32toh(((uint32_t *)ga.dst)[1023]) != 0x11000000u + i)
			FAIL("%s: after reset %d: fill pattern wrong", a, i);
	}
	ts = now_s() - ts;
	INFO("%s: %d resets in %.1f s, a fill+copy job verified after each",
	     a, i, ts);
	/* leave a pattern in A's FB for the scrub check */
	if (ga.e.fb)
		memset(ga.e.fb, 0xc3, ga.e.fb_size);
out:
	if (write(go[1], "x", 1) != 1)
		FAIL("cannot stop the stream");
	fp = fdopen(res[0], "r");
	if (!fp || !fgets(line, sizeof(line), fp) ||
	    sscanf(line, "%lu %lf %lu %lf %lu", &j0, &t0, &j1, &t1, &bad) != 5) {
		FAIL("%s: stream gave no result", b);
	} else {
		r0 = j0 / t0;
		r1 = j1 / t1;
		INFO("%s: %lu jobs in %.1f s alone (%.0f/s), %lu jobs in %.1f s during A's resets (%.0f/s, %.0f%%), %lu bad",
		     b, j0, t0, r0, j1, t1, r1, 100 * r1 / r0, bad);
		if (bad)
			FAIL("%s: %lu copies wrong", b, bad);
		if (100 * r1 / r0 < min_pct)
			FAIL("%s: throughput during resets %.0f%% < %.0f%% of alone",
			     b, 100 * r1 / r0, min_pct);
	}
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		FAIL("%s: stream process failed", b);
	vgpu_close(&ga);
	return failed;
}

static int cmd_fb(const char *bdf, int val, int fill)
{
	struct vfio_dev d;
	uint64_t size, k;
	uint8_t *fb;

	if (vfio_dev_open(&d, bdf, NULL))
		return 1;
	fb = vfio_dev_map_bar(&d, JMGPU_BAR_FB);
	size = vfio_dev_read32(&d, 0, JMGPU_VF_FB_SIZE_LO) |
	       (uint64_t)vfio_dev_read32(&d, 0, JMGPU_VF_FB_SIZE_HI) << 32;
	if (!fb || !size) {
		FAIL("%s: no FB mapping (size %llu)", bdf,
		     (unsigned long long)size);
		return 1;
	}
	if (fill) {
		memset(fb, val, size);
	} else {
		for (k = 0; k < size; k++)
			if (fb[k] != (uint8_t)val) {
				FAIL("%s: FB byte 0x%llx is 0x%02x, want 0x%02x",
				     bdf, (unsigned long long)k, fb[k], val);
				break;
			}
	}
	if (!failed)
		INFO("%s: %llu MiB FB %s 0x%02x", bdf,
		     (unsigned long long)(size >> 20),
		     fill ? "filled with" : "all", val);
	vfio_dev_close(&d);
	return failed;
}

/* Region index of a device-specific region of @type/@subtype, or -1. */
static int find_region(struct vfio_dev *d, uint32_t type, uint32_t subtype,
		       struct vfio_region_info *out)
{
	unsigned int i;
	char buf[1024];

	for (i = VFIO_PCI_NUM_REGIONS; i < d->info.num_regions; i++) {
		struct vfio_region_info *ri = (void *)buf;
		struct vfio_info_cap_header *h;
		uint32_t off;

		memset(buf, 0, sizeof(buf));
		ri->argsz = sizeof(buf);
		ri->index = i;
		if (ioctl(d->fd, VFIO_DEVICE_GET_REGION_INFO, ri))
			continue;
		if (!(ri->flags & VFIO_REGION_INFO_FLAG_CAPS))
			continue;
		for (off = ri->cap_offset; off && off < sizeof(buf);
		     off = h->next) {
			struct vfio_region_info_cap_type *t;

			h = (void *)(buf + off);
			if (h->id != VFIO_REGION_INFO_CAP_TYPE)
				continue;
			t = (void *)h;
			if (t->type == type && t->subtype == subtype) {
				*out = *ri;
				return i;
			}
		}
	}
	return -1;
}

static void make_edid(uint8_t *e, unsigned int x, unsigned int y, int bad)
{
	static const uint8_t hdr[8] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff,
					0xff, 0 };
	uint8_t sum = 0;
	int i;

	memset(e, 0, 128);
	memcpy(e, hdr, 8);
	e[18] = 1;
	e[19] = 4;
	e[56] = x & 0xff;
	e[58] = (x >> 8) << 4;
	e[59] = y & 0xff;
	e[61] = (y >> 8) << 4;
	e[54] = 1;	/* non-zero pixel clock: a timing descriptor */
	for (i = 0; i < 127; i++)
		sum += e[i];
	e[127] = (uint8_t)(0x100 - sum) + (bad ? 1 : 0);
}

static int edid_set(struct vfio_dev *d, int idx, uint32_t off, uint8_t *e,
		    uint32_t size)
{
	uint32_t v = VFIO_DEVICE_GFX_LINK_STATE_DOWN;
	uint64_t base = (uint64_t)idx << 40;

	if (pwrite(d->fd, &v, 4, base + 20) != 4 ||
	    pwrite(d->fd, e, size, base + off) != (ssize_t)size ||
	    pwrite(d->fd, &size, 4, base + 8) != 4)
		return -1;
	v = VFIO_DEVICE_GFX_LINK_STATE_UP;
	return pwrite(d->fd, &v, 4, base + 20) == 4 ? 0 : -1;
}

#define XR24		0x34325258	/* DRM_FORMAT_XRGB8888 */
#define GFX_W		640
#define GFX_H		480
#define GFX_STRIDE	(GFX_W * 4)
#define GFX_BASE_B	(4u << 20)	/* second buffer: 4 MiB into the slice */
#define GFX_BASE_C	(8u << 20)	/* third buffer */

struct gfx {
	struct vfio_dev d;
	volatile uint32_t *r;		/* BAR0: the VF's registers */
	uint8_t *fb;			/* BAR2: the VF's slice */
	int eidx;			/* EDID region index, -1: none */
	struct vfio_region_info eri;
	struct vfio_region_gfx_edid regs;
};

static int gfx_open(struct gfx *g, const char *bdf)
{
	uint32_t *p = (uint32_t *)&g->regs;
	unsigned int k;

	memset(g, 0, sizeof(*g));
	if (vfio_dev_open(&g->d, bdf, NULL)) {
		FAIL("%s", g->d.err);
		return -1;
	}
	g->r = vfio_dev_map_bar(&g->d, JMGPU_BAR_REGS);
	g->fb = vfio_dev_map_bar(&g->d, JMGPU_BAR_FB);
	if (!g->r || !g->fb) {
		FAIL("%s: BAR0/BAR2 mmap: %s", bdf, g->d.err);
		return -1;
	}
	g->eidx = find_region(&g->d, VFIO_REGION_TYPE_GFX,
			      VFIO_REGION_SUBTYPE_GFX_EDID, &g->eri);
	if (g->eidx < 0) {
		FAIL("%s: no EDID region", bdf);
		return -1;
	}
	/* 32-bit accesses only: read field by field */
	for (k = 0; k < sizeof(g->regs) / 4; k++)
		if (pread(g->d.fd, &p[k], 4, g->eri.offset + 4 * k) != 4)
			FAIL("EDID reg %u read: %s", k, strerror(errno));
	return failed ? -1 : 0;
}

static void pattern(uint8_t *p, uint32_t n, uint32_t seed)
{
	uint32_t k;

	for (k = 0; k < n; k++)
		p[k] = (uint8_t)(k * 31 + (k >> 12) + seed);
}

/* first byte of @p that is not pattern @seed, or -1 */
static long pattern_diff(const volatile uint8_t *p, uint32_t n, uint32_t seed)
{
	uint32_t k;

	for (k = 0; k < n; k++)
		if (p[k] != (uint8_t)(k * 31 + (k >> 12) + seed))
			return k;
	return -1;
}

/*
 * The guest's part: program the pending plane and commit. Returns
 * SCANOUT_STATUS; with @wait and status OK, waits (bounded) for the flip
 * to latch (SCANOUT_GEN moves).
 */
static uint32_t plane_commit(volatile uint32_t *r, uint32_t en, uint64_t base,
			     uint32_t w, uint32_t h, uint32_t stride, int wait)
{
	uint32_t gen = r[JMGPU_VF_SCANOUT_GEN / 4], st;
	int i;

	r[JMGPU_VF_SCANOUT_BASE_LO / 4] = (uint32_t)base;
	r[JMGPU_VF_SCANOUT_BASE_HI / 4] = (uint32_t)(base >> 32);
	r[JMGPU_VF_SCANOUT_WIDTH / 4] = w;
	r[JMGPU_VF_SCANOUT_HEIGHT / 4] = h;
	r[JMGPU_VF_SCANOUT_STRIDE / 4] = stride;
	r[JMGPU_VF_SCANOUT_FORMAT / 4] = XR24;
	r[JMGPU_VF_SCANOUT_ENABLE / 4] = en;
	r[JMGPU_VF_SCANOUT_COMMIT / 4] = 1;
	st = r[JMGPU_VF_SCANOUT_STATUS / 4];
	if (!wait || st != JMGPU_SCANOUT_OK)
		return st;
	for (i = 0; i < 2000 && r[JMGPU_VF_SCANOUT_GEN / 4] == gen; i++)
		usleep(1000);
	if (r[JMGPU_VF_SCANOUT_GEN / 4] == gen)
		FAIL("flip to base 0x%llx not latched in 2 s (SCANOUT_GEN %u, VBLANK_COUNT %u)",
		     (unsigned long long)base, gen,
		     r[JMGPU_VF_VBLANK_COUNT / 4]);
	return st;
}

static int query(struct vfio_dev *d, struct vfio_device_gfx_plane_info *pl)
{
	memset(pl, 0, sizeof(*pl));
	pl->argsz = sizeof(*pl);
	pl->flags = VFIO_GFX_PLANE_TYPE_REGION;
	pl->drm_plane_type = 1;		/* DRM_PLANE_TYPE_PRIMARY */
	if (ioctl(d->fd, VFIO_DEVICE_QUERY_GFX_PLANE, pl)) {
		FAIL("QUERY_GFX_PLANE: %s", strerror(errno));
		return -1;
	}
	INFO("plane: format 0x%x %ux%u stride %u size %u region %u",
	     pl->drm_format, pl->width, pl->height, pl->stride, pl->size,
	     pl->region_index);
	return 0;
}

/* the plane QUERY reports is GFX_W x GFX_H XR24 in a plane region */
static int plane_is(struct gfx *g, struct vfio_device_gfx_plane_info *pl,
		    const char *what)
{
	if (query(&g->d, pl))
		return -1;
	if (pl->drm_format != XR24 || pl->width != GFX_W ||
	    pl->height != GFX_H || pl->stride != GFX_STRIDE ||
	    pl->size < GFX_STRIDE * GFX_H ||
	    pl->region_index < VFIO_PCI_NUM_REGIONS) {
		FAIL("%s: plane does not match the committed one", what);
		return -1;
	}
	return 0;
}

/* map region @idx as QEMU does (offset 0, read-only, shared) */
static uint8_t *map_region(struct vfio_dev *d, uint32_t idx, uint32_t size)
{
	uint8_t *v = mmap(NULL, size, PROT_READ, MAP_SHARED, d->fd,
			  (uint64_t)idx << 40);

	if (v == MAP_FAILED) {
		FAIL("mmap of region %u: %s", idx, strerror(errno));
		return NULL;
	}
	return v;
}

/* pixels of region @idx at its offset 0 are pattern @seed */
static void region_shows(struct vfio_dev *d, uint32_t idx, uint32_t seed,
			 const char *what)
{
	uint32_t n = GFX_STRIDE * GFX_H;
	uint8_t *v = map_region(d, idx, n);
	long k;

	if (!v)
		return;
	k = pattern_diff(v, n, seed);
	if (k >= 0)
		FAIL("%s: region %u byte %ld is 0x%02x, not the buffer's", what,
		     idx, k, v[k]);
	munmap(v, n);
}

/* the guest draws buffers A (base 0) and shows it */
static int show_a(struct gfx *g, struct vfio_device_gfx_plane_info *pl)
{
	pattern(g->fb, GFX_STRIDE * GFX_H, 0);
	if (plane_commit(g->r, 1, 0, GFX_W, GFX_H, GFX_STRIDE, 1) !=
	    JMGPU_SCANOUT_OK) {
		FAIL("commit of a %ux%u plane at base 0: SCANOUT_STATUS %u",
		     GFX_W, GFX_H, g->r[JMGPU_VF_SCANOUT_STATUS / 4]);
		return -1;
	}
	return failed ? -1 : plane_is(g, pl, "plane A");
}

static int gfx_limits(struct gfx *g, unsigned int maxx, unsigned int maxy)
{
	struct vfio_device_gfx_plane_info pl;
	uint8_t e[128];
	uint32_t k;

	INFO("EDID region %d: size %llu, offset %u max %u, max res %ux%u link %u",
	     g->eidx, (unsigned long long)g->eri.size, g->regs.edid_offset,
	     g->regs.edid_max_size, g->regs.max_xres, g->regs.max_yres,
	     g->regs.link_state);
	if (g->regs.max_xres != maxx || g->regs.max_yres != maxy)
		FAIL("EDID max resolution %ux%u, profile says %ux%u",
		     g->regs.max_xres, g->regs.max_yres, maxx, maxy);
	make_edid(e, 1024, 768, 0);
	if (edid_set(&g->d, g->eidx, g->regs.edid_offset, e, 128))
		FAIL("valid EDID 1024x768 with link up refused: %s",
		     strerror(errno));
	make_edid(e, 1024, 768, 1);
	if (!edid_set(&g->d, g->eidx, g->regs.edid_offset, e, 128) ||
	    errno != EINVAL)
		FAIL("EDID with a bad checksum accepted (errno %d)", errno);
	make_edid(e, maxx + 16, maxy, 0);
	if (!edid_set(&g->d, g->eidx, g->regs.edid_offset, e, 128) ||
	    errno != EINVAL)
		FAIL("EDID %ux%u above the profile accepted", maxx + 16, maxy);
	k = g->regs.edid_max_size + 1;
	if (pwrite(g->d.fd, &k, 4, g->eri.offset + 8) != -1 || errno != EINVAL)
		FAIL("edid_size above edid_max_size accepted");
	k = 0;
	if (pwrite(g->d.fd, &k, 4, g->eri.offset + 12) != -1)
		FAIL("write to read-only max_xres accepted");
	if (pread(g->d.fd, e, 128, g->eri.offset + g->eri.size - 64) != -1)
		FAIL("read past the EDID region end accepted");
	memset(&pl, 0, sizeof(pl));
	pl.argsz = sizeof(pl);
	pl.flags = VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_REGION;
	if (ioctl(g->d.fd, VFIO_DEVICE_QUERY_GFX_PLANE, &pl))
		FAIL("probe REGION: %s", strerror(errno));
	pl.flags = VFIO_GFX_PLANE_TYPE_PROBE | VFIO_GFX_PLANE_TYPE_DMABUF;
	if (!ioctl(g->d.fd, VFIO_DEVICE_QUERY_GFX_PLANE, &pl) || errno != EINVAL)
		FAIL("probe DMABUF accepted");
	return failed;
}

/* the VF's EDID window holds @e (@n bytes), zeros after */
static void edid_window_is(volatile uint32_t *r, const uint8_t *e, uint32_t n)
{
	uint32_t k, v;

	for (k = 0; k < JMGPU_VF_EDID_MAX; k += 4) {
		v = r[(JMGPU_VF_EDID + k) / 4];
		if (k < n ? memcmp(&v, e + k, 4) : v != 0) {
			FAIL("EDID window byte %u: 0x%08x, want %s", k, v,
			     k < n ? "the EDID's" : "0");
			return;
		}
	}
}

static int gfx_edid(struct gfx *g)
{
	uint8_t e[128];
	uint32_t gen;

	g->r[JMGPU_VF_INT_STATUS / 4] = JMGPU_VF_INT_DISPLAY;
	gen = g->r[JMGPU_VF_DISPLAY_GEN / 4];
	if (g->r[JMGPU_VF_DISPLAY_LINK / 4] != 0)
		FAIL("a monitor is connected before QEMU wrote one");
	make_edid(e, 1024, 768, 0);
	/* as QEMU does: link down, blob, size, link up */
	if (edid_set(&g->d, g->eidx, g->regs.edid_offset, e, 128)) {
		FAIL("EDID 1024x768 refused: %s", strerror(errno));
		return failed;
	}
	INFO("DISPLAY_LINK %u EDID_SIZE %u DISPLAY_GEN %u -> %u INT_STATUS 0x%x",
	     g->r[JMGPU_VF_DISPLAY_LINK / 4], g->r[JMGPU_VF_DISPLAY_EDID_SIZE / 4],
	     gen, g->r[JMGPU_VF_DISPLAY_GEN / 4], g->r[JMGPU_VF_INT_STATUS / 4]);
	if (g->r[JMGPU_VF_DISPLAY_LINK / 4] != 1)
		FAIL("DISPLAY_LINK is not 1");
	if (g->r[JMGPU_VF_DISPLAY_EDID_SIZE / 4] != 128)
		FAIL("DISPLAY_EDID_SIZE is not 128");
	if (g->r[JMGPU_VF_DISPLAY_GEN / 4] == gen)
		FAIL("DISPLAY_GEN did not move");
	if (!(g->r[JMGPU_VF_INT_STATUS / 4] & JMGPU_VF_INT_DISPLAY))
		FAIL("INT_DISPLAY not raised");
	edid_window_is(g->r, e, 128);
	return failed;
}

static int gfx_linkdown(struct gfx *g)
{
	uint32_t v = VFIO_DEVICE_GFX_LINK_STATE_DOWN;
	uint8_t e[128];

	make_edid(e, 1024, 768, 0);
	if (edid_set(&g->d, g->eidx, g->regs.edid_offset, e, 128))
		FAIL("EDID 1024x768 refused: %s", strerror(errno));
	g->r[JMGPU_VF_INT_STATUS / 4] = JMGPU_VF_INT_DISPLAY;
	if (pwrite(g->d.fd, &v, 4, g->eri.offset + 20) != 4)
		FAIL("link down refused: %s", strerror(errno));
	if (g->r[JMGPU_VF_DISPLAY_LINK / 4] != 0 ||
	    g->r[JMGPU_VF_DISPLAY_EDID_SIZE / 4] != 0)
		FAIL("after link down: DISPLAY_LINK %u EDID_SIZE %u, want 0 0",
		     g->r[JMGPU_VF_DISPLAY_LINK / 4],
		     g->r[JMGPU_VF_DISPLAY_EDID_SIZE / 4]);
	if (!(g->r[JMGPU_VF_INT_STATUS / 4] & JMGPU_VF_INT_DISPLAY))
		FAIL("INT_DISPLAY not raised by the unplug");
	edid_window_is(g->r, e, 0);
	return failed;
}

/* a user connects a monitor and closes; the next user finds none */
static int gfx_close(const char *bdf)
{
	static struct gfx g;
	uint8_t e[128];

	if (gfx_open(&g, bdf))
		return 1;
	make_edid(e, 1024, 768, 0);
	if (edid_set(&g.d, g.eidx, g.regs.edid_offset, e, 128) ||
	    g.r[JMGPU_VF_DISPLAY_LINK / 4] != 1)
		FAIL("monitor not connected: %s", strerror(errno));
	vfio_dev_close(&g.d);
	if (gfx_open(&g, bdf))
		return 1;
	INFO("after close + open: DISPLAY_LINK %u EDID_SIZE %u region link %u",
	     g.r[JMGPU_VF_DISPLAY_LINK / 4], g.r[JMGPU_VF_DISPLAY_EDID_SIZE / 4],
	     g.regs.link_state);
	if (g.r[JMGPU_VF_DISPLAY_LINK / 4] != 0 ||
	    g.r[JMGPU_VF_DISPLAY_EDID_SIZE / 4] != 0)
		FAIL("the closed user's monitor is still connected");
	vfio_dev_close(&g.d);
	return failed;
}

static int gfx_plane(struct gfx *g)
{
	struct vfio_device_gfx_plane_info pl;

	if (query(&g->d, &pl) || pl.drm_format || pl.size)
		FAIL("disabled scanout: format 0x%x size %u, want 0",
		     pl.drm_format, pl.size);
	if (show_a(g, &pl))
		return 1;
	/* read the picture back through the plane's region, as QEMU does */
	region_shows(&g->d, pl.region_index, 0, "plane A");
	/* disabling is a commit too: no plane once latched */
	plane_commit(g->r, 0, 0, GFX_W, GFX_H, GFX_STRIDE, 1);
	if (query(&g->d, &pl) || pl.drm_format || pl.size)
		FAIL("disabled plane reported as format 0x%x size %u",
		     pl.drm_format, pl.size);
	return failed;
}

static int gfx_flip(struct gfx *g)
{
	struct vfio_device_gfx_plane_info pa, pb;

	if (show_a(g, &pa))
		return 1;
	pattern(g->fb + GFX_BASE_B, GFX_STRIDE * GFX_H, 0x55);
	if (plane_commit(g->r, 1, GFX_BASE_B, GFX_W, GFX_H, GFX_STRIDE, 1) !=
	    JMGPU_SCANOUT_OK)
		FAIL("flip to base 0x%x: SCANOUT_STATUS %u", GFX_BASE_B,
		     g->r[JMGPU_VF_SCANOUT_STATUS / 4]);
	if (failed || plane_is(g, &pb, "plane B"))
		return 1;
	if (pb.region_index == pa.region_index)
		FAIL("flip to base 0x%x: region_index stayed %u", GFX_BASE_B,
		     pb.region_index);
	region_shows(&g->d, pb.region_index, 0x55, "plane B");
	return failed;
}

/*
 * A plane region rebound by a later flip: the mapping made when it showed
 * buffer A shows the new buffer C afterwards (stale pages were zapped).
 */
static int gfx_remap(struct gfx *g)
{
	struct vfio_device_gfx_plane_info pa, pc;
	uint32_t n = GFX_STRIDE * GFX_H;
	uint8_t *va;
	long k;

	if (show_a(g, &pa))
		return 1;
	va = map_region(&g->d, pa.region_index, n);
	if (!va || pattern_diff(va, n, 0) >= 0) {
		FAIL("plane A's region does not show buffer A");
		return 1;
	}
	pattern(g->fb + GFX_BASE_B, n, 0x55);
	pattern(g->fb + GFX_BASE_C, n, 0xaa);
	plane_commit(g->r, 1, GFX_BASE_B, GFX_W, GFX_H, GFX_STRIDE, 1);
	if (failed || plane_is(g, &pc, "plane B"))
		return 1;
	plane_commit(g->r, 1, GFX_BASE_C, GFX_W, GFX_H, GFX_STRIDE, 1);
	if (failed || plane_is(g, &pc, "plane C"))
		return 1;
	INFO("A in region %u, C in region %u", pa.region_index,
	     pc.region_index);
	if (pc.region_index != pa.region_index) {
		FAIL("third buffer not in the first region (two regions alternate)");
		return 1;
	}
	k = pattern_diff(va, n, 0xaa);
	if (k >= 0)
		FAIL("old mapping of region %u byte %ld is 0x%02x: %s",
		     pa.region_index, k, va[k], pattern_diff(va, n, 0) < 0 ?
		     "still buffer A" : "neither A nor C");
	munmap(va, n);
	return failed;
}

static int gfx_badcommit(struct gfx *g)
{
	struct vfio_device_gfx_plane_info pa, p;
	uint32_t st, vb;
	int i;

	if (show_a(g, &pa))
		return 1;
	pattern(g->fb + GFX_BASE_B, GFX_STRIDE * GFX_H, 0x55);
	st = plane_commit(g->r, 1, GFX_BASE_B, GFX_W, GFX_H, GFX_STRIDE - 4, 0);
	if (st != JMGPU_SCANOUT_BAD_STRIDE)
		FAIL("stride %u < %u committed: SCANOUT_STATUS %u, want %u",
		     GFX_STRIDE - 4, GFX_STRIDE, st, JMGPU_SCANOUT_BAD_STRIDE);
	/* two vblanks later, nothing was latched */
	vb = g->r[JMGPU_VF_VBLANK_COUNT / 4];
	for (i = 0; i < 2000 && g->r[JMGPU_VF_VBLANK_COUNT / 4] - vb < 2; i++)
		usleep(1000);
	if (query(&g->d, &p))
		return 1;
	if (p.drm_format != pa.drm_format || p.width != pa.width ||
	    p.height != pa.height || p.stride != pa.stride ||
	    p.region_index != pa.region_index)
		FAIL("after the refused commit QUERY shows another plane");
	region_shows(&g->d, p.region_index, 0, "plane A after a bad commit");
	return failed;
}

/* B shows its plane; A commits bad and good planes; B's plane stays */
static int gfx_other(const char *a, const char *b)
{
	static struct gfx ga, gb;
	struct vfio_device_gfx_plane_info pb, p;
	uint32_t gen;

	if (gfx_open(&ga, a) || gfx_open(&gb, b))
		return 1;
	pattern(gb.fb, GFX_STRIDE * GFX_H, 0x33);
	if (plane_commit(gb.r, 1, 0, GFX_W, GFX_H, GFX_STRIDE, 1) ||
	    failed || plane_is(&gb, &pb, "B's plane"))
		return 1;
	gen = gb.r[JMGPU_VF_SCANOUT_GEN / 4];
	if (show_a(&ga, &p))
		return 1;
	plane_commit(ga.r, 1, GFX_BASE_B, GFX_W, GFX_H, GFX_STRIDE - 4, 0);
	plane_commit(ga.r, 1, 3, GFX_W, GFX_H, GFX_STRIDE, 0);
	plane_commit(ga.r, 1, GFX_BASE_B, GFX_W, GFX_H, GFX_STRIDE, 1);
	plane_commit(ga.r, 0, 0, 0, 0, 0, 1);
	if (query(&gb.d, &p))
		return 1;
	if (gb.r[JMGPU_VF_SCANOUT_GEN / 4] != gen)
		FAIL("%s's SCANOUT_GEN moved %u -> %u", b, gen,
		     gb.r[JMGPU_VF_SCANOUT_GEN / 4]);
	if (p.drm_format != pb.drm_format || p.width != pb.width ||
	    p.height != pb.height || p.stride != pb.stride ||
	    p.region_index != pb.region_index)
		FAIL("%s's plane changed while %s flipped", b, a);
	region_shows(&gb.d, p.region_index, 0x33, "B's plane");
	vfio_dev_close(&ga.d);
	vfio_dev_close(&gb.d);
	return failed;
}

/*
 * The monitor survives a PF recovery: the host's (jmgpu/monitor, connected
 * at open) or, when the host set none, one connected as QEMU does; say
 * "connected", wait for @stop (the test hangs the firmware, waits for the
 * recovery), then the VF's EDID window still holds it.
 */
static int gfx_recovery(struct gfx *g, const char *stop)
{
	uint32_t k, v;
	uint8_t e[128];
	int i;

	if (g->r[JMGPU_VF_DISPLAY_LINK / 4] == 1) {
		for (k = 0; k < 128; k += 4) {
			v = g->r[(JMGPU_VF_EDID + k) / 4];
			memcpy(e + k, &v, 4);
		}
		INFO("the host's monitor: %ux%u", e[56] | (e[58] & 0xf0) << 4,
		     e[59] | (e[61] & 0xf0) << 4);
	} else {
		make_edid(e, 1024, 768, 0);
		if (edid_set(&g->d, g->eidx, g->regs.edid_offset, e, 128) ||
		    g->r[JMGPU_VF_DISPLAY_LINK / 4] != 1) {
			FAIL("monitor not connected: %s", strerror(errno));
			return failed;
		}
	}
	printf("connected\n");
	for (i = 0; i < 600 && access(stop, F_OK); i++)
		usleep(100000);
	INFO("after recovery: DISPLAY_LINK %u EDID_SIZE %u",
	     g->r[JMGPU_VF_DISPLAY_LINK / 4],
	     g->r[JMGPU_VF_DISPLAY_EDID_SIZE / 4]);
	if (g->r[JMGPU_VF_DISPLAY_LINK / 4] != 1 ||
	    g->r[JMGPU_VF_DISPLAY_EDID_SIZE / 4] != 128)
		FAIL("the monitor did not survive the recovery");
	edid_window_is(g->r, e, 128);
	return failed;
}

/* the VFIO EDID region's registers, read again (32-bit accesses) */
static void edid_regs_read(struct gfx *g)
{
	uint32_t *p = (uint32_t *)&g->regs;
	unsigned int k;

	for (k = 0; k < sizeof(g->regs) / 4; k++)
		if (pread(g->d.fd, &p[k], 4, g->eri.offset + 4 * k) != 4)
			FAIL("EDID reg %u read: %s", k, strerror(errno));
}

/*
 * The host's monitor @w x @h (0 x 0: none) is what the guest sees (the
 * VF's DISPLAY_LINK, EDID_SIZE, an EDID in its window whose preferred
 * mode is @w x @h) and what the EDID region shows (link, size, the same
 * bytes; its limits unchanged, @maxx x @maxy).
 */
static int host_monitor_is(struct gfx *g, unsigned int w, unsigned int h,
			   unsigned int maxx, unsigned int maxy,
			   const char *what)
{
	uint8_t win[128], reg[128], sum = 0;
	unsigned int x, y, k;
	uint32_t v;

	edid_regs_read(g);
	INFO("%s: DISPLAY_LINK %u EDID_SIZE %u GEN %u; region link %u size %u max %ux%u",
	     what, g->r[JMGPU_VF_DISPLAY_LINK / 4],
	     g->r[JMGPU_VF_DISPLAY_EDID_SIZE / 4],
	     g->r[JMGPU_VF_DISPLAY_GEN / 4], g->regs.link_state,
	     g->regs.edid_size, g->regs.max_xres, g->regs.max_yres);
	if (g->regs.max_xres != maxx || g->regs.max_yres != maxy)
		FAIL("%s: region limits %ux%u, want the profile's %ux%u", what,
		     g->regs.max_xres, g->regs.max_yres, maxx, maxy);
	if (!w) {
		if (g->r[JMGPU_VF_DISPLAY_LINK / 4] != 0 ||
		    g->r[JMGPU_VF_DISPLAY_EDID_SIZE / 4] != 0)
			FAIL("%s: the VF sees a monitor, want none", what);
		if (g->regs.link_state != VFIO_DEVICE_GFX_LINK_STATE_DOWN)
			FAIL("%s: region link %u, want down", what,
			     g->regs.link_state);
		return failed;
	}
	if (g->r[JMGPU_VF_DISPLAY_LINK / 4] != 1 ||
	    g->r[JMGPU_VF_DISPLAY_EDID_SIZE / 4] != 128) {
		FAIL("%s: DISPLAY_LINK %u EDID_SIZE %u, want 1 128", what,
		     g->r[JMGPU_VF_DISPLAY_LINK / 4],
		     g->r[JMGPU_VF_DISPLAY_EDID_SIZE / 4]);
		return failed;
	}
	for (k = 0; k < 128; k += 4) {
		v = g->r[(JMGPU_VF_EDID + k) / 4];
		memcpy(win + k, &v, 4);
	}
	for (k = 0; k < 128; k++)
		sum += win[k];
	x = win[56] | (win[58] & 0xf0) << 4;
	y = win[59] | (win[61] & 0xf0) << 4;
	INFO("%s: EDID version %u.%u, preferred mode %ux%u", what, win[18],
	     win[19], x, y);
	if (win[0] || win[1] != 0xff || win[7] || sum || win[18] != 1 ||
	    win[19] != 4 || !(win[54] | win[55]))
		FAIL("%s: the EDID window holds no valid EDID 1.4 with a detailed timing",
		     what);
	if (x != w || y != h)
		FAIL("%s: preferred mode %ux%u, want %ux%u", what, x, y, w, h);
	if (g->regs.link_state != VFIO_DEVICE_GFX_LINK_STATE_UP ||
	    g->regs.edid_size != 128)
		FAIL("%s: region link %u size %u, want up 128", what,
		     g->regs.link_state, g->regs.edid_size);
	if (pread(g->d.fd, reg, 128, g->eri.offset + g->regs.edid_offset) !=
	    128 || memcmp(reg, win, 128))
		FAIL("%s: the EDID region's blob differs from the VF's EDID window",
		     what);
	return failed;
}

/* "WxH" or "none" into @w, @h (0 0 for none); -1 when neither */
static int mode_arg(const char *s, unsigned int *w, unsigned int *h)
{
	*w = 0;
	*h = 0;
	if (!strncmp(s, "none", 4))
		return 0;
	return sscanf(s, "%ux%u", w, h) == 2 ? 0 : -1;
}

static int attr_write(const char *path, const char *val)
{
	ssize_t n = -1;
	int fd = open(path, O_WRONLY), e;

	if (fd >= 0) {
		n = write(fd, val, strlen(val));
		e = errno;
		close(fd);
		errno = e;
	}
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

/* the attribute reads @want ("WxH" or "none") */
static void attr_is(const char *path, const char *want)
{
	char buf[64] = "";
	FILE *f = fopen(path, "r");

	if (!f || !fgets(buf, sizeof(buf), f))
		FAIL("%s: unreadable: %s", path, strerror(errno));
	if (f)
		fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	if (strcmp(buf, want))
		FAIL("%s reads '%s', want '%s'", path, buf, want);
}

/* at open the VF has the monitor @mode ("WxH" or "none") of the host */
static int gfx_hostmon(struct gfx *g, unsigned int maxx, unsigned int maxy,
		       const char *mode)
{
	unsigned int w, h;

	if (mode_arg(mode, &w, &h))
		return 2;
	return host_monitor_is(g, w, h, maxx, maxy, "at open");
}

/*
 * Write jmgpu/monitor (@attr) while the VF is open: each change reaches
 * the guest at once (EDID window, DISPLAY_GEN, INT_DISPLAY), none
 * disconnects; once the VMM wrote the EDID region's link, a write is
 * only recorded, and applies at the next open.
 */
static int gfx_monitor(struct gfx *g, const char *bdf, unsigned int maxx,
		       unsigned int maxy, const char *attr)
{
	char cur[64] = "", want[32];
	unsigned int w, h, nw, nh;
	uint32_t gen;
	uint8_t e[128];
	FILE *f = fopen(attr, "r");

	if (!f || !fgets(cur, sizeof(cur), f) || mode_arg(cur, &w, &h)) {
		FAIL("%s: no monitor mode to read", attr);
		return 1;
	}
	fclose(f);
	if (host_monitor_is(g, w, h, maxx, maxy, "at open"))
		return 1;
	/* a change: the profile's maximum, or 800x600 if that is the mode */
	nw = maxx;
	nh = maxy;
	if (w == nw && h == nh) {
		nw = 800;
		nh = 600;
	}
	snprintf(want, sizeof(want), "%ux%u", nw, nh);
	g->r[JMGPU_VF_INT_STATUS / 4] = JMGPU_VF_INT_DISPLAY;
	gen = g->r[JMGPU_VF_DISPLAY_GEN / 4];
	if (attr_write(attr, want)) {
		FAIL("write %s to %s: %s", want, attr, strerror(errno));
		return 1;
	}
	attr_is(attr, want);
	if (!(g->r[JMGPU_VF_INT_STATUS / 4] & JMGPU_VF_INT_DISPLAY))
		FAIL("monitor %s: INT_DISPLAY not raised", want);
	if (g->r[JMGPU_VF_DISPLAY_GEN / 4] == gen)
		FAIL("monitor %s: DISPLAY_GEN did not move", want);
	host_monitor_is(g, nw, nh, maxx, maxy, "after the write");

	g->r[JMGPU_VF_INT_STATUS / 4] = JMGPU_VF_INT_DISPLAY;
	if (attr_write(attr, "none\n"))
		FAIL("write none to %s: %s", attr, strerror(errno));
	attr_is(attr, "none");
	if (!(g->r[JMGPU_VF_INT_STATUS / 4] & JMGPU_VF_INT_DISPLAY))
		FAIL("monitor none: INT_DISPLAY not raised by the unplug");
	host_monitor_is(g, 0, 0, maxx, maxy, "after none");

	/* the VMM takes the monitor: the host's change waits for the next open */
	make_edid(e, 800, 600, 0);
	if (edid_set(&g->d, g->eidx, g->regs.edid_offset, e, 128))
		FAIL("the VMM's EDID 800x600 refused: %s", strerror(errno));
	if (attr_write(attr, want))
		FAIL("write %s while the VMM owns the monitor: %s", want,
		     strerror(errno));
	attr_is(attr, want);
	if (g->r[JMGPU_VF_DISPLAY_LINK / 4] != 1)
		FAIL("the VMM's monitor went away at the host's write");
	edid_window_is(g->r, e, 128);
	vfio_dev_close(&g->d);
	if (gfx_open(g, bdf))
		return 1;
	host_monitor_is(g, nw, nh, maxx, maxy, "next open");
	return failed;
}

/*
 * gfx <vf> <maxx> <maxy> <step> [vfB]: one behaviour of the mediated
 * display per step, each on a fresh open of the VF.
 */
static int cmd_gfx(const char *bdf, unsigned int maxx, unsigned int maxy,
		   const char *step, const char *other)
{
	static struct gfx g;
	int ret;

	if (!strcmp(step, "close"))
		return gfx_close(bdf);
	if (!strcmp(step, "other"))
		return other ? gfx_other(bdf, other) : 2;
	if (gfx_open(&g, bdf))
		return 1;
	if (!strcmp(step, "limits"))
		ret = gfx_limits(&g, maxx, maxy);
	else if (!strcmp(step, "edid"))
		ret = gfx_edid(&g);
	else if (!strcmp(step, "linkdown"))
		ret = gfx_linkdown(&g);
	else if (!strcmp(step, "plane"))
		ret = gfx_plane(&g);
	else if (!strcmp(step, "flip"))
		ret = gfx_flip(&g);
	else if (!strcmp(step, "remap"))
		ret = gfx_remap(&g);
	else if (!strcmp(step, "badcommit"))
		ret = gfx_badcommit(&g);
	else if (!strcmp(step, "recovery") && other)
		ret = gfx_recovery(&g, other);
	else if (!strcmp(step, "hostmon") && other)
		ret = gfx_hostmon(&g, maxx, maxy, other);
	else if (!strcmp(step, "monitor") && other)
		ret = gfx_monitor(&g, bdf, maxx, maxy, other);
	else
		ret = 2;
	vfio_dev_close(&g.d);
	if (ret == 2)
		fprintf(stderr, "gfx: unknown step %s\n", step);
	return ret;
}

/* expect a result of -1 with errno @want (0: any errno) */
#define EXPECT_ERR(want, call, what) do {				\
	errno = 0;							\
	if ((call) != -1 || !errno || ((want) && errno != (want)))	\
		FAIL("%s: got errno %d (%s), want %d", what, errno,	\
		     strerror(errno), want);				\
	else								\
		nchk++;							\
} while (0)

static int cmd_badinput(const char *bdf)
{
	struct vfio_device_gfx_plane_info pl;
	struct vfio_region_info ri;
	struct vfio_irq_info ii;
	struct vfio_irq_set is;
	struct vfio_dev d;
	uint64_t bar0 = (uint64_t)VFIO_PCI_BAR0_REGION_INDEX << 40;
	uint64_t cfg = (uint64_t)VFIO_PCI_CONFIG_REGION_INDEX << 40;
	uint64_t bar0_size, cfg_size;
	char buf[64];
	int nchk = 0;
	void *m;

	if (vfio_dev_open(&d, bdf, NULL))
		return 1;
	bar0_size = vfio_dev_region(&d, VFIO_PCI_BAR0_REGION_INDEX)->size;
	cfg_size = vfio_dev_region(&d, VFIO_PCI_CONFIG_REGION_INDEX)->size;
	INFO("BAR0 %llu bytes, config space %llu bytes",
	     (unsigned long long)bar0_size, (unsigned long long)cfg_size);
	memset(&ri, 0, sizeof(ri));
	ri.argsz = 4;
	EXPECT_ERR(EINVAL, ioctl(d.fd, VFIO_DEVICE_GET_REGION_INFO, &ri),
		   "GET_REGION_INFO argsz 4");
	ri.argsz = sizeof(ri);
	ri.index = 1000;
	EXPECT_ERR(EINVAL, ioctl(d.fd, VFIO_DEVICE_GET_REGION_INFO, &ri),
		   "GET_REGION_INFO index 1000");
	memset(&ii, 0, sizeof(ii));
	ii.argsz = sizeof(ii);
	ii.index = 99;
	EXPECT_ERR(EINVAL, ioctl(d.fd, VFIO_DEVICE_GET_IRQ_INFO, &ii),
		   "GET_IRQ_INFO index 99");
	memset(&is, 0, sizeof(is));
	is.argsz = sizeof(is);
	is.flags = 0xffff;
	is.index = VFIO_PCI_MSIX_IRQ_INDEX;
	EXPECT_ERR(EINVAL, ioctl(d.fd, VFIO_DEVICE_SET_IRQS, &is),
		   "SET_IRQS bad flags");
	is.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER;
	is.start = 100;
	is.count = 1;
	EXPECT_ERR(EINVAL, ioctl(d.fd, VFIO_DEVICE_SET_IRQS, &is),
		   "SET_IRQS MSI-X vector 100");
	memset(&pl, 0, sizeof(pl));
	pl.argsz = 8;
	pl.flags = VFIO_GFX_PLANE_TYPE_REGION;
	EXPECT_ERR(EINVAL, ioctl(d.fd, VFIO_DEVICE_QUERY_GFX_PLANE, &pl),
		   "QUERY_GFX_PLANE argsz 8");
	pl.argsz = sizeof(pl);
	pl.flags = 0x80;
	EXPECT_ERR(EINVAL, ioctl(d.fd, VFIO_DEVICE_QUERY_GFX_PLANE, &pl),
		   "QUERY_GFX_PLANE flags 0x80");
	pl.flags = VFIO_GFX_PLANE_TYPE_DMABUF;
	EXPECT_ERR(EINVAL, ioctl(d.fd, VFIO_DEVICE_QUERY_GFX_PLANE, &pl),
		   "QUERY_GFX_PLANE dma-buf");
	EXPECT_ERR(EFAULT, ioctl(d.fd, VFIO_DEVICE_QUERY_GFX_PLANE, (void *)8),
		   "QUERY_GFX_PLANE bad pointer");
	EXPECT_ERR(ENOTTY, ioctl(d.fd, VFIO_DEVICE_GET_GFX_DMABUF, 0),
		   "GET_GFX_DMABUF");
	EXPECT_ERR(ENOTTY, ioctl(d.fd, _IO(';', 200), 0), "unknown ioctl");
	EXPECT_ERR(EINVAL, pread(d.fd, buf, 4, bar0 + bar0_size),
		   "read past BAR0 end");
	EXPECT_ERR(EINVAL, pwrite(d.fd, buf, 4, bar0 + bar0_size + 4),
		   "write past BAR0 end");
	EXPECT_ERR(0, pread(d.fd, buf, 4, cfg + cfg_size),
		   "read past config space end");
	EXPECT_ERR(EINVAL, pread(d.fd, buf, 4, (uint64_t)50 << 40),
		   "read of region 50");
	EXPECT_ERR(EINVAL, pwrite(d.fd, buf, 4, (uint64_t)50 << 40),
		   "write of region 50");
	EXPECT_ERR(EINVAL, (m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, d.fd,
				     bar0 + bar0_size)) == MAP_FAILED ? -1 : 0,
		   "mmap past BAR0 end");
	EXPECT_ERR(EINVAL, (m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, d.fd,
				     cfg)) == MAP_FAILED ? -1 : 0,
		   "mmap of config space");
	/* still works */
	if (vfio_dev_read32(&d, 0, JMGPU_VF_STATUS) == 0xffffffff)
		FAIL("%s: BAR0 unreadable after the bad input", bdf);
	vfio_dev_close(&d);
	INFO("%d bad inputs rejected with the right errno", nchk);
	return failed;
}

static int cmd_recovery(const char *bdf, int secs)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int32_t)];
	struct vfio_irq_set *is = (void *)buf;
	static struct vgpu g;
	struct pollfd pfd;
	uint64_t cnt;
	int efd;

	if (vgpu_open(&g, bdf))
		return 1;
	efd = eventfd(0, EFD_CLOEXEC);
	is->argsz = sizeof(buf);
	is->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	is->index = VFIO_PCI_ERR_IRQ_INDEX;
	is->start = 0;
	is->count = 1;
	memcpy(is->data, &efd, sizeof(efd));
	if (efd < 0 || ioctl(g.d.fd, VFIO_DEVICE_SET_IRQS, is)) {
		FAIL("%s: error eventfd: %s", bdf, strerror(errno));
		return 1;
	}
	printf("armed %s\n", bdf);
	pfd.fd = efd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, secs * 1000) != 1 ||
	    read(efd, &cnt, sizeof(cnt)) != sizeof(cnt)) {
		FAIL("%s: no error eventfd signal within %d s", bdf, secs);
		return 1;
	}
	INFO("%s: error eventfd signalled (%llu)", bdf,
	     (unsigned long long)cnt);
	sleep(1);
	if (vfio_dev_reset(&g.d) || jmgpu_engine_restart(&g.e) ||
	    jmgpu_engine_run(&g.e, JMGPU_JOB_COPY, 0, IOVA_SRC, IOVA_DST,
			     4096, 0, 5000))
		FAIL("%s: after recovery + reset: %s %s", bdf, g.e.err,
		     g.d.err);
	vgpu_close(&g);
	return failed;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && !strcmp(argv[1], "open"))
		return cmd_open(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "hold"))
		return cmd_hold(argv[2], argv[3]);
	if (argc >= 3 && !strcmp(argv[1], "copy"))
		return cmd_copy(argc - 2, argv + 2);
	if (argc >= 4 && !strcmp(argv[1], "fault"))
		return cmd_fault(argv[2], argv[3]);
	if (argc >= 4 && !strcmp(argv[1], "isolate"))
		return cmd_isolate(argv[2], argv[3]);
	if (argc >= 5 && !strcmp(argv[1], "reset"))
		return cmd_reset(argv[2], argv[3], atoi(argv[4]),
				 argc > 5 ? atof(argv[5]) : 50);
	if (argc >= 4 && !strcmp(argv[1], "fbfill"))
		return cmd_fb(argv[2], strtol(argv[3], NULL, 0), 1);
	if (argc >= 4 && !strcmp(argv[1], "fbcheck"))
		return cmd_fb(argv[2], strtol(argv[3], NULL, 0), 0);
	if (argc >= 6 && !strcmp(argv[1], "gfx"))
		return cmd_gfx(argv[2], atoi(argv[3]), atoi(argv[4]), argv[5],
			       argc > 6 ? argv[6] : NULL);
	if (argc >= 4 && !strcmp(argv[1], "recovery"))
		return cmd_recovery(argv[2], atoi(argv[3]));
	if (argc >= 3 && !strcmp(argv[1], "badinput"))
		return cmd_badinput(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "busy"))
		return cmd_busy(argv[2], argv[3]);
	fprintf(stderr, "usage: see the comment at the top of jmgpu_vgpu.c\n");
	return 2;
}

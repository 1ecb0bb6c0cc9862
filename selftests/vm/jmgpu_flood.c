// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu_flood - a hostile VFIO user on VF A against a neighbour VF B, for
 * selftests/vm/40-pf-flood.sh:
 *
 *   jmgpu_flood <vfA> <vfB> <secs> [spin]
 *
 * B streams verified copies (64 KiB host -> FB -> host, compared) for
 * <secs> alone, then <secs> while A writes MSG_OUT + MSG_OUT_DOORBELL and
 * out-of-range ring doorbells in a tight loop; B then takes an engine
 * fault (a copy from an unmapped IOVA) and a VFIO_DEVICE_RESET (FLR)
 * while A goes on flooding, and checks that it streams correctly again.
 * B's rate is sampled in 0.5 s windows.
 *
 * Prints "# " lines: B's rate alone and during the flood (median and
 * spread of the windows, and their ratio), A's doorbells, the messages
 * the firmware accepted and the ones it dropped (A's MSG_OUT_DROPPED).
 * With "spin", A only spins on the CPU (no MMIO at all): the control run
 * that tells the cost of a busy neighbour vCPU from that of the flood.
 *
 * Exit 0 when every copy was right, B's fault was reported and B works
 * after its reset, and A saw its doorbells dropped while one message was
 * in flight (MSG_OUT_STATUS BUSY, MSG_OUT_DROPPED counting).
 */
#include <endian.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jmgpu_engine.h"
#include "jmgpu_fw_iface.h"
#include "vfio_dev.h"

#define IOVA_RING	0x100000ULL
#define IOVA_SRC	0x200000ULL
#define IOVA_DST	0x400000ULL
#define IOVA_UNMAPPED	0x7f000000000ULL
#define LEN		65536
#define MAXW		256

static int failed;

#define FAIL(...) do { printf("# FAIL: " __VA_ARGS__); printf("\n"); \
			fflush(stdout); failed = 1; } while (0)
#define INFO(...) do { printf("# " __VA_ARGS__); printf("\n"); \
			fflush(stdout); } while (0)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One verified round trip on B: 2 jobs. 0, or -1 (error, bad data). */
static int b_copy(struct jmgpu_engine *e, uint8_t *src, uint8_t *dst,
		  unsigned long *bad)
{
	memset(dst, 0, LEN);
	src[0]++;
	if (jmgpu_engine_run(e, JMGPU_JOB_COPY, JMGPU_JOB_F_DST_FB, IOVA_SRC,
			     0, LEN, 0, 10000) ||
	    jmgpu_engine_run(e, JMGPU_JOB_COPY, JMGPU_JOB_F_SRC_FB, 0,
			     IOVA_DST, LEN, 0, 10000)) {
		FAIL("B: %s", e->err);
		return -1;
	}
	if (memcmp(src, dst, LEN)) {
		(*bad)++;
		return -1;
	}
	return 0;
}

/* Rate of B in 0.5 s windows for @secs; fills w[], returns the count. */
static int b_stream(struct jmgpu_engine *e, uint8_t *src, uint8_t *dst,
		    double secs, double *w, unsigned long *bad)
{
	double t0 = now_s(), ws = t0, t;
	unsigned long jobs = 0;
	int n = 0;

	while ((t = now_s()) - t0 < secs && n < MAXW) {
		if (b_copy(e, src, dst, bad))
			return -1;
		jobs += 2;
		t = now_s();
		if (t - ws >= 0.5) {
			w[n++] = jobs / (t - ws);
			jobs = 0;
			ws = t;
		}
	}
	return n;
}

/* B: solo, flood, fault + reset, verified again. Result on @res. */
static void b_child(const char *bdf, double secs, int go, int res)
{
	static double w[2][MAXW];
	static struct vfio_dev d;
	struct jmgpu_engine e;
	unsigned long bad = 0;
	uint8_t *src, *dst;
	int n[2] = { 0, 0 }, k, faulted = 0;
	char c;

	if (vfio_dev_open(&d, bdf, NULL) ||
	    jmgpu_engine_init(&e, &d, IOVA_RING, 64))
		_exit(10);
	src = vfio_dev_dma_alloc(&d, IOVA_SRC, LEN);
	dst = vfio_dev_dma_alloc(&d, IOVA_DST, LEN);
	if (!src || !dst)
		_exit(10);
	for (k = 0; k < LEN; k++)
		src[k] = (uint8_t)(k * 7 + 3);
	n[0] = b_stream(&e, src, dst, secs, w[0], &bad);
	if (write(res, "s", 1) != 1 || read(go, &c, 1) != 1)	/* A floods */
		_exit(11);
	n[1] = b_stream(&e, src, dst, secs, w[1], &bad);
	/* a fault: the engine stops, the firmware posts ENGINE_FAULT */
	if (n[1] > 0 &&
	    jmgpu_engine_run(&e, JMGPU_JOB_COPY, 0, IOVA_UNMAPPED, IOVA_DST,
			     4096, 0, 5000) && e.fault)
		faulted = 1;
	/* FLR (VFIO_DEVICE_RESET), then B must work again */
	if (vfio_dev_reset(&d) || jmgpu_engine_restart(&e) ||
	    b_copy(&e, src, dst, &bad))
		faulted = -1;
	if (write(res, "d", 1) != 1)
		_exit(11);
	dprintf(res, "%d %d %lu %d\n", n[0], n[1], bad, faulted);
	for (k = 0; k < n[0]; k++)
		dprintf(res, "%f\n", w[0][k]);
	for (k = 0; k < n[1]; k++)
		dprintf(res, "%f\n", w[1][k]);
	close(res);
	jmgpu_engine_fini(&e);
	vfio_dev_close(&d);
	_exit(0);
}

static void spread(const char *what, double *w, int n, double *med)
{
	qsort(w, n, sizeof(*w), cmp_d);
	*med = n ? w[n / 2] : 0;
	INFO("B %s: %.0f jobs/s median of %d windows (min %.0f, max %.0f)",
	     what, *med, n, n ? w[0] : 0, n ? w[n - 1] : 0);
}

int main(int argc, char **argv)
{
	static double w[2][MAXW];
	static struct vfio_dev a;
	unsigned long long doorbells = 0;
	volatile unsigned long spins = 0;
	int spin;
	uint32_t busy = 0, drop0, drop1, i = 0;
	int go[2], res[2], n[2], faulted, st, k, fl;
	unsigned long bad;
	double secs, med[2];
	FILE *fp;
	pid_t pid;
	char c;

	if (argc < 4 || argc > 5 || (argc == 5 && strcmp(argv[4], "spin"))) {
		fprintf(stderr, "usage: jmgpu_flood <vfA> <vfB> <secs> [spin]\n");
		return 2;
	}
	spin = argc == 5;
	secs = atof(argv[3]);
	if (pipe(go) || pipe(res))
		return 1;
	pid = fork();
	if (!pid) {
		close(go[1]);
		close(res[0]);
		b_child(argv[2], secs, go[0], res[1]);
	}
	close(go[0]);
	close(res[1]);
	if (vfio_dev_open(&a, argv[1], NULL) || !vfio_dev_map_bar(&a, 0)) {
		FAIL("A: %s", a.err);
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		return 1;
	}
	if (read(res[0], &c, 1) != 1 || write(go[1], "f", 1) != 1) {
		FAIL("B died in its solo run");
		waitpid(pid, &st, 0);
		return 1;
	}
	/* flood until B reports (its flood phase, fault and reset) */
	fl = fcntl(res[0], F_GETFL);
	fcntl(res[0], F_SETFL, fl | O_NONBLOCK);
	drop0 = vfio_dev_read32(&a, 0, JMGPU_VF_MSG_OUT_DROPPED);
	while (spin) {
		spins++;
		if (!(++i & 0xfffff) && read(res[0], &c, 1) == 1)
			break;
	}
	while (!spin) {
		vfio_dev_write32(&a, 0, JMGPU_VF_MSG_OUT, i);
		vfio_dev_write32(&a, 0, JMGPU_VF_MSG_OUT_DOORBELL, 1);
		vfio_dev_write32(&a, 0, JMGPU_VF_DOORBELL, 0xffffffffu);
		doorbells++;
		if (vfio_dev_read32(&a, 0, JMGPU_VF_MSG_OUT_STATUS) &
		    JMGPU_VF_MSG_OUT_BUSY)
			busy++;
		if (!(++i & 255) && read(res[0], &c, 1) == 1)
			break;
	}
	drop1 = vfio_dev_read32(&a, 0, JMGPU_VF_MSG_OUT_DROPPED);
	fcntl(res[0], F_SETFL, fl);
	fp = fdopen(res[0], "r");
	/* the byte read above was B's "done" marker before its results */
	if (!fp || fscanf(fp, "%d %d %lu %d", &n[0], &n[1], &bad, &faulted) != 4 ||
	    n[0] < 0 || n[1] < 0 || n[0] > MAXW || n[1] > MAXW) {
		FAIL("B gave no result");
		waitpid(pid, &st, 0);
		return 1;
	}
	for (k = 0; k < 2; k++)
		for (st = 0; st < n[k]; st++)
			if (fscanf(fp, "%lf", &w[k][st]) != 1)
				FAIL("B's window %d/%d missing", k, st);
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		FAIL("B's process failed (status 0x%x)", st);
	spread("alone", w[0], n[0], &med[0]);
	spread(spin ? "while A spins" : "while A floods", w[1], n[1], &med[1]);
	INFO("B's throughput while A %s: %.0f%% of alone (median of windows)",
	     spin ? "spins on the CPU (no MMIO)" : "floods",
	     med[0] ? 100 * med[1] / med[0] : 0);
	if (!spin)
		INFO("A: %llu MSG_OUT doorbells (+ as many bad ring doorbells), %u seen BUSY, %u dropped by the firmware, %llu accepted",
		     doorbells, busy, drop1 - drop0,
		     doorbells - (drop1 - drop0));
	if (bad)
		FAIL("B: %lu copies wrong", bad);
	if (faulted != 1)
		FAIL("B: %s", faulted < 0 ? "does not work after its reset" :
		     "the copy from an unmapped IOVA did not fault");
	if (!n[0] || !n[1])
		FAIL("B streamed no full window (%d alone, %d flood)", n[0], n[1]);
	if (!spin && (drop1 - drop0 == 0 || drop1 - drop0 >= doorbells || !busy))
		FAIL("A: doorbells while a message is in flight must be dropped and counted, the acknowledged ones accepted");
	vfio_dev_close(&a);
	return failed;
}

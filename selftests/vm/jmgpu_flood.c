// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu_flood - a hostile VFIO user on VF A against a neighbour VF B, for
 * selftests/vm/40-pf-flood.sh:
 *
 *   jmgpu_flood <vfA> <vfB> <rounds>
 *
 * B measures its engine in three conditions, each once per round (the
 * order rotates each round, so a change of the host's load over the run
 * weighs on all three alike):
 *   solo   A's process sleeps;
 *   flood  A writes MSG_OUT + MSG_OUT_DOORBELL and out-of-range ring
 *          doorbells in a tight loop (MMIO to its own BAR0);
 *   spin   A only spins on the CPU, no MMIO at all: the control, which
 *          tells the cost of a busy neighbour vCPU from that of the flood;
 *   read   A only reads MSG_OUT_STATUS in a loop: MMIO exits without
 *          messages, events or interrupts (tells the cost of trapped MMIO
 *          from that of the firmware's work on A's messages).
 * A measurement is a deep batch that keeps B's engine busy without B's
 * CPU: 32 copies of 1 MiB host -> FB and 32 back FB -> host, queued into
 * the ring first and started by one doorbell; throughput = bytes moved /
 * wall time from that doorbell to the last fence, the data compared after
 * the clock stops. Then LAT_N single 4 KiB jobs, doorbell to fence each
 * (latency). The engine runs on the device's clock, not on B's vCPU, so
 * the batch shows how the stack shares the engine, interrupts and the
 * device with a hostile neighbour rather than how vCPUs share a CPU.
 * After the rounds, while A floods, B takes an engine fault (a copy from
 * an unmapped IOVA) and a VFIO_DEVICE_RESET (FLR) and must work again.
 *
 * Prints "# " lines (a benchmark, never pass/fail on numbers): for each
 * condition the throughput (median, min, max of the rounds) and latency
 * p50/p99, then the ratios flood/solo and flood/spin; A's doorbells, the
 * messages the firmware accepted and dropped (A's MSG_OUT_DROPPED).
 *
 * Exit 0 when every copy was right, B's fault was reported and B works
 * after its reset, and A saw its doorbells dropped while one message was
 * in flight (MSG_OUT_STATUS BUSY, MSG_OUT_DROPPED counting).
 *
 *   jmgpu_flood -b <vfB> <label> <rounds> [<stop-file>]
 *
 * B alone, while something else (a nested QEMU on A, for
 * selftests/vm/62-hostile-guest.sh) does whatever it does: each round one
 * deep batch (throughput), LAT_N single jobs (latency), then a fault (a
 * copy from an unmapped IOVA) and a reset (VFIO_DEVICE_RESET), after which
 * B must run a verified copy again: B's events keep coming all along.
 * With <stop-file>, B creates <stop-file>.ready after its warm-up and
 * runs rounds until <stop-file> exists (at least one, at most <rounds>).
 * Prints the "# B <label>: ..." line and one line for scripts:
 *   bstat <label> <rounds> <median MiB/s> <min> <max> <p50 us> <p99 us>
 * Exit 0 when every copy was right and every fault and reset behaved.
 */
#include <endian.h>
#include <fcntl.h>
#include <poll.h>
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
#define IOVA_SRC	0x1000000ULL
#define IOVA_DST	0x4000000ULL
#define IOVA_UNMAPPED	0x7f000000000ULL
#define JOB_LEN		(1u << 20)	/* one copy of the batch */
#define HALF		32		/* copies each way per batch */
#define BUF_LEN		((size_t)HALF * JOB_LEN)
#define LAT_LEN		4096
#define LAT_FB		(96ULL << 20)	/* FB offset of the latency jobs */
#define LAT_N		20		/* latency samples per round */
#define MAXR		64		/* rounds at most */
#define MAXR_B		256		/* rounds at most, -b */
#define RING		128

enum { SOLO, FLOOD, SPIN, READ, NCOND };
static const char cond_cmd[NCOND] = { 'i', 'f', 's', 'r' };
static const char *const cond_name[NCOND] = {
	"solo", "while A floods", "while A spins (control, no MMIO)",
	"while A only reads a register (MMIO, no message)"
};

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

/* The @p quantile (0..1) of @n sorted values. */
static double quant(const double *v, int n, double p)
{
	int i = (int)(p * n);

	if (!n)
		return 0;
	return v[i < n ? i : n - 1];
}

/*
 * One batch on B: HALF copies host -> FB, HALF back FB -> host, one
 * doorbell. Return: MiB/s from the doorbell to the last fence, -1 on an
 * engine error (e->err) or wrong data (*bad counts it).
 */
static double b_batch(struct jmgpu_engine *e, uint8_t *src, uint8_t *dst,
		      uint64_t stamp, unsigned long *bad)
{
	uint64_t f = 0;
	double t0, t1;
	int i;

	for (i = 0; i < HALF; i++)	/* new data in every MiB, each batch */
		memcpy(src + (size_t)i * JOB_LEN, &stamp, sizeof(stamp));
	memset(dst, 0, BUF_LEN);
	for (i = 0; i < HALF; i++)
		if (!jmgpu_engine_queue(e, JMGPU_JOB_COPY, JMGPU_JOB_F_DST_FB,
					IOVA_SRC + (uint64_t)i * JOB_LEN,
					(uint64_t)i * JOB_LEN, JOB_LEN, 0))
			goto err;
	for (i = 0; i < HALF; i++) {
		f = jmgpu_engine_queue(e, JMGPU_JOB_COPY, JMGPU_JOB_F_SRC_FB,
				       (uint64_t)i * JOB_LEN,
				       IOVA_DST + (uint64_t)i * JOB_LEN,
				       JOB_LEN, 0);
		if (!f)
			goto err;
	}
	t0 = now_s();
	jmgpu_engine_kick(e);
	if (jmgpu_engine_wait(e, f, 30000))
		goto err;
	t1 = now_s();
	if (memcmp(src, dst, BUF_LEN)) {
		(*bad)++;
		FAIL("B: batch %llu: data copied host -> FB -> host differs",
		     (unsigned long long)stamp);
		return -1;
	}
	return 2.0 * BUF_LEN / (1 << 20) / (t1 - t0);
err:
	FAIL("B: %s", e->err);
	return -1;
}

/* @n single small jobs: doorbell to fence of each, in us, into @lat. */
static int b_latency(struct jmgpu_engine *e, double *lat, int n)
{
	double t0;
	int i;

	for (i = 0; i < n; i++) {
		t0 = now_s();
		if (jmgpu_engine_run(e, JMGPU_JOB_COPY, JMGPU_JOB_F_DST_FB,
				     IOVA_SRC, LAT_FB, LAT_LEN, 0, 10000)) {
			FAIL("B: %s", e->err);
			return -1;
		}
		lat[i] = (now_s() - t0) * 1e6;
	}
	return 0;
}

/* One verified 64 KiB round trip through the FB (after the reset). */
static int b_copy(struct jmgpu_engine *e, uint8_t *src, uint8_t *dst)
{
	memset(dst, 0, 65536);
	src[0]++;
	if (jmgpu_engine_run(e, JMGPU_JOB_COPY, JMGPU_JOB_F_DST_FB, IOVA_SRC,
			     0, 65536, 0, 10000) ||
	    jmgpu_engine_run(e, JMGPU_JOB_COPY, JMGPU_JOB_F_SRC_FB, 0,
			     IOVA_DST, 65536, 0, 10000))
		return -1;
	return memcmp(src, dst, 65536) ? -1 : 0;
}

/*
 * B's fault (a copy from an unmapped IOVA: the engine stops, the firmware
 * posts ENGINE_FAULT) and reset (VFIO_DEVICE_RESET, an FLR), then B must
 * run a verified copy again. 0 or -1 (said why).
 */
static int b_fault_reset(struct vfio_dev *d, struct jmgpu_engine *e,
			 uint8_t *src, uint8_t *dst)
{
	if (!jmgpu_engine_run(e, JMGPU_JOB_COPY, 0, IOVA_UNMAPPED, IOVA_DST,
			      4096, 0, 5000) || !e->fault) {
		FAIL("B: the copy from an unmapped IOVA did not fault");
		return -1;
	}
	if (vfio_dev_reset(d) || jmgpu_engine_restart(e) ||
	    b_copy(e, src, dst)) {
		FAIL("B does not work after its reset: %s %s", d->err, e->err);
		return -1;
	}
	return 0;
}

/* Tell A to change what it does (@c), wait until it did. */
static int a_mode(int cmd, int ack, char c)
{
	char k;

	return write(cmd, &c, 1) == 1 && read(ack, &k, 1) == 1 ? 0 : -1;
}

static void print_cond(int k, double *thr, int n, double *lat, int nl,
		       double *med, double *p99)
{
	qsort(thr, n, sizeof(*thr), cmp_d);
	qsort(lat, nl, sizeof(*lat), cmp_d);
	*med = quant(thr, n, 0.5);
	*p99 = quant(lat, nl, 0.99);
	INFO("B %s: %.0f MiB/s median of %d batches of %u MiB (min %.0f, max %.0f); latency p50 %.0f us, p99 %.0f us (%d jobs)",
	     cond_name[k], *med, n, 2 * HALF * (JOB_LEN >> 20),
	     quant(thr, n, 0), quant(thr, n, 1), quant(lat, nl, 0.5), *p99,
	     nl);
}

/* B: the rounds, then fault + reset while A floods. Exit status: 0 ok. */
static void b_child(const char *bdf, int rounds, int cmd, int ack)
{
	static double thr[NCOND][MAXR], lat[NCOND][MAXR * LAT_N];
	static struct vfio_dev d;
	struct jmgpu_engine e;
	unsigned long bad = 0;
	double med[NCOND], p99[NCOND], v;
	uint8_t *src, *dst;
	int r, i, k, n = 0;
	char c;

	if (vfio_dev_open(&d, bdf, NULL) ||
	    jmgpu_engine_init(&e, &d, IOVA_RING, RING)) {
		FAIL("B: %s %s", d.err, e.err);
		_exit(10);
	}
	src = vfio_dev_dma_alloc(&d, IOVA_SRC, BUF_LEN);
	dst = vfio_dev_dma_alloc(&d, IOVA_DST, BUF_LEN);
	if (!src || !dst) {
		FAIL("B: %s", d.err);
		_exit(10);
	}
	for (i = 0; i < (int)BUF_LEN; i++)
		src[i] = (uint8_t)(i * 7 + 3 + i / 4093);
	if (read(ack, &c, 1) != 1)		/* A is ready */
		_exit(11);
	if (b_batch(&e, src, dst, 0, &bad) < 0)	/* warm up, not counted */
		goto out;
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < NCOND; i++) {
			k = (i + r) % NCOND;
			if (a_mode(cmd, ack, cond_cmd[k]))
				_exit(11);
			v = b_batch(&e, src, dst, 1 + r * NCOND + k, &bad);
			if (v < 0 || b_latency(&e, &lat[k][r * LAT_N], LAT_N))
				goto out;
			thr[k][r] = v;
		}
		n++;
	}
out:
	if (a_mode(cmd, ack, 'f'))
		_exit(11);
	/* a fault (the firmware posts ENGINE_FAULT), an FLR, a good copy */
	b_fault_reset(&d, &e, src, dst);
	if (a_mode(cmd, ack, 'd'))
		_exit(11);
	if (n) {
		for (k = 0; k < NCOND; k++)
			print_cond(k, thr[k], n, lat[k], n * LAT_N, &med[k],
				   &p99[k]);
		INFO("B's throughput while A floods: %.0f%% of solo, %.0f%% of the control (A spins); p99 latency %.2fx solo, %.2fx the control",
		     100 * med[FLOOD] / med[SOLO], 100 * med[FLOOD] / med[SPIN],
		     p99[FLOOD] / p99[SOLO], p99[FLOOD] / p99[SPIN]);
		INFO("B's throughput while A spins: %.0f%% of solo; while A only reads a register: %.0f%% of solo",
		     100 * med[SPIN] / med[SOLO], 100 * med[READ] / med[SOLO]);
	}
	if (n < rounds)
		FAIL("B measured %d of %d rounds", n, rounds);
	if (bad)
		FAIL("B: %lu batches wrong", bad);
	jmgpu_engine_fini(&e);
	vfio_dev_close(&d);
	_exit(failed);
}

/* jmgpu_flood -b: B's rounds alone (see the top of the file). */
static int b_only(const char *bdf, const char *label, int rounds,
		  const char *stop)
{
	static double thr[MAXR_B], lat[MAXR_B * LAT_N];
	static struct vfio_dev d;
	struct jmgpu_engine e;
	unsigned long bad = 0;
	char ready[4096];
	double med, p99, v;
	uint8_t *src, *dst;
	int i, n = 0, fd;

	if (vfio_dev_open(&d, bdf, NULL) ||
	    jmgpu_engine_init(&e, &d, IOVA_RING, RING)) {
		FAIL("B: %s %s", d.err, e.err);
		return 1;
	}
	src = vfio_dev_dma_alloc(&d, IOVA_SRC, BUF_LEN);
	dst = vfio_dev_dma_alloc(&d, IOVA_DST, BUF_LEN);
	if (!src || !dst) {
		FAIL("B: %s", d.err);
		return 1;
	}
	for (i = 0; i < (int)BUF_LEN; i++)
		src[i] = (uint8_t)(i * 7 + 3 + i / 4093);
	if (b_batch(&e, src, dst, 0, &bad) < 0)	/* warm up, not counted */
		return 1;
	if (stop) {
		snprintf(ready, sizeof(ready), "%s.ready", stop);
		fd = open(ready, O_WRONLY | O_CREAT, 0644);
		if (fd < 0)
			return 1;
		close(fd);
	}
	while (n < rounds && !(n && stop && !access(stop, F_OK))) {
		v = b_batch(&e, src, dst, 1 + n, &bad);
		if (v < 0 || b_latency(&e, &lat[n * LAT_N], LAT_N) ||
		    b_fault_reset(&d, &e, src, dst))
			break;
		thr[n++] = v;
	}
	if (n) {
		qsort(thr, n, sizeof(*thr), cmp_d);
		qsort(lat, n * LAT_N, sizeof(*lat), cmp_d);
		med = quant(thr, n, 0.5);
		p99 = quant(lat, n * LAT_N, 0.99);
		INFO("B %s: %.0f MiB/s median of %d batches of %u MiB (min %.0f, max %.0f); latency p50 %.0f us, p99 %.0f us (%d jobs); a fault and a reset each round",
		     label, med, n, 2 * HALF * (JOB_LEN >> 20), quant(thr, n, 0),
		     quant(thr, n, 1), quant(lat, n * LAT_N, 0.5), p99,
		     n * LAT_N);
		printf("bstat %s %d %.1f %.1f %.1f %.1f %.1f\n", label, n, med,
		       quant(thr, n, 0), quant(thr, n, 1),
		       quant(lat, n * LAT_N, 0.5), p99);
	}
	if (stop && n == rounds && access(stop, F_OK))
		INFO("B stopped after %d rounds, before %s appeared", n, stop);
	if (bad)
		FAIL("B: %lu batches wrong", bad);
	if (!n)
		FAIL("B measured no round");
	jmgpu_engine_fini(&e);
	vfio_dev_close(&d);
	return failed;
}

int main(int argc, char **argv)
{
	static struct vfio_dev a;
	unsigned long long doorbells = 0, reads = 0;
	double t_mode = 0, t_flood = 0, t_read = 0;
	volatile unsigned long spins = 0;
	uint32_t busy = 0, drop0 = 0, drops = 0, i = 0;
	int cmd[2], ack[2], st, rounds;
	struct pollfd pfd;
	char mode = 'i', c;
	pid_t pid;

	if (argc >= 5 && argc <= 6 && !strcmp(argv[1], "-b") &&
	    (rounds = atoi(argv[4])) >= 1 && rounds <= MAXR_B)
		return b_only(argv[2], argv[3], rounds,
			      argc == 6 ? argv[5] : NULL);
	if (argc != 4 || (rounds = atoi(argv[3])) < 1 || rounds > MAXR) {
		fprintf(stderr, "usage: jmgpu_flood <vfA> <vfB> <rounds 1..%d>\n"
			"       jmgpu_flood -b <vfB> <label> <rounds 1..%d> [<stop-file>]\n",
			MAXR, MAXR_B);
		return 2;
	}
	if (pipe(cmd) || pipe(ack))
		return 1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 1;
	if (!pid) {
		close(cmd[0]);
		close(ack[1]);
		b_child(argv[2], rounds, cmd[1], ack[0]);
	}
	close(cmd[1]);
	close(ack[0]);
	if (vfio_dev_open(&a, argv[1], NULL) || !vfio_dev_map_bar(&a, 0)) {
		FAIL("A: %s", a.err);
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		return 1;
	}
	fcntl(cmd[0], F_SETFL, fcntl(cmd[0], F_GETFL) | O_NONBLOCK);
	pfd.fd = cmd[0];
	pfd.events = POLLIN;
	c = 'k';
	if (write(ack[1], &c, 1) != 1)
		goto b_gone;
	/* A does what B asks: sleep (i), flood (f), spin (s), until done (d) */
	while (mode != 'd') {
		if (mode == 'i' && poll(&pfd, 1, -1) < 0)
			goto b_gone;
		if (mode == 'i' || (mode == 'f' && !(++i & 255)) ||
		    (mode == 'r' && !(++i & 1023)) ||
		    (mode == 's' && !(++i & 0xfffff))) {
			int got = read(cmd[0], &c, 1);

			if (!got)
				goto b_gone;
			if (got == 1) {
				if (mode == 'f')
					t_flood += now_s() - t_mode;
				if (mode == 'r')
					t_read += now_s() - t_mode;
				t_mode = now_s();
				if (mode == 'f')
					drops += vfio_dev_read32(&a, 0, JMGPU_VF_MSG_OUT_DROPPED) - drop0;
				if (c == 'f')
					drop0 = vfio_dev_read32(&a, 0, JMGPU_VF_MSG_OUT_DROPPED);
				mode = c;
				if (write(ack[1], "k", 1) != 1)
					goto b_gone;
			}
		}
		if (mode == 's') {
			spins++;
		} else if (mode == 'r') {
			vfio_dev_read32(&a, 0, JMGPU_VF_MSG_OUT_STATUS);
			reads++;
		} else if (mode == 'f') {
			vfio_dev_write32(&a, 0, JMGPU_VF_MSG_OUT, i);
			vfio_dev_write32(&a, 0, JMGPU_VF_MSG_OUT_DOORBELL, 1);
			vfio_dev_write32(&a, 0, JMGPU_VF_DOORBELL, 0xffffffffu);
			doorbells++;
			if (vfio_dev_read32(&a, 0, JMGPU_VF_MSG_OUT_STATUS) &
			    JMGPU_VF_MSG_OUT_BUSY)
				busy++;
		}
	}
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		FAIL("B failed (status 0x%x)", st);
	INFO("A: %llu MSG_OUT doorbells (+ as many bad ring doorbells), %u seen BUSY, %u dropped by the firmware, %llu accepted",
	     doorbells, busy, drops, doorbells - drops);
	INFO("A's MMIO: %.0f accesses/s flooding (4 per doorbell, %.1f s), %.0f reads/s reading (%.1f s)",
	     t_flood ? 4 * doorbells / t_flood : 0, t_flood,
	     t_read ? reads / t_read : 0, t_read);
	if (drops == 0 || drops >= doorbells || !busy)
		FAIL("A: doorbells while a message is in flight must be dropped and counted, the acknowledged ones accepted");
	vfio_dev_close(&a);
	return failed;
b_gone:
	FAIL("B went away");
	waitpid(pid, &st, 0);
	return 1;
}

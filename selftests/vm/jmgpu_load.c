// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu_load - one tenant of the fairness benchmark (90-mdev-bench.sh):
 * drives one VF (or the vGPU on it) through VFIO, started together with
 * the other tenants by a barrier.
 *
 *   jmgpu_load <vf> <dir> <id>
 *
 * Opens the VF, programs a ring of 256 entries, then runs phases k = 1,
 * 2, ... one after the other, as the script writes <dir>/phase.<k>:
 * "<modes> <warm-ms> <window-ms> [<bin-ms>]", one mode letter per tenant
 * id (b busy, l light, r/f/d/s a neighbour that resets, faults, floods
 * or only sleeps, - idle), or "quit 0 0". A busy tenant queues 255 copies of
 * 256 KiB host->FB (doorbell not rung yet); every tenant then creates
 * <dir>/ready.<id>.<k> and waits for <dir>/go.<k>. The window is the same
 * for every tenant: it starts <warm-ms> after go's modification time
 * (CLOCK_REALTIME, one clock for all processes) and lasts <window-ms>.
 * The result goes to <dir>/res.<id>.<k> (renamed into place when
 * complete). One process serves every phase: the set-up of 32 VFIO
 * tenants is paid once, not per measurement.
 *
 * busy: rings the doorbell at go and keeps the ring full until the window
 * ends (refills every free slot at each completion interrupt), then
 * disables and re-enables its ring (the rest is dropped: the next phase
 * starts even). Counts the
 * jobs whose fences landed inside the window and whether the ring was
 * ever seen empty inside it ("starved": a submitter that could not keep
 * up, which would make the figure measure the CPU, not the scheduler).
 * With a <bin-ms> other than 0 it also counts the jobs per bin of
 * <bin-ms> from the window's start (a job counts in the bin in which the
 * tenant saw its fence; those seen at the first look after the end, in
 * the last bin), for a share over time (the part ctl).
 *
 * light: inside the window, one 64-byte job at a time, 2 ms apart:
 * doorbell write to MSI-X eventfd wake-up, in microseconds.
 *
 * Neighbours (the others' throughput against an undisturbed run), each
 * inside the window only:
 * reset: VFIO_DEVICE_RESET 100 times, evenly spread, the ring set up again
 *        after each (jobs = resets done);
 * fault: a copy from an IOVA nobody mapped, the engine's fault awaited,
 *        the VF reset and its ring set up again, in a loop (jobs =
 *        faults seen);
 * flood: the doorbell written with the unchanged tail as fast as the
 *        CPU goes (jobs = doorbell writes);
 * sleep: usleep(500) in a loop, the waits of reset and fault without
 *        their actions: the reference for them (jobs = sleeps).
 *
 * Result: one line "load <id> <vf> <mode> jobs <n> bytes <n> window_us <x>
 * starved <n> min_inflight <n> wakeups <n>", for light one more line
 * "lat <id> <sample-us> ..." (all samples, for the host's statistics) and
 * for busy with a <bin-ms> one more line "bins <id> <bin-us> <n0> <n1> ..."
 * (one count per bin, their sum is the jobs of the load line).
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jmgpu_engine.h"
#include "vfio_dev.h"

#define ENTRIES		256
#define JOB_LEN		0x40000u
#define SRC_IOVA	0x400000u
#define MAX_LAT		20000
#define MAX_BINS	1000

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static int wait_ms(int64_t until_ns)
{
	int64_t d = until_ns - now_ns();

	if (d <= 0)
		return 0;
	return d / 1000000 + 1;
}

static uint64_t fence_now(struct jmgpu_engine *e)
{
	e->done = le64toh(*e->fence);
	return e->done;
}

/*
 * bins: with @bin_ns > 0, @cnt[0..@nb - 1] counts the jobs per bin of
 * @bin_ns from @start (at the observation time; the last bin also takes
 * those seen at the first look after @end)
 */
static int busy(struct jmgpu_engine *e, struct vfio_dev *d, int64_t start,
		int64_t end, int64_t bin_ns, unsigned int nb,
		unsigned long long *cnt, char *out, size_t len)
{
	uint64_t j0 = 0, j1 = 0, mininf = ENTRIES, seen = 0;
	int64_t t0 = 0, t1 = 0, t, b;
	unsigned int starved = 0, wakeups = 0, n;
	int phase = 0;	/* 0 before the window, 1 inside */

	d->quiet = 1;	/* a poll timeout at a window edge is no error */
	jmgpu_engine_kick(e);
	for (;;) {
		t = now_ns();
		fence_now(e);
		if (phase == 0 && t >= start) {
			j0 = e->done;
			seen = j0;
			t0 = t;
			phase = 1;
		}
		if (phase == 1 && bin_ns > 0) {
			b = (t - start) / bin_ns;
			cnt[b < nb ? b : nb - 1] += e->done - seen;
		}
		seen = e->done;
		if (phase == 1 && t >= end) {
			j1 = e->done;
			t1 = t;
			break;
		}
		if (phase == 1) {
			if (e->seq == e->done)
				starved++;
			if (e->seq - e->done < mininf)
				mininf = e->seq - e->done;
		}
		for (n = 0; e->seq - e->done < ENTRIES - 1; n++)
			if (!jmgpu_engine_queue(e, JMGPU_JOB_COPY,
						JMGPU_JOB_F_DST_FB, SRC_IOVA,
						(e->seq & 15) * (uint64_t)JOB_LEN,
						JOB_LEN, 0))
				return -1;
		if (n)
			jmgpu_engine_kick(e);
		if (vfio_dev_wait_irq(d, JMGPU_VF_MSIX_ENGINE,
				      wait_ms(phase ? end : start)) < 0)
			return -1;
		wakeups++;
	}
	if (jmgpu_engine_rd(e, JMGPU_VF_STATUS) & JMGPU_VF_STATUS_ENGINE_FAULT) {
		snprintf(e->err, sizeof(e->err), "engine fault %u",
			 jmgpu_engine_rd(e, JMGPU_VF_FAULT_STATUS));
		return -1;
	}
	snprintf(out, len, "jobs %llu bytes %llu window_us %lld starved %u min_inflight %llu wakeups %u",
		 (unsigned long long)(j1 - j0),
		 (unsigned long long)(j1 - j0) * JOB_LEN,
		 (long long)(t1 - t0) / 1000, starved,
		 (unsigned long long)mininf, wakeups);
	return 0;
}

static int light(struct jmgpu_engine *e, struct vfio_dev *d, int64_t start,
		 int64_t end, const char *id, char *out, size_t len, FILE *fo)
{
	static double lat[MAX_LAT];
	unsigned int n = 0, i;
	uint64_t f;
	int64_t a;

	while (now_ns() < start)
		usleep(1000);
	while (now_ns() < end && n < MAX_LAT) {
		vfio_dev_drain_irq(d, JMGPU_VF_MSIX_ENGINE);
		a = now_ns();
		f = jmgpu_engine_submit(e, JMGPU_JOB_COPY, JMGPU_JOB_F_DST_FB,
					SRC_IOVA, 0, 64, 0);
		if (!f || vfio_dev_wait_irq(d, JMGPU_VF_MSIX_ENGINE, 5000) < 1)
			return -1;
		lat[n++] = (now_ns() - a) / 1e3;
		if (jmgpu_engine_wait(e, f, 5000))
			return -1;
		usleep(2000);
	}
	snprintf(out, len, "jobs %u bytes %u window_us %lld starved 0 min_inflight 0 wakeups %u",
		 n, n * 64, (long long)(end - start) / 1000, n);
	fprintf(fo, "lat %s", id);
	for (i = 0; i < n; i++)
		fprintf(fo, " %.1f", lat[i]);
	fprintf(fo, "\n");
	return 0;
}

#define NB_RESETS	100
#define BAD_IOVA	0x7ff00000u	/* never mapped */

/*
 * a neighbour: @m 'r' reset, 'f' fault, 'd' doorbell flood, 's' sleeper
 * (the others' reference for what the reset and fault neighbours' waits
 * alone cost: it only sleeps 500 us at a time, as they do between their
 * actions; jobs = sleeps)
 */
static int neighbour(struct jmgpu_engine *e, struct vfio_dev *d, char m,
		     int64_t start, int64_t end, char *out, size_t len)
{
	unsigned long long n = 0;
	int64_t t;
	int i;

	while (now_ns() < start)
		usleep(1000);
	d->quiet = 1;
	if (m == 'r') {
		for (n = 0; n < NB_RESETS; n++) {
			t = start + (end - start) * (int64_t)n / NB_RESETS;
			while (now_ns() < t)
				usleep(500);
			if (vfio_dev_reset(d) || jmgpu_engine_restart(e))
				return -1;
		}
	} else if (m == 'f') {
		while (now_ns() < end) {
			if (!jmgpu_engine_submit(e, JMGPU_JOB_COPY,
						 JMGPU_JOB_F_DST_FB, BAD_IOVA,
						 0, 4096, 0))
				return -1;
			for (i = 0; i < 2000; i++) {
				if (jmgpu_engine_rd(e, JMGPU_VF_STATUS) &
				    JMGPU_VF_STATUS_ENGINE_FAULT)
					break;
				usleep(500);
			}
			if (i == 2000) {
				snprintf(e->err, sizeof(e->err),
					 "no engine fault for a copy from 0x%x",
					 BAD_IOVA);
				return -1;
			}
			n++;
			if (vfio_dev_reset(d) || jmgpu_engine_restart(e))
				return -1;
		}
	} else if (m == 's') {
		for (n = 0; now_ns() < end; n++)
			usleep(500);
	} else {
		while (now_ns() < end)
			for (i = 0; i < 1000; i++, n++)
				jmgpu_engine_wr(e, JMGPU_VF_DOORBELL, e->tail);
	}
	snprintf(out, len, "jobs %llu bytes 0 window_us %lld starved 0 min_inflight 0 wakeups 0",
		 n, (long long)(end - start) / 1000);
	return 0;
}

static const char *mode_name(char m)
{
	switch (m) {
	case 'b':
		return "busy";
	case 'l':
		return "light";
	case 'r':
		return "reset";
	case 'f':
		return "fault";
	case 's':
		return "sleep";
	case 'd':
		return "flood";
	}
	return "idle";
}

/* wait for @path to exist (10 minutes at most); 0 or -1 */
static int wait_file(const char *path, struct stat *st)
{
	int i;

	for (i = 0; i < 12000; i++) {
		if (!stat(path, st))
			return 0;
		usleep(50000);
	}
	errno = ETIMEDOUT;
	return -1;
}

static int touch(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY, 0644);

	if (fd < 0)
		return -1;
	return close(fd);
}

int main(int argc, char **argv)
{
	static unsigned long long cnt[MAX_BINS];
	char p[512], tmp[512], res[256], modes[64], line[256];
	const char *dir, *id;
	struct jmgpu_engine e;
	struct vfio_dev d;
	int64_t go, start, end;
	long long warm, win, bin;
	unsigned int i, k, nb;
	struct stat st;
	int r, idx;
	FILE *f;

	if (argc != 4) {
		fprintf(stderr, "usage: jmgpu_load <vf> <dir> <id>\n");
		return 2;
	}
	dir = argv[2];
	id = argv[3];
	idx = atoi(id);
	if (vfio_dev_open(&d, argv[1], NULL)) {
		fprintf(stderr, "# %s: %s\n", argv[1], d.err);
		return 1;
	}
	if (jmgpu_engine_init(&e, &d, 0x100000, ENTRIES) ||
	    !vfio_dev_dma_alloc(&d, SRC_IOVA, JOB_LEN)) {
		fprintf(stderr, "# %s: %s %s\n", argv[1], e.err, d.err);
		return 1;
	}
	for (k = 1;; k++) {
		snprintf(p, sizeof(p), "%s/phase.%u", dir, k);
		if (wait_file(p, &st))
			goto fail_errno;
		f = fopen(p, "r");
		bin = 0;
		if (!f || !fgets(line, sizeof(line), f) ||
		    sscanf(line, "%63s %lld %lld %lld", modes, &warm, &win,
			   &bin) < 3) {
			fprintf(stderr, "# %s: unreadable\n", p);
			return 1;
		}
		fclose(f);
		if (!strcmp(modes, "quit"))
			break;
		nb = 0;
		if (bin > 0) {
			nb = (win + bin - 1) / bin;
			if (win <= 0 || nb > MAX_BINS) {
				fprintf(stderr, "# %s: %lld ms bins of a %lld ms window: 1 to %d bins\n",
					p, bin, win, MAX_BINS);
				return 1;
			}
			memset(cnt, 0, sizeof(cnt));
		}
		if (idx < 0 || (size_t)idx >= strlen(modes)) {
			fprintf(stderr, "# %s: no mode for tenant %d\n", p, idx);
			return 1;
		}
		if (modes[idx] == 'b')
			for (i = 0; i < ENTRIES - 1; i++)
				if (!jmgpu_engine_queue(&e, JMGPU_JOB_COPY,
							JMGPU_JOB_F_DST_FB,
							SRC_IOVA,
							(i & 15) * (uint64_t)JOB_LEN,
							JOB_LEN, 0))
					goto fail;
		snprintf(p, sizeof(p), "%s/ready.%s.%u", dir, id, k);
		if (touch(p))
			goto fail_errno;
		snprintf(p, sizeof(p), "%s/go.%u", dir, k);
		if (wait_file(p, &st))
			goto fail_errno;
		go = st.st_mtim.tv_sec * 1000000000ll + st.st_mtim.tv_nsec;
		start = go + warm * 1000000ll;
		end = start + win * 1000000ll;
		snprintf(tmp, sizeof(tmp), "%s/.res.%s.%u", dir, id, k);
		f = fopen(tmp, "w");
		if (!f)
			goto fail_errno;
		if (modes[idx] == 'b') {
			r = busy(&e, &d, start, end, bin * 1000000ll, nb, cnt,
				 res, sizeof(res));
			/* drop the rest of the ring: the next phase starts even */
			if (!r)
				r = jmgpu_engine_restart(&e);
		} else if (modes[idx] == 'l') {
			r = light(&e, &d, start, end, id, res, sizeof(res), f);
		} else if (strchr("rfds", modes[idx])) {
			r = neighbour(&e, &d, modes[idx], start, end, res,
				      sizeof(res));
		} else {
			r = 0;
			snprintf(res, sizeof(res), "idle");
		}
		if (r)
			goto fail;
		fprintf(f, "load %s %s %s %s\n", id, argv[1],
			mode_name(modes[idx]), res);
		if (modes[idx] == 'b' && nb) {
			fprintf(f, "bins %s %lld", id, bin * 1000);
			for (i = 0; i < nb; i++)
				fprintf(f, " %llu", cnt[i]);
			fprintf(f, "\n");
		}
		fclose(f);
		snprintf(p, sizeof(p), "%s/res.%s.%u", dir, id, k);
		if (rename(tmp, p))
			goto fail_errno;
	}
	jmgpu_engine_fini(&e);
	vfio_dev_close(&d);
	return 0;
fail_errno:
	perror("# jmgpu_load");
	return 1;
fail:
	fprintf(stderr, "# %s: %s %s\n", argv[1], e.err, d.err);
	jmgpu_engine_fini(&e);
	return 1;
}

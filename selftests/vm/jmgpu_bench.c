// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu_bench - data path figures of one VF through whichever VFIO driver
 * it is bound to (jmgpu_vfio_pci or plain vfio-pci), for scripts/bench.sh:
 *
 *   jmgpu_bench <vf> [jobs] [latency-samples]
 *
 * throughput: @jobs 4 KiB host->FB copies, ring kept full, jobs per second;
 * latency: one job at a time, doorbell write to MSI-X eventfd wake-up.
 * Prints one line: "bench <vf> jobs_per_s <x> lat_us_avg <y> lat_us_p50 <z>
 * lat_us_p99 <w> submissions <n>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jmgpu_engine.h"
#include "vfio_dev.h"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	unsigned int jobs = argc > 2 ? atoi(argv[2]) : 2000;
	unsigned int lat_n = argc > 3 ? atoi(argv[3]) : 200;
	struct jmgpu_engine e;
	struct vfio_dev d;
	double t0, t1, *lat, sum = 0;
	uint64_t f = 0;
	unsigned int i;

	if (argc < 2 || !jobs || !lat_n) {
		fprintf(stderr, "usage: jmgpu_bench <vf> [jobs] [latency-samples]\n");
		return 2;
	}
	lat = calloc(lat_n, sizeof(*lat));
	if (!lat || vfio_dev_open(&d, argv[1], NULL))
		return 1;
	if (jmgpu_engine_init(&e, &d, 0x100000, 256) ||
	    !vfio_dev_dma_alloc(&d, 0x400000, 0x10000)) {
		fprintf(stderr, "# %s %s\n", e.err, d.err);
		return 1;
	}
	/* warm up */
	if (jmgpu_engine_run(&e, JMGPU_JOB_COPY, JMGPU_JOB_F_DST_FB, 0x400000,
			     0, 4096, 0, 5000))
		goto fail;
	t0 = now_us();
	for (i = 0; i < jobs; i++) {
		f = jmgpu_engine_submit(&e, JMGPU_JOB_COPY, JMGPU_JOB_F_DST_FB,
					0x400000, (i & 15) * 4096, 4096, 0);
		if (!f)
			goto fail;
	}
	if (jmgpu_engine_wait(&e, f, 60000))
		goto fail;
	t1 = now_us();
	for (i = 0; i < lat_n; i++) {
		double a;

		vfio_dev_drain_irq(&d, JMGPU_VF_MSIX_ENGINE);
		a = now_us();
		f = jmgpu_engine_submit(&e, JMGPU_JOB_COPY, JMGPU_JOB_F_DST_FB,
					0x400000, 0, 64, 0);
		if (!f || vfio_dev_wait_irq(&d, JMGPU_VF_MSIX_ENGINE, 5000) < 1)
			goto fail;
		lat[i] = now_us() - a;
		sum += lat[i];
		if (jmgpu_engine_wait(&e, f, 5000))
			goto fail;
	}
	qsort(lat, lat_n, sizeof(*lat), cmp_d);
	printf("bench %s jobs_per_s %.0f lat_us_avg %.1f lat_us_p50 %.1f lat_us_p99 %.1f submissions %u\n",
	       argv[1], jobs * 1e6 / (t1 - t0), sum / lat_n, lat[lat_n / 2],
	       lat[lat_n * 99 / 100], jobs + lat_n + 1);
	jmgpu_engine_fini(&e);
	vfio_dev_close(&d);
	return 0;
fail:
	fprintf(stderr, "# %s\n", e.err);
	return 1;
}

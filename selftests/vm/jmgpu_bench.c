// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu_bench - data path figures of one VF through whichever VFIO driver
 * it is bound to (jmgpu_vfio_pci or plain vfio-pci), for scripts/bench.sh:
 *
 *   jmgpu_bench <vf> [jobs] [latency-samples]
 *
 * throughput: @jobs 4 KiB host->FB copies, ring kept full, jobs per second;
 * latency: one job at a time, doorbell write to MSI-X eventfd wake-up;
 * aperture: the framebuffer BAR written and read back through its mmap
 * (a guest's direct path: 16 MiB) and through the region's pwrite/pread
 * (the trapped path: 1 MiB), in 64 KiB pieces, MB/s each; the data read
 * back must be what was written.
 * Prints one line: "bench <vf> jobs_per_s <x> lat_us_avg <y> lat_us_p50 <z>
 * lat_us_p99 <w> submissions <n> trapped <t> ap_mmap_wr <MB/s> ap_mmap_rd
 * <MB/s> ap_rw_wr <MB/s> ap_rw_rd <MB/s>", where <n> is the submissions
 * of the timed parts (throughput and latency) and <t> how many of the
 * vGPU's jmgpu_vfio/trapped_accesses they caused: the steady state, read
 * after the set-up and warm-up and before the aperture part, which traps
 * on purpose ("-" under plain vfio-pci).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/limits.h>

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

#define TRAPPED		"jmgpu_vfio/trapped_accesses"
#define AP_PIECE	0x10000u
#define AP_MMAP		(16u << 20)
#define AP_RW		(1u << 20)

/* one pass over @len bytes of the aperture: 0 or -1 (d->err / a message) */
static int ap_pass(struct vfio_dev *d, uint8_t *map, uint8_t *buf,
		   uint32_t len, int write)
{
	uint32_t off;

	for (off = 0; off < len; off += AP_PIECE) {
		if (map && write)
			memcpy(map + off, buf + off, AP_PIECE);
		else if (map)
			memcpy(buf + off, map + off, AP_PIECE);
		else if (write ? vfio_dev_region_write(d, JMGPU_BAR_FB, off, buf + off, AP_PIECE) :
			 vfio_dev_region_read(d, JMGPU_BAR_FB, off, buf + off, AP_PIECE))
			return -1;
	}
	return 0;
}

/*
 * write then read back @len bytes, through @map or pwrite/pread: MB/s;
 * a failure prints its own line. @map is the BAR's mmap, accessed with
 * memcpy() as a guest's driver copies to its aperture.
 */
static int ap_measure(struct vfio_dev *d, uint8_t *map, uint32_t len,
		      double *wr, double *rd)
{
	uint8_t *src = malloc(len), *dst = malloc(len);
	double t0, t1, t2;
	uint32_t i;
	int ret = -1;

	if (!src || !dst) {
		fprintf(stderr, "# aperture: out of memory for %u bytes\n", len);
		goto out;
	}
	for (i = 0; i < len; i++)
		src[i] = (uint8_t)(i * 2654435761u >> 24) ^ (map ? 0x5a : 0xa5);
	t0 = now_us();
	if (ap_pass(d, map, src, len, 1))
		goto rw_failed;
	t1 = now_us();
	if (ap_pass(d, map, dst, len, 0))
		goto rw_failed;
	t2 = now_us();
	if (memcmp(src, dst, len)) {
		fprintf(stderr, "# aperture through the %s: the data read back differs\n",
			map ? "mmap" : "region read/write");
		goto out;
	}
	*wr = len / (t1 - t0);
	*rd = len / (t2 - t1);
	ret = 0;
	goto out;
rw_failed:	/* only the read/write path can fail */
	fprintf(stderr, "# aperture through the region read/write: %s\n", d->err);
out:
	free(src);
	free(dst);
	return ret;
}

/* the vGPU's trapped-access count; -1 where there is none (vfio-pci) */
static long long trapped(const char *vf)
{
	char p[PATH_MAX], v[32];

	snprintf(p, sizeof(p), "/sys/bus/pci/devices/%s/%s", vf, TRAPPED);
	if (access(p, R_OK) || pci_sysfs_read(vf, TRAPPED, v, sizeof(v)))
		return -1;
	return atoll(v);
}

int main(int argc, char **argv)
{
	unsigned int jobs = argc > 2 ? atoi(argv[2]) : 2000;
	unsigned int lat_n = argc > 3 ? atoi(argv[3]) : 200;
	struct jmgpu_engine e;
	struct vfio_dev d;
	const struct vfio_region_info *ri;
	double t0, t1, *lat, sum = 0, ap[4];
	void *fb;
	char trap[32];
	long long trap0, trap1;
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
	trap0 = trapped(argv[1]);
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
	/* the timed parts' trapped accesses, before the aperture part traps */
	trap1 = trapped(argv[1]);
	if (trap0 < 0 || trap1 < 0)
		strcpy(trap, "-");
	else
		snprintf(trap, sizeof(trap), "%lld", trap1 - trap0);
	fb = vfio_dev_map_bar(&d, JMGPU_BAR_FB);
	ri = vfio_dev_region(&d, JMGPU_BAR_FB);
	if (!fb || !ri || ri->size < AP_MMAP) {
		fprintf(stderr, "# aperture: BAR%d not mapped or under %u MiB: %s\n",
			JMGPU_BAR_FB, AP_MMAP >> 20, d.err);
		return 1;
	}
	if (ap_measure(&d, (uint8_t *)fb, AP_MMAP, &ap[0], &ap[1]) ||
	    ap_measure(&d, NULL, AP_RW, &ap[2], &ap[3]))
		return 1;
	printf("bench %s jobs_per_s %.0f lat_us_avg %.1f lat_us_p50 %.1f lat_us_p99 %.1f submissions %u trapped %s ap_mmap_wr %.1f ap_mmap_rd %.1f ap_rw_wr %.1f ap_rw_rd %.1f\n",
	       argv[1], jobs * 1e6 / (t1 - t0), sum / lat_n, lat[lat_n / 2],
	       lat[lat_n * 99 / 100], jobs + lat_n, trap, ap[0], ap[1],
	       ap[2], ap[3]);
	jmgpu_engine_fini(&e);
	vfio_dev_close(&d);
	return 0;
fail:
	fprintf(stderr, "# %s\n", e.err);
	return 1;
}

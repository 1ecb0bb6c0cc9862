// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu_copy - run copy jobs on a jmgpu VF from userspace through VFIO:
 * a ring and buffers in DMA memory (through the IOMMU), the doorbell in
 * the mmapped VF BAR0, completion by MSI-X eventfd and fence write-back.
 * Job 1 copies host -> VF FB slice, job 2 FB -> host, job 3 host -> host;
 * the bytes must come back exactly.
 *
 *   jmgpu_copy <vf-bdf> [bytes]    exit 0 when every check passed
 */
#include <endian.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jmgpu_fw_iface.h"
#include "vfio_dev.h"

#define IOVA_RING	0x100000ULL
#define IOVA_FENCE	0x110000ULL
#define IOVA_SRC	0x200000ULL
#define IOVA_DST	0x800000ULL
#define IOVA_DST2	0xe00000ULL
#define RING_ENTRIES	16

static struct vfio_dev d;
static int failed;

#define FAIL(...) do { printf("# FAIL: " __VA_ARGS__); printf("\n"); \
			failed = 1; } while (0)

static void put_job(struct jmgpu_job *ring, unsigned int i, uint32_t flags,
		    uint64_t src, uint64_t dst, uint64_t len, uint64_t fence)
{
	struct jmgpu_job *j = &ring[i % RING_ENTRIES];

	memset(j, 0, sizeof(*j));
	j->opcode = htole32(JMGPU_JOB_COPY);
	j->flags = htole32(flags | JMGPU_JOB_F_IRQ | JMGPU_JOB_F_FENCE);
	j->src = htole64(src);
	j->dst = htole64(dst);
	j->len = htole64(len);
	j->fence = htole64(fence);
}

static int run_job(unsigned int tail, uint64_t fence, volatile uint64_t *fp)
{
	int64_t n;
	uint32_t st;
	int i;

	__sync_synchronize();
	vfio_dev_write32(&d, 0, JMGPU_VF_DOORBELL, tail);
	for (i = 0; i < 20; i++) {
		n = vfio_dev_wait_irq(&d, JMGPU_VF_MSIX_ENGINE, 500);
		if (n < 0)
			return -1;
		st = vfio_dev_read32(&d, 0, JMGPU_VF_INT_STATUS);
		vfio_dev_write32(&d, 0, JMGPU_VF_INT_STATUS, st);
		if (st & JMGPU_VF_INT_FAULT) {
			FAIL("engine fault 0x%x at 0x%x%08x",
			     vfio_dev_read32(&d, 0, JMGPU_VF_FAULT_STATUS),
			     vfio_dev_read32(&d, 0, JMGPU_VF_FAULT_ADDR_HI),
			     vfio_dev_read32(&d, 0, JMGPU_VF_FAULT_ADDR_LO));
			return -1;
		}
		if (le64toh(*fp) == fence)
			return 0;
	}
	FAIL("job with fence %llu: no completion (head %u tail %u, fence %llu)",
	     (unsigned long long)fence,
	     vfio_dev_read32(&d, 0, JMGPU_VF_RING_HEAD),
	     vfio_dev_read32(&d, 0, JMGPU_VF_RING_TAIL),
	     (unsigned long long)le64toh(*fp));
	return -1;
}

int main(int argc, char **argv)
{
	uint64_t len = argc > 2 ? strtoull(argv[2], NULL, 0) : 1 << 20;
	struct jmgpu_job *ring;
	volatile uint64_t *fence;
	uint8_t *src, *dst, *dst2;
	uint64_t fb;
	uint32_t st;
	uint64_t i;

	if (argc < 2 || len == 0 || len > (4 << 20)) {
		fprintf(stderr, "usage: jmgpu_copy <vf-bdf> [bytes <= 4 MiB]\n");
		return 2;
	}
	if (vfio_dev_open(&d, argv[1], NULL))
		return 1;
	if (!vfio_dev_map_bar(&d, 0))
		printf("# BAR0 not mmappable, using pread/pwrite\n");
	st = vfio_dev_read32(&d, 0, JMGPU_VF_STATUS);
	fb = vfio_dev_read32(&d, 0, JMGPU_VF_FB_SIZE_LO) |
	     (uint64_t)vfio_dev_read32(&d, 0, JMGPU_VF_FB_SIZE_HI) << 32;
	printf("# %s: vf %u status 0x%x fb %llu MiB weight %u\n", argv[1],
	       vfio_dev_read32(&d, 0, JMGPU_VF_ID), st,
	       (unsigned long long)(fb >> 20),
	       vfio_dev_read32(&d, 0, JMGPU_VF_ENGINE_WEIGHT));
	if (!(st & JMGPU_VF_STATUS_PROVISIONED)) {
		FAIL("VF not provisioned");
		goto out;
	}
	if (fb < len)
		len = fb;
	if (vfio_dev_enable_bus_master(&d) ||
	    vfio_dev_enable_msix(&d, JMGPU_VF_MSIX_VECTORS))
		return 1;
	ring = vfio_dev_dma_alloc(&d, IOVA_RING, 4096);
	fence = vfio_dev_dma_alloc(&d, IOVA_FENCE, 4096);
	src = vfio_dev_dma_alloc(&d, IOVA_SRC, 4 << 20);
	dst = vfio_dev_dma_alloc(&d, IOVA_DST, 4 << 20);
	dst2 = vfio_dev_dma_alloc(&d, IOVA_DST2, 4 << 20);
	if (!ring || !fence || !src || !dst || !dst2)
		return 1;
	srand(getpid());
	for (i = 0; i < len; i++)
		src[i] = (uint8_t)(rand() ^ (i * 7));

	vfio_dev_write32(&d, 0, JMGPU_VF_RING_BASE_LO, (uint32_t)IOVA_RING);
	vfio_dev_write32(&d, 0, JMGPU_VF_RING_BASE_HI, IOVA_RING >> 32);
	vfio_dev_write32(&d, 0, JMGPU_VF_RING_SIZE, RING_ENTRIES);
	vfio_dev_write32(&d, 0, JMGPU_VF_FENCE_ADDR_LO, (uint32_t)IOVA_FENCE);
	vfio_dev_write32(&d, 0, JMGPU_VF_FENCE_ADDR_HI, IOVA_FENCE >> 32);
	vfio_dev_write32(&d, 0, JMGPU_VF_INT_STATUS, ~0u);
	vfio_dev_write32(&d, 0, JMGPU_VF_INT_MASK,
			 JMGPU_VF_INT_JOB_DONE | JMGPU_VF_INT_FAULT);
	vfio_dev_write32(&d, 0, JMGPU_VF_RING_CTRL, JMGPU_RING_CTRL_ENABLE);

	put_job(ring, 0, JMGPU_JOB_F_DST_FB, IOVA_SRC, 0, len, 1);
	if (run_job(1, 1, fence))
		goto out;
	put_job(ring, 1, JMGPU_JOB_F_SRC_FB, 0, IOVA_DST, len, 2);
	if (run_job(2, 2, fence))
		goto out;
	put_job(ring, 2, 0, IOVA_SRC, IOVA_DST2, len, 3);
	if (run_job(3, 3, fence))
		goto out;
	if (memcmp(src, dst, len))
		FAIL("host -> FB -> host copy of %llu bytes differs",
		     (unsigned long long)len);
	if (memcmp(src, dst2, len))
		FAIL("host -> host copy of %llu bytes differs",
		     (unsigned long long)len);
	if (!failed)
		printf("# %s: 3 copy jobs of %llu bytes, bytes match\n",
		       argv[1], (unsigned long long)len);
out:
	vfio_dev_write32(&d, 0, JMGPU_VF_RING_CTRL, 0);
	vfio_dev_close(&d);
	return failed;
}

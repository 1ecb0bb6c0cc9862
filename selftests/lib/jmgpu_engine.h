/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jmgpu_engine - a minimal userspace "guest driver" for a jmgpu VF's copy
 * engine, on top of vfio_dev: a ring of struct jmgpu_job and a fence word
 * in DMA memory (through the IOMMU), the doorbell in the mmapped BAR0,
 * completion by MSI-X eventfd plus fence write-back.
 *
 *	struct vfio_dev d;  struct jmgpu_engine e;
 *	vfio_dev_open(&d, bdf, NULL);
 *	jmgpu_engine_init(&e, &d, 0x100000, 64);   // ring+fence IOVA, entries
 *	uint64_t f = jmgpu_engine_submit(&e, JMGPU_JOB_COPY, JMGPU_JOB_F_DST_FB,
 *					 src_iova, 0, len, 0);
 *	jmgpu_engine_wait(&e, f, 2000);             // 0 when fence f landed
 *	jmgpu_engine_fini(&e);
 *
 * Errors: -1 (or 0 for submit) with e->err set; engine faults are reported
 * with the fault code and address.
 */
#ifndef JMGPU_ENGINE_H
#define JMGPU_ENGINE_H

#include <stdint.h>

#include "jmgpu_fw_iface.h"
#include "vfio_dev.h"

struct jmgpu_engine {
	struct vfio_dev *d;
	volatile uint32_t *bar0;	/* mmapped registers, NULL: pread */
	uint8_t *fb;			/* mmapped FB slice (BAR2) or NULL */
	uint64_t fb_size;		/* provisioned slice, bytes */
	struct jmgpu_job *ring;		/* DMA memory */
	uint64_t ring_iova;
	unsigned int entries;		/* power of two */
	volatile uint64_t *fence;	/* DMA memory, fence write-back */
	uint64_t fence_iova;
	unsigned int tail;		/* next free ring slot */
	uint64_t seq;			/* last fence value issued */
	uint64_t done;			/* last fence value seen complete */
	uint32_t fault;			/* last fault code seen, 0 = none */
	uint64_t fault_addr;
	uint64_t irqs;			/* MSI-X interrupts consumed */
	char err[256];
};

/*
 * jmgpu_engine_init - set up the engine of the open VF @d.
 * Enables bus master and 2 MSI-X vectors (unless already enabled), maps
 * BAR0 and BAR2, allocates the ring (@entries jobs) at @iova and the fence
 * page right after it, programs and enables the ring.
 */
int jmgpu_engine_init(struct jmgpu_engine *e, struct vfio_dev *d,
		      uint64_t iova, unsigned int entries);

/* Re-program the ring after a reset (VFIO_DEVICE_RESET, FLR). */
int jmgpu_engine_restart(struct jmgpu_engine *e);

/* Disable the ring; DMA memory is freed by vfio_dev_close(). */
void jmgpu_engine_fini(struct jmgpu_engine *e);

/*
 * jmgpu_engine_submit - queue one job and ring the doorbell.
 * @flags: JMGPU_JOB_F_SRC_FB/DST_FB; IRQ and FENCE are added.
 * Waits for ring space first. Return: the job's fence value, 0 on error.
 */
uint64_t jmgpu_engine_submit(struct jmgpu_engine *e, uint32_t opcode,
			     uint32_t flags, uint64_t src, uint64_t dst,
			     uint64_t len, uint32_t fill);

/*
 * jmgpu_engine_queue - write one job into the ring without ringing the
 * doorbell (a batch: queue several, then jmgpu_engine_kick() once). When
 * the ring is full it rings the doorbell and waits for space.
 * Return: the job's fence value, 0 on error.
 */
uint64_t jmgpu_engine_queue(struct jmgpu_engine *e, uint32_t opcode,
			    uint32_t flags, uint64_t src, uint64_t dst,
			    uint64_t len, uint32_t fill);

/* Ring the doorbell: the device takes every job queued so far. */
void jmgpu_engine_kick(struct jmgpu_engine *e);

/* Wait until fence @fence completed. 0, or -1 (fault/timeout, e->err). */
int jmgpu_engine_wait(struct jmgpu_engine *e, uint64_t fence, int timeout_ms);

/* submit + wait. 0 or -1. */
int jmgpu_engine_run(struct jmgpu_engine *e, uint32_t opcode, uint32_t flags,
		     uint64_t src, uint64_t dst, uint64_t len, uint32_t fill,
		     int timeout_ms);

uint32_t jmgpu_engine_rd(struct jmgpu_engine *e, uint32_t reg);
void jmgpu_engine_wr(struct jmgpu_engine *e, uint32_t reg, uint32_t val);

#endif /* JMGPU_ENGINE_H */

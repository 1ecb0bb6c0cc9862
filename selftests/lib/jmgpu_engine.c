// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu_engine - userspace driver for a jmgpu VF copy engine (see .h).
 */
#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "jmgpu_engine.h"

static void eng_err(struct jmgpu_engine *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->err, sizeof(e->err), fmt, ap);
	va_end(ap);
}

uint32_t jmgpu_engine_rd(struct jmgpu_engine *e, uint32_t reg)
{
	if (e->bar0)
		return le32toh(e->bar0[reg / 4]);
	return vfio_dev_read32(e->d, JMGPU_BAR_REGS, reg);
}

void jmgpu_engine_wr(struct jmgpu_engine *e, uint32_t reg, uint32_t val)
{
	if (e->bar0) {
		__sync_synchronize();
		e->bar0[reg / 4] = htole32(val);
		return;
	}
	vfio_dev_write32(e->d, JMGPU_BAR_REGS, reg, val);
}

int jmgpu_engine_restart(struct jmgpu_engine *e)
{
	jmgpu_engine_wr(e, JMGPU_VF_RING_CTRL, 0);
	memset(e->ring, 0, (size_t)e->entries * sizeof(*e->ring));
	*e->fence = 0;
	e->tail = 0;
	e->seq = 0;
	e->done = 0;
	e->fault = 0;
	jmgpu_engine_wr(e, JMGPU_VF_RING_BASE_LO, (uint32_t)e->ring_iova);
	jmgpu_engine_wr(e, JMGPU_VF_RING_BASE_HI, e->ring_iova >> 32);
	jmgpu_engine_wr(e, JMGPU_VF_RING_SIZE, e->entries);
	jmgpu_engine_wr(e, JMGPU_VF_FENCE_ADDR_LO, (uint32_t)e->fence_iova);
	jmgpu_engine_wr(e, JMGPU_VF_FENCE_ADDR_HI, e->fence_iova >> 32);
	jmgpu_engine_wr(e, JMGPU_VF_INT_STATUS, ~0u);
	jmgpu_engine_wr(e, JMGPU_VF_INT_MASK,
			JMGPU_VF_INT_JOB_DONE | JMGPU_VF_INT_FAULT);
	jmgpu_engine_wr(e, JMGPU_VF_RING_CTRL, JMGPU_RING_CTRL_ENABLE);
	vfio_dev_drain_irq(e->d, JMGPU_VF_MSIX_ENGINE);
	if (jmgpu_engine_rd(e, JMGPU_VF_RING_CTRL) != JMGPU_RING_CTRL_ENABLE) {
		eng_err(e, "%s: ring did not enable (status 0x%x fault %u)",
			e->d->bdf, jmgpu_engine_rd(e, JMGPU_VF_STATUS),
			jmgpu_engine_rd(e, JMGPU_VF_FAULT_STATUS));
		return -1;
	}
	return 0;
}

int jmgpu_engine_init(struct jmgpu_engine *e, struct vfio_dev *d,
		      uint64_t iova, unsigned int entries)
{
	size_t ring_bytes = ((size_t)entries * sizeof(struct jmgpu_job) + 4095) &
			    ~(size_t)4095;
	const struct vfio_region_info *ri;

	memset(e, 0, sizeof(*e));
	e->d = d;
	if (!entries || (entries & (entries - 1))) {
		eng_err(e, "ring entries %u: not a power of two", entries);
		errno = EINVAL;
		return -1;
	}
	e->entries = entries;
	e->bar0 = vfio_dev_map_bar(d, JMGPU_BAR_REGS);
	ri = vfio_dev_region(d, JMGPU_BAR_FB);
	if (ri && ri->size && (ri->flags & VFIO_REGION_INFO_FLAG_MMAP))
		e->fb = vfio_dev_map_bar(d, JMGPU_BAR_FB);
	e->fb_size = jmgpu_engine_rd(e, JMGPU_VF_FB_SIZE_LO) |
		     (uint64_t)jmgpu_engine_rd(e, JMGPU_VF_FB_SIZE_HI) << 32;
	if (vfio_dev_enable_bus_master(d))
		goto vfio_err;
	if (!d->num_irqs && vfio_dev_enable_msix(d, JMGPU_VF_MSIX_VECTORS))
		goto vfio_err;
	e->ring_iova = iova;
	e->fence_iova = iova + ring_bytes;
	e->ring = vfio_dev_dma_alloc(d, e->ring_iova, ring_bytes);
	if (!e->ring)
		goto vfio_err;
	e->fence = vfio_dev_dma_alloc(d, e->fence_iova, 4096);
	if (!e->fence)
		goto vfio_err;
	return jmgpu_engine_restart(e);

vfio_err:
	eng_err(e, "%s", d->err);
	return -1;
}

void jmgpu_engine_fini(struct jmgpu_engine *e)
{
	if (e->d && e->d->fd > 0)
		jmgpu_engine_wr(e, JMGPU_VF_RING_CTRL, 0);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
}

/* Check completion state; -1 on a fault (e->err set). */
static int eng_poll(struct jmgpu_engine *e)
{
	uint32_t st;

	e->done = le64toh(*e->fence);
	st = jmgpu_engine_rd(e, JMGPU_VF_INT_STATUS);
	if (st)
		jmgpu_engine_wr(e, JMGPU_VF_INT_STATUS, st);
	if ((st & JMGPU_VF_INT_FAULT) ||
	    (jmgpu_engine_rd(e, JMGPU_VF_STATUS) &
	     JMGPU_VF_STATUS_ENGINE_FAULT)) {
		e->fault = jmgpu_engine_rd(e, JMGPU_VF_FAULT_STATUS);
		e->fault_addr = jmgpu_engine_rd(e, JMGPU_VF_FAULT_ADDR_LO) |
			(uint64_t)jmgpu_engine_rd(e, JMGPU_VF_FAULT_ADDR_HI) << 32;
		eng_err(e, "%s: engine fault %u at 0x%llx (fence %llu of %llu)",
			e->d->bdf, e->fault, (unsigned long long)e->fault_addr,
			(unsigned long long)e->done,
			(unsigned long long)e->seq);
		return -1;
	}
	e->done = le64toh(*e->fence);
	return 0;
}

int jmgpu_engine_wait(struct jmgpu_engine *e, uint64_t fence, int timeout_ms)
{
	uint64_t end = now_ms() + timeout_ms;
	int64_t n;
	int q;

	for (;;) {
		if (eng_poll(e))
			return -1;
		if (e->done >= fence)
			return 0;
		if (now_ms() >= end)
			break;
		q = e->d->quiet;
		e->d->quiet = 1;	/* a timeout here is not an error */
		n = vfio_dev_wait_irq(e->d, JMGPU_VF_MSIX_ENGINE, 100);
		e->d->quiet = q;
		if (n < 0) {
			eng_err(e, "%s", e->d->err);
			return -1;
		}
		e->irqs += n;
	}
	/* tail = the last doorbell value written: TAIL != tail means the
	 * device never took that doorbell */
	eng_err(e, "%s: fence %llu not reached in %d ms (fence %llu, head %u tail %u status 0x%x; doorbell tail %u)",
		e->d->bdf, (unsigned long long)fence, timeout_ms,
		(unsigned long long)e->done,
		jmgpu_engine_rd(e, JMGPU_VF_RING_HEAD),
		jmgpu_engine_rd(e, JMGPU_VF_RING_TAIL),
		jmgpu_engine_rd(e, JMGPU_VF_STATUS), e->tail);
	errno = ETIMEDOUT;
	return -1;
}

void jmgpu_engine_kick(struct jmgpu_engine *e)
{
	__sync_synchronize();
	jmgpu_engine_wr(e, JMGPU_VF_DOORBELL, e->tail);
}

uint64_t jmgpu_engine_queue(struct jmgpu_engine *e, uint32_t opcode,
			    uint32_t flags, uint64_t src, uint64_t dst,
			    uint64_t len, uint32_t fill)
{
	struct jmgpu_job *j;

	/* keep one slot free: at most entries - 1 jobs in flight */
	if (e->seq - e->done >= e->entries - 1) {
		if (eng_poll(e))
			return 0;
		if (e->seq - e->done >= e->entries - 1) {
			jmgpu_engine_kick(e);	/* the device must see them */
			if (jmgpu_engine_wait(e, e->seq - (e->entries - 2),
					      5000))
				return 0;
		}
	}
	j = &e->ring[e->tail];
	memset(j, 0, sizeof(*j));
	j->opcode = htole32(opcode);
	j->flags = htole32(flags | JMGPU_JOB_F_IRQ | JMGPU_JOB_F_FENCE);
	j->src = htole64(src);
	j->dst = htole64(dst);
	j->len = htole64(len);
	j->fill = htole32(fill);
	j->fence = htole64(++e->seq);
	e->tail = (e->tail + 1) & (e->entries - 1);
	return e->seq;
}

uint64_t jmgpu_engine_submit(struct jmgpu_engine *e, uint32_t opcode,
			     uint32_t flags, uint64_t src, uint64_t dst,
			     uint64_t len, uint32_t fill)
{
	uint64_t f = jmgpu_engine_queue(e, opcode, flags, src, dst, len, fill);

	if (f)
		jmgpu_engine_kick(e);
	return f;
}

int jmgpu_engine_run(struct jmgpu_engine *e, uint32_t opcode, uint32_t flags,
		     uint64_t src, uint64_t dst, uint64_t len, uint32_t fill,
		     int timeout_ms)
{
	uint64_t f = jmgpu_engine_submit(e, opcode, flags, src, dst, len, fill);

	if (!f)
		return -1;
	return jmgpu_engine_wait(e, f, timeout_ms);
}

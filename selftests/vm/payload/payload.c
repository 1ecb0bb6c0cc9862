// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu passthrough payload: a bare-metal multiboot guest for the nested
 * QEMU of selftests/vm/47-mdev-qemu.sh. It finds the jmgpu VF that QEMU's
 * vfio-pci passed through (PCI config space by port I/O 0xcf8/0xcfc),
 * programs its BAR0, runs copy jobs through the VF's engine (ring, fence
 * and buffers in guest RAM: the DMA goes through the mapping QEMU made with
 * VFIO; FB offsets address the VF's slice) and reports through
 * isa-debug-exit at port 0xf4: QEMU exits with (code << 1) | 1.
 * Progress text goes to the debug console port 0xe9 and to COM1 (a
 * libvirt domain's serial log). QEMU -append loop:
 * copies until QEMU is stopped (demos); -append spin: no device access at
 * all, a bounded computation (the control of 62-hostile-guest.sh);
 * -append display: the display driver of display.c (67-vgpu-display.sh).
 */
#include <stdint.h>

#include "vf.h"

void __attribute__((noreturn)) display_main(uint32_t mbi);

#define EXIT_OK		0x10	/* QEMU exit status 33 */
#define EXIT_NOTPROV	0x12	/* VF not provisioned */
#define EXIT_TIMEOUT	0x13	/* job did not complete */
#define EXIT_FAULT	0x14	/* engine fault */
#define EXIT_DATA	0x15	/* bytes differ */

#define SPIN_ROUNDS	1000000u	/* spin mode: no device access at all */

static void put_job(uint32_t i, uint32_t flags, uint32_t src, uint32_t dst,
		    uint32_t fence)
{
	volatile struct jmgpu_job *j = (struct jmgpu_job *)RING + i;
	volatile uint32_t *w = (volatile uint32_t *)j;
	unsigned int k;

	for (k = 0; k < sizeof(*j) / 4; k++)
		w[k] = 0;
	j->opcode = JMGPU_JOB_COPY;
	j->flags = flags | JMGPU_JOB_F_FENCE;
	j->src = src;
	j->dst = dst;
	j->len = LEN;
	j->fence = fence;
}

static void run(uint32_t tail, uint32_t fence)
{
	volatile uint32_t *f = (volatile uint32_t *)FENCE;
	uint32_t n;

	__asm__ volatile("" : : : "memory");
	wr(JMGPU_VF_DOORBELL, tail);
	for (n = 0; n < 200000000u; n++) {
		if (*f == fence)
			return;
		if (rd(JMGPU_VF_STATUS) & JMGPU_VF_STATUS_ENGINE_FAULT) {
			puts_dbg("fault ");
			puthex(rd(JMGPU_VF_FAULT_STATUS));
			finish(EXIT_FAULT, "");
		}
	}
	finish(EXIT_TIMEOUT, "timeout");
}

/*
 * Loop mode (for demos): keep the engine busy with verified round trips
 * (RAM -> FB -> RAM) until QEMU is stopped; one '.' per 64 round trips.
 */
static void __attribute__((noreturn)) loop_jobs(uint32_t fence)
{
	uint32_t slot = fence, n;
	volatile uint8_t *d = (uint8_t *)DST;

	puts_dbg("looping\n");
	for (n = 1;; n++) {
		d[n % LEN] = 0;
		put_job(slot % ENTRIES, JMGPU_JOB_F_DST_FB, SRC, 0, fence + 1);
		run(++slot % ENTRIES, ++fence);
		put_job(slot % ENTRIES, JMGPU_JOB_F_SRC_FB, 0, DST, fence + 1);
		run(++slot % ENTRIES, ++fence);
		if (d[n % LEN] != (uint8_t)((n % LEN) * 7 + ((n % LEN) >> 8)))
			finish(EXIT_DATA, "data mismatch");
		if (!(n % 64))
			puts_dbg(".");
	}
}

/*
 * Spin mode (-append spin): the control of 62-hostile-guest.sh, the CPU
 * cost of a busy nested guest without any access to the device: a
 * bounded computation, then exit status 33.
 */
static void __attribute__((noreturn)) spin(void)
{
	volatile uint32_t x = 1;
	uint32_t n, k;

	puts_dbg("spinning\n");
	for (n = 0; n < SPIN_ROUNDS; n++) {
		for (k = 0; k < 64; k++)
			x = x * 1664525u + 1013904223u;
		if (!(n % (SPIN_ROUNDS / 8)))
			puts_dbg(".");
	}
	finish(EXIT_OK, "\nspin done");
}

void payload_main(uint32_t mbi)
{
	uint32_t i;
	volatile uint8_t *s = (uint8_t *)SRC, *d = (uint8_t *)DST;

	puts_dbg("jmgpu payload\n");
	if (cmdline_has(mbi, "spin"))
		spin();
	vf_find();
	if (!(rd(JMGPU_VF_STATUS) & JMGPU_VF_STATUS_PROVISIONED))
		finish(EXIT_NOTPROV, "VF not provisioned");
	if (cmdline_has(mbi, "display"))
		display_main(mbi);
	puts_dbg("fb ");
	puthex(rd(JMGPU_VF_FB_SIZE_LO));
	puts_dbg("\n");

	for (i = 0; i < LEN; i++) {
		s[i] = (uint8_t)(i * 7 + (i >> 8));
		d[i] = 0;
	}
	*(volatile uint32_t *)FENCE = 0;
	*(volatile uint32_t *)(FENCE + 4) = 0;
	wr(JMGPU_VF_RING_CTRL, 0);
	wr(JMGPU_VF_RING_BASE_LO, RING);
	wr(JMGPU_VF_RING_BASE_HI, 0);
	wr(JMGPU_VF_RING_SIZE, ENTRIES);
	wr(JMGPU_VF_FENCE_ADDR_LO, FENCE);
	wr(JMGPU_VF_FENCE_ADDR_HI, 0);
	wr(JMGPU_VF_INT_MASK, 0);
	wr(JMGPU_VF_RING_CTRL, JMGPU_RING_CTRL_ENABLE);
	/* guest RAM -> FB slice -> guest RAM */
	put_job(0, JMGPU_JOB_F_DST_FB, SRC, 0, 1);
	run(1, 1);
	put_job(1, JMGPU_JOB_F_SRC_FB, 0, DST, 2);
	run(2, 2);
	for (i = 0; i < LEN; i++)
		if (d[i] != (uint8_t)(i * 7 + (i >> 8)))
			finish(EXIT_DATA, "data mismatch");
	puts_dbg("copy jobs ok\n");
	if (cmdline_has(mbi, "loop"))
		loop_jobs(2);
	wr(JMGPU_VF_RING_CTRL, 0);
	finish(EXIT_OK, "exit");
}

// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu hostile payload: the bare-metal guest of the nested QEMU of
 * selftests/vm/62-hostile-guest.sh, an adversary on its own VF (passed
 * through by QEMU's vfio-pci) while a neighbour VF streams verified
 * copies. For a fixed number of rounds it runs every case of the table
 * below, each followed by a flood of MSG_OUT doorbells and out-of-range
 * ring doorbells and by an FLR of its VF (PCIe DevCtl.BCR_FLR in config
 * space):
 *   - rings and fence write-backs at garbage: unmapped IOVAs above its
 *     RAM, the BIOS ROM at the top of 4 GiB, its own BAR0, FB offsets
 *     outside its slice, a ring of random descriptors, bad ring geometry;
 *   - copy and fill jobs whose DMA source or destination is an unmapped
 *     IOVA, its own BAR0 registers (RING_CTRL, MSG_OUT_DOORBELL: QEMU
 *     maps the VF's BARs into the IOMMU for peer-to-peer), its own FB
 *     aperture outside the slice, random addresses of the 32-bit space;
 *   - copies at FB offsets outside its slice, across its end, and with
 *     offset + length wrapping at 2^64 and at 2^32.
 * Then it resets the VF once more, sets up its ring properly and runs one
 * verified round trip guest RAM -> FB -> guest RAM. Every wait is a
 * bounded number of register reads; it never hangs.
 *
 * The cases at FB offsets outside the slice must end in an FB_RANGE
 * fault, those at unmapped IOVAs in a DMA fault, bad ring geometry in a
 * RING fault, malformed descriptors in BAD_JOB (a bounded wait: the
 * engine may be busy with the neighbour's work; a case whose engine is
 * still busy after it is counted as undecided, not as refused or not).
 *
 * Exit (isa-debug-exit, QEMU status (code << 1) | 1): 49 when its VF
 * works after the abuse and a reset and every case that must be refused
 * was, 57 when the VF works but a case was not refused as it must be, 51
 * when the good copy did not complete, 53 when its bytes differ, 55 when
 * an FLR did not reset the VF, 37 when the VF is not provisioned. The debug console (port 0xe9)
 * gets one line per case (what the engine did) and a closing line
 * "hostile: <cases> cases, <flrs> flrs, <faults> faults, <msgs> msg
 * doorbells, <dropped> dropped".
 */
#include <stdint.h>

#include "vf.h"

#define EXIT_NOTPROV	0x12	/* VF not provisioned */
#define EXIT_SURVIVED	0x18	/* QEMU exit status 49 */
#define EXIT_WEDGED	0x19	/* 51: the good copy did not complete */
#define EXIT_DATA	0x1a	/* 53: the good copy's bytes differ */
#define EXIT_FLR	0x1b	/* 55: an FLR left the VF as it was */
#define EXIT_NOT_REFUSED 0x1c	/* 57: works, but a case was not refused */

#define RAM_TOP		0x04000000u	/* QEMU -m 64M */
#define UNMAPPED	0xf0000000u	/* above RAM, below the BIOS ROM */
#define ROUNDS		2
#define FLOOD_N		48		/* MSG_OUT doorbells after each case */
#define WAIT_N		3000		/* register reads per wait, at most */

#define F_SFB		JMGPU_JOB_F_SRC_FB
#define F_DFB		JMGPU_JOB_F_DST_FB
#define F_FENCE		JMGPU_JOB_F_FENCE

static uint32_t seed = 0x6a6d6770;
static uint64_t fb_size;
static uint32_t exp_cap, flrs, faults, msgs, busy, undecided;

static uint32_t lcg(void)
{
	seed = seed * 1664525u + 1013904223u;
	return seed;
}

static void put_job(uint32_t i, uint32_t opcode, uint32_t flags, uint64_t src,
		    uint64_t dst, uint64_t len, uint32_t fill, uint32_t fence)
{
	volatile struct jmgpu_job *j = (struct jmgpu_job *)RING + i % ENTRIES;
	volatile uint32_t *w = (volatile uint32_t *)j;
	unsigned int k;

	for (k = 0; k < sizeof(*j) / 4; k++)
		w[k] = 0;
	j->opcode = opcode;
	j->flags = flags;
	j->src = src;
	j->dst = dst;
	j->len = len;
	j->fill = fill;
	j->fence = fence;
}

static void ring_setup(uint64_t base, uint32_t size, uint32_t ctrl,
		       uint64_t fence)
{
	wr(JMGPU_VF_RING_CTRL, 0);
	wr(JMGPU_VF_RING_BASE_LO, (uint32_t)base);
	wr(JMGPU_VF_RING_BASE_HI, base >> 32);
	wr(JMGPU_VF_RING_SIZE, size);
	wr(JMGPU_VF_FENCE_ADDR_LO, (uint32_t)fence);
	wr(JMGPU_VF_FENCE_ADDR_HI, fence >> 32);
	wr(JMGPU_VF_INT_MASK, 0);
	wr(JMGPU_VF_RING_CTRL, JMGPU_RING_CTRL_ENABLE | ctrl);
}

/*
 * Until the engine faulted, went idle or @fence (if not 0) landed, at most
 * @reads register reads. Return: the fault code (counted), 0x100 fence, 0x200
 * idle, 0x300 still busy.
 */
static uint32_t wait_engine(uint32_t fence, uint32_t reads)
{
	volatile uint32_t *f = (volatile uint32_t *)FENCE;
	uint32_t n, st;

	for (n = 0; n < reads; n++) {
		if (fence && *f == fence)
			return 0x100;
		st = rd(JMGPU_VF_STATUS);
		if (st & JMGPU_VF_STATUS_ENGINE_FAULT) {
			faults++;
			return rd(JMGPU_VF_FAULT_STATUS);
		}
		if (!(st & JMGPU_VF_STATUS_ENGINE_BUSY))
			return 0x200;
	}
	return 0x300;
}

/* MSG_OUT doorbells with garbage messages, garbage ring doorbells. */
static void flood(void)
{
	uint32_t k;

	for (k = 0; k < FLOOD_N; k++) {
		wr(JMGPU_VF_MSG_OUT, lcg());
		wr(JMGPU_VF_MSG_OUT + 4, lcg());
		wr(JMGPU_VF_MSG_OUT + 8, lcg());
		wr(JMGPU_VF_MSG_OUT + 12, lcg());
		wr(JMGPU_VF_MSG_OUT_DOORBELL, k % 8 ? 1 : lcg());
		wr(JMGPU_VF_DOORBELL, k % 2 ? 0xffffffffu : ENTRIES + lcg() % 4096);
		msgs++;
		if (rd(JMGPU_VF_MSG_OUT_STATUS) & JMGPU_VF_MSG_OUT_BUSY)
			busy++;
	}
}

/* PCIe FLR of the own VF; the VF must come back reset. */
static void flr(void)
{
	uint32_t try, v;

	for (try = 0; try < 3; try++) {
		v = cfg_rd(vf_bdf, exp_cap + 8) & 0xffffu;	/* DevCtl */
		cfg_wr(vf_bdf, exp_cap + 8, v | 0x8000u);	/* BCR_FLR */
		if (!rd(JMGPU_VF_RING_CTRL) &&
		    !(rd(JMGPU_VF_STATUS) & JMGPU_VF_STATUS_ENGINE_FAULT)) {
			flrs++;
			return;
		}
	}
	puts_dbg("status ");
	puthex(rd(JMGPU_VF_STATUS));
	finish(EXIT_FLR, ": the FLR did not reset the VF");
}

/* The cases; @expect: the fault code that must stop it (0: any outcome). */
static const struct {
	const char *name;
	uint32_t expect;
} cases[] = {
	{ "ring at an unmapped IOVA", JMGPU_FAULT_CODE_DMA },
	{ "ring at the BIOS ROM below 4 GiB", 0 },
	{ "ring at the own BAR0 registers", 0 },
	{ "ring in FB across the slice end", JMGPU_FAULT_CODE_FB_RANGE },
	{ "ring size not a power of two", JMGPU_FAULT_CODE_RING },
	{ "ring base not 64-byte aligned", JMGPU_FAULT_CODE_RING },
	{ "ring of random descriptors, garbage tail", 0 },
	{ "fence at an unmapped IOVA", JMGPU_FAULT_CODE_DMA },
	{ "fence at the own RING_CTRL", 0 },
	{ "fence in FB outside the slice", JMGPU_FAULT_CODE_FB_RANGE },
	{ "copy from an unmapped IOVA", JMGPU_FAULT_CODE_DMA },
	{ "copy to the BIOS ROM and across 4 GiB", JMGPU_FAULT_CODE_DMA },
	{ "DMA fill of the own RING_CTRL", 0 },
	{ "DMA fill of the own MSG_OUT_DOORBELL", 0 },
	{ "copy of the own BAR0 into RAM", 0 },
	{ "fill at random 32-bit addresses", 0 },
	{ "copy into the own FB aperture past the slice", 0 },
	{ "copy to FB offset = slice size", JMGPU_FAULT_CODE_FB_RANGE },
	{ "copy across the slice end", JMGPU_FAULT_CODE_FB_RANGE },
	{ "copy at FB offset + length wrapping 2^64", JMGPU_FAULT_CODE_FB_RANGE },
	{ "copy at FB offset + length wrapping 2^32", JMGPU_FAULT_CODE_FB_RANGE },
	{ "malformed descriptors", JMGPU_FAULT_CODE_BAD_JOB },
};

#define NCASES	(sizeof(cases) / sizeof(cases[0]))

/* Set up case @c, ring its doorbell. */
static void start_case(uint32_t c)
{
	volatile uint32_t *ring = (volatile uint32_t *)RING;
	uint32_t i, tail = 1;

	ring_setup(RING, ENTRIES, 0, FENCE);
	switch (c) {
	case 0:
		ring_setup(UNMAPPED, ENTRIES, 0, FENCE);
		break;
	case 1:
		ring_setup(0xfffff000u, ENTRIES, 0, FENCE);
		tail = ENTRIES - 1;
		break;
	case 2:
		ring_setup(vf_bar0, ENTRIES, 0, FENCE);
		tail = 3;
		break;
	case 3:
		ring_setup(fb_size - 4 * 64, ENTRIES, JMGPU_RING_CTRL_IN_FB,
			   FENCE);
		tail = 8;
		break;
	case 4:
		ring_setup(RING, 12, 0, FENCE);
		break;
	case 5:
		ring_setup(RING + 8, ENTRIES, 0, FENCE);
		break;
	case 6:
		for (i = 0; i < ENTRIES * 16; i++)
			ring[i] = lcg();
		tail = 13;
		break;
	case 7:
		ring_setup(RING, ENTRIES, 0, UNMAPPED);
		put_job(0, JMGPU_JOB_COPY, F_DFB | F_FENCE, SRC, 0, 4096, 0, 7);
		break;
	case 8:
		ring_setup(RING, ENTRIES, 0, vf_bar0 + JMGPU_VF_RING_CTRL);
		put_job(0, JMGPU_JOB_COPY, F_DFB | F_FENCE, SRC, 0, 4096, 0, 0);
		break;
	case 9:
		ring_setup(RING, ENTRIES, JMGPU_RING_CTRL_FENCE_IN_FB, fb_size);
		put_job(0, JMGPU_JOB_COPY, F_DFB | F_FENCE, SRC, 0, 4096, 0, 9);
		break;
	case 10:
		put_job(0, JMGPU_JOB_COPY, F_FENCE, UNMAPPED, DST, 4096, 0, 10);
		break;
	case 11:
		put_job(0, JMGPU_JOB_COPY, F_FENCE, SRC, 0xfffff000u, 8192, 0,
			11);
		break;
	case 12:
		put_job(0, JMGPU_JOB_FILL, F_FENCE, 0,
			vf_bar0 + JMGPU_VF_RING_CTRL, 4, 0, 12);
		put_job(1, JMGPU_JOB_COPY, F_DFB | F_FENCE, SRC, 0, LEN, 0, 13);
		tail = 2;
		break;
	case 13:
		put_job(0, JMGPU_JOB_FILL, F_FENCE, 0,
			vf_bar0 + JMGPU_VF_MSG_OUT_DOORBELL, 4, 1, 14);
		break;
	case 14:
		put_job(0, JMGPU_JOB_COPY, F_FENCE, vf_bar0, DST,
			JMGPU_VF_BAR0_SIZE, 0, 15);
		break;
	case 15:
		for (i = 0; i < 4; i++)
			put_job(i, JMGPU_JOB_FILL, F_FENCE, 0,
				(RAM_TOP + lcg() % (0u - RAM_TOP)) & ~0xfffu,
				4096, lcg(), 16 + i);
		tail = 4;
		break;
	case 16:
		put_job(0, JMGPU_JOB_COPY, F_FENCE, SRC, vf_bar2 + fb_size,
			4096, 0, 20);
		break;
	case 17:
		put_job(0, JMGPU_JOB_COPY, F_DFB | F_FENCE, SRC, fb_size, 4096,
			0, 21);
		break;
	case 18:
		put_job(0, JMGPU_JOB_COPY, F_SFB | F_FENCE, fb_size - 4096, DST,
			8192, 0, 22);
		break;
	case 19:
		put_job(0, JMGPU_JOB_COPY, F_SFB | F_FENCE, ~0xfffull, DST,
			0x2000, 0, 23);
		break;
	case 20:
		put_job(0, JMGPU_JOB_COPY, F_DFB | F_FENCE, SRC,
			0xfffff000ull, 0x2000, 0, 24);
		break;
	case 21:
		put_job(0, 7, F_FENCE, SRC, DST, 4096, 0, 25);
		put_job(1, JMGPU_JOB_COPY, F_FENCE, SRC, DST,
			JMGPU_JOB_MAX_LEN + 1, 0, 26);
		tail = 2;
		break;
	}
	__asm__ volatile("" : : : "memory");
	wr(JMGPU_VF_DOORBELL, tail);
}

/* The PCIe capability of the VF (DevCtl at +8), 0 when none. */
static uint32_t find_exp_cap(void)
{
	uint32_t p = cfg_rd(vf_bdf, 0x34) & 0xfc, n;

	for (n = 0; p && n < 48; n++) {
		uint32_t h = cfg_rd(vf_bdf, p);

		if ((h & 0xff) == 0x10)
			return p;
		p = (h >> 8) & 0xfc;
	}
	return 0;
}

void payload_main(uint32_t mbi)
{
	volatile uint8_t *s = (uint8_t *)SRC, *d = (uint8_t *)DST;
	volatile uint32_t *f = (volatile uint32_t *)FENCE;
	uint32_t r, c, i, res = 0, dropped0, bad = 0, bad_case = 0, bad_res = 0;

	(void)mbi;
	puts_dbg("jmgpu hostile payload\n");
	vf_find();
	if (!(rd(JMGPU_VF_STATUS) & JMGPU_VF_STATUS_PROVISIONED))
		finish(EXIT_NOTPROV, "VF not provisioned");
	fb_size = rd(JMGPU_VF_FB_SIZE_LO) |
		  (uint64_t)rd(JMGPU_VF_FB_SIZE_HI) << 32;
	exp_cap = find_exp_cap();
	puts_dbg("fb ");
	puthex((uint32_t)fb_size);
	puts_dbg(" BAR2 ");
	puthex((uint32_t)(vf_bar2 >> 32));
	puts_dbg(":");
	puthex((uint32_t)vf_bar2);
	puts_dbg(" PCIe cap ");
	puthex(exp_cap);
	puts_dbg("\n");
	if (!exp_cap)
		finish(EXIT_FLR, "no PCIe capability: no FLR");
	for (i = 0; i < LEN; i++)
		s[i] = (uint8_t)(i * 13 + (i >> 9));
	dropped0 = rd(JMGPU_VF_MSG_OUT_DROPPED);
	for (r = 0; r < ROUNDS; r++) {
		for (c = 0; c < NCASES; c++) {
			start_case(c);
			/*
			 * A refusal may wait for the engine behind B's work;
			 * an engine still busy after the bound decides
			 * nothing (counted, printed): only an end without its
			 * fault is a case not refused.
			 */
			res = wait_engine(0, cases[c].expect ? 30 * WAIT_N : WAIT_N);
			if (cases[c].expect && res == 0x300)
				undecided++;
			else if (cases[c].expect && res != cases[c].expect &&
				 !bad++) {
				bad_case = c;
				bad_res = res;
			}
			if (!r) {
				puts_dbg("case ");
				putdec(c);
				puts_dbg(" ");
				puts_dbg(cases[c].name);
				puts_dbg(": ");
				puts_dbg(res == 0x100 ? "fence" :
					 res == 0x200 ? "idle" :
					 res == 0x300 ? "still busy" : "fault");
				puts_dbg(" ");
				puthex(res);
				puts_dbg("\n");
			}
			flood();
			flr();
		}
	}
	/* the VF after all that: reset, proper ring, one verified copy */
	flr();
	for (i = 0; i < LEN; i++)
		d[i] = 0;
	f[0] = 0;
	f[1] = 0;
	ring_setup(RING, ENTRIES, 0, FENCE);
	put_job(0, JMGPU_JOB_COPY, F_DFB | F_FENCE, SRC, 0, LEN, 0, 1);
	put_job(1, JMGPU_JOB_COPY, F_SFB | F_FENCE, 0, DST, LEN, 0, 2);
	__asm__ volatile("" : : : "memory");
	wr(JMGPU_VF_DOORBELL, 2);
	for (i = 0; i < 100 && *f != 2; i++) {
		res = wait_engine(2, WAIT_N);
		if (res != 0x300)
			break;
	}
	puts_dbg("hostile: ");
	putdec(ROUNDS * NCASES);
	puts_dbg(" cases, ");
	putdec(flrs);
	puts_dbg(" flrs, ");
	putdec(faults);
	puts_dbg(" faults, ");
	putdec(msgs);
	puts_dbg(" msg doorbells, ");
	putdec(busy);
	puts_dbg(" seen busy, ");
	putdec(rd(JMGPU_VF_MSG_OUT_DROPPED) - dropped0);
	puts_dbg(" dropped, ");
	putdec(undecided);
	puts_dbg(" refusals undecided (engine still busy)\n");
	if (*f != 2) {
		puts_dbg("good copy: ");
		puthex(res);
		puts_dbg(" head ");
		puthex(rd(JMGPU_VF_RING_HEAD));
		finish(EXIT_WEDGED, " the VF does not work after its reset");
	}
	for (i = 0; i < LEN; i++)
		if (d[i] != (uint8_t)(i * 13 + (i >> 9)))
			finish(EXIT_DATA, "good copy: data mismatch");
	wr(JMGPU_VF_RING_CTRL, 0);
	puts_dbg("survived: good copy verified after the abuse\n");
	if (bad) {
		puts_dbg("not refused: ");
		putdec(bad);
		puts_dbg(" cases, first: case ");
		putdec(bad_case);
		puts_dbg(" ");
		puts_dbg(cases[bad_case].name);
		puts_dbg(": ");
		puthex(bad_res);
		puts_dbg(", want fault ");
		puthex(cases[bad_case].expect);
		finish(EXIT_NOT_REFUSED, "");
	}
	finish(EXIT_SURVIVED, "refused: all, each with its fault code");
}

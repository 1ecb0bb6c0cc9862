// SPDX-License-Identifier: GPL-2.0
/* Helpers of the bare-metal payloads: see vf.h. */
#include "vf.h"

uint32_t vf_bdf, vf_bar0;
uint64_t vf_bar2;
volatile uint32_t *regs;

/*
 * Each character goes to the debug console (port 0xe9) and to COM1's
 * transmit register: a guest started by libvirt has its progress in the
 * domain's serial log file. Without a COM1 the write goes nowhere.
 */
static void putc_dbg(char c)
{
	outb(0xe9, c);
	outb(0x3f8, c);
}

void puts_dbg(const char *s)
{
	while (*s)
		putc_dbg(*s++);
}

void puthex(uint32_t v)
{
	int i;

	puts_dbg("0x");
	for (i = 28; i >= 0; i -= 4)
		putc_dbg("0123456789abcdef"[(v >> i) & 15]);
}

void putdec(uint32_t v)
{
	char b[11];
	int i = 10;

	b[i] = 0;
	do {
		b[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	puts_dbg(b + i);
}

void __attribute__((noreturn)) finish(uint32_t code, const char *msg)
{
	puts_dbg(msg);
	puts_dbg("\n");
	outl(0xf4, code);
	for (;;)
		__asm__ volatile("hlt");
}

uint32_t cfg_rd(uint32_t bdf, uint32_t off)
{
	outl(0xcf8, 0x80000000u | bdf << 8 | (off & 0xfc));
	return inl(0xcfc);
}

void cfg_wr(uint32_t bdf, uint32_t off, uint32_t v)
{
	outl(0xcf8, 0x80000000u | bdf << 8 | (off & 0xfc));
	outl(0xcfc, v);
}

void vf_find(void)
{
	uint32_t bdf;

	for (bdf = 0; bdf < 256 * 32 * 8; bdf++)
		if (cfg_rd(bdf, 0) == (JMGPU_PCI_DEVICE_ID_VF << 16 |
				       JMGPU_PCI_VENDOR_ID))
			break;
	if (bdf == 256 * 32 * 8)
		finish(EXIT_NODEV, "no jmgpu VF");
	vf_bdf = bdf;
	vf_bar0 = cfg_rd(bdf, 0x10) & ~0xfu;
	vf_bar2 = (cfg_rd(bdf, 0x18) & ~0xfu) |
		  (uint64_t)cfg_rd(bdf, 0x1c) << 32;	/* 64-bit BAR */
	puts_dbg("VF at bdf ");
	puthex(bdf);
	puts_dbg(" BAR0 ");
	puthex(vf_bar0);
	puts_dbg("\n");
	cfg_wr(bdf, 0x04, (cfg_rd(bdf, 0x04) & 0xffff0000u) | 0x6);
	regs = (volatile uint32_t *)vf_bar0;
}

int cmdline_has(uint32_t mbi, const char *word)
{
	const volatile uint32_t *info = (const volatile uint32_t *)mbi;
	const char *c;
	int i;

	if (!mbi || !(info[0] & (1u << 2)))	/* no cmdline field */
		return 0;
	for (c = (const char *)info[4]; *c; c++) {
		for (i = 0; word[i] && c[i] == word[i]; i++)
			;
		if (!word[i])
			return 1;
	}
	return 0;
}

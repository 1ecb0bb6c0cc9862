/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the bare-metal payloads (payload.c, hostile.c): port I/O, the
 * debug console (port 0xe9), isa-debug-exit (port 0xf4: QEMU exits with
 * (code << 1) | 1), PCI config space by ports 0xcf8/0xcfc, and the jmgpu
 * VF that QEMU's vfio-pci passed through (its BAR0 registers).
 */
#ifndef JMGPU_PAYLOAD_VF_H
#define JMGPU_PAYLOAD_VF_H

#include <stdint.h>

#include "jmgpu_fw_iface.h"

/* guest-RAM layout of both payloads: ring, fence, copy buffers */
#define RING		0x200000u
#define FENCE		0x210000u
#define SRC		0x300000u
#define DST		0x400000u
#define LEN		0x10000u
#define ENTRIES		16

#define EXIT_NODEV	0x11	/* no jmgpu VF on the bus */

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

void puts_dbg(const char *s);
void puthex(uint32_t v);
void putdec(uint32_t v);
void __attribute__((noreturn)) finish(uint32_t code, const char *msg);

uint32_t cfg_rd(uint32_t bdf, uint32_t off);
void cfg_wr(uint32_t bdf, uint32_t off, uint32_t v);

/* The VF found by vf_find(): bus/dev/fn, BAR0 and BAR2 guest addresses. */
extern uint32_t vf_bdf, vf_bar0;
extern uint64_t vf_bar2;
extern volatile uint32_t *regs;

/* Find the VF, enable memory + bus master; finish(EXIT_NODEV) if none. */
void vf_find(void);

static inline uint32_t rd(uint32_t r)
{
	return regs[r / 4];
}

static inline void wr(uint32_t r, uint32_t v)
{
	regs[r / 4] = v;
}

/*
 * The multiboot command line (QEMU -append) contains @word? @mbi: the
 * multiboot information pointer the loader passed in %ebx.
 */
int cmdline_has(uint32_t mbi, const char *word);

#endif /* JMGPU_PAYLOAD_VF_H */

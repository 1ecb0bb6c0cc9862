// SPDX-License-Identifier: GPL-2.0
/* The display test image: see testimage.h. */
#include "testimage.h"

static const uint32_t bars[8] = {
	0xc0c0c0, 0xc0c000, 0x00c0c0, 0x00c000,
	0xc000c0, 0xc00000, 0x0000c0, 0x202020,
};

/* digits 0-9 on a 3x5 grid, bit 14 = top left, row by row */
static const uint16_t font[10] = {
	0x7b6f, 0x2c97, 0x73e7, 0x73cf, 0x5bc9,
	0x79cf, 0x79ef, 0x7249, 0x7bef, 0x7bcf,
};

static uint32_t ndigits(uint32_t k)
{
	uint32_t n = 1;

	while (k >= 10) {
		k /= 10;
		n++;
	}
	return n;
}

uint32_t jmgpu_testimage_pixel(uint32_t w, uint32_t h, uint32_t k,
			       uint32_t x, uint32_t y)
{
	uint32_t s = h / 40 ? h / 40 : 1;	/* font cell, pixels */
	uint32_t n = ndigits(k), bx = w / 8, by = h / 8;
	uint32_t bw = (4 * n + 1) * s, bh = 7 * s;

	if (!x || !y || x == w - 1 || y == h - 1)
		return 0xffffff;
	if (x >= bx && x < bx + bw && y >= by && y < by + bh) {
		uint32_t cx = (x - bx) / s, cy = (y - by) / s, d, i, v = k;

		if (!cx || !cy || cy > 5 || (cx % 4) == 0)
			return 0;
		d = (cx - 1) / 4;		/* digit, from the left */
		for (i = n - 1 - d; i; i--)
			v /= 10;
		return font[v % 10] >> (14 - (cy - 1) * 3 - ((cx - 1) % 4)) & 1
			? 0xffffff : 0;
	}
	if (y >= h - h / 4) {
		uint32_t g = w > 1 ? x * 255 / (w - 1) : 0;

		return g << 16 | g << 8 | g;
	}
	return bars[(x * 8 / w + k) % 8];
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The display test image, one definition for the guest that draws it
 * (payload.c, -append display) and the VM-side tool that checks QEMU's
 * screendump against it (selftests/vm/jmgpu_testimage.c). Freestanding:
 * no libc, integer arithmetic only.
 *
 * Frame k of a WxH mode: eight colour bars rotated by k, a grey ramp in
 * the bottom quarter (one level per column, so a column shift shows), a
 * black box at (W/8, H/8) with k in white digits, and a 1-pixel white
 * border (a stride or size off by one pixel breaks it).
 */
#ifndef JMGPU_TESTIMAGE_H
#define JMGPU_TESTIMAGE_H

#include <stdint.h>

/* Pixel (x, y) of frame k in XRGB8888 (0x00RRGGBB); x < w, y < h. */
uint32_t jmgpu_testimage_pixel(uint32_t w, uint32_t h, uint32_t k,
			       uint32_t x, uint32_t y);

#endif /* JMGPU_TESTIMAGE_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu_testimage: the display test image (payload/testimage.c, the same
 * code the guest payload draws with) on the VM side.
 *   jmgpu_testimage write W H K FILE   frame K of mode WxH as PPM (P6)
 *   jmgpu_testimage cmp W H K FILE     compare a PPM (QEMU's screendump)
 *                                      with frame K pixel for pixel
 * cmp prints the size, the number of differing pixels and the first one;
 * exit status 0 only when the sizes match and no pixel differs.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testimage.h"

static unsigned long arg(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || !*s || !v || v > max) {
		fprintf(stderr, "jmgpu_testimage: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

/* one header number of a PPM: skip whitespace and # comments */
static int ppm_num(FILE *f, unsigned long *v)
{
	int c;

	for (;;) {
		c = fgetc(f);
		if (c == '#') {
			while (c != '\n' && c != EOF)
				c = fgetc(f);
		} else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
			break;
		}
	}
	if (c < '0' || c > '9')
		return -1;
	*v = 0;
	while (c >= '0' && c <= '9') {
		*v = *v * 10 + (c - '0');
		if (*v > 100000)
			return -1;
		c = fgetc(f);
	}
	/* exactly one whitespace byte ends the header's last number */
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r') ? 0 : -1;
}

static int write_ppm(uint32_t w, uint32_t h, uint32_t k, const char *path)
{
	FILE *f = fopen(path, "wb");
	uint32_t x, y, p;

	if (!f) {
		perror(path);
		return 2;
	}
	fprintf(f, "P6\n%u %u\n255\n", w, h);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			p = jmgpu_testimage_pixel(w, h, k, x, y);
			fputc(p >> 16 & 0xff, f);
			fputc(p >> 8 & 0xff, f);
			fputc(p & 0xff, f);
		}
	if (fclose(f)) {
		perror(path);
		return 2;
	}
	return 0;
}

static int cmp_ppm(uint32_t w, uint32_t h, uint32_t k, const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned long fw, fh, max, ndiff = 0;
	uint32_t x, y, want, got = 0, fx = 0, fy = 0, fgot = 0, fwant = 0;
	unsigned char px[3];

	if (!f) {
		perror(path);
		return 2;
	}
	if (fgetc(f) != 'P' || fgetc(f) != '6' || ppm_num(f, &fw) ||
	    ppm_num(f, &fh) || ppm_num(f, &max) || max != 255) {
		fprintf(stderr, "%s: not a 24-bit PPM (P6, maxval 255)\n", path);
		fclose(f);
		return 2;
	}
	if (fw != w || fh != h) {
		printf("%s: %lux%lu, expected %ux%u\n", path, fw, fh, w, h);
		fclose(f);
		return 1;
	}
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			if (fread(px, 1, 3, f) != 3) {
				printf("%s: short at (%u,%u)\n", path, x, y);
				fclose(f);
				return 1;
			}
			got = (uint32_t)px[0] << 16 | px[1] << 8 | px[2];
			want = jmgpu_testimage_pixel(w, h, k, x, y);
			if (got != want && !ndiff++) {
				fx = x;
				fy = y;
				fgot = got;
				fwant = want;
			}
		}
	fclose(f);
	if (ndiff) {
		printf("%s: %lu of %u pixels differ from frame %u, first at (%u,%u): #%06x, expected #%06x\n",
		       path, ndiff, w * h, k, fx, fy, fgot, fwant);
		return 1;
	}
	printf("%s: %ux%u, frame %u, all pixels equal\n", path, w, h, k);
	return 0;
}

int main(int argc, char **argv)
{
	uint32_t w, h, k;

	if (argc != 6 || (strcmp(argv[1], "write") && strcmp(argv[1], "cmp"))) {
		fprintf(stderr, "usage: jmgpu_testimage write|cmp W H K FILE\n");
		return 2;
	}
	w = arg(argv[2], 16384);
	h = arg(argv[3], 16384);
	k = arg(argv[4], 0xffffffff);
	if (!strcmp(argv[1], "write"))
		return write_ppm(w, h, k, argv[5]);
	return cmp_ppm(w, h, k, argv[5]);
}

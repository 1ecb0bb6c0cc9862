// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu_fb - a tenant's view of its framebuffer, through VFIO (the VF
 * bound to vfio-pci or jmgpu_vfio_pci): the slice is BAR2 up to the
 * VF_FB_SIZE the VF's registers report.
 *
 *   jmgpu_fb <vf-bdf> fill <pattern>   write a 64-bit word derived from
 *                                      <pattern> every 256 bytes of the
 *                                      whole slice, then read them back
 *                                      (same open): exit 0 when all are
 *                                      there
 *   jmgpu_fb <vf-bdf> has <pattern>    exit 0 when every one of those
 *                                      words is there (a new open)
 *   jmgpu_fb <vf-bdf> zero             exit 0 when every byte of the
 *                                      slice reads 0; else prints how
 *                                      many 64-bit words are not and the
 *                                      first one
 *
 * Exit status 0 yes, 1 no, 2 error (message on stderr).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmgpu_fw_iface.h"
#include "vfio_dev.h"

#define STEP	256

static uint64_t word(uint64_t pat, uint64_t off)
{
	return pat ^ (off * 0x9e3779b97f4a7c15ull) ^ 0x5a5a5a5a00000000ull;
}

int main(int argc, char **argv)
{
	static struct vfio_dev d;
	volatile uint64_t *fb;
	uint64_t size, off, pat = 0, bad = 0, first = 0;
	const char *op;

	if (argc < 3 || (strcmp(argv[2], "zero") && argc != 4)) {
		fprintf(stderr, "usage: jmgpu_fb <vf-bdf> fill|has <pattern> | zero\n");
		return 2;
	}
	op = argv[2];
	if (argc == 4)
		pat = strtoull(argv[3], NULL, 0);
	if (vfio_dev_open(&d, argv[1], NULL))
		return 2;
	size = vfio_dev_read32(&d, 0, JMGPU_VF_FB_SIZE_LO) |
	       (uint64_t)vfio_dev_read32(&d, 0, JMGPU_VF_FB_SIZE_HI) << 32;
	fb = vfio_dev_map_bar(&d, JMGPU_BAR_FB);
	if (!size || !fb) {
		fprintf(stderr, "jmgpu_fb: %s: slice size %llu, BAR2 %s\n",
			argv[1], (unsigned long long)size,
			fb ? "mapped" : "not mapped");
		vfio_dev_close(&d);
		return 2;
	}
	if (!strcmp(op, "fill")) {
		for (off = 0; off < size; off += STEP)
			fb[off / 8] = word(pat, off);
	}
	if (!strcmp(op, "fill") || !strcmp(op, "has")) {
		for (off = 0; off < size; off += STEP)
			if (fb[off / 8] != word(pat, off) && !bad++)
				first = off;
	} else if (!strcmp(op, "zero")) {
		for (off = 0; off < size; off += 8)
			if (fb[off / 8] && !bad++)
				first = off;
	} else {
		vfio_dev_close(&d);
		return 2;
	}
	if (bad)
		printf("# %s: %llu words of %llu MiB differ, first at 0x%llx: 0x%016llx\n",
		       op, (unsigned long long)bad,
		       (unsigned long long)(size >> 20),
		       (unsigned long long)first,
		       (unsigned long long)fb[first / 8]);
	vfio_dev_close(&d);
	return bad ? 1 : 0;
}

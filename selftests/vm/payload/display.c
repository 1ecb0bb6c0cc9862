// SPDX-License-Identifier: GPL-2.0
/*
 * The payload's display driver (-append display), for 67-vgpu-display.sh:
 * reads the monitor the host gave the VF (DISPLAY_LINK, the EDID window)
 * and takes the preferred mode of the EDID's first detailed timing (the
 * vGPU's own monitor, set on the host with jmgpu/monitor: QEMU's region
 * display writes no EDID); with no monitor the mode of "mode=WxH" on the
 * command line, else 1024x768, as a driver falls back to a safe mode. It draws frame 1 of the test image (testimage.h) at FB offset 0 and
 * flips to it, then frame 2 into a second buffer at a non-zero base, then
 * tries a commit with a too small stride that must be refused.
 *
 * A monitor change while it waits for the test (INT_DISPLAY) is reported:
 * "display interrupt: link L, edid preferred mode WxH".
 *
 * Handshake with the test: after each step a line on the debug console;
 * the test takes QEMU's screendump, then writes the next step number into
 * CMOS byte 0x40 (HMP "o /b 0x70 0x40", "o /b 0x71 <k>": byte writes, as
 * the RTC takes them), which this polls.
 * Success: isa-debug-exit code EXIT_DISPLAY_OK (QEMU exit status 65).
 */
#include <stdint.h>

#include "vf.h"
#include "testimage.h"

#define EXIT_DISPLAY_OK	0x20	/* QEMU exit status 65 */
#define EXIT_NOLINK	0x21	/* no monitor connected */
#define EXIT_EDID	0x22	/* EDID header, checksum or timing bad */
#define EXIT_MODE	0x23	/* preferred mode over the VF's maximum */
#define EXIT_COMMIT	0x24	/* a good plane was refused */
#define EXIT_FLIP	0x25	/* no FLIP_DONE / active plane not latched */
#define EXIT_BADOK	0x26	/* the bad commit was not refused right */
#define EXIT_NOGO	0x27	/* the test never said go on */
#define EXIT_BAR2	0x28	/* BAR2 cannot be placed below 4 GiB */

#define XR24		0x34325258u	/* DRM_FORMAT_XRGB8888 */
#define CMOS_GO		0x40		/* CMOS byte of the handshake */
#define BAR2_LOW	0x40000000u	/* above guest RAM, below MMCONFIG */
#define POLL_REG	5000000u	/* register reads before giving up */
#define POLL_LINK	1000u		/* QEMU sets the monitor before boot */

/* The payload runs without paging: BAR2 must sit below 4 GiB. */
static volatile uint32_t *fb_map(void)
{
	uint32_t cmd = cfg_rd(vf_bdf, 0x04), size;

	if (vf_bar2 && vf_bar2 < 0x100000000ull)
		return (volatile uint32_t *)(uint32_t)vf_bar2;
	cfg_wr(vf_bdf, 0x04, cmd & ~0x2u);	/* memory decode off */
	cfg_wr(vf_bdf, 0x18, 0xffffffffu);
	cfg_wr(vf_bdf, 0x1c, 0xffffffffu);
	size = ~(cfg_rd(vf_bdf, 0x18) & ~0xfu) + 1;
	if (cfg_rd(vf_bdf, 0x1c) != 0xffffffffu || !size || size > BAR2_LOW)
		finish(EXIT_BAR2, "BAR2 too large for the 32-bit window");
	cfg_wr(vf_bdf, 0x18, BAR2_LOW);
	cfg_wr(vf_bdf, 0x1c, 0);
	cfg_wr(vf_bdf, 0x04, cmd | 0x2u);
	vf_bar2 = BAR2_LOW;
	puts_dbg("BAR2 moved to ");
	puthex(BAR2_LOW);
	puts_dbg("\n");
	return (volatile uint32_t *)BAR2_LOW;
}

/*
 * A monitor change (INT_DISPLAY) while the payload waits: say what the
 * VF's monitor is now, as a driver would re-read it on a hotplug.
 */
static void display_changed(void)
{
	uint32_t i, v, sum = 0, w, h;

	wr(JMGPU_VF_INT_STATUS, JMGPU_VF_INT_DISPLAY);
	puts_dbg("display interrupt: link ");
	putdec(rd(JMGPU_VF_DISPLAY_LINK));
	if (rd(JMGPU_VF_DISPLAY_LINK) != 1 ||
	    rd(JMGPU_VF_DISPLAY_EDID_SIZE) < 128) {
		puts_dbg(", no EDID\n");
		return;
	}
	for (i = 0; i < 128; i += 4) {
		v = rd(JMGPU_VF_EDID + i);
		sum += (v & 0xff) + (v >> 8 & 0xff) + (v >> 16 & 0xff) +
		       (v >> 24);
	}
	if (sum & 0xff) {
		puts_dbg(", EDID with a bad checksum\n");
		return;
	}
	v = rd(JMGPU_VF_EDID + 56);		/* bytes 56..59 */
	w = (v & 0xff) | (v >> 16 & 0xf0) << 4;
	h = v >> 24;
	v = rd(JMGPU_VF_EDID + 60);		/* bytes 60..63 */
	h |= (v >> 8 & 0xf0) << 4;
	puts_dbg(", edid preferred mode ");
	putdec(w);
	puts_dbg("x");
	putdec(h);
	puts_dbg("\n");
}

static uint8_t cmos(uint8_t idx)
{
	outb(0x70, idx);
	return inb(0x71);
}

/*
 * Wait for the test's go (CMOS byte). A go that never comes ends the run
 * with EXIT_NOGO after GO_VBLANKS vblanks (the test answers within
 * seconds), or after the poll bound should vblanks not count.
 */
#define GO_VBLANKS	(120 * JMGPU_REFRESH_HZ)

static void wait_go(uint8_t step)
{
	uint32_t v0 = rd(JMGPU_VF_VBLANK_COUNT), n;

	for (n = 0; n < 400000000u; n++) {
		if (cmos(CMOS_GO) == step)
			return;
		if (rd(JMGPU_VF_INT_STATUS) & JMGPU_VF_INT_DISPLAY)
			display_changed();
		if (rd(JMGPU_VF_VBLANK_COUNT) - v0 >= GO_VBLANKS)
			break;
	}
	finish(EXIT_NOGO, "no go from the test");
}

/* "mode=WxH" on the multiboot command line: 1 and the mode, else 0 */
static int cmdline_mode(uint32_t mbi, uint32_t *w, uint32_t *h)
{
	const volatile uint32_t *info = (const volatile uint32_t *)mbi;
	const char *c;

	if (!mbi || !(info[0] & (1u << 2)))
		return 0;
	for (c = (const char *)info[4]; *c; c++) {
		if (c[0] != 'm' || c[1] != 'o' || c[2] != 'd' || c[3] != 'e' ||
		    c[4] != '=')
			continue;
		for (c += 5, *w = 0; *c >= '0' && *c <= '9'; c++)
			*w = *w * 10 + (*c - '0');
		if (*c++ != 'x')
			return 0;
		for (*h = 0; *c >= '0' && *c <= '9'; c++)
			*h = *h * 10 + (*c - '0');
		return 1;
	}
	return 0;
}

/*
 * The monitor's preferred mode (EDID, first detailed timing descriptor);
 * without a monitor the command line's or 1024x768.
 */
static void edid_mode(uint32_t mbi, uint32_t *w, uint32_t *h)
{
	uint8_t e[128];
	uint32_t i, v, sum = 0, n;

	for (n = 0; n < POLL_LINK; n++)
		if (rd(JMGPU_VF_DISPLAY_LINK) == 1 &&
		    rd(JMGPU_VF_DISPLAY_EDID_SIZE) >= 128)
			break;
	if (n == POLL_LINK) {
		if (rd(JMGPU_VF_DISPLAY_LINK) || rd(JMGPU_VF_DISPLAY_EDID_SIZE))
			finish(EXIT_NOLINK, "monitor: link up without an EDID or the reverse");
		if (!cmdline_mode(mbi, w, h)) {
			*w = 1024;
			*h = 768;
		}
		puts_dbg("monitor: none (link 0, no EDID), mode ");
		goto check;
	}
	puts_dbg("monitor: link 1, EDID ");
	putdec(rd(JMGPU_VF_DISPLAY_EDID_SIZE));
	puts_dbg(" bytes, display gen ");
	putdec(rd(JMGPU_VF_DISPLAY_GEN));
	puts_dbg("\n");
	for (i = 0; i < 128; i += 4) {
		v = rd(JMGPU_VF_EDID + i);
		e[i] = v;
		e[i + 1] = v >> 8;
		e[i + 2] = v >> 16;
		e[i + 3] = v >> 24;
	}
	for (i = 0; i < 128; i++)
		sum += e[i];
	if (e[0] || e[7] || e[1] != 0xff || e[2] != 0xff || e[3] != 0xff ||
	    e[4] != 0xff || e[5] != 0xff || e[6] != 0xff)
		finish(EXIT_EDID, "EDID: no header");
	if (sum & 0xff)
		finish(EXIT_EDID, "EDID: bad checksum");
	if (!e[54] && !e[55])
		finish(EXIT_EDID, "EDID: first descriptor is no timing");
	*w = e[56] | (e[58] & 0xf0u) << 4;
	*h = e[59] | (e[61] & 0xf0u) << 4;
	puts_dbg("edid preferred mode ");
check:
	putdec(*w);
	puts_dbg("x");
	putdec(*h);
	puts_dbg("\n");
	if (!*w || !*h || *w > rd(JMGPU_VF_MAX_WIDTH) ||
	    *h > rd(JMGPU_VF_MAX_HEIGHT))
		finish(EXIT_MODE, "mode over the VF's maximum");
}

static void draw(volatile uint32_t *fb, uint32_t base, uint32_t w,
		 uint32_t h, uint32_t k)
{
	volatile uint32_t *p = fb + base / 4;
	uint32_t x, y;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			p[y * w + x] = jmgpu_testimage_pixel(w, h, k, x, y);
}

static void plane(uint32_t base, uint32_t w, uint32_t h, uint32_t stride)
{
	wr(JMGPU_VF_SCANOUT_BASE_LO, base);
	wr(JMGPU_VF_SCANOUT_BASE_HI, 0);
	wr(JMGPU_VF_SCANOUT_WIDTH, w);
	wr(JMGPU_VF_SCANOUT_HEIGHT, h);
	wr(JMGPU_VF_SCANOUT_STRIDE, stride);
	wr(JMGPU_VF_SCANOUT_FORMAT, XR24);
	wr(JMGPU_VF_SCANOUT_ENABLE, 1);
}

/* Commit the pending plane and wait for its flip to be latched. */
static void flip(uint32_t base, uint32_t w, uint32_t h, uint32_t k)
{
	uint32_t st, n, gen = rd(JMGPU_VF_SCANOUT_GEN);

	wr(JMGPU_VF_INT_STATUS, JMGPU_VF_INT_FLIP_DONE);
	plane(base, w, h, w * 4);
	wr(JMGPU_VF_SCANOUT_COMMIT, 1);
	st = rd(JMGPU_VF_SCANOUT_STATUS);
	if (st != JMGPU_SCANOUT_OK) {
		puts_dbg("commit refused, status ");
		putdec(st);
		finish(EXIT_COMMIT, "");
	}
	for (n = 0; n < POLL_REG; n++)
		if (rd(JMGPU_VF_INT_STATUS) & JMGPU_VF_INT_FLIP_DONE)
			break;
	if (n == POLL_REG)
		finish(EXIT_FLIP, "no FLIP_DONE");
	wr(JMGPU_VF_INT_STATUS, JMGPU_VF_INT_FLIP_DONE);
	if (rd(JMGPU_VF_SCANOUT_GEN) == gen ||
	    rd(JMGPU_VF_ACTIVE_ENABLE) != 1 ||
	    rd(JMGPU_VF_ACTIVE_BASE_LO) != base ||
	    rd(JMGPU_VF_ACTIVE_WIDTH) != w || rd(JMGPU_VF_ACTIVE_HEIGHT) != h ||
	    rd(JMGPU_VF_ACTIVE_STRIDE) != w * 4)
		finish(EXIT_FLIP, "FLIP_DONE but the active plane is not the committed one");
	puts_dbg("frame ");
	putdec(k);
	puts_dbg(" shown ");
	putdec(w);
	puts_dbg("x");
	putdec(h);
	puts_dbg(" base ");
	puthex(base);
	puts_dbg("\n");
}

void __attribute__((noreturn)) display_main(uint32_t mbi)
{
	volatile uint32_t *fb;
	uint32_t w, h, b, st, gen, n;

	puts_dbg("display\n");
	/* changes from now on are reported (wait_go) */
	wr(JMGPU_VF_INT_STATUS, JMGPU_VF_INT_DISPLAY);
	edid_mode(mbi, &w, &h);
	fb = fb_map();
	wr(JMGPU_VF_INT_MASK, 0);
	/* buffer A at 0, buffer B at the next aligned base after it */
	b = (w * h * 4 + JMGPU_SCANOUT_BASE_ALIGN - 1) &
	    ~(JMGPU_SCANOUT_BASE_ALIGN - 1);
	if (2ull * b > rd(JMGPU_VF_FB_SIZE_LO) && !rd(JMGPU_VF_FB_SIZE_HI))
		finish(EXIT_MODE, "two buffers do not fit the slice");
	draw(fb, 0, w, h, 1);
	flip(0, w, h, 1);
	wait_go(2);
	draw(fb, b, w, h, 2);
	flip(b, w, h, 2);
	wait_go(3);
	/* stride one pixel short of the width: refused, frame 2 stays */
	gen = rd(JMGPU_VF_SCANOUT_GEN);
	plane(0, w, h, (w - 1) * 4);
	wr(JMGPU_VF_SCANOUT_COMMIT, 1);
	st = rd(JMGPU_VF_SCANOUT_STATUS);
	puts_dbg("bad commit status ");
	putdec(st);
	puts_dbg("\n");
	if (st != JMGPU_SCANOUT_BAD_STRIDE)
		finish(EXIT_BADOK, "bad stride not refused with BAD_STRIDE");
	for (n = 0; n < 20000; n++)	/* a few vblanks of reads */
		(void)rd(JMGPU_VF_VBLANK_COUNT);
	if (rd(JMGPU_VF_SCANOUT_GEN) != gen ||
	    rd(JMGPU_VF_ACTIVE_BASE_LO) != b ||
	    rd(JMGPU_VF_ACTIVE_STRIDE) != w * 4)
		finish(EXIT_BADOK, "the refused commit changed the active plane");
	puts_dbg("bad commit refused, frame 2 stays\n");
	wait_go(4);
	finish(EXIT_DISPLAY_OK, "display done");
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * jmgpu device model qtests: drive the PF/VF registers, the firmware
 * mailbox, the engines and fault injection of the QEMU device through
 * the qtest protocol, no guest needed. TAP output.
 *
 * usage: jmgpu-qtest <qemu-system-x86_64> [group-name...]
 *
 * Each group is its own TAP stream with its plan first; it ends by
 * quitting QEMU and checking QEMU exited with status 0. A QEMU that dies
 * (crash, exit, no reply, the group's time limit of 120 s or
 * $JMGPU_QTEST_TIMEOUT) ends the group at once with a failure saying why,
 * so no check ever sees the zeros of a dead QEMU, and the stream falls
 * short of its plan. Exit status 1 when any group failed.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "qt.h"
#include "jmgpu_fw_iface.h"
#include "jmgpu_fw_validate.h"

/* ---------------- TAP ---------------- */

/*
 * Each group is one TAP stream: "1..M" (its declared count) first, each
 * result printed as it happens. A group that stops early therefore
 * produces fewer results than its plan. Diagnostics queued with diag()
 * are printed under the next result if it fails.
 */
static int tap_n, nfail;
static char diag_buf[4096];

__attribute__((format(printf, 1, 2)))
static void diag(const char *fmt, ...)
{
	size_t l = strlen(diag_buf);
	va_list ap;

	if (l >= sizeof(diag_buf) - 2)
		return;
	va_start(ap, fmt);
	vsnprintf(diag_buf + l, sizeof(diag_buf) - l - 1, fmt, ap);
	va_end(ap);
	l = strlen(diag_buf);
	diag_buf[l] = '\n';
	diag_buf[l + 1] = 0;
}

/* Print @text as TAP comment lines */
static void print_comment(const char *text)
{
	const char *p = text;

	while (*p) {
		size_t n = strcspn(p, "\n");

		printf("#   %.*s\n", (int)n, p);
		p += n;
		if (*p)
			p++;
	}
}

__attribute__((format(printf, 2, 3)))
static bool check(bool ok, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("%s %d - %s\n", ok ? "ok" : "not ok", ++tap_n, msg);
	if (!ok) {
		nfail++;
		print_comment(diag_buf);
		fprintf(stderr, "# FAIL: %s\n", msg);
	}
	diag_buf[0] = 0;
	fflush(stdout);
	return ok;
}

#define CHECK_EQ(got, want, fmt, ...) ({				\
	uint64_t _g = (got), _w = (want);				\
	bool _ok = _g == _w;						\
	if (!_ok)							\
		diag("got 0x%" PRIx64 ", want 0x%" PRIx64, _g, _w);	\
	check(_ok, fmt, ##__VA_ARGS__);					\
})

/*
 * Stop QEMU through QMP and check it was alive and exits with status 0.
 * Every QEMU a group starts ends with this check (the harness does it for
 * the one still running when the group returns).
 */
static bool qemu_stop(const char *which)
{
	char why[1024];
	bool ok = qt_quit(why, sizeof(why));

	if (!ok)
		diag("%s", why);
	return check(ok, "QEMU%s%s alive and exited cleanly", which ? " " : "",
		     which ? which : "");
}

/* ---------------- platform layout ---------------- */

/* PF at 00:04.0 (01:00.0 behind the root port of the iommu group);
 * VF n at PF + 1 + n */
static int g_pf_bdf = 0x20;
#define PF_DEVFN	g_pf_bdf
#define VF_DEVFN(n)	(PF_DEVFN + 1 + (n))
#define PF_BAR0		0xc0000000ull
#define PF_BAR4		0xc0010000ull
#define VF_BAR0_BASE	0xc0100000ull	/* + n * 16K */
#define VF_BAR4_BASE	0xc0200000ull	/* + n * 4K */
#define PF_BAR2		0x100000000ull
#define VF_BAR2_BASE	0x200000000ull	/* + n * aperture */
#define MSI_PF		0x00100000ull	/* + vec * 4 */
#define MSI_VF(n)	(0x00101000ull + (n) * 0x10)	/* + vec * 4 */
#define RAM_RING	0x00200000ull
#define RAM_BUF		0x00300000ull
#define RAM_FENCE	0x00280000ull
#define BAD_IOVA	(1ull << 46)
#define QOM		"/machine/peripheral/gpu"
#define SRIOV_CAP_ID	0x10

static uint64_t g_aperture = 256ull << 20;
static uint32_t g_boot_status;
static int g_sriov;

#define VF_BAR0(n)	(VF_BAR0_BASE + (uint64_t)(n) * JMGPU_VF_BAR0_SIZE)
#define VF_BAR2(n)	(VF_BAR2_BASE + (uint64_t)(n) * g_aperture)
#define MIB		(1ull << 20)

static uint32_t pf_rd(uint32_t off) { return qt_readl(PF_BAR0 + off); }
static void pf_wr(uint32_t off, uint32_t v) { qt_writel(PF_BAR0 + off, v); }
static uint32_t vf_rd(int n, uint32_t off) { return qt_readl(VF_BAR0(n) + off); }
static void vf_wr(int n, uint32_t off, uint32_t v)
{
	qt_writel(VF_BAR0(n) + off, v);
}

static uint32_t msi_take(uint64_t addr)
{
	uint32_t v = qt_readl(addr);

	qt_writel(addr, 0);
	return v;
}

static void pf_program(void);
static bool fw_hello(void);
static void run_until_idle(int vf, int64_t max_ns);

/* Boot QEMU with the PF at 04.0, BARs assigned, MSI-X enabled. */
static bool setup_raw(const char *props)
{
	char args[512];
	bool is64, pref;

	snprintf(args, sizeof(args), "-device jmgpu,id=gpu,bus=pcie.0,addr=04.0%s%s",
		 props ? "," : "", props ? props : "");
	if (!qt_start(args)) {
		check(false, "QEMU starts with %s", args);
		return false;
	}
	pci_bar_size(PF_DEVFN, 0, &is64, &pref);
	pf_program();
	/* the firmware boots for 1 ms after the PCI reset */
	g_boot_status = pf_rd(JMGPU_PF_STATUS);
	qt_clock_step(2000000);
	return true;
}

/* setup_raw(), then HELLO as a driver does first. */
static bool setup(const char *props)
{
	if (!setup_raw(props))
		return false;
	if (!fw_hello()) {
		check(false, "HELLO after boot");
		return false;
	}
	return true;
}

/* Program the PF's BARs, command register, SR-IOV BARs and MSI-X. */
static void pf_program(void)
{
	pci_bar_set(PF_DEVFN, 0, PF_BAR0, false);
	pci_bar_set(PF_DEVFN, 2, PF_BAR2, true);
	pci_bar_set(PF_DEVFN, 4, PF_BAR4, false);
	pci_cfg_writew(PF_DEVFN, 4, 0x6);	/* MEM + bus master */
	g_sriov = pci_find_ext_cap(PF_DEVFN, SRIOV_CAP_ID);
	/* VF BARs in the SR-IOV capability */
	pci_cfg_writel(PF_DEVFN, g_sriov + 0x24, (uint32_t)VF_BAR0_BASE);
	pci_cfg_writel(PF_DEVFN, g_sriov + 0x24 + 8, (uint32_t)VF_BAR2_BASE);
	pci_cfg_writel(PF_DEVFN, g_sriov + 0x24 + 12, VF_BAR2_BASE >> 32);
	pci_cfg_writel(PF_DEVFN, g_sriov + 0x24 + 16, (uint32_t)VF_BAR4_BASE);
	msix_setup(PF_DEVFN, PF_BAR4, 0, MSI_PF, 0xa000);
	msix_setup(PF_DEVFN, PF_BAR4, 1, MSI_PF + 4, 0xa001);
	pf_wr(JMGPU_PF_INT_MASK, JMGPU_PF_INT_MBOX | JMGPU_PF_INT_EVENT);
}

/* Enable @n VFs on PCI (NumVFs + VF Enable + VF MSE), set up their
 * command registers and MSI-X. */
static void sriov_enable(int n)
{
	int i;

	pci_cfg_writew(PF_DEVFN, g_sriov + 0x10, n);		/* NumVFs */
	pci_cfg_writew(PF_DEVFN, g_sriov + 0x08, 0x9);		/* VFE|MSE */
	for (i = 0; i < n; i++) {
		pci_cfg_writew(VF_DEVFN(i), 4, 0x6);
		msix_setup(VF_DEVFN(i), VF_BAR4_BASE + i * 0x1000, 0,
			   MSI_VF(i), 0xb000 + i * 2);
		msix_setup(VF_DEVFN(i), VF_BAR4_BASE + i * 0x1000, 1,
			   MSI_VF(i) + 4, 0xb001 + i * 2);
	}
}

static void sriov_disable(void)
{
	pci_cfg_writew(PF_DEVFN, g_sriov + 0x08, 0);
	pci_cfg_writew(PF_DEVFN, g_sriov + 0x10, 0);
}

/* ---------------- mailbox ---------------- */

static uint32_t g_seq = 100;
static struct jmgpu_msg_hdr g_rh;	/* last reply header */

/* Submit a raw request; wait for DONE. Returns reply status or -1 on no
 * reply (then MBOX_STATUS is in g_last_mbox). */
static uint32_t g_last_mbox;

static int fw_raw(const struct jmgpu_msg_hdr *h, const void *payload,
		  uint32_t plen, void *resp, uint32_t rsize)
{
	uint8_t buf[JMGPU_MBOX_SIZE];
	int i;

	if (plen > JMGPU_MSG_MAX_PAYLOAD)
		plen = 0;	/* header claims more than the buffer holds */
	memcpy(buf, h, sizeof(*h));
	if (plen)
		memcpy(buf + sizeof(*h), payload, plen);
	qt_memwrite(PF_BAR0 + JMGPU_PF_MBOX_REQ, buf,
		    (sizeof(*h) + plen + 3) & ~3u);
	pf_wr(JMGPU_PF_MBOX_DOORBELL, 1);
	for (i = 0; i < 20; i++) {
		qt_clock_step(10000);
		g_last_mbox = pf_rd(JMGPU_PF_MBOX_STATUS);
		if (g_last_mbox == JMGPU_MBOX_STATUS_DONE)
			break;
	}
	if (g_last_mbox != JMGPU_MBOX_STATUS_DONE)
		return -1;
	qt_memread(PF_BAR0 + JMGPU_PF_MBOX_RESP, &g_rh, sizeof(g_rh));
	if (resp && rsize)
		qt_memread(PF_BAR0 + JMGPU_PF_MBOX_RESP + sizeof(g_rh), resp,
			   rsize);
	return le16toh(g_rh.status);
}

static int fw_cmd_len(unsigned int op, const void *req, uint32_t len,
		      void *resp, uint32_t rsize)
{
	struct jmgpu_msg_hdr h = {
		.opcode = htole16(op), .seq = htole32(++g_seq),
		.len = htole32(len),
	};

	return fw_raw(&h, req, len, resp, rsize);
}

static int fw_cmd(unsigned int op, const void *req, void *resp,
		  uint32_t rsize)
{
	int l = jmgpu_req_payload_len(op);

	return fw_cmd_len(op, req, l < 0 ? 0 : l, resp, rsize);
}

static int vf_req(unsigned int op, uint32_t vf, void *resp, uint32_t rsize)
{
	struct jmgpu_vf_req r = { .vf = htole32(vf) };

	return fw_cmd(op, &r, resp, rsize);
}

static int provision(uint32_t vf, uint64_t off, uint64_t size,
		     uint32_t weight, uint32_t codec, uint32_t heads,
		     uint32_t w, uint32_t h)
{
	struct jmgpu_vf_config c = {
		.vf = htole32(vf), .engine_weight = htole32(weight),
		.fb_offset = htole64(off), .fb_size = htole64(size),
		.codec_sessions = htole32(codec),
		.display_heads = htole16(heads),
		.max_width = htole32(w), .max_height = htole32(h),
	};

	return fw_cmd(JMGPU_CMD_VF_PROVISION, &c, NULL, 0);
}

/* A headless VF of weight 10 with JMGPU_VF_CFG_* @flags. */
static int provision_flags(uint32_t vf, uint64_t off, uint64_t size,
			   uint16_t flags)
{
	struct jmgpu_vf_config c = {
		.vf = htole32(vf), .engine_weight = htole32(10),
		.fb_offset = htole64(off), .fb_size = htole64(size),
		.flags = htole16(flags),
	};

	return fw_cmd(JMGPU_CMD_VF_PROVISION, &c, NULL, 0);
}

static int vf_enable(uint32_t n)
{
	struct jmgpu_vf_enable_req r = { .num_vfs = htole32(n) };

	return fw_cmd(JMGPU_CMD_VF_ENABLE, &r, NULL, 0);
}

static bool get_stats(uint32_t vf, struct jmgpu_vf_stats *st)
{
	memset(st, 0, sizeof(*st));
	return vf_req(JMGPU_CMD_VF_GET_STATS, vf, st, sizeof(*st)) == 0;
}

/* Pop all pending events; returns count, fills up to max. */
static int events(struct jmgpu_event *ev, int max)
{
	uint32_t head = pf_rd(JMGPU_PF_EVQ_HEAD);
	uint32_t tail = pf_rd(JMGPU_PF_EVQ_TAIL);
	int n = 0;

	while (tail != head) {
		struct jmgpu_event e;

		qt_memread(PF_BAR0 + JMGPU_PF_EVQ + tail * JMGPU_EVENT_SIZE,
			   &e, sizeof(e));
		if (n < max)
			ev[n] = e;
		n++;
		tail = (tail + 1) % JMGPU_EVQ_ENTRIES;
	}
	pf_wr(JMGPU_PF_EVQ_TAIL, tail);
	return n;
}

static bool has_event(struct jmgpu_event *ev, int n, int type, int vf,
		      uint32_t *data)
{
	int i;

	for (i = 0; i < n && i < 64; i++) {
		if (le16toh(ev[i].type) == type && le16toh(ev[i].vf) == vf) {
			if (data)
				*data = le32toh(ev[i].data);
			return true;
		}
	}
	return false;
}

/*
 * HELLO with this interface version: the firmware refuses every command
 * but HELLO, PING and GET_LOG until then, after boot and after each reset.
 */
static bool fw_hello(void)
{
	struct jmgpu_hello_req hr = {
		.driver_version = htole32(JMGPU_FW_IFACE_VERSION),
	};
	struct jmgpu_hello_resp hs;

	return fw_cmd(JMGPU_CMD_HELLO, &hr, &hs, sizeof(hs)) == JMGPU_STATUS_OK;
}

/* Common bring-up: HELLO, then n VFs on PCI and in firmware. */
static bool bringup(int n)
{
	sriov_enable(n);
	return fw_hello() && vf_enable(n) == JMGPU_STATUS_OK;
}

/* ---------------- engine helpers ---------------- */

static void job_fill(struct jmgpu_job *j, uint32_t op, uint32_t flags,
		     uint64_t src, uint64_t dst, uint64_t len, uint32_t fill,
		     uint64_t fence)
{
	memset(j, 0, sizeof(*j));
	j->opcode = htole32(op);
	j->flags = htole32(flags);
	j->src = htole64(src);
	j->dst = htole64(dst);
	j->len = htole64(len);
	j->fill = htole32(fill);
	j->fence = htole64(fence);
}

/* Ring of @size entries at @base (RAM IOVA, or FB offset with in_fb). */
static void ring_setup(int vf, uint64_t base, uint32_t size, uint32_t ctrl,
		       uint64_t fence)
{
	vf_wr(vf, JMGPU_VF_RING_CTRL, 0);
	vf_wr(vf, JMGPU_VF_RING_BASE_LO, (uint32_t)base);
	vf_wr(vf, JMGPU_VF_RING_BASE_HI, base >> 32);
	vf_wr(vf, JMGPU_VF_RING_SIZE, size);
	vf_wr(vf, JMGPU_VF_FENCE_ADDR_LO, (uint32_t)fence);
	vf_wr(vf, JMGPU_VF_FENCE_ADDR_HI, fence >> 32);
	vf_wr(vf, JMGPU_VF_INT_MASK, 7);
	vf_wr(vf, JMGPU_VF_RING_CTRL, ctrl | JMGPU_RING_CTRL_ENABLE);
}

static void ring_put(int vf, uint64_t addr, bool in_fb,
		     const struct jmgpu_job *j)
{
	qt_memwrite(in_fb ? VF_BAR2(vf) + addr : addr, j, sizeof(*j));
}

/* ---------------- tests ---------------- */

static bool log_has(const char *needle)
{
	char *t = qt_log_text();
	bool r = t && strstr(t, needle);

	free(t);
	return r;
}

/* Does the firmware log (GET_LOG, the newest 64 KiB) contain @needle? */
static bool fw_log_has(const char *needle)
{
	static char text[64 * 1024 + 1];
	struct jmgpu_log_req lr;
	uint8_t buf[16 + JMGPU_LOG_CHUNK];
	struct jmgpu_log_resp *o = (struct jmgpu_log_resp *)buf;
	uint32_t off = 0, len = 0, n;

	do {
		lr.offset = htole32(off);
		lr.max_len = htole32(JMGPU_LOG_CHUNK);
		if (fw_cmd(JMGPU_CMD_GET_LOG, &lr, buf, sizeof(buf)) != 0)
			return false;
		n = le32toh(o->len);
		if (n > JMGPU_LOG_CHUNK || len + n >= sizeof(text))
			return false;
		memcpy(text + len, o->text, n);
		len += n;
		off = le32toh(o->next);
	} while (n);
	text[len] = '\0';
	return strstr(text, needle) != NULL;
}

/*
 * The identification and layout the documents promise, with the values
 * written out here from Documentation/hardware-model.rst and
 * firmware-interface.rst: the header the model is built from is what is
 * checked, so a wrong constant there cannot hide behind a shared macro.
 */
struct lit_reg {
	uint32_t off;
	const char *name;
	uint32_t val;
};

/* Read each register of @t at @bar; diag names the first wrong one. */
static bool lit_regs_ok(uint64_t bar, const struct lit_reg *t, size_t n)
{
	bool ok = true;
	size_t i;

	for (i = 0; i < n; i++) {
		uint32_t v = qt_readl(bar + t[i].off);

		if (v != t[i].val) {
			diag("%s (0x%03x) reads 0x%x, want 0x%x", t[i].name,
			     t[i].off, v, t[i].val);
			ok = false;
		}
	}
	return ok;
}

/*
 * A mailbox exchange in the documented byte layout: header opcode (u16 at
 * 0), status (u16 at 2), seq (4), len (8), reserved (12), payload at 16;
 * request buffer 0x1000, doorbell 0x100, MBOX_STATUS 0x104 (2 = DONE),
 * response buffer 0x2000. Returns the reply's status, -1 without a reply,
 * -2 when the reply does not echo opcode and seq. The reply (header and
 * payload) goes to @rsp.
 */
static int lit_mbox(uint16_t op, uint32_t len, const uint8_t *payload,
		    uint8_t *rsp, size_t rlen)
{
	uint8_t req[16 + 64];
	uint32_t seq = ++g_seq;
	int i;

	memset(req, 0, sizeof(req));
	req[0] = op;
	req[1] = op >> 8;
	for (i = 0; i < 4; i++) {
		req[4 + i] = seq >> (8 * i);
		req[8 + i] = len >> (8 * i);
	}
	if (len && len <= 64)
		memcpy(req + 16, payload, len);
	qt_memwrite(PF_BAR0 + 0x1000, req, 16 + ((len <= 64 ? len : 0) + 3) / 4 * 4);
	qt_writel(PF_BAR0 + 0x100, 1);
	for (i = 0; i < 20 && qt_readl(PF_BAR0 + 0x104) != 2; i++)
		qt_clock_step(10000);
	if (qt_readl(PF_BAR0 + 0x104) != 2)
		return -1;
	qt_memread(PF_BAR0 + 0x2000, rsp, rlen);
	if ((rsp[0] | rsp[1] << 8) != op ||
	    (uint32_t)(rsp[4] | rsp[5] << 8 | rsp[6] << 16 |
		       (uint32_t)rsp[7] << 24) != seq)
		return -2;
	return rsp[2] | rsp[3] << 8;
}

static uint64_t lit_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* The newest event record, by the documented layout (ring at 0x3000, 40-byte
 * records, EVQ_HEAD 0x040, EVQ_TAIL 0x044): type u16 at 0, vf u16 at 2,
 * data at 4, payload[4] at 8. Consumes all events. */
struct lit_event {
	uint32_t type, vf, data, payload[4];
	int n;
};

static struct lit_event lit_last_event(void)
{
	uint32_t head = pf_rd(0x040), tail = pf_rd(0x044);
	uint64_t rec = PF_BAR0 + 0x3000 + 40 * ((head + 63) % 64);
	struct lit_event e;
	int i;

	e.n = (head - tail + 64) % 64;
	e.type = qt_readw(rec);
	e.vf = qt_readw(rec + 2);
	e.data = qt_readl(rec + 4);
	for (i = 0; i < 4; i++)
		e.payload[i] = qt_readl(rec + 8 + 4 * i);
	pf_wr(0x044, head);
	return e;
}

/* Write a job descriptor by the documented byte offsets: opcode 0, flags
 * 4, src 8, dst 16, len 24, fill 32, fence 40 (64 bytes). */
static void lit_job(uint64_t at, uint32_t op, uint32_t flags, uint64_t src,
		    uint64_t dst, uint64_t len, uint32_t fill, uint64_t fence)
{
	uint8_t d[64];
	int i;

	memset(d, 0, sizeof(d));
	for (i = 0; i < 8; i++) {
		if (i < 4) {
			d[0 + i] = op >> (8 * i);
			d[4 + i] = flags >> (8 * i);
			d[32 + i] = fill >> (8 * i);
		}
		d[8 + i] = src >> (8 * i);
		d[16 + i] = dst >> (8 * i);
		d[24 + i] = len >> (8 * i);
		d[40 + i] = fence >> (8 * i);
	}
	qt_memwrite(at, d, sizeof(d));
}

/* VF3's ring in RAM by literal offsets: base 0x100/0x104, size 0x108,
 * fence address 0x120/0x124, INT_MASK 0x144, RING_CTRL 0x10c (ENABLE 1). */
static void lit_ring(int vf, uint64_t base, uint32_t size, uint32_t ctrl,
		     uint64_t fence)
{
	vf_wr(vf, 0x10c, 0);
	vf_wr(vf, 0x100, (uint32_t)base);
	vf_wr(vf, 0x104, base >> 32);
	vf_wr(vf, 0x108, size);
	vf_wr(vf, 0x120, (uint32_t)fence);
	vf_wr(vf, 0x124, fence >> 32);
	vf_wr(vf, 0x10c, ctrl | 1);
}

static void test_ident(void)
{
	/* firmware-interface.rst, Commands: opcode, request length; the
	 * status a request of 0xff bytes gets before any VF exists, and the
	 * payload length of its reply */
	static const struct {
		uint16_t op;
		const char *name;
		uint32_t req, status, resp;
	} cmds[] = {
		{ 0x01, "HELLO", 8, 3, 0 },
		{ 0x02, "GET_CAPS", 0, 0, 56 },
		{ 0x10, "VF_ENABLE", 8, 3, 0 },
		{ 0x11, "VF_DISABLE", 0, 5, 0 },
		{ 0x12, "VF_PROVISION", 40, 4, 0 },
		{ 0x13, "VF_UNPROVISION", 8, 3, 0 },
		{ 0x14, "VF_RESET", 8, 3, 0 },
		{ 0x15, "VF_GET_STATS", 8, 3, 0 },
		{ 0x16, "VF_QUERY", 8, 3, 0 },
		{ 0x17, "VF_MSG_REPLY", 24, 3, 0 },
		{ 0x20, "SET_SCHED", 8, 3, 0 },
		{ 0x21, "GET_SCHED", 0, 0, 8 },
		{ 0x30, "PING", 8, 0, 8 },
		{ 0x31, "GET_LOG", 8, 3, 0 },
	};
	/* GET_CAPS reply: offset, size, value (default properties) */
	static const struct {
		int off, size;
		const char *name;
		uint64_t val;
	} caps[] = {
		{ 0, 8, "fb_size", 2ull << 30 }, { 8, 8, "vf_aperture", 256 * MIB },
		{ 16, 4, "fb_granule", 4 * MIB }, { 20, 4, "max_vfs", 32 },
		{ 24, 4, "num_engines", 32 }, { 28, 4, "codec_sessions", 64 },
		{ 32, 4, "display_heads", 4 }, { 36, 4, "max_width", 7680 },
		{ 40, 4, "max_height", 4320 }, { 44, 4, "max_weight", 100 },
		{ 48, 4, "engine_rate", 1000 }, { 52, 4, "reserved", 0 },
	};
	static const struct lit_reg pf_ro[] = {
		{ 0x000, "MAGIC", 0x504d474a },
		{ 0x004, "HW_REV", 0x00010000 },
		{ 0x008, "FW_IFACE_VERSION", 0x00010003 },
		{ 0x00c, "CAPS", 0x1f },
		{ 0x01c, "HEARTBEAT_PERIOD_US", 1000 },
		{ 0x028, "FB_SIZE_LO", 0x80000000 },
		{ 0x02c, "FB_SIZE_HI", 0 },
		{ 0x048, "EVQ_OVERFLOW", 0 },
		{ 0x104, "MBOX_STATUS", 0 },
	};
	/* VF3 provisioned: 64 MiB at 192 MiB, weight 25, 8 codec sessions,
	 * one head of 1920x1080 */
	static const struct lit_reg vf_ro[] = {
		{ 0x000, "ID", 3 },
		{ 0x004, "STATUS", 0x9 },	/* PROVISIONED | ENABLED */
		{ 0x008, "FB_SIZE_LO", 64 << 20 },
		{ 0x00c, "FB_SIZE_HI", 0 },
		{ 0x010, "MAX_WIDTH", 1920 },
		{ 0x014, "MAX_HEIGHT", 1080 },
		{ 0x018, "CODEC_SESSIONS", 8 },
		{ 0x01c, "ENGINE_WEIGHT", 25 },
	};
	/* written, then read back: every register holds its own value */
	static const struct lit_reg vf_rw[] = {
		{ 0x100, "RING_BASE_LO", 0x00201040 },
		{ 0x104, "RING_BASE_HI", 0x1 },
		{ 0x108, "RING_SIZE", 0x40 },
		{ 0x120, "FENCE_ADDR_LO", 0x00281008 },
		{ 0x124, "FENCE_ADDR_HI", 0x2 },
		{ 0x144, "INT_MASK", 0x5 },
		{ 0x204, "SCANOUT_BASE_LO", 0x1000 },
		{ 0x20c, "SCANOUT_WIDTH", 640 },
		{ 0x210, "SCANOUT_HEIGHT", 480 },
		{ 0x214, "SCANOUT_STRIDE", 2560 },
		{ 0x218, "SCANOUT_FORMAT", 0x34325258 },
		{ 0x200, "SCANOUT_ENABLE", 1 },
		{ 0x300, "MSG_OUT[0]", 0xa0000001 },
		{ 0x304, "MSG_OUT[1]", 0xa0000002 },
		{ 0x308, "MSG_OUT[2]", 0xa0000003 },
		{ 0x30c, "MSG_OUT[3]", 0xa0000004 },
	};
	const uint64_t slice = 192 * MIB;	/* VF3's slice in VRAM */
	uint8_t rsp[16 + 64], ff[64];
	struct lit_event e;
	bool is64, pref, ok;
	uint64_t sz;
	size_t k;
	int cap, exp, i, r, r2;

	if (!setup_raw(NULL))
		return;
	CHECK_EQ(pci_cfg_readl(PF_DEVFN, 0), 0x00011ee7, "PF vendor/device id "
		 "1ee7:0001");
	CHECK_EQ(pci_cfg_readl(PF_DEVFN, 8), 0x03020001,
		 "PF class code 0x030200 (3D controller), revision 1");
	CHECK_EQ(pci_cfg_readl(PF_DEVFN, 0x2c), 0x00011ee7,
		 "PF subsystem 1ee7:0001");
	sz = pci_bar_size(PF_DEVFN, 0, &is64, &pref);
	check(sz == 0x10000 && !is64, "PF BAR0 64 KiB, 32-bit (0x%" PRIx64 ")",
	      sz);
	sz = pci_bar_size(PF_DEVFN, 2, &is64, &pref);
	check(sz == 2ull << 30 && is64 && pref,
	      "PF BAR2 = vram-size 2 GiB, 64-bit prefetchable (0x%" PRIx64 ")",
	      sz);
	sz = pci_bar_size(PF_DEVFN, 4, &is64, &pref);
	cap = pci_find_cap(PF_DEVFN, 0x11);
	check(cap && (pci_cfg_readw(PF_DEVFN, cap + 2) & 0x7ff) + 1 == 2 &&
	      (pci_cfg_readl(PF_DEVFN, cap + 4) & 7) == 4 && sz == 4096 &&
	      pci_cfg_readb(PF_DEVFN, 0x3d) == 0,
	      "PF MSI-X: 2 vectors in exclusive 4 KiB BAR4, no INTx pin");
	exp = pci_find_cap(PF_DEVFN, 0x10);
	check(exp == 0xa0 && (pci_cfg_readl(PF_DEVFN, exp + 4) & (1u << 28)),
	      "PF PCIe capability at 0xa0 with FLR");
	check(pci_find_ext_cap(PF_DEVFN, 0x01) == 0x100 &&
	      pci_find_ext_cap(PF_DEVFN, 0x0e) == 0x148 &&
	      pci_find_ext_cap(PF_DEVFN, 0x0d) == 0x150 && g_sriov == 0x160,
	      "PF extended capabilities AER 0x100, ARI 0x148, ACS 0x150, "
	      "SR-IOV 0x160");
	check(pci_cfg_readw(PF_DEVFN, g_sriov + 0x0c) == 32 &&
	      pci_cfg_readw(PF_DEVFN, g_sriov + 0x0e) == 32,
	      "SR-IOV InitialVFs = TotalVFs = 32");
	CHECK_EQ(pci_cfg_readl(PF_DEVFN, g_sriov + 0x14), 0x00010001,
		 "SR-IOV VF offset 1, stride 1");
	CHECK_EQ(pci_cfg_readw(PF_DEVFN, g_sriov + 0x1a), 0x0002,
		 "SR-IOV VF device id 0x0002");
	/* VF BAR sizes through the SR-IOV BARs */
	{
		int b0 = g_sriov + 0x24;

		pci_cfg_writel(PF_DEVFN, b0, 0xffffffff);
		sz = ~(uint64_t)(pci_cfg_readl(PF_DEVFN, b0) & ~0xfu) + 1;
		sz &= 0xffffffff;
		pci_cfg_writel(PF_DEVFN, b0, (uint32_t)VF_BAR0_BASE);
		CHECK_EQ(sz, 0x4000, "VF BAR0 16 KiB");
		pci_cfg_writel(PF_DEVFN, b0 + 8, 0xffffffff);
		pci_cfg_writel(PF_DEVFN, b0 + 12, 0xffffffff);
		sz = ~(((uint64_t)pci_cfg_readl(PF_DEVFN, b0 + 12) << 32) |
		       (pci_cfg_readl(PF_DEVFN, b0 + 8) & ~0xfu)) + 1;
		check((pci_cfg_readl(PF_DEVFN, b0 + 8) & 0xe) == 0xc &&
		      sz == 256 * MIB, "VF BAR2 = vf-aperture 256 MiB, 64-bit "
		      "prefetchable");
		pci_cfg_writel(PF_DEVFN, b0 + 8, (uint32_t)VF_BAR2_BASE);
		pci_cfg_writel(PF_DEVFN, b0 + 12, VF_BAR2_BASE >> 32);
		pci_cfg_writel(PF_DEVFN, b0 + 16, 0xffffffff);
		sz = ~(uint64_t)(pci_cfg_readl(PF_DEVFN, b0 + 16) & ~0xfu) + 1;
		sz &= 0xffffffff;
		pci_cfg_writel(PF_DEVFN, b0 + 16, (uint32_t)VF_BAR4_BASE);
		CHECK_EQ(sz, 0x1000, "VF BAR4 4 KiB");
	}
	check(lit_regs_ok(PF_BAR0, pf_ro, sizeof(pf_ro) / sizeof(pf_ro[0])),
	      "PF BAR0 read-only registers at their documented offsets "
	      "(MAGIC, HW_REV, FW_IFACE_VERSION, CAPS, HEARTBEAT_PERIOD_US, "
	      "FB_SIZE, EVQ_OVERFLOW, MBOX_STATUS)");
	CHECK_EQ(g_boot_status, 0x4, "STATUS (0x010) RESETTING (bit 2) right "
		 "after power-on");
	CHECK_EQ(pf_rd(0x010), 0x1, "STATUS FW_READY (bit 0) 1 ms later");
	e = lit_last_event();
	check(e.n == 1 && e.type == 4 && (pf_rd(0x020) & 2) &&
	      msi_take(MSI_PF + 4) == 0xa001, "after boot: one event "
	      "FW_RESET_DONE (type 4) at 0x3000, INT_STATUS (0x020) EVENT "
	      "(bit 1), MSI-X vector 1");
	{
		uint32_t hb0 = pf_rd(0x018), hb1;

		qt_clock_step(10 * 1000 * 1000);
		hb1 = pf_rd(0x018);
		check(hb1 - hb0 >= 9 && hb1 - hb0 <= 11,
		      "HEARTBEAT (0x018) advances 1/ms of virtual time (%u)",
		      hb1 - hb0);
	}
	/* the mailbox in documented bytes: PING echoes its cookie */
	{
		static const uint8_t cookie[8] = {
			0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,
		};

		pf_wr(0x020, 3);	/* INT_STATUS is RW1C */
		r = lit_mbox(0x30, 8, cookie, rsp, 24);
		if (r != 0)
			diag("PING status %d", r);
		check(r == 0 && lit_le(rsp + 8, 4) == 8 &&
		      lit_le(rsp + 12, 4) == 0 && !memcmp(rsp + 16, cookie, 8) &&
		      (pf_rd(0x020) & 1) && msi_take(MSI_PF) == 0xa000,
		      "mailbox by documented bytes (request 0x1000, doorbell "
		      "0x100, MBOX_STATUS 0x104, reply 0x2000): PING 0x30 echoes "
		      "its cookie, INT_STATUS MBOX (bit 0), MSI-X vector 0");
	}
	/* HELLO (0x01) first: until then only HELLO, PING, GET_LOG answer */
	{
		static const uint8_t hello[8] = {
			JMGPU_FW_IFACE_VERSION & 0xff,
			(JMGPU_FW_IFACE_VERSION >> 8) & 0xff,
			(JMGPU_FW_IFACE_VERSION >> 16) & 0xff,
			JMGPU_FW_IFACE_VERSION >> 24,
		};

		r = lit_mbox(0x02, 0, NULL, rsp, 16);
		r2 = lit_mbox(0x01, 8, hello, rsp, 24);
		check(r == 5 && r2 == 0 && lit_le(rsp + 16, 4) ==
		      JMGPU_FW_IFACE_VERSION && lit_mbox(0x02, 0, NULL, rsp, 16) == 0,
		      "before HELLO GET_CAPS is refused BAD_STATE 5; HELLO (0x01, "
		      "driver version at 0) OK with the firmware's version at 0 of "
		      "the reply; then GET_CAPS OK");
	}
	/* every opcode with its exact length and with one byte more */
	memset(ff, 0xff, sizeof(ff));
	ok = true;
	for (k = 0; k < sizeof(cmds) / sizeof(cmds[0]); k++) {
		int r2;

		r = lit_mbox(cmds[k].op, cmds[k].req, ff, rsp, 16);
		sz = lit_le(rsp + 8, 4);
		r2 = lit_mbox(cmds[k].op, cmds[k].req + 1, ff, rsp, 16);
		if (r != (int)cmds[k].status || sz != cmds[k].resp || r2 != 2) {
			diag("%s (0x%02x): len %u -> status %d len %" PRIu64
			     " (want %u len %u); len %u -> %d (want 2 BAD_LEN)",
			     cmds[k].name, cmds[k].op, cmds[k].req, r, sz,
			     cmds[k].status, cmds[k].resp, cmds[k].req + 1, r2);
			ok = false;
		}
	}
	check(ok, "mailbox: the 14 opcodes with their documented request "
	      "lengths, status codes OK 0 / BAD_LEN 2 / BAD_PARAM 3 / BAD_VF 4 "
	      "/ BAD_STATE 5 and reply lengths");
	r = lit_mbox(0x02, 0, NULL, rsp, sizeof(rsp));
	ok = r == 0;
	for (k = 0; ok && k < sizeof(caps) / sizeof(caps[0]); k++) {
		uint64_t v = lit_le(rsp + 16 + caps[k].off, caps[k].size);

		if (v != caps[k].val) {
			diag("GET_CAPS %s (offset %d) is 0x%" PRIx64 ", want 0x%"
			     PRIx64, caps[k].name, caps[k].off, v, caps[k].val);
			ok = false;
		}
	}
	check(ok, "GET_CAPS reply fields at their documented offsets");
	{
		uint8_t hello[8] = { 0, 0, 2, 0 };	/* driver 2.0 */

		r = lit_mbox(0x03, 0, NULL, rsp, 16);
		i = lit_mbox(0x01, 8, hello, rsp, 16);
		check(r == 1 && i == 7, "status codes UNKNOWN_CMD 1 (opcode "
		      "0x03: %d), VERSION 7 (HELLO from 2.0: %d)", r, i);
	}
	/* 32 VFs on PCI: each answers in its own BAR0 with its index */
	sriov_enable(32);
	for (i = 0; i < 32; i++)
		if (vf_rd(i, 0x000) != (uint32_t)i)
			break;
	CHECK_EQ(i, 32, "all 32 VFs enabled, ID (0x000) = index in own BAR0");
	exp = pci_find_cap(VF_DEVFN(7), 0x10);
	check(exp == 0xa0 && (pci_cfg_readl(VF_DEVFN(7), exp + 4) & (1u << 28)) &&
	      pci_find_ext_cap(VF_DEVFN(7), 0x0e) == 0x100 &&
	      pci_find_ext_cap(VF_DEVFN(7), 0x0d) == 0x108,
	      "VF7 (function 0 of a slot) has FLR (PCIe cap 0xa0), ARI 0x100 "
	      "and ACS 0x108");
	cap = pci_find_cap(VF_DEVFN(3), 0x11);
	CHECK_EQ(cap ? (pci_cfg_readw(VF_DEVFN(3), cap + 2) & 0x7ff) + 1 : 0,
		 2, "VF MSI-X 2 vectors");
	CHECK_EQ(vf_rd(0, 0x004), 0, "VF STATUS (0x004) 0 before VF_ENABLE");
	/* bad accesses: value 0, LOG_GUEST_ERROR */
	CHECK_EQ(pf_rd(0x0f0), 0, "undefined PF register reads 0");
	check(log_has("PF BAR0 read of undefined register 0xf0"),
	      "undefined PF register read logged as guest error");
	qt_writew(PF_BAR0 + 0x024, 1);
	check(log_has("registers are 32-bit") &&
	      pf_rd(0x024) == 3, "16-bit write of INT_MASK (0x024) refused and "
	      "logged");
	vf_wr(0, 0x000, 5);
	check(log_has("VF context not set up"), "VF write before VF_ENABLE "
	      "logged");
	pf_wr(0x000, 0);
	check(pf_rd(0x000) == 0x504d474a &&
	      log_has("to read-only or undefined register 0x0"),
	      "write to read-only MAGIC ignored and logged");
	check(qt_readq(VF_BAR0(1) + 0x000) == 0 &&
	      log_has("vf1 BAR0 read at 0x0 size 8"),
	      "64-bit VF register read refused and logged");

	/* VF registers of a set-up, provisioned VF */
	check(vf_enable(32) == 0 &&
	      provision(3, slice, 64 * MIB, 25, 8, 1, 1920, 1080) == 0,
	      "VF_ENABLE 32, provision VF3");
	check(lit_regs_ok(VF_BAR0(3), vf_ro, sizeof(vf_ro) / sizeof(vf_ro[0])),
	      "VF3 read-only registers at their documented offsets (ID, STATUS, "
	      "FB_SIZE, MAX_WIDTH/HEIGHT, CODEC_SESSIONS, ENGINE_WEIGHT)");
	for (k = 0; k < sizeof(vf_rw) / sizeof(vf_rw[0]); k++)
		vf_wr(3, vf_rw[k].off, vf_rw[k].val);
	ok = lit_regs_ok(VF_BAR0(3), vf_rw, sizeof(vf_rw) / sizeof(vf_rw[0]));
	vf_wr(3, 0x220, 1);		/* SCANOUT_COMMIT */
	ok &= vf_rd(3, 0x21c) == 0;
	vf_wr(3, 0x20c, 4000);
	ok &= vf_rd(3, 0x21c) == 0;	/* a pending write checks nothing */
	vf_wr(3, 0x220, 1);
	ok &= vf_rd(3, 0x21c) == 1;
	check(ok, "VF3 read/write registers at their documented offsets hold "
	      "their own values (ring, fence address, INT_MASK, scanout, "
	      "MSG_OUT); SCANOUT_COMMIT (0x220) sets SCANOUT_STATUS (0x21c) "
	      "0 OK, 1 BAD_GEOMETRY");
	vf_wr(3, 0x200, 0);
	vf_wr(3, 0x220, 1);
	/* ring and descriptors by documented offsets */
	qt_memset(RAM_BUF, 0, 0x10000);
	qt_writeq(RAM_FENCE, 0);
	lit_ring(3, RAM_RING, 16, 0, RAM_FENCE);
	vf_wr(3, 0x144, 1);		/* INT_MASK JOB_DONE */
	lit_job(RAM_RING, 2, 0x2, 0, 0x1000, 4096, 0x11223344, 0);
	lit_job(RAM_RING + 64, 1, 0x1, 0x1000, RAM_BUF + 0x2000, 4096, 0, 0);
	lit_job(RAM_RING + 128, 0, 0xc, 0, 0, 0, 0, 0x0123456789abcdefull);
	msi_take(MSI_VF(3));
	vf_wr(3, 0x118, 3);
	ok = vf_rd(3, 0x114) == 3;
	run_until_idle(3, 2000000);
	ok &= vf_rd(3, 0x110) == 3 && vf_rd(3, 0x128) == 0x89abcdef &&
	      vf_rd(3, 0x12c) == 0x01234567 &&
	      qt_readq(RAM_FENCE) == 0x0123456789abcdefull &&
	      (vf_rd(3, 0x140) & 1) && msi_take(MSI_VF(3)) == 0xb006;
	if (!ok)
		diag("TAIL %u HEAD %u FENCE_VALUE 0x%x%08x fence 0x%" PRIx64
		     " INT_STATUS 0x%x", vf_rd(3, 0x114), vf_rd(3, 0x110),
		     vf_rd(3, 0x12c), vf_rd(3, 0x128), qt_readq(RAM_FENCE),
		     vf_rd(3, 0x140));
	ok &= qt_readl(PF_BAR2 + slice + 0x1000) == 0x11223344 &&
	      qt_readl(PF_BAR2 + slice + 0x1ffc) == 0x11223344 &&
	      qt_readl(PF_BAR2 + slice + 0x2000) == 0 &&
	      qt_readl(RAM_BUF + 0x2000) == 0x11223344 &&
	      qt_readl(RAM_BUF + 0x2ffc) == 0x11223344 &&
	      qt_readl(RAM_BUF + 0x3000) == 0;
	check(ok, "VF3 engine by documented offsets: DOORBELL 0x118 -> TAIL "
	      "0x114, HEAD 0x110, FENCE_VALUE 0x128/0x12c, INT_STATUS JOB_DONE "
	      "(bit 0); descriptors FILL 2 / COPY 1 / NOP 0 with flags "
	      "SRC_FB 1, DST_FB 2, IRQ 4, FENCE 8");
	/* ring and fence in the slice: RING_CTRL IN_FB (2), FENCE_IN_FB (4) */
	lit_ring(3, 0x100000, 8, 0x6, 0x200000);
	lit_job(VF_BAR2(3) + 0x100000, 0, 0x8, 0, 0, 0, 0, 0x5151);
	vf_wr(3, 0x118, 1);
	run_until_idle(3, 2000000);
	CHECK_EQ(qt_readq(PF_BAR2 + slice + 0x200000), 0x5151,
		 "RING_CTRL IN_FB (bit 1) and FENCE_IN_FB (bit 2): ring and "
		 "fence in the slice");
	/* fault codes and the fault registers */
	{
		static const struct {
			const char *name;
			uint32_t code;
		} fl[] = {
			{ "BAD_JOB", 3 }, { "DMA", 1 }, { "FB_RANGE", 2 },
			{ "RING", 4 },
		};
		uint64_t addr = 0;

		ok = true;
		for (k = 0; k < sizeof(fl) / sizeof(fl[0]); k++) {
			vf_req(JMGPU_CMD_VF_RESET, 3, NULL, 0);
			lit_last_event();
			lit_ring(3, RAM_RING, 16, 0, RAM_FENCE);
			switch (fl[k].code) {
			case 3:		/* opcode 3 does not exist */
				addr = RAM_RING;
				lit_job(RAM_RING, 3, 0, 0, 0, 64, 0, 0);
				break;
			case 1:
				addr = BAD_IOVA;
				lit_job(RAM_RING, 1, 0x2, BAD_IOVA, 0, 64, 0, 0);
				break;
			case 2:
				addr = 64 * MIB - 8;
				lit_job(RAM_RING, 2, 0x2, 0, addr, 16, 0, 0);
				break;
			case 4:
				addr = RAM_RING;
				vf_wr(3, 0x10c, 0);
				vf_wr(3, 0x108, 3);
				vf_wr(3, 0x10c, 1);
				break;
			}
			if (fl[k].code != 4)
				vf_wr(3, 0x118, 1);
			run_until_idle(3, 1000000);
			e = lit_last_event();
			if (vf_rd(3, 0x150) != fl[k].code ||
			    (vf_rd(3, 0x154) | (uint64_t)vf_rd(3, 0x158) << 32)
			    != addr || !(vf_rd(3, 0x004) & 4) ||
			    !(vf_rd(3, 0x140) & 2) || e.type != 2 || e.vf != 3 ||
			    e.data != fl[k].code || e.payload[0] != (uint32_t)addr ||
			    e.payload[1] != addr >> 32) {
				diag("%s: FAULT_STATUS %u FAULT_ADDR 0x%x%08x "
				     "STATUS 0x%x INT_STATUS 0x%x event type %u vf "
				     "%u data %u", fl[k].name, vf_rd(3, 0x150),
				     vf_rd(3, 0x158), vf_rd(3, 0x154),
				     vf_rd(3, 0x004), vf_rd(3, 0x140), e.type,
				     e.vf, e.data);
				ok = false;
			}
		}
		check(ok, "fault codes BAD_JOB 3, DMA 1, FB_RANGE 2, RING 4 in "
		      "FAULT_STATUS (0x150) / FAULT_ADDR (0x154), STATUS "
		      "ENGINE_FAULT (bit 2), INT_STATUS FAULT (bit 1), "
		      "ENGINE_FAULT event (type 2, data = code, payload = "
		      "address)");
		vf_req(JMGPU_CMD_VF_RESET, 3, NULL, 0);
	}
	/* messages both ways */
	{
		struct jmgpu_vf_msg m = { .vf = htole32(3) };

		vf_wr(3, 0x300, 0xb0000001);
		vf_wr(3, 0x30c, 0xb0000004);
		vf_wr(3, 0x310, 1);
		e = lit_last_event();
		m.data[0] = htole32(0xc0000001);
		m.data[3] = htole32(0xc0000004);
		ok = fw_cmd(JMGPU_CMD_VF_MSG_REPLY, &m, NULL, 0) == 0;
		check(ok && e.type == 3 && e.vf == 3 &&
		      e.payload[0] == 0xb0000001 && e.payload[3] == 0xb0000004 &&
		      vf_rd(3, 0x320) == 0xc0000001 &&
		      vf_rd(3, 0x32c) == 0xc0000004 && (vf_rd(3, 0x140) & 4),
		      "VF messages: MSG_OUT (0x300) + doorbell (0x310) -> event "
		      "VF_MSG (type 3) with payload; VF_MSG_REPLY -> MSG_IN "
		      "(0x320), INT_STATUS MSG (bit 2)");
	}
	r = provision(4, slice + 60 * MIB, 64 * MIB, 25, 0, 0, 0, 0);
	CHECK_EQ(r, 6, "status code NO_SPACE 6 (overlapping slice)");
	{
		int vexp = pci_find_cap(VF_DEVFN(3), 0x10);

		lit_last_event();
		pci_cfg_writew(VF_DEVFN(3), vexp + 8,
			       pci_cfg_readw(VF_DEVFN(3), vexp + 8) | 0x8000);
		e = lit_last_event();
		check(e.n == 1 && e.type == 1 && e.vf == 3,
		      "VF FLR: event VF_FLR_DONE (type 1) for vf 3");
	}
	/* the test block */
	ok = pf_rd(0x4000) == 0;
	pf_wr(0x4000, 0x7e577e57);
	ok &= pf_rd(0x4000) == 1 && pf_rd(0x4008) == 0 && pf_rd(0x400c) == 0;
	pf_wr(0x4004, 0);
	pf_wr(0x4008, 2);		/* DROP_REPLY */
	ok &= pf_rd(0x4008) == 1u << 2;
	r = lit_mbox(0x30, 8, ff, rsp, 16);
	ok &= r == -1 && pf_rd(0x104) == 0 && pf_rd(0x4008) == 0;
	check(ok, "test block: TEST_UNLOCK (0x4000) key 0x7e577e57, TEST_FAULT "
	      "(0x4008) DROP_REPLY 2 armed as mask bit 2, next reply dropped, "
	      "TEST_FW_VERSION (0x400c) 0");
	/* CONTROL (0x014) RESET */
	lit_last_event();
	pf_wr(0x014, 1);
	ok = pf_rd(0x010) == 0x4;
	qt_clock_step(2000000);
	e = lit_last_event();
	check(ok && pf_rd(0x010) == 0x1 && e.type == 4 &&
	      vf_req(JMGPU_CMD_VF_QUERY, 3, NULL, 0) == 5 && fw_hello() &&
	      vf_req(JMGPU_CMD_VF_QUERY, 3, NULL, 0) == 4,
	      "CONTROL (0x014) bit 0: firmware reset, RESETTING then FW_READY, "
	      "FW_RESET_DONE, commands refused (BAD_STATE 5) until HELLO, then "
	      "VF contexts gone (BAD_VF 4)");
	sriov_disable();
}

static void test_fw(void)
{
	struct jmgpu_hello_req hr = { .driver_version = htole32(JMGPU_FW_IFACE_VERSION) };
	struct jmgpu_hello_resp hs;
	struct jmgpu_caps caps;
	struct jmgpu_vf_config q;
	struct jmgpu_vf_stats st;
	struct jmgpu_sched sc;
	struct jmgpu_ping ping = { .cookie = htole64(0x1122334455667788ull) }, pr;
	struct jmgpu_log_req lr;
	struct jmgpu_msg_hdr h;
	struct jmgpu_event ev[64];
	uint8_t buf[4096];
	int r, n, i;

	if (!setup(NULL))
		return;
	msi_take(MSI_PF);
	r = fw_cmd(JMGPU_CMD_HELLO, &hr, &hs, sizeof(hs));
	check(r == 0 && le32toh(hs.fw_version) == JMGPU_FW_IFACE_VERSION &&
	      le32toh(g_rh.len) == 8 && le32toh(g_rh.seq) == g_seq &&
	      le16toh(g_rh.opcode) == JMGPU_CMD_HELLO,
	      "HELLO: OK, fw version, seq/opcode echoed");
	check(jmgpu_check_reply_hdr(&g_rh, JMGPU_MSG_MAX_PAYLOAD,
				    JMGPU_CMD_HELLO, g_seq) == 0,
	      "HELLO reply passes the shared reply validator");
	check((pf_rd(JMGPU_PF_INT_STATUS) & JMGPU_PF_INT_MBOX) &&
	      msi_take(MSI_PF) == 0xa000, "mailbox completion: INT_MBOX and "
	      "MSI-X vector 0");
	pf_wr(JMGPU_PF_INT_STATUS, JMGPU_PF_INT_MBOX);
	CHECK_EQ(pf_rd(JMGPU_PF_INT_STATUS) & JMGPU_PF_INT_MBOX, 0,
		 "INT_STATUS is write-1-to-clear");
	hr.driver_version = htole32(2 << 16);
	r = fw_cmd(JMGPU_CMD_HELLO, &hr, NULL, 0);
	check(r == JMGPU_STATUS_VERSION && g_rh.len == 0,
	      "HELLO major 2 -> VERSION, len 0");
	hr.driver_version = htole32(JMGPU_FW_IFACE_VERSION | 7);
	CHECK_EQ(fw_cmd(JMGPU_CMD_HELLO, &hr, NULL, 0), 0,
		 "HELLO newer minor accepted");
	hr.reserved = htole32(1);
	CHECK_EQ(fw_cmd(JMGPU_CMD_HELLO, &hr, NULL, 0), JMGPU_STATUS_BAD_PARAM,
		 "HELLO reserved -> BAD_PARAM");
	hr.reserved = 0;
	r = fw_cmd(JMGPU_CMD_GET_CAPS, NULL, &caps, sizeof(caps));
	check(r == 0 && le64toh(caps.fb_size) == 2ull << 30 &&
	      le64toh(caps.vf_aperture) == 256 * MIB &&
	      le32toh(caps.fb_granule) == 4 * MIB &&
	      le32toh(caps.max_vfs) == 32 && le32toh(caps.num_engines) == 32 &&
	      le32toh(caps.codec_sessions) == 64 &&
	      le32toh(caps.display_heads) == 4 &&
	      le32toh(caps.max_width) == 7680 &&
	      le32toh(caps.max_height) == 4320 &&
	      le32toh(caps.max_weight) == 100 &&
	      le32toh(caps.engine_rate) == 1000 &&
	      jmgpu_check_caps(&caps) == 0, "GET_CAPS values");
	/* malformed requests */
	CHECK_EQ(fw_cmd_len(0x55, NULL, 0, NULL, 0), JMGPU_STATUS_UNKNOWN_CMD,
		 "unknown opcode -> UNKNOWN_CMD");
	check(g_rh.len == 0 && le16toh(g_rh.opcode) == 0x55,
	      "error reply: len 0, opcode echoed");
	CHECK_EQ(fw_cmd_len(JMGPU_CMD_HELLO, &hr, 4, NULL, 0),
		 JMGPU_STATUS_BAD_LEN, "HELLO len 4 -> BAD_LEN");
	CHECK_EQ(fw_cmd_len(JMGPU_CMD_GET_CAPS, &hr, 8, NULL, 0),
		 JMGPU_STATUS_BAD_LEN, "GET_CAPS with payload -> BAD_LEN");
	CHECK_EQ(fw_cmd_len(JMGPU_CMD_PING, &hr, 5000, NULL, 0),
		 JMGPU_STATUS_BAD_LEN, "len beyond the mailbox -> BAD_LEN");
	memset(&h, 0, sizeof(h));
	h.opcode = htole16(JMGPU_CMD_PING);
	h.len = htole32(8);
	h.seq = htole32(++g_seq);
	h.reserved = htole32(1);
	CHECK_EQ(fw_raw(&h, &ping, 8, NULL, 0), JMGPU_STATUS_BAD_PARAM,
		 "header reserved set -> BAD_PARAM");
	h.reserved = 0;
	h.status = htole16(3);
	CHECK_EQ(fw_raw(&h, &ping, 8, NULL, 0), JMGPU_STATUS_BAD_PARAM,
		 "header status set in a request -> BAD_PARAM");
	check(log_has("mailbox request opcode 0x30"),
	      "bad request logged as guest error");
	/* doorbell while busy */
	pf_wr(JMGPU_PF_MBOX_DOORBELL, 1);
	pf_wr(JMGPU_PF_MBOX_DOORBELL, 1);
	check(pf_rd(JMGPU_PF_MBOX_STATUS) == JMGPU_MBOX_STATUS_BUSY &&
	      log_has("while a request is outstanding"),
	      "doorbell while BUSY ignored and logged");
	qt_clock_step(100000);
	CHECK_EQ(pf_rd(JMGPU_PF_MBOX_STATUS), JMGPU_MBOX_STATUS_DONE,
		 "request completes after BUSY");
	check(qmp_qom_get(QOM, "mbox-ignored", (char *)buf, sizeof(buf)) &&
	      !strcmp((char *)buf, "1"), "ignored doorbell counted (qom-get "
	      "mbox-ignored)");
	check(qmp_qom_get(QOM, "guest-errors", (char *)buf, sizeof(buf)) &&
	      atoi((char *)buf) >= 6, "guest errors counted (qom-get "
	      "guest-errors = %s)", (char *)buf);
	/* VF_ENABLE */
	CHECK_EQ(vf_enable(2), JMGPU_STATUS_BAD_STATE,
		 "VF_ENABLE without PCI VFs -> BAD_STATE");
	CHECK_EQ(vf_enable(0), JMGPU_STATUS_BAD_PARAM, "VF_ENABLE 0 -> BAD_PARAM");
	CHECK_EQ(vf_enable(33), JMGPU_STATUS_BAD_PARAM, "VF_ENABLE 33 -> BAD_PARAM");
	sriov_enable(4);
	CHECK_EQ(vf_enable(3), JMGPU_STATUS_BAD_STATE,
		 "VF_ENABLE 3 with 4 PCI VFs -> BAD_STATE");
	CHECK_EQ(vf_enable(4), 0, "VF_ENABLE 4");
	CHECK_EQ(vf_enable(4), JMGPU_STATUS_BAD_STATE, "VF_ENABLE twice -> BAD_STATE");
	CHECK_EQ(vf_rd(2, JMGPU_VF_STATUS), JMGPU_VF_STATUS_ENABLED,
		 "VF STATUS ENABLED, not provisioned");
	/* VF_PROVISION validation */
	CHECK_EQ(provision(4, 0, 64 * MIB, 25, 0, 0, 0, 0), JMGPU_STATUS_BAD_VF,
		 "PROVISION vf 4 of 4 -> BAD_VF");
	CHECK_EQ(provision(40, 0, 64 * MIB, 25, 0, 0, 0, 0), JMGPU_STATUS_BAD_VF,
		 "PROVISION vf 40 -> BAD_VF");
	CHECK_EQ(provision(0, 1 * MIB, 64 * MIB, 25, 0, 0, 0, 0),
		 JMGPU_STATUS_BAD_PARAM, "PROVISION unaligned offset -> BAD_PARAM");
	CHECK_EQ(provision(0, 0, 65 * MIB, 25, 0, 0, 0, 0),
		 JMGPU_STATUS_BAD_PARAM, "PROVISION unaligned size -> BAD_PARAM");
	CHECK_EQ(provision(0, 0, 0, 25, 0, 0, 0, 0), JMGPU_STATUS_BAD_PARAM,
		 "PROVISION size 0 -> BAD_PARAM");
	CHECK_EQ(provision(0, 0, 512 * MIB, 25, 0, 0, 0, 0),
		 JMGPU_STATUS_BAD_PARAM, "PROVISION size > aperture -> BAD_PARAM");
	CHECK_EQ(provision(0, 2048 * MIB - 4 * MIB, 64 * MIB, 25, 0, 0, 0, 0),
		 JMGPU_STATUS_BAD_PARAM, "PROVISION beyond VRAM -> BAD_PARAM");
	CHECK_EQ(provision(0, 0, 64 * MIB, 0, 0, 0, 0, 0), JMGPU_STATUS_BAD_PARAM,
		 "PROVISION weight 0 -> BAD_PARAM");
	CHECK_EQ(provision(0, 0, 64 * MIB, 101, 0, 0, 0, 0),
		 JMGPU_STATUS_BAD_PARAM, "PROVISION weight 101 -> BAD_PARAM");
	CHECK_EQ(provision(0, 0, 64 * MIB, 25, 0, 5, 1920, 1080),
		 JMGPU_STATUS_BAD_PARAM, "PROVISION 5 heads -> BAD_PARAM");
	CHECK_EQ(provision(0, 0, 64 * MIB, 25, 0, 1, 7681, 1080),
		 JMGPU_STATUS_BAD_PARAM, "PROVISION width 7681 -> BAD_PARAM");
	CHECK_EQ(provision(0, 0, 64 * MIB, 25, 65, 0, 0, 0),
		 JMGPU_STATUS_BAD_PARAM, "PROVISION 65 codec sessions -> BAD_PARAM");
	CHECK_EQ(provision(0, 0, 64 * MIB, 25, 40, 1, 1920, 1080), 0,
		 "PROVISION vf0 64 MiB @0, weight 25, 40 codec, 1 head");
	CHECK_EQ(provision(0, 128 * MIB, 64 * MIB, 25, 0, 0, 0, 0),
		 JMGPU_STATUS_BAD_STATE, "PROVISION vf0 again -> BAD_STATE");
	CHECK_EQ(provision(1, 60 * MIB, 64 * MIB, 25, 0, 0, 0, 0),
		 JMGPU_STATUS_NO_SPACE, "PROVISION overlapping slice -> NO_SPACE");
	CHECK_EQ(provision(1, 64 * MIB, 64 * MIB, 25, 30, 0, 0, 0),
		 JMGPU_STATUS_NO_SPACE, "PROVISION codec beyond remaining -> "
		 "NO_SPACE");
	CHECK_EQ(provision(1, 64 * MIB, 256 * MIB, 50, 24, 0, 0, 0), 0,
		 "PROVISION vf1 adjacent 256 MiB");
	check(vf_rd(0, JMGPU_VF_FB_SIZE_LO) == 64 * MIB &&
	      vf_rd(0, JMGPU_VF_ENGINE_WEIGHT) == 25 &&
	      vf_rd(0, JMGPU_VF_MAX_WIDTH) == 1920 &&
	      vf_rd(0, JMGPU_VF_MAX_HEIGHT) == 1080 &&
	      vf_rd(0, JMGPU_VF_CODEC_SESSIONS) == 40 &&
	      (vf_rd(0, JMGPU_VF_STATUS) & JMGPU_VF_STATUS_PROVISIONED),
	      "VF0 registers show its provisioning");
	r = vf_req(JMGPU_CMD_VF_QUERY, 0, &q, sizeof(q));
	check(r == 0 && le64toh(q.fb_size) == 64 * MIB && q.fb_offset == 0 &&
	      le32toh(q.engine_weight) == 25 && le32toh(q.codec_sessions) == 40 &&
	      jmgpu_check_query(&q, &caps, 0) == 0, "VF_QUERY vf0");
	r = vf_req(JMGPU_CMD_VF_QUERY, 2, &q, sizeof(q));
	check(r == 0 && le32toh(q.vf) == 2 && q.fb_size == 0,
	      "VF_QUERY unprovisioned vf2: zeros");
	CHECK_EQ(vf_req(JMGPU_CMD_VF_QUERY, 9, NULL, 0), JMGPU_STATUS_BAD_VF,
		 "VF_QUERY vf9 -> BAD_VF");
	{
		struct jmgpu_vf_req vr = { .vf = 0, .reserved = htole32(1) };

		CHECK_EQ(fw_cmd(JMGPU_CMD_VF_QUERY, &vr, NULL, 0),
			 JMGPU_STATUS_BAD_PARAM, "VF_QUERY reserved -> BAD_PARAM");
	}
	check(get_stats(1, &st) && le32toh(st.vf) == 1 &&
	      jmgpu_check_stats(&st, 1) == 0 && le64toh(st.timestamp_ns) > 0,
	      "VF_GET_STATS vf1");
	CHECK_EQ(fw_cmd(JMGPU_CMD_VF_DISABLE, NULL, NULL, 0),
		 JMGPU_STATUS_BAD_STATE, "VF_DISABLE while provisioned -> BAD_STATE");
	/* scheduler */
	sc.policy = htole32(3);
	sc.timeslice_us = htole32(1000);
	CHECK_EQ(fw_cmd(JMGPU_CMD_SET_SCHED, &sc, NULL, 0), JMGPU_STATUS_BAD_PARAM,
		 "SET_SCHED policy 3 -> BAD_PARAM");
	sc.policy = htole32(2);
	sc.timeslice_us = htole32(99);
	CHECK_EQ(fw_cmd(JMGPU_CMD_SET_SCHED, &sc, NULL, 0), JMGPU_STATUS_BAD_PARAM,
		 "SET_SCHED slice 99 -> BAD_PARAM");
	sc.timeslice_us = htole32(100001);
	CHECK_EQ(fw_cmd(JMGPU_CMD_SET_SCHED, &sc, NULL, 0), JMGPU_STATUS_BAD_PARAM,
		 "SET_SCHED slice 100001 -> BAD_PARAM");
	sc.timeslice_us = htole32(500);
	CHECK_EQ(fw_cmd(JMGPU_CMD_SET_SCHED, &sc, NULL, 0), 0, "SET_SCHED 2/500");
	memset(&sc, 0, sizeof(sc));
	r = fw_cmd(JMGPU_CMD_GET_SCHED, NULL, &sc, sizeof(sc));
	check(r == 0 && le32toh(sc.policy) == 2 && le32toh(sc.timeslice_us) == 500,
	      "GET_SCHED returns what was set");
	r = fw_cmd(JMGPU_CMD_PING, &ping, &pr, sizeof(pr));
	check(r == 0 && pr.cookie == ping.cookie, "PING echoes the cookie");
	/* VF -> PF message and reply */
	events(ev, 64);
	msi_take(MSI_PF + 4);
	vf_wr(1, JMGPU_VF_MSG_OUT, 0xcafe0001);
	vf_wr(1, JMGPU_VF_MSG_OUT + 12, 0xcafe0004);
	vf_wr(1, JMGPU_VF_MSG_OUT_DOORBELL, 1);
	check((pf_rd(JMGPU_PF_INT_STATUS) & JMGPU_PF_INT_EVENT) &&
	      msi_take(MSI_PF + 4) == 0xa001, "VF message: INT_EVENT + PF MSI-X "
	      "vector 1");
	n = events(ev, 64);
	check(n == 1 && le16toh(ev[0].type) == JMGPU_EVENT_VF_MSG &&
	      le16toh(ev[0].vf) == 1 && le32toh(ev[0].payload[0]) == 0xcafe0001
	      && le32toh(ev[0].payload[3]) == 0xcafe0004 &&
	      jmgpu_check_event(&ev[0], 4) == 0, "VF_MSG event with payload");
	/* masked event source: unmasking delivers the pending interrupt */
	{
		struct jmgpu_vf_msg_ack a = { .vf = htole32(1),
					      .seq = ev[0].data };

		fw_cmd(JMGPU_CMD_VF_MSG_ACK, &a, NULL, 0);
	}
	pf_wr(JMGPU_PF_INT_MASK, JMGPU_PF_INT_MBOX);
	pf_wr(JMGPU_PF_INT_STATUS, JMGPU_PF_INT_EVENT);
	vf_wr(1, JMGPU_VF_MSG_OUT_DOORBELL, 1);
	CHECK_EQ(msi_take(MSI_PF + 4), 0, "no event MSI-X while INT_EVENT masked");
	pf_wr(JMGPU_PF_INT_MASK, JMGPU_PF_INT_MBOX | JMGPU_PF_INT_EVENT);
	CHECK_EQ(msi_take(MSI_PF + 4), 0xa001, "unmasking a pending INT_EVENT "
		 "sends the MSI");
	n = events(ev, 64);
	/* one message in flight: doorbells before the PF's ack are dropped */
	for (i = 0; i < 70; i++)
		vf_wr(1, JMGPU_VF_MSG_OUT_DOORBELL, 1);
	check(n == 1 && events(ev + 1, 63) == 0 &&
	      pf_rd(JMGPU_PF_EVQ_OVERFLOW) == 0 &&
	      vf_rd(1, JMGPU_VF_MSG_OUT_DROPPED) == 70 &&
	      vf_rd(1, JMGPU_VF_MSG_OUT_STATUS) == JMGPU_VF_MSG_OUT_BUSY,
	      "70 doorbells before the ack: no event, 70 in MSG_OUT_DROPPED, "
	      "BUSY");
	{
		struct jmgpu_vf_msg_ack a = { .vf = htole32(1),
					      .seq = ev[0].data };
		int r1 = fw_cmd(JMGPU_CMD_VF_MSG_ACK, &a, NULL, 0);
		int r2 = fw_cmd(JMGPU_CMD_VF_MSG_ACK, &a, NULL, 0);

		check(r1 == 0 && r2 == JMGPU_STATUS_BAD_STATE &&
		      vf_rd(1, JMGPU_VF_MSG_OUT_STATUS) == 0,
		      "VF_MSG_ACK with the event's seq clears BUSY (%d), a "
		      "stale ack -> BAD_STATE (%d)", r1, r2);
	}
	{
		struct jmgpu_vf_msg m = { .vf = htole32(1) };

		m.data[0] = htole32(0x600d0001);
		m.data[3] = htole32(0x600d0004);
		msi_take(MSI_VF(1) + 4);
		CHECK_EQ(fw_cmd(JMGPU_CMD_VF_MSG_REPLY, &m, NULL, 0), 0,
			 "VF_MSG_REPLY vf1");
		check(vf_rd(1, JMGPU_VF_MSG_IN) == 0x600d0001 &&
		      vf_rd(1, JMGPU_VF_MSG_IN + 12) == 0x600d0004 &&
		      (vf_rd(1, JMGPU_VF_INT_STATUS) & JMGPU_VF_INT_MSG),
		      "reply in VF1 MSG_IN, INT_MSG set");
		CHECK_EQ(msi_take(MSI_VF(1) + 4), 0, "VF1 MSI-X not sent while "
			 "INT_MSG masked");
		vf_wr(1, JMGPU_VF_INT_MASK, JMGPU_VF_INT_MSG);
		fw_cmd(JMGPU_CMD_VF_MSG_REPLY, &m, NULL, 0);
		CHECK_EQ(msi_take(MSI_VF(1) + 4), 0xb003, "VF1 MSI-X vector 1 "
			 "when unmasked");
		m.vf = htole32(7);
		CHECK_EQ(fw_cmd(JMGPU_CMD_VF_MSG_REPLY, &m, NULL, 0),
			 JMGPU_STATUS_BAD_VF, "VF_MSG_REPLY vf7 -> BAD_VF");
	}
	/* scanout: SCANOUT_COMMIT checks the pending plane */
	vf_wr(0, JMGPU_VF_SCANOUT_WIDTH, 1920);
	vf_wr(0, JMGPU_VF_SCANOUT_HEIGHT, 1080);
	vf_wr(0, JMGPU_VF_SCANOUT_STRIDE, 1920 * 4);
	vf_wr(0, JMGPU_VF_SCANOUT_FORMAT, 0x34325258);
	vf_wr(0, JMGPU_VF_SCANOUT_ENABLE, 1);
	vf_wr(0, JMGPU_VF_SCANOUT_COMMIT, 1);
	CHECK_EQ(vf_rd(0, JMGPU_VF_SCANOUT_STATUS), JMGPU_SCANOUT_OK,
		 "scanout commit 1920x1080 XR24 OK");
	vf_wr(0, JMGPU_VF_SCANOUT_WIDTH, 2560);
	vf_wr(0, JMGPU_VF_SCANOUT_COMMIT, 1);
	CHECK_EQ(vf_rd(0, JMGPU_VF_SCANOUT_STATUS), JMGPU_SCANOUT_BAD_GEOMETRY,
		 "scanout commit wider than provisioned -> BAD_GEOMETRY");
	vf_wr(0, JMGPU_VF_SCANOUT_WIDTH, 1920);
	vf_wr(0, JMGPU_VF_SCANOUT_FORMAT, 0x3231564e);	/* NV12 */
	vf_wr(0, JMGPU_VF_SCANOUT_COMMIT, 1);
	CHECK_EQ(vf_rd(0, JMGPU_VF_SCANOUT_STATUS), JMGPU_SCANOUT_BAD_FORMAT,
		 "scanout commit of an unsupported format -> BAD_FORMAT");
	vf_wr(0, JMGPU_VF_SCANOUT_FORMAT, 0x34325241);	/* AR24 */
	vf_wr(0, JMGPU_VF_SCANOUT_STRIDE, 1920 * 2);
	vf_wr(0, JMGPU_VF_SCANOUT_COMMIT, 1);
	CHECK_EQ(vf_rd(0, JMGPU_VF_SCANOUT_STATUS), JMGPU_SCANOUT_BAD_STRIDE,
		 "scanout commit with stride < width * 4 -> BAD_STRIDE");
	vf_wr(0, JMGPU_VF_SCANOUT_STRIDE, 1920 * 4);
	vf_wr(0, JMGPU_VF_SCANOUT_COMMIT, 1);
	CHECK_EQ(vf_rd(0, JMGPU_VF_SCANOUT_STATUS), JMGPU_SCANOUT_OK,
		 "scanout commit valid again");
	vf_wr(0, JMGPU_VF_SCANOUT_BASE_LO, 60 * MIB);
	vf_wr(0, JMGPU_VF_SCANOUT_COMMIT, 1);
	CHECK_EQ(vf_rd(0, JMGPU_VF_SCANOUT_STATUS), JMGPU_SCANOUT_BAD_BASE,
		 "scanout commit of a plane past the slice end -> BAD_BASE");
	vf_wr(1, JMGPU_VF_SCANOUT_WIDTH, 64);
	vf_wr(1, JMGPU_VF_SCANOUT_HEIGHT, 64);
	vf_wr(1, JMGPU_VF_SCANOUT_STRIDE, 256);
	vf_wr(1, JMGPU_VF_SCANOUT_FORMAT, 0x34325258);
	vf_wr(1, JMGPU_VF_SCANOUT_ENABLE, 1);
	vf_wr(1, JMGPU_VF_SCANOUT_COMMIT, 1);
	CHECK_EQ(vf_rd(1, JMGPU_VF_SCANOUT_STATUS), JMGPU_SCANOUT_NO_DISPLAY,
		 "scanout commit on a headless VF -> NO_DISPLAY");
	/* unprovision scrubs */
	qt_writel(VF_BAR2(0) + 0x1000, 0x5ec12e7);
	CHECK_EQ(qt_readl(PF_BAR2 + 0x1000), 0x5ec12e7,
		 "data written through VF0 BAR2 lands in VRAM");
	CHECK_EQ(vf_req(JMGPU_CMD_VF_UNPROVISION, 0, NULL, 0), 0,
		 "VF_UNPROVISION vf0");
	check(qt_readl(PF_BAR2 + 0x1000) == 0 &&
	      !(vf_rd(0, JMGPU_VF_STATUS) & JMGPU_VF_STATUS_PROVISIONED) &&
	      vf_rd(0, JMGPU_VF_FB_SIZE_LO) == 0,
	      "unprovisioned slice scrubbed, VF0 not provisioned");
	CHECK_EQ(vf_req(JMGPU_CMD_VF_UNPROVISION, 0, NULL, 0),
		 JMGPU_STATUS_BAD_STATE, "VF_UNPROVISION again -> BAD_STATE");
	CHECK_EQ(provision(2, 0, 4 * MIB, 1, 40, 0, 0, 0), 0,
		 "codec sessions returned by UNPROVISION are reusable");
	CHECK_EQ(vf_req(JMGPU_CMD_VF_RESET, 1, NULL, 0), 0, "VF_RESET vf1");
	check(get_stats(1, &st) && le64toh(st.resets) == 1 &&
	      vf_rd(1, JMGPU_VF_SCANOUT_ENABLE) == 0 &&
	      vf_rd(1, JMGPU_VF_FB_SIZE_LO) == 256 * MIB,
	      "VF_RESET: registers reset, provisioning kept, resets counted");
	CHECK_EQ(vf_req(JMGPU_CMD_VF_RESET, 4, NULL, 0), JMGPU_STATUS_BAD_VF,
		 "VF_RESET vf4 -> BAD_VF");
	/* GET_LOG */
	memset(buf, 0, sizeof(buf));
	lr.offset = 0;
	lr.max_len = htole32(JMGPU_LOG_CHUNK);
	r = fw_cmd(JMGPU_CMD_GET_LOG, &lr, buf, sizeof(buf));
	{
		struct jmgpu_log_resp *l = (void *)buf;

		check(r == 0 && le32toh(l->len) > 0 &&
		      le32toh(g_rh.len) == 16 + le32toh(l->len) &&
		      le32toh(l->next) == le32toh(l->offset) + le32toh(l->len) &&
		      memmem(l->text, le32toh(l->len), "provision vf0 fb 0x0+0x4000000 weight 25", 40),
		      "GET_LOG returns the firmware's log of what it did");
	}
	/* read the whole log in chunks of 100 bytes: contiguous stream */
	{
		struct jmgpu_log_resp *l = (void *)buf;
		uint32_t off = 0, total = 0, chunks = 0;
		bool ok = true;

		for (;;) {
			lr.offset = htole32(off);
			lr.max_len = htole32(100);
			memset(buf, 0, sizeof(buf));
			if (fw_cmd(JMGPU_CMD_GET_LOG, &lr, buf, 16 + 100) != 0 ||
			    le32toh(l->offset) != off || le32toh(l->len) > 100) {
				ok = false;
				break;
			}
			if (!l->len)
				break;
			total += le32toh(l->len);
			off = le32toh(l->next);
			chunks++;
		}
		check(ok && chunks > 5 && total == off,
		      "GET_LOG in 100-byte chunks: %u bytes in %u chunks", total,
		      chunks);
	}
	lr.offset = 0;
	lr.max_len = htole32(JMGPU_LOG_CHUNK + 1);
	CHECK_EQ(fw_cmd(JMGPU_CMD_GET_LOG, &lr, NULL, 0), JMGPU_STATUS_BAD_PARAM,
		 "GET_LOG max_len 4001 -> BAD_PARAM");
	lr.offset = htole32(0x7fffffff);
	lr.max_len = htole32(16);
	CHECK_EQ(fw_cmd(JMGPU_CMD_GET_LOG, &lr, NULL, 0), JMGPU_STATUS_BAD_PARAM,
		 "GET_LOG offset past the end -> BAD_PARAM");
	vf_req(JMGPU_CMD_VF_UNPROVISION, 1, NULL, 0);
	vf_req(JMGPU_CMD_VF_UNPROVISION, 2, NULL, 0);
	CHECK_EQ(fw_cmd(JMGPU_CMD_VF_DISABLE, NULL, NULL, 0), 0,
		 "VF_DISABLE after unprovisioning all");
	check(vf_rd(0, JMGPU_VF_STATUS) == 0 &&
	      vf_req(JMGPU_CMD_VF_QUERY, 0, NULL, 0) == JMGPU_STATUS_BAD_VF,
	      "VF contexts gone after VF_DISABLE");
	CHECK_EQ(fw_cmd(JMGPU_CMD_VF_DISABLE, NULL, NULL, 0),
		 JMGPU_STATUS_BAD_STATE, "VF_DISABLE twice -> BAD_STATE");
}

static void test_fb(void)
{
	struct jmgpu_vf_stats st;
	uint8_t pat[256], got[256];
	int i;

	if (!setup(NULL) || !check(bringup(2), "bring-up 2 VFs"))
		return;
	CHECK_EQ(provision(0, 64 * MIB, 32 * MIB, 50, 0, 0, 0, 0), 0,
		 "provision vf0 32 MiB at 64 MiB");
	CHECK_EQ(provision(1, 96 * MIB, 32 * MIB, 50, 0, 0, 0, 0), 0,
		 "provision vf1 32 MiB at 96 MiB");
	for (i = 0; i < 256; i++)
		pat[i] = i * 7 + 1;
	qt_memwrite(VF_BAR2(0) + 0x2000, pat, sizeof(pat));
	qt_memread(VF_BAR2(0) + 0x2000, got, sizeof(got));
	check(!memcmp(pat, got, sizeof(pat)), "VF0 BAR2 inside slice: "
	      "read back");
	qt_memread(PF_BAR2 + 64 * MIB + 0x2000, got, sizeof(got));
	check(!memcmp(pat, got, sizeof(pat)), "VF0 slice is VRAM at fb_offset "
	      "(seen through PF BAR2)");
	qt_writel(VF_BAR2(0) + 32 * MIB - 4, 0x11112222);
	CHECK_EQ(qt_readl(VF_BAR2(0) + 32 * MIB - 4), 0x11112222,
		 "last dword of the slice accessible");
	CHECK_EQ(qt_readl(VF_BAR2(0) + 32 * MIB), 0,
		 "read just past the slice returns 0");
	qt_writel(VF_BAR2(0) + 32 * MIB + 0x10, 0xbadbad);
	CHECK_EQ(qt_readl(PF_BAR2 + 96 * MIB + 0x10), 0,
		 "write past VF0's slice dropped (VF1's memory untouched)");
	CHECK_EQ(qt_readl(VF_BAR2(0) + 200 * MIB), 0,
		 "read far outside the slice returns 0");
	check(get_stats(0, &st) && le64toh(st.fb_violations) == 3,
	      "fb_violations counts each outside access (%" PRIu64 ")",
	      le64toh(st.fb_violations));
	check(get_stats(1, &st) && st.fb_violations == 0,
	      "other VF's counter unaffected");
	check(log_has("outside its slice"), "outside access logged");
	vf_req(JMGPU_CMD_VF_UNPROVISION, 0, NULL, 0);
	CHECK_EQ(qt_readl(VF_BAR2(0) + 0x2000), 0,
		 "after UNPROVISION the whole aperture reads 0");
	CHECK_EQ(qt_readl(PF_BAR2 + 64 * MIB + 0x2000), 0,
		 "and the old slice was scrubbed");
	/* the old slice is unmapped from VF0's BAR2, not only zeroed */
	qt_writel(VF_BAR2(0) + 0x3000, 0xdeadbeef);
	check(qt_readl(PF_BAR2 + 64 * MIB + 0x3000) == 0 &&
	      qt_readl(VF_BAR2(0) + 0x3000) == 0, "a write through an "
	      "unprovisioned VF's BAR2 does not reach VRAM");
	vf_req(JMGPU_CMD_VF_UNPROVISION, 1, NULL, 0);
	CHECK_EQ(provision(1, 64 * MIB, 32 * MIB, 50, 0, 0, 0, 0), 0,
		 "VF1 provisioned on VF0's old slice");
	for (i = 0; i < 256; i++)
		pat[i] = i ^ 0xa5;
	qt_memwrite(VF_BAR2(1) + 0x2000, pat, sizeof(pat));
	qt_writel(VF_BAR2(1), 0x600dda7a);
	qt_writel(VF_BAR2(1) + 32 * MIB - 4, 0x600dda7b);
	qt_memread(VF_BAR2(0) + 0x2000, got, sizeof(got));
	for (i = 0; i < 256 && !got[i]; i++)
		;
	check(i == 256 && qt_readl(VF_BAR2(0)) == 0 &&
	      qt_readl(VF_BAR2(0) + 32 * MIB - 4) == 0, "unprovisioned VF0's "
	      "BAR2 does not show what VF1 now keeps in VF0's old slice");
	qt_writel(VF_BAR2(0) + 0x2000, 0xbad0bad0);
	qt_writel(VF_BAR2(0), 0xbad0bad1);
	qt_memread(VF_BAR2(1) + 0x2000, got, sizeof(got));
	check(!memcmp(got, pat, sizeof(pat)) &&
	      qt_readl(VF_BAR2(1)) == 0x600dda7a, "writes through VF0's BAR2 "
	      "do not change VF1's data");

	/* scrub: every byte of a freed slice reads 0 afterwards */
	{
		static uint8_t buf[8 << 20];
		const uint64_t off = 128 * MIB, size = sizeof(buf);
		struct jmgpu_job j;
		uint64_t b, first = UINT64_MAX, nz = 0;

		CHECK_EQ(provision(0, off, size, 50, 0, 0, 0, 0), 0,
			 "provision VF0 8 MiB at 128 MiB");
		qt_writel(PF_BAR2 + off - 4, 0x5a5a0001);
		qt_writel(PF_BAR2 + off + size, 0x5a5a0002);
		qt_writeq(RAM_FENCE, 0);
		ring_setup(0, RAM_RING, 16, 0, RAM_FENCE);
		job_fill(&j, JMGPU_JOB_FILL, JMGPU_JOB_F_DST_FB | JMGPU_JOB_F_FENCE,
			 0, 0, size, 0xc3c3c3c3, 7);
		ring_put(0, RAM_RING, false, &j);
		vf_wr(0, JMGPU_VF_DOORBELL, 1);
		for (i = 0; i < 200 && qt_readq(RAM_FENCE) != 7; i++)
			qt_clock_step(100000);
		qt_memread(PF_BAR2 + off, buf, size);
		for (b = 0; b < size && buf[b] == 0xc3; b++)
			;
		if (b < size)
			diag("byte 0x%" PRIx64 " is 0x%02x", b, buf[b]);
		check(b == size, "an engine FILL covers the whole 8 MiB slice "
		      "(read back through PF BAR2)");
		CHECK_EQ(vf_req(JMGPU_CMD_VF_UNPROVISION, 0, NULL, 0), 0,
			 "VF_UNPROVISION of the filled slice");
		qt_memread(PF_BAR2 + off, buf, size);
		for (b = 0; b < size; b += 4096) {
			size_t k;

			for (k = 0; k < 4096 && !buf[b + k]; k++)
				;
			if (k < 4096) {
				nz++;
				if (first == UINT64_MAX)
					first = b + k;
			}
		}
		if (nz)
			diag("%" PRIu64 " of 2048 pages not zero, first at slice "
			     "offset 0x%" PRIx64, nz, first);
		check(!nz, "UNPROVISION scrubs every byte of the 8 MiB slice");
		check(qt_readl(PF_BAR2 + off - 4) == 0x5a5a0001 &&
		      qt_readl(PF_BAR2 + off + size) == 0x5a5a0002,
		      "the scrub stays inside the slice (VRAM next to it kept)");
	}
}

/* Run until the VF's ring is idle or @max_ns passes. */
static void run_until_idle(int vf, int64_t max_ns)
{
	int64_t t;

	for (t = 0; t < max_ns; t += 100000) {
		qt_clock_step(100000);
		if (vf_rd(vf, JMGPU_VF_RING_HEAD) == vf_rd(vf, JMGPU_VF_RING_TAIL) &&
		    !(vf_rd(vf, JMGPU_VF_STATUS) & JMGPU_VF_STATUS_ENGINE_BUSY))
			return;
	}
}

/* Every byte of @p[0, len) is @v. */
static bool all_bytes(const uint8_t *p, size_t len, uint8_t v)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != v)
			return false;
	return true;
}

/*
 * A job's data lands chunk by chunk in virtual time (64 KiB per 65.5 us at
 * the default 1 byte/ns), HEAD and the fence only at the slice end: a
 * driver that reuses a source buffer before its fence sees the difference.
 */
static void test_engine_progressive(void)
{
	static uint8_t got[256 * 1024];
	const uint64_t src = RAM_BUF + 0x40000, dst = RAM_BUF + 0x80000;
	const size_t len = sizeof(got), chunk = 64 * 1024;
	struct jmgpu_job j;

	vf_req(JMGPU_CMD_VF_RESET, 2, NULL, 0);
	qt_memset(src, 0x11, len);
	qt_memset(dst, 0, len);
	qt_writeq(RAM_FENCE + 16, 0);
	ring_setup(2, RAM_RING + 0x2000, 4, 0, RAM_FENCE + 16);
	job_fill(&j, JMGPU_JOB_COPY, JMGPU_JOB_F_FENCE, src, dst, len, 0, 5);
	ring_put(2, RAM_RING + 0x2000, false, &j);
	vf_wr(2, JMGPU_VF_DOORBELL, 1);
	qt_clock_step(1);
	qt_memread(dst, got, len);
	check(all_bytes(got, chunk, 0x11) && all_bytes(got + chunk, len - chunk, 0) &&
	      vf_rd(2, JMGPU_VF_RING_HEAD) == 0 && qt_readq(RAM_FENCE + 16) == 0,
	      "a 256 KiB COPY, 1 ns in: first 64 KiB written, rest not, HEAD and fence unmoved");
	/* the "driver" reuses the source before the fence */
	qt_memset(src, 0x22, len);
	run_until_idle(2, 2000000);
	qt_memread(dst, got, len);
	check(vf_rd(2, JMGPU_VF_RING_HEAD) == 1 && qt_readq(RAM_FENCE + 16) == 5 &&
	      all_bytes(got, chunk, 0x11) && all_bytes(got + chunk, len - chunk, 0x22),
	      "source rewritten before the fence: the chunks not yet read carry the new data");
}

static void test_engine(void)
{
	struct jmgpu_job j;
	struct jmgpu_vf_stats st;
	struct jmgpu_event ev[64];
	uint8_t pat[8192], got[8192];
	uint32_t data = 0;
	int i, n;

	if (!setup(NULL) || !check(bringup(3), "bring-up 3 VFs"))
		return;
	provision(0, 0, 64 * MIB, 50, 0, 0, 0, 0);
	provision(1, 64 * MIB, 64 * MIB, 50, 0, 0, 0, 0);
	provision(2, 128 * MIB, 64 * MIB, 50, 0, 0, 0, 0);
	for (i = 0; i < (int)sizeof(pat); i++)
		pat[i] = i ^ (i >> 8) ^ 0x5a;
	qt_memwrite(RAM_BUF, pat, sizeof(pat));
	qt_memset(RAM_BUF + 0x10000, 0, 0x10000);
	qt_writeq(RAM_FENCE, 0);
	msi_take(MSI_VF(0));

	/* ring in guest RAM (DMA) */
	ring_setup(0, RAM_RING, 16, 0, RAM_FENCE);
	job_fill(&j, JMGPU_JOB_COPY, JMGPU_JOB_F_DST_FB, RAM_BUF, 0x1000,
		 sizeof(pat), 0, 0);
	ring_put(0, RAM_RING, false, &j);
	job_fill(&j, JMGPU_JOB_COPY, JMGPU_JOB_F_SRC_FB, 0x1000,
		 RAM_BUF + 0x10000, sizeof(pat), 0, 0);
	ring_put(0, RAM_RING + 64, false, &j);
	job_fill(&j, JMGPU_JOB_FILL, 0, 0, RAM_BUF + 0x18000, 4096,
		 0xdeadbeef, 0);
	ring_put(0, RAM_RING + 128, false, &j);
	job_fill(&j, JMGPU_JOB_NOP, JMGPU_JOB_F_FENCE | JMGPU_JOB_F_IRQ, 0, 0,
		 0, 0, 0x1234567890ull);
	ring_put(0, RAM_RING + 192, false, &j);
	vf_wr(0, JMGPU_VF_DOORBELL, 4);
	CHECK_EQ(vf_rd(0, JMGPU_VF_RING_TAIL), 4, "doorbell sets RING_TAIL");
	run_until_idle(0, 5000000);
	CHECK_EQ(vf_rd(0, JMGPU_VF_RING_HEAD), 4, "4 jobs executed (ring in RAM)");
	qt_memread(PF_BAR2 + 0x1000, got, sizeof(got));
	check(!memcmp(pat, got, sizeof(pat)), "COPY RAM -> FB");
	qt_memread(RAM_BUF + 0x10000, got, sizeof(got));
	check(!memcmp(pat, got, sizeof(pat)), "COPY FB -> RAM");
	check(qt_readl(RAM_BUF + 0x18000) == 0xdeadbeef &&
	      qt_readl(RAM_BUF + 0x18ffc) == 0xdeadbeef &&
	      qt_readl(RAM_BUF + 0x19000) == 0, "FILL 4096 bytes, exact length");
	check(qt_readq(RAM_FENCE) == 0x1234567890ull &&
	      vf_rd(0, JMGPU_VF_FENCE_VALUE_LO) == 0x34567890 &&
	      vf_rd(0, JMGPU_VF_FENCE_VALUE_HI) == 0x12,
	      "fence written by DMA and FENCE_VALUE registers");
	check((vf_rd(0, JMGPU_VF_INT_STATUS) & JMGPU_VF_INT_JOB_DONE) &&
	      msi_take(MSI_VF(0)) == 0xb000, "INT_JOB_DONE + VF MSI-X vector 0");
	check(get_stats(0, &st) && le64toh(st.jobs) == 4 &&
	      le64toh(st.bytes) == 2 * sizeof(pat) + 4096 &&
	      le64toh(st.doorbells) == 1 && le64toh(st.engine_busy_ns) > 0,
	      "stats: jobs, bytes, doorbells, busy time");

	/* ring and fence in the FB slice */
	vf_wr(0, JMGPU_VF_INT_STATUS, 7);
	ring_setup(0, 0x100000, 8, JMGPU_RING_CTRL_IN_FB |
		   JMGPU_RING_CTRL_FENCE_IN_FB, 0x200000);
	job_fill(&j, JMGPU_JOB_FILL, JMGPU_JOB_F_DST_FB, 0, 0x300000, 1000,
		 0x01020304, 0);
	ring_put(0, 0x100000, true, &j);
	job_fill(&j, JMGPU_JOB_COPY, JMGPU_JOB_F_SRC_FB | JMGPU_JOB_F_DST_FB |
		 JMGPU_JOB_F_FENCE | JMGPU_JOB_F_IRQ, 0x300000, 0x400000, 1000,
		 0, 77);
	ring_put(0, 0x100040, true, &j);
	vf_wr(0, JMGPU_VF_DOORBELL, 2);
	run_until_idle(0, 5000000);
	check(vf_rd(0, JMGPU_VF_RING_HEAD) == 2 &&
	      qt_readl(VF_BAR2(0) + 0x4003e4) == 0x01020304 &&
	      qt_readl(VF_BAR2(0) + 0x4003e8) == 0,
	      "ring in FB: FILL + COPY inside the slice");
	check(qt_readq(VF_BAR2(0) + 0x200000) == 77 &&
	      vf_rd(0, JMGPU_VF_FENCE_VALUE_LO) == 77 &&
	      msi_take(MSI_VF(0)) == 0xb000, "fence in FB + interrupt");

	/* malformed job -> BAD_JOB fault */
	events(ev, 64);
	job_fill(&j, JMGPU_JOB_NOP, 0, 0, 0, 0, 0, 0);
	j.reserved0 = htole32(1);
	ring_put(0, 0x100080, true, &j);
	vf_wr(0, JMGPU_VF_DOORBELL, 3);
	run_until_idle(0, 1000000);
	check((vf_rd(0, JMGPU_VF_STATUS) & JMGPU_VF_STATUS_ENGINE_FAULT) &&
	      vf_rd(0, JMGPU_VF_FAULT_STATUS) == JMGPU_FAULT_CODE_BAD_JOB &&
	      vf_rd(0, JMGPU_VF_FAULT_ADDR_LO) == 0x100080 &&
	      (vf_rd(0, JMGPU_VF_INT_STATUS) & JMGPU_VF_INT_FAULT),
	      "reserved field in job -> BAD_JOB fault, FAULT_ADDR, INT_FAULT");
	n = events(ev, 64);
	check(n == 1 && has_event(ev, n, JMGPU_EVENT_ENGINE_FAULT, 0, &data) &&
	      data == JMGPU_FAULT_CODE_BAD_JOB &&
	      le32toh(ev[0].payload[0]) == 0x100080 && ev[0].payload[1] == 0 &&
	      jmgpu_check_event(&ev[0], 3) == 0,
	      "ENGINE_FAULT event to the PF (code, address)");
	vf_req(JMGPU_CMD_VF_RESET, 0, NULL, 0);
	check(!(vf_rd(0, JMGPU_VF_STATUS) & JMGPU_VF_STATUS_ENGINE_FAULT) &&
	      vf_rd(0, JMGPU_VF_FAULT_STATUS) == 0 &&
	      vf_rd(0, JMGPU_VF_RING_CTRL) == 0, "VF_RESET clears the fault");

	/* FB offset outside the slice */
	ring_setup(1, RAM_RING + 0x1000, 4, 0, RAM_FENCE + 8);
	job_fill(&j, JMGPU_JOB_FILL, JMGPU_JOB_F_DST_FB, 0, 64 * MIB - 8, 16,
		 0x77777777, 0);
	ring_put(1, RAM_RING + 0x1000, false, &j);
	vf_wr(1, JMGPU_VF_DOORBELL, 1);
	run_until_idle(1, 1000000);
	check(vf_rd(1, JMGPU_VF_FAULT_STATUS) == JMGPU_FAULT_CODE_FB_RANGE &&
	      qt_readl(PF_BAR2 + 128 * MIB) == 0,
	      "FILL crossing the slice end -> FB_RANGE fault, VF2 memory intact");

	/* DMA to an unmapped IOVA, only that VF affected */
	ring_setup(2, RAM_RING + 0x2000, 4, 0, RAM_FENCE + 16);
	job_fill(&j, JMGPU_JOB_COPY, JMGPU_JOB_F_DST_FB, BAD_IOVA, 0, 64, 0, 0);
	ring_put(2, RAM_RING + 0x2000, false, &j);
	vf_wr(2, JMGPU_VF_DOORBELL, 1);
	run_until_idle(2, 1000000);
	check(vf_rd(2, JMGPU_VF_FAULT_STATUS) == JMGPU_FAULT_CODE_DMA &&
	      vf_rd(2, JMGPU_VF_FAULT_ADDR_HI) == BAD_IOVA >> 32 &&
	      get_stats(2, &st) && le64toh(st.faults) == 1,
	      "COPY from unmapped IOVA -> DMA fault, faults counted");
	ring_setup(0, RAM_RING, 16, 0, RAM_FENCE);
	job_fill(&j, JMGPU_JOB_NOP, JMGPU_JOB_F_FENCE, 0, 0, 0, 0, 99);
	ring_put(0, RAM_RING, false, &j);
	vf_wr(0, JMGPU_VF_DOORBELL, 1);
	run_until_idle(0, 1000000);
	CHECK_EQ(qt_readq(RAM_FENCE), 99, "other VFs keep working after faults");
	vf_wr(0, JMGPU_VF_RING_BASE_LO, 0x4000);
	check(vf_rd(0, JMGPU_VF_RING_BASE_LO) == (uint32_t)RAM_RING &&
	      log_has("written while the ring is enabled"),
	      "RING_BASE write while enabled refused");
	/* doorbell validation */
	vf_wr(0, JMGPU_VF_DOORBELL, 16);
	check(vf_rd(0, JMGPU_VF_RING_TAIL) == 1 && log_has("DOORBELL tail 16"),
	      "doorbell beyond ring size ignored and logged");
	/* bad ring setup */
	vf_wr(0, JMGPU_VF_RING_CTRL, 0);
	vf_wr(0, JMGPU_VF_RING_SIZE, 3);
	vf_wr(0, JMGPU_VF_RING_CTRL, 1);
	CHECK_EQ(vf_rd(0, JMGPU_VF_FAULT_STATUS), JMGPU_FAULT_CODE_RING,
		 "ring size 3 -> RING fault");
	test_engine_progressive();
}

static void test_sched(void)
{
	struct jmgpu_vf_stats s0, s1;
	struct jmgpu_sched sc;
	struct jmgpu_job j;
	int64_t t0, t1;
	int i, v;

	if (!setup(NULL) || !check(bringup(2), "bring-up 2 VFs"))
		return;
	provision(0, 0, 64 * MIB, 75, 0, 0, 0, 0);
	provision(1, 64 * MIB, 64 * MIB, 25, 0, 0, 0, 0);
	/* one 8 MiB FILL at 1000 B/us takes ~8.4 ms of virtual time */
	ring_setup(0, RAM_RING, 64, 0, RAM_FENCE);
	job_fill(&j, JMGPU_JOB_FILL, JMGPU_JOB_F_DST_FB | JMGPU_JOB_F_FENCE, 0,
		 0, 8 * MIB, 0xabababab, 1);
	ring_put(0, RAM_RING, false, &j);
	qt_writeq(RAM_FENCE, 0);
	t0 = qt_clock_step(1);
	vf_wr(0, JMGPU_VF_DOORBELL, 1);
	qt_clock_step(4000000);
	CHECK_EQ(qt_readq(RAM_FENCE), 0, "8 MiB FILL not done after 4 ms");
	for (i = 0; i < 100 && qt_readq(RAM_FENCE) != 1; i++)
		t1 = qt_clock_step(100000);
	t1 = qt_clock_step(1);
	check(qt_readq(RAM_FENCE) == 1 && t1 - t0 >= 8300000 &&
	      t1 - t0 <= 9000000, "8 MiB FILL done after %.2f ms (engine-rate "
	      "1000 B/us)", (t1 - t0) / 1e6);
	get_stats(0, &s0);
	check(le64toh(s0.engine_busy_ns) >= 8300000 &&
	      le64toh(s0.engine_busy_ns) <= 8500000,
	      "busy time accounted (%" PRIu64 " ns)", le64toh(s0.engine_busy_ns));
	/* many tiny jobs complete quickly: min cost 1 us each */
	ring_setup(1, RAM_RING + 0x1000, 64, 0, RAM_FENCE + 8);
	for (i = 0; i < 63; i++) {
		job_fill(&j, JMGPU_JOB_NOP, i == 62 ? JMGPU_JOB_F_FENCE : 0, 0,
			 0, 0, 0, 63);
		ring_put(1, RAM_RING + 0x1000 + 64 * i, false, &j);
	}
	vf_wr(1, JMGPU_VF_DOORBELL, 63);
	qt_clock_step(200000);
	CHECK_EQ(qt_readq(RAM_FENCE + 8), 63, "63 NOPs done within 200 us");

	/* fairness: both VFs saturated with 1 MiB fills */
	for (v = 0; v < 2; v++) {
		ring_setup(v, RAM_RING + 0x1000 * v, 64, 0, RAM_FENCE + 8 * v);
		for (i = 0; i < 63; i++) {
			job_fill(&j, JMGPU_JOB_FILL, JMGPU_JOB_F_DST_FB, 0,
				 0, 1 * MIB, 0, 0);
			ring_put(v, RAM_RING + 0x1000 * v + 64 * i, false, &j);
		}
	}
	get_stats(0, &s0);
	get_stats(1, &s1);
	{
		uint64_t b0 = le64toh(s0.engine_busy_ns), b1 = le64toh(s1.engine_busy_ns);
		double r;

		vf_wr(0, JMGPU_VF_DOORBELL, 63);
		vf_wr(1, JMGPU_VF_DOORBELL, 63);
		qt_clock_step(20000000);
		get_stats(0, &s0);
		get_stats(1, &s1);
		b0 = le64toh(s0.engine_busy_ns) - b0;
		b1 = le64toh(s1.engine_busy_ns) - b1;
		r = b1 ? (double)b0 / b1 : 0;
		check(r > 2.5 && r < 3.5 && b0 + b1 > 19000000 &&
		      b0 + b1 <= 22000000, "best-effort 75:25 weights -> busy "
		      "ratio %.2f (want 3), engine saturated (%.1f ms of 20)", r,
		      (b0 + b1) / 1e6);
		/* equal share */
		sc.policy = htole32(JMGPU_SCHED_EQUAL_SHARE);
		sc.timeslice_us = htole32(1000);
		fw_cmd(JMGPU_CMD_SET_SCHED, &sc, NULL, 0);
		b0 = le64toh(s0.engine_busy_ns);
		b1 = le64toh(s1.engine_busy_ns);
		qt_clock_step(20000000);
		get_stats(0, &s0);
		get_stats(1, &s1);
		b0 = le64toh(s0.engine_busy_ns) - b0;
		b1 = le64toh(s1.engine_busy_ns) - b1;
		r = b1 ? (double)b0 / b1 : 0;
		check(r > 0.85 && r < 1.15, "equal-share -> busy ratio %.2f %" PRIu64 "/%" PRIu64 " "
		      "(want 1)", r, b0, b1);
		/* fixed share: VF1 alone gets only its 25 % */
		vf_wr(0, JMGPU_VF_RING_CTRL, 0);
		sc.policy = htole32(JMGPU_SCHED_FIXED_SHARE);
		fw_cmd(JMGPU_CMD_SET_SCHED, &sc, NULL, 0);
		b1 = le64toh(s1.engine_busy_ns);
		qt_clock_step(20000000);
		get_stats(1, &s1);
		b1 = le64toh(s1.engine_busy_ns) - b1;
		check(b1 > 4000000 && b1 < 6500000, "fixed-share: a lone VF "
		      "with weight 25 gets %.0f%% of the engine (want 25%%)",
		      b1 / 200000.0);
		/* idle time is not banked: after 200 ms with nothing to do
		 * the lone VF still gets 25 % (plus at most one slice) */
		vf_wr(1, JMGPU_VF_RING_CTRL, 0);
		qt_clock_step(200000000);
		ring_setup(1, RAM_RING + 0x1000, 64, 0, RAM_FENCE + 8);
		get_stats(1, &s1);
		b1 = le64toh(s1.engine_busy_ns);
		vf_wr(1, JMGPU_VF_DOORBELL, 63);
		qt_clock_step(40000000);
		get_stats(1, &s1);
		b1 = le64toh(s1.engine_busy_ns) - b1;
		check(b1 > 8000000 && b1 < 14000000, "fixed-share: after 200 ms "
		      "idle a lone VF of weight 25 gets %.0f%% of the next 40 ms "
		      "(idle credit capped at one slice)", b1 / 400000.0);
		sc.policy = htole32(JMGPU_SCHED_BEST_EFFORT);
		fw_cmd(JMGPU_CMD_SET_SCHED, &sc, NULL, 0);
		b1 = le64toh(s1.engine_busy_ns);
		qt_clock_step(10000000);
		get_stats(1, &s1);
		b1 = le64toh(s1.engine_busy_ns) - b1;
		check(b1 > 9000000 && b1 <= 11000000, "best-effort: a lone VF "
		      "gets the whole engine (%.0f%%), no more", b1 / 100000.0);
	}
}

static void test_flr(void)
{
	struct jmgpu_event ev[64];
	struct jmgpu_vf_stats st;
	int exp, n;

	if (!setup(NULL) || !check(bringup(2), "bring-up 2 VFs"))
		return;
	provision(0, 0, 64 * MIB, 50, 0, 1, 1024, 768);
	provision(1, 64 * MIB, 64 * MIB, 50, 0, 0, 0, 0);
	qt_writel(VF_BAR2(0) + 0x100, 0xf1f1f1f1);
	ring_setup(0, RAM_RING, 16, 0, RAM_FENCE);
	ring_setup(1, RAM_RING + 0x1000, 16, 0, RAM_FENCE + 8);
	vf_wr(0, JMGPU_VF_SCANOUT_WIDTH, 640);
	vf_wr(0, JMGPU_VF_SCANOUT_HEIGHT, 480);
	vf_wr(0, JMGPU_VF_SCANOUT_STRIDE, 640 * 4);
	vf_wr(0, JMGPU_VF_SCANOUT_FORMAT, 0x34325258);
	vf_wr(0, JMGPU_VF_SCANOUT_ENABLE, 1);
	vf_wr(0, JMGPU_VF_SCANOUT_COMMIT, 1);
	qt_clock_step(20000000);	/* > one vblank: the flip latches */
	check(vf_rd(0, JMGPU_VF_ACTIVE_ENABLE) == 1 &&
	      vf_rd(0, JMGPU_VF_ACTIVE_WIDTH) == 640,
	      "VF0 scans out a committed 640x480 plane before the FLR");
	vf_wr(1, JMGPU_VF_MSG_OUT, 0x1111);
	vf_wr(0, JMGPU_VF_MSG_OUT, 0x2222);
	events(ev, 64);
	exp = pci_find_cap(VF_DEVFN(0), 0x10);
	pci_cfg_writew(VF_DEVFN(0), exp + 8,
		       pci_cfg_readw(VF_DEVFN(0), exp + 8) | 0x8000);
	CHECK_EQ(pci_cfg_readw(VF_DEVFN(0), 4), 0, "FLR cleared VF0's PCI "
		 "command register");
	pci_cfg_writew(VF_DEVFN(0), 4, 0x6);	/* driver re-enables */
	check(vf_rd(0, JMGPU_VF_RING_CTRL) == 0 &&
	      vf_rd(0, JMGPU_VF_RING_SIZE) == 0 &&
	      vf_rd(0, JMGPU_VF_INT_MASK) == 0 &&
	      vf_rd(0, JMGPU_VF_SCANOUT_WIDTH) == 0 &&
	      vf_rd(0, JMGPU_VF_ACTIVE_ENABLE) == 0 &&
	      vf_rd(0, JMGPU_VF_ACTIVE_WIDTH) == 0 &&
	      vf_rd(0, JMGPU_VF_MSG_OUT) == 0, "FLR resets VF0's registers "
	      "and disables its active plane");
	check(vf_rd(0, JMGPU_VF_FB_SIZE_LO) == 64 * MIB &&
	      (vf_rd(0, JMGPU_VF_STATUS) & JMGPU_VF_STATUS_PROVISIONED) &&
	      qt_readl(VF_BAR2(0) + 0x100) == 0xf1f1f1f1,
	      "FLR keeps VF0's provisioning and FB contents");
	check(vf_rd(1, JMGPU_VF_RING_CTRL) == JMGPU_RING_CTRL_ENABLE &&
	      vf_rd(1, JMGPU_VF_RING_SIZE) == 16 &&
	      vf_rd(1, JMGPU_VF_INT_MASK) == 7 &&
	      vf_rd(1, JMGPU_VF_MSG_OUT) == 0x1111, "VF1 untouched by VF0's FLR");
	n = events(ev, 64);
	check(n == 1 && has_event(ev, n, JMGPU_EVENT_VF_FLR_DONE, 0, NULL),
	      "VF_FLR_DONE event for vf0 only");
	check(get_stats(0, &st) && le64toh(st.resets) == 1, "FLR counted in "
	      "resets");
	check(get_stats(1, &st) && st.resets == 0, "VF1 resets still 0");
	/* VF Enable cleared: contexts torn down */
	sriov_disable();
	CHECK_EQ(vf_req(JMGPU_CMD_VF_QUERY, 0, NULL, 0), JMGPU_STATUS_BAD_VF,
		 "VFs disabled on PCI: VF contexts torn down");
	CHECK_EQ(qt_readl(PF_BAR2 + 0x100), 0,
		 "implicitly released slices are scrubbed");
	sriov_enable(2);
	check(vf_enable(2) == 0 && provision(0, 0, 64 * MIB, 50, 0, 0, 0, 0) == 0,
	      "VFs can be enabled and provisioned again");
	/* FLR of the PF: everything restarts */
	qt_writel(VF_BAR2(0) + 0x40, 0x77);
	exp = pci_find_cap(PF_DEVFN, 0x10);
	pci_cfg_writew(PF_DEVFN, exp + 8,
		       pci_cfg_readw(PF_DEVFN, exp + 8) | 0x8000);
	check(pci_cfg_readw(PF_DEVFN, g_sriov + 0x08) == 0 &&
	      pci_cfg_readw(PF_DEVFN, 4) == 0, "PF FLR: SR-IOV and command "
	      "register cleared");
	pf_program();
	CHECK_EQ(pf_rd(JMGPU_PF_STATUS), JMGPU_PF_STATUS_RESETTING,
		 "PF FLR: firmware RESETTING");
	qt_clock_step(2000000);
	n = events(ev, 64);
	check(pf_rd(JMGPU_PF_STATUS) == JMGPU_PF_STATUS_FW_READY && n == 1 &&
	      has_event(ev, n, JMGPU_EVENT_FW_RESET_DONE, 0, NULL),
	      "PF FLR: FW_READY and FW_RESET_DONE 1 ms later");
	check(fw_hello() &&
	      vf_req(JMGPU_CMD_VF_QUERY, 0, NULL, 0) == JMGPU_STATUS_BAD_VF &&
	      qt_readl(PF_BAR2 + 64 * MIB + 0x40) == 0 &&
	      qt_readl(PF_BAR2 + 0x40) == 0x77, "PF FLR: VF contexts gone, "
	      "VRAM content kept");
}

/*
 * A VF reset in the middle of a time slice: VF0 has just run a fenced NOP
 * (complete, but only visible at the end of the slice) and started an
 * 8 MiB FILL; two more jobs are queued. After the reset none of that work
 * may complete, write anything or show up later (hardware-model.rst,
 * Resets: engine, in-flight work and all BAR0 registers reset).
 */
static void reset_inflight(const char *kind, bool flr)
{
	const uint64_t dst_a = RAM_BUF + 0x100000, dst_b = RAM_BUF + 0x200000;
	uint32_t bad_off = 0, v;
	struct jmgpu_job j;
	uint64_t o;
	bool ok;
	int exp = pci_find_cap(VF_DEVFN(0), 0x10);

	qt_memset(RAM_BUF, 0x3c, 4096);
	qt_memset(dst_a, 0, 4096);
	qt_memset(dst_b, 0, 4096);
	qt_writeq(RAM_FENCE, 0);
	qt_writeq(0, 0);		/* FENCE_ADDR after a reset: 0 */
	qt_memset(PF_BAR2, 0, 8 * MIB);
	msi_take(MSI_VF(0));
	ring_setup(0, RAM_RING, 16, 0, RAM_FENCE);
	job_fill(&j, JMGPU_JOB_NOP, JMGPU_JOB_F_FENCE | JMGPU_JOB_F_IRQ, 0, 0,
		 0, 0, 1);
	ring_put(0, RAM_RING, false, &j);
	job_fill(&j, JMGPU_JOB_FILL, JMGPU_JOB_F_DST_FB | JMGPU_JOB_F_FENCE |
		 JMGPU_JOB_F_IRQ, 0, 0, 8 * MIB, 0x5a5a5a5a, 2);
	ring_put(0, RAM_RING + 64, false, &j);
	job_fill(&j, JMGPU_JOB_COPY, JMGPU_JOB_F_FENCE, RAM_BUF, dst_a, 4096, 0,
		 3);
	ring_put(0, RAM_RING + 128, false, &j);
	job_fill(&j, JMGPU_JOB_FILL, JMGPU_JOB_F_FENCE, 0, dst_b, 4096,
		 0x77777777, 4);
	ring_put(0, RAM_RING + 192, false, &j);
	vf_wr(0, JMGPU_VF_DOORBELL, 4);
	/* the first slice (1 ms) starts now: NOP done, FILL under way */
	qt_clock_step(100000);
	if (flr) {
		pci_cfg_writew(VF_DEVFN(0), exp + 8,
			       pci_cfg_readw(VF_DEVFN(0), exp + 8) | 0x8000);
		pci_cfg_writew(VF_DEVFN(0), 4, 0x6);
		msix_setup(VF_DEVFN(0), VF_BAR4_BASE, 0, MSI_VF(0), 0xb000);
	} else {
		vf_req(JMGPU_CMD_VF_RESET, 0, NULL, 0);
	}
	ok = vf_rd(0, JMGPU_VF_RING_HEAD) == 0 &&
	     vf_rd(0, JMGPU_VF_RING_TAIL) == 0 &&
	     vf_rd(0, JMGPU_VF_RING_CTRL) == 0 &&
	     vf_rd(0, JMGPU_VF_FENCE_VALUE_LO) == 0 &&
	     vf_rd(0, JMGPU_VF_FENCE_ADDR_LO) == 0 &&
	     !(vf_rd(0, JMGPU_VF_STATUS) & JMGPU_VF_STATUS_ENGINE_BUSY);
	if (!ok)
		diag("HEAD %u TAIL %u CTRL 0x%x FENCE_VALUE %u FENCE_ADDR 0x%x "
		     "STATUS 0x%x", vf_rd(0, JMGPU_VF_RING_HEAD),
		     vf_rd(0, JMGPU_VF_RING_TAIL), vf_rd(0, JMGPU_VF_RING_CTRL),
		     vf_rd(0, JMGPU_VF_FENCE_VALUE_LO),
		     vf_rd(0, JMGPU_VF_FENCE_ADDR_LO), vf_rd(0, JMGPU_VF_STATUS));
	check(ok, "%s mid-slice: RING_HEAD, RING_TAIL, RING_CTRL, FENCE_VALUE, "
	      "FENCE_ADDR read 0, ENGINE_BUSY clear", kind);
	/* the driver takes a while before it sets the ring up again */
	qt_clock_step(5000000);
	ok = vf_rd(0, JMGPU_VF_RING_HEAD) == 0 &&
	     vf_rd(0, JMGPU_VF_FENCE_VALUE_LO) == 0 &&
	     qt_readq(RAM_FENCE) == 0 && qt_readq(0) == 0 &&
	     !(vf_rd(0, JMGPU_VF_INT_STATUS) & JMGPU_VF_INT_JOB_DONE) &&
	     !(vf_rd(0, JMGPU_VF_STATUS) & JMGPU_VF_STATUS_ENGINE_BUSY);
	if (!ok)
		diag("HEAD %u FENCE_VALUE %u fence at FENCE_ADDR %" PRIu64
		     ", at 0: %" PRIu64 ", INT_STATUS 0x%x",
		     vf_rd(0, JMGPU_VF_RING_HEAD),
		     vf_rd(0, JMGPU_VF_FENCE_VALUE_LO), qt_readq(RAM_FENCE),
		     qt_readq(0), vf_rd(0, JMGPU_VF_INT_STATUS));
	check(ok, "%s: the NOP finished in the interrupted slice never "
	      "completes (HEAD, fence, JOB_DONE stay 0 for 5 ms)", kind);
	/* the FILL had run < 1 MiB when the reset came */
	ring_setup(0, RAM_RING, 16, 0, RAM_FENCE);
	qt_clock_step(20000000);
	for (o = 1 * MIB; o < 8 * MIB; o += 16 * 1024) {
		v = qt_readl(PF_BAR2 + o);
		if (v && !bad_off)
			bad_off = o;
	}
	if (qt_readl(PF_BAR2 + 8 * MIB - 4) && !bad_off)
		bad_off = 8 * MIB - 4;
	if (bad_off)
		diag("slice offset 0x%x written after the reset", bad_off);
	check(!bad_off, "%s: the interrupted 8 MiB FILL writes nothing more "
	      "(1..8 MiB of the slice stay 0)", kind);
	v = msi_take(MSI_VF(0));
	ok = vf_rd(0, JMGPU_VF_RING_HEAD) == 0 &&
	     qt_readl(dst_a) == 0 && qt_readl(dst_a + 4092) == 0 &&
	     qt_readl(dst_b) == 0 && qt_readq(RAM_FENCE) == 0 && !v;
	if (!ok)
		diag("HEAD %u, COPY destination 0x%x, FILL destination 0x%x, "
		     "fence %" PRIu64 ", MSI-X 0x%x (a stale JOB_DONE?)",
		     vf_rd(0, JMGPU_VF_RING_HEAD), qt_readl(dst_a),
		     qt_readl(dst_b), qt_readq(RAM_FENCE), v);
	check(ok, "%s: queued jobs do not run once the ring is enabled again "
	      "(HEAD 0, destinations and fence untouched, no MSI-X)", kind);
	job_fill(&j, JMGPU_JOB_NOP, JMGPU_JOB_F_FENCE, 0, 0, 0, 0, 0x77);
	ring_put(0, RAM_RING, false, &j);
	vf_wr(0, JMGPU_VF_DOORBELL, 1);
	run_until_idle(0, 2000000);
	check(qt_readq(RAM_FENCE) == 0x77 && vf_rd(0, JMGPU_VF_RING_HEAD) == 1 &&
	      qt_readl(dst_a) == 0, "%s: a new job on the reset ring runs "
	      "alone (fence 0x77, HEAD 1)", kind);
	vf_wr(0, JMGPU_VF_RING_CTRL, 0);
}

static void test_reset(void)
{
	if (!setup(NULL) || !check(bringup(2), "bring-up 2 VFs"))
		return;
	provision(0, 0, 64 * MIB, 50, 0, 0, 0, 0);
	provision(1, 64 * MIB, 64 * MIB, 50, 0, 0, 0, 0);
	reset_inflight("VF FLR", true);
	reset_inflight("VF_RESET command", false);
}

/*
 * DMA needs the VF's bus master enable: with PCI_COMMAND.MASTER clear,
 * its engine must neither write nor read guest memory (fault DMA,
 * hardware-model.rst, Engines), while its slice and other VFs work.
 */
static void test_dma(void)
{
	const uint64_t src = RAM_BUF, dst = RAM_BUF + 0x10000;
	struct jmgpu_job j;
	bool ok;

	if (!setup(NULL) || !check(bringup(2), "bring-up 2 VFs"))
		return;
	provision(0, 0, 64 * MIB, 50, 0, 0, 0, 0);
	provision(1, 64 * MIB, 64 * MIB, 50, 0, 0, 0, 0);
	qt_memset(src, 0x6b, 4096);
	qt_memset(dst, 0, 0x10000);
	/* ring and fence in the slice: only the job's own DMA touches RAM */
	ring_setup(0, 0x100000, 16, JMGPU_RING_CTRL_IN_FB |
		   JMGPU_RING_CTRL_FENCE_IN_FB, 0x200000);
	job_fill(&j, JMGPU_JOB_FILL, JMGPU_JOB_F_FENCE, 0, dst, 4096,
		 0x13579bdf, 1);
	ring_put(0, 0x100000, true, &j);
	vf_wr(0, JMGPU_VF_DOORBELL, 1);
	run_until_idle(0, 1000000);
	check(qt_readl(dst) == 0x13579bdf && qt_readl(dst + 4092) == 0x13579bdf &&
	      qt_readq(VF_BAR2(0) + 0x200000) == 1, "bus master on: a FILL "
	      "into guest RAM lands");

	pci_cfg_writew(VF_DEVFN(0), 4, 0x2);	/* MEM only */
	job_fill(&j, JMGPU_JOB_FILL, JMGPU_JOB_F_FENCE, 0, dst + 0x1000, 4096,
		 0x2468ace0, 2);
	ring_put(0, 0x100040, true, &j);
	vf_wr(0, JMGPU_VF_DOORBELL, 2);
	run_until_idle(0, 1000000);
	ok = vf_rd(0, JMGPU_VF_FAULT_STATUS) == JMGPU_FAULT_CODE_DMA &&
	     vf_rd(0, JMGPU_VF_FAULT_ADDR_LO) == (uint32_t)(dst + 0x1000);
	if (!ok)
		diag("FAULT_STATUS %u FAULT_ADDR 0x%x",
		     vf_rd(0, JMGPU_VF_FAULT_STATUS),
		     vf_rd(0, JMGPU_VF_FAULT_ADDR_LO));
	check(ok && qt_readl(dst + 0x1000) == 0 && qt_readl(dst + 0x1ffc) == 0 &&
	      qt_readq(VF_BAR2(0) + 0x200000) == 1, "bus master off: a FILL "
	      "into guest RAM faults DMA at its destination, RAM untouched");

	vf_req(JMGPU_CMD_VF_RESET, 0, NULL, 0);
	ring_setup(0, 0x100000, 16, JMGPU_RING_CTRL_IN_FB |
		   JMGPU_RING_CTRL_FENCE_IN_FB, 0x200000);
	job_fill(&j, JMGPU_JOB_COPY, JMGPU_JOB_F_DST_FB | JMGPU_JOB_F_FENCE,
		 src, 0x300000, 4096, 0, 3);
	ring_put(0, 0x100000, true, &j);
	vf_wr(0, JMGPU_VF_DOORBELL, 1);
	run_until_idle(0, 1000000);
	check(vf_rd(0, JMGPU_VF_FAULT_STATUS) == JMGPU_FAULT_CODE_DMA &&
	      vf_rd(0, JMGPU_VF_FAULT_ADDR_LO) == (uint32_t)src &&
	      qt_readl(VF_BAR2(0) + 0x300000) == 0 &&
	      qt_readl(VF_BAR2(0) + 0x300ffc) == 0, "bus master off: a COPY "
	      "from guest RAM faults DMA at its source, nothing read");

	vf_req(JMGPU_CMD_VF_RESET, 0, NULL, 0);
	qt_writeq(RAM_FENCE, 0);
	ring_setup(0, 0x100000, 16, JMGPU_RING_CTRL_IN_FB, RAM_FENCE);
	job_fill(&j, JMGPU_JOB_NOP, JMGPU_JOB_F_FENCE, 0, 0, 0, 0, 4);
	ring_put(0, 0x100000, true, &j);
	vf_wr(0, JMGPU_VF_DOORBELL, 1);
	run_until_idle(0, 1000000);
	check(vf_rd(0, JMGPU_VF_FAULT_STATUS) == JMGPU_FAULT_CODE_DMA &&
	      qt_readq(RAM_FENCE) == 0, "bus master off: the fence write-back "
	      "to guest RAM faults DMA, nothing written");

	vf_req(JMGPU_CMD_VF_RESET, 0, NULL, 0);
	ring_setup(0, RAM_RING, 16, 0, RAM_FENCE);
	ring_put(0, RAM_RING, false, &j);
	vf_wr(0, JMGPU_VF_DOORBELL, 1);
	qt_writeq(RAM_FENCE + 8, 0);
	ring_setup(1, RAM_RING + 0x1000, 16, 0, RAM_FENCE + 8);
	job_fill(&j, JMGPU_JOB_COPY, JMGPU_JOB_F_FENCE, src, dst + 0x2000, 4096,
		 0, 5);
	ring_put(1, RAM_RING + 0x1000, false, &j);
	vf_wr(1, JMGPU_VF_DOORBELL, 1);
	run_until_idle(1, 1000000);
	run_until_idle(0, 1000000);
	check(vf_rd(0, JMGPU_VF_FAULT_STATUS) == JMGPU_FAULT_CODE_DMA &&
	      vf_rd(0, JMGPU_VF_FAULT_ADDR_LO) == (uint32_t)RAM_RING &&
	      qt_readq(RAM_FENCE) == 0 && qt_readq(RAM_FENCE + 8) == 5 &&
	      qt_readl(dst + 0x2000) == 0x6b6b6b6b, "bus master off: VF0's "
	      "descriptor fetch from RAM faults; VF1 (bus master on) copies "
	      "RAM to RAM meanwhile");

	pci_cfg_writew(VF_DEVFN(0), 4, 0x6);
	vf_req(JMGPU_CMD_VF_RESET, 0, NULL, 0);
	ring_setup(0, RAM_RING, 16, 0, RAM_FENCE);
	job_fill(&j, JMGPU_JOB_FILL, JMGPU_JOB_F_FENCE, 0, dst + 0x1000, 4096,
		 0x2468ace0, 6);
	ring_put(0, RAM_RING, false, &j);
	vf_wr(0, JMGPU_VF_DOORBELL, 1);
	run_until_idle(0, 1000000);
	check(qt_readq(RAM_FENCE) == 6 && qt_readl(dst + 0x1000) == 0x2468ace0,
	      "bus master on again: VF0's DMA works");
}

/* VT-d (intel-iommu on q35) registers, VT-d specification */
#define VTD_BASE	0xfed90000ull
#define VTD_GCMD	0x18
#define VTD_GSTS	0x1c
#define VTD_RTADDR	0x20
#define VTD_TE		(1u << 31)	/* GCMD TE / GSTS TES */
#define VTD_SRTP	(1u << 30)	/* GCMD SRTP / GSTS RTPS */
#define RAM_ROOT_TABLE	0x00400000ull

/*
 * The engine's DMA goes through the VF's IOMMU: with the vIOMMU
 * translating and no context entry for the GPU, a job's DMA must not
 * reach memory. Same VM shape as the test VM: intel-iommu, root port.
 */
static void test_iommu(void)
{
	const uint64_t src = RAM_BUF, dst = RAM_BUF + 0x10000;
	const int rp = 0x10;	/* root port at 00:02.0, GPU at 01:00.0 */
	struct jmgpu_job j;
	bool is64, pref;
	uint32_t st = 0;
	int i;

	if (!qt_start("-device intel-iommu -device pcie-root-port,id=rp0,"
		      "bus=pcie.0,addr=02.0,chassis=1,slot=1 "
		      "-device jmgpu,id=gpu,bus=rp0")) {
		check(false, "QEMU starts with intel-iommu + root port + jmgpu "
		      "(%s)", qt_start_error);
		return;
	}
	/* root port: bus 1 below it, both memory windows over the BARs */
	pci_cfg_writel(rp, 0x18, 0x00010100);
	pci_cfg_writel(rp, 0x20, 0xc020c000);	/* 0xc0000000..0xc02fffff */
	pci_cfg_writel(rp, 0x24, 0xfff10001);
	pci_cfg_writel(rp, 0x28, 0x1);		/* 0x1_0000_0000.. */
	pci_cfg_writel(rp, 0x2c, 0x3);		/* ..0x3_ffff_ffff */
	pci_cfg_writew(rp, 4, 0x6);
	g_pf_bdf = 0x100;
	CHECK_EQ(pci_cfg_readl(PF_DEVFN, 0), 0x00011ee7,
		 "jmgpu at 01:00.0 behind the root port");
	pci_bar_size(PF_DEVFN, 0, &is64, &pref);
	pf_program();
	qt_clock_step(2000000);
	if (!check(bringup(2), "bring-up 2 VFs"))
		goto out;
	provision(0, 0, 64 * MIB, 50, 0, 0, 0, 0);
	qt_memset(src, 0x6b, 4096);
	qt_memset(dst, 0, 0x10000);
	ring_setup(0, 0x100000, 16, JMGPU_RING_CTRL_IN_FB |
		   JMGPU_RING_CTRL_FENCE_IN_FB, 0x200000);
	job_fill(&j, JMGPU_JOB_FILL, JMGPU_JOB_F_FENCE, 0, dst, 4096,
		 0x13579bdf, 1);
	ring_put(0, 0x100000, true, &j);
	job_fill(&j, JMGPU_JOB_COPY, JMGPU_JOB_F_DST_FB | JMGPU_JOB_F_FENCE,
		 src, 0x300000, 4096, 0, 2);
	ring_put(0, 0x100040, true, &j);
	vf_wr(0, JMGPU_VF_DOORBELL, 2);
	run_until_idle(0, 1000000);
	check(qt_readl(dst) == 0x13579bdf && qt_readl(VF_BAR2(0) + 0x300000) ==
	      0x6b6b6b6b && qt_readq(VF_BAR2(0) + 0x200000) == 2,
	      "translation off: VF0's FILL writes and COPY reads guest RAM");

	/* a zeroed root table: no context entries, every DMA blocked */
	qt_memset(RAM_ROOT_TABLE, 0, 4096);
	qt_writeq(VTD_BASE + VTD_RTADDR, RAM_ROOT_TABLE);
	qt_writel(VTD_BASE + VTD_GCMD, VTD_SRTP);
	for (i = 0; i < 100 && !(qt_readl(VTD_BASE + VTD_GSTS) & VTD_SRTP); i++)
		qt_clock_step(1000);
	qt_writel(VTD_BASE + VTD_GCMD, VTD_TE);
	for (i = 0; i < 100 && !((st = qt_readl(VTD_BASE + VTD_GSTS)) & VTD_TE);
	     i++)
		qt_clock_step(1000);
	check((st & (VTD_TE | VTD_SRTP)) == (VTD_TE | VTD_SRTP),
	      "VT-d: root table set (GSTS.RTPS), translation on (GSTS.TES): "
	      "GSTS 0x%x", st);

	vf_req(JMGPU_CMD_VF_RESET, 0, NULL, 0);
	ring_setup(0, 0x100000, 16, JMGPU_RING_CTRL_IN_FB |
		   JMGPU_RING_CTRL_FENCE_IN_FB, 0x200000);
	job_fill(&j, JMGPU_JOB_FILL, JMGPU_JOB_F_FENCE, 0, dst + 0x1000, 4096,
		 0x13579bdf, 3);
	ring_put(0, 0x100000, true, &j);
	vf_wr(0, JMGPU_VF_DOORBELL, 1);
	run_until_idle(0, 1000000);
	check(vf_rd(0, JMGPU_VF_FAULT_STATUS) == JMGPU_FAULT_CODE_DMA &&
	      qt_readl(dst + 0x1000) == 0 && qt_readl(dst + 0x1ffc) == 0 &&
	      qt_readq(VF_BAR2(0) + 0x200000) == 2, "translation on, no "
	      "context entry: the same FILL faults DMA, guest RAM untouched");

	vf_req(JMGPU_CMD_VF_RESET, 0, NULL, 0);
	qt_memset(VF_BAR2(0) + 0x300000, 0, 4096);
	ring_setup(0, 0x100000, 16, JMGPU_RING_CTRL_IN_FB |
		   JMGPU_RING_CTRL_FENCE_IN_FB, 0x200000);
	job_fill(&j, JMGPU_JOB_COPY, JMGPU_JOB_F_DST_FB | JMGPU_JOB_F_FENCE,
		 src, 0x300000, 4096, 0, 4);
	ring_put(0, 0x100000, true, &j);
	vf_wr(0, JMGPU_VF_DOORBELL, 1);
	run_until_idle(0, 1000000);
	check(vf_rd(0, JMGPU_VF_FAULT_STATUS) == JMGPU_FAULT_CODE_DMA &&
	      qt_readl(VF_BAR2(0) + 0x300000) == 0, "translation on: the same "
	      "COPY faults DMA, nothing read from guest RAM");

	vf_req(JMGPU_CMD_VF_RESET, 0, NULL, 0);
	qt_writeq(RAM_FENCE, 0);
	ring_setup(0, RAM_RING, 16, 0, RAM_FENCE);
	job_fill(&j, JMGPU_JOB_NOP, JMGPU_JOB_F_FENCE, 0, 0, 0, 0, 5);
	qt_memwrite(RAM_RING, &j, sizeof(j));
	vf_wr(0, JMGPU_VF_DOORBELL, 1);
	run_until_idle(0, 1000000);
	check(vf_rd(0, JMGPU_VF_FAULT_STATUS) == JMGPU_FAULT_CODE_DMA &&
	      vf_rd(0, JMGPU_VF_FAULT_ADDR_LO) == (uint32_t)RAM_RING &&
	      qt_readq(RAM_FENCE) == 0, "translation on: descriptor fetch "
	      "from a ring in guest RAM faults DMA");
out:
	g_pf_bdf = 0x20;
}

static void test_props(void)
{
	static const struct {
		const char *props, *msg;
	} bad[] = {
		{ "vram-size=3G", "vram-size must be a power of two" },
		{ "vram-size=2M", "vram-size must be a power of two" },
		{ "vf-aperture=100M", "vf-aperture must be a power of two" },
		{ "vram-size=256M,vf-aperture=512M", "vf-aperture must be" },
		{ "engine-rate=0", "engine-rate must be" },
		{ "fw-iface-version=0", "fw-iface-version must be non-zero" },
	};
	struct jmgpu_caps caps;
	bool is64, pref;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char args[256];

		snprintf(args, sizeof(args), "-device jmgpu,bus=pcie.0,addr=04.0,%s",
			 bad[i].props);
		check(!qt_start(args) && strstr(qt_start_error, bad[i].msg),
		      "-device jmgpu,%s refused: %s", bad[i].props, bad[i].msg);
		if (qt_running())
			qemu_stop(NULL);	/* (counted as a failure) */
	}
	/* non-default sizes and rate reach BARs, registers and GET_CAPS */
	g_aperture = 64 * MIB;
	if (!setup("vram-size=1G,vf-aperture=64M,engine-rate=250"))
		return;
	check(pci_bar_size(PF_DEVFN, 2, &is64, &pref) == 1ull << 30 &&
	      pf_rd(JMGPU_PF_FB_SIZE_LO) == 1u << 30, "vram-size=1G: BAR2 "
	      "and FB_SIZE");
	check(fw_cmd(JMGPU_CMD_GET_CAPS, NULL, &caps, sizeof(caps)) == 0 &&
	      le64toh(caps.fb_size) == 1ull << 30 &&
	      le64toh(caps.vf_aperture) == 64 * MIB &&
	      le32toh(caps.engine_rate) == 250, "GET_CAPS reports the "
	      "properties");
	check(bringup(1) && provision(0, 0, 128 * MIB, 10, 0, 0, 0, 0) ==
	      JMGPU_STATUS_BAD_PARAM, "slice larger than vf-aperture 64M -> "
	      "BAD_PARAM");
	check(provision(0, 0, 64 * MIB, 10, 0, 0, 0, 0) == 0,
	      "64 MiB slice fits");
	qt_writel(VF_BAR2(0) + 64 * MIB - 4, 0xabcd);
	CHECK_EQ(qt_readl(PF_BAR2 + 64 * MIB - 4), 0xabcd,
		 "last dword of a 64 MiB VF aperture maps to VRAM");
	{
		struct jmgpu_job j;
		int64_t t0, t1;

		ring_setup(0, RAM_RING, 4, 0, RAM_FENCE);
		qt_writeq(RAM_FENCE, 0);
		job_fill(&j, JMGPU_JOB_FILL, JMGPU_JOB_F_DST_FB |
			 JMGPU_JOB_F_FENCE, 0, 0, 1 * MIB, 0, 9);
		ring_put(0, RAM_RING, false, &j);
		t0 = qt_clock_step(1);
		vf_wr(0, JMGPU_VF_DOORBELL, 1);
		for (i = 0; i < 100 && qt_readq(RAM_FENCE) != 9; i++)
			qt_clock_step(100000);
		t1 = qt_clock_step(1);
		check(qt_readq(RAM_FENCE) == 9 && t1 - t0 >= 4100000 &&
		      t1 - t0 <= 4400000, "engine-rate=250: 1 MiB FILL takes "
		      "%.2f ms (want 4.19)", (t1 - t0) / 1e6);
	}
	g_aperture = 256 * MIB;
	qemu_stop("with vram-size=1G,vf-aperture=64M,engine-rate=250");

	/* fw-iface-version: register, HELLO reply and HELLO's major check */
	if (!setup_raw("fw-iface-version=0x20003"))
		return;
	CHECK_EQ(pf_rd(JMGPU_PF_FW_IFACE_VERSION), 0x20003,
		 "fw-iface-version=0x20003: FW_IFACE_VERSION 2.3");
	{
		struct jmgpu_hello_req hr = {
			.driver_version = htole32(JMGPU_FW_IFACE_VERSION),
		};
		struct jmgpu_hello_resp hs;

		check(fw_cmd(JMGPU_CMD_HELLO, &hr, NULL, 0) ==
		      JMGPU_STATUS_VERSION && le32toh(g_rh.len) == 0,
		      "fw 2.3: HELLO from driver 1.0 -> VERSION");
		hr.driver_version = htole32(0x20000);
		check(fw_cmd(JMGPU_CMD_HELLO, &hr, &hs, sizeof(hs)) == 0 &&
		      le32toh(hs.fw_version) == 0x20003,
		      "fw 2.3: HELLO from driver 2.0 -> OK, fw_version 2.3");
	}
	qt_clock_step(1);
	pf_wr(JMGPU_PF_CONTROL, JMGPU_PF_CONTROL_RESET);
	qt_clock_step(2000000);
	check(pf_rd(JMGPU_PF_STATUS) == JMGPU_PF_STATUS_FW_READY &&
	      pf_rd(JMGPU_PF_FW_IFACE_VERSION) == 0x20003 &&
	      fw_log_has("firmware ready (interface 2.3"),
	      "fw-iface-version kept by a firmware reset, in the log");
}

/* 32 VFs provisioned, all engines busy at once: all complete, fairly. */
static void test_scale(void)
{
	struct jmgpu_vf_stats st;
	struct jmgpu_job j;
	uint64_t busy[32], lo = UINT64_MAX, hi = 0;
	int i, done = 0, prov = 0;

	if (!setup(NULL) || !check(bringup(32), "bring-up 32 VFs"))
		return;
	for (i = 0; i < 32; i++)
		prov += provision(i, (uint64_t)i * 64 * MIB, 64 * MIB, 10, 2, 1,
				  1920, 1080) == 0;
	CHECK_EQ(prov, 32, "32 VFs provisioned: 32 x 64 MiB = all 2 GiB of VRAM, "
		 "64 codec sessions");
	CHECK_EQ(provision(0, 0, 4 * MIB, 10, 0, 0, 0, 0), JMGPU_STATUS_BAD_STATE,
		 "a provisioned VF cannot be provisioned again");
	for (i = 0; i < 32; i++) {
		qt_writeq(RAM_FENCE + 8 * i, 0);
		ring_setup(i, RAM_RING + 0x400 * i, 16, 0, RAM_FENCE + 8 * i);
		job_fill(&j, JMGPU_JOB_FILL, JMGPU_JOB_F_DST_FB | JMGPU_JOB_F_FENCE,
			 0, 0, 2 * MIB, 0x01010101 * i, 1 + i);
		ring_put(i, RAM_RING + 0x400 * i, false, &j);
		ring_put(i, RAM_RING + 0x400 * i + 64, false, &j);
	}
	for (i = 0; i < 32; i++)
		vf_wr(i, JMGPU_VF_DOORBELL, 2);
	/* 32 x 4 MiB at 1000 B/us: ~134 ms of engine time */
	qt_clock_step(60000000);
	for (i = 0; i < 32; i++) {
		get_stats(i, &st);
		busy[i] = le64toh(st.engine_busy_ns);
		lo = busy[i] < lo ? busy[i] : lo;
		hi = busy[i] > hi ? busy[i] : hi;
	}
	check(lo > 0 && hi - lo <= 1100000, "after 60 ms every VF had its "
	      "share (busy %.2f .. %.2f ms)", lo / 1e6, hi / 1e6);
	qt_clock_step(100000000);
	for (i = 0; i < 32; i++)
		done += qt_readq(RAM_FENCE + 8 * i) == (uint64_t)(1 + i);
	CHECK_EQ(done, 32, "all 32 VFs completed their jobs");
	check(qt_readl(PF_BAR2 + 31 * 64 * MIB + 4 * MIB - 4) == 0 &&
	      qt_readl(PF_BAR2 + 31 * 64 * MIB + 2 * MIB - 4) == 0x1f1f1f1f &&
	      qt_readl(PF_BAR2 + 5 * 64 * MIB) == 0x05050505,
	      "each VF filled its own slice");
}

/* The topology of the test VM: intel-iommu, root port, 32 VFs. */
static void test_vmshape(void)
{
	char v[64];

	if (!qt_start("-device intel-iommu -device pcie-root-port,id=rp0,"
		      "chassis=1,slot=1,pref64-reserve=16G "
		      "-device jmgpu,id=gpu,bus=rp0")) {
		check(false, "QEMU starts with intel-iommu + root port + jmgpu "
		      "(%s)", qt_start_error);
		return;
	}
	check(qmp_qom_get(QOM, "vram-size", v, sizeof(v)) &&
	      !strcmp(v, "2147483648"), "jmgpu realized behind a root port "
	      "with intel-iommu");
	check(qmp_qom_set(QOM, "fault-fw-hang", "true") &&
	      qmp_qom_get(QOM, "fault-fw-hang", v, sizeof(v)) &&
	      !strcmp(v, "true"), "fault switch works in that topology");
}


/* Submit a request and do not wait for DONE. */
static void fw_submit(unsigned int op, const void *req)
{
	struct jmgpu_msg_hdr h = {
		.opcode = htole16(op), .seq = htole32(++g_seq),
		.len = htole32(jmgpu_req_payload_len(op)),
	};
	uint8_t buf[64];

	memcpy(buf, &h, 16);
	memcpy(buf + 16, req, jmgpu_req_payload_len(op));
	qt_memwrite(PF_BAR0 + JMGPU_PF_MBOX_REQ, buf,
		    16 + jmgpu_req_payload_len(op));
	pf_wr(JMGPU_PF_MBOX_DOORBELL, 1);
}

static void test_faults(void)
{
	struct jmgpu_ping ping = { .cookie = htole64(42) }, pr;
	struct jmgpu_event ev[64];
	struct jmgpu_caps caps;
	struct jmgpu_job j;
	char val[64];
	uint32_t hb, data;
	int n, k, r;
	bool ok;

	if (!setup(NULL) || !check(bringup(2), "bring-up 2 VFs"))
		return;
	provision(0, 0, 64 * MIB, 50, 0, 0, 0, 0);
	provision(1, 64 * MIB, 64 * MIB, 50, 0, 0, 0, 0);

	/* firmware hang via QMP */
	check(qmp_qom_set(QOM, "fault-fw-hang", "true"), "qom-set fault-fw-hang");
	hb = pf_rd(JMGPU_PF_HEARTBEAT);
	fw_submit(JMGPU_CMD_PING, &ping);
	qt_clock_step(5000000);
	check(pf_rd(JMGPU_PF_MBOX_STATUS) == JMGPU_MBOX_STATUS_BUSY &&
	      pf_rd(JMGPU_PF_HEARTBEAT) == hb &&
	      pf_rd(JMGPU_PF_STATUS) == JMGPU_PF_STATUS_FW_READY,
	      "hung firmware: no reply, heartbeat stopped, STATUS unchanged");
	check(qmp_qom_get(QOM, "fault-fw-hang", val, sizeof(val)) &&
	      !strcmp(val, "true"), "qom-get fault-fw-hang");
	events(ev, 64);
	pf_wr(JMGPU_PF_CONTROL, JMGPU_PF_CONTROL_RESET);
	CHECK_EQ(pf_rd(JMGPU_PF_STATUS), JMGPU_PF_STATUS_RESETTING,
		 "CONTROL reset: STATUS RESETTING");
	fw_submit(JMGPU_CMD_PING, &ping);
	check(pf_rd(JMGPU_PF_MBOX_STATUS) == JMGPU_MBOX_STATUS_IDLE &&
	      log_has("while firmware not ready"),
	      "doorbell while RESETTING ignored and logged");
	qt_clock_step(2000000);
	n = events(ev, 64);
	check(pf_rd(JMGPU_PF_STATUS) == JMGPU_PF_STATUS_FW_READY &&
	      pf_rd(JMGPU_PF_MBOX_STATUS) == JMGPU_MBOX_STATUS_IDLE &&
	      has_event(ev, n, JMGPU_EVENT_FW_RESET_DONE, 0, NULL),
	      "after reset: FW_READY, mailbox idle, FW_RESET_DONE event");
	hb = pf_rd(JMGPU_PF_HEARTBEAT);
	qt_clock_step(3000000);
	check(pf_rd(JMGPU_PF_HEARTBEAT) != hb &&
	      fw_cmd(JMGPU_CMD_PING, &ping, &pr, sizeof(pr)) == 0,
	      "heartbeat and replies are back");
	check(vf_req(JMGPU_CMD_VF_QUERY, 0, NULL, 0) == JMGPU_STATUS_BAD_STATE &&
	      fw_log_has("before HELLO") && fw_hello() &&
	      vf_req(JMGPU_CMD_VF_QUERY, 0, NULL, 0) == JMGPU_STATUS_BAD_VF &&
	      qt_readl(VF_BAR2(0)) == 0, "after the reset commands are refused "
	      "(BAD_STATE, logged) until HELLO; then VF contexts and provisioning "
	      "are gone");
	check(vf_enable(2) == 0 && provision(0, 0, 64 * MIB, 50, 0, 0, 0, 0) == 0
	      && provision(1, 64 * MIB, 64 * MIB, 50, 0, 0, 0, 0) == 0,
	      "driver restores provisioning after reset");

	/* firmware hang via the test register block */
	pf_wr(JMGPU_PF_TEST_FAULT, JMGPU_FAULT_FW_HANG);
	check(pf_rd(JMGPU_PF_TEST_FAULT) == 0 &&
	      fw_cmd(JMGPU_CMD_PING, &ping, NULL, 0) == 0,
	      "test block locked: fault write ignored");
	pf_wr(JMGPU_PF_TEST_UNLOCK, JMGPU_TEST_UNLOCK_KEY);
	pf_wr(JMGPU_PF_TEST_FAULT, JMGPU_FAULT_FW_HANG);
	check(pf_rd(JMGPU_PF_TEST_FAULT) == 1u << JMGPU_FAULT_FW_HANG &&
	      fw_cmd(JMGPU_CMD_PING, &ping, NULL, 0) == -1,
	      "test register FW_HANG: no reply");
	check(qmp_qom_set(QOM, "fault-fw-hang", "false"), "qom-set fault-fw-hang "
	      "false");
	qt_clock_step(100000);
	CHECK_EQ(pf_rd(JMGPU_PF_MBOX_STATUS), JMGPU_MBOX_STATUS_DONE,
		 "un-hung firmware answers the pending request");

	/* dropped reply via QMP, then via register */
	check(qmp_qom_set(QOM, "fault-drop-reply", "true"),
	      "qom-set fault-drop-reply");
	r = fw_cmd(JMGPU_CMD_PING, &ping, NULL, 0);
	check(r == -1 && g_last_mbox == JMGPU_MBOX_STATUS_IDLE,
	      "dropped reply: no response, mailbox back to IDLE");
	CHECK_EQ(fw_cmd(JMGPU_CMD_PING, &ping, NULL, 0), 0,
		 "drop-reply is one-shot");
	pf_wr(JMGPU_PF_TEST_FAULT, JMGPU_FAULT_DROP_REPLY);
	CHECK_EQ(fw_cmd(JMGPU_CMD_PING, &ping, NULL, 0), -1,
		 "test register DROP_REPLY");

	/* corrupted replies: every kind is caught by the driver's validator */
	for (k = 0; k <= JMGPU_CORRUPT_MAX; k++) {
		static const int want[] = {
			JMGPU_REPLY_SEQ, JMGPU_REPLY_OPCODE, JMGPU_REPLY_LEN,
			JMGPU_REPLY_STATUS, JMGPU_REPLY_FIELD,
			JMGPU_REPLY_RESERVED,
		};
		int got;

		snprintf(val, sizeof(val), "%d", k);
		qmp_qom_set(QOM, "fault-corrupt-reply", val);
		r = fw_cmd(JMGPU_CMD_GET_CAPS, NULL, &caps, sizeof(caps));
		got = jmgpu_check_reply_hdr(&g_rh, JMGPU_MSG_MAX_PAYLOAD,
					    JMGPU_CMD_GET_CAPS, g_seq);
		if (got == JMGPU_REPLY_OK)
			got = jmgpu_check_caps(&caps);
		ok = got == want[k];
		check(ok, "qom-set fault-corrupt-reply %d: driver validator "
		      "reports '%s'", k, jmgpu_reply_err_str(got));
	}
	r = fw_cmd(JMGPU_CMD_GET_CAPS, NULL, &caps, sizeof(caps));
	check(r == 0 && jmgpu_check_reply_hdr(&g_rh, JMGPU_MSG_MAX_PAYLOAD,
					      JMGPU_CMD_GET_CAPS, g_seq) == 0 &&
	      jmgpu_check_caps(&caps) == 0, "corruption is one-shot");
	check(!qmp_qom_set(QOM, "fault-corrupt-reply", "9"),
	      "qom-set fault-corrupt-reply 9 refused");
	pf_wr(JMGPU_PF_TEST_FAULT_ARG, JMGPU_CORRUPT_SEQ);
	pf_wr(JMGPU_PF_TEST_FAULT, JMGPU_FAULT_CORRUPT_REPLY);
	fw_cmd(JMGPU_CMD_PING, &ping, NULL, 0);
	CHECK_EQ(jmgpu_check_reply_hdr(&g_rh, JMGPU_MSG_MAX_PAYLOAD,
				       JMGPU_CMD_PING, g_seq), JMGPU_REPLY_SEQ,
		 "test register CORRUPT_REPLY (seq)");

	/* engine hang on VF0 via QMP: VF1 keeps running */
	ring_setup(0, RAM_RING, 16, 0, RAM_FENCE);
	ring_setup(1, RAM_RING + 0x1000, 16, 0, RAM_FENCE + 8);
	qt_writeq(RAM_FENCE, 0);
	qt_writeq(RAM_FENCE + 8, 0);
	check(qmp_qom_set(QOM, "fault-engine-hang-vf", "0"),
	      "qom-set fault-engine-hang-vf 0");
	job_fill(&j, JMGPU_JOB_NOP, JMGPU_JOB_F_FENCE, 0, 0, 0, 0, 5);
	ring_put(0, RAM_RING, false, &j);
	ring_put(1, RAM_RING + 0x1000, false, &j);
	events(ev, 64);
	vf_wr(0, JMGPU_VF_DOORBELL, 1);
	vf_wr(1, JMGPU_VF_DOORBELL, 1);
	qt_clock_step(10000000);
	check(qt_readq(RAM_FENCE) == 0 && qt_readq(RAM_FENCE + 8) == 5 &&
	      (vf_rd(0, JMGPU_VF_STATUS) & JMGPU_VF_STATUS_ENGINE_BUSY),
	      "hung VF0 makes no progress, VF1 completes");
	qt_clock_step(250000000);
	n = events(ev, 64);
	check(has_event(ev, n, JMGPU_EVENT_ENGINE_FAULT, 0, &data) &&
	      data == JMGPU_FAULT_CODE_HANG &&
	      vf_rd(0, JMGPU_VF_FAULT_STATUS) == JMGPU_FAULT_CODE_HANG,
	      "firmware watchdog reports the hang (FAULT_CODE_HANG)");
	vf_req(JMGPU_CMD_VF_RESET, 0, NULL, 0);
	ring_setup(0, RAM_RING, 16, 0, RAM_FENCE);
	ring_put(0, RAM_RING, false, &j);
	vf_wr(0, JMGPU_VF_DOORBELL, 1);
	run_until_idle(0, 1000000);
	CHECK_EQ(qt_readq(RAM_FENCE), 5, "VF_RESET clears the engine hang");
	/* engine hang via the register, cleared by FLR */
	pf_wr(JMGPU_PF_TEST_FAULT_ARG, 1);
	pf_wr(JMGPU_PF_TEST_FAULT, JMGPU_FAULT_ENGINE_HANG);
	check(qmp_qom_get(QOM, "fault-engine-hang-vf", val, sizeof(val)) &&
	      !strcmp(val, "1"), "test register ENGINE_HANG vf1 (qom-get 1)");
	{
		int exp = pci_find_cap(VF_DEVFN(1), 0x10);

		pci_cfg_writew(VF_DEVFN(1), exp + 8,
			       pci_cfg_readw(VF_DEVFN(1), exp + 8) | 0x8000);
		pci_cfg_writew(VF_DEVFN(1), 4, 0x6);
		check(qmp_qom_get(QOM, "fault-engine-hang-vf", val, sizeof(val))
		      && !strcmp(val, "-1"), "FLR clears the engine hang");
	}
	/* DMA error via QMP on VF0, via register on VF1 */
	qt_writeq(RAM_FENCE, 0);
	check(qmp_qom_set(QOM, "fault-dma-error-vf", "0"),
	      "qom-set fault-dma-error-vf 0");
	ring_setup(0, RAM_RING, 16, 0, RAM_FENCE);
	ring_put(0, RAM_RING, false, &j);
	vf_wr(0, JMGPU_VF_DOORBELL, 1);
	run_until_idle(0, 1000000);
	check(vf_rd(0, JMGPU_VF_FAULT_STATUS) == JMGPU_FAULT_CODE_DMA &&
	      vf_rd(0, JMGPU_VF_FAULT_ADDR_LO) == (uint32_t)RAM_RING &&
	      qt_readq(RAM_FENCE) == 0, "injected DMA error -> DMA fault on "
	      "the descriptor fetch");
	vf_req(JMGPU_CMD_VF_RESET, 0, NULL, 0);
	ring_setup(0, RAM_RING, 16, 0, RAM_FENCE);
	vf_wr(0, JMGPU_VF_DOORBELL, 1);
	run_until_idle(0, 1000000);
	CHECK_EQ(qt_readq(RAM_FENCE), 5, "DMA error is one-shot");
	pf_wr(JMGPU_PF_TEST_FAULT_ARG, 1);
	pf_wr(JMGPU_PF_TEST_FAULT, JMGPU_FAULT_DMA_ERROR);
	ring_setup(1, RAM_RING + 0x1000, 16, 0, RAM_FENCE + 8);
	vf_wr(1, JMGPU_VF_DOORBELL, 1);
	run_until_idle(1, 1000000);
	CHECK_EQ(vf_rd(1, JMGPU_VF_FAULT_STATUS), JMGPU_FAULT_CODE_DMA,
		 "test register DMA_ERROR vf1");
	pf_wr(JMGPU_PF_TEST_FAULT_ARG, 40);
	pf_wr(JMGPU_PF_TEST_FAULT, JMGPU_FAULT_DMA_ERROR);
	check(log_has("fault 5 for vf 40"), "test register: bad VF refused "
	      "and logged");
	check(!qmp_qom_set(QOM, "fault-dma-error-vf", "32"),
	      "qom-set fault-dma-error-vf 32 refused");

	/* TEST_FW_VERSION: sticky interface version override */
	{
		struct jmgpu_hello_req hr = {
			.driver_version = htole32(JMGPU_FW_IFACE_VERSION),
		};
		struct jmgpu_hello_resp hs;
		int exp = pci_find_cap(PF_DEVFN, 0x10);

		pf_wr(JMGPU_PF_TEST_UNLOCK, JMGPU_TEST_UNLOCK_KEY);
		CHECK_EQ(pf_rd(JMGPU_PF_TEST_FW_VERSION), 0,
			 "TEST_FW_VERSION reads 0 (no override)");
		pf_wr(JMGPU_PF_TEST_FW_VERSION, 0x20000);
		check(pf_rd(JMGPU_PF_TEST_FW_VERSION) == 0x20000 &&
		      pf_rd(JMGPU_PF_FW_IFACE_VERSION) == 0x20000 &&
		      fw_log_has("test: firmware reports interface 2.0"),
		      "TEST_FW_VERSION 2.0: FW_IFACE_VERSION 2.0, logged");
		check(fw_cmd(JMGPU_CMD_HELLO, &hr, NULL, 0) ==
		      JMGPU_STATUS_VERSION, "override 2.0: HELLO from driver "
		      "1.0 -> VERSION");
		pf_wr(JMGPU_PF_CONTROL, JMGPU_PF_CONTROL_RESET);
		qt_clock_step(2000000);
		CHECK_EQ(pf_rd(JMGPU_PF_FW_IFACE_VERSION), 0x20000,
			 "override survives CONTROL.RESET");
		pci_cfg_writew(PF_DEVFN, exp + 8,
			       pci_cfg_readw(PF_DEVFN, exp + 8) | 0x8000);
		pf_program();
		qt_clock_step(2000000);
		check(pf_rd(JMGPU_PF_FW_IFACE_VERSION) == 0x20000 &&
		      pf_rd(JMGPU_PF_TEST_UNLOCK) == 0,
		      "override survives a PF FLR (block locked again)");
		pf_wr(JMGPU_PF_TEST_FW_VERSION, 0);
		CHECK_EQ(pf_rd(JMGPU_PF_FW_IFACE_VERSION), 0x20000,
			 "TEST_FW_VERSION write while locked ignored");
		pf_wr(JMGPU_PF_TEST_UNLOCK, JMGPU_TEST_UNLOCK_KEY);
		pf_wr(JMGPU_PF_TEST_FW_VERSION, 0x10005);
		check(fw_cmd(JMGPU_CMD_HELLO, &hr, &hs, sizeof(hs)) == 0 &&
		      le32toh(hs.fw_version) == 0x10005,
		      "override 1.5: HELLO from driver 1.0 OK, fw_version 1.5");
		pf_wr(JMGPU_PF_TEST_FW_VERSION, 0);
		check(pf_rd(JMGPU_PF_TEST_FW_VERSION) == 0 &&
		      pf_rd(JMGPU_PF_FW_IFACE_VERSION) == JMGPU_FW_IFACE_VERSION &&
		      fw_cmd(JMGPU_CMD_HELLO, &hr, &hs, sizeof(hs)) == 0 &&
		      le32toh(hs.fw_version) == JMGPU_FW_IFACE_VERSION,
		      "TEST_FW_VERSION 0: back to 1.0");
	}
}

/*
 * Reset isolation under stress: VF1 (B) streams fenced copy jobs through a
 * small ring in guest RAM (slots wrap) while VF0 (A), busy with its own
 * jobs, gets FLRs and firmware VF_RESETs at many different points of the
 * scheduler's slices. Every B job must run exactly once with its bytes and
 * fence; HEAD, TAIL and the fence must agree.
 */
static void test_isolation(void)
{
	enum { RING = 8, LEN_MAX = 65536 + 8192, ITERS = 500 };
	static uint8_t pat[LEN_MAX], got[LEN_MAX];
	uint64_t a_ring = RAM_RING + 0x4000, b_ring = RAM_RING;
	uint64_t b_fence = RAM_FENCE + 8, a_fence = RAM_FENCE;
	uint64_t src = RAM_BUF, dst = RAM_BUF + 0x100000, seq = 0, f;
	uint32_t tail = 0, a_tail = 0, rng = 12345, exp_vf0;
	unsigned int iter, k, nb, bad = 0, lost = 0, resets = 0, checked = 0;
	uint64_t len[3];
	struct jmgpu_job j;
	int64_t t;

	if (!setup(NULL) || !check(bringup(2), "bring-up 2 VFs"))
		return;
	provision(0, 0, 64 * MIB, 30, 0, 0, 0, 0);
	provision(1, 64 * MIB, 64 * MIB, 60, 0, 0, 0, 0);
	exp_vf0 = pci_find_cap(VF_DEVFN(0), 0x10);
	qt_writeq(a_fence, 0);
	qt_writeq(b_fence, 0);
	ring_setup(0, a_ring, RING, 0, a_fence);
	ring_setup(1, b_ring, RING, 0, b_fence);
	for (iter = 0; iter < ITERS; iter++) {
		/* A: keep its ring busy with fills in its own slice */
		while (((a_tail + 1) & (RING - 1)) !=
		       vf_rd(0, JMGPU_VF_RING_HEAD)) {
			job_fill(&j, JMGPU_JOB_FILL, JMGPU_JOB_F_DST_FB |
				 JMGPU_JOB_F_FENCE | JMGPU_JOB_F_IRQ, 0,
				 0x100000, 20000 + (rng % 40000), 0xa5a5a5a5,
				 iter);
			ring_put(0, a_ring + a_tail * 64, false, &j);
			a_tail = (a_tail + 1) & (RING - 1);
			vf_wr(0, JMGPU_VF_DOORBELL, a_tail);
		}
		/* B: a burst of 1..3 RAM -> FB -> RAM round trips (2..6 jobs) */
		rng = rng * 1103515245 + 12345;
		nb = 1 + (rng >> 16) % 3;
		for (k = 0; k < 2 * nb; k++) {
			bool up = !(k & 1);
			uint64_t off = (k / 2) * (uint64_t)LEN_MAX;

			if (up) {
				rng = rng * 1103515245 + 12345;
				len[k / 2] = 1 + (rng >> 4) % LEN_MAX;
				memset(pat, (uint8_t)seq, len[k / 2]);
				pat[0] = rng;
				pat[len[k / 2] - 1] = rng >> 8;
				qt_memwrite(src + off, pat, len[k / 2]);
				qt_memset(dst + off, 0, len[k / 2]);
			}
			job_fill(&j, JMGPU_JOB_COPY, JMGPU_JOB_F_FENCE |
				 JMGPU_JOB_F_IRQ | (up ? JMGPU_JOB_F_DST_FB :
						    JMGPU_JOB_F_SRC_FB),
				 up ? src + off : 0x400000 + off,
				 up ? 0x400000 + off : dst + off, len[k / 2], 0,
				 ++seq);
			ring_put(1, b_ring + tail * 64, false, &j);
			tail = (tail + 1) & (RING - 1);
		}
		vf_wr(1, JMGPU_VF_DOORBELL, tail);
		/* reset A at a random point of the slices */
		rng = rng * 1103515245 + 12345;
		qt_clock_step(1 + (rng >> 8) % 120000);
		if (rng & 0x10000) {
			pci_cfg_writew(VF_DEVFN(0), exp_vf0 + 8,
				       pci_cfg_readw(VF_DEVFN(0), exp_vf0 + 8) |
				       0x8000);
			pci_cfg_writew(VF_DEVFN(0), 4, 0x6);
		} else {
			vf_req(JMGPU_CMD_VF_RESET, 0, NULL, 0);
		}
		resets++;
		ring_setup(0, a_ring, RING, 0, a_fence);
		a_tail = 0;
		/* wait for B's last fence */
		for (t = 0; t < 50000000; t += 20000) {
			if (qt_readq(b_fence) >= seq)
				break;
			qt_clock_step(20000);
		}
		f = qt_readq(b_fence);
		if (f != seq || vf_rd(1, JMGPU_VF_RING_HEAD) != tail ||
		    vf_rd(1, JMGPU_VF_RING_TAIL) != tail) {
			if (!lost++)
				diag("iter %u: fence %" PRIu64 " want %"
				     PRIu64 ", head %u tail %u (want %u) "
				     "status 0x%x", iter, f, seq,
				     vf_rd(1, JMGPU_VF_RING_HEAD),
				     vf_rd(1, JMGPU_VF_RING_TAIL), tail,
				     vf_rd(1, JMGPU_VF_STATUS));
			break;
		}
		for (k = 0; k < nb; k++) {
			qt_memread(src + k * (uint64_t)LEN_MAX, pat, len[k]);
			qt_memread(dst + k * (uint64_t)LEN_MAX, got, len[k]);
			checked++;
			if (memcmp(got, pat, len[k]) && !bad++)
				diag("iter %u: copy of %" PRIu64
				     " bytes wrong", iter, len[k]);
		}
	}
	check(!lost && iter == ITERS, "isolation: %u of VF1's bursts (%" PRIu64
	      " jobs) completed with fence, HEAD and TAIL right while VF0 "
	      "was reset %u times", iter, seq, resets);
	check(!bad, "isolation: every round trip copy of VF1 is correct "
	      "(%u checked)", checked);
	check(!(vf_rd(1, JMGPU_VF_STATUS) & JMGPU_VF_STATUS_ENGINE_FAULT),
	      "isolation: VF1 never faulted");
}

#include <sys/wait.h>	/* waitid(): test_hostile reads QEMU's exit status */

/*
 * Hostile tenant, device side: VF 0 aims its engine's DMA and its MSI-X
 * messages at the device itself: the PF's CONTROL register (a firmware
 * reset), the PF's SR-IOV control through ECAM (VFs disabled) and its own
 * RING_CTRL (its ring stopped in the middle of a job), while VF 1 runs a
 * job next to it. Each write takes effect as it would on hardware. QEMU
 * must keep answering, the model must end in the state the write asked
 * for (nothing of the interrupted work completes afterwards), the card
 * must work again, and QEMU must exit with status 0 on QMP quit.
 */
static void test_hostile(void)
{
	static const struct {
		const char *what;
		int kind;	/* 0 DMA, 1 fault MSI-X, 2 job-done MSI-X */
		int target;	/* 0 PF CONTROL, 1 SR-IOV control, 2 RING_CTRL */
		uint64_t fence;	/* VF 0's fence afterwards */
	} rows[] = {
		{ "DMA (COPY) into PF CONTROL", 0, 0, 0 },
		{ "DMA (FILL) into the PF's SR-IOV control through ECAM", 0, 1, 0 },
		{ "DMA (COPY) into VF 0's own RING_CTRL", 0, 2, 0 },
		{ "fault MSI-X into PF CONTROL", 1, 0, 0 },
		{ "fault MSI-X into the PF's SR-IOV control through ECAM", 1, 1, 0 },
		/* both jobs completed before their interrupt was sent */
		{ "job-done MSI-X into PF CONTROL", 2, 0, 12 },
	};
	struct jmgpu_vf_req r0 = { .vf = 0 }, r1 = { .vf = htole32(1) };
	struct jmgpu_event ev[64];
	uint8_t pat[4096], got[4096];
	struct jmgpu_job j;
	unsigned int k;
	uint64_t dst;
	int i, n;

	if (!setup(NULL) || !check(bringup(2), "hostile: bring-up 2 VFs"))
		return;
	for (i = 0; i < (int)sizeof(pat); i++)
		pat[i] = i * 7 + 3;
	for (k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
		const char *w = rows[k].what;
		int t = rows[k].target;

		dst = t == 0 ? PF_BAR0 + JMGPU_PF_CONTROL :
		      t == 1 ? QT_ECAM + ((uint64_t)PF_DEVFN << 12) + g_sriov + 8 :
		      VF_BAR0(0) + JMGPU_VF_RING_CTRL;
		provision(0, 0, 64 * MIB, 40, 0, 0, 0, 0);
		provision(1, 64 * MIB, 64 * MIB, 60, 0, 0, 0, 0);
		qt_writel(RAM_BUF, t == 0 ? JMGPU_PF_CONTROL_RESET : 0);
		qt_writeq(RAM_FENCE, 0);
		qt_writeq(RAM_FENCE + 8, 0);
		ring_setup(0, RAM_RING, 16, 0, RAM_FENCE);
		ring_setup(1, RAM_RING + 0x1000, 16, 0, RAM_FENCE + 8);
		/* the neighbour: VF 1 fills 4 MiB of its slice (4 slices) */
		job_fill(&j, JMGPU_JOB_FILL, JMGPU_JOB_F_DST_FB |
			 JMGPU_JOB_F_FENCE, 0, 0, 4 * MIB, 0x5a5a5a5a, 7);
		ring_put(1, RAM_RING + 0x1000, false, &j);
		if (rows[k].kind == 0) {
			/* a 4-byte copy of RAM_BUF (or a fill) onto dst */
			job_fill(&j, t == 1 ? JMGPU_JOB_FILL : JMGPU_JOB_COPY,
				 JMGPU_JOB_F_FENCE, RAM_BUF, dst, 4, 0, 11);
		} else {
			msix_setup(VF_DEVFN(0), VF_BAR4_BASE, 0, dst,
				   t == 0 ? JMGPU_PF_CONTROL_RESET : 0);
			job_fill(&j, JMGPU_JOB_NOP, rows[k].kind == 2 ?
				 JMGPU_JOB_F_IRQ : 0, 0, 0, 0, 0, 0);
			if (rows[k].kind == 1)
				j.reserved0 = htole32(1);	/* BAD_JOB */
		}
		ring_put(0, RAM_RING, false, &j);
		/* a second job: must not run after the write */
		job_fill(&j, JMGPU_JOB_NOP, JMGPU_JOB_F_FENCE, 0, 0, 0, 0, 12);
		ring_put(0, RAM_RING + 64, false, &j);
		events(ev, 64);
		vf_wr(1, JMGPU_VF_DOORBELL, 1);
		vf_wr(0, JMGPU_VF_DOORBELL, 2);
		for (i = 0; i < 40 && qt_running(); i++)
			qt_clock_step(250000);	/* 10 ms; a reset takes 1 ms */

		check(qt_running() && pf_rd(JMGPU_PF_MAGIC) == JMGPU_MAGIC,
		      "hostile: %s: QEMU survives and answers", w);
		n = events(ev, 64);
		if (t == 0) {
			check(pf_rd(JMGPU_PF_STATUS) == JMGPU_PF_STATUS_FW_READY &&
			      has_event(ev, n, JMGPU_EVENT_FW_RESET_DONE, 0,
					NULL) &&
			      pf_rd(JMGPU_PF_MBOX_STATUS) ==
			      JMGPU_MBOX_STATUS_IDLE && fw_hello() &&
			      vf_req(JMGPU_CMD_VF_QUERY, 0, NULL, 0) ==
			      JMGPU_STATUS_BAD_VF,
			      "hostile: %s: the firmware restarted (FW_READY, "
			      "FW_RESET_DONE), every VF context is gone", w);
		} else if (t == 1) {
			check(!(pci_cfg_readw(PF_DEVFN, g_sriov + 8) & 1) &&
			      vf_req(JMGPU_CMD_VF_QUERY, 0, NULL, 0) ==
			      JMGPU_STATUS_BAD_VF,
			      "hostile: %s: VFs disabled, contexts torn down",
			      w);
		} else {
			check(vf_rd(0, JMGPU_VF_RING_CTRL) == 0 &&
			      vf_rd(0, JMGPU_VF_RING_HEAD) == 0 &&
			      vf_rd(0, JMGPU_VF_RING_TAIL) == 0 &&
			      !(vf_rd(0, JMGPU_VF_STATUS) &
				(JMGPU_VF_STATUS_ENGINE_BUSY |
				 JMGPU_VF_STATUS_ENGINE_FAULT)),
			      "hostile: %s: ring stopped with HEAD = TAIL = 0 "
			      "(HEAD %u), engine idle, not faulted", w,
			      vf_rd(0, JMGPU_VF_RING_HEAD));
			CHECK_EQ(qt_readq(RAM_FENCE + 8), 7, "hostile: %s: "
				 "VF 1's job completed meanwhile", w);
		}
		CHECK_EQ(qt_readq(RAM_FENCE), rows[k].fence, "hostile: %s: "
			 "no job of VF 0 completed after the write", w);

		/* the card works again: VF 0 copies RAM -> FB -> RAM */
		if (t == 1)
			sriov_enable(2);	/* also resets VF 0's MSI-X */
		else
			msix_setup(VF_DEVFN(0), VF_BAR4_BASE, 0, MSI_VF(0),
				   0xb000);
		if (t != 2)
			vf_enable(2);
		fw_cmd(JMGPU_CMD_VF_UNPROVISION, &r0, NULL, 0);
		fw_cmd(JMGPU_CMD_VF_UNPROVISION, &r1, NULL, 0);
		provision(0, 0, 64 * MIB, 40, 0, 0, 0, 0);
		qt_memwrite(RAM_BUF + 0x10000, pat, sizeof(pat));
		qt_memset(RAM_BUF + 0x20000, 0, sizeof(got));
		ring_setup(0, RAM_RING, 16, 0, RAM_FENCE);
		job_fill(&j, JMGPU_JOB_COPY, JMGPU_JOB_F_DST_FB,
			 RAM_BUF + 0x10000, 0x1000, sizeof(pat), 0, 0);
		ring_put(0, RAM_RING, false, &j);
		job_fill(&j, JMGPU_JOB_COPY, JMGPU_JOB_F_SRC_FB |
			 JMGPU_JOB_F_FENCE, 0x1000, RAM_BUF + 0x20000,
			 sizeof(pat), 0, 21);
		ring_put(0, RAM_RING + 64, false, &j);
		vf_wr(0, JMGPU_VF_DOORBELL, 2);
		run_until_idle(0, 5000000);
		qt_memread(RAM_BUF + 0x20000, got, sizeof(got));
		check(qt_readq(RAM_FENCE) == 21 &&
		      vf_rd(0, JMGPU_VF_RING_HEAD) == 2 &&
		      !memcmp(pat, got, sizeof(pat)),
		      "hostile: %s: afterwards VF 0 runs a verified RAM -> FB "
		      "-> RAM copy", w);
		vf_wr(0, JMGPU_VF_RING_CTRL, 0);
		fw_cmd(JMGPU_CMD_VF_UNPROVISION, &r0, NULL, 0);
	}

	/*
	 * A mailbox command whose VF interrupt resets the firmware: the PF
	 * deposits a message for VF 0, whose message vector (1) is aimed at
	 * PF CONTROL. The firmware restarts under the command: no reply may
	 * be posted for it afterwards (the mailbox stays IDLE).
	 */
	{
		struct jmgpu_vf_msg m = { .vf = 0, .data = { htole32(0x1234) } };
		int r;

		msix_setup(VF_DEVFN(0), VF_BAR4_BASE, 1,
			   PF_BAR0 + JMGPU_PF_CONTROL, JMGPU_PF_CONTROL_RESET);
		vf_wr(0, JMGPU_VF_INT_MASK, 7);
		events(ev, 64);
		r = fw_cmd(JMGPU_CMD_VF_MSG_REPLY, &m, NULL, 0);
		qt_clock_step(2000000);
		n = events(ev, 64);
		check(qt_running() && r == -1 &&
		      pf_rd(JMGPU_PF_MBOX_STATUS) == JMGPU_MBOX_STATUS_IDLE &&
		      pf_rd(JMGPU_PF_STATUS) == JMGPU_PF_STATUS_FW_READY &&
		      has_event(ev, n, JMGPU_EVENT_FW_RESET_DONE, 0, NULL),
		      "hostile: VF_MSG_REPLY whose VF MSI-X hits PF CONTROL: "
		      "the firmware restarts, no reply is posted for it "
		      "(fw_cmd %d)", r);
		msix_setup(VF_DEVFN(0), VF_BAR4_BASE, 1, MSI_VF(0) + 4, 0xb001);
	}

	/*
	 * The firmware log past 4 GiB: GET_LOG offsets are 32-bit stream
	 * positions. Put the stream 1000 bytes before 4 GiB, log ~2.7 KB
	 * (60 HELLOs) across the boundary, and read it back by following
	 * "next": every reply starts where it was asked to, the bytes read
	 * are exactly the bytes logged, the read ends at the stream's end.
	 */
	{
		static char text[8192];
		uint8_t lb[16 + JMGPU_LOG_CHUNK];
		struct jmgpu_log_resp *o = (struct jmgpu_log_resp *)lb;
		struct jmgpu_hello_req hr = {
			.driver_version = htole32(JMGPU_FW_IFACE_VERSION),
		};
		struct jmgpu_log_req lr;
		uint32_t off = 0xfffffc18, len = 0, l = 0;
		bool contiguous = true;
		char val[64], *p;
		uint64_t total;
		int hellos = 0;

		check(qmp_qom_set(QOM, "fw-log-total", "4294966296"),
		      "hostile: fw-log-total set to 4 GiB - 1000");
		for (i = 0; i < 60; i++)
			fw_cmd(JMGPU_CMD_HELLO, &hr, NULL, 0);
		qmp_qom_get(QOM, "fw-log-total", val, sizeof(val));
		total = strtoull(val, NULL, 0);
		for (i = 0; i < 8; i++) {
			lr.offset = htole32(off);
			lr.max_len = htole32(JMGPU_LOG_CHUNK);
			if (fw_cmd(JMGPU_CMD_GET_LOG, &lr, lb, sizeof(lb)) != 0)
				break;
			l = le32toh(o->len);
			if (le32toh(o->offset) != off ||
			    jmgpu_check_log_reply(o, le32toh(g_rh.len), off,
						  JMGPU_LOG_CHUNK)) {
				if (contiguous)
					fprintf(stderr, "#   GET_LOG at 0x%x "
						"answered from 0x%x\n", off,
						le32toh(o->offset));
				contiguous = false;
			}
			if (!l || l > JMGPU_LOG_CHUNK || len + l >= sizeof(text))
				break;
			memcpy(text + len, o->text, l);
			len += l;
			off = le32toh(o->next);
		}
		text[len] = '\0';
		for (p = text; (p = strstr(p, "hello: driver interface")); p++)
			hellos++;
		check(contiguous && l == 0 && total > 1ull << 32 &&
		      len == total - 4294966296ull && off == (uint32_t)total &&
		      hellos == 60,
		      "hostile: GET_LOG across 4 GiB of log: contiguous "
		      "replies, %u bytes (%" PRIu64 " logged), %d of 60 lines,"
		      " ends at 0x%x", len, (uint64_t)(total - 4294966296ull), hellos, off);
		/*
		 * 70000 bytes past 4 GiB, a reader still at 4 GiB - 4096:
		 * those bytes are overwritten, the reply resumes at the
		 * oldest byte kept, whose 32-bit offset (4464) is below the
		 * one asked for; the driver's validator must accept it.
		 */
		qmp_qom_set(QOM, "fw-log-total", "4295037296");
		lr.offset = htole32(0xfffff000);
		memset(lb, 0, sizeof(lb));
		i = fw_cmd(JMGPU_CMD_GET_LOG, &lr, lb, sizeof(lb));
		check(i == 0 && le32toh(o->offset) == 4464 &&
		      jmgpu_check_log_reply(o, le32toh(g_rh.len), 0xfffff000,
					    JMGPU_LOG_CHUNK) == JMGPU_REPLY_OK,
		      "hostile: past 4 GiB, GET_LOG of an overwritten offset "
		      "resumes at the oldest byte kept (0x%x), and the driver's "
		      "validator accepts the wrapped offset",
		      le32toh(o->offset));
	}

	/* QEMU never died: the harness ends the group with its QMP quit check */
}

/*
 * flood: VF 0 (A) writes MSG_OUT_DOORBELL 20,000 times while VF 1 (B)
 * faults and is FLRed and the firmware restarts; the qtest plays the PF
 * driver (drains the ring every 10 doorbells, acknowledges A's message).
 * Then the driver stops draining: VF 2 (C) FLRs 100 times, B faults and
 * is FLRed, the firmware restarts. No record addressed to B or to the PF
 * may be lost, A's drops are counted where A can see them, and the log
 * keeps what came before the flood.
 */
struct flood {
	int b_fault, b_fault_code, b_flr, c_flr, fw_reset;
	int a_msgs;			/* A's VF_MSG records since re-enable */
	uint32_t a_last_seq;		/* seq of the last one */
	bool a_seq_ok;			/* 1, 2, 3, ... in order */
	int records;			/* all records read */
};

static int flood_drain(struct flood *f, bool ack)
{
	struct jmgpu_event ev[64];
	int i, n = events(ev, 64);

	for (i = 0; i < n && i < 64; i++) {
		unsigned int t = le16toh(ev[i].type), v = le16toh(ev[i].vf);

		f->records++;
		if (t == JMGPU_EVENT_FW_RESET_DONE) {
			f->fw_reset++;
		} else if (t == JMGPU_EVENT_ENGINE_FAULT && v == 1) {
			f->b_fault++;
			f->b_fault_code = le32toh(ev[i].data);
		} else if (t == JMGPU_EVENT_VF_FLR_DONE && v == 1) {
			f->b_flr++;
		} else if (t == JMGPU_EVENT_VF_FLR_DONE && v == 2) {
			f->c_flr++;
		} else if (t == JMGPU_EVENT_VF_MSG && v == 0) {
			f->a_msgs++;
			if (le32toh(ev[i].data) != f->a_last_seq + 1)
				f->a_seq_ok = false;
			f->a_last_seq = le32toh(ev[i].data);
			if (ack) {
				struct jmgpu_vf_msg_ack a = {
					.vf = 0, .seq = ev[i].data,
				};

				fw_cmd(JMGPU_CMD_VF_MSG_ACK, &a, NULL, 0);
			}
		}
	}
	return n;
}

static bool event_state(uint32_t vf, struct jmgpu_vf_event_state *es)
{
	memset(es, 0, sizeof(*es));
	return vf_req(JMGPU_CMD_VF_EVENT_STATE, vf, es, sizeof(*es)) == 0 &&
	       jmgpu_check_event_state(es, vf) == JMGPU_REPLY_OK;
}

static void flood_provision(void)
{
	provision(0, 0, 64 * MIB, 30, 0, 0, 0, 0);
	provision(1, 64 * MIB, 64 * MIB, 30, 0, 0, 0, 0);
	provision(2, 128 * MIB, 64 * MIB, 30, 0, 0, 0, 0);
}

static void vf_flr(int vf)
{
	int exp = pci_find_cap(VF_DEVFN(vf), 0x10);

	pci_cfg_writew(VF_DEVFN(vf), exp + 8,
		       pci_cfg_readw(VF_DEVFN(vf), exp + 8) | 0x8000);
	pci_cfg_writew(VF_DEVFN(vf), 4, 0x6);	/* the VF's driver re-enables */
}

static void test_flood(void)
{
	struct flood f = { .a_seq_ok = true };
	struct jmgpu_vf_event_state es, es0, esb;
	struct jmgpu_event ev[64];
	uint32_t doorbells = 0, head, tail, used;
	bool ok;
	int i, n;

	if (!setup(NULL) || !check(bringup(3), "flood: bring-up 3 VFs"))
		return;
	flood_provision();

	/* dropped doorbells: nothing posted, nothing raised */
	vf_wr(0, JMGPU_VF_MSG_OUT_DOORBELL, 1);
	flood_drain(&f, false);			/* seq 1, not acked yet */
	msi_take(MSI_PF + 4);
	pf_wr(JMGPU_PF_INT_STATUS, JMGPU_PF_INT_EVENT);
	for (i = 0; i < 100; i++)
		vf_wr(0, JMGPU_VF_MSG_OUT_DOORBELL, 1);
	check(f.a_msgs == 1 && pf_rd(JMGPU_PF_EVQ_HEAD) ==
	      pf_rd(JMGPU_PF_EVQ_TAIL) && msi_take(MSI_PF + 4) == 0 &&
	      !(pf_rd(JMGPU_PF_INT_STATUS) & JMGPU_PF_INT_EVENT) &&
	      vf_rd(0, JMGPU_VF_MSG_OUT_DROPPED) == 100,
	      "flood: 100 doorbells while A's message is unacknowledged post "
	      "no event and no interrupt; A sees 100 in MSG_OUT_DROPPED (%u)",
	      vf_rd(0, JMGPU_VF_MSG_OUT_DROPPED));

	/* a reply acknowledges too: the next doorbell is message 2 */
	{
		struct jmgpu_vf_msg m = { .vf = 0, .data = { htole32(0x600d) } };
		int r = fw_cmd(JMGPU_CMD_VF_MSG_REPLY, &m, NULL, 0);
		uint32_t st = vf_rd(0, JMGPU_VF_MSG_OUT_STATUS);

		vf_wr(0, JMGPU_VF_MSG_OUT_DOORBELL, 1);
		flood_drain(&f, false);
		check(r == 0 && st == 0 && vf_rd(0, JMGPU_VF_MSG_IN) == 0x600d &&
		      f.a_msgs == 2 && f.a_seq_ok,
		      "flood: VF_MSG_REPLY acknowledges A's message (BUSY %u "
		      "after it), A's next doorbell is message 2 (%u)", st,
		      f.a_last_seq);
	}

	/* phase 1: a driver that drains and acknowledges */
	f = (struct flood){ .a_seq_ok = true };
	{
		struct jmgpu_vf_msg_ack a = { .vf = 0, .seq = htole32(2) };

		fw_cmd(JMGPU_CMD_VF_MSG_ACK, &a, NULL, 0);
	}
	f.a_last_seq = 2;
	event_state(0, &es0);
	for (i = 0; i < 20000; i++) {
		if (i % 10 == 0)
			vf_wr(0, JMGPU_VF_MSG_OUT, i);
		vf_wr(0, JMGPU_VF_MSG_OUT_DOORBELL, 1);
		doorbells++;
		if (i == 5000)		/* B: ring of 3 entries -> fault RING */
			ring_setup(1, RAM_RING, 3, 0, RAM_FENCE);
		if (i == 10000)
			vf_flr(1);
		if (i == 15000) {
			flood_drain(&f, true);
			pf_wr(JMGPU_PF_CONTROL, JMGPU_PF_CONTROL_RESET);
			qt_clock_step(2000000);
			fw_hello();	/* the driver's recovery */
			vf_enable(3);
			flood_provision();
		}
		if (i % 10 == 9)
			flood_drain(&f, true);
	}
	flood_drain(&f, true);
	check(f.b_fault == 1 && f.b_fault_code == JMGPU_FAULT_CODE_RING,
	      "flood: the driver got B's ENGINE_FAULT (RING) once (%d)",
	      f.b_fault);
	CHECK_EQ(f.b_flr, 1, "flood: the driver got B's VF_FLR_DONE once");
	CHECK_EQ(f.fw_reset, 1, "flood: the driver got FW_RESET_DONE once");
	ok = event_state(0, &es);
	check(ok && f.a_seq_ok && f.a_msgs > 100 &&
	      le32toh(es.msgs) - le32toh(es0.msgs) == (uint32_t)f.a_msgs &&
	      le32toh(es.msg_dropped) == vf_rd(0, JMGPU_VF_MSG_OUT_DROPPED) &&
	      le32toh(es.msgs) - le32toh(es0.msgs) + le32toh(es.msg_dropped) -
	      le32toh(es0.msg_dropped) == doorbells,
	      "flood: each of A's %d accepted messages arrived once, in seq "
	      "order; %u dropped doorbells visible to A (MSG_OUT_DROPPED) and "
	      "the PF (VF_EVENT_STATE); accepted + dropped = %u doorbells",
	      f.a_msgs, vf_rd(0, JMGPU_VF_MSG_OUT_DROPPED), doorbells);
	check(fw_log_has("PCI reset of the PF: firmware boots"),
	      "flood: the firmware log still holds its first line (from "
	      "before the flood)");
	/* A's next line, later: preceded by the count of those dropped */
	qt_clock_step(3000000000ll);
	vf_wr(0, JMGPU_VF_MSG_OUT_DOORBELL, 1);
	flood_drain(&f, true);
	ok = event_state(0, &es);
	{
		char want[64];

		snprintf(want, sizeof(want), "vf0: %u lines suppressed",
			 le32toh(es.log_suppressed));
		check(ok && le32toh(es.log_suppressed) > 100 &&
		      fw_log_has(want),
		      "flood: A's log lines over its limit are dropped and "
		      "counted: \"%s\"", want);
	}

	/* phase 2: the driver stops draining */
	f = (struct flood){ .a_seq_ok = true };
	for (i = 0; i < 100; i++)
		vf_flr(2);
	ring_setup(1, RAM_RING, 3, 0, RAM_FENCE);
	vf_flr(1);
	for (i = 0; i < 1000; i++)
		vf_wr(0, JMGPU_VF_MSG_OUT_DOORBELL, 1);
	head = pf_rd(JMGPU_PF_EVQ_HEAD);
	tail = pf_rd(JMGPU_PF_EVQ_TAIL);
	used = (head + 64 - tail) % 64;
	ok = event_state(2, &es) && event_state(1, &esb);
	check(ok && used == 62 && pf_rd(JMGPU_PF_EVQ_OVERFLOW) == 37 &&
	      le32toh(es.flr_done) == 100 &&
	      (le32toh(es.pending) & JMGPU_EVSTATE_FLR_PENDING),
	      "flood: C's 100 FLRs with nobody draining: 62 records in the "
	      "ring (%u), one waits, 37 coalesced (EVQ_OVERFLOW %u), C's "
	      "total 100 (%u)", used, pf_rd(JMGPU_PF_EVQ_OVERFLOW),
	      le32toh(es.flr_done));
	check(ok && (le32toh(esb.pending) & JMGPU_EVSTATE_FAULT_PENDING) &&
	      (le32toh(esb.pending) & JMGPU_EVSTATE_FLR_PENDING),
	      "flood: B's fault and FLR wait in the firmware, not dropped "
	      "(pending 0x%x)", le32toh(esb.pending));
	pf_wr(JMGPU_PF_CONTROL, JMGPU_PF_CONTROL_RESET);
	qt_clock_step(2000000);
	head = pf_rd(JMGPU_PF_EVQ_HEAD);
	qt_memread(PF_BAR0 + JMGPU_PF_EVQ + ((head + 63) % 64) *
		   JMGPU_EVENT_SIZE, &ev[0], sizeof(ev[0]));
	check((head + 64 - tail) % 64 == 63 &&
	      le16toh(ev[0].type) == JMGPU_EVENT_FW_RESET_DONE,
	      "flood: FW_RESET_DONE takes the slot kept for the PF (63 "
	      "records, the last type %u)", le16toh(ev[0].type));
	for (i = 0; i < 4; i++)
		flood_drain(&f, false);
	n = f.records;
	check(f.b_fault == 1 && f.b_flr == 1 && f.fw_reset == 1 &&
	      f.c_flr == 63 && n == 66,
	      "flood: once drained, the driver got B's ENGINE_FAULT (%d) and "
	      "FLR_DONE (%d), FW_RESET_DONE (%d), C's 62 + 1 coalesced "
	      "FLR_DONE (%d): %d records", f.b_fault, f.b_flr, f.fw_reset,
	      f.c_flr, n);
}

/* ---------------- main ---------------- */

/*
 * plan: the checks the group makes, its final "QEMU alive and exited
 * cleanly" included.
 */
/* ---------------- VRAM hygiene: clean map, FB_SCRUB, VF_SCRUB ---------------- */

/* FB_CLEAN_MAP of granules [first, first + count): status, fills *m */
static int clean_map(uint32_t first, uint32_t count, struct jmgpu_clean_map *m)
{
	struct jmgpu_clean_map_req r = {
		.first = htole32(first), .count = htole32(count),
	};

	memset(m, 0, sizeof(*m));
	return fw_cmd(JMGPU_CMD_FB_CLEAN_MAP, &r, m, sizeof(*m));
}

/* clean bits set among granules [first, first + n) of the whole map */
static int clean_count(uint32_t first, uint32_t n)
{
	struct jmgpu_clean_map m;
	uint32_t i;
	int c = 0;

	if (clean_map(0, JMGPU_CLEAN_MAP_GRANULES, &m))
		return -1;
	for (i = first; i < first + n && i < le32toh(m.count); i++)
		c += jmgpu_clean_map_test(&m, i);
	return c;
}

static int fb_scrub(uint64_t off, uint64_t size)
{
	struct jmgpu_fb_range r = {
		.fb_offset = htole64(off), .fb_size = htole64(size),
	};

	return fw_cmd(JMGPU_CMD_FB_SCRUB, &r, NULL, 0);
}

static void test_scrub(void)
{
	struct jmgpu_ping ping = { .cookie = htole64(7) }, pr;
	struct jmgpu_caps caps;
	struct jmgpu_clean_map m;
	uint32_t gran = 4 * MIB, all, exp;
	int st, i, n;
	bool ok;

	if (!setup(NULL) || !check(bringup(2), "bring-up 2 VFs"))
		return;
	fw_cmd(JMGPU_CMD_GET_CAPS, NULL, &caps, sizeof(caps));
	all = le64toh(caps.fb_size) / gran;
	st = clean_map(0, JMGPU_CLEAN_MAP_GRANULES, &m);
	check(st == 0 && le32toh(m.count) == all && le32toh(m.clean) == all &&
	      jmgpu_check_clean_map(&m, 0, JMGPU_CLEAN_MAP_GRANULES, all) == 0,
	      "power-on: FB_CLEAN_MAP reports all %u granules clean, reply "
	      "passes the driver's check", all);
	CHECK_EQ(provision(0, 64 * MIB, 32 * MIB, 50, 0, 0, 0, 0), 0,
		 "provision vf0 32 MiB at 64 MiB");
	check(clean_count(16, 8) == 0 && clean_count(0, 16) == 16 &&
	      clean_count(24, all - 24) == (int)all - 24,
	      "provisioning clears exactly the slice's 8 clean bits");
	qt_writel(VF_BAR2(0) + 0x1000, 0xdeadbeef);
	qt_writel(VF_BAR2(0) + 32 * MIB - 4, 0xfeedf00d);
	CHECK_EQ(vf_req(JMGPU_CMD_VF_SCRUB, 0, NULL, 0), 0, "VF_SCRUB vf0");
	check(qt_readl(PF_BAR2 + 64 * MIB + 0x1000) == 0 &&
	      qt_readl(PF_BAR2 + 96 * MIB - 4) == 0 &&
	      (vf_rd(0, JMGPU_VF_STATUS) & JMGPU_VF_STATUS_PROVISIONED),
	      "VF_SCRUB zeroes the slice, the VF stays provisioned");
	check(clean_count(16, 8) == 0, "a provisioned slice stays not clean "
	      "after VF_SCRUB (its tenant can write it)");
	CHECK_EQ(vf_req(JMGPU_CMD_VF_SCRUB, 1, NULL, 0), JMGPU_STATUS_BAD_STATE,
		 "VF_SCRUB of an unprovisioned VF: BAD_STATE");
	CHECK_EQ(fb_scrub(60 * MIB + 0, 8 * MIB), JMGPU_STATUS_BAD_STATE,
		 "FB_SCRUB overlapping a provisioned slice: BAD_STATE");
	check(fb_scrub(64 * MIB + 4096, 4 * MIB) == JMGPU_STATUS_BAD_PARAM &&
	      fb_scrub(0, 0) == JMGPU_STATUS_BAD_PARAM &&
	      fb_scrub(all * (uint64_t)gran, 4 * MIB) == JMGPU_STATUS_BAD_PARAM,
	      "FB_SCRUB unaligned, empty or past VRAM: BAD_PARAM");
	check(clean_map(all, 1, &m) == JMGPU_STATUS_BAD_PARAM &&
	      clean_map(0, 0, &m) == JMGPU_STATUS_BAD_PARAM &&
	      clean_map(0, JMGPU_CLEAN_MAP_GRANULES + 1, &m) ==
	      JMGPU_STATUS_BAD_PARAM,
	      "FB_CLEAN_MAP first past VRAM, count 0 or too many: BAD_PARAM");
	st = clean_map(all - 2, 100, &m);
	check(st == 0 && le32toh(m.first) == all - 2 && le32toh(m.count) == 2 &&
	      jmgpu_check_clean_map(&m, all - 2, 100, all) == 0,
	      "FB_CLEAN_MAP clipped at the end of VRAM");

	/* firmware reset: provisioning lost, VRAM and the map kept */
	qt_writel(VF_BAR2(0) + 0x2000, 0x5ec2e7);
	pf_wr(JMGPU_PF_CONTROL, JMGPU_PF_CONTROL_RESET);
	qt_clock_step(2000000);
	check(fw_hello() &&
	      vf_req(JMGPU_CMD_VF_QUERY, 0, NULL, 0) == JMGPU_STATUS_BAD_VF &&
	      qt_readl(PF_BAR2 + 64 * MIB + 0x2000) == 0x5ec2e7 &&
	      clean_count(16, 8) == 0,
	      "firmware reset: slice released unscrubbed, still reported not "
	      "clean");
	/* PF FLR: the same */
	exp = pci_find_cap(PF_DEVFN, 0x10);
	pci_cfg_writew(PF_DEVFN, exp + 8,
		       pci_cfg_readw(PF_DEVFN, exp + 8) | 0x8000);
	pf_program();
	qt_clock_step(2000000);
	check(fw_hello() && qt_readl(PF_BAR2 + 64 * MIB + 0x2000) == 0x5ec2e7 &&
	      clean_count(16, 8) == 0, "PF FLR: VRAM kept, still not clean");
	CHECK_EQ(fb_scrub(64 * MIB, 32 * MIB), 0, "FB_SCRUB of the released "
		 "slice");
	check(qt_readl(PF_BAR2 + 64 * MIB + 0x2000) == 0 &&
	      clean_count(0, all) == (int)all,
	      "FB_SCRUB zeroes it; every granule clean again");

	/* unprovision scrubs and marks clean */
	check(bringup(2) && provision(1, 128 * MIB, 8 * MIB, 50, 0, 0, 0, 0) == 0,
	      "provision vf1 8 MiB at 128 MiB");
	qt_writel(VF_BAR2(1) + 0x10, 0x1234);
	check(vf_req(JMGPU_CMD_VF_UNPROVISION, 1, NULL, 0) == 0 &&
	      qt_readl(PF_BAR2 + 128 * MIB + 0x10) == 0 &&
	      clean_count(32, 2) == 2, "VF_UNPROVISION scrubs and marks clean");

	/*
	 * SCRUB_ON_FLR (interface 1.1): vf0 flagged at 64 MiB, vf1 not at
	 * 128 MiB; each gets a pattern at its slice's start, middle and end
	 */
	{
		static const uint64_t at[] = { 0, 4 * MIB + 0x40, 8 * MIB - 8 };
		struct jmgpu_vf_config q0, q1;
		struct jmgpu_event ev[64];
		unsigned int k, left0 = 0, left1 = 0;

		check(provision_flags(0, 64 * MIB, 8 * MIB,
				      JMGPU_VF_CFG_SCRUB_ON_FLR) == 0 &&
		      provision_flags(1, 128 * MIB, 8 * MIB, 0) == 0 &&
		      vf_req(JMGPU_CMD_VF_QUERY, 0, &q0, sizeof(q0)) == 0 &&
		      vf_req(JMGPU_CMD_VF_QUERY, 1, &q1, sizeof(q1)) == 0 &&
		      le16toh(q0.flags) == JMGPU_VF_CFG_SCRUB_ON_FLR &&
		      q1.flags == 0 &&
		      jmgpu_check_query(&q0, &caps, 0) == JMGPU_REPLY_OK,
		      "VF_PROVISION with SCRUB_ON_FLR: VF_QUERY reports it "
		      "(flags 0x%x), and 0 for a VF provisioned without",
		      le16toh(q0.flags));
		for (k = 0; k < 3; k++) {
			qt_writel(VF_BAR2(0) + at[k], 0xa5a50000 + k);
			qt_writel(VF_BAR2(1) + at[k], 0x5a5a0000 + k);
		}
		events(ev, 64);
		vf_flr(0);
		for (k = 0; k < 3; k++) {
			left0 += qt_readl(VF_BAR2(0) + at[k]) != 0;
			left0 += qt_readl(PF_BAR2 + 64 * MIB + at[k]) != 0;
		}
		n = events(ev, 64);
		check(left0 == 0 &&
		      (vf_rd(0, JMGPU_VF_STATUS) & JMGPU_VF_STATUS_PROVISIONED) &&
		      n == 1 && has_event(ev, n, JMGPU_EVENT_VF_FLR_DONE, 0, NULL),
		      "FLR of the SCRUB_ON_FLR VF: the pattern reads 0 through "
		      "its BAR2 and in VRAM once the FLR is done (%u words "
		      "left), VF still provisioned, VF_FLR_DONE posted", left0);
		for (k = 0; k < 3; k++)
			left1 += qt_readl(VF_BAR2(1) + at[k]) == 0x5a5a0000 + k;
		CHECK_EQ(left1, 3, "the neighbour's slice is untouched by that "
			 "FLR");
		check(clean_count(16, 2) == 0, "the scrubbed slice stays not "
		      "clean in FB_CLEAN_MAP (still the VF's)");
		vf_flr(1);
		left1 = 0;
		for (k = 0; k < 3; k++)
			left1 += qt_readl(VF_BAR2(1) + at[k]) == 0x5a5a0000 + k;
		CHECK_EQ(left1, 3, "FLR of a VF provisioned without the flag "
			 "keeps its FB content (documented)");
		vf_req(JMGPU_CMD_VF_UNPROVISION, 0, NULL, 0);
		vf_req(JMGPU_CMD_VF_UNPROVISION, 1, NULL, 0);
		/* a firmware reporting interface 1.0 does not know the flag */
		pf_wr(JMGPU_PF_TEST_UNLOCK, JMGPU_TEST_UNLOCK_KEY);
		pf_wr(JMGPU_PF_TEST_FW_VERSION, 0x00010000);
		st = provision_flags(0, 64 * MIB, 8 * MIB,
				     JMGPU_VF_CFG_SCRUB_ON_FLR);
		n = provision_flags(1, 128 * MIB, 8 * MIB, 0);
		pf_wr(JMGPU_PF_TEST_FW_VERSION, 0);
		check(st == JMGPU_STATUS_BAD_PARAM && n == 0,
		      "firmware 1.0: SCRUB_ON_FLR refused with BAD_PARAM (%d), "
		      "the same provisioning without it accepted (%d)", st, n);
		vf_req(JMGPU_CMD_VF_UNPROVISION, 1, NULL, 0);
	}

	/* fault injection: the (k+1)-th matching request */
	pf_wr(JMGPU_PF_TEST_UNLOCK, JMGPU_TEST_UNLOCK_KEY);
	pf_wr(JMGPU_PF_TEST_FAULT_SKIP, 2);
	pf_wr(JMGPU_PF_TEST_FAULT, JMGPU_FAULT_DROP_REPLY);
	CHECK_EQ(pf_rd(JMGPU_PF_TEST_FAULT_SKIP), 2, "TEST_FAULT_SKIP reads "
		 "back");
	ok = true;
	for (i = 0; i < 2; i++)
		ok &= fw_cmd(JMGPU_CMD_PING, &ping, &pr, sizeof(pr)) == 0;
	n = fw_cmd(JMGPU_CMD_PING, &ping, &pr, sizeof(pr));
	check(ok && n == -1 && pf_rd(JMGPU_PF_TEST_FAULT) == 0 &&
	      pf_rd(JMGPU_PF_TEST_FAULT_SKIP) == 0,
	      "drop with skip 2: two replies, the third dropped, then disarmed");
	pf_wr(JMGPU_PF_TEST_FAULT_OPCODE, JMGPU_CMD_GET_SCHED);
	pf_wr(JMGPU_PF_TEST_FAULT_SKIP, 1);
	pf_wr(JMGPU_PF_TEST_FAULT_ARG, JMGPU_CORRUPT_SEQ);
	pf_wr(JMGPU_PF_TEST_FAULT, JMGPU_FAULT_CORRUPT_REPLY);
	ok = fw_cmd(JMGPU_CMD_PING, &ping, &pr, sizeof(pr)) == 0 &&
	     fw_cmd(JMGPU_CMD_GET_SCHED, NULL, NULL, 0) == 0 &&
	     fw_cmd(JMGPU_CMD_PING, &ping, &pr, sizeof(pr)) == 0;
	n = fw_cmd(JMGPU_CMD_GET_SCHED, NULL, NULL, 0);
	check(ok && n == 0 && le32toh(g_rh.seq) != g_seq &&
	      pf_rd(JMGPU_PF_TEST_FAULT) == 0,
	      "corrupt on GET_SCHED with skip 1: only the second GET_SCHED "
	      "is hit, other opcodes do not count");
}

/* ---------------- VF_SET_WEIGHT (interface 1.2) ---------------- */

static int set_weight(uint32_t vf, uint32_t w)
{
	struct jmgpu_vf_weight r = {
		.vf = htole32(vf), .engine_weight = htole32(w),
	};

	return fw_cmd(JMGPU_CMD_VF_SET_WEIGHT, &r, NULL, 0);
}

/* The weight VF_QUERY reports for @vf (0 when the query fails). */
static uint32_t query_weight(uint32_t vf)
{
	struct jmgpu_vf_config c;

	memset(&c, 0, sizeof(c));
	if (vf_req(JMGPU_CMD_VF_QUERY, vf, &c, sizeof(c)) != JMGPU_STATUS_OK)
		return 0;
	return le32toh(c.engine_weight);
}

/* Fill @vf's ring (RAM) with 63 1 MiB FILLs into its slice; no doorbell. */
static void weight_ring(int vf)
{
	struct jmgpu_job j;
	int i;

	ring_setup(vf, RAM_RING + 0x1000 * vf, 64, 0, RAM_FENCE + 8 * vf);
	for (i = 0; i < 63; i++) {
		job_fill(&j, JMGPU_JOB_FILL, JMGPU_JOB_F_DST_FB, 0, 0, 1 * MIB,
			 0, 0);
		ring_put(vf, RAM_RING + 0x1000 * vf + 64 * i, false, &j);
	}
}

/* Engine time (virtual ns) VFs 0 and 1 get in the next @ns of virtual time. */
static void busy_window(int64_t ns, uint64_t *b0, uint64_t *b1)
{
	struct jmgpu_vf_stats s0, s1;

	get_stats(0, &s0);
	get_stats(1, &s1);
	*b0 = le64toh(s0.engine_busy_ns);
	*b1 = le64toh(s1.engine_busy_ns);
	qt_clock_step(ns);
	get_stats(0, &s0);
	get_stats(1, &s1);
	*b0 = le64toh(s0.engine_busy_ns) - *b0;
	*b1 = le64toh(s1.engine_busy_ns) - *b1;
}

static void test_weight(void)
{
	struct jmgpu_sched sc = { .timeslice_us = htole32(1000) };
	uint64_t b0, b1;
	double r;
	int st;

	if (!setup(NULL) || !check(bringup(3), "bring-up 3 VFs"))
		return;
	provision(0, 0, 64 * MIB, 50, 0, 0, 0, 0);
	provision(1, 64 * MIB, 64 * MIB, 25, 0, 0, 0, 0);

	/* a good change: query, the VF's register and the log follow */
	st = set_weight(1, 40);
	check(st == JMGPU_STATUS_OK && query_weight(1) == 40 &&
	      query_weight(0) == 50, "SET_WEIGHT vf1 25 -> 40: OK (%s), "
	      "VF_QUERY reports 40 (%u), vf0 keeps 50 (%u)",
	      jmgpu_status_str(st), query_weight(1), query_weight(0));
	CHECK_EQ(vf_rd(1, JMGPU_VF_ENGINE_WEIGHT), 40,
		 "vf1 ENGINE_WEIGHT register reads the new weight");
	check(fw_log_has("set_weight vf1: 25 -> 40"),
	      "firmware log: 'set_weight vf1: 25 -> 40'");

	/* bounds: each refused, the weight unchanged */
	{
		static const struct {
			uint32_t vf, w;
			int want;
			const char *what;
		} t[] = {
			{ 1, 0, JMGPU_STATUS_BAD_PARAM, "weight 0" },
			{ 1, 101, JMGPU_STATUS_BAD_PARAM,
			  "weight 101 > max_weight 100" },
			{ 1, 51, JMGPU_STATUS_NO_SPACE,
			  "weight 51 > free 50 (vf0 holds 50)" },
			{ 2, 10, JMGPU_STATUS_BAD_STATE,
			  "vf2 not provisioned" },
			{ 3, 10, JMGPU_STATUS_BAD_VF,
			  "vf3 >= 3 VFs enabled" },
			{ 32, 10, JMGPU_STATUS_BAD_VF, "vf32 >= max VFs" },
		};
		size_t i;

		for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
			st = set_weight(t[i].vf, t[i].w);
			if (st != t[i].want)
				diag("got %s", st < 0 ? "no reply" :
				     jmgpu_status_str(st));
			check(st == t[i].want && query_weight(1) == 40 &&
			      query_weight(0) == 50,
			      "SET_WEIGHT %s -> %s, weights unchanged",
			      t[i].what, jmgpu_status_str(t[i].want));
		}
	}
	st = set_weight(1, 50);
	check(st == JMGPU_STATUS_OK && query_weight(1) == 50,
	      "SET_WEIGHT vf1 50 = all the free weight: OK (%s)",
	      jmgpu_status_str(st));
	vf_req(JMGPU_CMD_VF_RESET, 1, NULL, 0);
	check(query_weight(1) == 50 && vf_rd(1, JMGPU_VF_ENGINE_WEIGHT) == 50,
	      "VF_RESET keeps the changed weight (%u)", query_weight(1));

	/* a firmware reporting 1.1 has no VF_SET_WEIGHT */
	pf_wr(JMGPU_PF_TEST_UNLOCK, JMGPU_TEST_UNLOCK_KEY);
	pf_wr(JMGPU_PF_TEST_FW_VERSION, 0x00010001);
	st = set_weight(1, 20);
	pf_wr(JMGPU_PF_TEST_FW_VERSION, 0);
	check(st == JMGPU_STATUS_UNKNOWN_CMD && query_weight(1) == 50,
	      "firmware at interface 1.1: SET_WEIGHT -> unknown command (%s), "
	      "weight unchanged", st < 0 ? "no reply" : jmgpu_status_str(st));

	/* the scheduler: two saturated VFs, best-effort */
	set_weight(1, 25);
	set_weight(0, 75);
	weight_ring(0);
	weight_ring(1);
	vf_wr(0, JMGPU_VF_DOORBELL, 63);
	vf_wr(1, JMGPU_VF_DOORBELL, 63);
	busy_window(20000000, &b0, &b1);
	r = b1 ? (double)b0 / b1 : 0;
	check(r > 2.5 && r < 3.5, "best-effort 75:25: busy ratio vf0/vf1 "
	      "%.2f (want 3)", r);
	/*
	 * swap the weights while both run: the shares follow (60 ms, so
	 * that the one slice either VF may be ahead at the change is small)
	 */
	set_weight(0, 25);
	set_weight(1, 75);
	busy_window(60000000, &b0, &b1);
	r = b0 ? (double)b1 / b0 : 0;
	check(b1 > b0 && r > 2.5 && r < 3.5, "after SET_WEIGHT 25:75 while "
	      "busy: vf1/vf0 %.2f (want 3), %.1f + %.1f ms of 60", r,
	      b1 / 1e6, b0 / 1e6);

	/* fixed share: the lone VF's cap is its new weight */
	vf_wr(0, JMGPU_VF_RING_CTRL, 0);
	sc.policy = htole32(JMGPU_SCHED_FIXED_SHARE);
	fw_cmd(JMGPU_CMD_SET_SCHED, &sc, NULL, 0);
	weight_ring(1);
	vf_wr(1, JMGPU_VF_DOORBELL, 63);
	set_weight(1, 25);
	busy_window(20000000, &b0, &b1);
	check(b1 > 4000000 && b1 < 6500000, "fixed-share, lone vf1 of weight "
	      "25 gets %.0f%% (want 25%%)", b1 / 200000.0);
	set_weight(1, 50);
	busy_window(20000000, &b0, &b1);
	check(b1 > 9000000 && b1 < 11500000, "fixed-share, after SET_WEIGHT "
	      "50 it gets %.0f%% (want 50%%)", b1 / 200000.0);
}

/* ---------------- display: committed flips, vblank, monitor ---------------- */

#define XR24		0x34325258u
#define RG16		0x36314752u
#define VBLANK_NS	16666667ll	/* 1 s / JMGPU_REFRESH_HZ, rounded up */

struct plane {
	uint32_t en, w, h, stride, fmt;
	uint64_t base;
};

static void plane_set(int vf, const struct plane *p)
{
	vf_wr(vf, JMGPU_VF_SCANOUT_ENABLE, p->en);
	vf_wr(vf, JMGPU_VF_SCANOUT_BASE_LO, (uint32_t)p->base);
	vf_wr(vf, JMGPU_VF_SCANOUT_BASE_HI, p->base >> 32);
	vf_wr(vf, JMGPU_VF_SCANOUT_WIDTH, p->w);
	vf_wr(vf, JMGPU_VF_SCANOUT_HEIGHT, p->h);
	vf_wr(vf, JMGPU_VF_SCANOUT_STRIDE, p->stride);
	vf_wr(vf, JMGPU_VF_SCANOUT_FORMAT, p->fmt);
}

/* Program @p as the pending plane and commit it: SCANOUT_STATUS. */
static uint32_t plane_commit(int vf, const struct plane *p)
{
	plane_set(vf, p);
	vf_wr(vf, JMGPU_VF_SCANOUT_COMMIT, 1);
	return vf_rd(vf, JMGPU_VF_SCANOUT_STATUS);
}

/* Does the active plane of @vf read @p? */
static bool active_is(int vf, const struct plane *p)
{
	return vf_rd(vf, JMGPU_VF_ACTIVE_ENABLE) == p->en &&
	       vf_rd(vf, JMGPU_VF_ACTIVE_BASE_LO) == (uint32_t)p->base &&
	       vf_rd(vf, JMGPU_VF_ACTIVE_BASE_HI) == p->base >> 32 &&
	       vf_rd(vf, JMGPU_VF_ACTIVE_WIDTH) == p->w &&
	       vf_rd(vf, JMGPU_VF_ACTIVE_HEIGHT) == p->h &&
	       vf_rd(vf, JMGPU_VF_ACTIVE_STRIDE) == p->stride &&
	       vf_rd(vf, JMGPU_VF_ACTIVE_FORMAT) == p->fmt;
}

/* An EDID of @blocks valid 128-byte blocks, @seed varies the content. */
static void edid_make(uint8_t *e, unsigned int blocks, uint8_t seed)
{
	static const uint8_t hdr[8] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff,
					0xff, 0 };
	unsigned int b, i;
	uint8_t sum;

	memset(e, 0, JMGPU_VF_EDID_MAX);
	for (b = 0; b < blocks; b++) {
		uint8_t *p = e + b * 128;

		for (i = 0; i < 127; i++)
			p[i] = (uint8_t)(seed + b * 31 + i * 7);
		if (b == 0) {
			memcpy(p, hdr, sizeof(hdr));
			p[126] = blocks - 1;	/* extension count */
		} else {
			p[0] = 0x02;		/* CTA extension tag */
		}
		for (sum = 0, i = 0; i < 127; i++)
			sum += p[i];
		p[127] = (uint8_t)-sum;
	}
}

static int set_display(uint32_t vf, uint32_t link, uint32_t size,
		       uint32_t reserved, const uint8_t *edid)
{
	struct jmgpu_vf_display d = {
		.vf = htole32(vf), .link = htole32(link),
		.edid_size = htole32(size), .reserved = htole32(reserved),
	};

	if (edid)
		memcpy(d.edid, edid, sizeof(d.edid));
	return fw_cmd(JMGPU_CMD_VF_SET_DISPLAY, &d, NULL, 0);
}

/* Does @vf's monitor read link @link and EDID window @edid (512 bytes)? */
static bool monitor_is(int vf, uint32_t link, uint32_t size,
		       const uint8_t *edid)
{
	uint32_t i;

	if (vf_rd(vf, JMGPU_VF_DISPLAY_LINK) != link ||
	    vf_rd(vf, JMGPU_VF_DISPLAY_EDID_SIZE) != size)
		return false;
	for (i = 0; i < JMGPU_VF_EDID_MAX; i += 4) {
		uint32_t want = 0;

		if (i < size)
			want = edid[i] | edid[i + 1] << 8 |
			       edid[i + 2] << 16 | (uint32_t)edid[i + 3] << 24;
		if (vf_rd(vf, JMGPU_VF_EDID + i) != want)
			return false;
	}
	return true;
}

/*
 * Step virtual time 1 ms at a time until VBLANK_COUNT of @vf moves; true
 * when the active plane was still @before in every step before and reads
 * @after in the step the count moved.
 */
static bool latches_at_vblank(int vf, const struct plane *before,
			      const struct plane *after)
{
	uint32_t v0 = vf_rd(vf, JMGPU_VF_VBLANK_COUNT);
	int i;

	for (i = 0; i < 20; i++) {
		if (vf_rd(vf, JMGPU_VF_VBLANK_COUNT) != v0)
			return active_is(vf, after);
		if (!active_is(vf, before))
			return false;
		qt_clock_step(1000000);
	}
	return false;
}

static void test_display(void)
{
	static const struct plane a = { 1, 1920, 1080, 1920 * 4, XR24, 0 };
	static const struct plane b = { 1, 1280, 720, 1280 * 4, XR24,
					8 * MIB };
	static const struct plane off = { 0, 0, 0, 0, 0, 0 };
	static const struct plane v1 = { 1, 1024, 768, 1024 * 4, XR24,
					 4096 };
	static const struct {
		const char *what;
		int vf;
		struct plane p;
		uint32_t want;
	} bad[] = {
		{ "width over MAX_WIDTH", 0,
		  { 1, 1921, 1080, 1921 * 4, XR24, 0 },
		  JMGPU_SCANOUT_BAD_GEOMETRY },
		{ "height 0", 0, { 1, 1920, 0, 1920 * 4, XR24, 0 },
		  JMGPU_SCANOUT_BAD_GEOMETRY },
		{ "format NV12", 0, { 1, 1920, 1080, 1920 * 4, 0x3231564e, 0 },
		  JMGPU_SCANOUT_BAD_FORMAT },
		{ "stride < width * bpp", 0,
		  { 1, 1920, 1080, 1920 * 4 - 4, XR24, 0 },
		  JMGPU_SCANOUT_BAD_STRIDE },
		{ "stride not a multiple of 4", 0,
		  { 1, 1001, 100, 2002, RG16, 0 }, JMGPU_SCANOUT_BAD_STRIDE },
		{ "base not 4 KiB aligned", 0,
		  { 1, 1920, 1080, 1920 * 4, XR24, 0x800 },
		  JMGPU_SCANOUT_BAD_BASE },
		{ "plane past the slice end", 0,
		  { 1, 1920, 1080, 1920 * 4, XR24, 60 * MIB },
		  JMGPU_SCANOUT_BAD_BASE },
		{ "headless VF", 2, { 1, 64, 64, 256, XR24, 0 },
		  JMGPU_SCANOUT_NO_DISPLAY },
	};
	uint8_t e1[JMGPU_VF_EDID_MAX], e2[JMGPU_VF_EDID_MAX];
	uint8_t ev1[JMGPU_VF_EDID_MAX], e[JMGPU_VF_EDID_MAX];
	uint32_t gen, gen1, dgen, dgen1, v0, v1c, st;
	size_t i;
	bool ok;

	if (!setup(NULL) || !check(bringup(3), "bring-up 3 VFs"))
		return;
	provision(0, 0, 64 * MIB, 30, 0, 1, 1920, 1080);
	provision(1, 64 * MIB, 64 * MIB, 30, 0, 1, 1024, 768);
	provision(2, 128 * MIB, 64 * MIB, 30, 0, 0, 0, 0);
	/* VF1: its own monitor and plane, watched to the end */
	edid_make(ev1, 1, 0x51);
	CHECK_EQ(set_display(1, 1, 128, 0, ev1), JMGPU_STATUS_OK,
		 "VF_SET_DISPLAY vf1: 128-byte EDID");
	CHECK_EQ(plane_commit(1, &v1), JMGPU_SCANOUT_OK,
		 "vf1 commits 1024x768 at 4 KiB");
	qt_clock_step(2 * VBLANK_NS);
	gen1 = vf_rd(1, JMGPU_VF_SCANOUT_GEN);
	dgen1 = vf_rd(1, JMGPU_VF_DISPLAY_GEN);

	/* a commit is seen at the next vblank, not before */
	msi_take(MSI_VF(0));
	msi_take(MSI_VF(0) + 4);
	vf_wr(0, JMGPU_VF_INT_MASK, JMGPU_VF_INT_FLIP_DONE);
	gen = vf_rd(0, JMGPU_VF_SCANOUT_GEN);
	CHECK_EQ(plane_commit(0, &a), JMGPU_SCANOUT_OK,
		 "commit 1920x1080 XR24 at base 0: SCANOUT_STATUS OK at once");
	check(active_is(0, &off) && vf_rd(0, JMGPU_VF_SCANOUT_GEN) == gen,
	      "right after the commit the plane is not active yet, "
	      "SCANOUT_GEN unchanged");
	check(latches_at_vblank(0, &off, &a),
	      "the committed plane becomes active in the step VBLANK_COUNT "
	      "moves, not before");
	check(vf_rd(0, JMGPU_VF_SCANOUT_GEN) == gen + 1 &&
	      (vf_rd(0, JMGPU_VF_INT_STATUS) & JMGPU_VF_INT_FLIP_DONE) &&
	      msi_take(MSI_VF(0) + 4) == 0xb001 && msi_take(MSI_VF(0)) == 0,
	      "flip latched: SCANOUT_GEN + 1, INT_FLIP_DONE, MSI-X vector 1 "
	      "(not 0)");
	vf_wr(0, JMGPU_VF_INT_STATUS, JMGPU_VF_INT_ALL);

	/* VBLANK_COUNT at 60 Hz; INT_VBLANK only while enabled */
	v0 = vf_rd(0, JMGPU_VF_VBLANK_COUNT);
	qt_clock_step(1000000000ll);
	v1c = vf_rd(0, JMGPU_VF_VBLANK_COUNT);
	check(v1c - v0 == 60, "VBLANK_COUNT advances 60 in 1 s of virtual "
	      "time (%u)", v1c - v0);
	ok = !(vf_rd(0, JMGPU_VF_INT_STATUS) & JMGPU_VF_INT_VBLANK);
	vf_wr(0, JMGPU_VF_INT_MASK, JMGPU_VF_INT_VBLANK);
	msi_take(MSI_VF(0) + 4);
	qt_clock_step(VBLANK_NS + 1000);
	ok &= (vf_rd(0, JMGPU_VF_INT_STATUS) & JMGPU_VF_INT_VBLANK) &&
	      msi_take(MSI_VF(0) + 4) == 0xb001;
	vf_wr(0, JMGPU_VF_INT_STATUS, JMGPU_VF_INT_VBLANK);
	qt_clock_step(VBLANK_NS + 1000);
	ok &= (vf_rd(0, JMGPU_VF_INT_STATUS) & JMGPU_VF_INT_VBLANK) &&
	      msi_take(MSI_VF(0) + 4) == 0xb001;
	vf_wr(0, JMGPU_VF_INT_MASK, 0);
	vf_wr(0, JMGPU_VF_INT_STATUS, JMGPU_VF_INT_ALL);
	check(ok, "INT_VBLANK raised at every vblank (MSI-X vector 1) while "
	      "enabled in INT_MASK");

	/* a flip to a non-zero 4 KiB-aligned base */
	gen = vf_rd(0, JMGPU_VF_SCANOUT_GEN);
	CHECK_EQ(plane_commit(0, &b), JMGPU_SCANOUT_OK,
		 "commit 1280x720 at base 8 MiB: OK");
	qt_clock_step(VBLANK_NS + 1000);
	check(active_is(0, &b) && vf_rd(0, JMGPU_VF_SCANOUT_GEN) == gen + 1,
	      "flip to base 8 MiB: ACTIVE_BASE 8 MiB, SCANOUT_GEN + 1");

	/* a second commit before the vblank replaces the queued flip */
	gen = vf_rd(0, JMGPU_VF_SCANOUT_GEN);
	plane_commit(0, &a);
	plane_commit(0, &b);
	qt_clock_step(VBLANK_NS + 1000);
	check(active_is(0, &b) && vf_rd(0, JMGPU_VF_SCANOUT_GEN) == gen + 1,
	      "two commits in one frame: the second one is latched, one "
	      "SCANOUT_GEN step");
	plane_commit(0, &a);
	qt_clock_step(VBLANK_NS + 1000);

	/* every bad commit: its status, active plane and GEN unchanged */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int vf = bad[i].vf;

		gen = vf_rd(vf, JMGPU_VF_SCANOUT_GEN);
		st = plane_commit(vf, &bad[i].p);
		qt_clock_step(VBLANK_NS + 1000);
		check(st == bad[i].want && vf_rd(vf, JMGPU_VF_SCANOUT_GEN) == gen &&
		      (vf ? active_is(vf, &off) : active_is(vf, &a)),
		      "commit with %s -> SCANOUT_STATUS %u (%u), nothing "
		      "latched", bad[i].what, bad[i].want, st);
	}
	check(log_has("vf0 scanout commit 1921x1080 stride 7684 base 0x0 "
		      "format 0x34325258 refused (status 1)"),
	      "a refused commit is logged as a guest error naming its cause");
	/* a refused commit leaves the queued flip alone */
	plane_commit(0, &b);
	st = plane_commit(0, &bad[2].p);
	qt_clock_step(VBLANK_NS + 1000);
	check(st == JMGPU_SCANOUT_BAD_FORMAT && active_is(0, &b),
	      "a refused commit after a good one: the good flip still "
	      "latches");
	/* committing a disabled plane is always OK */
	gen = vf_rd(2, JMGPU_VF_SCANOUT_GEN);
	st = plane_commit(2, &off);
	qt_clock_step(VBLANK_NS + 1000);
	check(st == JMGPU_SCANOUT_OK && vf_rd(2, JMGPU_VF_SCANOUT_GEN) ==
	      gen + 1 && active_is(2, &off),
	      "committing ENABLE=0 is OK even on a headless VF: a disabled "
	      "plane is latched");

	/* the monitor */
	edid_make(e1, 2, 0x10);
	msi_take(MSI_VF(0) + 4);
	vf_wr(0, JMGPU_VF_INT_MASK, JMGPU_VF_INT_DISPLAY);
	dgen = vf_rd(0, JMGPU_VF_DISPLAY_GEN);
	st = set_display(0, 1, 256, 0, e1);
	check(st == JMGPU_STATUS_OK && monitor_is(0, 1, 256, e1) &&
	      vf_rd(0, JMGPU_VF_DISPLAY_GEN) == dgen + 1,
	      "VF_SET_DISPLAY 256-byte EDID: OK (%d), LINK 1, EDID_SIZE 256, "
	      "EDID window holds it (rest reads 0), DISPLAY_GEN + 1", st);
	check((vf_rd(0, JMGPU_VF_INT_STATUS) & JMGPU_VF_INT_DISPLAY) &&
	      msi_take(MSI_VF(0) + 4) == 0xb001,
	      "INT_DISPLAY raised, MSI-X vector 1");
	vf_wr(0, JMGPU_VF_INT_STATUS, JMGPU_VF_INT_ALL);
	st = set_display(0, 1, 256, 0, e1);
	check(st == JMGPU_STATUS_OK && vf_rd(0, JMGPU_VF_DISPLAY_GEN) ==
	      dgen + 1 && !(vf_rd(0, JMGPU_VF_INT_STATUS) &
			    JMGPU_VF_INT_DISPLAY),
	      "the same monitor again: OK, DISPLAY_GEN and INT_DISPLAY "
	      "unchanged");
	check(fw_log_has("set_display vf0: link 1 edid 256 bytes"),
	      "firmware log: 'set_display vf0: link 1 edid 256 bytes'");

	/* malformed requests: BAD_PARAM, nothing changes */
	{
		static const char *const what[] = {
			"bad EDID header", "bad checksum in block 0",
			"bad checksum in the extension block", "edid_size 100",
			"edid_size 640", "link 0 with edid_size 256",
			"non-zero byte past edid_size", "reserved != 0",
			"link 2",
		};
		uint32_t link, size, res;

		for (i = 0; i < sizeof(what) / sizeof(what[0]); i++) {
			edid_make(e2, 2, 0x77);
			link = 1;
			size = 256;
			res = 0;
			switch (i) {
			case 0: e2[1] = 0xfe; e2[127] += 1; break;
			case 1: e2[20] ^= 1; break;
			case 2: e2[128 + 20] ^= 1; break;
			case 3: size = 100; memset(e2 + 100, 0, 412); break;
			case 4: size = 640; break;
			case 5: link = 0; break;
			case 6: e2[300] = 1; break;
			case 7: res = 1; break;
			case 8: link = 2; break;
			}
			vf_wr(0, JMGPU_VF_INT_STATUS, JMGPU_VF_INT_ALL);
			st = set_display(0, link, size, res, e2);
			check(st == JMGPU_STATUS_BAD_PARAM &&
			      monitor_is(0, 1, 256, e1) &&
			      vf_rd(0, JMGPU_VF_DISPLAY_GEN) == dgen + 1 &&
			      !(vf_rd(0, JMGPU_VF_INT_STATUS) &
				JMGPU_VF_INT_DISPLAY),
			      "VF_SET_DISPLAY with %s -> BAD_PARAM (%d), "
			      "monitor unchanged", what[i], st);
		}
	}
	check(fw_log_has("set_display vf0 refused: link 1 edid 256 bytes: "
			 "EDID block checksum"),
	      "firmware log names the refused rule (EDID block checksum)");
	edid_make(e, 1, 0x22);
	st = set_display(2, 1, 128, 0, e);
	check(st == JMGPU_STATUS_BAD_STATE && monitor_is(2, 0, 0, e),
	      "VF_SET_DISPLAY on a headless VF -> BAD_STATE (%d)", st);
	CHECK_EQ(set_display(3, 1, 128, 0, e), JMGPU_STATUS_BAD_VF,
		 "VF_SET_DISPLAY vf3 of 3 VFs -> BAD_VF");

	/* FLR: the monitor stays, the active plane goes */
	{
		int exp = pci_find_cap(VF_DEVFN(0), 0x10);

		gen = vf_rd(0, JMGPU_VF_SCANOUT_GEN);
		dgen = vf_rd(0, JMGPU_VF_DISPLAY_GEN);
		plane_commit(0, &a);	/* queued: the FLR drops it */
		pci_cfg_writew(VF_DEVFN(0), exp + 8,
			       pci_cfg_readw(VF_DEVFN(0), exp + 8) | 0x8000);
		pci_cfg_writew(VF_DEVFN(0), 4, 0x6);
		qt_clock_step(VBLANK_NS + 1000);
		check(monitor_is(0, 1, 256, e1) &&
		      vf_rd(0, JMGPU_VF_DISPLAY_GEN) == dgen,
		      "FLR keeps VF0's monitor (link, EDID, DISPLAY_GEN)");
		check(active_is(0, &off) &&
		      vf_rd(0, JMGPU_VF_SCANOUT_GEN) != gen,
		      "FLR disables VF0's active plane (SCANOUT_GEN moved), the "
		      "queued flip is dropped");
	}
	/* link 0: disconnected */
	dgen = vf_rd(0, JMGPU_VF_DISPLAY_GEN);
	st = set_display(0, 0, 0, 0, NULL);
	check(st == JMGPU_STATUS_OK && monitor_is(0, 0, 0, e1) &&
	      vf_rd(0, JMGPU_VF_DISPLAY_GEN) == dgen + 1,
	      "VF_SET_DISPLAY link 0: LINK 0, EDID_SIZE 0, window reads 0, "
	      "DISPLAY_GEN + 1");
	/* a firmware reporting 1.2 has no VF_SET_DISPLAY */
	dgen = vf_rd(0, JMGPU_VF_DISPLAY_GEN);
	pf_wr(JMGPU_PF_TEST_UNLOCK, JMGPU_TEST_UNLOCK_KEY);
	pf_wr(JMGPU_PF_TEST_FW_VERSION, 0x00010002);
	st = set_display(0, 1, 256, 0, e1);
	pf_wr(JMGPU_PF_TEST_FW_VERSION, 0);
	check(st == JMGPU_STATUS_UNKNOWN_CMD && monitor_is(0, 0, 0, e1) &&
	      vf_rd(0, JMGPU_VF_DISPLAY_GEN) == dgen,
	      "firmware at interface 1.2: VF_SET_DISPLAY -> unknown command "
	      "(%d), monitor unchanged", st);
	/* unprovision disconnects */
	st = set_display(0, 1, 256, 0, e1);
	dgen = vf_rd(0, JMGPU_VF_DISPLAY_GEN);
	CHECK_EQ(vf_req(JMGPU_CMD_VF_UNPROVISION, 0, NULL, 0), 0,
		 "VF_UNPROVISION vf0 with a monitor connected");
	check(st == JMGPU_STATUS_OK && monitor_is(0, 0, 0, e1) &&
	      vf_rd(0, JMGPU_VF_DISPLAY_GEN) == dgen + 1,
	      "unprovision disconnects the monitor: LINK 0, EDID_SIZE 0, "
	      "DISPLAY_GEN + 1");
	CHECK_EQ(set_display(0, 1, 256, 0, e1), JMGPU_STATUS_BAD_STATE,
		 "VF_SET_DISPLAY on an unprovisioned VF -> BAD_STATE");

	/* VF1 saw none of it */
	check(monitor_is(1, 1, 128, ev1) &&
	      vf_rd(1, JMGPU_VF_DISPLAY_GEN) == dgen1 && active_is(1, &v1) &&
	      vf_rd(1, JMGPU_VF_SCANOUT_GEN) == gen1,
	      "VF1's monitor, active plane and SCANOUT_GEN untouched by all "
	      "of VF0's and VF2's display traffic");
}

struct group {
	const char *name;
	void (*fn)(void);
	int plan;
};

static const struct group groups[] = {
	{ "ident", test_ident, 46 },
	{ "fw", test_fw, 91 },
	{ "fb", test_fb, 24 },
	{ "engine", test_engine, 23 },
	{ "sched", test_sched, 11 },
	{ "flr", test_flr, 17 },
	{ "reset", test_reset, 12 },
	{ "dma", test_dma, 8 },
	{ "iommu", test_iommu, 8 },
	{ "isolation", test_isolation, 5 },
	{ "faults", test_faults, 48 },
	{ "scale", test_scale, 7 },
	{ "props", test_props, 18 },
	{ "vmshape", test_vmshape, 3 },
	{ "hostile", test_hostile, 31 },
	{ "scrub", test_scrub, 28 },
	{ "flood", test_flood, 14 },
	{ "weight", test_weight, 18 },
	{ "display", test_display, 48 },
};

/* seconds of wall time per group (JMGPU_QTEST_TIMEOUT overrides) */
static unsigned int group_timeout = 120;

static sigjmp_buf group_jmp;

static void on_alarm(int sig)
{
	(void)sig;
	qt_timeout(group_timeout);
}

/* Run one group as its own TAP stream; false if anything failed. */
static bool run_group(const struct group *g)
{
	int fail0 = nfail;
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	printf("# group %s\n1..%d\n", g->name, g->plan);
	fflush(stdout);
	tap_n = 0;
	diag_buf[0] = 0;
	g_pf_bdf = 0x20;
	g_aperture = 256 * MIB;
	qt_timeout_clear();
	alarm(group_timeout);
	if (!sigsetjmp(group_jmp, 1)) {
		qt_fatal_jmp = &group_jmp;
		g->fn();
		qt_fatal_jmp = NULL;
		if (qt_running())
			qemu_stop(NULL);
	} else {
		/* QEMU died (or the alarm fired) under an operation */
		qt_fatal_jmp = NULL;
		diag("%s", qt_why);
		check(false, "QEMU alive and exited cleanly");
	}
	alarm(0);
	if (qt_running())
		qt_kill();
	if (tap_n != g->plan) {
		printf("# group %s: planned %d checks, ran %d\n", g->name,
		       g->plan, tap_n);
		nfail++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "# group %s: %.1f s\n", g->name,
		(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	fflush(stdout);
	return nfail == fail0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	size_t g;
	int a, ngroups = 0, nbad = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s <qemu-system-x86_64> [group...]\n",
			argv[0]);
		return 2;
	}
	qt_qemu_bin = argv[1];
	if (getenv("JMGPU_QTEST_TIMEOUT"))
		group_timeout = strtoul(getenv("JMGPU_QTEST_TIMEOUT"), NULL, 0);
	if (!group_timeout)
		group_timeout = 120;
	for (a = 2; a < argc; a++) {
		for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
			if (!strcmp(argv[a], groups[g].name))
				break;
		if (g == sizeof(groups) / sizeof(groups[0])) {
			fprintf(stderr, "%s: no group '%s'\n", argv[0], argv[a]);
			return 2;
		}
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART: I/O returns */
	signal(SIGPIPE, SIG_IGN);
	for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		bool want = argc == 2;

		for (a = 2; a < argc; a++)
			want |= !strcmp(argv[a], groups[g].name);
		if (!want)
			continue;
		fprintf(stderr, "# group %s\n", groups[g].name);
		ngroups++;
		nbad += !run_group(&groups[g]);
	}
	printf("# %d group(s), %d with failures, %d failed checks\n", ngroups,
	       nbad, nfail);
	return nbad ? 1 : 0;
}

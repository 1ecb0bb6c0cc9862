// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * jmgpu device model qtests: drive the PF/VF registers, the firmware
 * mailbox, the engines and fault injection of the QEMU device through
 * the qtest protocol, no guest needed. TAP output.
 *
 * usage: jmgpu-qtest <qemu-system-x86_64> [group-name...]
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qt.h"
#include "jmgpu_fw_iface.h"
#include "jmgpu_fw_validate.h"

/* ---------------- TAP ---------------- */

static char **results;
static int nresults, nfail;

static bool check(bool ok, const char *fmt, ...)
{
	char msg[512], *line;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (asprintf(&line, "%s %d - %s", ok ? "ok" : "not ok", nresults + 1,
		     msg) < 0)
		exit(2);
	results = realloc(results, sizeof(*results) * (nresults + 1));
	results[nresults++] = line;
	if (!ok) {
		nfail++;
		fprintf(stderr, "# FAIL: %s\n", msg);
	}
	return ok;
}

#define CHECK_EQ(got, want, fmt, ...) ({				\
	uint64_t _g = (got), _w = (want);				\
	bool _ok = _g == _w;						\
	if (!_ok)							\
		fprintf(stderr, "#   got 0x%" PRIx64 ", want 0x%"	\
			PRIx64 "\n", _g, _w);				\
	check(_ok, fmt, ##__VA_ARGS__);					\
})

/* ---------------- platform layout ---------------- */

#define PF_DEVFN	0x20		/* 04.0; VF n at 0x21 + n */
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

/* Boot QEMU with the PF at 04.0, BARs assigned, MSI-X enabled. */
static bool setup(const char *props)
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
	return !qt_dead;
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
		.display_heads = htole32(heads),
		.max_width = htole32(w), .max_height = htole32(h),
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

/* Common bring-up: n VFs on PCI and in firmware. */
static bool bringup(int n)
{
	sriov_enable(n);
	return vf_enable(n) == JMGPU_STATUS_OK;
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

static void test_ident(void)
{
	bool is64, pref;
	uint64_t sz;
	int cap, exp, i;

	if (!setup(NULL))
		return;
	CHECK_EQ(pci_cfg_readl(PF_DEVFN, 0), 0x00011ee7, "PF vendor/device id");
	CHECK_EQ(pci_cfg_readl(PF_DEVFN, 8) >> 8, 0x030200,
		 "PF class code 3D controller");
	CHECK_EQ(pci_cfg_readl(PF_DEVFN, 0x2c), 0x00011ee7, "PF subsystem ids");
	sz = pci_bar_size(PF_DEVFN, 0, &is64, &pref);
	check(sz == JMGPU_PF_BAR0_SIZE && !is64, "PF BAR0 64 KiB, 32-bit");
	sz = pci_bar_size(PF_DEVFN, 2, &is64, &pref);
	check(sz == 2ull << 30 && is64 && pref,
	      "PF BAR2 = vram-size 2 GiB, 64-bit prefetchable (0x%" PRIx64 ")",
	      sz);
	sz = pci_bar_size(PF_DEVFN, 4, &is64, &pref);
	cap = pci_find_cap(PF_DEVFN, 0x11);
	check(cap && (pci_cfg_readw(PF_DEVFN, cap + 2) & 0x7ff) + 1 ==
	      JMGPU_PF_MSIX_VECTORS && (pci_cfg_readl(PF_DEVFN, cap + 4) & 7) == 4
	      && sz == 4096, "PF MSI-X: 2 vectors, exclusive BAR4");
	exp = pci_find_cap(PF_DEVFN, 0x10);
	check(exp && (pci_cfg_readl(PF_DEVFN, exp + 4) & (1u << 28)),
	      "PF PCIe capability with FLR");
	check(pci_find_ext_cap(PF_DEVFN, 0x0e) && pci_find_ext_cap(PF_DEVFN, 0x0d),
	      "PF ARI and ACS capabilities");
	check(pci_find_ext_cap(PF_DEVFN, 0x01) != 0, "PF AER capability");
	CHECK_EQ(pci_cfg_readw(PF_DEVFN, g_sriov + 0x0e), 32, "SR-IOV TotalVFs 32");
	CHECK_EQ(pci_cfg_readl(PF_DEVFN, g_sriov + 0x14), 0x00010001,
		 "SR-IOV VF offset 1, stride 1");
	CHECK_EQ(pci_cfg_readw(PF_DEVFN, g_sriov + 0x1a), JMGPU_PCI_DEVICE_ID_VF,
		 "SR-IOV VF device id");
	/* VF BAR sizes through the SR-IOV BARs */
	{
		int b0 = g_sriov + 0x24;

		pci_cfg_writel(PF_DEVFN, b0, 0xffffffff);
		sz = ~(uint64_t)(pci_cfg_readl(PF_DEVFN, b0) & ~0xfu) + 1;
		sz &= 0xffffffff;
		pci_cfg_writel(PF_DEVFN, b0, (uint32_t)VF_BAR0_BASE);
		CHECK_EQ(sz, JMGPU_VF_BAR0_SIZE, "VF BAR0 16 KiB");
		pci_cfg_writel(PF_DEVFN, b0 + 8, 0xffffffff);
		pci_cfg_writel(PF_DEVFN, b0 + 12, 0xffffffff);
		sz = ~(((uint64_t)pci_cfg_readl(PF_DEVFN, b0 + 12) << 32) |
		       (pci_cfg_readl(PF_DEVFN, b0 + 8) & ~0xfu)) + 1;
		check((pci_cfg_readl(PF_DEVFN, b0 + 8) & 0xe) == 0xc &&
		      sz == 256 * MIB, "VF BAR2 = vf-aperture 256 MiB, 64-bit "
		      "prefetchable");
		pci_cfg_writel(PF_DEVFN, b0 + 8, (uint32_t)VF_BAR2_BASE);
		pci_cfg_writel(PF_DEVFN, b0 + 12, VF_BAR2_BASE >> 32);
	}
	CHECK_EQ(pf_rd(JMGPU_PF_MAGIC), JMGPU_MAGIC, "MAGIC");
	CHECK_EQ(pf_rd(JMGPU_PF_HW_REV), JMGPU_HW_REV, "HW_REV");
	CHECK_EQ(pf_rd(JMGPU_PF_FW_IFACE_VERSION), JMGPU_FW_IFACE_VERSION,
		 "FW_IFACE_VERSION");
	CHECK_EQ(pf_rd(JMGPU_PF_CAPS), 0x1f, "CAPS");
	CHECK_EQ(g_boot_status, JMGPU_PF_STATUS_RESETTING,
		 "STATUS RESETTING right after power-on");
	CHECK_EQ(pf_rd(JMGPU_PF_STATUS), JMGPU_PF_STATUS_FW_READY,
		 "STATUS FW_READY 1 ms later");
	{
		struct jmgpu_event ev[4];
		int n = events(ev, 4);

		check(n == 1 && has_event(ev, n, JMGPU_EVENT_FW_RESET_DONE, 0,
					  NULL) &&
		      (pf_rd(JMGPU_PF_INT_STATUS) & JMGPU_PF_INT_EVENT) &&
		      msi_take(MSI_PF + 4) == 0xa001,
		      "FW_RESET_DONE event + MSI-X vector 1 after boot");
	}
	CHECK_EQ(pf_rd(JMGPU_PF_FB_SIZE_LO) | (uint64_t)pf_rd(JMGPU_PF_FB_SIZE_HI)
		 << 32, 2ull << 30, "FB_SIZE");
	{
		uint32_t hb0 = pf_rd(JMGPU_PF_HEARTBEAT), hb1;

		qt_clock_step(10 * 1000 * 1000);
		hb1 = pf_rd(JMGPU_PF_HEARTBEAT);
		check(pf_rd(JMGPU_PF_HEARTBEAT_PERIOD_US) == 1000 &&
		      hb1 - hb0 >= 9 && hb1 - hb0 <= 11,
		      "heartbeat advances 1/ms of virtual time (%u)", hb1 - hb0);
	}
	/* 32 VFs on PCI: each answers in its own BAR0 with its index */
	sriov_enable(32);
	for (i = 0; i < 32; i++)
		if (vf_rd(i, JMGPU_VF_ID) != (uint32_t)i)
			break;
	CHECK_EQ(i, 32, "all 32 VFs enabled, VF_ID = index in own BAR0");
	exp = pci_find_cap(VF_DEVFN(7), 0x10);
	check(exp && (pci_cfg_readl(VF_DEVFN(7), exp + 4) & (1u << 28)) &&
	      pci_find_ext_cap(VF_DEVFN(7), 0x0d) &&
	      pci_find_ext_cap(VF_DEVFN(7), 0x0e),
	      "VF7 (function 0 of a slot) has FLR, ACS and ARI");
	cap = pci_find_cap(VF_DEVFN(3), 0x11);
	CHECK_EQ(cap ? (pci_cfg_readw(VF_DEVFN(3), cap + 2) & 0x7ff) + 1 : 0,
		 JMGPU_VF_MSIX_VECTORS, "VF MSI-X 2 vectors");
	CHECK_EQ(vf_rd(0, JMGPU_VF_STATUS), 0, "VF status 0 before VF_ENABLE");
	/* bad accesses: value 0, LOG_GUEST_ERROR */
	CHECK_EQ(pf_rd(0x0f0), 0, "undefined PF register reads 0");
	check(log_has("PF BAR0 read of undefined register 0xf0"),
	      "undefined PF register read logged as guest error");
	qt_writew(PF_BAR0 + JMGPU_PF_INT_MASK, 1);
	check(log_has("registers are 32-bit") &&
	      pf_rd(JMGPU_PF_INT_MASK) == 3, "16-bit register write refused "
	      "and logged");
	vf_wr(0, JMGPU_VF_ID, 5);
	check(log_has("VF context not set up"), "VF write before VF_ENABLE "
	      "logged");
	pf_wr(JMGPU_PF_MAGIC, 0);
	check(pf_rd(JMGPU_PF_MAGIC) == JMGPU_MAGIC &&
	      log_has("to read-only or undefined register 0x0"),
	      "write to read-only MAGIC ignored and logged");
	check(qt_readq(VF_BAR0(1) + JMGPU_VF_ID) == 0 &&
	      log_has("vf1 BAR0 read at 0x0 size 8"),
	      "64-bit VF register read refused and logged");
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
	int r, n;

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
	pf_wr(JMGPU_PF_INT_MASK, JMGPU_PF_INT_MBOX);
	pf_wr(JMGPU_PF_INT_STATUS, JMGPU_PF_INT_EVENT);
	vf_wr(1, JMGPU_VF_MSG_OUT_DOORBELL, 1);
	CHECK_EQ(msi_take(MSI_PF + 4), 0, "no event MSI-X while INT_EVENT masked");
	pf_wr(JMGPU_PF_INT_MASK, JMGPU_PF_INT_MBOX | JMGPU_PF_INT_EVENT);
	CHECK_EQ(msi_take(MSI_PF + 4), 0xa001, "unmasking a pending INT_EVENT "
		 "sends the MSI");
	events(ev, 64);
	/* event ring overflow: 63 usable slots, the rest counted and dropped */
	for (n = 0; n < 70; n++)
		vf_wr(1, JMGPU_VF_MSG_OUT_DOORBELL, 1);
	check(pf_rd(JMGPU_PF_EVQ_OVERFLOW) == 7 &&
	      (pf_rd(JMGPU_PF_EVQ_HEAD) + 1) % 64 == pf_rd(JMGPU_PF_EVQ_TAIL),
	      "event ring full: 63 kept, 7 counted in EVQ_OVERFLOW");
	n = events(ev, 64);
	CHECK_EQ(n, 63, "63 events read back");
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
	/* scanout validation */
	vf_wr(0, JMGPU_VF_SCANOUT_WIDTH, 1920);
	vf_wr(0, JMGPU_VF_SCANOUT_HEIGHT, 1080);
	vf_wr(0, JMGPU_VF_SCANOUT_STRIDE, 1920 * 4);
	vf_wr(0, JMGPU_VF_SCANOUT_FORMAT, 0x34325258);
	vf_wr(0, JMGPU_VF_SCANOUT_ENABLE, 1);
	CHECK_EQ(vf_rd(0, JMGPU_VF_SCANOUT_STATUS), JMGPU_SCANOUT_OK,
		 "scanout 1920x1080 XR24 OK");
	vf_wr(0, JMGPU_VF_SCANOUT_WIDTH, 2560);
	CHECK_EQ(vf_rd(0, JMGPU_VF_SCANOUT_STATUS), JMGPU_SCANOUT_BAD_GEOMETRY,
		 "scanout wider than provisioned -> BAD_GEOMETRY");
	vf_wr(0, JMGPU_VF_SCANOUT_WIDTH, 1920);
	vf_wr(0, JMGPU_VF_SCANOUT_FORMAT, 0x3231564e);	/* NV12 */
	CHECK_EQ(vf_rd(0, JMGPU_VF_SCANOUT_STATUS), JMGPU_SCANOUT_BAD_GEOMETRY,
		 "scanout unsupported format -> BAD_GEOMETRY");
	vf_wr(0, JMGPU_VF_SCANOUT_FORMAT, 0x34325241);	/* AR24 */
	vf_wr(0, JMGPU_VF_SCANOUT_STRIDE, 1920 * 2);
	CHECK_EQ(vf_rd(0, JMGPU_VF_SCANOUT_STATUS), JMGPU_SCANOUT_BAD_GEOMETRY,
		 "scanout stride < width * 4 -> BAD_GEOMETRY");
	vf_wr(0, JMGPU_VF_SCANOUT_STRIDE, 1920 * 4);
	CHECK_EQ(vf_rd(0, JMGPU_VF_SCANOUT_STATUS), JMGPU_SCANOUT_OK,
		 "scanout valid again");
	vf_wr(0, JMGPU_VF_SCANOUT_BASE_LO, 60 * MIB);
	CHECK_EQ(vf_rd(0, JMGPU_VF_SCANOUT_STATUS), JMGPU_SCANOUT_BAD_GEOMETRY,
		 "scanout plane past the slice end -> BAD_GEOMETRY");
	vf_wr(1, JMGPU_VF_SCANOUT_WIDTH, 64);
	vf_wr(1, JMGPU_VF_SCANOUT_HEIGHT, 64);
	vf_wr(1, JMGPU_VF_SCANOUT_STRIDE, 256);
	vf_wr(1, JMGPU_VF_SCANOUT_FORMAT, 0x34325258);
	vf_wr(1, JMGPU_VF_SCANOUT_ENABLE, 1);
	CHECK_EQ(vf_rd(1, JMGPU_VF_SCANOUT_STATUS), JMGPU_SCANOUT_BAD_GEOMETRY,
		 "scanout on a headless VF -> BAD_GEOMETRY");
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
		check(r > 2.5 && r < 3.5 && b0 + b1 > 19000000,
		      "best-effort 75:25 weights -> busy ratio %.2f (want 3), "
		      "engine saturated", r);
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
		sc.policy = htole32(JMGPU_SCHED_BEST_EFFORT);
		fw_cmd(JMGPU_CMD_SET_SCHED, &sc, NULL, 0);
		b1 = le64toh(s1.engine_busy_ns);
		qt_clock_step(10000000);
		get_stats(1, &s1);
		b1 = le64toh(s1.engine_busy_ns) - b1;
		check(b1 > 9000000, "best-effort: a lone VF gets the whole "
		      "engine (%.0f%%)", b1 / 100000.0);
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
	      vf_rd(0, JMGPU_VF_MSG_OUT) == 0, "FLR resets VF0's registers");
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
	check(vf_req(JMGPU_CMD_VF_QUERY, 0, NULL, 0) == JMGPU_STATUS_BAD_VF &&
	      qt_readl(PF_BAR2 + 64 * MIB + 0x40) == 0 &&
	      qt_readl(PF_BAR2 + 0x40) == 0x77, "PF FLR: VF contexts gone, "
	      "VRAM content kept");
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
		qt_stop();
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
	qt_stop();

	/* fw-iface-version: register, HELLO reply and HELLO's major check */
	if (!setup("fw-iface-version=0x20003"))
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
	check(vf_req(JMGPU_CMD_VF_QUERY, 0, NULL, 0) == JMGPU_STATUS_BAD_VF &&
	      qt_readl(VF_BAR2(0)) == 0, "firmware reset lost VF contexts and "
	      "provisioning");
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
	for (iter = 0; iter < ITERS && !qt_dead; iter++) {
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
				fprintf(stderr, "#   iter %u: fence %" PRIu64
					" want %" PRIu64 ", head %u tail %u "
					"(want %u) status 0x%x\n", iter, f, seq,
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
				fprintf(stderr, "#   iter %u: copy of %" PRIu64
					" bytes wrong\n", iter, len[k]);
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
	char reply[256];
	unsigned int k;
	siginfo_t si;
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
		for (i = 0; i < 40 && !qt_dead; i++)
			qt_clock_step(250000);	/* 10 ms; a reset takes 1 ms */

		check(!qt_dead && pf_rd(JMGPU_PF_MAGIC) == JMGPU_MAGIC,
		      "hostile: %s: QEMU survives and answers", w);
		n = events(ev, 64);
		if (t == 0) {
			check(pf_rd(JMGPU_PF_STATUS) == JMGPU_PF_STATUS_FW_READY &&
			      has_event(ev, n, JMGPU_EVENT_FW_RESET_DONE, 0,
					NULL) &&
			      pf_rd(JMGPU_PF_MBOX_STATUS) ==
			      JMGPU_MBOX_STATUS_IDLE &&
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
		check(!qt_dead && r == -1 &&
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
		      " ends at 0x%x", len, total - 4294966296ull, hellos, off);
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

	/* QEMU never died: a QMP quit ends it with exit status 0 */
	qmp_cmd("{\"execute\":\"quit\"}", reply, sizeof(reply));
	memset(&si, 0, sizeof(si));
	for (i = 0; i < 100; i++) {
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid)
			break;
		usleep(100000);
	}
	check(si.si_pid && si.si_code == CLD_EXITED && si.si_status == 0,
	      "hostile: QEMU exits with status 0 on QMP quit (%s %d)",
	      !si.si_pid ? "still running, status" :
	      si.si_code == CLD_EXITED ? "exit status" : "killed by signal",
	      si.si_status);
}

/* ---------------- main ---------------- */

struct group {
	const char *name;
	void (*fn)(void);
};

static const struct group groups[] = {
	{ "ident", test_ident },
	{ "fw", test_fw },
	{ "fb", test_fb },
	{ "engine", test_engine },
	{ "sched", test_sched },
	{ "flr", test_flr },
	{ "isolation", test_isolation },
	{ "faults", test_faults },
	{ "scale", test_scale },
	{ "props", test_props },
	{ "vmshape", test_vmshape },
	{ "hostile", test_hostile },
};

static void on_alarm(int sig)
{
	static const char m[] = "# timeout: killing the group\n";

	(void)sig;
	if (write(2, m, sizeof(m) - 1) < 0)
		_exit(3);
	qt_dead = true;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	size_t g;
	int i, a;

	if (argc < 2) {
		fprintf(stderr, "usage: %s <qemu-system-x86_64> [group...]\n",
			argv[0]);
		return 2;
	}
	qt_qemu_bin = argv[1];
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		bool want = argc == 2;

		for (a = 2; a < argc; a++)
			want |= !strcmp(argv[a], groups[g].name);
		if (!want)
			continue;
		fprintf(stderr, "# group %s\n", groups[g].name);
		alarm(120);
		groups[g].fn();
		alarm(0);
		qt_stop();
	}
	printf("1..%d\n", nresults);
	for (i = 0; i < nresults; i++)
		printf("%s\n", results[i]);
	printf("# %d passed, %d failed\n", nresults - nfail, nfail);
	return nfail ? 1 : 0;
}

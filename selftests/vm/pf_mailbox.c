// SPDX-License-Identifier: GPL-2.0
/*
 * pf_mailbox - drive the jmgpu PF firmware mailbox from userspace through
 * VFIO (the real IOMMU path), before any jmgpu kernel driver exists.
 *
 *   pf_mailbox <pf-bdf>                      mailbox protocol
 *   pf_mailbox <pf-bdf> <vf0-bdf> <num-vfs>  VF contexts, provisioning, a
 *                                            DMA copy job on VF 0, scrub
 *
 * The second form checks only what needs VFs: the protocol steps it
 * repeats (mapping BAR0, interrupts, HELLO, GET_CAPS, PF reset) are its
 * set-up, reported as a TAP line only when they fail, so that a run of
 * both forms counts each protocol check once.
 *
 * The PF (and, in the second form, VF 0) must be bound to vfio-pci, and in
 * the second form <num-vfs> VFs must already be enabled through sysfs
 * (sriov_numvfs) so the PF can be opened before any VF is in use; the PF
 * then sets a VF token and VF 0 is opened with it.
 *
 * TAP on stdout (plan printed at the end); exit 1 on any failure.
 */
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jmgpu_fw_iface.h"
#include "jmgpu_fw_validate.h"
#include "tap.h"
#include "vfio_dev.h"

#define IRQ_TIMEOUT_MS	5000	/* TCG: generous, a lost IRQ still fails */
#define VF_TOKEN	"5e1f7e57-0000-4a6d-9a70-6a6d67707531"

static struct vfio_dev pf;
static uint32_t next_seq = 0xfffffffdu;	/* wraps through 0 on purpose */
static struct jmgpu_caps caps;
static int have_caps;
/* after one lost interrupt, wait less so the run still ends in time */
static int irq_timeout_ms = IRQ_TIMEOUT_MS;

static uint32_t rd(uint64_t off)
{
	return vfio_dev_read32(&pf, JMGPU_BAR_REGS, off);
}

static void wr(uint64_t off, uint32_t v)
{
	vfio_dev_write32(&pf, JMGPU_BAR_REGS, off, v);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Overrides of the request header, to craft malformed requests. */
struct req_opts {
	int len;		/* -1: the payload size */
	uint16_t status;
	uint32_t reserved;
};

struct reply {
	struct jmgpu_msg_hdr h;
	uint8_t payload[JMGPU_MSG_MAX_PAYLOAD];
};

/*
 * Send one request and collect the reply. Checks the transport: mailbox not
 * busy, MSI-X completion within the timeout, INT_STATUS.MBOX set, mailbox
 * DONE, reply header valid for this opcode and seq.
 * Return: the reply status, or -1 (a diagnostic says why).
 */
static int mbox_call_opts(unsigned int op, const void *payload, uint32_t plen,
			  const struct req_opts *o, struct reply *r)
{
	uint32_t words[JMGPU_MBOX_SIZE / 4];
	struct jmgpu_msg_hdr h;
	uint32_t seq = next_seq++, i, n, st;
	int64_t irqs;
	int err;

	st = rd(JMGPU_PF_MBOX_STATUS);
	if (st == JMGPU_MBOX_STATUS_BUSY) {
		tap_diag("op 0x%x: mailbox busy before the request", op);
		return -1;
	}
	irqs = vfio_dev_drain_irq(&pf, JMGPU_PF_MSIX_MBOX);
	if (irqs) {
		tap_diag("op 0x%x: %" PRId64 " stray mailbox interrupt(s)", op,
			 irqs);
		return -1;
	}

	memset(words, 0, sizeof(words));
	h.opcode = htole16(op);
	h.status = htole16(o ? o->status : 0);
	h.seq = htole32(seq);
	h.len = htole32(o && o->len >= 0 ? (uint32_t)o->len : plen);
	h.reserved = htole32(o ? o->reserved : 0);
	memcpy(words, &h, sizeof(h));
	memcpy((uint8_t *)words + sizeof(h), payload, plen);
	n = (sizeof(h) + plen + 3) / 4;
	for (i = 0; i < n; i++)
		wr(JMGPU_PF_MBOX_REQ + 4 * i, le32toh(words[i]));
	wr(JMGPU_PF_MBOX_DOORBELL, 1);

	irqs = vfio_dev_wait_irq(&pf, JMGPU_PF_MSIX_MBOX, irq_timeout_ms);
	if (irqs <= 0) {
		tap_diag("op 0x%x seq %u: no MSI-X mailbox interrupt (mbox status %u, int status 0x%x, resp status %u)",
			 op, seq, rd(JMGPU_PF_MBOX_STATUS),
			 rd(JMGPU_PF_INT_STATUS), rd(JMGPU_PF_MBOX_RESP) >> 16);
		irq_timeout_ms = 200;
		wr(JMGPU_PF_INT_STATUS, JMGPU_PF_INT_MBOX);
		return -1;
	}
	st = rd(JMGPU_PF_INT_STATUS);
	if (!(st & JMGPU_PF_INT_MBOX)) {
		tap_diag("op 0x%x: interrupt but INT_STATUS 0x%x lacks MBOX", op,
			 st);
		return -1;
	}
	wr(JMGPU_PF_INT_STATUS, JMGPU_PF_INT_MBOX);
	if (rd(JMGPU_PF_INT_STATUS) & JMGPU_PF_INT_MBOX) {
		tap_diag("op 0x%x: INT_STATUS.MBOX not cleared by RW1C", op);
		return -1;
	}
	st = rd(JMGPU_PF_MBOX_STATUS);
	if (st != JMGPU_MBOX_STATUS_DONE) {
		tap_diag("op 0x%x: interrupt but MBOX_STATUS %u, not DONE", op, st);
		return -1;
	}
	for (i = 0; i < JMGPU_MBOX_SIZE / 4; i++)
		words[i] = htole32(rd(JMGPU_PF_MBOX_RESP + 4 * i));
	memcpy(r, words, sizeof(*r));
	err = jmgpu_check_reply(words, JMGPU_MBOX_SIZE, op, seq);
	if (err) {
		tap_diag("op 0x%x seq %u: bad reply: %s (opcode 0x%x seq %u status %u len %u reserved 0x%x)",
			 op, seq, jmgpu_reply_err_str(err),
			 le16toh(r->h.opcode), le32toh(r->h.seq),
			 le16toh(r->h.status), le32toh(r->h.len),
			 le32toh(r->h.reserved));
		return -1;
	}
	return le16toh(r->h.status);
}

static int mbox_call(unsigned int op, const void *payload, uint32_t plen,
		     struct reply *r)
{
	return mbox_call_opts(op, payload, plen, NULL, r);
}

/* One TAP line: the request completes with status @want. */
static int expect(int got, int want, const char *desc)
{
	if (got == want)
		return tap_ok(1, "%s -> %s", desc, jmgpu_status_str(want));
	tap_ok(0, "%s -> %s", desc, jmgpu_status_str(want));
	if (got >= 0)
		tap_diag("  firmware answered %s (%d)", jmgpu_status_str(got),
			 got);
	return 0;
}

static int call_expect(unsigned int op, const void *p, uint32_t plen,
		       int want, const char *desc, struct reply *r)
{
	struct reply tmp;

	return expect(mbox_call(op, p, plen, r ? r : &tmp), want, desc);
}

static int wait_fw_ready(void)
{
	uint64_t end = now_ms() + 5000;
	uint32_t st;

	do {
		st = rd(JMGPU_PF_STATUS);
		if ((st & JMGPU_PF_STATUS_FW_READY) &&
		    !(st & JMGPU_PF_STATUS_RESETTING))
			return 1;
		usleep(1000);
	} while (now_ms() < end);
	tap_diag("PF_STATUS 0x%x: firmware not ready within 5 s", st);
	return 0;
}

/* ------------------------------------------------------------------ */

static void test_registers(void)
{
	uint32_t v;

	tap_eq(rd(JMGPU_PF_MAGIC), JMGPU_MAGIC, "PF MAGIC register");
	tap_eq(rd(JMGPU_PF_HW_REV), JMGPU_HW_REV, "PF HW_REV register");
	v = rd(JMGPU_PF_FW_IFACE_VERSION);
	tap_eq(JMGPU_VERSION_MAJOR(v), JMGPU_FW_IFACE_MAJOR,
	       "PF FW_IFACE_VERSION major is %d (reg 0x%08x)",
	       JMGPU_FW_IFACE_MAJOR, v);
	v = rd(JMGPU_PF_CAPS);
	tap_ok((v & JMGPU_CAP_SRIOV) && (v & JMGPU_CAP_COPY_ENGINE),
	       "PF CAPS has SRIOV and COPY_ENGINE (0x%x)", v);
	tap_ok(wait_fw_ready(), "firmware ready (PF_STATUS.FW_READY)");
}

static void test_hello(void)
{
	struct jmgpu_hello_req h = { htole32(JMGPU_FW_IFACE_VERSION), 0 };
	struct jmgpu_hello_resp *o;
	struct reply r;

	if (call_expect(JMGPU_CMD_HELLO, &h, sizeof(h), JMGPU_STATUS_OK,
			"HELLO 1.0", &r)) {
		o = (void *)r.payload;
		tap_ok(JMGPU_VERSION_MAJOR(le32toh(o->fw_version)) ==
		       JMGPU_FW_IFACE_MAJOR && le32toh(o->fw_build),
		       "HELLO reply: fw interface %u.%u build %u",
		       JMGPU_VERSION_MAJOR(le32toh(o->fw_version)),
		       JMGPU_VERSION_MINOR(le32toh(o->fw_version)),
		       le32toh(o->fw_build));
	} else {
		tap_ok(0, "HELLO reply: fw version (no reply)");
	}
	h.driver_version = htole32(((JMGPU_FW_IFACE_MAJOR + 1) << 16));
	if (call_expect(JMGPU_CMD_HELLO, &h, sizeof(h), JMGPU_STATUS_VERSION,
			"HELLO with major + 1", &r))
		tap_eq(le32toh(r.h.len), 0, "VERSION reply carries no payload");
	else
		tap_ok(0, "VERSION reply carries no payload (no reply)");
	h.driver_version = htole32(0x0000ffff);
	call_expect(JMGPU_CMD_HELLO, &h, sizeof(h), JMGPU_STATUS_VERSION,
		    "HELLO 0.65535 (major 0)", NULL);
	h.driver_version = htole32((JMGPU_FW_IFACE_MAJOR << 16) | 0xffff);
	call_expect(JMGPU_CMD_HELLO, &h, sizeof(h), JMGPU_STATUS_OK,
		    "HELLO 1.65535 (newer minor is additive)", NULL);
	h.driver_version = htole32(JMGPU_FW_IFACE_VERSION);
	h.reserved = htole32(1);
	call_expect(JMGPU_CMD_HELLO, &h, sizeof(h), JMGPU_STATUS_BAD_PARAM,
		    "HELLO with reserved set", NULL);
	h.reserved = 0;
	call_expect(JMGPU_CMD_HELLO, &h, sizeof(h), JMGPU_STATUS_OK,
		    "HELLO 1.0 again", NULL);
}

static void test_caps(void)
{
	struct reply r;
	uint64_t fb;
	int err;

	if (!call_expect(JMGPU_CMD_GET_CAPS, NULL, 0, JMGPU_STATUS_OK,
			 "GET_CAPS", &r)) {
		tap_ok(0, "GET_CAPS reply passes jmgpu_check_caps (no reply)");
		tap_ok(0, "GET_CAPS matches registers (no reply)");
		return;
	}
	memcpy(&caps, r.payload, sizeof(caps));
	err = jmgpu_check_caps(&caps);
	have_caps = tap_ok(!err, "GET_CAPS reply passes jmgpu_check_caps (%s)",
			   jmgpu_reply_err_str(err));
	fb = rd(JMGPU_PF_FB_SIZE_LO) | (uint64_t)rd(JMGPU_PF_FB_SIZE_HI) << 32;
	tap_ok(le64toh(caps.fb_size) == fb &&
	       le32toh(caps.max_vfs) == JMGPU_MAX_VFS,
	       "GET_CAPS: fb_size 0x%" PRIx64 " (regs 0x%" PRIx64
	       "), max_vfs %u, granule 0x%x, aperture 0x%" PRIx64,
	       (uint64_t)le64toh(caps.fb_size), fb, le32toh(caps.max_vfs),
	       le32toh(caps.fb_granule), (uint64_t)le64toh(caps.vf_aperture));
}

static void test_ping_seq(void)
{
	static const uint64_t cookies[] = {
		0x0123456789abcdefull, 0, ~0ull, 0x8000000000000001ull,
	};
	struct jmgpu_ping p;
	struct reply r;
	unsigned int i;

	for (i = 0; i < sizeof(cookies) / sizeof(cookies[0]); i++) {
		uint32_t seq = next_seq;

		p.cookie = htole64(cookies[i]);
		if (call_expect(JMGPU_CMD_PING, &p, sizeof(p), JMGPU_STATUS_OK,
				"PING", &r))
			tap_ok(le64toh(((struct jmgpu_ping *)r.payload)->cookie)
			       == cookies[i] && le32toh(r.h.seq) == seq,
			       "PING echoes cookie 0x%016" PRIx64 " with seq %u",
			       cookies[i], seq);
		else
			tap_ok(0, "PING echoes cookie (no reply)");
	}
	tap_ok(next_seq < 0x100, "sequence numbers wrapped through 0 (now %u)",
	       next_seq);
}

static void test_sched(void)
{
	struct jmgpu_sched s, orig;
	struct reply r;
	static const struct { uint32_t pol, us; const char *d; } bad[] = {
		{ JMGPU_SCHED_MAX + 1, 1000, "SET_SCHED policy MAX + 1" },
		{ 0, JMGPU_SCHED_MIN_SLICE_US - 1, "SET_SCHED slice 99 us" },
		{ 0, JMGPU_SCHED_MAX_SLICE_US + 1, "SET_SCHED slice 100001 us" },
		{ 0, 0, "SET_SCHED slice 0" },
	};
	unsigned int i;

	memset(&orig, 0, sizeof(orig));
	if (call_expect(JMGPU_CMD_GET_SCHED, NULL, 0, JMGPU_STATUS_OK,
			"GET_SCHED", &r)) {
		memcpy(&orig, r.payload, sizeof(orig));
		tap_ok(!jmgpu_check_sched(&orig),
		       "GET_SCHED reply in range: policy %u slice %u us",
		       le32toh(orig.policy), le32toh(orig.timeslice_us));
	} else {
		tap_ok(0, "GET_SCHED reply in range (no reply)");
	}
	s.policy = htole32(JMGPU_SCHED_FIXED_SHARE);
	s.timeslice_us = htole32(JMGPU_SCHED_MAX_SLICE_US);
	call_expect(JMGPU_CMD_SET_SCHED, &s, sizeof(s), JMGPU_STATUS_OK,
		    "SET_SCHED fixed-share 100000 us", NULL);
	if (mbox_call(JMGPU_CMD_GET_SCHED, NULL, 0, &r) == JMGPU_STATUS_OK)
		tap_ok(!memcmp(r.payload, &s, sizeof(s)),
		       "GET_SCHED returns fixed-share 100000 us (got %u %u)",
		       le32toh(((struct jmgpu_sched *)r.payload)->policy),
		       le32toh(((struct jmgpu_sched *)r.payload)->timeslice_us));
	else
		tap_ok(0, "GET_SCHED after SET_SCHED (no reply)");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct jmgpu_sched b = { htole32(bad[i].pol), htole32(bad[i].us) };

		call_expect(JMGPU_CMD_SET_SCHED, &b, sizeof(b),
			    JMGPU_STATUS_BAD_PARAM, bad[i].d, NULL);
	}
	if (mbox_call(JMGPU_CMD_GET_SCHED, NULL, 0, &r) == JMGPU_STATUS_OK)
		tap_ok(!memcmp(r.payload, &s, sizeof(s)),
		       "rejected SET_SCHED left the policy unchanged");
	else
		tap_ok(0, "GET_SCHED after bad SET_SCHED (no reply)");
	s.policy = htole32(JMGPU_SCHED_EQUAL_SHARE);
	s.timeslice_us = htole32(JMGPU_SCHED_MIN_SLICE_US);
	call_expect(JMGPU_CMD_SET_SCHED, &s, sizeof(s), JMGPU_STATUS_OK,
		    "SET_SCHED equal-share 100 us", NULL);
	if (orig.timeslice_us)
		call_expect(JMGPU_CMD_SET_SCHED, &orig, sizeof(orig),
			    JMGPU_STATUS_OK, "SET_SCHED restores the default",
			    NULL);
}

static void test_malformed(void)
{
	struct jmgpu_ping p = { htole64(42) };
	struct req_opts o;
	struct reply r;
	uint8_t big[64];

	memset(big, 0, sizeof(big));
	call_expect(0x03, NULL, 0, JMGPU_STATUS_UNKNOWN_CMD,
		    "unknown opcode 0x03", NULL);
	call_expect(0x00, NULL, 0, JMGPU_STATUS_UNKNOWN_CMD,
		    "unknown opcode 0x00", NULL);
	call_expect(0xffff, big, 8, JMGPU_STATUS_UNKNOWN_CMD,
		    "unknown opcode 0xffff with payload", NULL);
	call_expect(JMGPU_CMD_PING, &p, 4, JMGPU_STATUS_BAD_LEN,
		    "PING with 4 payload bytes", NULL);
	call_expect(JMGPU_CMD_PING, big, 16, JMGPU_STATUS_BAD_LEN,
		    "PING with 16 payload bytes", NULL);
	call_expect(JMGPU_CMD_HELLO, NULL, 0, JMGPU_STATUS_BAD_LEN,
		    "HELLO without payload", NULL);
	call_expect(JMGPU_CMD_GET_CAPS, big, 8, JMGPU_STATUS_BAD_LEN,
		    "GET_CAPS with a payload", NULL);
	call_expect(JMGPU_CMD_VF_PROVISION, big, 36, JMGPU_STATUS_BAD_LEN,
		    "VF_PROVISION with 36 of 40 bytes", NULL);
	o = (struct req_opts){ .len = JMGPU_MSG_MAX_PAYLOAD + 1 };
	expect(mbox_call_opts(JMGPU_CMD_PING, &p, sizeof(p), &o, &r),
	       JMGPU_STATUS_BAD_LEN, "PING whose len exceeds the mailbox");
	o = (struct req_opts){ .len = -1, .reserved = 0x10000 };
	expect(mbox_call_opts(JMGPU_CMD_PING, &p, sizeof(p), &o, &r),
	       JMGPU_STATUS_BAD_PARAM, "PING with header reserved set");
	o = (struct req_opts){ .len = -1, .status = 1 };
	expect(mbox_call_opts(JMGPU_CMD_PING, &p, sizeof(p), &o, &r),
	       JMGPU_STATUS_BAD_PARAM, "PING with header status set");
	if (call_expect(JMGPU_CMD_PING, &p, sizeof(p), JMGPU_STATUS_OK,
			"PING after malformed requests", &r))
		tap_eq(le64toh(((struct jmgpu_ping *)r.payload)->cookie), 42,
		       "mailbox still echoes correctly");
	else
		tap_ok(0, "mailbox still echoes correctly (no reply)");
}

static void test_log(void)
{
	struct jmgpu_log_req q = { 0, htole32(256) };
	struct jmgpu_log_resp *l;
	struct reply r;
	uint32_t hl, ll;

	if (!call_expect(JMGPU_CMD_GET_LOG, &q, sizeof(q), JMGPU_STATUS_OK,
			 "GET_LOG offset 0, 256 bytes", &r)) {
		tap_ok(0, "GET_LOG reply consistent (no reply)");
	} else {
		l = (void *)r.payload;
		hl = le32toh(r.h.len);
		ll = le32toh(l->len);
		tap_ok(hl == sizeof(*l) + ll && ll <= 256 &&
		       le32toh(l->next) >= le32toh(l->offset) + ll && !l->reserved,
		       "GET_LOG reply consistent: hdr len %u, text %u, offset %u, next %u",
		       hl, ll, le32toh(l->offset), le32toh(l->next));
		if (ll) {
			uint32_t k, m = ll < 120 ? ll : 120;

			for (k = 0; k < m; k++)	/* one TAP comment line */
				if (l->text[k] < 0x20 || l->text[k] > 0x7e)
					l->text[k] = ' ';
			tap_diag("fw log: %.*s", (int)m, l->text);
		}
	}
	q.max_len = htole32(JMGPU_LOG_CHUNK + 1);
	call_expect(JMGPU_CMD_GET_LOG, &q, sizeof(q), JMGPU_STATUS_BAD_PARAM,
		    "GET_LOG max_len 4001", NULL);
}

/* The completion interrupt follows INT_MASK: masked -> no MSI-X. */
static void test_int_mask(void)
{
	struct jmgpu_ping p = { htole64(7) };
	uint32_t words[4], seq = next_seq++, i;
	struct jmgpu_msg_hdr h = { htole16(JMGPU_CMD_PING), 0, htole32(seq),
				   htole32(8), 0 };
	uint64_t end;
	int64_t n;

	vfio_dev_drain_irq(&pf, JMGPU_PF_MSIX_MBOX);
	wr(JMGPU_PF_INT_MASK, 0);
	memcpy(words, &h, 16);
	for (i = 0; i < 4; i++)
		wr(JMGPU_PF_MBOX_REQ + 4 * i, le32toh(words[i]));
	wr(JMGPU_PF_MBOX_REQ + 16, le32toh((uint32_t)p.cookie));
	wr(JMGPU_PF_MBOX_REQ + 20, 0);
	wr(JMGPU_PF_MBOX_DOORBELL, 1);
	end = now_ms() + IRQ_TIMEOUT_MS;
	while (rd(JMGPU_PF_MBOX_STATUS) != JMGPU_MBOX_STATUS_DONE &&
	       now_ms() < end)
		usleep(1000);
	tap_eq(rd(JMGPU_PF_MBOX_STATUS), JMGPU_MBOX_STATUS_DONE,
	       "masked: reply arrives (MBOX_STATUS polled to DONE)");
	tap_ok(rd(JMGPU_PF_INT_STATUS) & JMGPU_PF_INT_MBOX,
	       "masked: INT_STATUS.MBOX still latched");
	pf.quiet = 1;	/* the timeout is the expected outcome here */
	n = vfio_dev_wait_irq(&pf, JMGPU_PF_MSIX_MBOX, 200);
	pf.quiet = 0;
	tap_ok(n == 0, "masked: no MSI-X interrupt (%" PRId64 ")", n);
	wr(JMGPU_PF_INT_STATUS, JMGPU_PF_INT_MBOX);
	wr(JMGPU_PF_INT_MASK, JMGPU_PF_INT_MBOX);
	usleep(20000);
	vfio_dev_drain_irq(&pf, JMGPU_PF_MSIX_MBOX);
}

/* ------------------------------------------------------------------ */
/* VF part                                                             */
/* ------------------------------------------------------------------ */

static int vf_req(unsigned int op, uint32_t vf, uint32_t rsvd, struct reply *r)
{
	struct jmgpu_vf_req q = { htole32(vf), htole32(rsvd) };

	return mbox_call(op, &q, sizeof(q), r);
}

static struct jmgpu_vf_config vfcfg(uint32_t vf, uint64_t off, uint64_t size)
{
	struct jmgpu_vf_config v;

	memset(&v, 0, sizeof(v));
	v.vf = htole32(vf);
	v.engine_weight = htole32(10);
	v.fb_offset = htole64(off);
	v.fb_size = htole64(size);
	v.codec_sessions = htole32(1);
	v.display_heads = htole16(1);
	v.max_width = htole32(1024);
	v.max_height = htole32(768);
	return v;
}

static int provision(uint32_t vf, uint64_t off, uint64_t size)
{
	struct jmgpu_vf_config v = vfcfg(vf, off, size);
	struct reply r;

	return mbox_call(JMGPU_CMD_VF_PROVISION, &v, sizeof(v), &r);
}

static int get_stats(uint32_t vf, struct jmgpu_vf_stats *s)
{
	struct reply r;
	int st = vf_req(JMGPU_CMD_VF_GET_STATS, vf, 0, &r);

	if (st == JMGPU_STATUS_OK)
		memcpy(s, r.payload, sizeof(*s));
	return st;
}

static void test_vf_contexts(uint32_t nvfs)
{
	struct jmgpu_vf_enable_req e = { 0, 0 };
	struct jmgpu_vf_config v;
	struct jmgpu_vf_stats s;
	struct reply r;
	uint64_t gran = le32toh(caps.fb_granule);
	uint64_t ap = le64toh(caps.vf_aperture);
	uint64_t fb = le64toh(caps.fb_size);
	uint64_t slice = 4 * gran < ap ? 4 * gran : ap;
	char d[128];

	expect(vf_req(JMGPU_CMD_VF_QUERY, 0, 0, &r), JMGPU_STATUS_BAD_VF,
	       "VF_QUERY vf 0 before VF_ENABLE");
	e.num_vfs = 0;
	call_expect(JMGPU_CMD_VF_ENABLE, &e, sizeof(e), JMGPU_STATUS_BAD_PARAM,
		    "VF_ENABLE 0", NULL);
	e.num_vfs = htole32(JMGPU_MAX_VFS + 1);
	call_expect(JMGPU_CMD_VF_ENABLE, &e, sizeof(e), JMGPU_STATUS_BAD_PARAM,
		    "VF_ENABLE 33", NULL);
	e.num_vfs = htole32(nvfs);
	e.reserved = htole32(1);
	call_expect(JMGPU_CMD_VF_ENABLE, &e, sizeof(e), JMGPU_STATUS_BAD_PARAM,
		    "VF_ENABLE with reserved set", NULL);
	e.reserved = 0;
	e.num_vfs = htole32(nvfs + 1);
	snprintf(d, sizeof(d), "VF_ENABLE %u while PCI has %u VFs", nvfs + 1,
		 nvfs);
	call_expect(JMGPU_CMD_VF_ENABLE, &e, sizeof(e), JMGPU_STATUS_BAD_STATE,
		    d, NULL);
	call_expect(JMGPU_CMD_VF_DISABLE, NULL, 0, JMGPU_STATUS_BAD_STATE,
		    "VF_DISABLE with no VF contexts", NULL);
	e.num_vfs = htole32(nvfs);
	snprintf(d, sizeof(d), "VF_ENABLE %u (== sriov_numvfs)", nvfs);
	call_expect(JMGPU_CMD_VF_ENABLE, &e, sizeof(e), JMGPU_STATUS_OK, d, NULL);
	call_expect(JMGPU_CMD_VF_ENABLE, &e, sizeof(e), JMGPU_STATUS_BAD_STATE,
		    "VF_ENABLE again", NULL);

	snprintf(d, sizeof(d), "VF_PROVISION vf 0 fb 0x0+0x%" PRIx64, slice);
	expect(provision(0, 0, slice), JMGPU_STATUS_OK, d);
	expect(provision(0, 8 * slice, slice), JMGPU_STATUS_BAD_STATE,
	       "VF_PROVISION vf 0 again");
	expect(provision(1, slice / 2 - (slice / 2) % gran, slice),
	       JMGPU_STATUS_NO_SPACE, "VF_PROVISION vf 1 overlapping vf 0");
	expect(provision(1, 0, gran), JMGPU_STATUS_NO_SPACE,
	       "VF_PROVISION vf 1 inside vf 0");
	snprintf(d, sizeof(d), "VF_PROVISION vf 1 fb 0x%" PRIx64 "+0x%" PRIx64,
		 slice, slice);
	expect(provision(1, slice, slice), JMGPU_STATUS_OK, d);
	expect(provision(2, 2 * slice, ap * 2), JMGPU_STATUS_BAD_PARAM,
	       "VF_PROVISION vf 2 larger than the aperture");
	expect(provision(2, fb - gran, 2 * gran), JMGPU_STATUS_BAD_PARAM,
	       "VF_PROVISION vf 2 crossing the end of VRAM");
	expect(provision(2, fb, gran), JMGPU_STATUS_BAD_PARAM,
	       "VF_PROVISION vf 2 beyond VRAM");
	expect(provision(2, 2 * slice + 4096, gran), JMGPU_STATUS_BAD_PARAM,
	       "VF_PROVISION vf 2 misaligned offset");
	v = vfcfg(2, 2 * slice, slice);
	v.engine_weight = htole32(le32toh(caps.max_weight) + 1);
	call_expect(JMGPU_CMD_VF_PROVISION, &v, sizeof(v),
		    JMGPU_STATUS_BAD_PARAM, "VF_PROVISION weight > max", NULL);
	v = vfcfg(2, 2 * slice, slice);
	v.codec_sessions = htole32(le32toh(caps.codec_sessions) + 1);
	call_expect(JMGPU_CMD_VF_PROVISION, &v, sizeof(v),
		    JMGPU_STATUS_BAD_PARAM, "VF_PROVISION codec > caps", NULL);
	snprintf(d, sizeof(d), "VF_PROVISION vf %u (== num_vfs)", nvfs);
	expect(provision(nvfs, 2 * slice, slice), JMGPU_STATUS_BAD_VF, d);

	if (call_expect(JMGPU_CMD_VF_QUERY, (struct jmgpu_vf_req[]){ { 0, 0 } },
			sizeof(struct jmgpu_vf_req), JMGPU_STATUS_OK,
			"VF_QUERY vf 0", &r)) {
		struct jmgpu_vf_config want = vfcfg(0, 0, slice);

		tap_ok(!memcmp(r.payload, &want, sizeof(want)) &&
		       !jmgpu_check_query((void *)r.payload, &caps, 0),
		       "VF_QUERY vf 0 returns what was provisioned");
	} else {
		tap_ok(0, "VF_QUERY vf 0 returns what was provisioned");
	}
	if (expect(vf_req(JMGPU_CMD_VF_QUERY, nvfs - 1, 0, &r),
		   JMGPU_STATUS_OK, "VF_QUERY last VF (unprovisioned)")) {
		struct jmgpu_vf_config *q = (void *)r.payload;

		tap_ok(le32toh(q->vf) == nvfs - 1 && !q->fb_size &&
		       !q->engine_weight &&
		       !jmgpu_check_query(q, &caps, nvfs - 1),
		       "VF_QUERY last VF: all zero");
	} else {
		tap_ok(0, "VF_QUERY last VF: all zero");
	}
	expect(vf_req(JMGPU_CMD_VF_QUERY, nvfs, 0, &r), JMGPU_STATUS_BAD_VF,
	       "VF_QUERY vf == num_vfs");
	expect(vf_req(JMGPU_CMD_VF_QUERY, 0, 1, &r), JMGPU_STATUS_BAD_PARAM,
	       "VF_QUERY with reserved set");
	if (expect(get_stats(0, &s), JMGPU_STATUS_OK, "VF_GET_STATS vf 0"))
		tap_ok(!jmgpu_check_stats(&s, 0) && !s.jobs,
		       "VF_GET_STATS vf 0: valid, no jobs yet");
	else
		tap_ok(0, "VF_GET_STATS vf 0: valid");
	expect(get_stats(nvfs, &s), JMGPU_STATUS_BAD_VF,
	       "VF_GET_STATS vf == num_vfs");
	expect(vf_req(JMGPU_CMD_VF_UNPROVISION, 1, 0, &r), JMGPU_STATUS_OK,
	       "VF_UNPROVISION vf 1");
	expect(vf_req(JMGPU_CMD_VF_UNPROVISION, 1, 0, &r),
	       JMGPU_STATUS_BAD_STATE, "VF_UNPROVISION vf 1 again");
	expect(vf_req(JMGPU_CMD_VF_UNPROVISION, nvfs, 0, &r),
	       JMGPU_STATUS_BAD_VF, "VF_UNPROVISION vf == num_vfs");
	call_expect(JMGPU_CMD_VF_DISABLE, NULL, 0, JMGPU_STATUS_BAD_STATE,
		    "VF_DISABLE while vf 0 is provisioned", NULL);
}

/* Copy job through the IOMMU on VF 0, then scrub check through BAR2. */
#define IOVA_BASE	0x10000000ull
#define DMA_SIZE	(1u << 20)
#define RING_OFF	0x0
#define FENCE_OFF	0x1000
#define SRC_OFF		0x10000
#define DST_OFF		0x80000
#define COPY_LEN	0x10000
#define RING_ENTRIES	16

static uint32_t vrd(struct vfio_dev *v, uint64_t off)
{
	return vfio_dev_read32(v, JMGPU_BAR_REGS, off);
}

static void vwr(struct vfio_dev *v, uint64_t off, uint32_t val)
{
	vfio_dev_write32(v, JMGPU_BAR_REGS, off, val);
}

static void test_vf_dma(const char *vfbdf)
{
	struct vfio_dev vf;
	struct jmgpu_vf_stats s0, s1;
	struct jmgpu_job *ring;
	uint8_t *buf;
	volatile uint8_t *fbm;
	uint64_t slice = 0, fence;
	uint32_t i, st, bad;
	int64_t n;
	struct reply r;
	int ok;

	memset(&vf, 0, sizeof(vf));
	vf.quiet = 1;
	ok = vfio_dev_open(&vf, vfbdf, NULL);
	tap_ok(ok < 0 && errno == EACCES,
	       "VF %s cannot be opened without the VF token (%s)", vfbdf,
	       ok < 0 ? strerror(errno) : "opened!");
	if (!ok)
		vfio_dev_close(&vf);
	vf.quiet = 1;
	ok = vfio_dev_open(&vf, vfbdf, "00000000-1111-2222-3333-444444444444");
	tap_ok(ok < 0 && errno == EACCES,
	       "VF %s cannot be opened with a wrong VF token (%s)", vfbdf,
	       ok < 0 ? strerror(errno) : "opened!");
	if (!ok)
		vfio_dev_close(&vf);
	vf.quiet = 0;
	if (!tap_ok(!vfio_dev_open(&vf, vfbdf, VF_TOKEN),
		    "VF %s opened through VFIO with the VF token", vfbdf)) {
		tap_diag("%s", vf.err);
		return;
	}

	tap_eq(vrd(&vf, JMGPU_VF_ID), 0, "VF BAR0 VF_ID is 0");
	st = vrd(&vf, JMGPU_VF_STATUS);
	tap_ok((st & JMGPU_VF_STATUS_PROVISIONED) &&
	       (st & JMGPU_VF_STATUS_ENABLED),
	       "VF_STATUS provisioned+enabled after the open's FLR (0x%x)", st);
	if (vf.region[JMGPU_BAR_FB].info.size)
		slice = vrd(&vf, JMGPU_VF_FB_SIZE_LO) |
			(uint64_t)vrd(&vf, JMGPU_VF_FB_SIZE_HI) << 32;
	tap_ok(slice && slice == 4 * (uint64_t)le32toh(caps.fb_granule) &&
	       vrd(&vf, JMGPU_VF_ENGINE_WEIGHT) == 10,
	       "VF BAR0 shows the provisioning: fb 0x%" PRIx64 ", weight %u",
	       slice, vrd(&vf, JMGPU_VF_ENGINE_WEIGHT));
	tap_ok(vf.region[JMGPU_BAR_FB].info.size == le64toh(caps.vf_aperture),
	       "VF BAR2 size 0x%llx == caps.vf_aperture",
	       (unsigned long long)vf.region[JMGPU_BAR_FB].info.size);

	get_stats(0, &s0);
	ok = !vfio_dev_enable_bus_master(&vf) && !vfio_dev_enable_msix(&vf, 2);
	tap_ok(ok, "VF bus master on, MSI-X vectors 0-1 on eventfds");
	buf = vfio_dev_dma_alloc(&vf, IOVA_BASE, DMA_SIZE);
	if (!tap_ok(buf != NULL, "map 1 MiB of DMA memory at IOVA 0x%llx",
		    IOVA_BASE)) {
		vfio_dev_close(&vf);
		return;
	}
	for (i = 0; i < COPY_LEN; i++)
		buf[SRC_OFF + i] = (uint8_t)(i * 7 + (i >> 8) + 1);
	memset(buf + DST_OFF, 0xee, COPY_LEN + 64);
	ring = (struct jmgpu_job *)(buf + RING_OFF);
	ring[0].opcode = htole32(JMGPU_JOB_COPY);
	ring[0].flags = htole32(JMGPU_JOB_F_IRQ | JMGPU_JOB_F_FENCE);
	ring[0].src = htole64(IOVA_BASE + SRC_OFF);
	ring[0].dst = htole64(IOVA_BASE + DST_OFF);
	ring[0].len = htole64(COPY_LEN);
	ring[0].fence = htole64(0x1234567890ull);
	tap_ok(!jmgpu_check_job(&ring[0]), "copy job passes jmgpu_check_job");
	__sync_synchronize();

	vwr(&vf, JMGPU_VF_INT_MASK, JMGPU_VF_INT_JOB_DONE | JMGPU_VF_INT_FAULT);
	vwr(&vf, JMGPU_VF_RING_BASE_LO, (uint32_t)(IOVA_BASE + RING_OFF));
	vwr(&vf, JMGPU_VF_RING_BASE_HI, (uint32_t)((IOVA_BASE + RING_OFF) >> 32));
	vwr(&vf, JMGPU_VF_RING_SIZE, RING_ENTRIES);
	vwr(&vf, JMGPU_VF_FENCE_ADDR_LO, (uint32_t)(IOVA_BASE + FENCE_OFF));
	vwr(&vf, JMGPU_VF_FENCE_ADDR_HI, (uint32_t)((IOVA_BASE + FENCE_OFF) >> 32));
	vwr(&vf, JMGPU_VF_RING_CTRL, JMGPU_RING_CTRL_ENABLE);
	vwr(&vf, JMGPU_VF_DOORBELL, 1);

	n = vfio_dev_wait_irq(&vf, JMGPU_VF_MSIX_ENGINE, IRQ_TIMEOUT_MS);
	if (!tap_ok(n > 0, "VF MSI-X engine interrupt after the doorbell"))
		tap_diag("VF status 0x%x head %u tail %u int 0x%x fault %u at 0x%x",
			 vrd(&vf, JMGPU_VF_STATUS), vrd(&vf, JMGPU_VF_RING_HEAD),
			 vrd(&vf, JMGPU_VF_RING_TAIL),
			 vrd(&vf, JMGPU_VF_INT_STATUS),
			 vrd(&vf, JMGPU_VF_FAULT_STATUS),
			 vrd(&vf, JMGPU_VF_FAULT_ADDR_LO));
	st = vrd(&vf, JMGPU_VF_INT_STATUS);
	tap_ok(st == JMGPU_VF_INT_JOB_DONE, "VF INT_STATUS is JOB_DONE (0x%x)",
	       st);
	vwr(&vf, JMGPU_VF_INT_STATUS, st);
	for (bad = 0, i = 0; i < COPY_LEN; i++)
		bad += buf[DST_OFF + i] != buf[SRC_OFF + i];
	tap_ok(!bad, "copy job: %u KiB copied through the IOMMU (%u bytes differ)",
	       COPY_LEN / 1024, bad);
	tap_ok((uint8_t)buf[DST_OFF + COPY_LEN] == 0xee,
	       "copy job: no byte written past the end");
	memcpy(&fence, buf + FENCE_OFF, 8);
	tap_eq(le64toh(fence), 0x1234567890ull, "fence written to guest memory");
	tap_eq(vrd(&vf, JMGPU_VF_FENCE_VALUE_LO) |
	       (uint64_t)vrd(&vf, JMGPU_VF_FENCE_VALUE_HI) << 32,
	       0x1234567890ull, "FENCE_VALUE register");
	tap_eq(vrd(&vf, JMGPU_VF_RING_HEAD), 1, "ring head advanced to 1");
	tap_eq(vrd(&vf, JMGPU_VF_FAULT_STATUS), JMGPU_FAULT_CODE_NONE,
	       "no engine fault");
	if (expect(get_stats(0, &s1), JMGPU_STATUS_OK, "VF_GET_STATS after job"))
		tap_ok(le64toh(s1.jobs) == le64toh(s0.jobs) + 1 &&
		       le64toh(s1.bytes) >= le64toh(s0.bytes) + COPY_LEN &&
		       le64toh(s1.doorbells) > le64toh(s0.doorbells),
		       "stats count the job: jobs %" PRIu64 " bytes %" PRIu64
		       " doorbells %" PRIu64, (uint64_t)le64toh(s1.jobs),
		       (uint64_t)le64toh(s1.bytes),
		       (uint64_t)le64toh(s1.doorbells));
	else
		tap_ok(0, "stats count the job");

	/* FB slice through VF BAR2: write, see it, unprovision, re-provision */
	fbm = vfio_dev_map_bar(&vf, JMGPU_BAR_FB);
	if (!tap_ok(fbm != NULL && slice, "VF BAR2 (FB aperture) mmapped")) {
		vfio_dev_close(&vf);
		return;
	}
	for (i = 0; i < 4096; i += 4) {
		*(volatile uint32_t *)(fbm + i) = 0xa5a50000u | i;
		*(volatile uint32_t *)(fbm + slice - 4096 + i) = 0x5a5a0000u | i;
	}
	__sync_synchronize();
	for (bad = 0, i = 0; i < 4096; i += 4)
		bad += *(volatile uint32_t *)(fbm + i) != (0xa5a50000u | i) ||
		       *(volatile uint32_t *)(fbm + slice - 4096 + i) !=
		       (0x5a5a0000u | i);
	tap_ok(!bad, "VF BAR2: data written to the slice reads back");
	st = *(volatile uint32_t *)(fbm + slice);
	get_stats(0, &s0);
	tap_ok(st == 0 && le64toh(s0.fb_violations) > le64toh(s1.fb_violations),
	       "VF BAR2 read past the slice: 0x%x, counted as a violation (%"
	       PRIu64 ")", st, (uint64_t)le64toh(s0.fb_violations));

	expect(vf_req(JMGPU_CMD_VF_UNPROVISION, 0, 0, &r), JMGPU_STATUS_OK,
	       "VF_UNPROVISION vf 0 (scrubs)");
	tap_ok(!(vrd(&vf, JMGPU_VF_STATUS) & JMGPU_VF_STATUS_PROVISIONED),
	       "VF_STATUS no longer provisioned");
	expect(provision(0, 0, slice), JMGPU_STATUS_OK,
	       "VF_PROVISION vf 0 again on the same FB range");
	for (bad = 0, i = 0; i < 4096; i += 4)
		bad += *(volatile uint32_t *)(fbm + i) != 0 ||
		       *(volatile uint32_t *)(fbm + slice - 4096 + i) != 0;
	tap_ok(!bad, "VF BAR2 reads zero after unprovision: slice scrubbed (%u dirty words)",
	       bad);

	expect(vf_req(JMGPU_CMD_VF_RESET, 0, 0, &r), JMGPU_STATUS_OK,
	       "VF_RESET vf 0");
	tap_eq(vrd(&vf, JMGPU_VF_RING_CTRL), 0, "VF_RESET cleared RING_CTRL");
	expect(vf_req(JMGPU_CMD_VF_UNPROVISION, 0, 0, &r), JMGPU_STATUS_OK,
	       "VF_UNPROVISION vf 0");
	tap_ok(!vfio_dev_dma_unmap(&vf, IOVA_BASE, DMA_SIZE),
	       "unmap DMA memory");
	vfio_dev_close(&vf);
}

/*
 * A step that the VF pass (second form) repeats from the protocol pass only
 * as set-up: a TAP line when it fails, a comment when it works, so that the
 * protocol checks are counted once, by the first pass.
 */
static int vf_pass;

__attribute__((format(printf, 2, 3)))
static int step(int pass, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!vf_pass || !pass)
		return tap_ok(pass, "%s%s", vf_pass ? "set-up: " : "", msg);
	tap_diag("set-up: %s: ok", msg);
	return 1;
}

/* VF pass: HELLO and GET_CAPS as set-up (checked by the protocol pass). */
static int vf_pass_hello_caps(void)
{
	struct jmgpu_hello_req h = { htole32(JMGPU_FW_IFACE_VERSION), 0 };
	struct reply r;
	int st;

	st = mbox_call(JMGPU_CMD_HELLO, &h, sizeof(h), &r);
	if (!step(st == JMGPU_STATUS_OK, "HELLO 1.0 (status %d)", st))
		return 0;
	st = mbox_call(JMGPU_CMD_GET_CAPS, NULL, 0, &r);
	if (st == JMGPU_STATUS_OK) {
		memcpy(&caps, r.payload, sizeof(caps));
		have_caps = !jmgpu_check_caps(&caps);
	}
	return step(st == JMGPU_STATUS_OK && have_caps,
		    "GET_CAPS, reply valid (status %d)", st);
}

int main(int argc, char **argv)
{
	const char *pfbdf, *vfbdf = NULL;
	uint32_t nvfs = 0;
	int ok;

	if (argc != 2 && argc != 4) {
		fprintf(stderr, "usage: %s <pf-bdf> [<vf0-bdf> <num-vfs>]\n",
			argv[0]);
		return 2;
	}
	pfbdf = argv[1];
	if (argc == 4) {
		vfbdf = argv[2];
		nvfs = strtoul(argv[3], NULL, 0);
	}

	ok = !vfio_dev_open(&pf, pfbdf, NULL);
	if (!tap_ok(ok, "open PF %s through its IOMMU group (type1)%s", pfbdf,
		    vfbdf ? " with its VFs enabled" : ""))
		goto out;
	vf_pass = vfbdf != NULL;
	ok = vfio_dev_map_bar(&pf, JMGPU_BAR_REGS) != NULL &&
	     pf.region[JMGPU_BAR_REGS].info.size == JMGPU_PF_BAR0_SIZE;
	step(ok, "mmap PF BAR0 (%llu bytes)",
	     (unsigned long long)pf.region[JMGPU_BAR_REGS].info.size);
	if (!ok)
		goto out;
	if (vfbdf)
		tap_ok(!vfio_dev_set_vf_token(&pf, VF_TOKEN),
		       "set the VF token on the PF (VFIO_DEVICE_FEATURE)");
	if (!vf_pass)
		test_registers();
	else if (!step(wait_fw_ready(), "firmware ready"))
		goto out;
	ok = !vfio_dev_enable_bus_master(&pf) &&
	     !vfio_dev_enable_msix(&pf, JMGPU_PF_MSIX_VECTORS);
	step(ok, "PF bus master on (MSI-X writes), vectors 0-1 on eventfds");
	if (!ok)
		goto out;
	wr(JMGPU_PF_INT_STATUS, ~0u);
	wr(JMGPU_PF_INT_MASK, JMGPU_PF_INT_MBOX);
	step(rd(JMGPU_PF_INT_MASK) == JMGPU_PF_INT_MBOX,
	     "PF INT_MASK = MBOX reads back (0x%x)", rd(JMGPU_PF_INT_MASK));

	if (!vf_pass) {
		test_hello();
		test_caps();
		test_ping_seq();
		test_sched();
		test_malformed();
		test_log();
		test_int_mask();
	} else {
		if (!vf_pass_hello_caps())
			goto out;
		test_vf_contexts(nvfs);
		test_vf_dma(vfbdf);
		call_expect(JMGPU_CMD_VF_DISABLE, NULL, 0, JMGPU_STATUS_OK,
			    "VF_DISABLE", NULL);
		call_expect(JMGPU_CMD_VF_DISABLE, NULL, 0,
			    JMGPU_STATUS_BAD_STATE, "VF_DISABLE again", NULL);
	}
	ok = vfio_dev_reset(&pf);
	step(!ok, "VFIO_DEVICE_RESET of the PF");
	if (!ok)
		step(wait_fw_ready(), "firmware ready again after the reset");
out:
	vfio_dev_close(&pf);
	/* the count depends on the VFs found: plan at the end */
	tap_plan_late();
	return tap_done();
}

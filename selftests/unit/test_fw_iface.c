// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the jmgpu firmware interface (firmware-iface/):
 * wire layout (sizes, offsets, little-endian bytes) of every message
 * structure, the payload length tables, and every shared validator with
 * good and malformed input. TAP output; exit status 1 on any failure.
 *
 * Table driven: each TAP line is one rule, checked over all its cases;
 * a failing line names the failing cases in diagnostics below it.
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "jmgpu_fw_iface.h"
#include "jmgpu_fw_validate.h"
#include "../lib/tap.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* the number of rules (TAP lines) below */
#define NUM_RULES 69

/* ------------------------------------------------------------------ */
/* Rules                                                               */
/* ------------------------------------------------------------------ */

#define RULE_DIAG_MAX 10

static int rule_cases, rule_bad;
static char rule_log[RULE_DIAG_MAX][200];

/* One case of the current rule; a failing case is named in the rule's
 * diagnostics. */
__attribute__((format(printf, 2, 3)))
static void expect(int ok, const char *fmt, ...)
{
	va_list ap;

	rule_cases++;
	if (ok)
		return;
	if (rule_bad < RULE_DIAG_MAX) {
		va_start(ap, fmt);
		vsnprintf(rule_log[rule_bad], sizeof(rule_log[0]), fmt, ap);
		va_end(ap);
	}
	rule_bad++;
}

#define expect_eq(got, want, fmt, ...) do {				\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	expect(g_ == w_, fmt ": got %lld (0x%llx), want %lld (0x%llx)",	\
	       ##__VA_ARGS__, g_, (unsigned long long)g_, w_,		\
	       (unsigned long long)w_);					\
} while (0)

/* End the current rule: one TAP line, ok when it had cases and all held */
__attribute__((format(printf, 1, 2)))
static void rule(const char *fmt, ...)
{
	char msg[300];
	va_list ap;
	int i;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tap_ok(rule_cases && !rule_bad, "%s (%d cases)", msg, rule_cases);
	if (!rule_cases)
		tap_diag("  no cases checked");
	for (i = 0; i < rule_bad && i < RULE_DIAG_MAX; i++)
		tap_diag("  %s", rule_log[i]);
	if (rule_bad > RULE_DIAG_MAX)
		tap_diag("  ... and %d more failing cases",
			 rule_bad - RULE_DIAG_MAX);
	rule_cases = rule_bad = 0;
}

/* ------------------------------------------------------------------ */
/* Layout                                                              */
/* ------------------------------------------------------------------ */

#define SIZE(type, want) \
	expect_eq(sizeof(struct type), want, "sizeof(struct %s)", #type)
#define OFF(type, field, want) \
	expect_eq(offsetof(struct type, field), want, "offsetof(%s, %s)", \
		  #type, #field)

static void test_sizes(void)
{
	SIZE(jmgpu_msg_hdr, 16);
	SIZE(jmgpu_hello_req, 8);
	SIZE(jmgpu_hello_resp, 8);
	SIZE(jmgpu_caps, 56);
	SIZE(jmgpu_vf_enable_req, 8);
	SIZE(jmgpu_vf_config, 40);
	SIZE(jmgpu_vf_req, 8);
	SIZE(jmgpu_vf_weight, 8);
	SIZE(jmgpu_vf_stats, 72);
	SIZE(jmgpu_vf_msg, 24);
	SIZE(jmgpu_vf_msg_ack, 8);
	SIZE(jmgpu_vf_event_state, 40);
	SIZE(jmgpu_sched, 8);
	SIZE(jmgpu_ping, 8);
	SIZE(jmgpu_log_req, 8);
	SIZE(jmgpu_log_resp, 16);
	SIZE(jmgpu_job, 64);
	SIZE(jmgpu_event, 40);
	rule("every wire structure has its documented size");

	expect_eq(JMGPU_MSG_HDR_SIZE, sizeof(struct jmgpu_msg_hdr),
		  "JMGPU_MSG_HDR_SIZE is the header struct's size");
	expect_eq(JMGPU_MSG_MAX_PAYLOAD, 4096 - 16,
		  "JMGPU_MSG_MAX_PAYLOAD is 4080 bytes");
	expect_eq(JMGPU_EVENT_SIZE, sizeof(struct jmgpu_event),
		  "JMGPU_EVENT_SIZE is the event struct's size");
	expect(sizeof(struct jmgpu_log_resp) + JMGPU_LOG_CHUNK <=
	       JMGPU_MSG_MAX_PAYLOAD, "a full GET_LOG chunk fits the mailbox");
	rule("size constants agree with the structures and the mailbox");

	expect(JMGPU_EVQ_ENTRIES && !(JMGPU_EVQ_ENTRIES & (JMGPU_EVQ_ENTRIES - 1)),
	       "event ring entries is a power of two");
	expect(JMGPU_PF_EVQ + JMGPU_EVQ_ENTRIES * JMGPU_EVENT_SIZE <=
	       JMGPU_PF_TEST_UNLOCK, "event ring fits below the test block");
	expect(JMGPU_PF_MBOX_REQ + JMGPU_MBOX_SIZE <= JMGPU_PF_MBOX_RESP &&
	       JMGPU_PF_MBOX_RESP + JMGPU_MBOX_SIZE <= JMGPU_PF_EVQ,
	       "mailbox buffers do not overlap each other or the event ring");
	expect(JMGPU_PF_TEST_FAULT + 4 <= JMGPU_PF_BAR0_SIZE,
	       "PF registers fit in PF BAR0");
	expect(JMGPU_VF_MSG_IN + 4 * JMGPU_VF_MSG_DWORDS <= JMGPU_VF_BAR0_SIZE,
	       "VF registers fit in VF BAR0");
	rule("BAR0 maps: event ring and mailbox buffers fit without overlap");

	expect_eq(JMGPU_FW_IFACE_VERSION, 0x00010003, "interface version 1.3");
	expect_eq(JMGPU_VERSION_MAJOR(0x00abcdefu), 0xab, "JMGPU_VERSION_MAJOR");
	expect_eq(JMGPU_VERSION_MINOR(0x00abcdefu), 0xcdef,
		  "JMGPU_VERSION_MINOR");
	rule("interface version is 1.2; major/minor macros split it");

	expect_eq(JMGPU_CMD_MAX, JMGPU_CMD_GET_LOG, "JMGPU_CMD_MAX");
	expect_eq(JMGPU_STATUS_MAX, JMGPU_STATUS_BUSY, "JMGPU_STATUS_MAX");
	rule("JMGPU_CMD_MAX and JMGPU_STATUS_MAX name the last code");
}

static void test_offsets(void)
{
	OFF(jmgpu_msg_hdr, opcode, 0);
	OFF(jmgpu_msg_hdr, status, 2);
	OFF(jmgpu_msg_hdr, seq, 4);
	OFF(jmgpu_msg_hdr, len, 8);
	OFF(jmgpu_msg_hdr, reserved, 12);
	OFF(jmgpu_hello_req, driver_version, 0);
	OFF(jmgpu_hello_req, reserved, 4);
	OFF(jmgpu_hello_resp, fw_version, 0);
	OFF(jmgpu_hello_resp, fw_build, 4);
	OFF(jmgpu_caps, fb_size, 0);
	OFF(jmgpu_caps, vf_aperture, 8);
	OFF(jmgpu_caps, fb_granule, 16);
	OFF(jmgpu_caps, max_vfs, 20);
	OFF(jmgpu_caps, num_engines, 24);
	OFF(jmgpu_caps, codec_sessions, 28);
	OFF(jmgpu_caps, display_heads, 32);
	OFF(jmgpu_caps, max_width, 36);
	OFF(jmgpu_caps, max_height, 40);
	OFF(jmgpu_caps, max_weight, 44);
	OFF(jmgpu_caps, engine_rate, 48);
	OFF(jmgpu_caps, reserved, 52);
	OFF(jmgpu_vf_enable_req, num_vfs, 0);
	OFF(jmgpu_vf_enable_req, reserved, 4);
	OFF(jmgpu_vf_config, vf, 0);
	OFF(jmgpu_vf_config, engine_weight, 4);
	OFF(jmgpu_vf_config, fb_offset, 8);
	OFF(jmgpu_vf_config, fb_size, 16);
	OFF(jmgpu_vf_config, codec_sessions, 24);
	OFF(jmgpu_vf_config, display_heads, 28);
	OFF(jmgpu_vf_config, flags, 30);
	OFF(jmgpu_vf_config, max_width, 32);
	OFF(jmgpu_vf_config, max_height, 36);
	OFF(jmgpu_vf_req, vf, 0);
	OFF(jmgpu_vf_req, reserved, 4);
	OFF(jmgpu_vf_stats, vf, 0);
	OFF(jmgpu_vf_stats, reserved, 4);
	OFF(jmgpu_vf_stats, engine_busy_ns, 8);
	OFF(jmgpu_vf_stats, jobs, 16);
	OFF(jmgpu_vf_stats, bytes, 24);
	OFF(jmgpu_vf_stats, doorbells, 32);
	OFF(jmgpu_vf_stats, faults, 40);
	OFF(jmgpu_vf_stats, resets, 48);
	OFF(jmgpu_vf_stats, fb_violations, 56);
	OFF(jmgpu_vf_stats, timestamp_ns, 64);
	OFF(jmgpu_vf_msg, vf, 0);
	OFF(jmgpu_vf_msg, reserved, 4);
	OFF(jmgpu_vf_msg, data, 8);
	OFF(jmgpu_vf_msg_ack, seq, 4);
	OFF(jmgpu_vf_event_state, pending, 4);
	OFF(jmgpu_vf_event_state, flr_done, 8);
	OFF(jmgpu_vf_event_state, faults, 12);
	OFF(jmgpu_vf_event_state, msgs, 16);
	OFF(jmgpu_vf_event_state, msg_dropped, 20);
	OFF(jmgpu_vf_event_state, msg_seq, 24);
	OFF(jmgpu_vf_event_state, log_suppressed, 28);
	OFF(jmgpu_vf_event_state, fw_epoch, 32);
	OFF(jmgpu_vf_weight, vf, 0);
	OFF(jmgpu_vf_weight, engine_weight, 4);
	OFF(jmgpu_sched, policy, 0);
	OFF(jmgpu_sched, timeslice_us, 4);
	OFF(jmgpu_ping, cookie, 0);
	OFF(jmgpu_log_req, offset, 0);
	OFF(jmgpu_log_req, max_len, 4);
	OFF(jmgpu_log_resp, offset, 0);
	OFF(jmgpu_log_resp, len, 4);
	OFF(jmgpu_log_resp, next, 8);
	OFF(jmgpu_log_resp, reserved, 12);
	OFF(jmgpu_log_resp, text, 16);
	OFF(jmgpu_job, opcode, 0);
	OFF(jmgpu_job, flags, 4);
	OFF(jmgpu_job, src, 8);
	OFF(jmgpu_job, dst, 16);
	OFF(jmgpu_job, len, 24);
	OFF(jmgpu_job, fill, 32);
	OFF(jmgpu_job, reserved0, 36);
	OFF(jmgpu_job, fence, 40);
	OFF(jmgpu_job, reserved1, 48);
	OFF(jmgpu_event, type, 0);
	OFF(jmgpu_event, vf, 2);
	OFF(jmgpu_event, data, 4);
	OFF(jmgpu_event, payload, 8);
	OFF(jmgpu_event, timestamp_ns, 24);
	OFF(jmgpu_event, reserved, 32);
	rule("every field of every wire structure is at its documented offset");
}

/*
 * Encoding and decoding on raw bytes. Encode: a zeroed struct, one field
 * set with cpu_to_leN(pattern): the bytes at the field's offset must be the
 * pattern least significant byte first, every other byte zero. Decode: the
 * pattern's bytes written LSB first at the offset read back with
 * leN_to_cpu() as the pattern.
 */
static const uint64_t pattern = 0x8877665544332211ull;
static int dec_cases, dec_bad;
static char dec_log[RULE_DIAG_MAX][200];

/* index of the first wrong byte, or -1 */
static int bytes_le_bad(const uint8_t *raw, size_t size, size_t off, int width,
			uint8_t *got, uint8_t *want)
{
	size_t i;

	for (i = 0; i < size; i++) {
		uint8_t w = 0;

		if (i >= off && i < off + (size_t)width)
			w = (uint8_t)(pattern >> (8 * (i - off)));
		if (raw[i] != w) {
			*got = raw[i];
			*want = w;
			return (int)i;
		}
	}
	return -1;
}

#define ENC(type, field, width) do {					\
	struct type s_;							\
	uint8_t raw_[sizeof(s_)], g_ = 0, w_ = 0;			\
	int bad_;							\
									\
	memset(&s_, 0, sizeof(s_));					\
	s_.field = cpu_to_le##width((uint##width##_t)pattern);		\
	memcpy(raw_, &s_, sizeof(s_));					\
	bad_ = bytes_le_bad(raw_, sizeof(s_), offsetof(struct type, field), \
			    width / 8, &g_, &w_);			\
	expect(bad_ < 0, "encode %s.%s (%d-bit at offset %zu): byte %d is " \
	       "0x%02x, want 0x%02x", #type, #field, width,		\
	       offsetof(struct type, field), bad_, g_, w_);		\
	memset(raw_, 0, sizeof(raw_));					\
	for (int i_ = 0; i_ < width / 8; i_++)				\
		raw_[offsetof(struct type, field) + i_] =		\
			(uint8_t)(pattern >> (8 * i_));			\
	memcpy(&s_, raw_, sizeof(s_));					\
	dec_cases++;							\
	if (le##width##_to_cpu(s_.field) != (uint##width##_t)pattern &&	\
	    dec_bad++ < RULE_DIAG_MAX)					\
		snprintf(dec_log[dec_bad - 1], sizeof(dec_log[0]),	\
			 "decode %s.%s from little-endian bytes", #type, \
			 #field);					\
} while (0)

static void test_encoding(void)
{
	int i;

	ENC(jmgpu_msg_hdr, opcode, 16);
	ENC(jmgpu_msg_hdr, status, 16);
	ENC(jmgpu_msg_hdr, seq, 32);
	ENC(jmgpu_msg_hdr, len, 32);
	ENC(jmgpu_msg_hdr, reserved, 32);
	ENC(jmgpu_hello_req, driver_version, 32);
	ENC(jmgpu_hello_req, reserved, 32);
	ENC(jmgpu_hello_resp, fw_version, 32);
	ENC(jmgpu_hello_resp, fw_build, 32);
	ENC(jmgpu_caps, fb_size, 64);
	ENC(jmgpu_caps, vf_aperture, 64);
	ENC(jmgpu_caps, fb_granule, 32);
	ENC(jmgpu_caps, max_vfs, 32);
	ENC(jmgpu_caps, num_engines, 32);
	ENC(jmgpu_caps, codec_sessions, 32);
	ENC(jmgpu_caps, display_heads, 32);
	ENC(jmgpu_caps, max_width, 32);
	ENC(jmgpu_caps, max_height, 32);
	ENC(jmgpu_caps, max_weight, 32);
	ENC(jmgpu_caps, engine_rate, 32);
	ENC(jmgpu_caps, reserved, 32);
	ENC(jmgpu_vf_enable_req, num_vfs, 32);
	ENC(jmgpu_vf_enable_req, reserved, 32);
	ENC(jmgpu_vf_config, vf, 32);
	ENC(jmgpu_vf_config, engine_weight, 32);
	ENC(jmgpu_vf_config, fb_offset, 64);
	ENC(jmgpu_vf_config, fb_size, 64);
	ENC(jmgpu_vf_config, codec_sessions, 32);
	ENC(jmgpu_vf_config, display_heads, 16);
	ENC(jmgpu_vf_config, flags, 16);
	ENC(jmgpu_vf_config, max_width, 32);
	ENC(jmgpu_vf_config, max_height, 32);
	ENC(jmgpu_vf_req, vf, 32);
	ENC(jmgpu_vf_req, reserved, 32);
	ENC(jmgpu_vf_stats, vf, 32);
	ENC(jmgpu_vf_stats, reserved, 32);
	ENC(jmgpu_vf_stats, engine_busy_ns, 64);
	ENC(jmgpu_vf_stats, jobs, 64);
	ENC(jmgpu_vf_stats, bytes, 64);
	ENC(jmgpu_vf_stats, doorbells, 64);
	ENC(jmgpu_vf_stats, faults, 64);
	ENC(jmgpu_vf_stats, resets, 64);
	ENC(jmgpu_vf_stats, fb_violations, 64);
	ENC(jmgpu_vf_stats, timestamp_ns, 64);
	ENC(jmgpu_vf_msg, vf, 32);
	ENC(jmgpu_vf_msg, reserved, 32);
	ENC(jmgpu_vf_msg, data[0], 32);
	ENC(jmgpu_vf_msg, data[3], 32);
	ENC(jmgpu_sched, policy, 32);
	ENC(jmgpu_sched, timeslice_us, 32);
	ENC(jmgpu_ping, cookie, 64);
	ENC(jmgpu_log_req, offset, 32);
	ENC(jmgpu_log_req, max_len, 32);
	ENC(jmgpu_log_resp, offset, 32);
	ENC(jmgpu_log_resp, len, 32);
	ENC(jmgpu_log_resp, next, 32);
	ENC(jmgpu_log_resp, reserved, 32);
	ENC(jmgpu_job, opcode, 32);
	ENC(jmgpu_job, flags, 32);
	ENC(jmgpu_job, src, 64);
	ENC(jmgpu_job, dst, 64);
	ENC(jmgpu_job, len, 64);
	ENC(jmgpu_job, fill, 32);
	ENC(jmgpu_job, reserved0, 32);
	ENC(jmgpu_job, fence, 64);
	ENC(jmgpu_job, reserved1[0], 64);
	ENC(jmgpu_job, reserved1[1], 64);
	ENC(jmgpu_event, type, 16);
	ENC(jmgpu_event, vf, 16);
	ENC(jmgpu_event, data, 32);
	ENC(jmgpu_event, payload[0], 32);
	ENC(jmgpu_event, payload[3], 32);
	ENC(jmgpu_event, timestamp_ns, 64);
	ENC(jmgpu_event, reserved, 64);
	rule("encode: every field is written little-endian at its offset, "
	     "all other bytes zero");

	/* the decode half, collected by ENC */
	rule_cases = dec_cases;
	rule_bad = dec_bad;
	for (i = 0; i < dec_bad && i < RULE_DIAG_MAX; i++)
		memcpy(rule_log[i], dec_log[i], sizeof(rule_log[0]));
	rule("decode: every field reads back from its little-endian bytes");

	/* a whole request as the driver writes it, byte for byte */
	{
		struct {
			struct jmgpu_msg_hdr h;
			struct jmgpu_ping p;
		} m;
		static const uint8_t want[24] = {
			0x30, 0x00, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12,
			0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,
		};

		memset(&m, 0, sizeof(m));
		m.h.opcode = cpu_to_le16(JMGPU_CMD_PING);
		m.h.seq = cpu_to_le32(0x12345678);
		m.h.len = cpu_to_le32(sizeof(m.p));
		m.p.cookie = cpu_to_le64(0x0123456789abcdefull);
		expect(sizeof(m) == 24 && !memcmp(&m, want, sizeof(want)),
		       "PING request bytes");
		rule("a PING request encodes to the documented 24 bytes");
	}
}

/* ------------------------------------------------------------------ */
/* Payload length tables                                               */
/* ------------------------------------------------------------------ */

static const struct {
	unsigned int op;
	const char *name;
	int req, resp;
} cmds[] = {
	{ JMGPU_CMD_HELLO, "HELLO", 8, 8 },
	{ JMGPU_CMD_GET_CAPS, "GET_CAPS", 0, 56 },
	{ JMGPU_CMD_VF_ENABLE, "VF_ENABLE", 8, 0 },
	{ JMGPU_CMD_VF_DISABLE, "VF_DISABLE", 0, 0 },
	{ JMGPU_CMD_VF_PROVISION, "VF_PROVISION", 40, 0 },
	{ JMGPU_CMD_VF_UNPROVISION, "VF_UNPROVISION", 8, 0 },
	{ JMGPU_CMD_VF_RESET, "VF_RESET", 8, 0 },
	{ JMGPU_CMD_VF_GET_STATS, "VF_GET_STATS", 8, 72 },
	{ JMGPU_CMD_VF_QUERY, "VF_QUERY", 8, 40 },
	{ JMGPU_CMD_VF_MSG_REPLY, "VF_MSG_REPLY", 24, 0 },
	{ JMGPU_CMD_FB_SCRUB, "FB_SCRUB", 16, 0 },
	{ JMGPU_CMD_FB_CLEAN_MAP, "FB_CLEAN_MAP", 8, 2064 },
	{ JMGPU_CMD_VF_SCRUB, "VF_SCRUB", 8, 0 },
	{ JMGPU_CMD_VF_MSG_ACK, "VF_MSG_ACK", 8, 0 },
	{ JMGPU_CMD_VF_EVENT_STATE, "VF_EVENT_STATE", 8, 40 },
	{ JMGPU_CMD_VF_SET_WEIGHT, "VF_SET_WEIGHT", 8, 0 },
	{ JMGPU_CMD_VF_SET_DISPLAY, "VF_SET_DISPLAY", 528, 0 },
	{ JMGPU_CMD_SET_SCHED, "SET_SCHED", 8, 0 },
	{ JMGPU_CMD_GET_SCHED, "GET_SCHED", 0, 8 },
	{ JMGPU_CMD_PING, "PING", 8, 8 },
	{ JMGPU_CMD_GET_LOG, "GET_LOG", 8, -1 },
};

static const unsigned int unknown_ops[] = {
	0x00, 0x03, 0x0f, 0x1b, 0x2a, 0x22, 0x2f, 0x32, 0xff, 0x100, 0xffff,
	0x10001, UINT_MAX,
};

static void test_payload_len(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		expect_eq(jmgpu_req_payload_len(cmds[i].op), cmds[i].req,
			  "request payload of %s", cmds[i].name);
	rule("request payload length of each of the %zu commands",
	     ARRAY_SIZE(cmds));
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		expect_eq(jmgpu_resp_payload_len(cmds[i].op), cmds[i].resp,
			  "response payload of %s", cmds[i].name);
	rule("response payload length of each command (GET_LOG: -1, varies)");
	for (i = 0; i < ARRAY_SIZE(unknown_ops); i++) {
		expect_eq(jmgpu_req_payload_len(unknown_ops[i]), -1,
			  "request payload of unknown opcode 0x%x",
			  unknown_ops[i]);
		expect_eq(jmgpu_resp_payload_len(unknown_ops[i]), -1,
			  "response payload of unknown opcode 0x%x",
			  unknown_ops[i]);
	}
	rule("unknown opcodes have no request or response length (-1)");
}

/* ------------------------------------------------------------------ */
/* Request header (firmware side)                                      */
/* ------------------------------------------------------------------ */

static struct jmgpu_msg_hdr mkhdr(unsigned int op, unsigned int status,
				  uint32_t seq, uint32_t len, uint32_t rsvd)
{
	struct jmgpu_msg_hdr h;

	h.opcode = cpu_to_le16((uint16_t)op);
	h.status = cpu_to_le16((uint16_t)status);
	h.seq = cpu_to_le32(seq);
	h.len = cpu_to_le32(len);
	h.reserved = cpu_to_le32(rsvd);
	return h;
}

static int req(unsigned int op, unsigned int status, uint32_t seq,
	       uint32_t len, uint32_t rsvd, uint32_t room)
{
	struct jmgpu_msg_hdr h = mkhdr(op, status, seq, len, rsvd);

	return jmgpu_check_req_hdr(&h, room);
}

static void test_req_hdr(void)
{
	const uint32_t room = JMGPU_MSG_MAX_PAYLOAD;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		expect_eq(req(cmds[i].op, 0, 7, cmds[i].req, 0, room),
			  JMGPU_STATUS_OK, "req %s, len %d", cmds[i].name,
			  cmds[i].req);
	expect_eq(req(JMGPU_CMD_PING, 0, 0xffffffffu, 8, 0, room),
		  JMGPU_STATUS_OK, "req PING with seq 0xffffffff");
	rule("req: a header with the exact length is accepted for every "
	     "opcode, whatever its sequence number");

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		uint32_t len = (uint32_t)cmds[i].req;

		expect_eq(req(cmds[i].op, 0, 7, len + 1, 0, room),
			  JMGPU_STATUS_BAD_LEN, "req %s, len + 1",
			  cmds[i].name);
		if (len)
			expect_eq(req(cmds[i].op, 0, 7, len - 1, 0, room),
				  JMGPU_STATUS_BAD_LEN, "req %s, len - 1",
				  cmds[i].name);
	}
	rule("req: len one more or one less than the opcode's -> BAD_LEN");

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		uint32_t len = (uint32_t)cmds[i].req;

		if (len)
			expect_eq(req(cmds[i].op, 0, 7, len, 0, len - 1),
				  JMGPU_STATUS_BAD_LEN,
				  "req %s, len beyond the buffer", cmds[i].name);
	}
	expect_eq(req(JMGPU_CMD_PING, 0, 1, 0xffffffffu, 0, room),
		  JMGPU_STATUS_BAD_LEN, "req PING, len 0xffffffff");
	rule("req: a length beyond the request buffer -> BAD_LEN");

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		expect_eq(req(cmds[i].op, 1, 7, cmds[i].req, 0, room),
			  JMGPU_STATUS_BAD_PARAM, "req %s, status 1",
			  cmds[i].name);
	rule("req: status set in a request -> BAD_PARAM");

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		expect_eq(req(cmds[i].op, 0, 7, cmds[i].req, 0x80000000u, room),
			  JMGPU_STATUS_BAD_PARAM, "req %s, reserved 0x80000000",
			  cmds[i].name);
	rule("req: reserved set in a request -> BAD_PARAM");

	for (i = 0; i < ARRAY_SIZE(unknown_ops); i++) {
		if (unknown_ops[i] > 0xffff)
			continue;	/* does not fit the 16-bit field */
		expect_eq(req(unknown_ops[i], 0, 1, 0, 0, room),
			  JMGPU_STATUS_UNKNOWN_CMD, "req opcode 0x%x",
			  unknown_ops[i]);
	}
	expect_eq(req(0x99, 3, 1, 5000, 1, room), JMGPU_STATUS_UNKNOWN_CMD,
		  "req opcode 0x99 with status, len and reserved wrong too");
	rule("req: unknown opcodes -> UNKNOWN_CMD, before any other check");
}

/* ------------------------------------------------------------------ */
/* Reply header (driver side)                                          */
/* ------------------------------------------------------------------ */

static int reply(unsigned int op, unsigned int status, uint32_t seq,
		 uint32_t len, uint32_t rsvd, uint32_t room,
		 unsigned int want_op, uint32_t want_seq)
{
	struct jmgpu_msg_hdr h = mkhdr(op, status, seq, len, rsvd);

	return jmgpu_check_reply_hdr(&h, room, want_op, want_seq);
}

static void test_reply_hdr(void)
{
	const uint32_t room = JMGPU_MSG_MAX_PAYLOAD;
	const uint32_t seq = 0xdeadbeef;
	uint8_t buf[64];
	unsigned int st;
	size_t i;

#define OKLEN(i) (cmds[i].resp < 0 ? 16u : (uint32_t)cmds[i].resp)
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		expect_eq(reply(cmds[i].op, 0, seq, OKLEN(i), 0, room,
				cmds[i].op, seq), JMGPU_REPLY_OK,
			  "reply %s OK, len %u", cmds[i].name, OKLEN(i));
	rule("reply: an OK reply of the opcode's length is accepted");

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		unsigned int op = cmds[i].op;
		uint32_t len = OKLEN(i);

		expect_eq(reply(op, 0, seq, len + 1, 0, room, op, seq),
			  cmds[i].resp < 0 ? JMGPU_REPLY_OK : JMGPU_REPLY_LEN,
			  "reply %s OK, len + 1 (%s)", cmds[i].name,
			  cmds[i].resp < 0 ? "ok: GET_LOG text" : "LEN");
		if (len)
			expect_eq(reply(op, 0, seq, len - 1, 0, room, op, seq),
				  JMGPU_REPLY_LEN, "reply %s OK, len - 1",
				  cmds[i].name);
	}
	rule("reply: OK with len + 1 or len - 1 -> LEN (GET_LOG: text may "
	     "grow)");

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		uint32_t len = OKLEN(i);

		if (len)
			expect_eq(reply(cmds[i].op, 0, seq, len, 0, len - 1,
					cmds[i].op, seq), JMGPU_REPLY_LEN,
				  "reply %s, len beyond the buffer",
				  cmds[i].name);
	}
	expect_eq(reply(JMGPU_CMD_PING, 0, seq, 0xffffffffu, 0, room,
			JMGPU_CMD_PING, seq), JMGPU_REPLY_LEN,
		  "reply PING, len 0xffffffff");
	rule("reply: a length beyond the response buffer -> LEN");

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		for (st = 1; st <= JMGPU_STATUS_MAX; st++)
			expect_eq(reply(cmds[i].op, st, seq, 0, 0, room,
					cmds[i].op, seq), JMGPU_REPLY_OK,
				  "reply %s, error %s, no payload",
				  cmds[i].name, jmgpu_status_str(st));
	rule("reply: every error status without payload is accepted for "
	     "every opcode");

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		unsigned int op = cmds[i].op;
		uint32_t len = OKLEN(i);

		expect_eq(reply(op, JMGPU_STATUS_BAD_PARAM, seq, 4, 0, room, op,
				seq), JMGPU_REPLY_LEN,
			  "reply %s, error with 4 bytes", cmds[i].name);
		expect_eq(reply(op, JMGPU_STATUS_BAD_PARAM, seq, len ? len : 8,
				0, room, op, seq), JMGPU_REPLY_LEN,
			  "reply %s, error with an OK-sized payload",
			  cmds[i].name);
	}
	rule("reply: an error reply with a payload -> LEN");

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		unsigned int op = cmds[i].op;

		expect_eq(reply(op == JMGPU_CMD_PING ? JMGPU_CMD_HELLO :
				JMGPU_CMD_PING, 0, seq, 8, 0, room, op, seq),
			  JMGPU_REPLY_OPCODE, "reply to %s with another opcode",
			  cmds[i].name);
	}
	expect_eq(reply(JMGPU_CMD_HELLO, JMGPU_STATUS_MAX + 1, seq + 1, 0, 0,
			room, JMGPU_CMD_PING, seq), JMGPU_REPLY_OPCODE,
		  "reply with opcode, seq and status all wrong");
	rule("reply: another opcode -> OPCODE, checked before seq and status");

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		expect_eq(reply(cmds[i].op, 0, seq + 1, OKLEN(i), 0, room,
				cmds[i].op, seq), JMGPU_REPLY_SEQ,
			  "reply %s, seq + 1", cmds[i].name);
	expect_eq(reply(JMGPU_CMD_PING, 0, 0, 8, 0, room, JMGPU_CMD_PING, 0),
		  JMGPU_REPLY_OK, "reply seq 0 to request seq 0");
	rule("reply: seq must echo the request's (seq + 1 -> SEQ, 0 matches 0)");

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		expect_eq(reply(cmds[i].op, JMGPU_STATUS_MAX + 1, seq, 0, 0, room,
				cmds[i].op, seq), JMGPU_REPLY_STATUS,
			  "reply %s, status %d", cmds[i].name,
			  JMGPU_STATUS_MAX + 1);
	expect_eq(reply(JMGPU_CMD_PING, 0xffff, seq, 0, 0, room, JMGPU_CMD_PING,
			seq), JMGPU_REPLY_STATUS, "reply PING, status 0xffff");
	rule("reply: an undefined status -> STATUS");

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		unsigned int op = cmds[i].op;

		expect_eq(reply(op, 0, seq, OKLEN(i), 1, room, op, seq),
			  JMGPU_REPLY_RESERVED, "reply %s OK, reserved 1",
			  cmds[i].name);
		expect_eq(reply(op, JMGPU_STATUS_BAD_VF, seq, 0, 0x100, room, op,
				seq), JMGPU_REPLY_RESERVED,
			  "reply %s BAD_VF, reserved 0x100", cmds[i].name);
	}
	rule("reply: reserved set -> RESERVED, in OK and error replies");

	expect_eq(reply(0x77, 0, seq, 0, 0, room, 0x77, seq), JMGPU_REPLY_LEN,
		  "OK reply to unknown opcode 0x77");
	expect_eq(reply(0x77, JMGPU_STATUS_UNKNOWN_CMD, seq, 0, 0, room, 0x77,
			seq), JMGPU_REPLY_OK,
		  "UNKNOWN_CMD reply to unknown opcode 0x77");
	rule("reply: to an unknown opcode only UNKNOWN_CMD is accepted (OK "
	     "-> LEN, no length known)");

	/* GET_LOG: header (16) + 0..JMGPU_LOG_CHUNK bytes of text */
	{
		static const struct { uint32_t len; int want; } gl[] = {
			{ 0, JMGPU_REPLY_LEN }, { 15, JMGPU_REPLY_LEN },
			{ 16, JMGPU_REPLY_OK }, { 17, JMGPU_REPLY_OK },
			{ 16 + JMGPU_LOG_CHUNK, JMGPU_REPLY_OK },
			{ 16 + JMGPU_LOG_CHUNK + 1, JMGPU_REPLY_LEN },
		};

		for (i = 0; i < ARRAY_SIZE(gl); i++)
			expect_eq(reply(JMGPU_CMD_GET_LOG, 0, seq, gl[i].len, 0,
					room, JMGPU_CMD_GET_LOG, seq), gl[i].want,
				  "reply GET_LOG, len %u", gl[i].len);
		rule("reply: GET_LOG length is 16..%d", 16 + JMGPU_LOG_CHUNK);
	}

	/* whole-buffer check: SHORT */
	memset(buf, 0, sizeof(buf));
	{
		struct jmgpu_msg_hdr h = mkhdr(JMGPU_CMD_PING, 0, seq, 8, 0);

		memcpy(buf, &h, sizeof(h));
	}
	for (i = 0; i < JMGPU_MSG_HDR_SIZE; i += 5)
		expect_eq(jmgpu_check_reply(buf, (uint32_t)i, JMGPU_CMD_PING,
					    seq), JMGPU_REPLY_SHORT,
			  "reply of %zu bytes", i);
	expect_eq(jmgpu_check_reply(buf, 15, JMGPU_CMD_PING, seq),
		  JMGPU_REPLY_SHORT, "reply of 15 bytes");
	expect_eq(jmgpu_check_reply(buf, 16, JMGPU_CMD_PING, seq),
		  JMGPU_REPLY_LEN, "bare header whose len says 8");
	expect_eq(jmgpu_check_reply(buf, 24, JMGPU_CMD_PING, seq),
		  JMGPU_REPLY_OK, "header + 8 bytes");
	rule("reply buffer: fewer than 16 bytes -> SHORT, then the header "
	     "rules on the bytes received");

	/* names */
	expect(!strcmp(jmgpu_reply_err_str(JMGPU_REPLY_OK), "ok"), "OK");
	expect(!strcmp(jmgpu_reply_err_str(JMGPU_REPLY_SHORT), "short reply"),
	       "SHORT");
	expect(!strcmp(jmgpu_reply_err_str(JMGPU_REPLY_FIELD),
		       "payload field out of range"), "FIELD");
	expect(!strcmp(jmgpu_reply_err_str(-1), "unknown"), "-1");
	expect(!strcmp(jmgpu_reply_err_str(JMGPU_REPLY_ERR_MAX + 1), "unknown"),
	       "ERR_MAX + 1");
	rule("jmgpu_reply_err_str names and out-of-range");
	expect(!strcmp(jmgpu_status_str(JMGPU_STATUS_OK), "ok"), "OK");
	expect(!strcmp(jmgpu_status_str(JMGPU_STATUS_BUSY), "busy"), "BUSY");
	expect(!strcmp(jmgpu_status_str(JMGPU_STATUS_VERSION),
		       "version mismatch"), "VERSION");
	expect(!strcmp(jmgpu_status_str(JMGPU_STATUS_MAX + 1),
		       "undefined status"), "STATUS_MAX + 1");
	expect(!strcmp(jmgpu_status_str(0xffff), "undefined status"), "0xffff");
	rule("jmgpu_status_str names and out-of-range");
#undef OKLEN
}

/* ------------------------------------------------------------------ */
/* Payload validators                                                  */
/* ------------------------------------------------------------------ */

#define MiB (1024ull * 1024)
#define GiB (1024ull * MiB)

static struct jmgpu_caps good_caps(void)
{
	struct jmgpu_caps c;

	memset(&c, 0, sizeof(c));
	c.fb_size = cpu_to_le64(2 * GiB);
	c.vf_aperture = cpu_to_le64(256 * MiB);
	c.fb_granule = cpu_to_le32(4 * MiB);
	c.max_vfs = cpu_to_le32(32);
	c.num_engines = cpu_to_le32(32);
	c.codec_sessions = cpu_to_le32(64);
	c.display_heads = cpu_to_le32(4);
	c.max_width = cpu_to_le32(7680);
	c.max_height = cpu_to_le32(4320);
	c.max_weight = cpu_to_le32(100);
	c.engine_rate = cpu_to_le32(1000);
	return c;
}

static void test_caps(void)
{
	struct jmgpu_caps c = good_caps();

#define CAPS(desc, want, stmt) do {					\
	c = good_caps();						\
	stmt;								\
	expect_eq(jmgpu_check_caps(&c), want, "caps: %s -> %s", desc,	\
		  jmgpu_reply_err_str(want));				\
} while (0)
	CAPS("emulator-like caps", JMGPU_REPLY_OK, (void)0);
	CAPS("granule 4096, max_vfs 32, heads 16, 16384x16384, weight 1000",
	     JMGPU_REPLY_OK,
	     (c.fb_granule = cpu_to_le32(4096), c.display_heads = cpu_to_le32(16),
	      c.max_width = cpu_to_le32(16384), c.max_height = cpu_to_le32(16384),
	      c.max_weight = cpu_to_le32(1000)));
	CAPS("max_vfs 1, num_engines 1, weight 1, no display", JMGPU_REPLY_OK,
	     (c.max_vfs = cpu_to_le32(1), c.num_engines = cpu_to_le32(1),
	      c.max_weight = cpu_to_le32(1), c.display_heads = 0,
	      c.max_width = 0, c.max_height = 0, c.codec_sessions = 0));
	CAPS("aperture == fb_size", JMGPU_REPLY_OK,
	     c.vf_aperture = cpu_to_le64(2 * GiB));
	CAPS("aperture == granule", JMGPU_REPLY_OK,
	     c.vf_aperture = cpu_to_le64(4 * MiB));
	rule("caps: capabilities within every documented range are accepted, "
	     "bounds included");

	CAPS("granule 0", JMGPU_REPLY_FIELD, c.fb_granule = 0);
	CAPS("granule 2048", JMGPU_REPLY_FIELD, c.fb_granule = cpu_to_le32(2048));
	CAPS("granule 12 KiB (not a power of 2)", JMGPU_REPLY_FIELD,
	     c.fb_granule = cpu_to_le32(12288));
	CAPS("fb_size 0", JMGPU_REPLY_FIELD, c.fb_size = 0);
	CAPS("fb_size not granule aligned", JMGPU_REPLY_FIELD,
	     c.fb_size = cpu_to_le64(2 * GiB + 4096));
	CAPS("aperture 0", JMGPU_REPLY_FIELD, c.vf_aperture = 0);
	CAPS("aperture not a power of 2", JMGPU_REPLY_FIELD,
	     c.vf_aperture = cpu_to_le64(192 * MiB));
	CAPS("aperture > fb_size", JMGPU_REPLY_FIELD,
	     c.vf_aperture = cpu_to_le64(4 * GiB));
	CAPS("aperture < granule", JMGPU_REPLY_FIELD,
	     c.vf_aperture = cpu_to_le64(2 * MiB));
	CAPS("max_vfs 0", JMGPU_REPLY_FIELD, c.max_vfs = 0);
	CAPS("max_vfs 33", JMGPU_REPLY_FIELD, c.max_vfs = cpu_to_le32(33));
	CAPS("max_vfs 0xffffffff", JMGPU_REPLY_FIELD,
	     c.max_vfs = cpu_to_le32(0xffffffffu));
	CAPS("num_engines 0", JMGPU_REPLY_FIELD, c.num_engines = 0);
	CAPS("num_engines 33", JMGPU_REPLY_FIELD, c.num_engines = cpu_to_le32(33));
	CAPS("display_heads 17", JMGPU_REPLY_FIELD,
	     c.display_heads = cpu_to_le32(17));
	CAPS("max_width 16385", JMGPU_REPLY_FIELD,
	     c.max_width = cpu_to_le32(16385));
	CAPS("max_height 16385", JMGPU_REPLY_FIELD,
	     c.max_height = cpu_to_le32(16385));
	CAPS("max_weight 0", JMGPU_REPLY_FIELD, c.max_weight = 0);
	CAPS("max_weight 1001", JMGPU_REPLY_FIELD,
	     c.max_weight = cpu_to_le32(1001));
	CAPS("engine_rate 0", JMGPU_REPLY_FIELD, c.engine_rate = 0);
	CAPS("reserved set", JMGPU_REPLY_FIELD, c.reserved = cpu_to_le32(1));
	rule("caps: any field out of its range, or reserved set -> FIELD");
#undef CAPS
}

static struct jmgpu_vf_config good_vf(void)
{
	struct jmgpu_vf_config v;

	memset(&v, 0, sizeof(v));
	v.vf = cpu_to_le32(3);
	v.engine_weight = cpu_to_le32(10);
	v.fb_offset = cpu_to_le64(256 * MiB);
	v.fb_size = cpu_to_le64(64 * MiB);
	v.codec_sessions = cpu_to_le32(2);
	v.display_heads = cpu_to_le16(1);
	v.max_width = cpu_to_le32(1920);
	v.max_height = cpu_to_le32(1080);
	return v;
}

static void test_vf_config(void)
{
	struct jmgpu_caps c = good_caps();
	struct jmgpu_vf_config v;
	const uint32_t nvfs = 8;

#define VFC(desc, want, stmt) do {					\
	c = good_caps();						\
	v = good_vf();							\
	stmt;								\
	expect_eq(jmgpu_check_vf_config(&v, &c, nvfs), want,		\
		  "vf_config: %s -> %s", desc, jmgpu_status_str(want));	\
} while (0)
	VFC("good (1 head 1920x1080)", JMGPU_STATUS_OK, (void)0);
	VFC("headless, all display fields 0", JMGPU_STATUS_OK,
	    (v.display_heads = 0, v.max_width = 0, v.max_height = 0));
	VFC("last VF (num_vfs - 1)", JMGPU_STATUS_OK, v.vf = cpu_to_le32(nvfs - 1));
	VFC("fb_size == aperture", JMGPU_STATUS_OK,
	    v.fb_size = cpu_to_le64(256 * MiB));
	VFC("slice ends exactly at fb end", JMGPU_STATUS_OK,
	    v.fb_offset = cpu_to_le64(2 * GiB - 64 * MiB));
	VFC("fb_offset 0", JMGPU_STATUS_OK, v.fb_offset = 0);
	VFC("engine_weight == max", JMGPU_STATUS_OK,
	    v.engine_weight = cpu_to_le32(100));
	VFC("codec sessions == caps", JMGPU_STATUS_OK,
	    v.codec_sessions = cpu_to_le32(64));
	VFC("display heads == caps", JMGPU_STATUS_OK,
	    v.display_heads = cpu_to_le16(4));
	VFC("width == caps max", JMGPU_STATUS_OK, v.max_width = cpu_to_le32(7680));
	rule("vf_config: a provisioning within every limit is accepted, bounds "
	     "included");

	VFC("vf == num_vfs", JMGPU_STATUS_BAD_VF, v.vf = cpu_to_le32(nvfs));
	VFC("vf 0xffffffff", JMGPU_STATUS_BAD_VF, v.vf = cpu_to_le32(0xffffffffu));
	VFC("bad vf wins over bad fields", JMGPU_STATUS_BAD_VF,
	    (v.vf = cpu_to_le32(nvfs), v.fb_size = 0));
	c = good_caps();
	v = good_vf();
	expect_eq(jmgpu_check_vf_config(&v, &c, 0), JMGPU_STATUS_BAD_VF,
		  "vf_config: no VFs enabled -> bad vf");
	rule("vf_config: a VF index >= num_vfs -> BAD_VF, checked first");

	VFC("fb_size 0", JMGPU_STATUS_BAD_PARAM, v.fb_size = 0);
	VFC("fb_size not granule aligned", JMGPU_STATUS_BAD_PARAM,
	    v.fb_size = cpu_to_le64(64 * MiB + 4096));
	VFC("fb_offset not granule aligned", JMGPU_STATUS_BAD_PARAM,
	    v.fb_offset = cpu_to_le64(256 * MiB + 1 * MiB));
	VFC("fb_size > aperture", JMGPU_STATUS_BAD_PARAM,
	    v.fb_size = cpu_to_le64(260 * MiB));
	VFC("slice crosses fb end", JMGPU_STATUS_BAD_PARAM,
	    v.fb_offset = cpu_to_le64(2 * GiB - 60 * MiB));
	VFC("fb_offset == fb_size", JMGPU_STATUS_BAD_PARAM,
	    v.fb_offset = cpu_to_le64(2 * GiB));
	VFC("fb_offset beyond fb", JMGPU_STATUS_BAD_PARAM,
	    v.fb_offset = cpu_to_le64(8 * GiB));
	VFC("fb_offset + size wraps 64 bits", JMGPU_STATUS_BAD_PARAM,
	    v.fb_offset = cpu_to_le64(0ull - 4 * MiB));
	VFC("engine_weight 0", JMGPU_STATUS_BAD_PARAM, v.engine_weight = 0);
	VFC("engine_weight > max", JMGPU_STATUS_BAD_PARAM,
	    v.engine_weight = cpu_to_le32(101));
	VFC("codec sessions > caps", JMGPU_STATUS_BAD_PARAM,
	    v.codec_sessions = cpu_to_le32(65));
	VFC("display heads > caps", JMGPU_STATUS_BAD_PARAM,
	    v.display_heads = cpu_to_le16(5));
	VFC("headless but width set", JMGPU_STATUS_BAD_PARAM,
	    (v.display_heads = 0, v.max_height = 0));
	VFC("headless but height set", JMGPU_STATUS_BAD_PARAM,
	    (v.display_heads = 0, v.max_width = 0));
	VFC("head but width 0", JMGPU_STATUS_BAD_PARAM, v.max_width = 0);
	VFC("head but height 0", JMGPU_STATUS_BAD_PARAM, v.max_height = 0);
	VFC("width > caps max", JMGPU_STATUS_BAD_PARAM,
	    v.max_width = cpu_to_le32(7681));
	VFC("height > caps max", JMGPU_STATUS_BAD_PARAM,
	    v.max_height = cpu_to_le32(4321));
	VFC("caps granule 0 (unvalidated caps)", JMGPU_STATUS_BAD_PARAM,
	    c.fb_granule = 0);
	rule("vf_config: any field out of its range -> BAD_PARAM");

	VFC("flags SCRUB_ON_FLR", JMGPU_STATUS_OK,
	    v.flags = cpu_to_le16(JMGPU_VF_CFG_SCRUB_ON_FLR));
	VFC("flags: every defined bit", JMGPU_STATUS_OK,
	    v.flags = cpu_to_le16(JMGPU_VF_CFG_ALL));
	VFC("flags: bit 1 (undefined)", JMGPU_STATUS_BAD_PARAM,
	    v.flags = cpu_to_le16(1u << 1));
	VFC("flags: bit 15 (undefined)", JMGPU_STATUS_BAD_PARAM,
	    v.flags = cpu_to_le16(0x8000));
	VFC("flags: SCRUB_ON_FLR with an undefined bit", JMGPU_STATUS_BAD_PARAM,
	    v.flags = cpu_to_le16(JMGPU_VF_CFG_SCRUB_ON_FLR | 0x10));
	rule("vf_config flags (1.1): SCRUB_ON_FLR accepted, any undefined bit "
	     "-> BAD_PARAM");
#undef VFC
}

static void test_sched(void)
{
	static const struct { uint32_t pol, us; int want; } t[] = {
		{ JMGPU_SCHED_BEST_EFFORT, 1000, JMGPU_STATUS_OK },
		{ JMGPU_SCHED_EQUAL_SHARE, 1000, JMGPU_STATUS_OK },
		{ JMGPU_SCHED_FIXED_SHARE, 1000, JMGPU_STATUS_OK },
		{ 0, JMGPU_SCHED_MIN_SLICE_US, JMGPU_STATUS_OK },
		{ 0, JMGPU_SCHED_MAX_SLICE_US, JMGPU_STATUS_OK },
		{ JMGPU_SCHED_MAX + 1, 1000, JMGPU_STATUS_BAD_PARAM },
		{ 0xffffffffu, 1000, JMGPU_STATUS_BAD_PARAM },
		{ 0, 0, JMGPU_STATUS_BAD_PARAM },
		{ 0, JMGPU_SCHED_MIN_SLICE_US - 1, JMGPU_STATUS_BAD_PARAM },
		{ 0, JMGPU_SCHED_MAX_SLICE_US + 1, JMGPU_STATUS_BAD_PARAM },
		{ 0, 0xffffffffu, JMGPU_STATUS_BAD_PARAM },
	};
	struct jmgpu_sched s;
	size_t i;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < ARRAY_SIZE(t); i++) {
			if ((t[i].want == JMGPU_STATUS_OK) != !pass)
				continue;
			s.policy = cpu_to_le32(t[i].pol);
			s.timeslice_us = cpu_to_le32(t[i].us);
			expect_eq(jmgpu_check_sched(&s), t[i].want,
				  "sched: policy %u slice %u us -> %s",
				  t[i].pol, t[i].us,
				  jmgpu_status_str(t[i].want));
		}
		if (!pass)
			rule("sched: the 3 policies and slices 100..100000 us "
			     "are accepted");
		else
			rule("sched: an undefined policy or a slice outside "
			     "100..100000 us -> BAD_PARAM");
	}
}

static void test_vf_weight(void)
{
	struct jmgpu_caps c = good_caps();
	static const struct { uint32_t vf, w, n; int want; } t[] = {
		{ 0, 1, 1, JMGPU_STATUS_OK },
		{ 31, 100, 32, JMGPU_STATUS_OK },
		{ 3, 50, 4, JMGPU_STATUS_OK },
		{ 4, 50, 4, JMGPU_STATUS_BAD_VF },
		{ 0, 50, 0, JMGPU_STATUS_BAD_VF },
		{ 0xffffffffu, 50, 32, JMGPU_STATUS_BAD_VF },
		{ 32, 0, 32, JMGPU_STATUS_BAD_VF },	/* VF index first */
		{ 0, 0, 32, JMGPU_STATUS_BAD_PARAM },
		{ 0, 101, 32, JMGPU_STATUS_BAD_PARAM },
		{ 0, 0xffffffffu, 32, JMGPU_STATUS_BAD_PARAM },
	};
	struct jmgpu_vf_weight r;
	size_t i;
	int pass;

	c.max_weight = cpu_to_le32(100);
	for (pass = 0; pass < 3; pass++) {
		for (i = 0; i < ARRAY_SIZE(t); i++) {
			int kind = t[i].want == JMGPU_STATUS_OK ? 0 :
				   t[i].want == JMGPU_STATUS_BAD_VF ? 1 : 2;

			if (kind != pass)
				continue;
			r.vf = cpu_to_le32(t[i].vf);
			r.engine_weight = cpu_to_le32(t[i].w);
			expect_eq(jmgpu_check_vf_weight(&r, &c, t[i].n),
				  t[i].want,
				  "vf_weight: vf %u weight %u, %u VFs -> %s",
				  t[i].vf, t[i].w, t[i].n,
				  jmgpu_status_str(t[i].want));
		}
		if (pass == 0)
			rule("vf_weight: weights 1..max_weight of a VF below "
			     "num_vfs are accepted");
		else if (pass == 1)
			rule("vf_weight: a VF index >= num_vfs -> BAD_VF, "
			     "checked first");
		else
			rule("vf_weight: weight 0 or > max_weight -> "
			     "BAD_PARAM");
	}
}

/* A VF_SET_DISPLAY request with @blocks valid EDID blocks for VF 0 */
static void vf_display_make(struct jmgpu_vf_display *d, unsigned int blocks)
{
	static const uint8_t hdr[8] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff,
					0xff, 0 };
	unsigned int b, i;
	uint8_t sum;

	memset(d, 0, sizeof(*d));
	d->link = cpu_to_le32(blocks ? 1 : 0);
	d->edid_size = cpu_to_le32(blocks * 128);
	for (b = 0; b < blocks; b++) {
		uint8_t *e = d->edid + b * 128;

		for (i = 0; i < 127; i++)
			e[i] = (uint8_t)(b * 13 + i * 5 + 1);
		if (!b)
			memcpy(e, hdr, sizeof(hdr));
		for (sum = 0, i = 0; i < 127; i++)
			sum += e[i];
		e[127] = (uint8_t)-sum;
	}
}

static void test_vf_display(void)
{
	struct jmgpu_vf_display d;
	const char *why;
	unsigned int n, b;
	uint8_t sum;
	int st;

	for (n = 0; n <= 4; n++) {
		vf_display_make(&d, n);
		why = NULL;
		st = jmgpu_check_vf_display(&d, 1, &why);
		expect_eq(st, JMGPU_STATUS_OK, "vf_display: %u blocks (%s)", n,
			  why ? why : "");
	}
	vf_display_make(&d, 0);
	d.link = cpu_to_le32(1);
	expect_eq(jmgpu_check_vf_display(&d, 1, NULL), JMGPU_STATUS_OK,
		  "vf_display: link 1 without EDID");
	rule("vf_display: link 0 without EDID, link 1 with 0..4 valid blocks "
	     "are accepted");

	vf_display_make(&d, 1);
	d.vf = cpu_to_le32(1);
	expect_eq(jmgpu_check_vf_display(&d, 1, NULL), JMGPU_STATUS_BAD_VF,
		  "vf_display: vf 1 of 1");
	d.vf = cpu_to_le32(32);
	d.reserved = cpu_to_le32(1);
	expect_eq(jmgpu_check_vf_display(&d, 32, NULL), JMGPU_STATUS_BAD_VF,
		  "vf_display: vf 32 of 32 with reserved set");
	rule("vf_display: a VF index >= num_vfs -> BAD_VF, checked first");

	vf_display_make(&d, 1);
	d.reserved = cpu_to_le32(1);
	expect_eq(jmgpu_check_vf_display(&d, 1, NULL), JMGPU_STATUS_BAD_PARAM,
		  "vf_display: reserved 1");
	rule("vf_display: reserved != 0 -> BAD_PARAM");

	vf_display_make(&d, 0);
	d.link = cpu_to_le32(2);
	expect_eq(jmgpu_check_vf_display(&d, 1, NULL), JMGPU_STATUS_BAD_PARAM,
		  "vf_display: link 2");
	d.link = cpu_to_le32(0xffffffffu);
	expect_eq(jmgpu_check_vf_display(&d, 1, NULL), JMGPU_STATUS_BAD_PARAM,
		  "vf_display: link ~0");
	rule("vf_display: link not 0 or 1 -> BAD_PARAM");

	vf_display_make(&d, 1);
	d.link = 0;
	expect_eq(jmgpu_check_vf_display(&d, 1, NULL), JMGPU_STATUS_BAD_PARAM,
		  "vf_display: link 0 with 128 bytes");
	rule("vf_display: link 0 with an EDID -> BAD_PARAM");

	{
		static const uint32_t sizes[] = { 1, 100, 127, 129, 255, 640,
						  0x80000000u };

		for (n = 0; n < ARRAY_SIZE(sizes); n++) {
			vf_display_make(&d, 4);
			d.edid_size = cpu_to_le32(sizes[n]);
			expect_eq(jmgpu_check_vf_display(&d, 1, NULL),
				  JMGPU_STATUS_BAD_PARAM,
				  "vf_display: edid_size %u", sizes[n]);
		}
	}
	rule("vf_display: edid_size not n * 128 <= 512 -> BAD_PARAM");

	for (n = 256; n < JMGPU_VF_EDID_MAX; n += 37) {
		vf_display_make(&d, 2);
		d.edid[n] = 1;
		expect_eq(jmgpu_check_vf_display(&d, 1, NULL),
			  JMGPU_STATUS_BAD_PARAM,
			  "vf_display: byte %u set past 256", n);
	}
	vf_display_make(&d, 0);
	d.edid[0] = 0x80;
	expect_eq(jmgpu_check_vf_display(&d, 1, NULL), JMGPU_STATUS_BAD_PARAM,
		  "vf_display: byte 0 set with edid_size 0");
	rule("vf_display: a non-zero byte past edid_size -> BAD_PARAM");

	for (b = 0; b < 4; b++) {
		vf_display_make(&d, 4);
		d.edid[b * 128 + 100] ^= 0x10;
		expect_eq(jmgpu_check_vf_display(&d, 1, NULL),
			  JMGPU_STATUS_BAD_PARAM,
			  "vf_display: checksum of block %u of 4", b);
	}
	rule("vf_display: a block whose bytes do not sum to 0 -> BAD_PARAM");

	for (n = 0; n < 8; n++) {
		vf_display_make(&d, 1);
		d.edid[n] ^= 0x01;
		for (sum = 0, b = 0; b < 127; b++)	/* checksum still right */
			sum += d.edid[b];
		d.edid[127] = (uint8_t)-sum;
		expect_eq(jmgpu_check_vf_display(&d, 1, NULL),
			  JMGPU_STATUS_BAD_PARAM,
			  "vf_display: header byte %u changed", n);
	}
	rule("vf_display: a first block without the EDID header -> BAD_PARAM");
}

static void test_scanout_formats(void)
{
	static const struct { const char *name; unsigned int bpp; } f[] = {
		{ "XR24", 4 }, { "AR24", 4 }, { "XB24", 4 }, { "AB24", 4 },
		{ "RG16", 2 }, { "RG24", 0 }, { "XR30", 0 }, { "NV12", 0 },
		{ "xr24", 0 }, { "\0\0\0\0", 0 },
	};
	unsigned int i;
	uint32_t fourcc;

	for (i = 0; i < ARRAY_SIZE(f); i++) {
		memcpy(&fourcc, f[i].name, 4);	/* DRM fourcc: chars LSB first */
		fourcc = le32toh(fourcc);
		expect_eq(jmgpu_scanout_bpp(fourcc), f[i].bpp,
			  "scanout format %.4s", f[i].name);
	}
	expect_eq(jmgpu_scanout_bpp(0xffffffffu), 0, "scanout format ~0");
	rule("scanout formats: XR24/AR24/XB24/AB24 4 bytes, RG16 2, any other 0");
}

static void test_vf_req(void)
{
	static const struct { uint32_t vf, rsvd, n; int want; } t[] = {
		{ 0, 0, 1, JMGPU_STATUS_OK },
		{ 31, 0, 32, JMGPU_STATUS_OK },
		{ 32, 0, 32, JMGPU_STATUS_BAD_VF },
		{ 1, 0, 1, JMGPU_STATUS_BAD_VF },
		{ 0, 0, 0, JMGPU_STATUS_BAD_VF },
		{ 0xffffffffu, 0, 32, JMGPU_STATUS_BAD_VF },
		{ 0, 1, 32, JMGPU_STATUS_BAD_PARAM },
		{ 99, 1, 32, JMGPU_STATUS_BAD_PARAM },	/* reserved first */
	};
	struct jmgpu_vf_req r;
	size_t i;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < ARRAY_SIZE(t); i++) {
			if ((t[i].rsvd != 0) != pass)
				continue;
			r.vf = cpu_to_le32(t[i].vf);
			r.reserved = cpu_to_le32(t[i].rsvd);
			expect_eq(jmgpu_check_vf_req(&r, t[i].n), t[i].want,
				  "vf_req: vf %u reserved %u, %u VFs -> %s",
				  t[i].vf, t[i].rsvd, t[i].n,
				  jmgpu_status_str(t[i].want));
		}
		if (!pass)
			rule("vf_req: a VF index below the number of VFs is "
			     "accepted, any other -> BAD_VF");
		else
			rule("vf_req: reserved set -> BAD_PARAM, before the VF "
			     "index");
	}
}

static void test_stats_query(void)
{
	struct jmgpu_caps c = good_caps();
	struct jmgpu_vf_stats s;
	struct jmgpu_vf_config v;

	memset(&s, 0, sizeof(s));
	s.vf = cpu_to_le32(5);
	s.jobs = cpu_to_le64(123);
	expect_eq(jmgpu_check_stats(&s, 5), JMGPU_REPLY_OK, "stats: good");
	expect_eq(jmgpu_check_stats(&s, 4), JMGPU_REPLY_FIELD,
		  "stats: other vf echoed -> FIELD");
	s.reserved = cpu_to_le32(1);
	expect_eq(jmgpu_check_stats(&s, 5), JMGPU_REPLY_FIELD,
		  "stats: reserved set -> FIELD");
	rule("stats: the VF is echoed and reserved is 0, else FIELD");

	v = good_vf();
	expect_eq(jmgpu_check_query(&v, &c, 3), JMGPU_REPLY_OK,
		  "query: provisioned VF, good");
	expect_eq(jmgpu_check_query(&v, &c, 4), JMGPU_REPLY_FIELD,
		  "query: other vf echoed -> FIELD");
	v.engine_weight = 0;
	expect_eq(jmgpu_check_query(&v, &c, 3), JMGPU_REPLY_FIELD,
		  "query: provisioned with weight 0 -> FIELD");
	v = good_vf();
	v.max_width = cpu_to_le32(99999);
	expect_eq(jmgpu_check_query(&v, &c, 3), JMGPU_REPLY_FIELD,
		  "query: width beyond caps -> FIELD");
	v = good_vf();
	v.fb_offset = cpu_to_le64(2 * GiB);
	expect_eq(jmgpu_check_query(&v, &c, 3), JMGPU_REPLY_FIELD,
		  "query: slice beyond fb -> FIELD");
	v = good_vf();
	v.vf = cpu_to_le32(0xffffffffu);
	expect_eq(jmgpu_check_query(&v, &c, 0xffffffffu), JMGPU_REPLY_FIELD,
		  "query: vf 0xffffffff provisioned -> FIELD (no wrap)");
	rule("query of a provisioned VF: VF echoed, fields within caps, else "
	     "FIELD");

	memset(&v, 0, sizeof(v));
	v.vf = cpu_to_le32(31);
	expect_eq(jmgpu_check_query(&v, &c, 31), JMGPU_REPLY_OK,
		  "query: unprovisioned VF, all zero, good");
	v.engine_weight = cpu_to_le32(1);
	expect_eq(jmgpu_check_query(&v, &c, 31), JMGPU_REPLY_FIELD,
		  "query: unprovisioned with a weight -> FIELD");
	v.engine_weight = 0;
	v.fb_offset = cpu_to_le64(4 * MiB);
	expect_eq(jmgpu_check_query(&v, &c, 31), JMGPU_REPLY_FIELD,
		  "query: unprovisioned with an offset -> FIELD");
	rule("query of an unprovisioned VF: all fields but vf zero, else FIELD");

	v = good_vf();
	v.flags = cpu_to_le16(JMGPU_VF_CFG_SCRUB_ON_FLR);
	expect_eq(jmgpu_check_query(&v, &c, 3), JMGPU_REPLY_OK,
		  "query: provisioned SCRUB_ON_FLR -> OK");
	v.flags = cpu_to_le16(1u << 3);
	expect_eq(jmgpu_check_query(&v, &c, 3), JMGPU_REPLY_FIELD,
		  "query: provisioned with an undefined flag -> FIELD");
	memset(&v, 0, sizeof(v));
	v.vf = cpu_to_le32(31);
	v.flags = cpu_to_le16(JMGPU_VF_CFG_SCRUB_ON_FLR);
	expect_eq(jmgpu_check_query(&v, &c, 31), JMGPU_REPLY_FIELD,
		  "query: unprovisioned with SCRUB_ON_FLR -> FIELD");
	rule("query flags: SCRUB_ON_FLR reported for a provisioned VF only, "
	     "undefined bits -> FIELD");

	{
		struct jmgpu_vf_event_state es;

		memset(&es, 0, sizeof(es));
		es.vf = cpu_to_le32(7);
		es.pending = cpu_to_le32(JMGPU_EVSTATE_ALL);
		es.flr_done = cpu_to_le32(100);
		expect_eq(jmgpu_check_event_state(&es, 7), JMGPU_REPLY_OK,
			  "event state: good");
		expect_eq(jmgpu_check_event_state(&es, 6), JMGPU_REPLY_FIELD,
			  "event state: other vf echoed -> FIELD");
		es.pending = cpu_to_le32(1u << 4);
		expect_eq(jmgpu_check_event_state(&es, 7), JMGPU_REPLY_FIELD,
			  "event state: undefined pending bit -> FIELD");
		es.pending = 0;
		es.reserved = cpu_to_le32(1);
		expect_eq(jmgpu_check_event_state(&es, 7), JMGPU_REPLY_FIELD,
			  "event state: reserved set -> FIELD");
		rule("VF_EVENT_STATE: VF echoed, defined pending bits, reserved "
		     "0, else FIELD");
	}
}

static struct jmgpu_job good_job(void)
{
	struct jmgpu_job j;

	memset(&j, 0, sizeof(j));
	j.opcode = cpu_to_le32(JMGPU_JOB_COPY);
	j.flags = cpu_to_le32(JMGPU_JOB_F_IRQ | JMGPU_JOB_F_FENCE);
	j.src = cpu_to_le64(0x100000);
	j.dst = cpu_to_le64(0x200000);
	j.len = cpu_to_le64(4096);
	j.fence = cpu_to_le64(1);
	return j;
}

static void test_job(void)
{
	struct jmgpu_job j;

#define JOB(desc, want, stmt) do {					\
	j = good_job();							\
	stmt;								\
	expect_eq(jmgpu_check_job(&j), want, "job: %s -> %s", desc,	\
		  want ? "BAD_JOB" : "ok");				\
} while (0)
	JOB("copy iova->iova with irq+fence", JMGPU_FAULT_CODE_NONE, (void)0);
	JOB("copy fb->fb, all flags", JMGPU_FAULT_CODE_NONE,
	    j.flags = cpu_to_le32(JMGPU_JOB_F_ALL));
	JOB("fill to fb", JMGPU_FAULT_CODE_NONE,
	    (j.opcode = cpu_to_le32(JMGPU_JOB_FILL),
	     j.flags = cpu_to_le32(JMGPU_JOB_F_DST_FB),
	     j.fill = cpu_to_le32(0xa5a5a5a5)));
	JOB("nop, len 0", JMGPU_FAULT_CODE_NONE,
	    (j.opcode = cpu_to_le32(JMGPU_JOB_NOP), j.len = 0));
	JOB("nop with a length (ignored)", JMGPU_FAULT_CODE_NONE,
	    j.opcode = cpu_to_le32(JMGPU_JOB_NOP));
	JOB("len == max", JMGPU_FAULT_CODE_NONE,
	    j.len = cpu_to_le64(JMGPU_JOB_MAX_LEN));
	JOB("len 1", JMGPU_FAULT_CODE_NONE, j.len = cpu_to_le64(1));
	rule("job: well-formed NOP, COPY and FILL descriptors are accepted, "
	     "lengths 1..64 MiB");

	JOB("opcode 3", JMGPU_FAULT_CODE_BAD_JOB, j.opcode = cpu_to_le32(3));
	JOB("opcode 0xffffffff", JMGPU_FAULT_CODE_BAD_JOB,
	    j.opcode = cpu_to_le32(0xffffffffu));
	JOB("undefined flag 0x10", JMGPU_FAULT_CODE_BAD_JOB,
	    j.flags = cpu_to_le32(0x10));
	JOB("undefined flag 0x80000000", JMGPU_FAULT_CODE_BAD_JOB,
	    j.flags = cpu_to_le32(0x80000000u));
	JOB("reserved0 set", JMGPU_FAULT_CODE_BAD_JOB,
	    j.reserved0 = cpu_to_le32(1));
	JOB("reserved1[0] set", JMGPU_FAULT_CODE_BAD_JOB,
	    j.reserved1[0] = cpu_to_le64(1));
	JOB("reserved1[1] set (top byte)", JMGPU_FAULT_CODE_BAD_JOB,
	    j.reserved1[1] = cpu_to_le64(1ull << 63));
	JOB("copy len 0", JMGPU_FAULT_CODE_BAD_JOB, j.len = 0);
	JOB("fill len 0", JMGPU_FAULT_CODE_BAD_JOB,
	    (j.opcode = cpu_to_le32(JMGPU_JOB_FILL), j.len = 0));
	JOB("len == max + 1", JMGPU_FAULT_CODE_BAD_JOB,
	    j.len = cpu_to_le64(JMGPU_JOB_MAX_LEN + 1ull));
	JOB("len 2^63", JMGPU_FAULT_CODE_BAD_JOB, j.len = cpu_to_le64(1ull << 63));
	JOB("fill with SRC_FB", JMGPU_FAULT_CODE_BAD_JOB,
	    (j.opcode = cpu_to_le32(JMGPU_JOB_FILL),
	     j.flags = cpu_to_le32(JMGPU_JOB_F_SRC_FB)));
	rule("job: undefined opcode or flag, reserved set, bad length, FILL "
	     "with SRC_FB -> BAD_JOB");
#undef JOB
}

static void test_event(void)
{
	struct jmgpu_event e;
	unsigned int t;

	memset(&e, 0, sizeof(e));
	for (t = 1; t <= JMGPU_EVENT_MAX; t++) {
		e.type = cpu_to_le16((uint16_t)t);
		e.vf = cpu_to_le16(7);
		expect_eq(jmgpu_check_event(&e, 8), JMGPU_REPLY_OK,
			  "event type %u, vf 7 of 8", t);
	}
	rule("event: each defined type for a VF below num_vfs is accepted");

	for (t = 1; t <= JMGPU_EVENT_MAX; t++) {
		e.type = cpu_to_le16((uint16_t)t);
		e.vf = cpu_to_le16(8);
		expect_eq(jmgpu_check_event(&e, 8),
			  t == JMGPU_EVENT_FW_RESET_DONE ? JMGPU_REPLY_OK :
			  JMGPU_REPLY_FIELD, "event type %u, vf 8 of 8 -> %s",
			  t, t == JMGPU_EVENT_FW_RESET_DONE ? "ok (no vf)" :
			  "FIELD");
	}
	e.vf = 0;
	e.type = cpu_to_le16(JMGPU_EVENT_ENGINE_FAULT);
	expect_eq(jmgpu_check_event(&e, 0), JMGPU_REPLY_FIELD,
		  "event for vf 0 with no VFs enabled");
	e.type = cpu_to_le16(JMGPU_EVENT_VF_FLR_DONE);
	e.vf = cpu_to_le16(0xffff);
	expect_eq(jmgpu_check_event(&e, 32), JMGPU_REPLY_FIELD,
		  "event FLR_DONE vf 0xffff");
	rule("event: a VF index >= num_vfs -> FIELD (FW_RESET_DONE has no VF)");

	e.vf = 0;
	e.type = cpu_to_le16(JMGPU_EVENT_NONE);
	expect_eq(jmgpu_check_event(&e, 8), JMGPU_REPLY_FIELD,
		  "event type NONE");
	e.type = cpu_to_le16(JMGPU_EVENT_MAX + 1);
	expect_eq(jmgpu_check_event(&e, 8), JMGPU_REPLY_FIELD,
		  "event type MAX + 1");
	e.type = cpu_to_le16(0xffff);
	expect_eq(jmgpu_check_event(&e, 8), JMGPU_REPLY_FIELD,
		  "event type 0xffff");
	rule("event: type NONE or undefined -> FIELD");
}

/* VRAM hygiene: FB_SCRUB range, FB_CLEAN_MAP request and reply */
static void test_vram(void)
{
	static const struct { uint64_t off, size; int want; } fr[] = {
		{ 0, 4 << 20, JMGPU_STATUS_OK },
		{ 2044ull << 20, 4 << 20, JMGPU_STATUS_OK },	/* last granule */
		{ 0, 2048ull << 20, JMGPU_STATUS_OK },	/* all VRAM (2 GiB) */
		{ 0, 0, JMGPU_STATUS_BAD_PARAM },
		{ 4096, 4 << 20, JMGPU_STATUS_BAD_PARAM },
		{ 0, (4 << 20) + 4096, JMGPU_STATUS_BAD_PARAM },
		{ 2048ull << 20, 4 << 20, JMGPU_STATUS_BAD_PARAM },
		{ 2044ull << 20, 8 << 20, JMGPU_STATUS_BAD_PARAM },
		{ 4 << 20, ~0ull - (4 << 20) + 1,
		  JMGPU_STATUS_BAD_PARAM },			/* off + size wraps */
	};
	static const struct { uint32_t first, count; int want; } mr[] = {
		{ 0, 1, JMGPU_STATUS_OK }, { 127, 16384, JMGPU_STATUS_OK },
		{ 128, 1, JMGPU_STATUS_BAD_PARAM }, { 0, 0, JMGPU_STATUS_BAD_PARAM },
		{ 0, 16385, JMGPU_STATUS_BAD_PARAM },
		{ UINT_MAX, 1, JMGPU_STATUS_BAD_PARAM },
	};
	struct jmgpu_caps c = good_caps();
	struct jmgpu_clean_map_req q;
	struct jmgpu_fb_range r;
	struct jmgpu_clean_map m, bad;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fr); i++) {
		r.fb_offset = cpu_to_le64(fr[i].off);
		r.fb_size = cpu_to_le64(fr[i].size);
		expect_eq(jmgpu_check_fb_range(&r, &c), fr[i].want,
			  "fb_range 0x%llx+0x%llx",
			  (unsigned long long)fr[i].off,
			  (unsigned long long)fr[i].size);
	}
	rule("fb_range: granule aligned, non-empty, inside VRAM; else BAD_PARAM");
	for (i = 0; i < ARRAY_SIZE(mr); i++) {
		q.first = cpu_to_le32(mr[i].first);
		q.count = cpu_to_le32(mr[i].count);
		expect_eq(jmgpu_check_clean_map_req(&q, 128), mr[i].want,
			  "clean_map_req first %u count %u of 128 granules",
			  mr[i].first, mr[i].count);
	}
	rule("clean_map_req: first inside VRAM, count 1..16384; else BAD_PARAM");

	/* granules 120..127 asked for 100: clipped to 8, bits 0 and 7 clean */
	memset(&m, 0, sizeof(m));
	m.first = cpu_to_le32(120);
	m.count = cpu_to_le32(8);
	m.clean = cpu_to_le32(2);
	m.bits[0] = cpu_to_le64(0x81);
	expect_eq(jmgpu_check_clean_map(&m, 120, 100, 128), JMGPU_REPLY_OK,
		  "valid clipped reply");
	expect(jmgpu_clean_map_test(&m, 0) && jmgpu_clean_map_test(&m, 7) &&
	       !jmgpu_clean_map_test(&m, 1), "bit i is granule first + i");
	bad = m;
	bad.first = cpu_to_le32(121);
	expect_eq(jmgpu_check_clean_map(&bad, 120, 100, 128),
		  JMGPU_REPLY_FIELD, "first not echoed");
	bad = m;
	bad.count = cpu_to_le32(9);
	expect_eq(jmgpu_check_clean_map(&bad, 120, 100, 128),
		  JMGPU_REPLY_FIELD, "count past the end of VRAM");
	bad = m;
	bad.count = cpu_to_le32(7);
	bad.bits[0] = cpu_to_le64(0x41);
	expect_eq(jmgpu_check_clean_map(&bad, 120, 100, 128),
		  JMGPU_REPLY_FIELD, "count shorter than asked and available");
	bad = m;
	bad.bits[0] = cpu_to_le64(0x181);
	bad.clean = cpu_to_le32(3);
	expect_eq(jmgpu_check_clean_map(&bad, 120, 100, 128),
		  JMGPU_REPLY_FIELD, "a bit at count");
	bad = m;
	bad.bits[255] = cpu_to_le64(1ull << 63);
	bad.clean = cpu_to_le32(3);
	expect_eq(jmgpu_check_clean_map(&bad, 120, 100, 128),
		  JMGPU_REPLY_FIELD, "a bit in the last word");
	bad = m;
	bad.clean = cpu_to_le32(1);
	expect_eq(jmgpu_check_clean_map(&bad, 120, 100, 128),
		  JMGPU_REPLY_FIELD, "clean count not the bits set");
	bad = m;
	bad.reserved = cpu_to_le32(1);
	expect_eq(jmgpu_check_clean_map(&bad, 120, 100, 128),
		  JMGPU_REPLY_FIELD, "reserved set");
	rule("clean_map reply: range echoed and clipped, no bit past count, "
	     "clean = bits set, reserved 0; else FIELD");
}

static void test_misc(void)
{
	expect(!jmgpu_is_pow2_u64(0), "0");
	expect(jmgpu_is_pow2_u64(1), "1");
	expect(jmgpu_is_pow2_u64(1ull << 63), "2^63");
	expect(!jmgpu_is_pow2_u64(3), "3");
	expect(!jmgpu_is_pow2_u64(~0ull), "~0");
	rule("jmgpu_is_pow2_u64");
}

int main(void)
{
	tap_plan(NUM_RULES);
	test_sizes();
	test_offsets();
	test_encoding();
	test_payload_len();
	test_req_hdr();
	test_reply_hdr();
	test_caps();
	test_vf_config();
	test_sched();
	test_vf_req();
	test_vf_weight();
	test_vf_display();
	test_scanout_formats();
	test_stats_query();
	test_job();
	test_event();
	test_vram();
	test_misc();
	tap_plan_late();
	return tap_done();
}

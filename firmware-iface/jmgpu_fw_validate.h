/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * jmgpu firmware interface v1: validators shared by the firmware model, the
 * kernel driver and the tests. One implementation of every rule, so the
 * firmware rejects exactly what the driver never sends, and the driver
 * rejects every reply the protocol does not allow.
 *
 * Request validators return a JMGPU_STATUS_* code (what the firmware puts in
 * its reply). Reply validators return a JMGPU_REPLY_* code (0 = valid) whose
 * name jmgpu_reply_err_str() gives for log lines.
 */
#ifndef JMGPU_FW_VALIDATE_H
#define JMGPU_FW_VALIDATE_H

#include "jmgpu_fw_iface.h"

/* QEMU: include "qemu/bswap.h" first; it provides these helpers. */
#if !defined(__KERNEL__) && !defined(BSWAP_H)
#include <endian.h>
#include <stddef.h>
#include <stdint.h>
#define le16_to_cpu(x) le16toh(x)
#define le32_to_cpu(x) le32toh(x)
#define le64_to_cpu(x) le64toh(x)
#define cpu_to_le16(x) htole16(x)
#define cpu_to_le32(x) htole32(x)
#define cpu_to_le64(x) htole64(x)
#endif

/* Reasons a firmware reply is rejected by the driver. */
enum jmgpu_reply_err {
	JMGPU_REPLY_OK = 0,
	JMGPU_REPLY_SHORT,	/* fewer bytes than a header */
	JMGPU_REPLY_OPCODE,	/* opcode does not echo the request */
	JMGPU_REPLY_SEQ,	/* sequence number does not match */
	JMGPU_REPLY_STATUS,	/* status code undefined */
	JMGPU_REPLY_LEN,	/* payload length wrong for opcode/status */
	JMGPU_REPLY_RESERVED,	/* reserved header field not zero */
	JMGPU_REPLY_FIELD,	/* a payload field out of its range */
	JMGPU_REPLY_ERR_MAX = JMGPU_REPLY_FIELD,
};

static inline const char *jmgpu_reply_err_str(int err)
{
	static const char * const names[] = {
		"ok", "short reply", "opcode mismatch", "sequence mismatch",
		"undefined status", "bad payload length",
		"reserved field set", "payload field out of range",
	};

	if (err < 0 || err > JMGPU_REPLY_ERR_MAX)
		return "unknown";
	return names[err];
}

static inline const char *jmgpu_status_str(unsigned int status)
{
	static const char * const names[] = {
		"ok", "unknown command", "bad length", "bad parameter",
		"bad vf", "bad state", "no space", "version mismatch", "busy",
	};

	if (status > JMGPU_STATUS_MAX)
		return "undefined status";
	return names[status];
}

static inline int jmgpu_is_pow2_u64(__u64 v)
{
	return v && !(v & (v - 1));
}

/*
 * jmgpu_check_req_hdr - validate a request header (firmware side).
 * @h: request header as read from the mailbox
 * @avail: bytes available after the header in the request buffer
 *
 * Return: JMGPU_STATUS_OK or the status to reply with.
 */
static inline int jmgpu_check_req_hdr(const struct jmgpu_msg_hdr *h,
				      __u32 avail)
{
	unsigned int op = le16_to_cpu(h->opcode);
	__u32 len = le32_to_cpu(h->len);
	int want = jmgpu_req_payload_len(op);

	if (want < 0)
		return JMGPU_STATUS_UNKNOWN_CMD;
	if (le16_to_cpu(h->status) || le32_to_cpu(h->reserved))
		return JMGPU_STATUS_BAD_PARAM;
	if (len > avail || len != (__u32)want)
		return JMGPU_STATUS_BAD_LEN;
	return JMGPU_STATUS_OK;
}

/*
 * jmgpu_check_reply_hdr - validate a reply header (driver side).
 * @h: reply header as read from the mailbox
 * @avail: bytes available after the header in the response buffer
 * @opcode: opcode of the request
 * @seq: sequence number of the request
 *
 * Return: JMGPU_REPLY_OK or the reason the reply is malformed.
 */
static inline int jmgpu_check_reply_hdr(const struct jmgpu_msg_hdr *h,
					__u32 avail, unsigned int opcode,
					__u32 seq)
{
	unsigned int status = le16_to_cpu(h->status);
	__u32 len = le32_to_cpu(h->len);
	int want;

	if (le16_to_cpu(h->opcode) != opcode)
		return JMGPU_REPLY_OPCODE;
	if (le32_to_cpu(h->seq) != seq)
		return JMGPU_REPLY_SEQ;
	if (status > JMGPU_STATUS_MAX)
		return JMGPU_REPLY_STATUS;
	if (le32_to_cpu(h->reserved))
		return JMGPU_REPLY_RESERVED;
	if (len > avail)
		return JMGPU_REPLY_LEN;
	if (status != JMGPU_STATUS_OK)
		return len ? JMGPU_REPLY_LEN : JMGPU_REPLY_OK;
	want = jmgpu_resp_payload_len(opcode);
	if (opcode == JMGPU_CMD_GET_LOG) {
		if (len < sizeof(struct jmgpu_log_resp) ||
		    len > sizeof(struct jmgpu_log_resp) + JMGPU_LOG_CHUNK)
			return JMGPU_REPLY_LEN;
		return JMGPU_REPLY_OK;
	}
	if (want < 0 || len != (__u32)want)
		return JMGPU_REPLY_LEN;
	return JMGPU_REPLY_OK;
}

/*
 * jmgpu_check_reply - validate a whole reply as copied out of the mailbox.
 * @buf: the bytes read from JMGPU_PF_MBOX_RESP
 * @n: how many bytes @buf holds (header + payload room)
 * @opcode: opcode of the request
 * @seq: sequence number of the request
 *
 * Return: JMGPU_REPLY_SHORT when @n cannot hold a header, else as
 * jmgpu_check_reply_hdr() with the room after the header as @avail.
 */
static inline int jmgpu_check_reply(const void *buf, __u32 n,
				    unsigned int opcode, __u32 seq)
{
	if (n < JMGPU_MSG_HDR_SIZE)
		return JMGPU_REPLY_SHORT;
	return jmgpu_check_reply_hdr((const struct jmgpu_msg_hdr *)buf,
				     n - JMGPU_MSG_HDR_SIZE, opcode, seq);
}

/* GET_CAPS reply fields (driver side). */
static inline int jmgpu_check_caps(const struct jmgpu_caps *c)
{
	__u64 fb = le64_to_cpu(c->fb_size);
	__u64 ap = le64_to_cpu(c->vf_aperture);
	__u32 gran = le32_to_cpu(c->fb_granule);
	__u32 vfs = le32_to_cpu(c->max_vfs);

	if (!jmgpu_is_pow2_u64(gran) || gran < 4096)
		return JMGPU_REPLY_FIELD;
	if (!fb || fb % gran || !jmgpu_is_pow2_u64(ap) || ap > fb || ap < gran)
		return JMGPU_REPLY_FIELD;
	if (!vfs || vfs > JMGPU_MAX_VFS)
		return JMGPU_REPLY_FIELD;
	if (!le32_to_cpu(c->num_engines) ||
	    le32_to_cpu(c->num_engines) > JMGPU_MAX_VFS)
		return JMGPU_REPLY_FIELD;
	if (le32_to_cpu(c->display_heads) > 16 ||
	    le32_to_cpu(c->max_width) > 16384 ||
	    le32_to_cpu(c->max_height) > 16384)
		return JMGPU_REPLY_FIELD;
	if (!le32_to_cpu(c->max_weight) || le32_to_cpu(c->max_weight) > 1000)
		return JMGPU_REPLY_FIELD;
	if (!le32_to_cpu(c->engine_rate) || le32_to_cpu(c->reserved))
		return JMGPU_REPLY_FIELD;
	return JMGPU_REPLY_OK;
}

/*
 * jmgpu_check_vf_config - field checks of a VF_PROVISION request against the
 * capabilities (both sides). Overlap with other slices and the remaining
 * codec sessions are the firmware's own accounting (NO_SPACE).
 *
 * Return: JMGPU_STATUS_OK, BAD_VF or BAD_PARAM.
 */
static inline int jmgpu_check_vf_config(const struct jmgpu_vf_config *v,
					const struct jmgpu_caps *c,
					__u32 num_vfs)
{
	__u64 off = le64_to_cpu(v->fb_offset);
	__u64 size = le64_to_cpu(v->fb_size);
	__u64 fb = le64_to_cpu(c->fb_size);
	__u32 gran = le32_to_cpu(c->fb_granule);
	__u32 w = le32_to_cpu(v->max_width), h = le32_to_cpu(v->max_height);
	__u32 heads = le16_to_cpu(v->display_heads);
	__u32 weight = le32_to_cpu(v->engine_weight);

	if (le32_to_cpu(v->vf) >= num_vfs)
		return JMGPU_STATUS_BAD_VF;
	if (!gran)	/* caps not validated: never divide by zero */
		return JMGPU_STATUS_BAD_PARAM;
	if (!size || size % gran || off % gran)
		return JMGPU_STATUS_BAD_PARAM;
	if (size > le64_to_cpu(c->vf_aperture) || off > fb || size > fb - off)
		return JMGPU_STATUS_BAD_PARAM;
	if (!weight || weight > le32_to_cpu(c->max_weight))
		return JMGPU_STATUS_BAD_PARAM;
	if (le32_to_cpu(v->codec_sessions) > le32_to_cpu(c->codec_sessions))
		return JMGPU_STATUS_BAD_PARAM;
	if (heads > le32_to_cpu(c->display_heads))
		return JMGPU_STATUS_BAD_PARAM;
	if (le16_to_cpu(v->flags) & ~JMGPU_VF_CFG_ALL)
		return JMGPU_STATUS_BAD_PARAM;
	/* display limits: all zero (headless) or all set within caps */
	if (heads == 0 ? (w || h) :
	    (!w || !h || w > le32_to_cpu(c->max_width) ||
	     h > le32_to_cpu(c->max_height)))
		return JMGPU_STATUS_BAD_PARAM;
	return JMGPU_STATUS_OK;
}

/* SET_SCHED request fields. Return: JMGPU_STATUS_OK or BAD_PARAM. */
static inline int jmgpu_check_sched(const struct jmgpu_sched *s)
{
	__u32 us = le32_to_cpu(s->timeslice_us);

	if (le32_to_cpu(s->policy) > JMGPU_SCHED_MAX)
		return JMGPU_STATUS_BAD_PARAM;
	if (us < JMGPU_SCHED_MIN_SLICE_US || us > JMGPU_SCHED_MAX_SLICE_US)
		return JMGPU_STATUS_BAD_PARAM;
	return JMGPU_STATUS_OK;
}

/*
 * jmgpu_check_vf_weight - VF_SET_WEIGHT request fields (both sides).
 * Whether the VF is provisioned (BAD_STATE) and whether the weight fits
 * beside the other VFs' (NO_SPACE) are the firmware's own state.
 *
 * Return: JMGPU_STATUS_OK, BAD_VF or BAD_PARAM.
 */
static inline int jmgpu_check_vf_weight(const struct jmgpu_vf_weight *r,
					const struct jmgpu_caps *c,
					__u32 num_vfs)
{
	__u32 weight = le32_to_cpu(r->engine_weight);

	if (le32_to_cpu(r->vf) >= num_vfs)
		return JMGPU_STATUS_BAD_VF;
	if (!weight || weight > le32_to_cpu(c->max_weight))
		return JMGPU_STATUS_BAD_PARAM;
	return JMGPU_STATUS_OK;
}

/*
 * jmgpu_edid_header_ok - whether @b starts with the 8-byte header of an
 * EDID base block, 00 ff ff ff ff ff ff 00 (both sides).
 *
 * Return: 1 or 0.
 */
static inline int jmgpu_edid_header_ok(const __u8 *b)
{
	int i;

	for (i = 1; i < 7; i++)
		if (b[i] != 0xff)
			return 0;
	return !b[0] && !b[7];
}

/*
 * jmgpu_check_vf_display - VF_SET_DISPLAY request fields (both sides):
 * the rules of struct jmgpu_vf_display. Whether the VF is provisioned
 * with display heads (BAD_STATE) is the firmware's own state. @why, when
 * not NULL, gets the broken rule for log lines.
 *
 * Return: JMGPU_STATUS_OK, BAD_VF or BAD_PARAM.
 */
static inline int jmgpu_check_vf_display(const struct jmgpu_vf_display *r,
					 __u32 num_vfs, const char **why)
{
	__u32 link = le32_to_cpu(r->link), size = le32_to_cpu(r->edid_size);
	const char *bad = NULL;
	__u32 i, b;
	__u8 sum;

	if (le32_to_cpu(r->vf) >= num_vfs)
		return JMGPU_STATUS_BAD_VF;
	if (le32_to_cpu(r->reserved))
		bad = "reserved field set";
	else if (link > 1)
		bad = "link not 0 or 1";
	else if (!link && size)
		bad = "EDID without a link";
	else if (size % 128 || size > JMGPU_VF_EDID_MAX)
		bad = "EDID size not n * 128 <= 512";
	for (i = size; !bad && i < JMGPU_VF_EDID_MAX; i++)
		if (r->edid[i])
			bad = "bytes past the EDID size";
	for (b = 0; !bad && b < size; b += 128) {
		for (sum = 0, i = 0; i < 128; i++)
			sum += r->edid[b + i];
		if (sum)
			bad = "EDID block checksum";
	}
	if (!bad && size && !jmgpu_edid_header_ok(r->edid))
		bad = "no EDID header";
	if (bad) {
		if (why)
			*why = bad;
		return JMGPU_STATUS_BAD_PARAM;
	}
	return JMGPU_STATUS_OK;
}

/*
 * jmgpu_scanout_bpp - bytes per pixel of a scanout plane format (DRM
 * fourcc): XR24, AR24, XB24, AB24 (4) and RG16 (2). The model refuses a
 * commit with any other (SCANOUT_STATUS BAD_FORMAT) and the host reports
 * no plane for one; both ask this table.
 *
 * Return: 4, 2, or 0 for a format the plane lacks.
 */
static inline unsigned int jmgpu_scanout_bpp(__u32 fourcc)
{
	switch (fourcc) {
	case 0x34325258:	/* XR24 */
	case 0x34325241:	/* AR24 */
	case 0x34324258:	/* XB24 */
	case 0x34324241:	/* AB24 */
		return 4;
	case 0x36314752:	/* RG16 */
		return 2;
	default:
		return 0;
	}
}

/* Request with a VF index (UNPROVISION, RESET, GET_STATS, QUERY). */
static inline int jmgpu_check_vf_req(const struct jmgpu_vf_req *r,
				     __u32 num_vfs)
{
	if (le32_to_cpu(r->reserved))
		return JMGPU_STATUS_BAD_PARAM;
	if (le32_to_cpu(r->vf) >= num_vfs)
		return JMGPU_STATUS_BAD_VF;
	return JMGPU_STATUS_OK;
}

/*
 * FB_SCRUB request (both sides): a granule-aligned, non-empty range inside
 * VRAM. Whether it touches a provisioned slice is the firmware's own state
 * (BAD_STATE). Return: JMGPU_STATUS_OK or BAD_PARAM.
 */
static inline int jmgpu_check_fb_range(const struct jmgpu_fb_range *r,
				       const struct jmgpu_caps *c)
{
	__u64 off = le64_to_cpu(r->fb_offset);
	__u64 size = le64_to_cpu(r->fb_size);
	__u64 fb = le64_to_cpu(c->fb_size);
	__u32 gran = le32_to_cpu(c->fb_granule);

	if (!gran || !size || size % gran || off % gran)
		return JMGPU_STATUS_BAD_PARAM;
	if (off > fb || size > fb - off)
		return JMGPU_STATUS_BAD_PARAM;
	return JMGPU_STATUS_OK;
}

/* FB_CLEAN_MAP request (firmware side) for a VRAM of @granules granules. */
static inline int jmgpu_check_clean_map_req(const struct jmgpu_clean_map_req *r,
					    __u32 granules)
{
	__u32 count = le32_to_cpu(r->count);

	if (le32_to_cpu(r->first) >= granules || !count ||
	    count > JMGPU_CLEAN_MAP_GRANULES)
		return JMGPU_STATUS_BAD_PARAM;
	return JMGPU_STATUS_OK;
}

/*
 * jmgpu_check_clean_map - FB_CLEAN_MAP reply (driver side) to a request
 * for @count granules from @first, VRAM having @granules granules: the
 * range echoed (clipped at the end of VRAM), no bit set past it, the
 * number of set bits as announced, reserved zero.
 *
 * Return: JMGPU_REPLY_OK or FIELD.
 */
static inline int jmgpu_check_clean_map(const struct jmgpu_clean_map *m,
					__u32 first, __u32 count,
					__u32 granules)
{
	__u32 n = le32_to_cpu(m->count), set = 0, i;

	if (first >= granules || !count || count > JMGPU_CLEAN_MAP_GRANULES)
		return JMGPU_REPLY_FIELD;
	if (count > granules - first)
		count = granules - first;
	if (le32_to_cpu(m->first) != first || n != count || m->reserved)
		return JMGPU_REPLY_FIELD;
	for (i = 0; i < JMGPU_CLEAN_MAP_GRANULES / 64; i++) {
		__u64 w = le64_to_cpu(m->bits[i]);

		/* no bit at or past n */
		if (i * 64 >= n ? w != 0 :
		    (n - i * 64 < 64 && (w >> (n - i * 64))))
			return JMGPU_REPLY_FIELD;
		for (; w; w &= w - 1)
			set++;
	}
	if (set != le32_to_cpu(m->clean))
		return JMGPU_REPLY_FIELD;
	return JMGPU_REPLY_OK;
}

/* Is granule @i (relative to the reply's first) clean in a checked map? */
static inline int jmgpu_clean_map_test(const struct jmgpu_clean_map *m,
				       __u32 i)
{
	return (le64_to_cpu(m->bits[i / 64]) >> (i % 64)) & 1;
}

/* VF_GET_STATS reply (driver side): the VF echoed, reserved zero. */
static inline int jmgpu_check_stats(const struct jmgpu_vf_stats *s, __u32 vf)
{
	if (le32_to_cpu(s->vf) != vf || le32_to_cpu(s->reserved))
		return JMGPU_REPLY_FIELD;
	return JMGPU_REPLY_OK;
}

/* VF_EVENT_STATE reply (driver side): the VF echoed, defined bits only. */
static inline int jmgpu_check_event_state(const struct jmgpu_vf_event_state *s,
					  __u32 vf)
{
	if (le32_to_cpu(s->vf) != vf || le32_to_cpu(s->reserved) ||
	    (le32_to_cpu(s->pending) & ~JMGPU_EVSTATE_ALL))
		return JMGPU_REPLY_FIELD;
	return JMGPU_REPLY_OK;
}

/* VF_QUERY reply (driver side): the VF echoed, fields within caps. */
static inline int jmgpu_check_query(const struct jmgpu_vf_config *v,
				    const struct jmgpu_caps *c, __u32 vf)
{
	if (le32_to_cpu(v->vf) != vf)
		return JMGPU_REPLY_FIELD;
	if (!le64_to_cpu(v->fb_size))	/* not provisioned: all zero */
		return v->engine_weight || v->fb_offset || v->flags ?
		       JMGPU_REPLY_FIELD : JMGPU_REPLY_OK;
	return jmgpu_check_vf_config(v, c, vf + 1) == JMGPU_STATUS_OK ?
	       JMGPU_REPLY_OK : JMGPU_REPLY_FIELD;
}

/*
 * jmgpu_check_job - validate an engine job descriptor (firmware side).
 * Return: JMGPU_FAULT_CODE_NONE or JMGPU_FAULT_CODE_BAD_JOB.
 */
static inline int jmgpu_check_job(const struct jmgpu_job *j)
{
	__u32 op = le32_to_cpu(j->opcode);
	__u32 flags = le32_to_cpu(j->flags);
	__u64 len = le64_to_cpu(j->len);

	if (op > JMGPU_JOB_FILL || (flags & ~JMGPU_JOB_F_ALL))
		return JMGPU_FAULT_CODE_BAD_JOB;
	if (j->reserved0 || j->reserved1[0] || j->reserved1[1])
		return JMGPU_FAULT_CODE_BAD_JOB;
	if (op != JMGPU_JOB_NOP && (!len || len > JMGPU_JOB_MAX_LEN))
		return JMGPU_FAULT_CODE_BAD_JOB;
	if (op == JMGPU_JOB_FILL && (flags & JMGPU_JOB_F_SRC_FB))
		return JMGPU_FAULT_CODE_BAD_JOB;
	return JMGPU_FAULT_CODE_NONE;
}

/* Event record (driver side). Return: JMGPU_REPLY_OK or FIELD. */
static inline int jmgpu_check_event(const struct jmgpu_event *e,
				    __u32 num_vfs)
{
	unsigned int type = le16_to_cpu(e->type);

	if (type == JMGPU_EVENT_NONE || type > JMGPU_EVENT_MAX)
		return JMGPU_REPLY_FIELD;
	if (type != JMGPU_EVENT_FW_RESET_DONE &&
	    le16_to_cpu(e->vf) >= num_vfs)
		return JMGPU_REPLY_FIELD;
	return JMGPU_REPLY_OK;
}

/*
 * jmgpu_check_log_reply - GET_LOG reply (driver side) to a request for
 * @offset and at most @max bytes; @plen is the reply's payload length.
 * Stream positions are modulo 2^32: the text may start later than asked
 * (those bytes were overwritten) but never earlier, and "later" wraps at
 * 4 GiB of log like the positions do.
 *
 * Return: JMGPU_REPLY_OK or FIELD.
 */
static inline int jmgpu_check_log_reply(const struct jmgpu_log_resp *o,
					__u32 plen, __u32 offset, __u32 max)
{
	__u32 l = le32_to_cpu(o->len), off = le32_to_cpu(o->offset);

	if (plen < sizeof(*o) || l != plen - sizeof(*o) || l > max ||
	    l > JMGPU_LOG_CHUNK || (__s32)(off - offset) < 0 ||
	    le32_to_cpu(o->next) != off + l || o->reserved)
		return JMGPU_REPLY_FIELD;
	return JMGPU_REPLY_OK;
}

/*
 * jmgpu_check_payload - the driver's check of the payload of a reply that
 * passed jmgpu_check_reply() with status OK.
 * @op: opcode of the request
 * @req: the request's payload (its fields are echoed or bound the reply)
 * @p: the reply's payload, @len bytes
 * @caps: the validated capabilities (unused for HELLO and GET_CAPS)
 * @max_granules: most FB granules the driver can track
 *
 * Return: JMGPU_REPLY_OK, LEN or FIELD.
 */
static inline int jmgpu_check_payload(unsigned int op, const void *req,
				      const void *p, __u32 len,
				      const struct jmgpu_caps *caps,
				      __u32 max_granules)
{
	int want = jmgpu_resp_payload_len(op);

	if (op == JMGPU_CMD_GET_LOG) {
		const struct jmgpu_log_req *r = req;

		return jmgpu_check_log_reply(p, len, le32_to_cpu(r->offset),
					     le32_to_cpu(r->max_len));
	}
	if (want < 0 || len != (__u32)want)
		return JMGPU_REPLY_LEN;
	switch (op) {
	case JMGPU_CMD_HELLO: {
		const struct jmgpu_hello_resp *o = p;

		return JMGPU_VERSION_MAJOR(le32_to_cpu(o->fw_version)) ==
		       JMGPU_FW_IFACE_MAJOR ? JMGPU_REPLY_OK : JMGPU_REPLY_FIELD;
	}
	case JMGPU_CMD_GET_CAPS: {
		const struct jmgpu_caps *c = p;

		if (jmgpu_check_caps(c) != JMGPU_REPLY_OK ||
		    le64_to_cpu(c->fb_size) / le32_to_cpu(c->fb_granule) >
		    max_granules)
			return JMGPU_REPLY_FIELD;
		return JMGPU_REPLY_OK;
	}
	case JMGPU_CMD_GET_SCHED:
		/* the request validator doubles as the reply field check */
		return jmgpu_check_sched(p) == JMGPU_STATUS_OK ?
		       JMGPU_REPLY_OK : JMGPU_REPLY_FIELD;
	case JMGPU_CMD_VF_QUERY:
		return jmgpu_check_query(p, caps, le32_to_cpu(
			((const struct jmgpu_vf_req *)req)->vf));
	case JMGPU_CMD_VF_GET_STATS:
		return jmgpu_check_stats(p, le32_to_cpu(
			((const struct jmgpu_vf_req *)req)->vf));
	case JMGPU_CMD_PING:
		return ((const struct jmgpu_ping *)p)->cookie ==
		       ((const struct jmgpu_ping *)req)->cookie ?
		       JMGPU_REPLY_OK : JMGPU_REPLY_FIELD;
	case JMGPU_CMD_FB_CLEAN_MAP: {
		const struct jmgpu_clean_map_req *r = req;

		return jmgpu_check_clean_map(p, le32_to_cpu(r->first),
					     le32_to_cpu(r->count),
					     le64_to_cpu(caps->fb_size) /
					     le32_to_cpu(caps->fb_granule));
	}
	default:
		return JMGPU_REPLY_OK;	/* no payload: nothing more */
	}
}

#endif /* JMGPU_FW_VALIDATE_H */

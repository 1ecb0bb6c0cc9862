// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_reply - the PF driver's decoding of a firmware reply, as
 * __jmgpu_mbox_call() and the jmgpu_fw_*() helpers do it: the header
 * (jmgpu_check_reply), the driver's reply buffer size, then the payload
 * (jmgpu_check_payload), then the use the driver makes of an accepted
 * reply. A reply accepted against a promise aborts.
 *
 * Input: [0] opcode index, [1..4] sequence number, [5..12] request
 * payload (the fields a reply echoes or is bounded by), [13..] the bytes
 * read from the mailbox's response buffer.
 */
#include "fuzz_common.h"

#define IN_HDR	13

/* The driver's reply buffer for @op (jmgpu_mbox.c), bytes. */
static uint32_t resp_max(unsigned int op)
{
	if (op == JMGPU_CMD_GET_LOG)
		return sizeof(struct jmgpu_log_resp) + JMGPU_LOG_CHUNK;
	return jmgpu_resp_payload_len(op) > 0 ? jmgpu_resp_payload_len(op) : 0;
}

#ifndef FUZZ_SEEDS
static void promises(unsigned int op, const uint8_t *req, const void *p,
		     uint32_t len, const struct jmgpu_caps *caps)
{
	uint64_t fb = le64toh(caps->fb_size);
	uint32_t gran = le32toh(caps->fb_granule);

	switch (op) {
	case JMGPU_CMD_HELLO:
		PROMISE(JMGPU_VERSION_MAJOR(le32toh(((const struct jmgpu_hello_resp *)p)->fw_version)) == JMGPU_FW_IFACE_MAJOR);
		break;
	case JMGPU_CMD_GET_CAPS: {
		const struct jmgpu_caps *c = p;
		uint64_t cfb = le64toh(c->fb_size), ap = le64toh(c->vf_aperture);
		uint32_t g = le32toh(c->fb_granule);

		PROMISE(g >= 4096 && !(g & (g - 1)));
		PROMISE(cfb && cfb % g == 0 && cfb / g <= FUZZ_MAX_GRANULES);
		PROMISE(ap >= g && ap <= cfb && !(ap & (ap - 1)));
		PROMISE(le32toh(c->max_vfs) >= 1 && le32toh(c->max_vfs) <= JMGPU_MAX_VFS);
		PROMISE(le32toh(c->max_weight) >= 1);
		break;
	}
	case JMGPU_CMD_GET_SCHED: {
		const struct jmgpu_sched *s = p;

		PROMISE(le32toh(s->policy) <= JMGPU_SCHED_MAX);
		PROMISE(le32toh(s->timeslice_us) >= JMGPU_SCHED_MIN_SLICE_US &&
			le32toh(s->timeslice_us) <= JMGPU_SCHED_MAX_SLICE_US);
		break;
	}
	case JMGPU_CMD_VF_QUERY: {
		const struct jmgpu_vf_config *v = p;
		uint64_t off = le64toh(v->fb_offset), size = le64toh(v->fb_size);

		PROMISE(v->vf == ((const struct jmgpu_vf_req *)req)->vf);
		PROMISE(!(le16toh(v->flags) & ~JMGPU_VF_CFG_ALL));
		PROMISE(size || !v->flags);
		if (size) {
			PROMISE(size % gran == 0 && off % gran == 0);
			PROMISE(off <= fb && size <= fb - off);
			PROMISE(size <= le64toh(caps->vf_aperture));
			PROMISE(le32toh(v->engine_weight) >= 1 &&
				le32toh(v->engine_weight) <= le32toh(caps->max_weight));
		}
		break;
	}
	case JMGPU_CMD_VF_GET_STATS:
		PROMISE(((const struct jmgpu_vf_stats *)p)->vf ==
			((const struct jmgpu_vf_req *)req)->vf);
		break;
	case JMGPU_CMD_PING:
		PROMISE(!memcmp(p, req, sizeof(struct jmgpu_ping)));
		break;
	case JMGPU_CMD_GET_LOG: {
		const struct jmgpu_log_req *r = (const void *)req;
		const struct jmgpu_log_resp *o = p;
		uint32_t l = le32toh(o->len), max = le32toh(r->max_len);
		char *dst = malloc(max ? max : 1);

		PROMISE(len == sizeof(*o) + l && l <= max);
		PROMISE(le32toh(o->next) == le32toh(o->offset) + l);
		/* jmgpu_fw_get_log(): memcpy into the caller's @max bytes */
		memcpy(dst, o->text, l);
		free(dst);
		break;
	}
	case JMGPU_CMD_FB_CLEAN_MAP: {
		const struct jmgpu_clean_map_req *r = (const void *)req;
		const struct jmgpu_clean_map *m = p;
		uint32_t granules = fb / gran, n = le32toh(m->count), i, set = 0;

		PROMISE(m->first == r->first);
		PROMISE(n <= le32toh(r->count) && le32toh(r->first) + n <= granules);
		/* jmgpu_fb_probe_scrub(): bit i -> granule first + i */
		for (i = 0; i < n; i++)
			set += jmgpu_clean_map_test(m, i);
		PROMISE(set == le32toh(m->clean));
		break;
	}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jmgpu_caps caps;
	const struct jmgpu_msg_hdr *h;
	uint8_t req[8], *buf, *payload;
	unsigned int op;
	uint32_t seq, n, len;

	if (size < IN_HDR)
		return 0;
	op = fuzz_ops[data[0] % FUZZ_NOPS];
	memcpy(&seq, data + 1, 4);
	seq = le32toh(seq);
	memcpy(req, data + 5, sizeof(req));
	fuzz_caps(&caps);
	/* requests as the driver sends them (in range) */
	if (op == JMGPU_CMD_GET_LOG) {
		struct jmgpu_log_req *r = (void *)req;

		r->max_len = htole32(le32toh(r->max_len) % (JMGPU_LOG_CHUNK + 1));
	} else if (op == JMGPU_CMD_FB_CLEAN_MAP) {
		struct jmgpu_clean_map_req *r = (void *)req;
		uint32_t granules = le64toh(caps.fb_size) / le32toh(caps.fb_granule);

		r->first = htole32(le32toh(r->first) % granules);
		r->count = htole32(1 + le32toh(r->count) % JMGPU_CLEAN_MAP_GRANULES);
	}
	/* exactly the reply bytes: a read past them is an ASan finding */
	n = size - IN_HDR;
	buf = malloc(n ? n : 1);
	memcpy(buf, data + IN_HDR, n);
	if (jmgpu_check_reply(buf, n, op, seq) != JMGPU_REPLY_OK)
		goto out;
	h = (const void *)buf;
	len = le32toh(h->len);
	PROMISE(n >= JMGPU_MSG_HDR_SIZE && len <= n - JMGPU_MSG_HDR_SIZE);
	PROMISE(le16toh(h->opcode) == op && le32toh(h->seq) == seq);
	if (le16toh(h->status) != JMGPU_STATUS_OK) {
		PROMISE(len == 0 && le16toh(h->status) <= JMGPU_STATUS_MAX);
		goto out;
	}
	if (len > resp_max(op))
		goto out;	/* the driver rejects it: oversized */
	/* the driver copies len bytes into its reply buffer */
	payload = malloc(len ? len : 1);
	memcpy(payload, buf + JMGPU_MSG_HDR_SIZE, len);
	if (jmgpu_check_payload(op, req, payload, len, &caps,
				FUZZ_MAX_GRANULES) == JMGPU_REPLY_OK)
		promises(op, req, payload, len, &caps);
	free(payload);
out:
	free(buf);
	return 0;
}
#else
/* Seed corpus: one valid reply to every command. */
int main(int argc, char **argv)
{
	static uint8_t in[IN_HDR + JMGPU_MBOX_SIZE];
	struct jmgpu_msg_hdr *h = (void *)(in + IN_HDR);
	uint8_t *p = in + IN_HDR + JMGPU_MSG_HDR_SIZE;
	unsigned int i, op;
	uint32_t len;
	char name[32];
	int r = 0;

	if (argc != 2)
		return 2;
	for (i = 0; i < FUZZ_NOPS; i++) {
		memset(in, 0, sizeof(in));
		op = fuzz_ops[i];
		in[0] = i;
		in[1] = 7;		/* seq 7 */
		len = resp_max(op);
		switch (op) {
		case JMGPU_CMD_HELLO:
			((struct jmgpu_hello_resp *)p)->fw_version = htole32(JMGPU_FW_IFACE_VERSION);
			break;
		case JMGPU_CMD_GET_CAPS:
			fuzz_caps((void *)p);
			break;
		case JMGPU_CMD_GET_SCHED:
			((struct jmgpu_sched *)p)->timeslice_us = htole32(1000);
			break;
		case JMGPU_CMD_VF_QUERY: {
			struct jmgpu_vf_config *v = (void *)p;

			in[5] = v->vf = 3;
			v->engine_weight = htole32(10);
			v->fb_offset = htole64(64 << 20);
			v->fb_size = htole64(64 << 20);
			break;
		}
		case JMGPU_CMD_VF_GET_STATS:
			in[5] = ((struct jmgpu_vf_stats *)p)->vf = 3;
			break;
		case JMGPU_CMD_PING:
			memcpy(in + 5, "cookie!!", 8);
			memcpy(p, "cookie!!", 8);
			break;
		case JMGPU_CMD_GET_LOG: {
			struct jmgpu_log_resp *o = (void *)p;

			in[9] = 5;	/* max_len 5: at the bound */
			o->len = htole32(5);
			o->next = htole32(5);
			memcpy(o->text, "hello", 5);
			len = sizeof(*o) + 5;
			break;
		}
		case JMGPU_CMD_FB_CLEAN_MAP: {
			struct jmgpu_clean_map *m = (void *)p;

			in[9] = 127;	/* count 128 */
			m->count = htole32(128);
			m->bits[0] = htole64(0xff00ff00ff00ff00ull);
			m->clean = htole32(32);
			break;
		}
		}
		h->opcode = htole16(op);
		h->seq = htole32(7);
		h->len = htole32(len);
		snprintf(name, sizeof(name), "ok-%02x", op);
		r |= fuzz_seed(argv[1], name, in, IN_HDR + JMGPU_MSG_HDR_SIZE + len);
		/* and an error reply */
		h->status = htole16(JMGPU_STATUS_BAD_PARAM);
		h->len = 0;
		snprintf(name, sizeof(name), "err-%02x", op);
		r |= fuzz_seed(argv[1], name, in, IN_HDR + JMGPU_MSG_HDR_SIZE);
	}
	return r;
}
#endif

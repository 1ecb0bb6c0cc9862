// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_request - the firmware side of the shared validators: a request as
 * the firmware model reads it from its mailbox (jmgpu_check_req_hdr, then
 * the per-command field checks), and an engine job descriptor
 * (jmgpu_check_job). An accepted input that would make the model index
 * out of VRAM or out of its tables aborts.
 *
 * Input: [0] opcode index (past the last opcode: a job descriptor),
 * [1] number of enabled VFs, [2..] the request (header + payload) or job.
 */
#include "fuzz_common.h"

#ifndef FUZZ_SEEDS
static void check_job(const uint8_t *data, size_t n)
{
	struct jmgpu_job j;

	if (n != sizeof(j))
		return;
	memcpy(&j, data, sizeof(j));
	if (jmgpu_check_job(&j) != JMGPU_FAULT_CODE_NONE)
		return;
	PROMISE(le32toh(j.opcode) <= JMGPU_JOB_FILL);
	PROMISE(!(le32toh(j.flags) & ~JMGPU_JOB_F_ALL));
	PROMISE(le32toh(j.opcode) == JMGPU_JOB_NOP ||
		(le64toh(j.len) && le64toh(j.len) <= JMGPU_JOB_MAX_LEN));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jmgpu_caps caps;
	struct jmgpu_msg_hdr h;
	uint8_t *payload;
	unsigned int op, idx;
	uint32_t num_vfs, len, avail;
	uint64_t fb;
	uint32_t gran;

	if (size < 2)
		return 0;
	idx = data[0] % (FUZZ_NOPS + 1);
	num_vfs = data[1] % (JMGPU_MAX_VFS + 1);
	if (idx == FUZZ_NOPS) {
		check_job(data + 2, size - 2);
		return 0;
	}
	if (size < 2 + JMGPU_MSG_HDR_SIZE)
		return 0;
	memcpy(&h, data + 2, sizeof(h));
	/* the header's opcode is the fuzzer's; idx only biases it */
	op = le16toh(h.opcode);
	if (data[0] & 0x80)
		h.opcode = htole16(op = fuzz_ops[idx]);
	avail = size - 2 - JMGPU_MSG_HDR_SIZE;
	if (jmgpu_check_req_hdr(&h, avail) != JMGPU_STATUS_OK)
		return 0;
	len = le32toh(h.len);
	PROMISE(jmgpu_req_payload_len(op) >= 0 &&
		len == (uint32_t)jmgpu_req_payload_len(op) && len <= avail);
	payload = malloc(len ? len : 1);
	memcpy(payload, data + 2 + JMGPU_MSG_HDR_SIZE, len);
	fuzz_caps(&caps);
	fb = le64toh(caps.fb_size);
	gran = le32toh(caps.fb_granule);
	switch (op) {
	case JMGPU_CMD_VF_PROVISION: {
		const struct jmgpu_vf_config *v = (void *)payload;
		uint64_t off = le64toh(v->fb_offset), sz = le64toh(v->fb_size);

		if (jmgpu_check_vf_config(v, &caps, num_vfs))
			break;
		PROMISE(le32toh(v->vf) < num_vfs);
		PROMISE(!(le16toh(v->flags) & ~JMGPU_VF_CFG_ALL));
		PROMISE(sz && sz % gran == 0 && off % gran == 0);
		PROMISE(off <= fb && sz <= fb - off);
		PROMISE(sz <= le64toh(caps.vf_aperture));
		PROMISE(le32toh(v->engine_weight) >= 1 &&
			le32toh(v->engine_weight) <= le32toh(caps.max_weight));
		break;
	}
	case JMGPU_CMD_VF_UNPROVISION:
	case JMGPU_CMD_VF_RESET:
	case JMGPU_CMD_VF_GET_STATS:
	case JMGPU_CMD_VF_QUERY:
	case JMGPU_CMD_VF_SCRUB:
		if (!jmgpu_check_vf_req((void *)payload, num_vfs))
			PROMISE(le32toh(((struct jmgpu_vf_req *)payload)->vf) < num_vfs);
		break;
	case JMGPU_CMD_SET_SCHED:
		if (!jmgpu_check_sched((void *)payload)) {
			const struct jmgpu_sched *s = (void *)payload;

			PROMISE(le32toh(s->policy) <= JMGPU_SCHED_MAX);
			PROMISE(le32toh(s->timeslice_us) >= JMGPU_SCHED_MIN_SLICE_US &&
				le32toh(s->timeslice_us) <= JMGPU_SCHED_MAX_SLICE_US);
		}
		break;
	case JMGPU_CMD_FB_SCRUB:
		if (!jmgpu_check_fb_range((void *)payload, &caps)) {
			const struct jmgpu_fb_range *r = (void *)payload;
			uint64_t off = le64toh(r->fb_offset);
			uint64_t sz = le64toh(r->fb_size);

			PROMISE(sz && sz % gran == 0 && off % gran == 0);
			PROMISE(off <= fb && sz <= fb - off);
		}
		break;
	case JMGPU_CMD_FB_CLEAN_MAP:
		if (!jmgpu_check_clean_map_req((void *)payload, fb / gran)) {
			const struct jmgpu_clean_map_req *r = (void *)payload;

			PROMISE(le32toh(r->first) < fb / gran);
			PROMISE(le32toh(r->count) >= 1 &&
				le32toh(r->count) <= JMGPU_CLEAN_MAP_GRANULES);
		}
		break;
	}
	free(payload);
	return 0;
}
#else
/* Seed corpus: a valid request of every command, a valid job. */
int main(int argc, char **argv)
{
	static uint8_t in[2 + JMGPU_MBOX_SIZE];
	struct jmgpu_msg_hdr *h = (void *)(in + 2);
	uint8_t *p = in + 2 + JMGPU_MSG_HDR_SIZE;
	struct jmgpu_job *j = (void *)(in + 2);
	unsigned int i, op;
	int len, r = 0;
	char name[32];

	if (argc != 2)
		return 2;
	for (i = 0; i < FUZZ_NOPS; i++) {
		memset(in, 0, sizeof(in));
		op = fuzz_ops[i];
		in[0] = i | 0x80;
		in[1] = 4;
		len = jmgpu_req_payload_len(op);
		switch (op) {
		case JMGPU_CMD_VF_PROVISION: {
			struct jmgpu_vf_config *v = (void *)p;

			v->vf = htole32(1);
			v->engine_weight = htole32(10);
			v->fb_offset = htole64(64 << 20);
			v->fb_size = htole64(64 << 20);
			break;
		}
		case JMGPU_CMD_SET_SCHED:
			((struct jmgpu_sched *)p)->timeslice_us = htole32(1000);
			break;
		case JMGPU_CMD_FB_SCRUB:
			((struct jmgpu_fb_range *)p)->fb_size = htole64(8 << 20);
			break;
		case JMGPU_CMD_FB_CLEAN_MAP:
			((struct jmgpu_clean_map_req *)p)->count = htole32(128);
			break;
		case JMGPU_CMD_VF_ENABLE:
			((struct jmgpu_vf_enable_req *)p)->num_vfs = htole32(4);
			break;
		}
		h->opcode = htole16(op);
		h->seq = htole32(1);
		h->len = htole32(len);
		snprintf(name, sizeof(name), "req-%02x", op);
		r |= fuzz_seed(argv[1], name, in, 2 + JMGPU_MSG_HDR_SIZE + len);
	}
	memset(in, 0, sizeof(in));
	in[0] = FUZZ_NOPS;
	j->opcode = htole32(JMGPU_JOB_COPY);
	j->flags = htole32(JMGPU_JOB_F_DST_FB | JMGPU_JOB_F_FENCE);
	j->len = htole64(4096);
	r |= fuzz_seed(argv[1], "job-copy", in, 2 + sizeof(*j));
	return r;
}
#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu PF driver: mailbox transport to the firmware.
 *
 * One request is outstanding at a time (mbox_lock). Every request carries a
 * fresh sequence number, completes by the mailbox MSI-X vector and has a
 * timeout. Every reply is validated before use: header (opcode, sequence,
 * status, reserved, length) with jmgpu_check_reply_hdr() and the payload
 * with the per-command validators. A timeout or a malformed reply fails the
 * request (-ETIMEDOUT / -EPROTO), marks the mailbox broken (later requests
 * fail fast with -EIO) and schedules recovery.
 */
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "jmgpu_pf.h"

const char *jmgpu_cmd_name(unsigned int opcode)
{
	switch (opcode) {
	case JMGPU_CMD_HELLO:		return "HELLO";
	case JMGPU_CMD_GET_CAPS:	return "GET_CAPS";
	case JMGPU_CMD_VF_ENABLE:	return "VF_ENABLE";
	case JMGPU_CMD_VF_DISABLE:	return "VF_DISABLE";
	case JMGPU_CMD_VF_PROVISION:	return "VF_PROVISION";
	case JMGPU_CMD_VF_UNPROVISION:	return "VF_UNPROVISION";
	case JMGPU_CMD_VF_RESET:	return "VF_RESET";
	case JMGPU_CMD_VF_GET_STATS:	return "VF_GET_STATS";
	case JMGPU_CMD_VF_QUERY:	return "VF_QUERY";
	case JMGPU_CMD_VF_MSG_REPLY:	return "VF_MSG_REPLY";
	case JMGPU_CMD_FB_SCRUB:	return "FB_SCRUB";
	case JMGPU_CMD_FB_CLEAN_MAP:	return "FB_CLEAN_MAP";
	case JMGPU_CMD_VF_SCRUB:	return "VF_SCRUB";
	case JMGPU_CMD_VF_MSG_ACK:	return "VF_MSG_ACK";
	case JMGPU_CMD_VF_EVENT_STATE:	return "VF_EVENT_STATE";
	case JMGPU_CMD_VF_SET_WEIGHT:	return "VF_SET_WEIGHT";
	case JMGPU_CMD_VF_SET_DISPLAY:	return "VF_SET_DISPLAY";
	case JMGPU_CMD_SET_SCHED:	return "SET_SCHED";
	case JMGPU_CMD_GET_SCHED:	return "GET_SCHED";
	case JMGPU_CMD_PING:		return "PING";
	case JMGPU_CMD_GET_LOG:		return "GET_LOG";
	default:			return "?";
	}
}

static int jmgpu_status_errno(unsigned int status)
{
	switch (status) {
	case JMGPU_STATUS_OK:		return 0;
	case JMGPU_STATUS_UNKNOWN_CMD:	return -EOPNOTSUPP;
	case JMGPU_STATUS_BAD_LEN:	return -EINVAL;
	case JMGPU_STATUS_BAD_PARAM:	return -EINVAL;
	case JMGPU_STATUS_BAD_VF:	return -ENXIO;
	case JMGPU_STATUS_BAD_STATE:	return -EBUSY;
	case JMGPU_STATUS_NO_SPACE:	return -ENOSPC;
	case JMGPU_STATUS_VERSION:	return -EPROTONOSUPPORT;
	case JMGPU_STATUS_BUSY:		return -EAGAIN;
	default:			return -EPROTO;
	}
}

irqreturn_t jmgpu_mbox_irq(int irq, void *data)
{
	struct jmgpu_pf *pf = data;
	u32 st = jmgpu_rd(pf, JMGPU_PF_INT_STATUS);

	if (st == U32_MAX || !(st & JMGPU_PF_INT_MBOX))
		return IRQ_NONE;
	jmgpu_wr(pf, JMGPU_PF_INT_STATUS, JMGPU_PF_INT_MBOX);
	complete(&pf->mbox_done);
	return IRQ_HANDLED;
}

static void jmgpu_trace(struct jmgpu_pf *pf, u32 seq, u16 opcode, int result,
			ktime_t start, u64 when_ns)
{
	struct jmgpu_trace_ent *e;
	unsigned long flags;

	spin_lock_irqsave(&pf->trace_lock, flags);
	e = &pf->trace[pf->trace_next];
	e->seq = seq;
	e->opcode = opcode;
	e->result = result;
	e->latency_us = ktime_us_delta(ktime_get(), start);
	e->when_ns = when_ns;
	pf->trace_next = (pf->trace_next + 1) % JMGPU_TRACE_LEN;
	pf->trace_total++;
	spin_unlock_irqrestore(&pf->trace_lock, flags);
}

/* Mark the transport broken and ask for recovery (not during recovery). */
static void jmgpu_mbox_fail(struct jmgpu_pf *pf, bool recovery,
			    const char *what)
{
	WRITE_ONCE(pf->mbox_broken, true);
	if (!recovery)
		jmgpu_schedule_recovery(pf, "%s", what);
}

static int __jmgpu_mbox_call(struct jmgpu_pf *pf, u16 opcode, const void *req,
			     u32 req_len, void *resp, u32 resp_max,
			     u32 *resp_len, bool recovery)
{
	struct jmgpu_msg_hdr hdr = {}, rh;
	char why[96];
	unsigned int status;
	u64 when = ktime_get_boottime_ns();
	unsigned int tmo = READ_ONCE(jmgpu_mbox_timeout_ms);
	ktime_t start;
	u32 seq, len, mst;
	int ret, err;

	if (req_len > JMGPU_MSG_MAX_PAYLOAD || (req_len && !req))
		return -EINVAL;
	if (READ_ONCE(pf->fw_dead))
		return -ENODEV;
	if (!recovery && READ_ONCE(pf->mbox_broken))
		return -EIO;

	mutex_lock(&pf->mbox_lock);
	if (!recovery && READ_ONCE(pf->mbox_broken)) {
		ret = -EIO;
		goto out_unlock;
	}
	seq = ++pf->seq;
	hdr.opcode = cpu_to_le16(opcode);
	hdr.seq = cpu_to_le32(seq);
	hdr.len = cpu_to_le32(req_len);
	memcpy_toio(pf->regs + JMGPU_PF_MBOX_REQ, &hdr, sizeof(hdr));
	if (req_len)
		memcpy_toio(pf->regs + JMGPU_PF_MBOX_REQ + sizeof(hdr), req,
			    req_len);
	reinit_completion(&pf->mbox_done);
	start = ktime_get();
	jmgpu_wr(pf, JMGPU_PF_MBOX_DOORBELL, 1);

	if (!wait_for_completion_timeout(&pf->mbox_done,
					 msecs_to_jiffies(tmo))) {
		/* a lost interrupt still leaves a usable reply behind */
		mst = jmgpu_rd(pf, JMGPU_PF_MBOX_STATUS);
		if (mst != JMGPU_MBOX_STATUS_DONE) {
			dev_err(jmgpu_dev(pf),
				"mailbox: %s seq %u timed out after %u ms (mailbox status %u)\n",
				jmgpu_cmd_name(opcode), seq, tmo, mst);
			ret = -ETIMEDOUT;
			snprintf(why, sizeof(why), "mailbox %s seq %u timed out",
				 jmgpu_cmd_name(opcode), seq);
			goto out_fail;
		}
		dev_warn(jmgpu_dev(pf), "mailbox: %s seq %u: reply without interrupt\n",
			 jmgpu_cmd_name(opcode), seq);
	}

	memcpy_fromio(&rh, pf->regs + JMGPU_PF_MBOX_RESP, sizeof(rh));
	err = jmgpu_check_reply_hdr(&rh, JMGPU_MSG_MAX_PAYLOAD, opcode, seq);
	if (err != JMGPU_REPLY_OK) {
		dev_err(jmgpu_dev(pf),
			"mailbox: reply to %s seq %u rejected: %s (opcode 0x%x seq %u status %u len %u reserved 0x%x)\n",
			jmgpu_cmd_name(opcode), seq, jmgpu_reply_err_str(err),
			le16_to_cpu(rh.opcode), le32_to_cpu(rh.seq),
			le16_to_cpu(rh.status), le32_to_cpu(rh.len),
			le32_to_cpu(rh.reserved));
		ret = -EPROTO;
		snprintf(why, sizeof(why), "malformed reply to %s seq %u: %s",
			 jmgpu_cmd_name(opcode), seq, jmgpu_reply_err_str(err));
		goto out_fail;
	}
	status = le16_to_cpu(rh.status);
	len = le32_to_cpu(rh.len);
	if (status != JMGPU_STATUS_OK) {
		ret = jmgpu_status_errno(status);
		dev_dbg(jmgpu_dev(pf), "mailbox: %s seq %u: firmware says %s\n",
			jmgpu_cmd_name(opcode), seq, jmgpu_status_str(status));
		jmgpu_trace(pf, seq, opcode, status, start, when);
		goto out_unlock;
	}
	if (len > resp_max) {
		dev_err(jmgpu_dev(pf),
			"mailbox: reply to %s seq %u rejected: %u payload bytes, %u expected\n",
			jmgpu_cmd_name(opcode), seq, len, resp_max);
		ret = -EPROTO;
		snprintf(why, sizeof(why), "oversized reply to %s seq %u",
			 jmgpu_cmd_name(opcode), seq);
		goto out_fail;
	}
	if (len)
		memcpy_fromio(resp, pf->regs + JMGPU_PF_MBOX_RESP + sizeof(rh),
			      len);
	if (resp_len)
		*resp_len = len;
	jmgpu_trace(pf, seq, opcode, 0, start, when);
	ret = 0;
	goto out_unlock;

out_fail:
	jmgpu_trace(pf, seq, opcode, ret, start, when);
	jmgpu_mbox_fail(pf, recovery, why);
out_unlock:
	mutex_unlock(&pf->mbox_lock);
	return ret;
}

/**
 * jmgpu_mbox_call - send one request to the firmware and wait for its reply
 * @pf: the PF
 * @opcode: JMGPU_CMD_*
 * @req: request payload (little-endian), may be NULL when @req_len is 0
 * @req_len: payload bytes
 * @resp: buffer for the reply payload
 * @resp_max: size of @resp; a longer reply is rejected
 * @resp_len: set to the reply payload length on success, may be NULL
 *
 * Return: 0, a firmware status mapped to an errno, -ETIMEDOUT or -EPROTO
 * (recovery scheduled), or -EIO while the mailbox is broken.
 */
int jmgpu_mbox_call(struct jmgpu_pf *pf, u16 opcode, const void *req,
		    u32 req_len, void *resp, u32 resp_max, u32 *resp_len)
{
	return __jmgpu_mbox_call(pf, opcode, req, req_len, resp, resp_max,
				 resp_len, false);
}

/**
 * jmgpu_fw_too_old - whether the firmware's interface lacks a command
 * @pf: the PF (fw_version read at HELLO)
 * @vf: the VF the refused request was for
 * @minor: first interface minor of the command
 * @refused: what is not done, e.g. "monitor not set"
 * @lacks: what the older firmware cannot do, e.g. "has no display command"
 *
 * When it is too old, logs "vf<N>: <refused>: firmware interface X.Y
 * <lacks> (needs X.<minor>)", so every such refusal reads the same.
 *
 * Return: true when the firmware is older than interface X.@minor.
 */
bool jmgpu_fw_too_old(struct jmgpu_pf *pf, u32 vf, u32 minor,
		      const char *refused, const char *lacks)
{
	if (JMGPU_VERSION_MINOR(pf->fw_version) >= minor)
		return false;
	dev_warn(jmgpu_dev(pf),
		 "vf%u: %s: firmware interface %u.%u %s (needs %u.%u)\n",
		 vf, refused, JMGPU_VERSION_MAJOR(pf->fw_version),
		 JMGPU_VERSION_MINOR(pf->fw_version), lacks,
		 JMGPU_FW_IFACE_MAJOR, minor);
	return true;
}

/**
 * jmgpu_mbox_call_recovery - jmgpu_mbox_call() for the recovery path
 * @pf: the PF
 * @opcode: JMGPU_CMD_*
 * @req: request payload
 * @req_len: payload bytes
 * @resp: reply payload buffer
 * @resp_max: size of @resp
 * @resp_len: reply payload length, may be NULL
 *
 * Works while the mailbox is marked broken and never schedules recovery.
 *
 * Return: as jmgpu_mbox_call().
 */
int jmgpu_mbox_call_recovery(struct jmgpu_pf *pf, u16 opcode, const void *req,
			     u32 req_len, void *resp, u32 resp_max,
			     u32 *resp_len)
{
	return __jmgpu_mbox_call(pf, opcode, req, req_len, resp, resp_max,
				 resp_len, true);
}

static int jmgpu_call(struct jmgpu_pf *pf, bool recovery, u16 opcode,
		      const void *req, u32 req_len, void *resp, u32 resp_max,
		      u32 *resp_len)
{
	return __jmgpu_mbox_call(pf, opcode, req, req_len, resp, resp_max,
				 resp_len, recovery);
}

/* A reply passed the header checks but a payload field is out of range. */
static int jmgpu_bad_payload(struct jmgpu_pf *pf, bool recovery, u16 opcode,
			     const char *field)
{
	char why[96];

	dev_err(jmgpu_dev(pf), "mailbox: reply to %s rejected: %s (%s)\n",
		jmgpu_cmd_name(opcode),
		jmgpu_reply_err_str(JMGPU_REPLY_FIELD), field);
	snprintf(why, sizeof(why), "malformed reply to %s: %s",
		 jmgpu_cmd_name(opcode), jmgpu_reply_err_str(JMGPU_REPLY_FIELD));
	jmgpu_mbox_fail(pf, recovery, why);
	return -EPROTO;
}

int jmgpu_fw_hello(struct jmgpu_pf *pf, bool recovery)
{
	struct jmgpu_hello_req req = {
		.driver_version = cpu_to_le32(JMGPU_FW_IFACE_VERSION),
	};
	struct jmgpu_hello_resp resp;
	u32 v;
	int ret;

	ret = jmgpu_call(pf, recovery, JMGPU_CMD_HELLO, &req, sizeof(req),
			 &resp, sizeof(resp), NULL);
	if (ret == -EPROTONOSUPPORT)
		dev_err(jmgpu_dev(pf),
			"firmware refused driver interface %u.%u\n",
			JMGPU_FW_IFACE_MAJOR, JMGPU_FW_IFACE_MINOR);
	if (ret)
		return ret;
	if (jmgpu_check_payload(JMGPU_CMD_HELLO, &req, &resp, sizeof(resp),
				&pf->caps, JMGPU_MAX_FB_GRANULES))
		return jmgpu_bad_payload(pf, recovery, JMGPU_CMD_HELLO,
					 "fw_version major");
	v = le32_to_cpu(resp.fw_version);
	pf->fw_version = v;
	pf->fw_build = le32_to_cpu(resp.fw_build);
	return 0;
}

int jmgpu_fw_get_caps(struct jmgpu_pf *pf, bool recovery)
{
	struct jmgpu_caps caps;
	int ret;

	ret = jmgpu_call(pf, recovery, JMGPU_CMD_GET_CAPS, NULL, 0, &caps,
			 sizeof(caps), NULL);
	if (ret)
		return ret;
	if (jmgpu_check_payload(JMGPU_CMD_GET_CAPS, NULL, &caps, sizeof(caps),
				NULL, JMGPU_MAX_FB_GRANULES))
		return jmgpu_bad_payload(pf, recovery, JMGPU_CMD_GET_CAPS,
					 "capability out of range");
	if (pf->fb_size && memcmp(&caps, &pf->caps, sizeof(caps))) {
		dev_err(jmgpu_dev(pf),
			"firmware capabilities changed across reset\n");
		return -EPROTO;
	}
	pf->caps = caps;
	pf->fb_size = le64_to_cpu(caps.fb_size);
	pf->vf_aperture = le64_to_cpu(caps.vf_aperture);
	pf->granule = le32_to_cpu(caps.fb_granule);
	pf->max_vfs = le32_to_cpu(caps.max_vfs);
	pf->max_weight = le32_to_cpu(caps.max_weight);
	pf->codec_total = le32_to_cpu(caps.codec_sessions);
	return 0;
}

int jmgpu_fw_set_sched(struct jmgpu_pf *pf, u32 policy, u32 slice, bool rec)
{
	struct jmgpu_sched s = {
		.policy = cpu_to_le32(policy),
		.timeslice_us = cpu_to_le32(slice),
	};

	return jmgpu_call(pf, rec, JMGPU_CMD_SET_SCHED, &s, sizeof(s), NULL, 0,
			  NULL);
}

int jmgpu_fw_get_sched(struct jmgpu_pf *pf, u32 *policy, u32 *slice)
{
	struct jmgpu_sched s;
	int ret;

	ret = jmgpu_call(pf, false, JMGPU_CMD_GET_SCHED, NULL, 0, &s,
			 sizeof(s), NULL);
	if (ret)
		return ret;
	if (jmgpu_check_payload(JMGPU_CMD_GET_SCHED, NULL, &s, sizeof(s),
				&pf->caps, JMGPU_MAX_FB_GRANULES))
		return jmgpu_bad_payload(pf, false, JMGPU_CMD_GET_SCHED,
					 "policy or time slice");
	*policy = le32_to_cpu(s.policy);
	*slice = le32_to_cpu(s.timeslice_us);
	return 0;
}

int jmgpu_fw_vf_cmd(struct jmgpu_pf *pf, u16 opcode, u32 vf, bool recovery)
{
	struct jmgpu_vf_req r = { .vf = cpu_to_le32(vf) };

	/* VF_DISABLE concerns all VFs and has no payload */
	if (opcode == JMGPU_CMD_VF_DISABLE)
		return jmgpu_call(pf, recovery, opcode, NULL, 0, NULL, 0, NULL);
	return jmgpu_call(pf, recovery, opcode, &r, sizeof(r), NULL, 0, NULL);
}

int jmgpu_fw_vf_enable(struct jmgpu_pf *pf, u32 num_vfs, bool recovery)
{
	struct jmgpu_vf_enable_req r = { .num_vfs = cpu_to_le32(num_vfs) };

	return jmgpu_call(pf, recovery, JMGPU_CMD_VF_ENABLE, &r, sizeof(r),
			  NULL, 0, NULL);
}

/* Send vf[vf].fw to the firmware (caller holds cfg_lock). */
int jmgpu_fw_vf_provision(struct jmgpu_pf *pf, u32 vf, bool recovery)
{
	const struct jmgpu_pf_vf_info *c = &pf->vf[vf].fw;
	struct jmgpu_vf_config w = {
		.vf = cpu_to_le32(vf),
		.engine_weight = cpu_to_le32(c->profile.engine_weight),
		.fb_offset = cpu_to_le64(c->fb_offset),
		.fb_size = cpu_to_le64(c->profile.fb_size),
		.codec_sessions = cpu_to_le32(c->profile.codec_sessions),
		.display_heads = cpu_to_le16(c->profile.display_heads),
		.flags = cpu_to_le16(pf->vf[vf].scrub_on_flr ?
				     JMGPU_VF_CFG_SCRUB_ON_FLR : 0),
		.max_width = cpu_to_le32(c->profile.max_width),
		.max_height = cpu_to_le32(c->profile.max_height),
	};

	return jmgpu_call(pf, recovery, JMGPU_CMD_VF_PROVISION, &w, sizeof(w),
			  NULL, 0, NULL);
}

int jmgpu_fw_vf_query(struct jmgpu_pf *pf, u32 vf, struct jmgpu_vf_config *c)
{
	struct jmgpu_vf_req r = { .vf = cpu_to_le32(vf) };
	int ret;

	ret = jmgpu_call(pf, false, JMGPU_CMD_VF_QUERY, &r, sizeof(r), c,
			 sizeof(*c), NULL);
	if (ret)
		return ret;
	if (jmgpu_check_payload(JMGPU_CMD_VF_QUERY, &r, c, sizeof(*c),
				&pf->caps, JMGPU_MAX_FB_GRANULES))
		return jmgpu_bad_payload(pf, false, JMGPU_CMD_VF_QUERY,
					 "vf index or provisioning");
	return 0;
}

int jmgpu_fw_get_stats(struct jmgpu_pf *pf, u32 vf, struct jmgpu_vf_stats *s)
{
	struct jmgpu_vf_req r = { .vf = cpu_to_le32(vf) };
	int ret;

	ret = jmgpu_call(pf, false, JMGPU_CMD_VF_GET_STATS, &r, sizeof(r), s,
			 sizeof(*s), NULL);
	if (ret)
		return ret;
	if (jmgpu_check_payload(JMGPU_CMD_VF_GET_STATS, &r, s, sizeof(*s),
				&pf->caps, JMGPU_MAX_FB_GRANULES))
		return jmgpu_bad_payload(pf, false, JMGPU_CMD_VF_GET_STATS,
					 "vf index or reserved");
	return 0;
}

/*
 * Acknowledge VF @vf's message @seq (the VF may send the next one).
 * -EBUSY: no such message in flight any more (the VF was reset meanwhile).
 */
int jmgpu_fw_vf_msg_ack(struct jmgpu_pf *pf, u32 vf, u32 seq)
{
	struct jmgpu_vf_msg_ack r = {
		.vf = cpu_to_le32(vf), .seq = cpu_to_le32(seq),
	};

	return jmgpu_call(pf, false, JMGPU_CMD_VF_MSG_ACK, &r, sizeof(r), NULL,
			  0, NULL);
}

/* The firmware's event and message totals of VF @vf. */
int jmgpu_fw_vf_event_state(struct jmgpu_pf *pf, u32 vf,
			    struct jmgpu_vf_event_state *es, bool recovery)
{
	struct jmgpu_vf_req r = { .vf = cpu_to_le32(vf) };
	int ret;

	ret = jmgpu_call(pf, recovery, JMGPU_CMD_VF_EVENT_STATE, &r, sizeof(r),
			 es, sizeof(*es), NULL);
	if (ret)
		return ret;
	if (jmgpu_check_event_state(es, vf) != JMGPU_REPLY_OK)
		return jmgpu_bad_payload(pf, recovery, JMGPU_CMD_VF_EVENT_STATE,
					 "vf index, pending bits or reserved");
	return 0;
}

/**
 * jmgpu_fw_ping - liveness check, the firmware echoes a cookie
 * @pf: the PF
 *
 * Return: 0, or a negative errno (-EPROTO when the cookie is not echoed).
 */
int jmgpu_fw_ping(struct jmgpu_pf *pf)
{
	struct jmgpu_ping req, resp;
	int ret;

	req.cookie = cpu_to_le64(ktime_get_ns() ^ 0x6a6d677075000000ULL);
	ret = jmgpu_call(pf, false, JMGPU_CMD_PING, &req, sizeof(req), &resp,
			 sizeof(resp), NULL);
	if (ret)
		return ret;
	if (jmgpu_check_payload(JMGPU_CMD_PING, &req, &resp, sizeof(resp),
				&pf->caps, JMGPU_MAX_FB_GRANULES))
		return jmgpu_bad_payload(pf, false, JMGPU_CMD_PING, "cookie");
	return 0;
}

/* Zero an unprovisioned granule-aligned VRAM range (caller: cfg_lock). */
int jmgpu_fw_fb_scrub(struct jmgpu_pf *pf, u64 off, u64 size)
{
	struct jmgpu_fb_range r = {
		.fb_offset = cpu_to_le64(off),
		.fb_size = cpu_to_le64(size),
	};

	return jmgpu_call(pf, false, JMGPU_CMD_FB_SCRUB, &r, sizeof(r), NULL,
			  0, NULL);
}

/* Clean bits of granules @first..@first+@count-1, checked. */
int jmgpu_fw_clean_map(struct jmgpu_pf *pf, u32 first, u32 count,
		       struct jmgpu_clean_map *m)
{
	struct jmgpu_clean_map_req r = {
		.first = cpu_to_le32(first),
		.count = cpu_to_le32(count),
	};
	int ret;

	ret = jmgpu_call(pf, false, JMGPU_CMD_FB_CLEAN_MAP, &r, sizeof(r), m,
			 sizeof(*m), NULL);
	if (ret)
		return ret;
	if (jmgpu_check_payload(JMGPU_CMD_FB_CLEAN_MAP, &r, m, sizeof(*m),
				&pf->caps, JMGPU_MAX_FB_GRANULES))
		return jmgpu_bad_payload(pf, false, JMGPU_CMD_FB_CLEAN_MAP,
					 "range, count or bits");
	return 0;
}

/* One chunk of the firmware log; @buf gets up to @max bytes. */
int jmgpu_fw_get_log(struct jmgpu_pf *pf, u32 offset, char *buf, u32 max,
		     u32 *len, u32 *next)
{
	struct jmgpu_log_req r = {
		.offset = cpu_to_le32(offset),
		.max_len = cpu_to_le32(min_t(u32, max, JMGPU_LOG_CHUNK)),
	};
	struct jmgpu_log_resp *o;
	u32 rlen, l;
	int ret;

	o = kmalloc(sizeof(*o) + JMGPU_LOG_CHUNK, GFP_KERNEL);
	if (!o)
		return -ENOMEM;
	ret = jmgpu_call(pf, false, JMGPU_CMD_GET_LOG, &r, sizeof(r), o,
			 sizeof(*o) + JMGPU_LOG_CHUNK, &rlen);
	if (ret)
		goto out;
	if (jmgpu_check_payload(JMGPU_CMD_GET_LOG, &r, o, rlen, &pf->caps,
				JMGPU_MAX_FB_GRANULES)) {
		ret = jmgpu_bad_payload(pf, false, JMGPU_CMD_GET_LOG,
					"len/offset/next");
		goto out;
	}
	l = le32_to_cpu(o->len);
	memcpy(buf, o->text, l);
	*len = l;
	*next = le32_to_cpu(o->next);
out:
	kfree(o);
	return ret;
}

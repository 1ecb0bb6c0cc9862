/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared bits of the firmware-reply fuzz harnesses: the validators under
 * test in userspace, a valid capability set (the model's) and a check
 * that aborts (a finding for libFuzzer) when an accepted input breaks a
 * promise the driver relies on.
 */
#ifndef JMGPU_FUZZ_COMMON_H
#define JMGPU_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmgpu_fw_validate.h"

#define FUZZ_MAX_GRANULES	(1u << 20)	/* the PF driver's limit */

/* accepted input that breaks @cond: report and abort */
#define PROMISE(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "accepted input breaks: %s (%s:%d)\n",	\
			#cond, __FILE__, __LINE__);			\
		abort();						\
	}								\
} while (0)

static inline void fuzz_caps(struct jmgpu_caps *c)
{
	memset(c, 0, sizeof(*c));
	c->fb_size = htole64(512ull << 20);
	c->vf_aperture = htole64(256ull << 20);
	c->fb_granule = htole32(4u << 20);
	c->max_vfs = htole32(32);
	c->num_engines = htole32(32);
	c->codec_sessions = htole32(64);
	c->display_heads = htole32(4);
	c->max_width = htole32(7680);
	c->max_height = htole32(4320);
	c->max_weight = htole32(100);
	c->engine_rate = htole32(1000);
}

/* Every opcode the protocol defines, indexed by an input byte. */
static const uint16_t fuzz_ops[] = {
	JMGPU_CMD_HELLO, JMGPU_CMD_GET_CAPS, JMGPU_CMD_VF_ENABLE,
	JMGPU_CMD_VF_DISABLE, JMGPU_CMD_VF_PROVISION,
	JMGPU_CMD_VF_UNPROVISION, JMGPU_CMD_VF_RESET,
	JMGPU_CMD_VF_GET_STATS, JMGPU_CMD_VF_QUERY, JMGPU_CMD_VF_MSG_REPLY,
	JMGPU_CMD_FB_SCRUB, JMGPU_CMD_FB_CLEAN_MAP, JMGPU_CMD_VF_SCRUB,
	JMGPU_CMD_SET_SCHED, JMGPU_CMD_GET_SCHED, JMGPU_CMD_PING,
	JMGPU_CMD_GET_LOG,
};
#define FUZZ_NOPS	(sizeof(fuzz_ops) / sizeof(fuzz_ops[0]))

/* write @n bytes to <dir>/<name> (seed corpus) */
static inline int fuzz_seed(const char *dir, const char *name,
			    const void *buf, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, n, f) != n) {
		perror(path);
		return 1;
	}
	return fclose(f) ? 1 : 0;
}

#endif

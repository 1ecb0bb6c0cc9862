// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_event - the driver's check of an event record read from the PF's
 * event ring (jmgpu_check_event): an accepted record names a defined
 * event and, but for FW_RESET_DONE, an enabled VF (the driver indexes its
 * per-VF tables with it).
 *
 * Input: [0] number of enabled VFs, [1..40] the record.
 */
#include "fuzz_common.h"

#ifndef FUZZ_SEEDS
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jmgpu_event e;
	uint32_t num_vfs;
	unsigned int type;

	if (size != 1 + sizeof(e))
		return 0;
	num_vfs = data[0] % (JMGPU_MAX_VFS + 1);
	memcpy(&e, data + 1, sizeof(e));
	if (jmgpu_check_event(&e, num_vfs) != JMGPU_REPLY_OK)
		return 0;
	type = le16toh(e.type);
	PROMISE(type >= 1 && type <= JMGPU_EVENT_MAX);
	PROMISE(type == JMGPU_EVENT_FW_RESET_DONE || le16toh(e.vf) < num_vfs);
	return 0;
}
#else
int main(int argc, char **argv)
{
	uint8_t in[1 + sizeof(struct jmgpu_event)];
	struct jmgpu_event e;
	char name[32];
	int t, r = 0;

	if (argc != 2)
		return 2;
	for (t = 1; t <= JMGPU_EVENT_MAX; t++) {
		memset(&e, 0, sizeof(e));
		e.type = htole16(t);
		e.vf = htole16(t == JMGPU_EVENT_FW_RESET_DONE ? 0 : 2);
		in[0] = 4;
		memcpy(in + 1, &e, sizeof(e));
		snprintf(name, sizeof(name), "event-%d", t);
		r |= fuzz_seed(argv[1], name, in, sizeof(in));
	}
	return r;
}
#endif

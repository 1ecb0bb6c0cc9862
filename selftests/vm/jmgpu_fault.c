// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu_fault - arm a fault in the jmgpu device model through the
 * test-only block of PF BAR0 (mmap of sysfs resource0), for the VM tests.
 *
 *   jmgpu_fault <pf-bdf> hang|drop|engine-hang <vf>|dma-error <vf>
 *   jmgpu_fault <pf-bdf> corrupt <kind 0..5>
 *   jmgpu_fault <pf-bdf> restart          the firmware restarts when the
 *                                         next request arrives (lost)
 *   jmgpu_fault <pf-bdf> on <CMD> drop|corrupt <kind>|restart
 *                                         the reply fault waits for a
 *                                         request CMD (HELLO, GET_CAPS, ...
 *                                         or a number; TEST_FAULT_OPCODE)
 *   jmgpu_fault <pf-bdf> [on <CMD>] skip <k> [keep] drop|corrupt <kind>|restart
 *                                         the reply fault lets k matching
 *                                         requests pass and hits the
 *                                         (k+1)-th (TEST_FAULT_SKIP);
 *                                         keep: it survives firmware
 *                                         resets until it fires
 *   jmgpu_fault <pf-bdf> armed            print the armed-fault mask
 *   jmgpu_fault <pf-bdf> reg <offset>     read a 32-bit PF register
 *   jmgpu_fault <pf-bdf> fw-version <M.m|0>
 *                                         firmware reports interface M.m
 *                                         (TEST_FW_VERSION; 0 clears it;
 *                                         sticky across PF resets)
 *   jmgpu_fault <pf-bdf> evq-drop <n>     the next n VF event records are
 *                                         lost at the ring (TEST_EVQ_DROP)
 *   jmgpu_fault <pf-bdf> fw-reset         PF CONTROL.RESET behind the
 *                                         driver's back (an unrequested
 *                                         firmware restart)
 *
 * The driver never touches the test block; only tests do.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "jmgpu_fw_iface.h"

static volatile uint32_t *regs;

static void wr(uint32_t off, uint32_t val)
{
	regs[off / 4] = val;
}

static uint32_t rd(uint32_t off)
{
	return regs[off / 4];
}

static int usage(void)
{
	fprintf(stderr, "usage: jmgpu_fault <pf-bdf> [on <CMD>] [skip <k> [keep]] hang|drop|corrupt <kind>|restart|engine-hang <vf>|dma-error <vf>|armed|reg <off>|evq-drop <n>|fw-version <M.m|0>|fw-reset\n");
	return 2;
}

static const struct {
	const char *name;
	unsigned int op;
} cmds[] = {
	{ "HELLO", JMGPU_CMD_HELLO }, { "GET_CAPS", JMGPU_CMD_GET_CAPS },
	{ "VF_ENABLE", JMGPU_CMD_VF_ENABLE },
	{ "VF_DISABLE", JMGPU_CMD_VF_DISABLE },
	{ "VF_PROVISION", JMGPU_CMD_VF_PROVISION },
	{ "VF_UNPROVISION", JMGPU_CMD_VF_UNPROVISION },
	{ "VF_RESET", JMGPU_CMD_VF_RESET },
	{ "VF_GET_STATS", JMGPU_CMD_VF_GET_STATS },
	{ "VF_QUERY", JMGPU_CMD_VF_QUERY },
	{ "VF_MSG_REPLY", JMGPU_CMD_VF_MSG_REPLY },
	{ "FB_SCRUB", JMGPU_CMD_FB_SCRUB },
	{ "FB_CLEAN_MAP", JMGPU_CMD_FB_CLEAN_MAP },
	{ "VF_SCRUB", JMGPU_CMD_VF_SCRUB },
	{ "SET_SCHED", JMGPU_CMD_SET_SCHED },
	{ "GET_SCHED", JMGPU_CMD_GET_SCHED }, { "PING", JMGPU_CMD_PING },
	{ "GET_LOG", JMGPU_CMD_GET_LOG },
};

/* Opcode of a command name or number; -1 when neither. */
static long cmd_opcode(const char *s)
{
	char *end;
	unsigned long v;
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(s, cmds[i].name))
			return cmds[i].op;
	v = strtoul(s, &end, 0);
	return *s && !*end && v <= 0xffff ? (long)v : -1;
}

int main(int argc, char **argv)
{
	char path[256];
	uint32_t fault, arg = 0, skip = 0;
	const char *what;
	long op = -1;
	int fd;

	if (argc >= 5 && !strcmp(argv[2], "on")) {
		op = cmd_opcode(argv[3]);
		if (op < 0)
			return usage();
		/* drop "on <CMD>": the rest reads as without it */
		argv[3] = argv[1];
		argv += 2;
		argc -= 2;
	}
	if (argc >= 5 && !strcmp(argv[2], "skip")) {
		char *end;

		skip = strtoul(argv[3], &end, 0);
		if (!*argv[3] || *end || skip & JMGPU_FAULT_SKIP_KEEP)
			return usage();
		argv[3] = argv[1];
		argv += 2;
		argc -= 2;
		if (argc >= 4 && !strcmp(argv[2], "keep")) {
			skip |= JMGPU_FAULT_SKIP_KEEP;
			argv[2] = argv[1];
			argv++;
			argc--;
		}
	}
	if (argc < 3)
		return usage();
	what = argv[2];
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource0",
		 argv[1]);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0) {
		fprintf(stderr, "jmgpu_fault: open %s: %s\n", path,
			strerror(errno));
		return 1;
	}
	regs = mmap(NULL, JMGPU_PF_BAR0_SIZE, PROT_READ | PROT_WRITE,
		    MAP_SHARED, fd, 0);
	if (regs == MAP_FAILED) {
		fprintf(stderr, "jmgpu_fault: mmap %s: %s\n", path,
			strerror(errno));
		return 1;
	}
	if (!strcmp(what, "reg") && argc == 4) {
		printf("0x%08x\n", rd(strtoul(argv[3], NULL, 0) & ~3u));
		return 0;
	}
	if (!strcmp(what, "fw-reset") && argc == 3) {
		wr(JMGPU_PF_CONTROL, JMGPU_PF_CONTROL_RESET);
		return 0;
	}
	wr(JMGPU_PF_TEST_UNLOCK, JMGPU_TEST_UNLOCK_KEY);
	if (!strcmp(what, "fw-version") && argc == 4) {
		unsigned int major = 0, minor = 0;
		uint32_t v = 0;

		if (strcmp(argv[3], "0")) {
			if (sscanf(argv[3], "%u.%u", &major, &minor) != 2 ||
			    major > 0xffff || minor > 0xffff)
				return usage();
			v = major << 16 | minor;
		}
		wr(JMGPU_PF_TEST_FW_VERSION, v);
		if (rd(JMGPU_PF_TEST_FW_VERSION) != v) {
			fprintf(stderr, "jmgpu_fault: TEST_FW_VERSION reads 0x%x, wrote 0x%x\n",
				rd(JMGPU_PF_TEST_FW_VERSION), v);
			return 1;
		}
		return 0;
	}
	if (!strcmp(what, "evq-drop") && argc == 4) {
		arg = strtoul(argv[3], NULL, 0);
		wr(JMGPU_PF_TEST_EVQ_DROP, arg);
		if (rd(JMGPU_PF_TEST_EVQ_DROP) != arg) {
			fprintf(stderr, "jmgpu_fault: TEST_EVQ_DROP reads %u, wrote %u\n",
				rd(JMGPU_PF_TEST_EVQ_DROP), arg);
			return 1;
		}
		return 0;
	}
	if (!strcmp(what, "armed")) {
		printf("0x%x\n", rd(JMGPU_PF_TEST_FAULT));
		return 0;
	}
	if (!strcmp(what, "hang")) {
		fault = JMGPU_FAULT_FW_HANG;
	} else if (!strcmp(what, "drop")) {
		fault = JMGPU_FAULT_DROP_REPLY;
	} else if (!strcmp(what, "restart")) {
		fault = JMGPU_FAULT_FW_RESET;
	} else if (!strcmp(what, "corrupt") && argc == 4) {
		fault = JMGPU_FAULT_CORRUPT_REPLY;
		arg = strtoul(argv[3], NULL, 0);
		if (arg > JMGPU_CORRUPT_MAX)
			return usage();
	} else if (!strcmp(what, "engine-hang") && argc == 4) {
		fault = JMGPU_FAULT_ENGINE_HANG;
		arg = strtoul(argv[3], NULL, 0);
	} else if (!strcmp(what, "dma-error") && argc == 4) {
		fault = JMGPU_FAULT_DMA_ERROR;
		arg = strtoul(argv[3], NULL, 0);
	} else {
		return usage();
	}
	if ((op >= 0 || skip) && fault != JMGPU_FAULT_DROP_REPLY &&
	    fault != JMGPU_FAULT_CORRUPT_REPLY && fault != JMGPU_FAULT_FW_RESET)
		return usage();
	wr(JMGPU_PF_TEST_FAULT_OPCODE, op >= 0 ? op : 0);
	if (rd(JMGPU_PF_TEST_FAULT_OPCODE) != (op >= 0 ? op : 0)) {
		fprintf(stderr, "jmgpu_fault: TEST_FAULT_OPCODE reads 0x%x\n",
			rd(JMGPU_PF_TEST_FAULT_OPCODE));
		return 1;
	}
	wr(JMGPU_PF_TEST_FAULT_SKIP, skip);
	if (rd(JMGPU_PF_TEST_FAULT_SKIP) != skip) {
		fprintf(stderr, "jmgpu_fault: TEST_FAULT_SKIP reads 0x%x\n",
			rd(JMGPU_PF_TEST_FAULT_SKIP));
		return 1;
	}
	wr(JMGPU_PF_TEST_FAULT_ARG, arg);
	wr(JMGPU_PF_TEST_FAULT, fault);
	/* a one-shot fault may already be consumed by a racing request */
	if (!(rd(JMGPU_PF_TEST_FAULT) & (1u << fault)))
		fprintf(stderr, "# jmgpu_fault: fault %u no longer armed (mask 0x%x)\n",
			fault, rd(JMGPU_PF_TEST_FAULT));
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu_resetpath - every way a vGPU's VF gets reset also resets it in the
 * firmware, exactly once (selftests/vm/58-mdev-reset-paths.sh).
 *
 *   jmgpu_resetpath <vf-bdf> <pf-bdf> <vf-index>
 *
 * For each path (the reset at open, an FLR written into the PCIe DevCtl
 * through the VFIO config region as a guest does, VFIO_DEVICE_RESET, the
 * host's sysfs "reset", VFIO_DEVICE_PCI_HOT_RESET, the last close) the VF
 * is first given state the firmware keeps for it (ring enabled with HEAD
 * advanced, a fence value, a DMA fault), then reset; afterwards that state
 * is gone, the firmware logged exactly one "reset vfN" (its VF_RESET
 * command; an FLR logs "flr vfN done" instead), and the VF runs a job.
 * The firmware log is the PF's debugfs fw_log ("[   s.us] text" lines).
 * TAP on stdout, plan first.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "jmgpu_engine.h"
#include "jmgpu_fw_iface.h"
#include "tap.h"
#include "vfio_dev.h"

#define IOVA_RING	0x100000ULL
#define IOVA_SRC	0x200000ULL
#define IOVA_DST	0x400000ULL
#define IOVA_UNMAPPED	0x7ff00000000ULL
#define LOG_MAX		(1u << 20)

static const char *pf, *bdf;
static unsigned int vfi;
static struct vfio_dev d;
static struct jmgpu_engine e;
static char why[512];

/* Firmware log lines "<text>" newer than @t0 (virtual seconds). */
static int fw_count_since(double t0, const char *text, double *last)
{
	static char buf[LOG_MAX];
	char path[128], *l, *save;
	ssize_t n, len = 0;
	int fd, cnt = 0;

	snprintf(path, sizeof(path), "/sys/kernel/debug/jmgpu/%s/fw_log", pf);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	while (len < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	for (l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *end;
		double ts;

		if (*l != '[')
			continue;
		ts = strtod(l + 1, &end);
		if (end == l + 1 || strncmp(end, "] ", 2))
			continue;
		if (last)
			*last = ts;
		if (ts > t0 && !strcmp(end + 2, text))
			cnt++;
	}
	return cnt;
}

static double fw_now(void)
{
	double t = 0;

	fw_count_since(0, "", &t);
	return t;
}

static int fw_resets_since(double t0)
{
	char want[32];

	snprintf(want, sizeof(want), "reset vf%u", vfi);
	return fw_count_since(t0, want, NULL);
}

/* The state the firmware keeps for the VF: ring on, HEAD, fence, fault. */
static int state_dirty(void)
{
	uint32_t ctrl = jmgpu_engine_rd(&e, JMGPU_VF_RING_CTRL);
	uint32_t head = jmgpu_engine_rd(&e, JMGPU_VF_RING_HEAD);
	uint32_t fence = jmgpu_engine_rd(&e, JMGPU_VF_FENCE_VALUE_LO);
	uint32_t fault = jmgpu_engine_rd(&e, JMGPU_VF_FAULT_STATUS);

	return (ctrl & JMGPU_RING_CTRL_ENABLE) && head && fence &&
	       fault != JMGPU_FAULT_CODE_NONE;
}

static int state_clean(void)
{
	uint32_t ctrl = jmgpu_engine_rd(&e, JMGPU_VF_RING_CTRL);
	uint32_t head = jmgpu_engine_rd(&e, JMGPU_VF_RING_HEAD);
	uint32_t fence = jmgpu_engine_rd(&e, JMGPU_VF_FENCE_VALUE_LO);
	uint32_t fault = jmgpu_engine_rd(&e, JMGPU_VF_FAULT_STATUS);
	uint32_t st = jmgpu_engine_rd(&e, JMGPU_VF_STATUS);

	snprintf(why, sizeof(why),
		 "RING_CTRL 0x%x HEAD %u FENCE %u FAULT %u STATUS 0x%x", ctrl,
		 head, fence, fault, st);
	return !(ctrl & JMGPU_RING_CTRL_ENABLE) && !head && !fence &&
	       fault == JMGPU_FAULT_CODE_NONE &&
	       !(st & JMGPU_VF_STATUS_ENGINE_FAULT);
}

/* Two good jobs (fence 2, HEAD 2), then one from an unmapped IOVA. */
static int dirty(void)
{
	uint64_t f;

	if (jmgpu_engine_restart(&e) ||
	    jmgpu_engine_run(&e, JMGPU_JOB_COPY, 0, IOVA_SRC, IOVA_DST, 4096,
			     0, 5000) ||
	    jmgpu_engine_run(&e, JMGPU_JOB_COPY, 0, IOVA_SRC, IOVA_DST, 4096,
			     0, 5000)) {
		tap_diag("%s: jobs before the reset: %s", bdf, e.err);
		return -1;
	}
	f = jmgpu_engine_submit(&e, JMGPU_JOB_COPY, 0, IOVA_UNMAPPED,
				IOVA_DST, 4096, 0);
	if (!f || !jmgpu_engine_wait(&e, f, 5000) || !state_dirty()) {
		state_clean();
		tap_diag("%s: no fault state before the reset: %s", bdf, why);
		return -1;
	}
	return 0;
}

static int job_runs(void)
{
	if (jmgpu_engine_restart(&e) ||
	    jmgpu_engine_run(&e, JMGPU_JOB_COPY, 0, IOVA_SRC, IOVA_DST, 4096,
			     0, 5000)) {
		tap_diag("%s: job after the reset: %s %s", bdf, e.err, d.err);
		return 0;
	}
	return 1;
}

static int pcie_cap(void)
{
	uint8_t pos = 0, id = 0;
	int n;

	if (vfio_dev_cfg_read(&d, 0x34, &pos, 1))
		return -1;
	for (n = 0; pos && n < 48; n++) {
		if (vfio_dev_cfg_read(&d, pos, &id, 1))
			return -1;
		if (id == 0x10)
			return pos;
		if (vfio_dev_cfg_read(&d, pos + 1, &pos, 1))
			return -1;
	}
	return -1;
}

static int reset_devctl(void)
{
	int cap = pcie_cap();
	uint16_t ctl;

	if (cap < 0 || vfio_dev_cfg_read(&d, cap + 8, &ctl, 2))
		return -1;
	ctl |= 0x8000;	/* Initiate Function Level Reset */
	return vfio_dev_cfg_write(&d, cap + 8, &ctl, 2);
}

static int reset_ioctl(void)
{
	return vfio_dev_reset(&d);
}

static int reset_sysfs(void)
{
	return pci_sysfs_write(bdf, "reset", "1");
}

/* One reset path, three rows: state cleared, one firmware reset, works. */
static void path(const char *name, int (*reset)(void))
{
	int ok_dirty = !dirty(), r, n;
	double t0 = fw_now();

	r = reset();
	if (r)
		tap_diag("%s: %s: %s", bdf, name, strerror(errno));
	n = fw_resets_since(t0);
	tap_ok(ok_dirty && !r && state_clean(),
	       "%s: ring, HEAD, fence and fault state the firmware kept are cleared",
	       name);
	if (ok_dirty && !r)
		tap_diag("%s after %s: %s", bdf, name, why);
	tap_ok(n == 1, "%s: the firmware reset the VF exactly once (%d VF_RESET)",
	       name, n);
	tap_ok(!r && job_runs(), "%s: the VF runs a job afterwards", name);
}

/*
 * VFIO_DEVICE_PCI_HOT_RESET resets the bus, i.e. the PF and every VF too:
 * vfio-pci-core allows it only when the user owns every device on the
 * bus, which a VF's user never does (the PF is bound to jmgpu_pf). So it
 * must be refused and change nothing.
 */
static void hot_reset(void)
{
	char buf[sizeof(struct vfio_pci_hot_reset) + sizeof(int32_t)];
	struct vfio_pci_hot_reset *hr = (void *)buf;
	int ok_dirty = !dirty(), r, n;
	double t0 = fw_now();

	hr->argsz = sizeof(buf);
	hr->flags = 0;
	hr->count = 1;
	hr->group_fds[0] = d.group;
	r = ioctl(d.fd, VFIO_DEVICE_PCI_HOT_RESET, hr);
	tap_diag("%s: VFIO_DEVICE_PCI_HOT_RESET: %d (%s)", bdf, r,
		 r ? strerror(errno) : "done");
	n = fw_resets_since(t0);
	tap_ok(ok_dirty && r && state_dirty() && n == 0,
	       "hot reset of a VF: refused by vfio-pci-core (the PF is not the user's), state kept, no firmware reset (%d)",
	       n);
}

int main(int argc, char **argv)
{
	double t0;
	int n, r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 4) {
		fprintf(stderr, "usage: jmgpu_resetpath <vf-bdf> <pf-bdf> <vf-index>\n");
		return 2;
	}
	bdf = argv[1];
	pf = argv[2];
	vfi = atoi(argv[3]);
	tap_plan(13);

	t0 = fw_now();
	r = vfio_dev_open(&d, bdf, NULL);
	n = fw_resets_since(t0);
	tap_ok(!r && n == 1, "open: the firmware reset the VF exactly once (%d VF_RESET)", n);
	if (r || jmgpu_engine_init(&e, &d, IOVA_RING, 64) ||
	    !vfio_dev_dma_alloc(&d, IOVA_SRC, 1 << 20) ||
	    !vfio_dev_dma_alloc(&d, IOVA_DST, 1 << 20)) {
		tap_diag("%s: set-up: %s %s", bdf, d.err, e.err);
		return 1;
	}
	tap_ok(job_runs(), "open: the VF runs a job");

	path("guest FLR (DevCtl through the VFIO config region)", reset_devctl);
	path("VFIO_DEVICE_RESET", reset_ioctl);
	path("host sysfs reset", reset_sysfs);
	hot_reset();

	/* the state is still there: the hot reset was refused */
	r = !state_dirty();
	t0 = fw_now();
	jmgpu_engine_fini(&e);
	vfio_dev_close(&d);
	n = fw_resets_since(t0);
	tap_ok(!r && n == 1, "last close: the firmware reset the VF exactly once (%d VF_RESET)", n);
	return tap_done();
}

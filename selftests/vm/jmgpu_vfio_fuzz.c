// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu_vfio_fuzz - a hostile VFIO user of one jmgpu VF
 * (selftests/vm/59-mdev-ioctl-guard.sh, 5a-mdev-vfio-fuzz.sh).
 *
 *   jmgpu_vfio_fuzz guards <vf>         every malformed argument that
 *                                       vfio-pci-core would have to catch:
 *                                       one TAP line each, errno checked
 *   jmgpu_vfio_fuzz fuzz <vf> [seed]    N typed random calls (N from
 *                                       JMGPU_FUZZ_N, default 20000)
 *
 * The fuzzer calls every ioctl the VF's vfio device accepts with typed
 * random arguments (GET_INFO, GET_REGION_INFO with capability chains,
 * GET_IRQ_INFO, SET_IRQS with eventfds, RESET, IOEVENTFD, hot reset and
 * its info, FEATURE, random command numbers) and reads/writes its regions
 * (config space, BARs with their trapped MSI-X part, the EDID region) at
 * random offsets and sizes. It uses only the VF's own device fd and group
 * fd, never the PF's or another VF's. The seed is printed first; the same
 * seed and N replay the same calls. Every call runs under an alarm: a
 * call that does not return ends the program with the call named. TAP on
 * stdout, plan first.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "jmgpu_fw_iface.h"
#include "tap.h"
#include "vfio_dev.h"

#define CALL_TIMEOUT_S	60	/* an FLR takes >= 100 ms, more on TCG */
#define NEVFD		4
#define BUFSZ		4096

static struct vfio_dev d;
static const char *bdf;

/* ------------------------------------------------------------------ */
/* guards                                                              */
/* ------------------------------------------------------------------ */

static int kmsg = -1;

/* Kernel log records since the last call: does one say "<bdf>: ... refused"? */
static int kmsg_refused(void)
{
	char rec[1024], want[64];
	int found = 0;
	ssize_t n;

	snprintf(want, sizeof(want), "%s: VF", bdf);
	while ((n = read(kmsg, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		if (n <= 0)
			continue;
		rec[n] = 0;
		if (strstr(rec, want) && strstr(rec, " refused: "))
			found = 1;
	}
	return found;
}

/*
 * A refused argument: the errno, and (EINVAL) the driver's dmesg line,
 * which only jmgpu_vfio_pci writes: an EINVAL from vfio-pci-core alone is
 * silent. The refusal lines are rate limited (10 per 5 s), so the rows
 * are paced.
 */
static int expect(int want, int ret, const char *what)
{
	int got = ret < 0 ? errno : 0;
	int logged = 1;

	if (want == EINVAL) {
		logged = kmsg_refused();
		usleep(600000);
	}
	tap_ok(ret < 0 && got == want && logged, "%s: %s%s", what,
	       strerror(want), want == EINVAL ? ", refused by jmgpu_vfio_pci (logged)" : "");
	if (!(ret < 0 && got == want))
		tap_diag("%s: got %d (%s)", what, ret,
			 ret < 0 ? strerror(got) : "success");
	else if (!logged)
		tap_diag("%s: no \"%s: VF..: ... refused: ...\" line in the kernel log",
			 what, bdf);
	return got == want;
}

static int region_of_type(uint32_t type, uint32_t subtype)
{
	unsigned int i;

	for (i = VFIO_PCI_NUM_REGIONS; i < d.info.num_regions; i++) {
		char buf[512];
		struct vfio_region_info *ri = (void *)buf;
		struct vfio_info_cap_header *h;
		uint32_t off;

		memset(buf, 0, sizeof(buf));
		ri->argsz = sizeof(buf);
		ri->index = i;
		if (ioctl(d.fd, VFIO_DEVICE_GET_REGION_INFO, ri) ||
		    !(ri->flags & VFIO_REGION_INFO_FLAG_CAPS))
			continue;
		for (off = ri->cap_offset; off && off + sizeof(*h) <= sizeof(buf);
		     off = h->next) {
			h = (void *)(buf + off);
			if (h->id == VFIO_REGION_INFO_CAP_TYPE) {
				struct vfio_region_info_cap_type *t = (void *)h;

				if (t->type == type && t->subtype == subtype)
					return i;
			}
		}
	}
	return -1;
}

static int ioeventfd(uint32_t argsz, uint32_t flags, uint64_t offset,
		     uint64_t data, int32_t fd)
{
	struct vfio_device_ioeventfd a = {
		.argsz = argsz, .flags = flags, .offset = offset,
		.data = data, .fd = fd,
	};

	return ioctl(d.fd, VFIO_DEVICE_IOEVENTFD, &a);
}

static int set_irqs(uint32_t argsz, uint32_t flags, uint32_t index,
		    uint32_t start, uint32_t count)
{
	char buf[sizeof(struct vfio_irq_set) + 8 * sizeof(int32_t)];
	struct vfio_irq_set *is = (void *)buf;

	memset(buf, 0xff, sizeof(buf));
	is->argsz = argsz;
	is->flags = flags;
	is->index = index;
	is->start = start;
	is->count = count;
	return ioctl(d.fd, VFIO_DEVICE_SET_IRQS, is);
}

static int cmd_guards(void)
{
	uint64_t bar0 = (uint64_t)VFIO_PCI_BAR0_REGION_INDEX << 40;
	uint64_t bar4 = (uint64_t)VFIO_PCI_BAR4_REGION_INDEX << 40;
	uint64_t cfg = (uint64_t)VFIO_PCI_CONFIG_REGION_INDEX << 40;
	uint32_t ioev_min = sizeof(struct vfio_device_ioeventfd);
	uint32_t w = VFIO_DEVICE_IOEVENTFD_32;
	uint64_t bar0_size, val = 0;
	struct vfio_region_info ri;
	struct vfio_irq_info ii;
	struct vfio_pci_hot_reset hr;
	struct vfio_device_info di;
	uint32_t nreg, msix_tbl;
	int efd, ret, n;
	char buf[8];

	tap_plan(31);
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (kmsg < 0 || lseek(kmsg, 0, SEEK_END) < 0) {
		perror("/dev/kmsg");
		return 1;
	}
	if (vfio_dev_open(&d, bdf, NULL))
		return 1;
	bar0_size = vfio_dev_region(&d, VFIO_PCI_BAR0_REGION_INDEX)->size;
	nreg = d.info.num_regions;
	/* the VF's MSI-X table: BIR/offset from its capability */
	msix_tbl = 0;
	{
		uint8_t pos = 0, id;
		uint32_t t;

		vfio_dev_cfg_read(&d, 0x34, &pos, 1);
		for (n = 0; pos && n < 48; n++) {
			vfio_dev_cfg_read(&d, pos, &id, 1);
			if (id == 0x11) {
				vfio_dev_cfg_read(&d, pos + 4, &t, 4);
				msix_tbl = t & ~7u;
				break;
			}
			vfio_dev_cfg_read(&d, pos + 1, &pos, 1);
		}
	}
	tap_diag("%s: %u regions, BAR0 %llu bytes, MSI-X table at BAR4+0x%x",
		 bdf, nreg, (unsigned long long)bar0_size, msix_tbl);
	efd = eventfd(0, EFD_CLOEXEC);

	/* IOEVENTFD: every field */
	expect(EINVAL, ioeventfd(4, w, bar0, 0, efd), "IOEVENTFD argsz 4");
	expect(EINVAL, ioeventfd(ioev_min, 0x10 | w, bar0, 0, efd),
	       "IOEVENTFD unknown flag 0x10");
	expect(EINVAL, ioeventfd(ioev_min, VFIO_DEVICE_IOEVENTFD_8 |
				 VFIO_DEVICE_IOEVENTFD_16, bar0, 0, efd),
	       "IOEVENTFD two write sizes");
	expect(EINVAL, ioeventfd(ioev_min, 0, bar0, 0, efd),
	       "IOEVENTFD no write size");
	expect(EINVAL, ioeventfd(ioev_min, w, bar0, 0, -2), "IOEVENTFD fd -2");
	expect(EINVAL, ioeventfd(ioev_min, w, cfg, 0, efd),
	       "IOEVENTFD into config space");
	expect(EINVAL, ioeventfd(ioev_min, w, (uint64_t)1 << 40, 0, efd),
	       "IOEVENTFD into absent BAR1");
	expect(EINVAL, ioeventfd(ioev_min, w, bar0 + bar0_size - 2, 0, efd),
	       "IOEVENTFD 4 bytes across BAR0's end");
	expect(EINVAL, ioeventfd(ioev_min, w, (uint64_t)nreg << 40, 0, efd),
	       "IOEVENTFD region index past the last region");
	expect(EINVAL, ioeventfd(ioev_min, w, bar4 + msix_tbl, 0, efd),
	       "IOEVENTFD into the MSI-X table");
	/* a good one still works: the eventfd's write lands in BAR0 */
	ret = ioeventfd(ioev_min, w, bar0 + JMGPU_VF_SCANOUT_WIDTH, 640, efd);
	if (!ret) {
		uint64_t one = 1;
		uint32_t got = 0;

		if (write(efd, &one, sizeof(one)) != sizeof(one))
			ret = -1;
		for (n = 0; n < 100 && got != 640; n++) {
			usleep(10000);
			vfio_dev_region_read(&d, VFIO_PCI_BAR0_REGION_INDEX,
					     JMGPU_VF_SCANOUT_WIDTH, &got, 4);
		}
		if (got != 640)
			tap_diag("SCANOUT_WIDTH %u after the eventfd fired", got);
		ret = got == 640 ? 0 : -1;
	} else {
		tap_diag("IOEVENTFD BAR0: %s", strerror(errno));
	}
	tap_ok(!ret, "IOEVENTFD into BAR0: the eventfd's write lands");
	expect(EEXIST, ioeventfd(ioev_min, w, bar0 + JMGPU_VF_SCANOUT_WIDTH,
				 640, efd), "IOEVENTFD the same again");
	tap_ok(!ioeventfd(ioev_min, w, bar0 + JMGPU_VF_SCANOUT_WIDTH, 640, -1),
	       "IOEVENTFD removed with fd -1");
	expect(ENODEV, ioeventfd(ioev_min, w, bar0 + JMGPU_VF_SCANOUT_WIDTH,
				 640, -1), "IOEVENTFD removed twice");

	/* info ioctls */
	memset(&di, 0, sizeof(di));
	di.argsz = 4;
	expect(EINVAL, ioctl(d.fd, VFIO_DEVICE_GET_INFO, &di), "GET_INFO argsz 4");
	memset(&ri, 0, sizeof(ri));
	ri.argsz = 4;
	expect(EINVAL, ioctl(d.fd, VFIO_DEVICE_GET_REGION_INFO, &ri),
	       "GET_REGION_INFO argsz 4");
	ri.argsz = sizeof(ri);
	ri.index = nreg;
	expect(EINVAL, ioctl(d.fd, VFIO_DEVICE_GET_REGION_INFO, &ri),
	       "GET_REGION_INFO index = number of regions");
	ri.index = 0xffffffff;
	expect(EINVAL, ioctl(d.fd, VFIO_DEVICE_GET_REGION_INFO, &ri),
	       "GET_REGION_INFO index 0xffffffff");
	memset(&ii, 0, sizeof(ii));
	ii.argsz = sizeof(ii);
	ii.index = VFIO_PCI_NUM_IRQS;
	expect(EINVAL, ioctl(d.fd, VFIO_DEVICE_GET_IRQ_INFO, &ii),
	       "GET_IRQ_INFO index = number of IRQ types");

	/* SET_IRQS */
	n = sizeof(struct vfio_irq_set);
	expect(EINVAL, set_irqs(8, VFIO_IRQ_SET_DATA_NONE |
				VFIO_IRQ_SET_ACTION_TRIGGER,
				VFIO_PCI_MSIX_IRQ_INDEX, 0, 0),
	       "SET_IRQS argsz 8");
	expect(EINVAL, set_irqs(n, VFIO_IRQ_SET_DATA_NONE |
				VFIO_IRQ_SET_ACTION_TRIGGER, 0x80000000, 0, 0),
	       "SET_IRQS index 0x80000000");
	expect(EINVAL, set_irqs(n, VFIO_IRQ_SET_DATA_NONE |
				VFIO_IRQ_SET_DATA_BOOL |
				VFIO_IRQ_SET_ACTION_TRIGGER,
				VFIO_PCI_MSIX_IRQ_INDEX, 0, 1),
	       "SET_IRQS two data types");
	expect(EINVAL, set_irqs(n, VFIO_IRQ_SET_DATA_NONE |
				VFIO_IRQ_SET_ACTION_TRIGGER,
				VFIO_PCI_MSIX_IRQ_INDEX, 0xffffffff, 2),
	       "SET_IRQS start + count overflows");
	expect(EINVAL, set_irqs(n + 4, VFIO_IRQ_SET_DATA_EVENTFD |
				VFIO_IRQ_SET_ACTION_TRIGGER,
				VFIO_PCI_MSIX_IRQ_INDEX, 0, 2),
	       "SET_IRQS 2 eventfds, argsz for 1");

	/* hot reset */
	memset(&hr, 0, sizeof(hr));
	hr.argsz = sizeof(hr);
	hr.flags = 1;
	expect(EINVAL, ioctl(d.fd, VFIO_DEVICE_PCI_HOT_RESET, &hr),
	       "PCI_HOT_RESET flags 1");
	hr.flags = 0;
	hr.count = 0x10000000;
	expect(EINVAL, ioctl(d.fd, VFIO_DEVICE_PCI_HOT_RESET, &hr),
	       "PCI_HOT_RESET count 2^28, argsz for 0");

	/* region reads and writes */
	expect(EINVAL, pread(d.fd, buf, 4, bar0 + bar0_size),
	       "read at BAR0's end");
	expect(EINVAL, pread(d.fd, buf, 4, (uint64_t)nreg << 40),
	       "read of region index = number of regions");
	expect(EINVAL, pwrite(d.fd, buf, 4, (uint64_t)(nreg + 7) << 40),
	       "write past the last region");

	/* last: the 6.12 core oopses on this one (negative BAR index) */
	expect(EINVAL, ioeventfd(ioev_min, w, bar0 | (1ULL << 63), 0, efd),
	       "IOEVENTFD offset with bit 63 set");

	/*
	 * An ioeventfd still set at close goes with the device: its eventfd
	 * firing afterwards writes nothing (the BAR is unmapped by then).
	 */
	ret = ioeventfd(ioev_min, w, bar0 + JMGPU_VF_SCANOUT_HEIGHT, 480, efd);
	vfio_dev_close(&d);
	{
		uint64_t one = 1;
		uint32_t h = 1;

		if (write(efd, &one, sizeof(one)) != sizeof(one))
			ret = -1;
		usleep(200000);
		if (vfio_dev_open(&d, bdf, NULL) ||
		    vfio_dev_region_read(&d, VFIO_PCI_BAR0_REGION_INDEX,
					 JMGPU_VF_SCANOUT_HEIGHT, &h, 4))
			ret = -1;
		tap_ok(!ret && h == 0,
		       "IOEVENTFD left set at close: its eventfd fires into nothing (SCANOUT_HEIGHT %u after reopen)",
		       h);
	}
	if (vfio_dev_region_read(&d, VFIO_PCI_BAR0_REGION_INDEX,
				 JMGPU_VF_STATUS, &val, 4))
		tap_diag("%s: BAR0 unreadable afterwards: %s", bdf, d.err);
	close(efd);
	close(kmsg);
	vfio_dev_close(&d);
	return tap_done();
}

/* ------------------------------------------------------------------ */
/* fuzz                                                                */
/* ------------------------------------------------------------------ */

static uint64_t rng;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

/* A size: mostly small and plausible, sometimes anything. */
static uint32_t rsize(uint32_t plausible)
{
	switch (below(8)) {
	case 0:
		return (uint32_t)rnd();
	case 1:
		return below(plausible + 1);
	default:
		return plausible + below(64);
	}
}

/* An offset in a region: near the start, near the end, or anywhere. */
static uint64_t roff(uint64_t size)
{
	switch (below(6)) {
	case 0:
		return rnd();
	case 1:
		return size + below(64);
	case 2:
		return size > 8 ? size - 1 - below(8) : 0;
	default:
		return size ? below(size) : below(4096);
	}
}

static unsigned int nregions, edid_index;
static int evfd[NEVFD];
static const char *cur_op = "none";
static unsigned long cur_call;

static void on_alarm(int sig)
{
	char msg[160];
	int n;

	(void)sig;
	n = snprintf(msg, sizeof(msg),
		     "not ok 1 - call %lu (%s) did not return within %d s\n",
		     cur_call, cur_op, CALL_TIMEOUT_S);
	if (write(1, msg, n) < 0)
		_exit(3);
	_exit(1);
}

enum op {
	OP_GET_INFO, OP_REGION_INFO, OP_IRQ_INFO, OP_SET_IRQS, OP_RESET,
	OP_IOEVENTFD, OP_HOT_RESET_INFO, OP_HOT_RESET, OP_FEATURE,
	OP_RANDOM_CMD, OP_READ, OP_WRITE, OP_CFG_WRITE, OP_EDID, NR_OPS
};

static const char *const op_name[NR_OPS] = {
	"GET_INFO", "GET_REGION_INFO", "GET_IRQ_INFO", "SET_IRQS", "RESET",
	"IOEVENTFD", "GET_PCI_HOT_RESET_INFO", "PCI_HOT_RESET", "FEATURE",
	"random ioctl", "region read", "region write", "config write",
	"EDID region",
};

/* relative frequency; RESET is an FLR (>= 100 ms): rare */
static const unsigned int op_weight[NR_OPS] = {
	4, 10, 6, 10, 1, 10, 3, 3, 6, 6, 16, 12, 6, 8,
};

static unsigned long op_calls[NR_OPS], op_ok[NR_OPS];

static enum op pick(void)
{
	unsigned int i, sum = 0, r;

	for (i = 0; i < NR_OPS; i++)
		sum += op_weight[i];
	r = below(sum);
	for (i = 0; i < NR_OPS; i++) {
		if (r < op_weight[i])
			return i;
		r -= op_weight[i];
	}
	return OP_GET_INFO;
}

static uint32_t rnd_index(uint32_t n)
{
	return below(4) ? below(n + 2) : (uint32_t)rnd();
}

/* Size of region @r, 0 when absent or not one vfio_dev tracks. */
static uint64_t region_size(uint32_t r)
{
	const struct vfio_region_info *ri;

	if (r >= VFIO_DEV_MAX_REGIONS)
		return 0;
	ri = vfio_dev_region(&d, r);
	return ri ? ri->size : 0;
}

static int32_t rfd(void)
{
	switch (below(6)) {
	case 0:
		return -1;
	case 1:
		return (int32_t)rnd();
	case 2:
		return d.group;
	default:
		return evfd[below(NEVFD)];
	}
}

static long one_call(enum op op, uint8_t *buf)
{
	uint64_t off, size;
	uint32_t *w = (uint32_t *)buf;
	unsigned int i, n;

	memset(buf, 0, BUFSZ);
	switch (op) {
	case OP_GET_INFO:
		w[0] = rsize(sizeof(struct vfio_device_info));
		if (w[0] > BUFSZ)
			w[0] = BUFSZ;
		return ioctl(d.fd, VFIO_DEVICE_GET_INFO, buf);
	case OP_REGION_INFO: {
		struct vfio_region_info *ri = (void *)buf;

		/* argsz up to the buffer: capability chains come back */
		ri->argsz = below(2) ? BUFSZ : rsize(sizeof(*ri));
		if (ri->argsz > BUFSZ)
			ri->argsz = BUFSZ;
		ri->index = rnd_index(nregions);
		return ioctl(d.fd, VFIO_DEVICE_GET_REGION_INFO, ri);
	}
	case OP_IRQ_INFO: {
		struct vfio_irq_info *ii = (void *)buf;

		ii->argsz = rsize(sizeof(*ii));
		ii->index = rnd_index(VFIO_PCI_NUM_IRQS);
		return ioctl(d.fd, VFIO_DEVICE_GET_IRQ_INFO, ii);
	}
	case OP_SET_IRQS: {
		struct vfio_irq_set *is = (void *)buf;
		int32_t *fds = (int32_t *)is->data;

		is->index = below(4) ? below(VFIO_PCI_NUM_IRQS) :
				       (uint32_t)rnd();
		is->flags = (1u << below(3)) | (1u << (3 + below(3)));
		if (!below(8))
			is->flags = rnd();
		is->start = below(4) ? below(3) : (uint32_t)rnd();
		is->count = below(4) ? below(4) : (uint32_t)rnd();
		n = is->count < 64 ? is->count : 64;
		if (below(2)) {
			/* well-formed: MSI-X vectors to eventfds (or off) */
			is->index = VFIO_PCI_MSIX_IRQ_INDEX;
			is->flags = VFIO_IRQ_SET_ACTION_TRIGGER |
				    (below(4) ? VFIO_IRQ_SET_DATA_EVENTFD :
						VFIO_IRQ_SET_DATA_NONE);
			is->start = below(2);
			is->count = is->flags & VFIO_IRQ_SET_DATA_NONE ?
				    0 : 1 + below(2 - is->start);
			n = is->count;
		}
		for (i = 0; i < n; i++)
			fds[i] = is->flags & VFIO_IRQ_SET_DATA_BOOL ?
				 (int32_t)below(2) : rfd();
		is->argsz = sizeof(*is) + n * sizeof(int32_t);
		if (!below(8))
			is->argsz = rsize(is->argsz);
		if (is->argsz > BUFSZ)
			is->argsz = BUFSZ;
		return ioctl(d.fd, VFIO_DEVICE_SET_IRQS, is);
	}
	case OP_RESET:
		return ioctl(d.fd, VFIO_DEVICE_RESET);
	case OP_IOEVENTFD: {
		struct vfio_device_ioeventfd *a = (void *)buf;
		uint32_t bar = below(4) ? 2 * below(3) : rnd_index(nregions);

		a->argsz = rsize(sizeof(*a));
		a->flags = below(6) ? 1u << below(4) : (uint32_t)rnd();
		size = bar <= 5 ? region_size(bar) : 0;
		a->offset = ((uint64_t)bar << 40) + roff(size);
		if (!below(16))
			a->offset = rnd();
		/* only harmless targets: BAR0's scanout registers */
		if (bar == 0 && below(2))
			a->offset = JMGPU_VF_SCANOUT_WIDTH + 4 * below(3);
		a->data = rnd();
		a->fd = rfd();
		return ioctl(d.fd, VFIO_DEVICE_IOEVENTFD, a);
	}
	case OP_HOT_RESET_INFO: {
		struct vfio_pci_hot_reset_info *h = (void *)buf;

		h->argsz = below(2) ? BUFSZ : rsize(sizeof(*h));
		if (h->argsz > BUFSZ)
			h->argsz = BUFSZ;
		return ioctl(d.fd, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, h);
	}
	case OP_HOT_RESET: {
		struct vfio_pci_hot_reset *h = (void *)buf;

		h->flags = below(4) ? 0 : (uint32_t)rnd();
		h->count = below(4) ? below(3) : (uint32_t)rnd();
		n = h->count < 64 ? h->count : 64;
		for (i = 0; i < n; i++)
			h->group_fds[i] = rfd();
		h->argsz = sizeof(*h) + n * sizeof(int32_t);
		if (!below(4))
			h->argsz = rsize(h->argsz);
		if (h->argsz > BUFSZ)
			h->argsz = BUFSZ;
		return ioctl(d.fd, VFIO_DEVICE_PCI_HOT_RESET, h);
	}
	case OP_FEATURE: {
		struct vfio_device_feature *f = (void *)buf;

		f->flags = (below(4) ? below(12) : (uint32_t)rnd() & 0xffff) |
			   (uint32_t)(rnd() & (VFIO_DEVICE_FEATURE_GET |
					       VFIO_DEVICE_FEATURE_SET |
					       VFIO_DEVICE_FEATURE_PROBE));
		if (!below(8))
			f->flags = rnd();
		f->argsz = rsize(sizeof(*f) + 32);
		if (f->argsz > BUFSZ)
			f->argsz = BUFSZ;
		for (i = 0; i < 8; i++)
			((uint32_t *)f->data)[i] = below(2) ? (uint32_t)rfd() : (uint32_t)rnd();
		return ioctl(d.fd, VFIO_DEVICE_FEATURE, f);
	}
	case OP_RANDOM_CMD: {
		unsigned long cmd = below(2) ?
			_IO(VFIO_TYPE, VFIO_BASE + below(40)) :
			(unsigned long)(uint32_t)rnd();

		/* the ones with a meaning are done typed, above */
		if (cmd == VFIO_DEVICE_RESET ||
		    cmd == VFIO_DEVICE_PCI_HOT_RESET)
			cmd = _IO(VFIO_TYPE, VFIO_BASE + 40);
		w[0] = rsize(64);
		for (i = 1; i < 32; i++)
			w[i] = rnd();
		return ioctl(d.fd, cmd, buf);
	}
	case OP_READ:
	case OP_WRITE:
	case OP_CFG_WRITE:
	case OP_EDID: {
		uint32_t r = op == OP_CFG_WRITE ? VFIO_PCI_CONFIG_REGION_INDEX :
			     op == OP_EDID ? edid_index :
			     below(4) ? below(nregions) : rnd_index(nregions);
		size_t len = below(4) ? 1u << below(4) : below(BUFSZ + 1);

		size = region_size(r);
		if (op == OP_EDID)
			size = 0x100 + 512;
		off = roff(size);
		if (op == OP_EDID && below(2))
			off = 4 * below(8);	/* the register block */
		for (i = 0; i < len / 4; i++)
			w[i] = rnd();
		off |= (uint64_t)r << 40;
		if (!below(32))
			off = rnd() & ~(1ULL << 63);
		if (op == OP_READ || (op == OP_EDID && below(2)))
			return pread(d.fd, buf, len, off);
		return pwrite(d.fd, buf, len, off);
	}
	default:
		return -1;
	}
}

static int cmd_fuzz(uint64_t seed, unsigned long ncalls)
{
	static uint8_t buf[BUFSZ + 64];
	struct sigaction sa;
	unsigned int i;
	double t;
	struct timespec t0, t1;

	tap_plan(1);
	tap_diag("seed %llu, %lu calls (replay: JMGPU_FUZZ_N=%lu jmgpu_vfio_fuzz fuzz %s %llu)",
		 (unsigned long long)seed, ncalls, ncalls, bdf,
		 (unsigned long long)seed);
	rng = seed ? seed : 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	if (vfio_dev_open(&d, bdf, NULL))
		return 1;
	d.quiet = 1;
	nregions = d.info.num_regions;
	edid_index = region_of_type(VFIO_REGION_TYPE_GFX,
				    VFIO_REGION_SUBTYPE_GFX_EDID);
	tap_diag("%s: %u regions, EDID region %d", bdf, nregions,
		 (int)edid_index);
	for (i = 0; i < NEVFD; i++)
		evfd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (cur_call = 0; cur_call < ncalls; cur_call++) {
		enum op op = pick();

		cur_op = op_name[op];
		alarm(CALL_TIMEOUT_S);
		op_calls[op]++;
		if (one_call(op, buf) >= 0)
			op_ok[op]++;
		alarm(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	t = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	for (i = 0; i < NR_OPS; i++)
		tap_diag("%-22s %6lu calls, %6lu succeeded", op_name[i],
			 op_calls[i], op_ok[i]);
	tap_ok(1, "%lu calls on %s, every one returned (%.1f s, seed %llu)",
	       ncalls, bdf, t, (unsigned long long)seed);
	cur_op = "close";
	alarm(CALL_TIMEOUT_S);
	vfio_dev_close(&d);
	alarm(0);
	return tap_done();
}

int main(int argc, char **argv)
{
	const char *n = getenv("JMGPU_FUZZ_N");
	uint64_t seed;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && !strcmp(argv[1], "guards")) {
		bdf = argv[2];
		return cmd_guards();
	}
	if (argc >= 3 && !strcmp(argv[1], "fuzz")) {
		bdf = argv[2];
		seed = argc > 3 ? strtoull(argv[3], NULL, 0) :
		       (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
		return cmd_fuzz(seed, n && *n ? strtoul(n, NULL, 0) : 20000);
	}
	fprintf(stderr, "usage: see the comment at the top of jmgpu_vfio_fuzz.c\n");
	return 2;
}

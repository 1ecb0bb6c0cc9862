// SPDX-License-Identifier: GPL-2.0
/*
 * vfio_dev - userspace "guest driver" library over the legacy VFIO
 * container/group uAPI. See vfio_dev.h for the API.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/pci_regs.h>

#include "vfio_dev.h"

__attribute__((format(printf, 2, 3)))
static int fail(struct vfio_dev *d, const char *fmt, ...)
{
	int e = errno;
	va_list ap;
	int n;

	n = snprintf(d->err, sizeof(d->err), "%s: ", d->bdf[0] ? d->bdf : "?");
	va_start(ap, fmt);
	vsnprintf(d->err + n, sizeof(d->err) - n, fmt, ap);
	va_end(ap);
	if (!d->quiet)
		fprintf(stderr, "# vfio_dev: %s\n", d->err);
	errno = e;
	return -1;
}

#define FAIL_ERRNO(d, fmt, ...) \
	fail(d, fmt ": %s (errno %d)", ##__VA_ARGS__, strerror(errno), errno)

static void init_state(struct vfio_dev *d, const char *bdf)
{
	int quiet = d->quiet;
	unsigned int i;

	memset(d, 0, sizeof(*d));
	d->quiet = quiet;
	d->container = d->group = d->fd = -1;
	d->group_id = -1;
	for (i = 0; i < VFIO_DEV_MAX_IRQS; i++)
		d->irq_fd[i] = -1;
	snprintf(d->bdf, sizeof(d->bdf), "%s", bdf);
}

int pci_iommu_group(const char *bdf)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *base;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = 0;
	base = strrchr(link, '/');
	return atoi(base ? base + 1 : link);
}

int vfio_dev_open(struct vfio_dev *d, const char *bdf, const char *vf_token)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	char path[64], name[128];
	int iommu_type;
	unsigned int i;

	init_state(d, bdf);

	d->group_id = pci_iommu_group(bdf);
	if (d->group_id < 0)
		return FAIL_ERRNO(d, "no IOMMU group (/sys/bus/pci/devices/%s/iommu_group)",
				  bdf);

	d->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (d->container < 0)
		return FAIL_ERRNO(d, "open /dev/vfio/vfio");
	if (ioctl(d->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION) {
		errno = EINVAL;
		FAIL_ERRNO(d, "VFIO_GET_API_VERSION is not %d", VFIO_API_VERSION);
		goto err;
	}
	if (ioctl(d->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) > 0)
		iommu_type = VFIO_TYPE1v2_IOMMU;
	else if (ioctl(d->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) > 0)
		iommu_type = VFIO_TYPE1_IOMMU;
	else {
		errno = ENODEV;
		FAIL_ERRNO(d, "container offers no type1 IOMMU (vfio_iommu_type1 loaded?)");
		goto err;
	}

	snprintf(path, sizeof(path), "/dev/vfio/%d", d->group_id);
	d->group = open(path, O_RDWR | O_CLOEXEC);
	if (d->group < 0) {
		FAIL_ERRNO(d, "open %s (device bound to vfio-pci? group in use?)",
			   path);
		goto err;
	}
	if (ioctl(d->group, VFIO_GROUP_GET_STATUS, &gs)) {
		FAIL_ERRNO(d, "VFIO_GROUP_GET_STATUS of group %d", d->group_id);
		goto err;
	}
	if (!(gs.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		errno = EBUSY;
		FAIL_ERRNO(d, "IOMMU group %d not viable (all its devices must be bound to vfio drivers)",
			   d->group_id);
		goto err;
	}
	if (ioctl(d->group, VFIO_GROUP_SET_CONTAINER, &d->container)) {
		FAIL_ERRNO(d, "VFIO_GROUP_SET_CONTAINER group %d", d->group_id);
		goto err;
	}
	if (ioctl(d->container, VFIO_SET_IOMMU, iommu_type)) {
		FAIL_ERRNO(d, "VFIO_SET_IOMMU type %d (interrupt remapping?)",
			   iommu_type);
		goto err;
	}

	if (vf_token)
		snprintf(name, sizeof(name), "%s vf_token=%s", bdf, vf_token);
	else
		snprintf(name, sizeof(name), "%s", bdf);
	d->fd = ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, name);
	if (d->fd < 0) {
		FAIL_ERRNO(d, "VFIO_GROUP_GET_DEVICE_FD \"%s\"%s", name,
			   errno == EACCES ? " (VF token missing or wrong?)" : "");
		goto err;
	}

	d->info.argsz = sizeof(d->info);
	if (ioctl(d->fd, VFIO_DEVICE_GET_INFO, &d->info)) {
		FAIL_ERRNO(d, "VFIO_DEVICE_GET_INFO");
		goto err;
	}
	if (!(d->info.flags & VFIO_DEVICE_FLAGS_PCI)) {
		errno = ENODEV;
		FAIL_ERRNO(d, "not a VFIO PCI device (flags 0x%x)", d->info.flags);
		goto err;
	}
	for (i = 0; i < d->info.num_regions && i < VFIO_DEV_MAX_REGIONS; i++) {
		struct vfio_region_info *ri = &d->region[i].info;

		ri->argsz = sizeof(*ri);
		ri->index = i;
		if (ioctl(d->fd, VFIO_DEVICE_GET_REGION_INFO, ri)) {
			if (errno == EINVAL) {	/* region absent */
				memset(ri, 0, sizeof(*ri));
				continue;
			}
			FAIL_ERRNO(d, "VFIO_DEVICE_GET_REGION_INFO %u", i);
			goto err;
		}
	}
	return 0;
err:
	{
		int e = errno;
		char msg[sizeof(d->err)];

		memcpy(msg, d->err, sizeof(msg));
		vfio_dev_close(d);
		memcpy(d->err, msg, sizeof(msg));
		errno = e;
	}
	return -1;
}

void vfio_dev_close(struct vfio_dev *d)
{
	unsigned int i;

	if (d->fd >= 0 && d->num_irqs)
		vfio_dev_disable_msix(d);
	for (i = 0; i < VFIO_DEV_MAX_IRQS; i++) {
		if (d->irq_fd[i] >= 0)
			close(d->irq_fd[i]);
		d->irq_fd[i] = -1;
	}
	for (i = 0; i < VFIO_DEV_MAX_DMA; i++)
		if (d->dma[i].size)
			vfio_dev_dma_unmap(d, d->dma[i].iova, d->dma[i].size);
	for (i = 0; i < VFIO_DEV_MAX_REGIONS; i++) {
		if (d->region[i].map)
			munmap(d->region[i].map, d->region[i].info.size);
		d->region[i].map = NULL;
	}
	if (d->fd >= 0)
		close(d->fd);
	if (d->group >= 0) {
		ioctl(d->group, VFIO_GROUP_UNSET_CONTAINER);
		close(d->group);
	}
	if (d->container >= 0)
		close(d->container);
	d->fd = d->group = d->container = -1;
}

const struct vfio_region_info *vfio_dev_region(struct vfio_dev *d,
					       unsigned int index)
{
	if (index >= VFIO_DEV_MAX_REGIONS || !d->region[index].info.size) {
		errno = EINVAL;
		fail(d, "region %u absent", index);
		return NULL;
	}
	return &d->region[index].info;
}

void *vfio_dev_map_bar(struct vfio_dev *d, unsigned int bar)
{
	const struct vfio_region_info *ri;
	void *p;

	if (bar > VFIO_PCI_BAR5_REGION_INDEX) {
		errno = EINVAL;
		fail(d, "BAR%u: no such BAR", bar);
		return NULL;
	}
	if (d->region[bar].map)
		return d->region[bar].map;
	ri = vfio_dev_region(d, bar);
	if (!ri)
		return NULL;
	if (!(ri->flags & VFIO_REGION_INFO_FLAG_MMAP)) {
		errno = ENOTSUP;
		fail(d, "BAR%u is not mmappable (flags 0x%x); use read32/write32",
		     bar, ri->flags);
		return NULL;
	}
	p = mmap(NULL, ri->size, PROT_READ | PROT_WRITE, MAP_SHARED, d->fd,
		 ri->offset);
	if (p == MAP_FAILED) {
		FAIL_ERRNO(d, "mmap BAR%u (%llu bytes)", bar,
			   (unsigned long long)ri->size);
		return NULL;
	}
	d->region[bar].map = p;
	return p;
}

static int region_rw(struct vfio_dev *d, unsigned int index, uint64_t off,
		     void *buf, size_t len, int write)
{
	const struct vfio_region_info *ri = vfio_dev_region(d, index);
	ssize_t n;

	if (!ri)
		return -1;
	if (off > ri->size || len > ri->size - off) {
		errno = EINVAL;
		return fail(d, "region %u: access 0x%llx+%zu beyond size 0x%llx",
			    index, (unsigned long long)off, len,
			    (unsigned long long)ri->size);
	}
	if (write)
		n = pwrite(d->fd, buf, len, ri->offset + off);
	else
		n = pread(d->fd, buf, len, ri->offset + off);
	if (n != (ssize_t)len) {
		if (n >= 0)
			errno = EIO;
		return FAIL_ERRNO(d, "%s region %u at 0x%llx (%zu bytes, got %zd)",
				  write ? "pwrite" : "pread", index,
				  (unsigned long long)off, len, n);
	}
	return 0;
}

int vfio_dev_region_read(struct vfio_dev *d, unsigned int index,
			 uint64_t off, void *buf, size_t len)
{
	return region_rw(d, index, off, buf, len, 0);
}

int vfio_dev_region_write(struct vfio_dev *d, unsigned int index,
			  uint64_t off, const void *buf, size_t len)
{
	return region_rw(d, index, off, (void *)buf, len, 1);
}

uint32_t vfio_dev_read32(struct vfio_dev *d, unsigned int bar, uint64_t off)
{
	uint32_t v;

	if (bar < VFIO_DEV_MAX_REGIONS && d->region[bar].map &&
	    off + 4 <= d->region[bar].info.size)
		return le32toh(*(volatile uint32_t *)((char *)d->region[bar].map +
						       off));
	if (region_rw(d, bar, off, &v, 4, 0))
		return 0xffffffffu;
	return le32toh(v);
}

int vfio_dev_write32(struct vfio_dev *d, unsigned int bar, uint64_t off,
		     uint32_t val)
{
	if (bar < VFIO_DEV_MAX_REGIONS && d->region[bar].map &&
	    off + 4 <= d->region[bar].info.size) {
		*(volatile uint32_t *)((char *)d->region[bar].map + off) =
			htole32(val);
		__sync_synchronize();
		return 0;
	}
	val = htole32(val);
	return region_rw(d, bar, off, &val, 4, 1);
}

int vfio_dev_cfg_read(struct vfio_dev *d, uint64_t off, void *buf, size_t len)
{
	return region_rw(d, VFIO_PCI_CONFIG_REGION_INDEX, off, buf, len, 0);
}

int vfio_dev_cfg_write(struct vfio_dev *d, uint64_t off, const void *buf,
		       size_t len)
{
	return region_rw(d, VFIO_PCI_CONFIG_REGION_INDEX, off, (void *)buf,
			 len, 1);
}

int vfio_dev_enable_bus_master(struct vfio_dev *d)
{
	uint16_t cmd;

	if (vfio_dev_cfg_read(d, PCI_COMMAND, &cmd, 2))
		return -1;
	cmd = htole16(le16toh(cmd) | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	return vfio_dev_cfg_write(d, PCI_COMMAND, &cmd, 2);
}

int vfio_dev_dma_map(struct vfio_dev *d, void *vaddr, uint64_t iova,
		     uint64_t size)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)vaddr,
		.iova = iova,
		.size = size,
	};

	if (ioctl(d->container, VFIO_IOMMU_MAP_DMA, &m))
		return FAIL_ERRNO(d, "VFIO_IOMMU_MAP_DMA iova 0x%llx size 0x%llx",
				  (unsigned long long)iova,
				  (unsigned long long)size);
	return 0;
}

void *vfio_dev_dma_alloc(struct vfio_dev *d, uint64_t iova, uint64_t size)
{
	unsigned int i;
	void *p;

	for (i = 0; i < VFIO_DEV_MAX_DMA; i++)
		if (!d->dma[i].size)
			break;
	if (i == VFIO_DEV_MAX_DMA) {
		errno = ENOSPC;
		fail(d, "more than %d DMA buffers", VFIO_DEV_MAX_DMA);
		return NULL;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		FAIL_ERRNO(d, "mmap %llu bytes for DMA", (unsigned long long)size);
		return NULL;
	}
	if (vfio_dev_dma_map(d, p, iova, size)) {
		int e = errno;

		munmap(p, size);
		errno = e;
		return NULL;
	}
	d->dma[i].vaddr = p;
	d->dma[i].iova = iova;
	d->dma[i].size = size;
	return p;
}

int vfio_dev_dma_unmap(struct vfio_dev *d, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u),
		.iova = iova,
		.size = size,
	};
	unsigned int i;
	int ret = 0;

	if (ioctl(d->container, VFIO_IOMMU_UNMAP_DMA, &u))
		ret = FAIL_ERRNO(d, "VFIO_IOMMU_UNMAP_DMA iova 0x%llx size 0x%llx",
				 (unsigned long long)iova,
				 (unsigned long long)size);
	else if (u.size != size) {
		errno = EINVAL;
		ret = fail(d, "VFIO_IOMMU_UNMAP_DMA iova 0x%llx unmapped 0x%llx of 0x%llx bytes",
			   (unsigned long long)iova,
			   (unsigned long long)u.size,
			   (unsigned long long)size);
	}
	for (i = 0; i < VFIO_DEV_MAX_DMA; i++) {
		if (d->dma[i].size && d->dma[i].iova == iova) {
			munmap(d->dma[i].vaddr, d->dma[i].size);
			memset(&d->dma[i], 0, sizeof(d->dma[i]));
		}
	}
	return ret;
}

int vfio_dev_enable_msix(struct vfio_dev *d, unsigned int count)
{
	struct vfio_irq_info ii = {
		.argsz = sizeof(ii),
		.index = VFIO_PCI_MSIX_IRQ_INDEX,
	};
	struct vfio_irq_set *set;
	size_t sz = sizeof(*set) + count * sizeof(int);
	unsigned int i;
	int ret;

	if (!count || count > VFIO_DEV_MAX_IRQS) {
		errno = EINVAL;
		return fail(d, "MSI-X: bad vector count %u", count);
	}
	if (ioctl(d->fd, VFIO_DEVICE_GET_IRQ_INFO, &ii))
		return FAIL_ERRNO(d, "VFIO_DEVICE_GET_IRQ_INFO MSI-X");
	if (ii.count < count) {
		errno = EINVAL;
		return fail(d, "MSI-X: device has %u vectors, %u wanted",
			    ii.count, count);
	}
	if (!(ii.flags & VFIO_IRQ_INFO_EVENTFD)) {
		errno = ENOTSUP;
		return fail(d, "MSI-X: no eventfd signalling (flags 0x%x)",
			    ii.flags);
	}
	for (i = 0; i < count; i++) {
		if (d->irq_fd[i] >= 0)
			continue;
		d->irq_fd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (d->irq_fd[i] < 0)
			return FAIL_ERRNO(d, "eventfd for MSI-X vector %u", i);
	}
	set = calloc(1, sz);
	if (!set)
		return FAIL_ERRNO(d, "calloc");
	set->argsz = sz;
	set->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = VFIO_PCI_MSIX_IRQ_INDEX;
	set->start = 0;
	set->count = count;
	memcpy(set->data, d->irq_fd, count * sizeof(int));
	ret = ioctl(d->fd, VFIO_DEVICE_SET_IRQS, set);
	free(set);
	if (ret)
		return FAIL_ERRNO(d, "VFIO_DEVICE_SET_IRQS MSI-X %u vectors", count);
	d->num_irqs = count;
	return 0;
}

int vfio_dev_disable_msix(struct vfio_dev *d)
{
	struct vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		.index = VFIO_PCI_MSIX_IRQ_INDEX,
		.start = 0,
		.count = 0,
	};

	if (ioctl(d->fd, VFIO_DEVICE_SET_IRQS, &set))
		return FAIL_ERRNO(d, "VFIO_DEVICE_SET_IRQS MSI-X disable");
	d->num_irqs = 0;
	return 0;
}

int vfio_dev_irq_fd(struct vfio_dev *d, unsigned int vector)
{
	if (vector >= d->num_irqs || d->irq_fd[vector] < 0) {
		errno = EINVAL;
		return fail(d, "MSI-X vector %u not enabled (%u enabled)",
			    vector, d->num_irqs);
	}
	return d->irq_fd[vector];
}

int64_t vfio_dev_drain_irq(struct vfio_dev *d, unsigned int vector)
{
	uint64_t cnt;
	int fd = vfio_dev_irq_fd(d, vector);

	if (fd < 0)
		return -1;
	if (read(fd, &cnt, sizeof(cnt)) != sizeof(cnt)) {
		if (errno == EAGAIN)
			return 0;
		return FAIL_ERRNO(d, "read eventfd of MSI-X vector %u", vector);
	}
	return (int64_t)cnt;
}

int64_t vfio_dev_wait_irq(struct vfio_dev *d, unsigned int vector,
			  int timeout_ms)
{
	struct pollfd p;
	int n;

	p.fd = vfio_dev_irq_fd(d, vector);
	if (p.fd < 0)
		return -1;
	p.events = POLLIN;
	do
		n = poll(&p, 1, timeout_ms);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return FAIL_ERRNO(d, "poll eventfd of MSI-X vector %u", vector);
	if (n == 0) {
		errno = ETIMEDOUT;
		fail(d, "no interrupt on MSI-X vector %u within %d ms", vector,
		     timeout_ms);
		return 0;
	}
	return vfio_dev_drain_irq(d, vector);
}

int vfio_dev_reset(struct vfio_dev *d)
{
	if (!(d->info.flags & VFIO_DEVICE_FLAGS_RESET)) {
		errno = ENOTSUP;
		return fail(d, "device reports no reset (VFIO_DEVICE_FLAGS_RESET clear)");
	}
	if (ioctl(d->fd, VFIO_DEVICE_RESET))
		return FAIL_ERRNO(d, "VFIO_DEVICE_RESET");
	return 0;
}

static int parse_uuid(const char *s, uint8_t out[16])
{
	unsigned int i, n = 0;

	for (i = 0; s[i] && n < 32; i++) {
		int v;

		if (s[i] == '-' && (i == 8 || i == 13 || i == 18 || i == 23))
			continue;
		if (s[i] >= '0' && s[i] <= '9')
			v = s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'f')
			v = s[i] - 'a' + 10;
		else if (s[i] >= 'A' && s[i] <= 'F')
			v = s[i] - 'A' + 10;
		else
			return -1;
		if (n & 1)
			out[n / 2] |= v;
		else
			out[n / 2] = v << 4;
		n++;
	}
	return n == 32 && !s[i] && i == 36 ? 0 : -1;
}

int vfio_dev_set_vf_token(struct vfio_dev *d, const char *uuid)
{
	struct {
		struct vfio_device_feature f;
		uint8_t uuid[16];
	} req;

	memset(&req, 0, sizeof(req));
	if (parse_uuid(uuid, req.uuid)) {
		errno = EINVAL;
		return fail(d, "VF token \"%s\" is not a UUID", uuid);
	}
	req.f.argsz = sizeof(req);
	req.f.flags = VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_PCI_VF_TOKEN;
	if (ioctl(d->fd, VFIO_DEVICE_FEATURE, &req))
		return FAIL_ERRNO(d, "VFIO_DEVICE_FEATURE set PCI_VF_TOKEN");
	return 0;
}

/* ------------------------------------------------------------------ */
/* sysfs                                                               */
/* ------------------------------------------------------------------ */

static int sysfs_write_path(const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "# open %s: %s (errno %d)\n", path,
			strerror(errno), errno);
		return -1;
	}
	n = write(fd, val, len);
	if (n != (ssize_t)len) {
		int e = errno;

		fprintf(stderr, "# write \"%s\" to %s: %s (errno %d)\n", val,
			path, n < 0 ? strerror(e) : "short write", e);
		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	return 0;
}

int pci_sysfs_write(const char *bdf, const char *attr, const char *val)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	return sysfs_write_path(path, val);
}

int pci_sysfs_read(const char *bdf, const char *attr, char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "# open %s: %s (errno %d)\n", path,
			strerror(errno), errno);
		return -1;
	}
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0) {
		fprintf(stderr, "# read %s: %s (errno %d)\n", path,
			strerror(errno), errno);
		return -1;
	}
	buf[n] = 0;
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = 0;
	return 0;
}

int pci_driver_of(const char *bdf, char *buf, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *base;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		if (errno == ENOENT) {
			buf[0] = 0;
			return 0;
		}
		return -1;
	}
	link[n] = 0;
	base = strrchr(link, '/');
	snprintf(buf, len, "%s", base ? base + 1 : link);
	return 0;
}

int pci_unbind(const char *bdf)
{
	char drv[128];

	if (pci_driver_of(bdf, drv, sizeof(drv)))
		return -1;
	if (!drv[0])
		return 0;
	return pci_sysfs_write(bdf, "driver/unbind", bdf);
}

int pci_bind(const char *bdf, const char *driver)
{
	char drv[128];

	if (pci_driver_of(bdf, drv, sizeof(drv)))
		return -1;
	if (!strcmp(drv, driver))
		return 0;
	if (drv[0] && pci_unbind(bdf))
		return -1;
	if (pci_sysfs_write(bdf, "driver_override", driver))
		return -1;
	if (sysfs_write_path("/sys/bus/pci/drivers_probe", bdf))
		return -1;
	if (pci_driver_of(bdf, drv, sizeof(drv)))
		return -1;
	if (strcmp(drv, driver)) {
		fprintf(stderr, "# %s: bound to \"%s\" after probe, wanted \"%s\"\n",
			bdf, drv, driver);
		errno = ENODEV;
		return -1;
	}
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfio_dev - a small userspace "guest driver" library over the VFIO uAPI,
 * legacy container/group flavour (VFIO_CONTAINER=y; no iommufd, no cdev).
 *
 * Typical use:
 *
 *	struct vfio_dev d;
 *	if (vfio_dev_open(&d, "0000:01:00.0", NULL))	// type1 container
 *		errx(1, "%s", d.err);
 *	uint32_t *bar0 = vfio_dev_map_bar(&d, 0);	// mmap (NULL: see err)
 *	int efd = vfio_dev_enable_msix(&d, 2);		// vectors 0..1 -> eventfds
 *	void *buf = vfio_dev_dma_alloc(&d, 0x100000, 1 << 20); // iova 1 MiB
 *	...
 *	vfio_dev_wait_irq(&d, 0, 1000);			// 1 on IRQ, 0 on timeout
 *	vfio_dev_close(&d);
 *
 * Every function that can fail returns -1 (or NULL), sets errno and writes
 * a message naming the device, the operation and the errno into d->err
 * (and, unless d->quiet, prints it on stderr prefixed with "# ", so it
 * reads as a TAP diagnostic).
 *
 * SR-IOV and VF tokens: when the PF is bound to vfio-pci, each of its VFs
 * can only be opened with the PF's VF token (a UUID), passed as @vf_token
 * to vfio_dev_open() of the VF. Set it on the open PF with
 * vfio_dev_set_vf_token(). A PF with VFs already open needs the same
 * token to be opened. Enable VFs (sriov_numvfs) before opening the PF.
 *
 * One vfio_dev owns one container with one group; open each device with
 * its own vfio_dev (IOVA spaces are then separate per device).
 */
#ifndef JMGPU_VFIO_DEV_H
#define JMGPU_VFIO_DEV_H

#include <stddef.h>
#include <stdint.h>
#include <linux/vfio.h>

#define VFIO_DEV_MAX_REGIONS	9	/* BAR0..5, ROM, config, VGA */
#define VFIO_DEV_MAX_IRQS	64	/* MSI-X vectors we track */
#define VFIO_DEV_MAX_DMA	16	/* DMA mappings we track */

struct vfio_dev_region {
	struct vfio_region_info info;	/* size 0: region absent */
	void *map;			/* mmap of a BAR, or NULL */
};

struct vfio_dev_dma {
	void *vaddr;
	uint64_t iova;
	uint64_t size;
};

struct vfio_dev {
	char bdf[32];			/* "0000:01:00.0" */
	int group_id;
	int container;			/* /dev/vfio/vfio fd */
	int group;			/* /dev/vfio/<group_id> fd */
	int fd;				/* device fd */
	struct vfio_device_info info;
	struct vfio_dev_region region[VFIO_DEV_MAX_REGIONS];
	int irq_fd[VFIO_DEV_MAX_IRQS];	/* MSI-X eventfds, -1 unused */
	unsigned int num_irqs;		/* vectors enabled */
	struct vfio_dev_dma dma[VFIO_DEV_MAX_DMA];
	int quiet;			/* 1: do not print errors */
	char err[512];			/* last error message */
};

/*
 * vfio_dev_open - open the PCI device @bdf through its IOMMU group.
 * @d: zeroed or reused state (initialized here)
 * @bdf: full PCI address, "0000:01:00.0"
 * @vf_token: UUID string to pass as "vf_token=", or NULL
 *
 * The device must already be bound to vfio-pci (or a VFIO variant driver),
 * and every device in its group too. Creates a container, attaches the
 * group, selects the type1 IOMMU (VFIO_TYPE1v2 if offered), gets the
 * device fd and all region infos. Return: 0, or -1 with d->err set.
 */
int vfio_dev_open(struct vfio_dev *d, const char *bdf, const char *vf_token);

/* Unmap BARs, free DMA mappings, disable IRQs, close fds. Idempotent. */
void vfio_dev_close(struct vfio_dev *d);

/* Region info of region @index (VFIO_PCI_BAR0_REGION_INDEX.., CONFIG). */
const struct vfio_region_info *vfio_dev_region(struct vfio_dev *d,
					       unsigned int index);

/*
 * vfio_dev_map_bar - mmap a whole BAR (read/write, shared).
 * Return: the mapping, or NULL when the BAR is absent or not mmappable
 * (use vfio_dev_read32/write32 then) or mmap fails; d->err says which.
 */
void *vfio_dev_map_bar(struct vfio_dev *d, unsigned int bar);

/* pread/pwrite access to any region (BARs, config space). 0 or -1. */
int vfio_dev_region_read(struct vfio_dev *d, unsigned int index,
			 uint64_t off, void *buf, size_t len);
int vfio_dev_region_write(struct vfio_dev *d, unsigned int index,
			  uint64_t off, const void *buf, size_t len);

/* 32-bit register access to a BAR: through the mmap if mapped, else
 * pread/pwrite. read32 returns 0xffffffff and sets d->err on failure. */
uint32_t vfio_dev_read32(struct vfio_dev *d, unsigned int bar, uint64_t off);
int vfio_dev_write32(struct vfio_dev *d, unsigned int bar, uint64_t off,
		     uint32_t val);

/* PCI config space access (little-endian values converted to host). */
int vfio_dev_cfg_read(struct vfio_dev *d, uint64_t off, void *buf, size_t len);
int vfio_dev_cfg_write(struct vfio_dev *d, uint64_t off, const void *buf,
		       size_t len);
/* Set PCI_COMMAND memory space + bus master (needed before DMA). */
int vfio_dev_enable_bus_master(struct vfio_dev *d);

/*
 * vfio_dev_dma_map - map @size bytes at @vaddr to @iova (read+write).
 * vfio_dev_dma_alloc - anonymous, zeroed, page aligned buffer mapped at
 * @iova; freed by vfio_dev_dma_unmap() or vfio_dev_close().
 * Return: 0 / the buffer, or -1 / NULL with d->err set.
 */
int vfio_dev_dma_map(struct vfio_dev *d, void *vaddr, uint64_t iova,
		     uint64_t size);
void *vfio_dev_dma_alloc(struct vfio_dev *d, uint64_t iova, uint64_t size);
/* Unmap the mapping at @iova (and munmap it if allocated by dma_alloc). */
int vfio_dev_dma_unmap(struct vfio_dev *d, uint64_t iova, uint64_t size);

/*
 * vfio_dev_enable_msix - route MSI-X vectors 0..@count-1 to new eventfds.
 * Return: 0, or -1 with d->err set. vfio_dev_irq_fd() gives a vector's fd.
 */
int vfio_dev_enable_msix(struct vfio_dev *d, unsigned int count);
int vfio_dev_disable_msix(struct vfio_dev *d);
int vfio_dev_irq_fd(struct vfio_dev *d, unsigned int vector);

/*
 * vfio_dev_wait_irq - wait up to @timeout_ms for MSI-X @vector to fire,
 * then consume the eventfd counter.
 * Return: the number of interrupts counted (>= 1), 0 on timeout (d->err
 * says so), -1 on error.
 */
int64_t vfio_dev_wait_irq(struct vfio_dev *d, unsigned int vector,
			  int timeout_ms);
/* Consume pending interrupts without waiting; returns count (0 if none). */
int64_t vfio_dev_drain_irq(struct vfio_dev *d, unsigned int vector);

/* VFIO_DEVICE_RESET (FLR or another reset the kernel can do). 0 or -1. */
int vfio_dev_reset(struct vfio_dev *d);

/* VFIO_DEVICE_FEATURE_PCI_VF_TOKEN on a PF: set the VF token (UUID text). */
int vfio_dev_set_vf_token(struct vfio_dev *d, const char *uuid);

/* ---- sysfs helpers (no vfio_dev needed; messages go to stderr) ---- */

/* Write @val to /sys/bus/pci/devices/<bdf>/<attr>. 0 or -1. */
int pci_sysfs_write(const char *bdf, const char *attr, const char *val);
/* Read the attribute into @buf (trailing newline stripped). 0 or -1. */
int pci_sysfs_read(const char *bdf, const char *attr, char *buf, size_t len);
/* Name of the bound driver into @buf ("" when none). 0 or -1. */
int pci_driver_of(const char *bdf, char *buf, size_t len);
/* Unbind from the current driver (no-op when unbound). 0 or -1. */
int pci_unbind(const char *bdf);
/* Bind to @driver via driver_override + drivers_probe. 0 or -1. */
int pci_bind(const char *bdf, const char *driver);
/* IOMMU group number of @bdf, or -1. */
int pci_iommu_group(const char *bdf);

#endif /* JMGPU_VFIO_DEV_H */

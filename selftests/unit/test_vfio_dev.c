// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of selftests/lib/vfio_dev.c that need no device: error paths
 * name the device and the errno, close is idempotent, sysfs helpers fail
 * cleanly on absent devices. (The device paths are exercised in the VM by
 * selftests/vm/pf_mailbox.c.) Built with ASan/UBSan like all unit tests.
 */
#include <errno.h>
#include <string.h>

#include "vfio_dev.h"
#include "tap.h"

#define NODEV "0000:ff:1f.7"

int main(void)
{
	struct vfio_dev d;
	char buf[64];
	int ret;

	tap_plan(12);
	memset(&d, 0, sizeof(d));
	d.quiet = 1;
	ret = vfio_dev_open(&d, NODEV, NULL);
	tap_ok(ret == -1 && errno == ENOENT,
	       "open of an absent device fails with ENOENT (%s)",
	       strerror(errno));
	tap_ok(strstr(d.err, NODEV) && strstr(d.err, "iommu_group") &&
	       strstr(d.err, "errno 2"),
	       "error names the device, the step and the errno: \"%s\"", d.err);
	tap_ok(d.fd == -1 && d.group == -1 && d.container == -1,
	       "failed open leaves no fd behind");
	vfio_dev_close(&d);
	vfio_dev_close(&d);
	tap_ok(1, "vfio_dev_close twice after a failed open is harmless");
	tap_ok(vfio_dev_map_bar(&d, 7) == NULL && errno == EINVAL &&
	       strstr(d.err, "BAR7"), "map of BAR7 rejected: \"%s\"", d.err);
	tap_ok(vfio_dev_region(&d, 0) == NULL && strstr(d.err, "absent"),
	       "region info of a closed device: \"%s\"", d.err);
	tap_ok(vfio_dev_irq_fd(&d, 0) == -1 && strstr(d.err, "not enabled"),
	       "irq fd of a vector never enabled: \"%s\"", d.err);
	tap_ok(vfio_dev_wait_irq(&d, 3, 1) == -1,
	       "wait on a vector never enabled fails, does not block");
	tap_ok(vfio_dev_read32(&d, 0, 0) == 0xffffffffu,
	       "read32 of a closed device returns all ones");
	tap_ok(pci_iommu_group(NODEV) == -1, "no IOMMU group for absent device");
	tap_ok(pci_driver_of(NODEV, buf, sizeof(buf)) == 0 && !buf[0],
	       "absent device has no driver");
	tap_ok(pci_sysfs_read(NODEV, "vendor", buf, sizeof(buf)) == -1,
	       "sysfs read of an absent device fails");
	return tap_done();
}

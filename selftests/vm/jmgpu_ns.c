// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu_ns - print CLOCK_MONOTONIC in nanoseconds, for the timings of
 * 90-mdev-bench.sh (busybox date has no sub-second format).
 */
#include <stdio.h>
#include <time.h>

int main(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		return 1;
	printf("%lld\n", ts.tv_sec * 1000000000ll + ts.tv_nsec);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu_ns - print a clock in nanoseconds, for the timings of
 * 90-mdev-bench.sh (busybox date has no sub-second format).
 *
 *   jmgpu_ns               CLOCK_MONOTONIC
 *   jmgpu_ns -r            CLOCK_REALTIME (the clock of jmgpu_load's windows)
 *   jmgpu_ns -m <file>     the file's modification time (CLOCK_REALTIME)
 *   jmgpu_ns -u <ns>       sleep until CLOCK_REALTIME reaches <ns>, then
 *                          print CLOCK_REALTIME
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static long long ns_of(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000ll + ts->tv_nsec;
}

int main(int argc, char **argv)
{
	struct timespec ts;
	struct stat st;
	long long until;
	int r;

	if (argc == 1) {
		if (clock_gettime(CLOCK_MONOTONIC, &ts))
			return 1;
	} else if (argc == 2 && !strcmp(argv[1], "-r")) {
		if (clock_gettime(CLOCK_REALTIME, &ts))
			return 1;
	} else if (argc == 3 && !strcmp(argv[1], "-m")) {
		if (stat(argv[2], &st)) {
			perror(argv[2]);
			return 1;
		}
		ts = st.st_mtim;
	} else if (argc == 3 && !strcmp(argv[1], "-u")) {
		until = strtoll(argv[2], NULL, 10);
		ts.tv_sec = until / 1000000000ll;
		ts.tv_nsec = until % 1000000000ll;
		do
			r = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts,
					    NULL);
		while (r == EINTR);
		if (r || clock_gettime(CLOCK_REALTIME, &ts))
			return 1;
	} else {
		fprintf(stderr, "usage: jmgpu_ns [-r | -m <file> | -u <realtime ns>]\n");
		return 2;
	}
	printf("%lld\n", ns_of(&ts));
	return 0;
}

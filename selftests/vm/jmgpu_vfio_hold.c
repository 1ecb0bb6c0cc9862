// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu_vfio_hold - open a device (a VF bound to vfio-pci) through VFIO
 * and keep it open until killed, for tests of "in use" behaviour.
 *
 *   jmgpu_vfio_hold <bdf> [ready-file]
 *
 * Prints "open <bdf>" and creates ready-file (if given) once the device
 * fd is open, then sleeps. Exit status 1 when the open fails.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "vfio_dev.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct vfio_dev d;
	int fd;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: jmgpu_vfio_hold <bdf> [ready-file]\n");
		return 2;
	}
	if (vfio_dev_open(&d, argv[1], NULL))
		return 1;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	printf("open %s\n", argv[1]);
	fflush(stdout);
	if (argc == 3) {
		fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0)
			close(fd);
	}
	while (!stop)
		pause();
	vfio_dev_close(&d);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu_qmp: a minimal QMP client for the VM tests (busybox has no unix
 * socket client): connect to QEMU's -qmp unix socket, read the greeting,
 * negotiate capabilities, then send each argument as one command (JSON)
 * and print its reply, one line each. Events in between are skipped.
 *   jmgpu_qmp SOCKET '{"execute":"screendump","arguments":{...}}' ...
 * Exit status 1 when a reply is an error (or the socket fails).
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define TIMEOUT_MS	60000	/* per reply: screendumps under TCG are slow */

static char buf[1 << 16];
static size_t len;

/* Next line from QEMU into @line (without newline); -1 on EOF/timeout. */
static int get_line(int fd, char *line, size_t max)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char *nl;
	ssize_t n;

	while (!(nl = memchr(buf, '\n', len))) {
		if (len == sizeof(buf) - 1 || poll(&p, 1, TIMEOUT_MS) != 1)
			return -1;
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			return -1;
		len += n;
	}
	*nl = 0;
	snprintf(line, max, "%s", buf);
	len -= nl + 1 - buf;
	memmove(buf, nl + 1, len);
	return 0;
}

/* Send @cmd, print the reply; 0 = "return", 1 = "error" or no reply. */
static int command(int fd, const char *cmd)
{
	static char line[sizeof(buf)];

	if (write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd) ||
	    write(fd, "\n", 1) != 1) {
		perror("jmgpu_qmp: write");
		return 1;
	}
	for (;;) {
		if (get_line(fd, line, sizeof(line))) {
			fprintf(stderr, "jmgpu_qmp: no reply to %s\n", cmd);
			return 1;
		}
		if (strstr(line, "\"event\""))
			continue;
		printf("%s\n", line);
		if (strstr(line, "\"return\""))
			return 0;
		if (strstr(line, "\"error\""))
			return 1;
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	static char line[sizeof(buf)];
	int fd, i, rc = 0;

	if (argc < 2 || strlen(argv[1]) >= sizeof(a.sun_path)) {
		fprintf(stderr, "usage: jmgpu_qmp SOCKET [COMMAND-JSON...]\n");
		return 2;
	}
	strcpy(a.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		perror(argv[1]);
		return 1;
	}
	if (get_line(fd, line, sizeof(line)) || !strstr(line, "\"QMP\"")) {
		fprintf(stderr, "jmgpu_qmp: no QMP greeting\n");
		return 1;
	}
	if (command(fd, "{\"execute\":\"qmp_capabilities\"}"))
		return 1;
	for (i = 2; i < argc; i++)
		rc |= command(fd, argv[i]);
	close(fd);
	return rc;
}

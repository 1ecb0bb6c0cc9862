// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs access under --sysfs-root, error reporting, PCI address and UUID
 * helpers.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sriov_cfg.h"

char sysfs_root[4096] = "";
int (*sysfs_write_hook)(const char *path, const char *val);
bool quiet;

const char *sp(const char *fmt, ...)
{
	static char bufs[8][PATH_MAX];
	static int next;
	char *b = bufs[next++ % 8];
	size_t n;
	va_list ap;

	n = (size_t)snprintf(b, PATH_MAX, "%s", sysfs_root);
	va_start(ap, fmt);
	vsnprintf(b + n, PATH_MAX - n, fmt, ap);
	va_end(ap);
	return b;
}

int sysfs_read(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd, e;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	e = errno;
	close(fd);
	if (n < 0)
		return -e;
	buf[n] = 0;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = 0;
	return 0;
}

int sysfs_read_u64(const char *path, uint64_t *v)
{
	char buf[64], *end;
	int ret = sysfs_read(path, buf, sizeof(buf));

	if (ret)
		return ret;
	errno = 0;
	*v = strtoull(buf, &end, 0);
	if (errno || end == buf || *end)
		return -EINVAL;
	return 0;
}

int sysfs_write(const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd, e;

	if (sysfs_write_hook)
		return sysfs_write_hook(path, val);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	e = errno;
	if (close(fd) && n >= 0) {
		n = -1;
		e = errno;
	}
	if (n < 0)
		return -e;
	return (size_t)n == len ? 0 : -EIO;
}

bool sysfs_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int sysfs_link_name(const char *path, char *buf, size_t len)
{
	char tgt[PATH_MAX];
	ssize_t n = readlink(path, tgt, sizeof(tgt) - 1);
	const char *b;

	if (n < 0)
		return -errno;
	tgt[n] = 0;
	b = strrchr(tgt, '/');
	b = b ? b + 1 : tgt;
	if (strlen(b) >= len)
		return -ENAMETOOLONG;
	strcpy(buf, b);
	return 0;
}

int fail(int code, const char *object, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "sriov_cfg: %s: ", object);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -code;
}

void note(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* "01:00.0" or "0000:01:00.0" -> "0000:01:00.0"; -EINVAL if malformed */
int canon_bdf(const char *in, char *out, size_t len)
{
	unsigned int dom = 0, bus, dev, fn;
	char tail;

	if (sscanf(in, "%x:%x:%x.%x%c", &dom, &bus, &dev, &fn, &tail) == 4 ||
	    (dom = 0, sscanf(in, "%x:%x.%x%c", &bus, &dev, &fn, &tail) == 3)) {
		if (dom > 0xffff || bus > 0xff || dev > 0x1f || fn > 7)
			return -EINVAL;
		snprintf(out, len, "%04x:%02x:%02x.%x", dom, bus, dev, fn);
		return 0;
	}
	return -EINVAL;
}

bool uuid_valid(const char *s)
{
	int i;

	if (strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

void uuid_lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* random (version 4) UUID */
int uuid_generate(char *out)
{
	unsigned char b[16];

	if (getrandom(b, sizeof(b), 0) != sizeof(b))
		return -EIO;
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(out, UUID_LEN,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
		 b[10], b[11], b[12], b[13], b[14], b[15]);
	return 0;
}

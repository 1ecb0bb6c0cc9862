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
#include <sys/stat.h>
#include <unistd.h>

#include <pci/pci.h>
#include <uuid/uuid.h>

#include "sriov_cfg.h"

char sysfs_root[4096] = "";
int (*sysfs_write_hook)(const char *path, const char *val);
bool quiet;

/*
 * Under systemd, stderr is a journal stream when JOURNAL_STREAM names its
 * device and inode: error lines then carry the kernel-style priority
 * prefix "<3>" so that the journal files them as errors.
 */
static bool to_journal(void)
{
	static int cached = -1;
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (cached >= 0)
		return cached;
	cached = js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 &&
		 !fstat(STDERR_FILENO, &st) && st.st_dev == dev && st.st_ino == ino;
	return cached;
}

void errline(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%ssriov_cfg: ", to_journal() ? "<3>" : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

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
	char reason[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	errline("%s: %s", object, reason);
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

/*
 * "01:00.0" or "0000:01:00.0" -> "0000:01:00.0"; -EINVAL unless it names
 * exactly one function (libpci's slot filter, as lspci -s parses it).
 */
int canon_bdf(const char *in, char *out, size_t len)
{
	struct pci_filter f;
	char buf[64];

	if (strlen(in) >= sizeof(buf) || strpbrk(in, "* \t\n"))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", in);
	pci_filter_init(NULL, &f);
	if (pci_filter_parse_slot(&f, buf) || f.bus < 0 || f.slot < 0 ||
	    f.func < 0 || f.domain > 0xffff)
		return -EINVAL;
	snprintf(out, len, "%04x:%02x:%02x.%d", f.domain < 0 ? 0 : f.domain,
		 f.bus, f.slot, f.func);
	return 0;
}

/* the canonical text form, 8-4-4-4-12 hex digits (libuuid) */
bool uuid_valid(const char *s)
{
	uuid_t u;

	return strlen(s) == 36 && !uuid_parse(s, u);
}

void uuid_lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* random (version 4) UUID, lower case */
int uuid_new(char *out)
{
	uuid_t u;

	uuid_generate_random(u);
	uuid_unparse_lower(u, out);
	return 0;
}

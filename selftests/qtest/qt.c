// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Minimal standalone qtest client (see qt.h).
 */
#define _GNU_SOURCE
#include "qt.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *qt_qemu_bin;
char qt_start_error[2048];
bool qt_dead = true;

static int qt_fd = -1, qmp_fd = -1;
static char qt_dir[64];
static char qt_rbuf[1 << 16];
static size_t qt_rlen;
static char qmp_rbuf[1 << 16];
static size_t qmp_rlen;

#define IO_TIMEOUT_MS 20000

static int listen_unix(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	unlink(path);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1)) {
		close(fd);
		return -1;
	}
	return fd;
}

static pid_t qemu_pid = -1;

/* Accept QEMU's connection; give up early when QEMU exits. */
static int accept_timeout(int lfd, int ms)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };
	int st;

	for (; ms > 0; ms -= 100) {
		if (poll(&p, 1, 100) == 1)
			return accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (qemu_pid > 0 && waitpid(qemu_pid, &st, WNOHANG) == qemu_pid) {
			qemu_pid = -1;
			return -1;
		}
	}
	return -1;
}

static void die_conn(const char *why)
{
	if (!qt_dead)
		fprintf(stderr, "# qtest: %s\n", why);
	qt_dead = true;
}

/* Read one line into @out from @fd with buffer @buf; false on EOF/timeout */
static bool read_line(int fd, char *buf, size_t *blen, size_t bsize,
		      char *out, size_t olen)
{
	for (;;) {
		char *nl = memchr(buf, '\n', *blen);
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (nl) {
			size_t l = nl - buf;

			if (l >= olen)
				l = olen - 1;
			memcpy(out, buf, l);
			out[l] = 0;
			memmove(buf, nl + 1, *blen - (nl + 1 - buf));
			*blen -= nl + 1 - buf;
			return true;
		}
		if (*blen == bsize)
			return false;
		if (poll(&p, 1, IO_TIMEOUT_MS) != 1)
			return false;
		n = read(fd, buf + *blen, bsize - *blen);
		if (n <= 0)
			return false;
		*blen += n;
	}
}

static bool write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w <= 0) {
			if (w < 0 && errno == EINTR)
				continue;
			return false;
		}
		s += w;
		n -= w;
	}
	return true;
}

/* Send a qtest command; reply line (after "OK ") in @out */
static bool qt_cmd(char *out, size_t olen, const char *fmt, ...)
{
	static char line[1 << 17];
	char cmd[1 << 15];
	va_list ap;
	int n;

	if (qt_dead)
		return false;
	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(cmd) - 1) {
		die_conn("command too long");
		return false;
	}
	cmd[n++] = '\n';
	if (!write_all(qt_fd, cmd, n)) {
		die_conn("write to QEMU failed");
		return false;
	}
	for (;;) {
		if (!read_line(qt_fd, qt_rbuf, &qt_rlen, sizeof(qt_rbuf), line,
			       sizeof(line))) {
			die_conn("no reply from QEMU (timeout or exit)");
			return false;
		}
		if (!strncmp(line, "IRQ", 3))
			continue;
		break;
	}
	if (strncmp(line, "OK", 2)) {
		fprintf(stderr, "# qtest: '%.*s' -> '%s'\n", n - 1, cmd, line);
		return false;
	}
	if (out) {
		snprintf(out, olen, "%s", line[2] == ' ' ? line + 3 : "");
	}
	return true;
}

static char *big_buf(size_t n)
{
	static char *b;
	static size_t sz;

	if (n > sz) {
		free(b);
		b = malloc(n);
		sz = n;
	}
	return b;
}

/* QEMU did not come up: keep its output for the caller, clean up. */
static void start_error(void)
{
	char p[128];
	FILE *f;
	int st;

	qt_start_error[0] = 0;
	for (st = 0; qemu_pid > 0 && st < 50; st++) {
		/* let it finish writing its error */
		if (waitpid(qemu_pid, NULL, WNOHANG) == qemu_pid)
			qemu_pid = -1;
		else
			usleep(20000);
	}
	snprintf(p, sizeof(p), "%s/qemu.out", qt_dir);
	f = fopen(p, "r");
	if (f) {
		size_t n = fread(qt_start_error, 1, sizeof(qt_start_error) - 1,
				 f);

		qt_start_error[n] = 0;
		fclose(f);
	}
	qt_stop();
}

bool qt_start(const char *extra)
{
	char qtp[128], qmpp[128], cmd[4096], line[4096];
	int lq, lm;

	snprintf(qt_dir, sizeof(qt_dir), "/tmp/jmgpu-qt.XXXXXX");
	if (!mkdtemp(qt_dir))
		return false;
	snprintf(qtp, sizeof(qtp), "%s/qt.sock", qt_dir);
	snprintf(qmpp, sizeof(qmpp), "%s/qmp.sock", qt_dir);
	lq = listen_unix(qtp);
	lm = listen_unix(qmpp);
	if (lq < 0 || lm < 0)
		return false;
	snprintf(cmd, sizeof(cmd),
		 "exec %s -machine q35 -accel qtest -nodefaults -display none "
		 "-L /usr/share/seabios -L /usr/share/qemu -m 512M -qtest unix:%s -qmp unix:%s -d guest_errors "
		 "-D %s/qemu.log %s >%s/qemu.out 2>&1",
		 qt_qemu_bin, qtp, qmpp, qt_dir, extra, qt_dir);
	qemu_pid = fork();
	if (qemu_pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);	/* never outlive the test */
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	qt_fd = accept_timeout(lq, IO_TIMEOUT_MS);
	qmp_fd = qt_fd < 0 ? -1 : accept_timeout(lm, IO_TIMEOUT_MS);
	close(lq);
	close(lm);
	qt_rlen = qmp_rlen = 0;
	if (qt_fd < 0 || qmp_fd < 0) {
		start_error();
		return false;
	}
	qt_dead = false;
	/* QMP greeting + capabilities */
	if (!read_line(qmp_fd, qmp_rbuf, &qmp_rlen, sizeof(qmp_rbuf), line,
		       sizeof(line)) ||
	    !qmp_cmd("{\"execute\":\"qmp_capabilities\"}", line,
		     sizeof(line))) {
		start_error();
		return false;
	}
	/* enable ECAM: q35 MCH PCIEXBAR at 0xb0000000, 256 buses */
	qt_outl(0xcf8, 0x80000000 | 0x64);
	qt_outl(0xcfc, 0);
	qt_outl(0xcf8, 0x80000000 | 0x60);
	qt_outl(0xcfc, (uint32_t)QT_ECAM | 1);
	return !qt_dead;
}

void qt_stop(void)
{
	char p[128];
	int st, i;

	if (qt_fd >= 0)
		close(qt_fd);
	if (qmp_fd >= 0)
		close(qmp_fd);
	qt_fd = qmp_fd = -1;
	if (qemu_pid > 0) {
		kill(qemu_pid, SIGTERM);
		for (i = 0; i < 50; i++) {
			if (waitpid(qemu_pid, &st, WNOHANG) == qemu_pid)
				break;
			usleep(100000);
		}
		if (i == 50) {
			kill(qemu_pid, SIGKILL);
			waitpid(qemu_pid, &st, 0);
		}
	}
	qemu_pid = -1;
	qt_dead = true;
	if (qt_dir[0] && !getenv("QT_KEEP")) {
		snprintf(p, sizeof(p), "%s/qemu.log", qt_dir);
		unlink(p);
		snprintf(p, sizeof(p), "%s/qemu.out", qt_dir);
		unlink(p);
		snprintf(p, sizeof(p), "%s/qt.sock", qt_dir);
		unlink(p);
		snprintf(p, sizeof(p), "%s/qmp.sock", qt_dir);
		unlink(p);
		rmdir(qt_dir);
	}
	qt_dir[0] = 0;
}

char *qt_log_text(void)
{
	char p[128];
	FILE *f;
	char *b;
	long n;

	snprintf(p, sizeof(p), "%s/qemu.log", qt_dir);
	f = fopen(p, "r");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = calloc(1, n + 1);
	if (b && fread(b, 1, n, f) != (size_t)n)
		b[0] = 0;
	fclose(f);
	return b;
}

static uint64_t qt_read_n(const char *op, uint64_t a)
{
	char out[64];

	if (!qt_cmd(out, sizeof(out), "%s 0x%" PRIx64, op, a))
		return 0;
	return strtoull(out, NULL, 0);
}

uint8_t qt_readb(uint64_t a) { return qt_read_n("readb", a); }
uint16_t qt_readw(uint64_t a) { return qt_read_n("readw", a); }
uint32_t qt_readl(uint64_t a) { return qt_read_n("readl", a); }
uint64_t qt_readq(uint64_t a) { return qt_read_n("readq", a); }

void qt_writeb(uint64_t a, uint8_t v)
{
	qt_cmd(NULL, 0, "writeb 0x%" PRIx64 " 0x%x", a, v);
}

void qt_writew(uint64_t a, uint16_t v)
{
	qt_cmd(NULL, 0, "writew 0x%" PRIx64 " 0x%x", a, v);
}

void qt_writel(uint64_t a, uint32_t v)
{
	qt_cmd(NULL, 0, "writel 0x%" PRIx64 " 0x%x", a, v);
}

void qt_writeq(uint64_t a, uint64_t v)
{
	qt_cmd(NULL, 0, "writeq 0x%" PRIx64 " 0x%" PRIx64, a, v);
}

static int hexval(char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

void qt_memread(uint64_t a, void *buf, size_t len)
{
	uint8_t *p = buf;
	char *out;
	size_t i;

	memset(buf, 0, len);
	while (len) {
		size_t n = len > 8192 ? 8192 : len;

		out = big_buf(2 * n + 16);
		if (!qt_cmd(out, 2 * n + 16, "read 0x%" PRIx64 " 0x%zx", a, n))
			return;
		if (strncmp(out, "0x", 2) || strlen(out) < 2 + 2 * n)
			return;
		for (i = 0; i < n; i++)
			p[i] = hexval(out[2 + 2 * i]) << 4 |
			       hexval(out[3 + 2 * i]);
		p += n;
		a += n;
		len -= n;
	}
}

void qt_memwrite(uint64_t a, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	static const char hx[] = "0123456789abcdef";

	while (len) {
		size_t n = len > 8192 ? 8192 : len, i;
		char *h = big_buf(2 * n + 1);

		for (i = 0; i < n; i++) {
			h[2 * i] = hx[p[i] >> 4];
			h[2 * i + 1] = hx[p[i] & 15];
		}
		h[2 * n] = 0;
		qt_cmd(NULL, 0, "write 0x%" PRIx64 " 0x%zx 0x%s", a, n, h);
		p += n;
		a += n;
		len -= n;
	}
}

void qt_memset(uint64_t a, uint8_t v, size_t len)
{
	qt_cmd(NULL, 0, "memset 0x%" PRIx64 " 0x%zx 0x%02x", a, len, v);
}

void qt_outl(uint16_t port, uint32_t v)
{
	qt_cmd(NULL, 0, "outl 0x%x 0x%x", port, v);
}

uint32_t qt_inl(uint16_t port)
{
	return qt_read_n("inl", port);
}

int64_t qt_clock_step(int64_t ns)
{
	char out[64];

	if (!qt_cmd(out, sizeof(out), "clock_step %" PRId64, ns))
		return -1;
	return strtoll(out, NULL, 0);
}

bool qmp_cmd(const char *json, char *reply, size_t len)
{
	char line[1 << 14];

	if (qt_dead || !write_all(qmp_fd, json, strlen(json)) ||
	    !write_all(qmp_fd, "\n", 1))
		return false;
	for (;;) {
		if (!read_line(qmp_fd, qmp_rbuf, &qmp_rlen, sizeof(qmp_rbuf),
			       line, sizeof(line))) {
			die_conn("no QMP reply");
			return false;
		}
		if (strstr(line, "\"return\"") || strstr(line, "\"error\"")) {
			if (reply)
				snprintf(reply, len, "%s", line);
			return strstr(line, "\"return\"") != NULL;
		}
		/* asynchronous event: skip */
	}
}

bool qmp_qom_set(const char *path, const char *prop, const char *val)
{
	char j[512], r[1024];

	snprintf(j, sizeof(j), "{\"execute\":\"qom-set\",\"arguments\":"
		 "{\"path\":\"%s\",\"property\":\"%s\",\"value\":%s}}",
		 path, prop, val);
	return qmp_cmd(j, r, sizeof(r));
}

bool qmp_qom_get(const char *path, const char *prop, char *out, size_t len)
{
	char j[512], r[1024], *p;

	snprintf(j, sizeof(j), "{\"execute\":\"qom-get\",\"arguments\":"
		 "{\"path\":\"%s\",\"property\":\"%s\"}}", path, prop);
	if (!qmp_cmd(j, r, sizeof(r)))
		return false;
	p = strstr(r, "\"return\":");
	if (!p)
		return false;
	p += 9;
	while (*p == ' ')
		p++;
	snprintf(out, len, "%.*s", (int)strcspn(p, "}"), p);
	return true;
}

static uint64_t ecam(int devfn, int off)
{
	return QT_ECAM + ((uint64_t)devfn << 12) + off;
}

uint32_t pci_cfg_readl(int devfn, int off) { return qt_readl(ecam(devfn, off)); }
uint16_t pci_cfg_readw(int devfn, int off) { return qt_readw(ecam(devfn, off)); }
uint8_t pci_cfg_readb(int devfn, int off) { return qt_readb(ecam(devfn, off)); }

void pci_cfg_writel(int devfn, int off, uint32_t v)
{
	qt_writel(ecam(devfn, off), v);
}

void pci_cfg_writew(int devfn, int off, uint16_t v)
{
	qt_writew(ecam(devfn, off), v);
}

int pci_find_cap(int devfn, int id)
{
	int pos = pci_cfg_readb(devfn, 0x34), n = 0;

	while (pos && n++ < 48) {
		if (pci_cfg_readb(devfn, pos) == id)
			return pos;
		pos = pci_cfg_readb(devfn, pos + 1);
	}
	return 0;
}

int pci_find_ext_cap(int devfn, int id)
{
	int pos = 0x100, n = 0;

	while (pos && n++ < 64) {
		uint32_t h = pci_cfg_readl(devfn, pos);

		if (!h || h == 0xffffffff)
			return 0;
		if ((h & 0xffff) == (uint32_t)id)
			return pos;
		pos = h >> 20;
	}
	return 0;
}

uint64_t pci_bar_size(int devfn, int bar, bool *is64, bool *pref)
{
	int off = 0x10 + 4 * bar;
	uint32_t old = pci_cfg_readl(devfn, off), lo, hi = 0xffffffff;
	uint32_t oldhi = 0;
	uint64_t mask;

	*is64 = (old & 6) == 4;
	*pref = old & 8;
	pci_cfg_writel(devfn, off, 0xffffffff);
	lo = pci_cfg_readl(devfn, off);
	pci_cfg_writel(devfn, off, old);
	if (*is64) {
		oldhi = pci_cfg_readl(devfn, off + 4);
		pci_cfg_writel(devfn, off + 4, 0xffffffff);
		hi = pci_cfg_readl(devfn, off + 4);
		pci_cfg_writel(devfn, off + 4, oldhi);
	}
	mask = ((uint64_t)hi << 32) | (lo & ~0xfu);
	if (!*is64)
		mask |= 0xffffffff00000000ull;
	return mask ? ~mask + 1 : 0;
}

void pci_bar_set(int devfn, int bar, uint64_t addr, bool is64)
{
	pci_cfg_writel(devfn, 0x10 + 4 * bar, (uint32_t)addr);
	if (is64)
		pci_cfg_writel(devfn, 0x14 + 4 * bar, addr >> 32);
}

void msix_setup(int devfn, uint64_t bar_addr, int vec, uint64_t addr,
		uint32_t data)
{
	int cap = pci_find_cap(devfn, 0x11);
	uint32_t tbl = pci_cfg_readl(devfn, cap + 4) & ~7u;
	uint64_t e = bar_addr + tbl + 16 * vec;
	uint16_t ctl;

	qt_writel(e, (uint32_t)addr);
	qt_writel(e + 4, addr >> 32);
	qt_writel(e + 8, data);
	qt_writel(e + 12, 0);
	ctl = pci_cfg_readw(devfn, cap + 2);
	pci_cfg_writew(devfn, cap + 2, (ctl | 0x8000) & ~0x4000);
}

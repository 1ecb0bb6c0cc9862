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
sigjmp_buf *qt_fatal_jmp;
char qt_why[2048];

static int qt_fd = -1, qmp_fd = -1;
static char qt_dir[64];
static char qt_rbuf[1 << 18];
static size_t qt_rlen;
static char qmp_rbuf[1 << 16];
static size_t qmp_rlen;
/* QEMU's process until reaped; read by the SIGALRM handler */
static volatile pid_t qemu_pid = -1;
/* the qtest and QMP connections work */
static bool qt_up;
static volatile sig_atomic_t alarm_fired;
static volatile unsigned int alarm_secs;

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

/* Reap QEMU if it exits within @ms; its wait status, or -1. */
static int reap(int ms)
{
	int st;

	for (;;) {
		pid_t r = waitpid(qemu_pid, &st, WNOHANG);

		if (r == qemu_pid) {
			qemu_pid = -1;
			return st;
		}
		if (r < 0 && errno != EINTR) {
			qemu_pid = -1;
			return -1;
		}
		if (ms <= 0)
			return -1;
		usleep(10000);
		ms -= 10;
	}
}

/* Accept QEMU's connection; give up early when QEMU exits. */
static int accept_timeout(int lfd, int ms)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };

	for (; ms > 0; ms -= 100) {
		if (poll(&p, 1, 100) == 1)
			return accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (qemu_pid > 0 && reap(0) >= 0)
			return -1;
	}
	return -1;
}

static void describe_status(int st, char *out, size_t len)
{
	if (WIFSIGNALED(st))
		snprintf(out, len, "QEMU killed by signal %d (%s)",
			 WTERMSIG(st), strsignal(WTERMSIG(st)));
	else if (WIFEXITED(st))
		snprintf(out, len, "QEMU exited with status %d",
			 WEXITSTATUS(st));
	else
		snprintf(out, len, "QEMU wait status 0x%x", st);
}

void qt_qemu_output(char *out, size_t len)
{
	char p[128], buf[4096];
	size_t n = 0, from;
	FILE *f;

	out[0] = 0;
	if (!qt_dir[0])
		return;
	snprintf(p, sizeof(p), "%s/qemu.out", qt_dir);
	f = fopen(p, "r");
	if (!f)
		return;
	if (fseek(f, -(long)(sizeof(buf) - 1), SEEK_END))
		fseek(f, 0, SEEK_SET);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	while (n && buf[n - 1] == '\n')
		n--;
	buf[n] = 0;
	/* the last few lines fit in @len */
	from = n > len - 1 ? n - (len - 1) : 0;
	snprintf(out, len, "%s", buf + from);
}

/* Close the connections, remove the scratch directory. */
static void cleanup(void)
{
	char p[128];

	if (qt_fd >= 0)
		close(qt_fd);
	if (qmp_fd >= 0)
		close(qmp_fd);
	qt_fd = qmp_fd = -1;
	qt_up = false;
	if (qt_dir[0] && !getenv("QT_KEEP")) {
		static const char *const files[] = {
			"qemu.log", "qemu.out", "qt.sock", "qmp.sock",
		};
		size_t i;

		for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			snprintf(p, sizeof(p), "%s/%s", qt_dir, files[i]);
			unlink(p);
		}
		rmdir(qt_dir);
	}
	qt_dir[0] = 0;
}

void qt_kill(void)
{
	if (qemu_pid > 0) {
		kill(-qemu_pid, SIGKILL);
		reap(10000);
	}
	cleanup();
}

bool qt_running(void)
{
	return qt_up || qemu_pid > 0;
}

void qt_timeout(unsigned int seconds)
{
	pid_t p = qemu_pid;

	alarm_secs = seconds;
	alarm_fired = 1;
	if (p > 0)
		kill(-p, SIGKILL);
}

void qt_timeout_clear(void)
{
	alarm_fired = 0;
}

/*
 * QEMU is gone or unusable while doing @what: say why in qt_why, clean
 * up, and leave the test through qt_fatal_jmp.
 */
__attribute__((noreturn, format(printf, 1, 2)))
static void qt_fail(const char *fmt, ...)
{
	char what[512], death[256], out[400];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (alarm_fired) {
		snprintf(death, sizeof(death), "timeout: the group was still "
			 "running after %u s, QEMU killed", alarm_secs);
		reap(5000);
	} else if (qemu_pid <= 0) {
		snprintf(death, sizeof(death), "no QEMU running");
	} else if ((st = reap(3000)) >= 0) {
		describe_status(st, death, sizeof(death));
	} else {
		snprintf(death, sizeof(death), "QEMU still running, killed");
	}
	qt_qemu_output(out, sizeof(out));
	snprintf(qt_why, sizeof(qt_why), "%s: %s%s%s", what, death,
		 out[0] ? "\nQEMU output: " : "", out);
	qt_kill();
	if (qt_fatal_jmp)
		siglongjmp(*qt_fatal_jmp, 1);
	fprintf(stderr, "# %s\n", qt_why);
	exit(2);
}

/* Read one line into @out from @fd with buffer @buf; false on EOF/timeout */
static bool read_line(int fd, char *buf, size_t *blen, size_t bsize,
		      char *out, size_t olen, int timeout_ms)
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
		if (poll(&p, 1, timeout_ms) != 1)
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
			if (w < 0 && errno == EINTR && !alarm_fired)
				continue;
			return false;
		}
		s += w;
		n -= w;
	}
	return true;
}

/* Send a qtest command; reply line (after "OK ") in @out */
static void qt_cmd(char *out, size_t olen, const char *fmt, ...)
{
	static char line[1 << 17];
	char cmd[1 << 15], shown[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(shown, sizeof(shown), "%.*s%s", n > 40 ? 40 : n, cmd,
		 n > 40 ? "..." : "");
	if (!qt_up || alarm_fired)
		qt_fail("qtest '%s'", shown);
	if (n < 0 || (size_t)n >= sizeof(cmd) - 1)
		qt_fail("qtest command too long");
	cmd[n++] = '\n';
	if (!write_all(qt_fd, cmd, n))
		qt_fail("sending qtest '%s'", shown);
	for (;;) {
		if (!read_line(qt_fd, qt_rbuf, &qt_rlen, sizeof(qt_rbuf), line,
			       sizeof(line), IO_TIMEOUT_MS))
			qt_fail("no reply to qtest '%s'", shown);
		if (!strncmp(line, "IRQ", 3))
			continue;
		break;
	}
	if (strncmp(line, "OK", 2))
		qt_fail("qtest '%s' answered '%.60s'", shown, line);
	if (out)
		snprintf(out, olen, "%s", line[2] == ' ' ? line + 3 : "");
}

static char *big_buf(size_t n)
{
	static char *b;
	static size_t sz;

	if (n > sz) {
		free(b);
		b = malloc(n);
		if (!b) {
			fprintf(stderr, "out of memory\n");
			exit(2);
		}
		sz = n;
	}
	return b;
}

/* QEMU did not come up: keep its output for the caller, clean up. A
 * time limit that struck meanwhile ends the test instead. */
static void start_error(void)
{
	char p[128];
	FILE *f;

	if (alarm_fired)
		qt_fail("starting QEMU");

	qt_start_error[0] = 0;
	if (qemu_pid > 0)
		reap(1000);	/* let it finish writing its error */
	snprintf(p, sizeof(p), "%s/qemu.out", qt_dir);
	f = fopen(p, "r");
	if (f) {
		size_t n = fread(qt_start_error, 1, sizeof(qt_start_error) - 1,
				 f);

		qt_start_error[n] = 0;
		fclose(f);
	}
	qt_kill();
}

bool qt_start(const char *extra)
{
	static const char caps[] = "{\"execute\":\"qmp_capabilities\"}\n";
	char qtp[128], qmpp[128], cmd[4096], line[4096];
	int lq, lm;
	pid_t pid;

	if (alarm_fired)
		qt_fail("starting QEMU");
	if (qt_running())
		qt_fail("starting a second QEMU while one runs (test bug)");
	snprintf(qt_dir, sizeof(qt_dir), "/tmp/jmgpu-qt.XXXXXX");
	if (!mkdtemp(qt_dir)) {
		qt_dir[0] = 0;
		snprintf(qt_start_error, sizeof(qt_start_error),
			 "mkdtemp: %s", strerror(errno));
		return false;
	}
	snprintf(qtp, sizeof(qtp), "%s/qt.sock", qt_dir);
	snprintf(qmpp, sizeof(qmpp), "%s/qmp.sock", qt_dir);
	lq = listen_unix(qtp);
	lm = listen_unix(qmpp);
	if (lq < 0 || lm < 0) {
		snprintf(qt_start_error, sizeof(qt_start_error),
			 "cannot listen on %s", qt_dir);
		if (lq >= 0)
			close(lq);
		if (lm >= 0)
			close(lm);
		cleanup();
		return false;
	}
	snprintf(cmd, sizeof(cmd),
		 "exec %s -machine q35 -accel qtest -nodefaults -display none "
		 "-L /usr/share/seabios -L /usr/share/qemu -m 512M -qtest unix:%s -qtest-log none -qmp unix:%s "
		 "-d guest_errors "
		 "-D %s/qemu.log %s >%s/qemu.out 2>&1",
		 qt_qemu_bin, qtp, qmpp, qt_dir, extra, qt_dir);
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);	/* never outlive the test */
		setpgid(0, 0);	/* a wrapper and its QEMU die together */
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		setpgid(pid, pid);
	qemu_pid = pid;
	qt_fd = accept_timeout(lq, IO_TIMEOUT_MS);
	qmp_fd = qt_fd < 0 ? -1 : accept_timeout(lm, IO_TIMEOUT_MS);
	close(lq);
	close(lm);
	qt_rlen = qmp_rlen = 0;
	if (qt_fd < 0 || qmp_fd < 0) {
		start_error();
		return false;
	}
	/* QMP greeting + capabilities */
	if (!read_line(qmp_fd, qmp_rbuf, &qmp_rlen, sizeof(qmp_rbuf), line,
		       sizeof(line), IO_TIMEOUT_MS)) {
		start_error();
		return false;
	}
	/* QEMU may still refuse its configuration and exit here */
	if (!write_all(qmp_fd, caps, sizeof(caps) - 1) ||
	    !read_line(qmp_fd, qmp_rbuf, &qmp_rlen, sizeof(qmp_rbuf), line,
		       sizeof(line), IO_TIMEOUT_MS) ||
	    !strstr(line, "\"return\"")) {
		start_error();
		return false;
	}
	qt_up = true;
	/* enable ECAM: q35 MCH PCIEXBAR at 0xb0000000, 256 buses */
	qt_outl(0xcf8, 0x80000000 | 0x64);
	qt_outl(0xcfc, 0);
	qt_outl(0xcf8, 0x80000000 | 0x60);
	qt_outl(0xcfc, (uint32_t)QT_ECAM | 1);
	return true;
}

bool qt_quit(char *why, size_t len)
{
	static const char quit[] = "{\"execute\":\"quit\"}\n";
	char line[1024], out[400];
	bool answered = false;
	int st;

	why[0] = 0;
	if (!qt_running()) {
		snprintf(why, len, "no QEMU to stop");
		return false;
	}
	if (alarm_fired) {
		snprintf(why, len, "timeout: the group was still running "
			 "after %u s, QEMU killed", alarm_secs);
		qt_kill();
		return false;
	}
	/* QEMU answers "quit" with {"return": {}}, then exits */
	if (qt_up && write_all(qmp_fd, quit, sizeof(quit) - 1)) {
		while (read_line(qmp_fd, qmp_rbuf, &qmp_rlen, sizeof(qmp_rbuf),
				 line, sizeof(line), 5000)) {
			if (strstr(line, "\"return\"")) {
				answered = true;
				break;
			}
			if (strstr(line, "\"error\""))
				break;
		}
	}
	qt_up = false;
	st = reap(10000);
	if (alarm_fired) {
		snprintf(why, len, "timeout: the group was still running "
			 "after %u s, QEMU killed", alarm_secs);
	} else if (st < 0) {
		snprintf(why, len, "QEMU did not exit within 10 s of QMP quit "
			 "(%s), killed", answered ? "answered" : "no answer");
	} else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		describe_status(st, why, len);
	} else if (!answered) {
		snprintf(why, len, "QEMU exited with status 0 without "
			 "answering QMP quit");
	}
	if (why[0]) {
		size_t l = strlen(why);

		qt_qemu_output(out, sizeof(out));
		if (out[0])
			snprintf(why + l, len - l, "\nQEMU output: %s", out);
	}
	qt_kill();
	return !why[0];
}

char *qt_log_text(void)
{
	char p[128];
	FILE *f;
	char *b;
	long n;

	if (!qt_up)
		qt_fail("reading QEMU's log");
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
	char out[64], *end;
	uint64_t v;

	qt_cmd(out, sizeof(out), "%s 0x%" PRIx64, op, a);
	v = strtoull(out, &end, 0);
	if (end == out)
		qt_fail("%s 0x%" PRIx64 ": reply '%s' is not a number", op, a,
			out);
	return v;
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
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

#define MEM_CHUNK 32768

void qt_memread(uint64_t a, void *buf, size_t len)
{
	uint8_t *p = buf;
	char *out;
	size_t i;

	while (len) {
		size_t n = len > MEM_CHUNK ? MEM_CHUNK : len;

		out = big_buf(2 * n + 16);
		qt_cmd(out, 2 * n + 16, "read 0x%" PRIx64 " 0x%zx", a, n);
		if (strncmp(out, "0x", 2) || strlen(out) != 2 + 2 * n)
			qt_fail("read 0x%" PRIx64 " 0x%zx: malformed reply", a,
				n);
		for (i = 0; i < n; i++) {
			int hi = hexval(out[2 + 2 * i]);
			int lo = hexval(out[3 + 2 * i]);

			if (hi < 0 || lo < 0)
				qt_fail("read 0x%" PRIx64 ": bad hex", a);
			p[i] = hi << 4 | lo;
		}
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
	char out[64], *end;
	int64_t t;

	qt_cmd(out, sizeof(out), "clock_step %" PRId64, ns);
	t = strtoll(out, &end, 0);
	if (end == out)
		qt_fail("clock_step: reply '%s' is not a time", out);
	return t;
}

bool qmp_cmd(const char *json, char *reply, size_t len)
{
	char line[1 << 14], shown[64];

	snprintf(shown, sizeof(shown), "%.50s", json);
	if (!qt_up || alarm_fired)
		qt_fail("QMP '%s'", shown);
	if (!write_all(qmp_fd, json, strlen(json)) ||
	    !write_all(qmp_fd, "\n", 1))
		qt_fail("sending QMP '%s'", shown);
	for (;;) {
		if (!read_line(qmp_fd, qmp_rbuf, &qmp_rlen, sizeof(qmp_rbuf),
			       line, sizeof(line), IO_TIMEOUT_MS))
			qt_fail("no reply to QMP '%s'", shown);
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

static uint64_t ecam(int bdf, int off)
{
	return QT_ECAM + ((uint64_t)bdf << 12) + off;
}

uint32_t pci_cfg_readl(int bdf, int off) { return qt_readl(ecam(bdf, off)); }
uint16_t pci_cfg_readw(int bdf, int off) { return qt_readw(ecam(bdf, off)); }
uint8_t pci_cfg_readb(int bdf, int off) { return qt_readb(ecam(bdf, off)); }

void pci_cfg_writel(int bdf, int off, uint32_t v)
{
	qt_writel(ecam(bdf, off), v);
}

void pci_cfg_writew(int bdf, int off, uint16_t v)
{
	qt_writew(ecam(bdf, off), v);
}

void pci_cfg_writeb(int bdf, int off, uint8_t v)
{
	qt_writeb(ecam(bdf, off), v);
}

int pci_find_cap(int bdf, int id)
{
	int pos = pci_cfg_readb(bdf, 0x34), n = 0;

	while (pos && n++ < 48) {
		if (pci_cfg_readb(bdf, pos) == id)
			return pos;
		pos = pci_cfg_readb(bdf, pos + 1);
	}
	return 0;
}

int pci_find_ext_cap(int bdf, int id)
{
	int pos = 0x100, n = 0;

	while (pos && n++ < 64) {
		uint32_t h = pci_cfg_readl(bdf, pos);

		if (!h || h == 0xffffffff)
			return 0;
		if ((h & 0xffff) == (uint32_t)id)
			return pos;
		pos = h >> 20;
	}
	return 0;
}

uint64_t pci_bar_size(int bdf, int bar, bool *is64, bool *pref)
{
	int off = 0x10 + 4 * bar;
	uint32_t old = pci_cfg_readl(bdf, off), lo, hi = 0xffffffff;
	uint32_t oldhi = 0;
	uint64_t mask;

	*is64 = (old & 6) == 4;
	*pref = old & 8;
	pci_cfg_writel(bdf, off, 0xffffffff);
	lo = pci_cfg_readl(bdf, off);
	pci_cfg_writel(bdf, off, old);
	if (*is64) {
		oldhi = pci_cfg_readl(bdf, off + 4);
		pci_cfg_writel(bdf, off + 4, 0xffffffff);
		hi = pci_cfg_readl(bdf, off + 4);
		pci_cfg_writel(bdf, off + 4, oldhi);
	}
	mask = ((uint64_t)hi << 32) | (lo & ~0xfu);
	if (!*is64)
		mask |= 0xffffffff00000000ull;
	return mask ? ~mask + 1 : 0;
}

void pci_bar_set(int bdf, int bar, uint64_t addr, bool is64)
{
	pci_cfg_writel(bdf, 0x10 + 4 * bar, (uint32_t)addr);
	if (is64)
		pci_cfg_writel(bdf, 0x14 + 4 * bar, addr >> 32);
}

void msix_setup(int bdf, uint64_t bar_addr, int vec, uint64_t addr,
		uint32_t data)
{
	int cap = pci_find_cap(bdf, 0x11);
	uint32_t tbl = pci_cfg_readl(bdf, cap + 4) & ~7u;
	uint64_t e = bar_addr + tbl + 16 * vec;
	uint16_t ctl;

	qt_writel(e, (uint32_t)addr);
	qt_writel(e + 4, addr >> 32);
	qt_writel(e + 8, data);
	qt_writel(e + 12, 0);
	ctl = pci_cfg_readw(bdf, cap + 2);
	pci_cfg_writew(bdf, cap + 2, (ctl | 0x8000) & ~0x4000);
}

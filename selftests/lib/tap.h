/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP (Test Anything Protocol) helpers for the jmgpu C tests.
 *
 *   tap_plan(n);                 prints "1..n": call it first, so a program
 *                                that stops early is caught by its plan
 *   tap_plan_late();             only where the count depends on the run:
 *                                prints "1..<count so far>" at the end
 *   tap_ok(cond, fmt, ...);      prints "ok N - ..." or "not ok N - ..."
 *   tap_skip(reason, fmt, ...);  prints "ok N - ... # SKIP reason"
 *   tap_diag(fmt, ...);          prints "# ..." (to stdout, TAP comment)
 *   tap_diag_text(what, text, max);  a multi-line text (a command's output)
 *                                as comments "# what: <line>", max lines
 *   return tap_done();           0 when every test passed, 1 otherwise;
 *                                also fails when the plan does not match.
 *
 * Header only; all state is static, so include it from one file per program.
 */
#ifndef JMGPU_TAP_H
#define JMGPU_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed, tap_planned = -1;

static inline void tap_plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

static inline void tap_vline(int pass, const char *directive,
			     const char *fmt, va_list ap)
{
	tap_n++;
	printf("%sok %d - ", pass ? "" : "not ", tap_n);
	vprintf(fmt, ap);
	if (directive)
		printf(" # %s", directive);
	printf("\n");
	fflush(stdout);
	if (!pass)
		tap_failed++;
}

__attribute__((format(printf, 2, 3)))
static inline int tap_ok(int pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vline(!!pass, NULL, fmt, ap);
	va_end(ap);
	return !!pass;
}

__attribute__((format(printf, 2, 3)))
static inline void tap_skip(const char *reason, const char *fmt, ...)
{
	char dir[256];
	va_list ap;

	snprintf(dir, sizeof(dir), "SKIP %s", reason);
	va_start(ap, fmt);
	tap_vline(1, dir, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 1, 2)))
static inline void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/*
 * A multi-line text (e.g. a command's output) as TAP comments, one
 * "# <what>: <line>" a line, at most max_lines of them: a line of the text
 * that looks like TAP never reaches the stream as a test line.
 */
static inline void tap_diag_text(const char *what, const char *text, int max_lines)
{
	const char *l = text;
	int n = 0;

	while (*l && n++ < max_lines) {
		const char *e = strchr(l, '\n');
		int len = e ? (int)(e - l) : (int)strlen(l);

		printf("# %s: %.*s\n", what, len, l);
		l += len + (e ? 1 : 0);
	}
	fflush(stdout);
}

/* Compare two integers; on mismatch print both as a diagnostic. */
#define tap_eq(got, want, ...)						\
	({								\
		long long _g = (long long)(got), _w = (long long)(want); \
		int _p = tap_ok(_g == _w, __VA_ARGS__);			\
		if (!_p)						\
			tap_diag("  got %lld (0x%llx), want %lld (0x%llx)", \
				 _g, (unsigned long long)_g, _w,	\
				 (unsigned long long)_w);		\
		_p;							\
	})

/* Print the plan at the end when the count is not known up front. */
static inline void tap_plan_late(void)
{
	if (tap_planned < 0) {
		tap_planned = tap_n;
		printf("1..%d\n", tap_n);
	}
}

static inline int tap_done(void)
{
	if (tap_planned < 0) {
		/* a plan was never declared: that is a broken test */
		printf("not ok %d - TAP plan declared (tap_plan() up front or tap_plan_late())\n",
		       ++tap_n);
		printf("1..%d\n", tap_n);
		return 1;
	}
	if (tap_planned != tap_n) {
		tap_diag("planned %d tests but ran %d", tap_planned, tap_n);
		return 1;
	}
	if (tap_failed)
		tap_diag("%d of %d tests failed", tap_failed, tap_n);
	fflush(stdout);
	return tap_failed ? 1 : 0;
}

#endif /* JMGPU_TAP_H */

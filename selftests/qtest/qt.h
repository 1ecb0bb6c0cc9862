/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Minimal standalone qtest client: spawns qemu-system-x86_64 with
 * -accel qtest, speaks the qtest text protocol and QMP, and provides PCI
 * (ECAM), BAR and MSI-X helpers. No QEMU source tree needed.
 *
 * A test can never read a value from a QEMU that is gone: when QEMU dies
 * (crash, exit, no reply, the test's alarm) or an operation is issued
 * while no QEMU runs, the operation does not return. The reason goes to
 * qt_why and control jumps to *qt_fatal_jmp (the harness ends the group
 * there with a failure); without a jump target the program exits.
 */
#ifndef JMGPU_QT_H
#define JMGPU_QT_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

extern const char *qt_qemu_bin;

/* Where a dead QEMU sends the test (sigsetjmp by the harness) */
extern sigjmp_buf *qt_fatal_jmp;
/* Why QEMU is gone, set before the jump */
extern char qt_why[2048];

/* QEMU's output when qt_start() failed */
extern char qt_start_error[2048];

/* Start QEMU with extra arguments (a -device line etc.). False when QEMU
 * did not come up (qt_start_error says why). */
bool qt_start(const char *extra_args);
/* Is a started QEMU still to be stopped with qt_quit()? */
bool qt_running(void);
/* Stop QEMU through QMP "quit" and reap it. True only when it was alive,
 * answered and exited with status 0; else @why (len bytes) says what
 * happened (signal, exit status, timeout). */
bool qt_quit(char *why, size_t len);
/* Kill and reap QEMU without checking anything (after a failure). */
void qt_kill(void);
/* From a SIGALRM handler: the test ran out of time. Async-signal-safe:
 * kills QEMU; the next (or the blocked) operation fails with "timeout". */
void qt_timeout(unsigned int seconds);
/* Forget an earlier timeout (before the next group). */
void qt_timeout_clear(void);
/* Text of QEMU's log file (-D), malloc'ed; NULL if none. */
char *qt_log_text(void);
/* Last line(s) QEMU printed on stdout/stderr, for diagnostics */
void qt_qemu_output(char *out, size_t len);

uint8_t qt_readb(uint64_t a);
uint16_t qt_readw(uint64_t a);
uint32_t qt_readl(uint64_t a);
uint64_t qt_readq(uint64_t a);
void qt_writeb(uint64_t a, uint8_t v);
void qt_writew(uint64_t a, uint16_t v);
void qt_writel(uint64_t a, uint32_t v);
void qt_writeq(uint64_t a, uint64_t v);
void qt_memread(uint64_t a, void *buf, size_t len);
void qt_memwrite(uint64_t a, const void *buf, size_t len);
void qt_memset(uint64_t a, uint8_t v, size_t len);
void qt_outl(uint16_t port, uint32_t v);
uint32_t qt_inl(uint16_t port);
/* Advance the virtual clock; returns the new virtual time in ns */
int64_t qt_clock_step(int64_t ns);

/* QMP: returns true when the reply has "return", false for "error" */
bool qmp_cmd(const char *json, char *reply, size_t len);
bool qmp_qom_set(const char *path, const char *prop, const char *json_val);
bool qmp_qom_get(const char *path, const char *prop, char *out, size_t len);

/* PCI config through ECAM (enabled by qt_start). @bdf is bus << 8 |
 * devfn: a plain devfn addresses bus 0. */
#define QT_ECAM 0xb0000000ull
uint32_t pci_cfg_readl(int bdf, int off);
uint16_t pci_cfg_readw(int bdf, int off);
uint8_t pci_cfg_readb(int bdf, int off);
void pci_cfg_writel(int bdf, int off, uint32_t v);
void pci_cfg_writew(int bdf, int off, uint16_t v);
void pci_cfg_writeb(int bdf, int off, uint8_t v);
int pci_find_cap(int bdf, int id);
int pci_find_ext_cap(int bdf, int id);
/* Size of a BAR (64-bit aware). */
uint64_t pci_bar_size(int bdf, int bar, bool *is64, bool *pref);
void pci_bar_set(int bdf, int bar, uint64_t addr, bool is64);

/* MSI-X: program vector @vec of function @bdf (table in BAR at @bar_addr)
 * to write @data to RAM address @addr, and enable MSI-X. */
void msix_setup(int bdf, uint64_t bar_addr, int vec, uint64_t addr,
		uint32_t data);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Minimal standalone qtest client: spawns qemu-system-x86_64 with
 * -accel qtest, speaks the qtest text protocol and QMP, and provides PCI
 * (ECAM), BAR and MSI-X helpers. No QEMU source tree needed.
 */
#ifndef JMGPU_QT_H
#define JMGPU_QT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

extern const char *qt_qemu_bin;
extern bool qt_dead;            /* QEMU gone or timed out: ops return 0 */

/* QEMU's output when qt_start() failed */
extern char qt_start_error[2048];

/* Start QEMU with extra arguments (a -device line etc.). */
bool qt_start(const char *extra_args);
void qt_stop(void);
/* Text of QEMU's log file (-D), malloc'ed; NULL if none. */
char *qt_log_text(void);

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
int64_t qt_clock_step(int64_t ns);

/* QMP: returns true when the reply has "return" (not "error") */
bool qmp_cmd(const char *json, char *reply, size_t len);
bool qmp_qom_set(const char *path, const char *prop, const char *json_val);
bool qmp_qom_get(const char *path, const char *prop, char *out, size_t len);

/* PCI config through ECAM (enabled by qt_start), bus 0 */
#define QT_ECAM 0xb0000000ull
uint32_t pci_cfg_readl(int devfn, int off);
uint16_t pci_cfg_readw(int devfn, int off);
uint8_t pci_cfg_readb(int devfn, int off);
void pci_cfg_writel(int devfn, int off, uint32_t v);
void pci_cfg_writew(int devfn, int off, uint16_t v);
int pci_find_cap(int devfn, int id);
int pci_find_ext_cap(int devfn, int id);
/* Size of a BAR (64-bit aware). */
uint64_t pci_bar_size(int devfn, int bar, bool *is64, bool *pref);
void pci_bar_set(int devfn, int bar, uint64_t addr, bool is64);

/* MSI-X: program vector @vec of function @devfn (table in BAR at @bar_addr)
 * to write @data to RAM address @addr, and enable MSI-X. */
void msix_setup(int devfn, uint64_t bar_addr, int vec, uint64_t addr,
                uint32_t data);

#endif

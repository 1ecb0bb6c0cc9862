# SPDX-License-Identifier: GPL-2.0
# jmgpu top level. `make check` and `make demo` work from a fresh Debian 12
# machine (as root): they install what is missing first.

SHELL := /bin/bash
TOP := $(CURDIR)
MODDIRS := $(wildcard pf_driver vf_mdev)
KDIR ?= $(shell $(TOP)/scripts/fetch-kernel.sh 2>/dev/null | cut -d' ' -f3)

.PHONY: all deps modules tools qemu kernel check demo vm-shell vm-test \
	bench unit qtest lint clean install mutants

all: modules tools

deps:
	scripts/install-deps.sh

modules: deps
	@for d in $(MODDIRS); do $(MAKE) -C $$d KDIR=$(KDIR) modules || exit 1; done

tools: deps
	@for d in $(wildcard sriov_cfg); do $(MAKE) -C $$d || exit 1; done

qemu: deps
	scripts/build-qemu.sh

# make install [DESTDIR=...] [KDIR=...]: modules (to updates/) built for the
# running kernel (KDIR=/lib/modules/$(uname -r)/build unless given), depmod,
# sriov_cfg, its man pages and systemd unit, the VF udev rule.
# make install DKMS=1: the module sources to /usr/src/jmgpu-<version> for
# DKMS (dkms.conf) instead of modules built for one kernel.
# It installs no packages (scripts/install-deps.sh is the test platform's):
# the build needs what Documentation/admin-guide.rst lists, kernel >= 6.12.
JMGPU_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
UDEVRULESDIR ?= /lib/udev/rules.d
INSTALL_KDIR = $(if $(filter file,$(origin KDIR)),/lib/modules/$(shell uname -r)/build,$(KDIR))
install:
	$(MAKE) -C sriov_cfg
ifeq ($(DKMS),)
	@kdir='$(INSTALL_KDIR)'; \
	if [ ! -d "$$kdir" ]; then \
		echo "make install: no kernel build tree at $$kdir: install the headers of the running kernel (Debian: linux-headers-$$(uname -r)) or give KDIR=<build tree>" >&2; \
		exit 1; fi; \
	krel=$$(cat "$$kdir/include/config/kernel.release" 2>/dev/null || \
		$(MAKE) -s --no-print-directory -C "$$kdir" kernelrelease); \
	maj=$${krel%%.*}; min=$${krel#*.}; min=$${min%%[!0-9]*}; \
	if ! [ "$${maj:-0}" -gt 6 ] 2>/dev/null && \
	   ! { [ "$${maj:-0}" -eq 6 ] && [ "$${min:-0}" -ge 12 ]; } 2>/dev/null; then \
		echo "make install: jmgpu needs Linux 6.12 or later; $$kdir is for $${krel:-an unknown kernel}." >&2; \
		echo "  Debian 12: apt-get install -t bookworm-backports linux-image-amd64 linux-headers-amd64, reboot into it (Documentation/admin-guide.rst, Install)." >&2; \
		exit 1; fi; \
	echo "make install: modules for $$krel ($$kdir)"; \
	for d in $(MODDIRS); do $(MAKE) -C $$d KDIR="$$kdir" modules || exit 1; done; \
	for d in $(MODDIRS); do $(MAKE) -C "$$kdir" M=$(TOP)/$$d \
		INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=updates \
		modules_install || exit 1; done; \
	if [ -z "$(DESTDIR)" ]; then \
		echo "make install: depmod -a $$krel"; depmod -a "$$krel" || exit 1; \
	else \
		echo "make install: DESTDIR is set, depmod not run: on the host that gets these files, run: depmod -a $$krel"; \
	fi
else
	@d=$(DESTDIR)/usr/src/jmgpu-$(JMGPU_VERSION); \
	install -D -m 0644 dkms.conf $$d/dkms.conf && \
	for f in firmware-iface/*.h pf_driver/*.[ch] pf_driver/Kbuild \
		pf_driver/Makefile vf_mdev/*.[ch] vf_mdev/Kbuild vf_mdev/Makefile; do \
		case $$f in *.mod.c) continue ;; esac; \
		install -D -m 0644 $$f $$d/$$f || exit 1; done; \
	echo "make install: module sources in $$d; then: dkms add jmgpu/$(JMGPU_VERSION) && dkms install jmgpu/$(JMGPU_VERSION)"
endif
	$(MAKE) -C sriov_cfg install DESTDIR=$(DESTDIR)
	install -D -m 0644 vf_mdev/99-jmgpu-vfio.rules \
		$(DESTDIR)$(UDEVRULESDIR)/99-jmgpu-vfio.rules

kernel: deps
	scripts/fetch-kernel.sh

# the packaging test builds modules for the guest kernel: headers first
unit: deps kernel
	mkdir -p build; $(MAKE) -s -C selftests/unit run > build/unit.tap; rc=$$?; \
	cat build/unit.tap; awk -f scripts/tap-summary.awk build/unit.tap; exit $$rc

qtest: deps
	selftests/qtest/run.sh $$(scripts/build-qemu.sh) $(G)

lint: deps
	scripts/lint.sh

# VM selftests only; T=<glob> picks tests (e.g. T='3*')
vm-test: deps
	scripts/vm.sh test '$(or $(T),*)'
	@awk -f scripts/tap-summary.awk build/vm-tap.log

check:
	scripts/check.sh

demo: deps
	scripts/vm.sh demo

# ratios measured in one VM run: jmgpu_vfio_pci against plain vfio-pci
bench: deps
	scripts/bench.sh

# deliberate breaks (mutants/*.patch) the tests must notice; M=<glob> picks
# some. Not part of `make check`: it rebuilds QEMU per model mutant.
mutants: deps kernel
	scripts/mutants.sh $(or $(M),'*')

vm-shell: deps
	scripts/vm.sh shell

clean:
	rm -rf build
	@for d in $(MODDIRS); do $(MAKE) -C $$d KDIR=$(KDIR) clean; done
	-$(MAKE) -C selftests/unit clean
	-$(MAKE) -C selftests/qtest clean

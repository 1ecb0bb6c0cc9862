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

# make install [DESTDIR=...] [KDIR=/lib/modules/$(uname -r)/build]: modules
# (to updates/), sriov_cfg, its man pages and systemd unit, the VF udev rule.
# make install DKMS=1: the module sources to /usr/src/jmgpu-<version> for
# DKMS (dkms.conf) instead of modules built for one kernel.
JMGPU_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
UDEVRULESDIR ?= /lib/udev/rules.d
install: tools $(if $(DKMS),,modules)
ifeq ($(DKMS),)
	@for d in $(MODDIRS); do $(MAKE) -C $(KDIR) M=$(TOP)/$$d \
		INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=updates \
		modules_install || exit 1; done
else
	@d=$(DESTDIR)/usr/src/jmgpu-$(JMGPU_VERSION); \
	install -D -m 0644 dkms.conf $$d/dkms.conf && \
	for f in firmware-iface/*.h pf_driver/*.[ch] pf_driver/Kbuild \
		pf_driver/Makefile vf_mdev/*.[ch] vf_mdev/Kbuild vf_mdev/Makefile; do \
		case $$f in *.mod.c) continue ;; esac; \
		install -D -m 0644 $$f $$d/$$f || exit 1; done
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
	scripts/mutants.sh '$(or $(M),*)'

vm-shell: deps
	scripts/vm.sh shell

clean:
	rm -rf build
	@for d in $(MODDIRS); do $(MAKE) -C $$d KDIR=$(KDIR) clean; done
	-$(MAKE) -C selftests/unit clean
	-$(MAKE) -C selftests/qtest clean

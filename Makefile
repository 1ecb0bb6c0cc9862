# SPDX-License-Identifier: GPL-2.0
# jmgpu top level. `make check` and `make demo` work from a fresh Debian 12
# machine (as root): they install what is missing first.

SHELL := /bin/bash
TOP := $(CURDIR)
MODDIRS := $(wildcard pf_driver vf_mdev)
KDIR ?= $(shell $(TOP)/scripts/fetch-kernel.sh 2>/dev/null | cut -d' ' -f3)

.PHONY: all deps modules tools qemu kernel check demo vm-shell vm-test \
	bench unit qtest lint clean

all: modules tools

deps:
	scripts/install-deps.sh

modules: deps
	@for d in $(MODDIRS); do $(MAKE) -C $$d KDIR=$(KDIR) modules || exit 1; done

tools: deps
	@for d in $(wildcard sriov_cfg); do $(MAKE) -C $$d || exit 1; done

qemu: deps
	scripts/build-qemu.sh

kernel: deps
	scripts/fetch-kernel.sh

unit: deps
	$(MAKE) -C selftests/unit run

qtest: deps
	selftests/qtest/run.sh $$(scripts/build-qemu.sh)

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

vm-shell: deps
	scripts/vm.sh shell

clean:
	rm -rf build
	@for d in $(MODDIRS); do $(MAKE) -C $$d KDIR=$(KDIR) clean; done
	-$(MAKE) -C selftests/unit clean
	-$(MAKE) -C selftests/qtest clean

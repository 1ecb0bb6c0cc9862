#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: install what is missing, build, run every test stage and
# print one closing line "N passed, N failed[, N skipped]".
# Stages, each writing TAP to build/tap/<stage>.tap:
#   unit   host unit tests (sanitizers)          selftests/unit
#   qtest  device-model tests, no guest           selftests/qtest
#   lint   checkpatch --strict + sparse           pf_driver, vf_mdev
#   docs   sphinx-build -W                        Documentation
#   vm     VM selftests in the test VM            selftests/vm
# A stage that cannot run at all counts as one failure with its reason.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

tapdir=$JMGPU_TOP/build/tap
rm -rf "$tapdir"
mkdir -p "$tapdir"
t0=$(date +%s)

stage() {	# stage <name> <command...>: command prints TAP on stdout
	local name=$1 s rc
	shift
	s=$(date +%s)
	log "check: stage $name"
	"$@" > "$tapdir/$name.tap" 2> "$tapdir/$name.err"
	rc=$?
	if ! grep -q '^1\.\.' "$tapdir/$name.tap"; then
		tail -n 20 "$tapdir/$name.err" >&2
		printf '1..1\nnot ok 1 - stage %s did not run (exit %d): %s\n' \
			"$name" "$rc" "$(tail -n1 "$tapdir/$name.err")" > "$tapdir/$name.tap"
	fi
	log "check: stage $name took $(( $(date +%s) - s ))s"
}

"$JMGPU_TOP/scripts/install-deps.sh" >&2 || die "dependency install failed"

stage unit make -s -C "$JMGPU_TOP/selftests/unit" run
qemu=$("$JMGPU_TOP/scripts/build-qemu.sh") || die "QEMU build failed"
stage qtest "$JMGPU_TOP/selftests/qtest/run.sh" "$qemu"
stage lint "$JMGPU_TOP/scripts/lint.sh"
docs_stage() {
	echo "1..1"
	if out=$(sphinx-build -q -W -b html "$JMGPU_TOP/Documentation" \
		"$JMGPU_TOP/build/docs" 2>&1); then
		echo "ok 1 - Documentation builds with sphinx-build -W"
	else
		echo "not ok 1 - Documentation builds with sphinx-build -W"
		sed 's/^/# /' <<<"$out" | head -n 30
	fi
}
stage docs docs_stage
vm_stage() {
	JMGPU_VM_OUT=$tapdir/vm.log "$JMGPU_TOP/scripts/vm.sh" test '*' >&2
	cat "$tapdir/vm.log"
}
stage vm vm_stage

log "check: total $(( $(date +%s) - t0 ))s"
awk -f "$JMGPU_TOP/scripts/tap-summary.awk" "$tapdir"/unit.tap \
	"$tapdir"/qtest.tap "$tapdir"/lint.tap "$tapdir"/docs.tap "$tapdir"/vm.tap

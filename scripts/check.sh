#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: install what is missing, build, run every test stage and
# print one closing line "N passed, N failed[, N skipped]".
# Set-up first, in the order the stages need it:
#   packages (install-deps.sh), guest kernel image + headers (fetch-kernel.sh,
#   needed by the unit stage's packaging test and by every module build),
#   QEMU with the device model (build-qemu.sh).
# Stages, each writing TAP to build/tap/<stage>.tap:
#   unit   host unit tests (sanitizers)          selftests/unit
#   qtest  device-model tests, no guest           selftests/qtest
#   lint   checkpatch --strict + sparse           pf_driver, vf_mdev
#   docs   sphinx-build -W                        Documentation
#   vm     VM selftests in the test VM            selftests/vm
#   vm-debug  with JMGPU_CHECK_DEBUG=1: the driver VM selftests again, on
#          the debug + modern kernel (KASAN, lockdep, kmemleak, UBSAN,
#          IOMMUFD; build-debug-kernel.sh)
# A set-up step or stage that cannot run counts as one failure with its
# reason; a stage's exit status counts too (scripts/tap-summary.awk).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

tapdir=$JMGPU_TOP/build/tap
rm -rf "$tapdir"
mkdir -p "$tapdir"
t0=$(date +%s)
times=()

stage() {	# stage <name> <command...>: command prints TAP on stdout
	local name=$1 s rc
	shift
	s=$(date +%s)
	log "check: stage $name"
	"$@" > "$tapdir/$name.tap" 2> "$tapdir/$name.err"
	rc=$?
	if ! grep -q '^1\.\.\|^### BEGIN' "$tapdir/$name.tap"; then
		tail -n 20 "$tapdir/$name.err" >&2
		printf '1..1\nnot ok 1 - stage %s did not run (exit %d): %s\n' \
			"$name" "$rc" "$(tail -n1 "$tapdir/$name.err")" >> "$tapdir/$name.tap"
	elif [ "$rc" != 0 ]; then
		tail -n 20 "$tapdir/$name.err" >&2
	fi
	echo "### STAGE $name rc=$rc" >> "$tapdir/$name.tap"
	times+=("$name $(( $(date +%s) - s ))s")
	log "check: stage $name took $(( $(date +%s) - s ))s (exit $rc)"
}

# setup <name> <command...>: a set-up step; its failure is one failed test
# (with the tail of its output) and the stages that need it fail too.
setup() {
	local name=$1 s rc
	shift
	s=$(date +%s)
	log "check: set-up $name"
	"$@" 2>&1 | tee "$tapdir/setup-$name.out" >&2
	rc=${PIPESTATUS[0]}
	# a set-up that worked is no test of its own: nothing to count
	[ "$rc" = 0 ] || {
		echo "1..1"
		echo "not ok 1 - set-up: $name failed (exit $rc)"
		tail -n 15 "$tapdir/setup-$name.out" | sed 's/^/# /'
	} > "$tapdir/setup-$name.tap"
	[ "$rc" = 0 ] || tail -n 15 "$tapdir/setup-$name.out" >&2
	times+=("set-up $name $(( $(date +%s) - s ))s")
	log "check: set-up $name took $(( $(date +%s) - s ))s (exit $rc)"
	return "$rc"
}

cannot() {	# cannot <stage> <reason>: a stage that cannot run
	printf '1..1\nnot ok 1 - stage %s cannot run: %s\n' "$1" "$2" > "$tapdir/$1.tap"
}

have_deps=1 have_kernel=1 have_qemu=1
setup packages "$JMGPU_TOP/scripts/install-deps.sh" || have_deps=0
if [ $have_deps = 1 ]; then
	setup kernel "$JMGPU_TOP/scripts/fetch-kernel.sh" || have_kernel=0
else
	have_kernel=0
fi
if [ $have_kernel = 1 ]; then
	read -r kver _ kdir < <(tail -n1 "$tapdir/setup-kernel.out")
	export JMGPU_KVER=$kver
	log "check: guest kernel $kver (headers $kdir)"
fi

# The debug kernel takes ~25 min of CPU: build it in the background, at
# low priority, while the stages below (mostly one core busy) run.
if [ $have_kernel = 1 ] && [ "${JMGPU_CHECK_DEBUG:-0}" = 1 ]; then
	nice -n 19 "$JMGPU_TOP/scripts/build-debug-kernel.sh" \
		> "$tapdir/debug-kernel.out" 2>&1 &
	dbg_pid=$!
fi

if [ $have_deps = 1 ]; then
	stage unit make -s -C "$JMGPU_TOP/selftests/unit" run
	setup qemu "$JMGPU_TOP/scripts/build-qemu.sh" || have_qemu=0
else
	cannot unit "packages are not installed (see set-up: packages)"
	have_qemu=0
fi
if [ $have_qemu = 1 ]; then
	qemu=$(tail -n1 "$tapdir/setup-qemu.out")
	stage qtest "$JMGPU_TOP/selftests/qtest/run.sh" "$qemu"
else
	cannot qtest "no QEMU with the device model (see set-up: qemu)"
fi
if [ $have_kernel = 1 ]; then
	stage lint "$JMGPU_TOP/scripts/lint.sh"
else
	cannot lint "no guest kernel headers (see set-up: kernel)"
fi
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
if [ $have_deps = 1 ]; then
	stage docs docs_stage
else
	cannot docs "packages are not installed (see set-up: packages)"
fi
vm_stage() {
	JMGPU_VM_OUT=$tapdir/vm.log "$JMGPU_TOP/scripts/vm.sh" test '*' >&2
	local rc=$?
	cat "$tapdir/vm.log"
	return $rc
}
if [ $have_qemu = 1 ] && [ $have_kernel = 1 ]; then
	stage vm vm_stage
else
	cannot vm "needs QEMU and the guest kernel (see the set-up lines)"
fi

# The driver tests (PF, vGPU, sriov_cfg) once more on the debug kernel: a
# KASAN/lockdep/kmemleak/UBSAN report or a WARN there fails the run.
have_dbg=0
if [ -n "${dbg_pid:-}" ]; then
	log "check: waiting for the debug kernel build (started in the background)"
	s=$(date +%s)
	wait "$dbg_pid"
	rc=$?
	if [ $rc = 0 ]; then
		have_dbg=1
	else
		tail -n 15 "$tapdir/debug-kernel.out" >&2
		{
			echo "1..1"
			echo "not ok 1 - set-up: debug-kernel failed (exit $rc)"
			tail -n 15 "$tapdir/debug-kernel.out" | sed 's/^/# /'
		} > "$tapdir/setup-debug-kernel.tap"
	fi
	times+=("set-up debug-kernel (waited) $(( $(date +%s) - s ))s")
fi
vm_debug_stage() {
	JMGPU_KERNEL=debug JMGPU_VM_OUT=$tapdir/vm-debug.log \
		"$JMGPU_TOP/scripts/vm.sh" test "${JMGPU_DEBUG_TESTS:-3*,4*,5*}" >&2
	local rc=$?
	cat "$tapdir/vm-debug.log"
	return $rc
}
if [ "${JMGPU_CHECK_DEBUG:-0}" != 1 ]; then
	:	# not yet part of the default run (see Documentation/testing.rst)
elif [ $have_qemu = 1 ] && [ $have_dbg = 1 ]; then
	stage vm-debug vm_debug_stage
else
	cannot vm-debug "needs QEMU and the debug kernel (see the set-up lines)"
fi

log "check: total $(( $(date +%s) - t0 ))s"
printf '[time] %s\n' "${times[@]}" >&2
shopt -s nullglob
# every stage wrote its file (results or "cannot run"); vm-debug only when
# asked for. A stage file missing here is a bug of this script: a failure.
files=("$tapdir"/setup-*.tap)
for st in unit qtest lint docs vm; do
	[ -f "$tapdir/$st.tap" ] || cannot "$st" "no results written (check.sh bug)"
	files+=("$tapdir/$st.tap")
done
[ ! -f "$tapdir/vm-debug.tap" ] || files+=("$tapdir/vm-debug.tap")
awk -f "$JMGPU_TOP/scripts/tap-summary.awk" "${files[@]}"

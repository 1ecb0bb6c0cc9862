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
#   vm-debug-N  the driver VM selftests again, on the debug + modern kernel
#          (KASAN, lockdep, kmemleak, UBSAN, IOMMUFD; build-debug-kernel.sh),
#          split over JMGPU_DEBUG_VMS (2) VMs that run next to the other
#          stages (each VM is one single-threaded TCG process)
# The two long builds (QEMU, the debug kernel) run in the background while
# the unit, lint and docs stages run. JMGPU_CHECK_DEBUG=0 leaves the debug
# kernel out (a developer's quick run): vm-debug is then one skip.
# A set-up step or stage that cannot run counts as one failure with its
# reason; a stage's exit status counts too (scripts/tap-summary.awk).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

tapdir=$JMGPU_TOP/build/tap
rm -rf "$tapdir"
mkdir -p "$tapdir"
t0=$(date +%s)
: > "$tapdir/times"

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
	echo "$name $(( $(date +%s) - s ))s" >> "$tapdir/times"
	log "check: stage $name took $(( $(date +%s) - s ))s (exit $rc)"
}

# setup_result <name> <rc>: a set-up that worked is no test of its own
# (nothing to count); a failed one is one failure with its output's tail.
setup_result() {
	[ "$2" = 0 ] && return
	{
		echo "1..1"
		echo "not ok 1 - set-up: $1 failed (exit $2)"
		tail -n 15 "$tapdir/setup-$1.out" | sed 's/^/# /'
	} > "$tapdir/setup-$1.tap"
	tail -n 15 "$tapdir/setup-$1.out" >&2
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
	setup_result "$name" "$rc"
	echo "set-up $name $(( $(date +%s) - s ))s" >> "$tapdir/times"
	log "check: set-up $name took $(( $(date +%s) - s ))s (exit $rc)"
	return "$rc"
}

# bg_setup <name> <command...>: a set-up step started in the background
# (its exit status lands in build/tap/setup-<name>.rc); setup_wait <name>
# collects it like setup would (output on failure only).
declare -A bg_pid bg_start
bg_setup() {
	local name=$1
	shift
	log "check: set-up $name (in the background, log build/tap/setup-$name.out)"
	bg_start[$name]=$(date +%s)
	( nice -n 10 "$@" > "$tapdir/setup-$name.out" 2>&1
	  echo $? > "$tapdir/setup-$name.rc.tmp"
	  mv "$tapdir/setup-$name.rc.tmp" "$tapdir/setup-$name.rc" ) &
	bg_pid[$name]=$!
}
setup_wait() {
	local name=$1 rc
	log "check: waiting for set-up $name"
	wait "${bg_pid[$name]}"
	rc=$(cat "$tapdir/setup-$name.rc" 2>/dev/null || echo 255)
	setup_result "$name" "$rc"
	echo "set-up $name $(( $(date +%s) - ${bg_start[$name]} ))s (background)" >> "$tapdir/times"
	log "check: set-up $name done after $(( $(date +%s) - ${bg_start[$name]} ))s (exit $rc)"
	return "$rc"
}
# rc_wait <name>: in another background job, wait for a bg_setup's status
rc_wait() {
	while [ ! -f "$tapdir/setup-$1.rc" ]; do sleep 2; done
	[ "$(cat "$tapdir/setup-$1.rc")" = 0 ]
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

debug=${JMGPU_CHECK_DEBUG:-1}
case $debug in 0|1) ;; *) die "JMGPU_CHECK_DEBUG must be 0 or 1, not '$debug'" ;; esac
ndbg=${JMGPU_DEBUG_VMS:-2}
[[ $ndbg =~ ^[1-4]$ ]] || die "JMGPU_DEBUG_VMS must be 1 to 4, not '$ndbg'"
# The driver tests (PF, vGPU, sriov_cfg; not the benchmark) once more on the
# debug kernel, split over $ndbg VMs that start as soon as QEMU
# and the debug kernel are there, next to the other stages: a KASAN,
# lockdep, kmemleak or UBSAN report or a WARN there fails the run.
# Left out there (testing.rst says why for each): tests whose kernel paths
# other tests there already take (32 provisioning to the limit, 40 the
# flood, 44 a hundred resets, 49 the vGPU by UUID, 62 the hostile nested
# guest, 67 the nested display run) and the user space tests (sriov_cfg,
# mdevctl persistence, the admin guide, libvirt). The tests are
# split so that the VMs finish together, by the costs measured on that
# kernel (selftests/vm/debug-costs, scripts/debug-split.awk).
debug_parts() {
	local globs=${JMGPU_DEBUG_TESTS:-3*,4*,5*,6*} f g
	local skip=${JMGPU_DEBUG_EXCLUDE-32*,40*,44*,49*,51*,52*,53*,55*,57*,62*,65*,66*,67*}
	for f in "$JMGPU_TOP"/selftests/vm/*.sh; do
		f=$(basename "$f" .sh)
		set -f
		for g in ${skip//,/ }; do
			# shellcheck disable=SC2254 # g is a glob on purpose
			case $f in $g) continue 2 ;; esac
		done
		for g in ${globs//,/ }; do
			# shellcheck disable=SC2254 # g is a glob on purpose
			case $f in $g) echo "$f"; break ;; esac
		done
		set +f
	done > "$tapdir/vm-debug.tests"
	awk -v n="$ndbg" -v dflt=120 -f "$JMGPU_TOP/scripts/debug-split.awk" \
		"$JMGPU_TOP/selftests/vm/debug-costs" "$tapdir/vm-debug.tests"
}
vm_debug_stage() {	# vm_debug_stage <part> <tests>
	JMGPU_KERNEL=debug JMGPU_VM_OUT=$tapdir/vm-debug-$1.log \
		"$JMGPU_TOP/scripts/vm.sh" test "$2" > "$tapdir/vm-debug-$1.out" 2>&1
	local rc=$?
	cat "$tapdir/vm-debug-$1.log"
	return $rc
}
vm_debug_all() {
	local i=0 parts out
	if ! rc_wait qemu || ! rc_wait debug-kernel; then
		for i in $(seq 1 "$ndbg"); do
			cannot "vm-debug-$i" "needs QEMU and the debug kernel (see the set-up lines)"
		done
		return
	fi
	if ! out=$(debug_parts); then
		for i in $(seq 1 "$ndbg"); do
			cannot "vm-debug-$i" "the tests could not be split (selftests/vm/debug-costs, see the log)"
		done
		return
	fi
	mapfile -t parts <<<"$out"
	for i in $(seq 1 "$ndbg"); do
		if [ -z "${parts[i - 1]:-}" ]; then
			cannot "vm-debug-$i" "no test matches JMGPU_DEBUG_TESTS for this part"
			continue
		fi
		stage "vm-debug-$i" vm_debug_stage "$i" "${parts[i - 1]}" &
	done
	wait
}

if [ $have_deps = 1 ]; then
	bg_setup qemu "$JMGPU_TOP/scripts/build-qemu.sh"
	if [ $have_kernel = 1 ] && [ $debug = 1 ]; then
		bg_setup debug-kernel "$JMGPU_TOP/scripts/build-debug-kernel.sh"
		vm_debug_all &
		vmdbg_pid=$!
	fi
	stage unit make -s -C "$JMGPU_TOP/selftests/unit" run
else
	cannot unit "packages are not installed (see set-up: packages)"
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
if [ $have_deps = 1 ] && setup_wait qemu; then
	qemu=$(tail -n1 "$tapdir/setup-qemu.out")
	stage qtest "$JMGPU_TOP/selftests/qtest/run.sh" "$qemu"
else
	have_qemu=0
	cannot qtest "no QEMU with the device model (see set-up: qemu)"
fi

if [ $debug = 0 ]; then
	printf '1..1\nok 1 # SKIP vm-debug: the debug-kernel run was turned off (JMGPU_CHECK_DEBUG=0)\n' \
		> "$tapdir/vm-debug.tap"
elif [ -z "${vmdbg_pid:-}" ]; then
	cannot vm-debug "needs the packages and the guest kernel (see the set-up lines)"
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
if [ -n "${vmdbg_pid:-}" ]; then
	log "check: waiting for the vm-debug stages (logs build/tap/vm-debug-*.out)"
	wait "$vmdbg_pid"
	setup_wait debug-kernel || :
fi

log "check: total $(( $(date +%s) - t0 ))s"
sed 's/^/[time] /' "$tapdir/times" >&2
shopt -s nullglob
# every stage wrote its file (results, "cannot run" or the vm-debug skip):
# a stage file missing here is a bug of this script: a failure.
files=("$tapdir"/setup-*.tap)
sts=(unit qtest lint docs vm)
if [ -n "${vmdbg_pid:-}" ]; then
	for i in $(seq 1 "$ndbg"); do sts+=("vm-debug-$i"); done
else
	sts+=(vm-debug)
fi
for st in "${sts[@]}"; do
	[ -f "$tapdir/$st.tap" ] || cannot "$st" "no results written (check.sh bug)"
	files+=("$tapdir/$st.tap")
done
awk -f "$JMGPU_TOP/scripts/tap-summary.awk" "${files[@]}"

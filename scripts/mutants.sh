#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make mutants [M=<glob>]`: does the test suite notice breakage?
# Each mutants/<NN>-<name>.patch is one deliberate break of the model, a
# driver or sriov_cfg: a unified diff after header lines
#   What: <the break, in one line>
#   Tests: <kind> <selector> [; <kind> <selector> ...]
# with kind qtest (selector: qtest group names), vm (a glob list as for
# `make vm-test T=`) or unit (a program or script in selftests/unit).
# For every mutant: copy the tree, apply the patch, rebuild what changed
# (QEMU builds are cached by input hash, modules are rebuilt by the VM
# runner), run the named tests and count the mutant caught when they
# report a failure. Every selector is first run on the unmutated tree and
# must pass there, or a "catch" would mean nothing.
# Prints one line per mutant and "mutants: K of N caught", the survivors
# named; exits 0 only when every mutant is caught. Logs go to
# build/mutants/, the mutated trees to $TMPDIR (outside the repository).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

# globs: mutants/<glob>.patch, several allowed (default: all)
[ $# -gt 0 ] || set -- '*'
logs=$JMGPU_TOP/build/mutants
work=${TMPDIR:-/tmp}/jmgpu-mutants.$$
rm -rf "$logs"
mkdir -p "$logs" "$work"
trap 'rm -rf "$work"' EXIT
counter=$JMGPU_TOP/scripts/tap-summary.awk

# the tree as it is now (committed or not), without build products
snapshot() {	# snapshot <dir>
	mkdir -p "$1"
	(cd "$JMGPU_TOP" && git ls-files -co --exclude-standard -z |
		xargs -0 tar cf - --no-recursion) | tar xf - -C "$1"
}

header() {	# header <patch> <field>
	sed -n "s/^$2:[[:space:]]*//p" "$1" | head -n1
}

# run_sel <tree> <kind> <selector> <log>: 0 = the tests passed, 1 = some
# failed (the counter's verdict), 2 = nothing ran (a broken build, say)
run_sel() {
	local tree=$1 kind=$2 sel=$3 log=$4 qemu
	case $kind in
	qtest)
		# one configured QEMU tree for every mutant: only the changed
		# device files are rebuilt
		if ! qemu=$(JMGPU_QEMU_SCRATCH=mutants "$tree/scripts/build-qemu.sh" 2>"$log.build"); then
			return 2
		fi
		# shellcheck disable=SC2086
		"$tree/selftests/qtest/run.sh" "$qemu" $sel > "$log" 2>"$log.err"
		echo "### STAGE qtest rc=$?" >> "$log"
		;;
	vm)
		JMGPU_VM_OUT=$log "$tree/scripts/vm.sh" test "$sel" > "$log.err" 2>&1 ||
			[ -s "$log" ] || return 2
		;;
	unit)
		make -s -C "$tree/selftests/unit" run T="$sel" > "$log" 2>"$log.err"
		echo "### STAGE unit rc=$?" >> "$log"
		;;
	*)
		echo "unknown test kind '$kind'" > "$log.err"
		return 2
		;;
	esac
	# a VM test that began and never ended (the guest panicked) ran and
	# failed: the counter says so; only a log without either is "nothing"
	grep -q '^\(not \)\?ok\|^### BEGIN ' "$log" || return 2
	awk -f "$counter" "$log" > "$log.summary" && return 0
	return 1
}

# every "kind selector" of the chosen mutants, one per line
selectors() {	# selectors <patch>
	header "$1" Tests | tr ';' '\n' | sed 's/^[[:space:]]*//; s/[[:space:]]*$//' |
		grep -v '^$'
}

shopt -s nullglob
patches=()
for glob; do
	patches+=("$JMGPU_TOP"/mutants/$glob.patch)
done
[ ${#patches[@]} -gt 0 ] || die "no mutants/$*.patch"
t0=$(date +%s)

log "mutants: ${#patches[@]} to run; snapshot of the tree in $work/base"
snapshot "$work/base"

# baseline: each distinct selector once on the unmutated tree
declare -A base_ok
while read -r kind sel; do
	[ -n "$kind" ] || continue
	key="$kind $sel"
	[ -z "${base_ok[$key]:-}" ] || continue
	l=$logs/base-${kind}-$(echo "$sel" | tr -c 'A-Za-z0-9_-' _).tap
	log "mutants: baseline $key"
	run_sel "$work/base" "$kind" "$sel" "$l"
	case $? in
	0) base_ok[$key]=yes ;;
	*) base_ok[$key]=no
	   log "mutants: baseline '$key' does not pass on the unmutated tree (log: $l)" ;;
	esac
done < <(for p in "${patches[@]}"; do selectors "$p"; done | sort -u)

caught=0 total=0 survivors=()
for p in "${patches[@]}"; do
	m=$(basename "$p" .patch)
	what=$(header "$p" What)
	total=$((total + 1))
	s=$(date +%s)
	rm -rf "$work/tree"
	cp -a "$work/base" "$work/tree"
	if ! patch -d "$work/tree" -p1 -F0 -s --no-backup-if-mismatch < "$p" \
		> "$logs/$m.apply" 2>&1; then
		echo "mutant $m: DOES NOT APPLY ($(head -n1 "$logs/$m.apply")) — $what"
		survivors+=("$m (patch does not apply)")
		continue
	fi
	verdict=survived by=
	while read -r kind sel; do
		if [ "${base_ok["$kind $sel"]}" != yes ]; then
			by="$by; $kind $sel: baseline fails"
			continue
		fi
		l=$logs/$m-${kind}-$(echo "$sel" | tr -c 'A-Za-z0-9_-' _).tap
		run_sel "$work/tree" "$kind" "$sel" "$l"
		case $? in
		0) by="$by; $kind $sel: passed" ;;
		1) verdict=caught
		   by="$by; $kind $sel: $(tail -n1 "$l.summary")"
		   break ;;
		2) by="$by; $kind $sel: nothing ran (build broken? $l.err)" ;;
		esac
	done < <(selectors "$p")
	by=${by#; }
	if [ $verdict = caught ]; then
		caught=$((caught + 1))
		echo "mutant $m: caught ($by) in $(( $(date +%s) - s ))s — $what"
	else
		echo "mutant $m: SURVIVED ($by) — $what"
		survivors+=("$m")
	fi
done
rm -rf "$work/tree"
echo "mutants: $caught of $total caught in $(( $(date +%s) - t0 ))s"
if [ ${#survivors[@]} -gt 0 ]; then
	printf 'survivor: %s\n' "${survivors[@]}"
	exit 1
fi

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "Every command in the admin guide is exercised by a test": each "# <command>"
# line of a ".. code-block:: console" block of Documentation/admin-guide.rst
# must appear in a VM selftest (selftests/vm/NN-*.sh, comment lines ignored,
# backslash continuations joined) or be listed there as "#exempt <command> |
# <reason>". Comparison after normalisation: quotes dropped, whitespace
# collapsed, the test variables $pf/$vf/$u1/$u2 (any case, with or without
# braces) replaced by the guide's example values; a " ... " in a guide
# command matches anything (its parts must appear in order on one command
# line). A command that 55-admin-guide.sh runs with its run helper must
# come with the check of its effect (run "<command>" "<effect>" <check>).
# Also: no command may hide in a plain literal block ("::"). TAP, one line
# per distinct command (one the guide shows twice is one check); an exempt
# command is a comment, not a passed test.
. "$(dirname "$0")/lib.sh"	# $top, res, res_done
doc=$top/Documentation/admin-guide.rst
PF=0000:01:00.0 VF=0000:01:00.1
U1=5a1e0001-0000-4000-8000-000000000001
U2=5a1e0002-0000-4000-8000-000000000002

norm() {
	sed -E "s/[\"']//g; s/[[:space:]]+/ /g; s/^ //; s/ $//
		s/\\$\\{?(pf|PF)\\}?/$PF/g; s/\\$\\{?(vf|VF)\\}?/$VF/g
		s/\\$\\{?(u1|U1)\\}?/$U1/g; s/\\$\\{?(u2|U2)\\}?/$U2/g"
}

# the guide's commands: "# cmd" lines inside console code blocks
cmds=$(awk '
	/^\.\. code-block:: console/ { inblk = 1; next }
	inblk && /^[^ \t]/ { inblk = 0 }
	inblk && /^[ \t]+# / { sub(/^[ \t]+# /, ""); print }' "$doc" | norm | awk '!seen[$0]++')
# plain literal blocks ("::") must not carry commands
hidden=$(awk '
	/::[ \t]*$/ && !/^\.\. / { lit = 1; next }
	lit && /^[^ \t]/ { lit = 0 }
	lit && /^[ \t]+(#[ \t]*)?(modprobe|insmod|echo|mdevctl|sriov_cfg|qemu-system|virsh|systemctl|make|dkms|apt|lspci|cat) / { print }' "$doc")
# the VM tests: exempt lines, and command lines (continuations joined)
exempt=$(sed -n 's/^#exempt //p' "$top"/selftests/vm/[0-9]*.sh)
join_lines() { awk '{ if (sub(/\\$/, "")) { acc = acc $0 " "; next } print acc $0; acc = "" }' "$@"; }
lines=$(for f in "$top"/selftests/vm/[0-9]*.sh; do join_lines "$f"; done |
	grep -v '^[[:space:]]*#' | norm)
# 55-admin-guide.sh's run helper: commands run with the check of their
# effect (run "<cmd>" "<effect>" <check...>), and any run without one
guide_test=$top/selftests/vm/55-admin-guide.sh
with_check='^run "([^"]*)"[[:space:]]+"[^"]+"[[:space:]]+[^[:space:]]'
run_ok=$(join_lines "$guide_test" | grep -E "$with_check" | sed -E 's/^run "([^"]*)".*/\1/' | norm)
run_bare=$(join_lines "$guide_test" | grep '^run "' | grep -vE "$with_check" |
	sed -E 's/^run "([^"]*)".*/\1/' | norm)

count=$(grep -c . <<< "$cmds")
if [ "$count" -ge 30 ]; then
	res ok "found $count distinct commands in admin-guide.rst"
else
	res "not ok" "found only $count commands in admin-guide.rst (extraction broken?)"
fi
if [ -z "$hidden" ]; then
	res ok "no commands in plain literal blocks"
else
	res "not ok" "commands outside console code blocks: $(tr '\n' ';' <<< "$hidden")"
fi

found() {	# found <normalised guide command>: in some test command line
	local c=$1 rest l p ok
	if [[ $c != *" ... "* ]]; then
		grep -qF -- "$c" <<< "$lines"
		return
	fi
	while IFS= read -r l; do
		rest=$l ok=1
		while IFS= read -r p; do
			[ -z "$p" ] && continue
			[[ $rest == *"$p"* ]] || { ok=0; break; }
			rest=${rest#*"$p"}
		done < <(sed 's/ \.\.\. /\n/g' <<< "$c")
		[ $ok = 1 ] && return 0
	done <<< "$lines"
	return 1
}

while IFS= read -r c; do
	why=$(while IFS= read -r e; do
		[ "$(norm <<< "${e%% | *}")" = "$c" ] && echo "${e#* | }"
	done <<< "$exempt" | head -n 1)
	if grep -qxF -- "$c" <<< "$run_bare"; then
		res "not ok" "55-admin-guide.sh runs it without checking its effect: $c"
	elif grep -qxF -- "$c" <<< "$run_ok"; then
		res ok "run by 55-admin-guide.sh, its effect checked: $c"
	elif found "$c"; then
		res ok "run by a VM test: $c"
	elif [ -n "$why" ] && [ "$why" != "$c" ]; then
		out+="# exempt, not a test: $c ($why)"$'\n'
	else
		res "not ok" "no VM test runs (and no exempt line for): $c"
	fi
done <<< "$cmds"
res_done

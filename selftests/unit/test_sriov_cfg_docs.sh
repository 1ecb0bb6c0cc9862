#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Documentation/troubleshooting.rst explains every error and warning line
# the drivers can log: each fixed piece of text of every dev_err/dev_warn
# format (the text between its conversions) must appear in it. TAP output;
# a format without fixed text to look for is a comment, not a passed test.
. "$(dirname "$0")/lib.sh"	# $top, res, res_done
doc=$top/Documentation/troubleshooting.rst
fmts=$(for f in "$top"/pf_driver/*.c "$top"/vf_mdev/*.c; do
	case $f in *.mod.c) continue ;; esac
	# join each call with its continuation lines, print its format string
	awk '/(dev|pci)_(err|warn)(_ratelimited)?\(/ { s = $0
		while (s !~ /\);[ \t]*$/ && (getline l) > 0) s = s " " l
		if (match(s, /"([^"\\]|\\.)*"/)) print substr(s, RSTART + 1, RLENGTH - 2) }' "$f"
done | sed 's/\\n$//; s/\\"/"/g' | sort -u)
count=$(grep -c . <<< "$fmts")
if [ "$count" -ge 60 ]; then
	res ok "found $count driver messages"
else
	res "not ok" "found only $count driver messages (extraction broken?)"
fi
while IFS= read -r fmt; do
	missing='' checked=0
	# split at printf conversions (%u, %llu, %.*s, %pUl, 0x%08x ...)
	while IFS= read -r piece; do
		piece=$(sed 's/^[ ,.(]*//; s/[ ,(]*$//' <<< "$piece")
		[ ${#piece} -lt 5 ] && continue
		checked=$((checked + 1))
		grep -qF -- "$piece" "$doc" || missing="$missing '$piece'"
	done < <(sed -E 's/%[-+ #0]*[0-9*]*(\.[0-9*]+)?(hh|h|ll|l|z|t)?(p[A-Za-z]+|[a-zA-Z])/\n/g' <<< "$fmt")
	if [ $checked = 0 ]; then
		# nothing to look for: not a passed test
		out+="# not checked (no fixed text of 5 or more characters): $fmt"$'\n'
	elif [ -z "$missing" ]; then
		res ok "documented: $fmt"
	else
		res "not ok" "troubleshooting.rst lacks$missing of: $fmt"
	fi
done <<< "$fmts"
res_done

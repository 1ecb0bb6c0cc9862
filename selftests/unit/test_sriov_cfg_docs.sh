#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Documentation/troubleshooting.rst explains every error and warning line
# the drivers can log: each fixed piece of text of every dev_err/dev_warn
# format (the text between its conversions) must appear in it. TAP output.
top=$(cd "$(dirname "$0")/../.." && pwd)
doc=$top/Documentation/troubleshooting.rst
n=0 rc=0
fmts=$(for f in "$top"/pf_driver/*.c "$top"/vf_mdev/*.c; do
	case $f in *.mod.c) continue ;; esac
	# join each call with its continuation lines, print its format string
	awk '/(dev|pci)_(err|warn)(_ratelimited)?\(/ { s = $0
		while (s !~ /\);[ \t]*$/ && (getline l) > 0) s = s " " l
		if (match(s, /"([^"\\]|\\.)*"/)) print substr(s, RSTART + 1, RLENGTH - 2) }' "$f"
done | sed 's/\\n$//; s/\\"/"/g' | sort -u)
count=$(grep -c . <<< "$fmts")
echo "1..$((count + 1))"
n=$((n + 1))
if [ "$count" -ge 60 ]; then
	echo "ok $n - found $count driver messages"
else
	echo "not ok $n - found only $count driver messages (extraction broken?)"
	rc=1
fi
while IFS= read -r fmt; do
	n=$((n + 1))
	missing=
	# split at printf conversions (%u, %llu, %.*s, %pUl, 0x%08x ...)
	while IFS= read -r piece; do
		piece=$(sed 's/^[ ,.(]*//; s/[ ,(]*$//' <<< "$piece")
		[ ${#piece} -lt 5 ] && continue
		grep -qF -- "$piece" "$doc" || missing="$missing '$piece'"
	done < <(sed -E 's/%[-+ #0]*[0-9*]*(\.[0-9*]+)?(hh|h|ll|l|z|t)?(p[A-Za-z]+|[a-zA-Z])/\n/g' <<< "$fmt")
	if [ -z "$missing" ]; then
		echo "ok $n - documented: $fmt"
	else
		echo "not ok $n - troubleshooting.rst lacks$missing of: $fmt"
		rc=1
	fi
done <<< "$fmts"
exit $rc

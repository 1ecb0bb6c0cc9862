#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build and run the firmware-reply fuzz harnesses (libFuzzer, clang), one
# TAP line each: a seed corpus of valid messages, then FUZZ_RUNS inputs
# (default 1000000) or FUZZ_SECONDS (default 60) seconds, whichever comes
# first. A harness fails on a sanitizer report or a broken promise; the
# crashing input is kept in $OUT/<harness>-crash-*.
# usage: run.sh [out-dir]
set -u
here=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$here/out}
RUNS=${FUZZ_RUNS:-1000000}
SECS=${FUZZ_SECONDS:-60}
CC=${FUZZ_CC:-clang}
CFLAGS="-std=gnu11 -g -O1 -Wall -Wextra -Werror -I$here/../../firmware-iface"
HARNESSES="fuzz_reply fuzz_request fuzz_event"

mkdir -p "$OUT"
set -- $HARNESSES
echo "1..$#"
n=0
for h in $HARNESSES; do
	n=$((n + 1))
	corpus=$OUT/$h-corpus
	rm -rf "$corpus"
	mkdir -p "$corpus"
	if ! $CC $CFLAGS -DFUZZ_SEEDS -o "$OUT/$h-seeds" "$here/$h.c" 2> "$OUT/$h.build" ||
	   ! $CC $CFLAGS -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -o "$OUT/$h" "$here/$h.c" 2>> "$OUT/$h.build"; then
		echo "not ok $n - $h: build failed"
		sed 's/^/# /' "$OUT/$h.build" | head -n 20
		continue
	fi
	if ! "$OUT/$h-seeds" "$corpus"; then
		echo "not ok $n - $h: seed corpus not written"
		continue
	fi
	seeds=$(ls "$corpus" | wc -l)
	start=$(date +%s)
	if "$OUT/$h" -runs="$RUNS" -max_total_time="$SECS" -seed=1 \
		-artifact_prefix="$OUT/$h-crash-" "$corpus" > "$OUT/$h.log" 2>&1; then
		done=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$OUT/$h.log" | tail -n 1)
		cov=$(grep -o 'cov: [0-9]*' "$OUT/$h.log" | tail -n 1)
		echo "ok $n - $h: ${done:-?} inputs from $seeds seeds in $(( $(date +%s) - start )) s, $cov, nothing found"
	else
		echo "not ok $n - $h: finding (input kept as $OUT/$h-crash-*)"
		grep -E 'ERROR|breaks|SUMMARY|runtime error' "$OUT/$h.log" | head -n 5 | sed 's/^/# /'
	fi
done

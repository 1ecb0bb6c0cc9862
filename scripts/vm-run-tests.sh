#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run test scripts one after the other, each in its own session (process
# group), writing "### BEGIN <t>" / its output / "### END <t> rc=N" to <out>.
# A test still running after <timeout> seconds is reported as hung ("not ok",
# rc=124), its blocked tasks and kernel log are shown where the kernel has
# them, and its whole process group is killed before the next test starts:
# nothing it left behind runs into the next test.
# The guest's /init sources this file; selftests/unit/test_vm_runner.sh runs
# it on the host.
#   run_test_scripts <dir> <globs, space-separated> <timeout s> <out>
# POSIX sh (busybox in the guest).

run_test_scripts() {
	_dir=$1 _globs=$2 _tmo=$3 _out=$4
	_tmp=${TMPDIR:-/tmp}/jmgpu-run.$$
	mkdir -p "$_tmp"
	set -f
	for _glob in $_globs; do
		set +f
		for _t in "$_dir"/$_glob.sh; do
			[ -f "$_t" ] || continue
			_t=${_t##*/}
			case $_t in [0-9][0-9]-*.sh) ;; *) continue ;; esac
			run_one_test "$_dir" "$_t" "$_tmo" "$_out" "$_tmp"
		done
	done
	set +f
	rm -rf "$_tmp"
}

run_one_test() {
	_rd=$1 _rt=$2 _rtmo=$3 _rout=$4 _rtmp=$5
	echo "### BEGIN $_rt" | tee -a "$_rout"
	_start=$(cut -d' ' -f1 /proc/uptime)
	rm -f "$_rtmp/rc" "$_rtmp/pgid"
	# setsid: the test leads a new session and process group (its pid,
	# written to pgid), so the watchdog can kill it and all it started
	(cd "$_rd" && exec setsid sh -c \
		'echo $$ > "$2/pgid"; sh "./$1" > "$2/log" 2>&1; echo $? > "$2/rc"' \
		sh "$_rt" "$_rtmp") &
	_pid=$!
	_ticks=0 _max=$((_rtmo * 5))
	while [ ! -s "$_rtmp/rc" ] && [ "$_ticks" -lt "$_max" ]; do
		sleep 0.2
		_ticks=$((_ticks + 1))
	done
	if [ -s "$_rtmp/rc" ]; then
		wait "$_pid" 2>/dev/null
		tee -a "$_rout" < "$_rtmp/log"
	else
		tee -a "$_rout" < "$_rtmp/log"
		echo "not ok - $_rt hung for ${_rtmo}s: killed with its process group (blocked tasks and kernel log follow)" |
			tee -a "$_rout"
		if [ -n "${JMGPU_GUEST:-}" ]; then
			echo w > /proc/sysrq-trigger
			sleep 1
			dmesg | tail -n 80 | sed 's/^/# /' | tee -a "$_rout"
		fi
		_pg=$(cat "$_rtmp/pgid" 2>/dev/null)
		[ -n "$_pg" ] && kill -KILL -- "-$_pg" 2>/dev/null
		kill -KILL "$_pid" 2>/dev/null
		wait "$_pid" 2>/dev/null
		echo 124 > "$_rtmp/rc"
	fi
	_end=$(cut -d' ' -f1 /proc/uptime)
	echo "### END $_rt rc=$(cat "$_rtmp/rc") start=$_start end=$_end" | tee -a "$_rout"
}

#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# /init of the jmgpu test VM. Kernel command line:
#   jmgpu_mode=test  run /jmgpu/tests/<jmgpu_tests glob>, TAP to ttyS1, power off
#   jmgpu_mode=demo  run /jmgpu/demo.sh, power off
#   jmgpu_mode=shell interactive shell on the console (exit powers off)
/bin/busybox mkdir -p /bin /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
export PATH=/jmgpu/bin:/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /sys/kernel/debug /tmp /run
mount -t devpts devpts /dev/pts
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
hostname jmgpu-vm

mode=shell
tests='*'
tmo=300
for arg in $(cat /proc/cmdline); do
	case $arg in
	jmgpu_mode=*) mode=${arg#jmgpu_mode=} ;;
	jmgpu_tests=*) tests=${arg#jmgpu_tests=} ;;
	jmgpu_test_timeout=*) tmo=${arg#jmgpu_test_timeout=} ;;
	esac
done

out=/dev/ttyS1
[ -e $out ] || out=/dev/null

run_tests() {
	cd /jmgpu/tests || return
	echo "# jmgpu VM selftests, kernel $(uname -r)" > $out
	set -f
	globs=$(echo "$tests" | tr ',' ' ')
	for glob in $globs; do
		set +f
		for t in $glob.sh; do
			[ -f "$t" ] || continue
			case $t in [0-9][0-9]-*.sh) ;; *) continue ;; esac
			echo "### BEGIN $t" | tee -a $out
			start=$(cut -d' ' -f1 /proc/uptime)
			rm -f /tmp/rc
			{ sh "./$t" 2>&1; echo $? > /tmp/rc; } | tee -a $out &
			# watchdog: a hung test fails with the blocked tasks' stacks,
			# and the run goes on with the next test
			waited=0
			while [ ! -s /tmp/rc ] && [ $waited -lt $tmo ]; do
				sleep 1
				waited=$((waited + 1))
			done
			if [ ! -s /tmp/rc ]; then
				echo "not ok - $t hung for ${tmo}s (blocked tasks and kernel log follow)" | tee -a $out
				echo w > /proc/sysrq-trigger
				sleep 1
				dmesg | tail -n 80 | sed 's/^/# /' | tee -a $out
				echo 124 > /tmp/rc
			else
				wait	# for tee to pass on the last lines
			fi
			end=$(cut -d' ' -f1 /proc/uptime)
			echo "### END $t rc=$(cat /tmp/rc) start=$start end=$end" | tee -a $out
		done
	done
	# oops/warning check over the whole run
	if dmesg | grep -E -q 'BUG:|WARNING:|Oops|Call Trace|general protection'; then
		echo "### DMESG-PROBLEM" | tee -a $out
		dmesg | grep -E -B2 -A20 'BUG:|WARNING:|Oops|Call Trace|general protection' | head -n 60 | tee -a $out
	fi
	echo "### ALL-DONE" | tee -a $out
}

case $mode in
test)
	run_tests
	;;
demo)
	sh /jmgpu/demo.sh 2>&1
	echo "### ALL-DONE" > $out
	;;
*)
	echo "jmgpu VM shell: tests in /jmgpu/tests, programs in /jmgpu/bin; 'exit' powers off"
	setsid cttyhack sh -l
	;;
esac
sync
poweroff -f

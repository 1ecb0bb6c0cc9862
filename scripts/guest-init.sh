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
tmo=600
for arg in $(cat /proc/cmdline); do
	case $arg in
	jmgpu_mode=*) mode=${arg#jmgpu_mode=} ;;
	jmgpu_tests=*) tests=${arg#jmgpu_tests=} ;;
	jmgpu_test_timeout=*) tmo=${arg#jmgpu_test_timeout=} ;;
	# a slow (debug) kernel: tests divide their iteration counts by it
	jmgpu_slow=*) export JMGPU_SLOW=${arg#jmgpu_slow=} ;;
	esac
done

out=/dev/ttyS1
[ -e $out ] || out=/dev/null

. /jmgpu/vm-run-tests.sh
run_tests() {
	echo "# jmgpu VM selftests, kernel $(uname -r)" > $out
	[ -z "${JMGPU_SLOW:-}" ] || echo "# slow kernel: iteration counts divided by $JMGPU_SLOW, watchdog ${tmo}s" >> $out
	JMGPU_GUEST=1 run_test_scripts /jmgpu/tests "$(echo "$tests" | tr ',' ' ')" "$tmo" "$out"
	# leaks: kmemleak (debug kernel) reports only after a scan; its
	# reports go to the log as a kernel problem
	if [ -w /sys/kernel/debug/kmemleak ]; then
		echo scan > /sys/kernel/debug/kmemleak
		sleep 6
		echo scan > /sys/kernel/debug/kmemleak
		if grep -q 'unreferenced object' /sys/kernel/debug/kmemleak; then
			echo "kmemleak: $(grep -c 'unreferenced object' /sys/kernel/debug/kmemleak) unreferenced objects" > /dev/kmsg
			echo "WARNING: kmemleak reports follow" > /dev/kmsg
			head -n 60 /sys/kernel/debug/kmemleak | sed 's/^/# /' | tee -a $out
		fi
	fi
	# oops/warning/KASAN/lockdep/UBSAN check over the whole run
	pat='BUG:|WARNING:|Oops|Call Trace|general protection|UBSAN:|kmemleak: [0-9]+ unreferenced'
	if dmesg | grep -E -q "$pat"; then
		echo "### DMESG-PROBLEM" | tee -a $out
		dmesg | grep -E -B2 -A20 "$pat" | head -n 80 | tee -a $out
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

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# sriov_cfg apply: a declared state is reached, a second apply changes
# nothing, a file that cannot fit or does not parse changes nothing, and
# after a reload of the drivers apply restores the same vGPUs (UUIDs).
. ./lib.sh
. ./sriov-cfg-lib.sh

trap sc_cleanup EXIT
plan 13
require "jmgpu_pf loaded" sc_load
U1=5a1e0001-0000-4000-8000-000000000001
U2=5a1e0002-0000-4000-8000-000000000002
U3=5a1e0003-0000-4000-8000-000000000003
cat > $SC_TMP.conf <<CONF
{
  "version": 1,
  "cards": [
    {
      "pf": "$pf",
      "num_vfs": 6,
      "sched_policy": "fixed-share",
      "vgpus": [
        { "uuid": "$U1", "profile": "fb256m-w25" },
        { "uuid": "$U2", "profile": "fb128m-w6" },
        { "uuid": "$U3", "profile": "fb64m-w3", "vf": 5 }
      ]
    }
  ]
}
CONF
if [ -n "$mdev_why" ]; then
	for d in "apply --dry-run plans, changes nothing" "apply reaches the declared state" \
		"vGPUs with the declared profiles" "second apply: nothing to do" \
		"second apply: state unchanged" "a file that does not fit: ENOSPC, names the vGPU" \
		"  ... nothing changed" "a file with a syntax error: EINVAL with line:column" \
		"  ... nothing changed" "drivers reloaded: vGPUs gone" \
		"apply after the reload restores the same UUIDs and profiles" \
		"and a second apply after it is a no-op"; do
		skip "$d" "$mdev_why"
	done
	tap_done
	exit
fi
s0=$(sc_state)
sc apply $SC_TMP.conf --dry-run
sed 's/^/# /' $SC_TMP.out
check "apply --dry-run plans 5 changes and changes nothing" \
	eval '[ $rc = 0 ] && [ "$(grep -c "^plan: " $SC_TMP.out)" = 5 ] && [ "$s0" = "$(sc_state)" ]'
sc apply $SC_TMP.conf
check "apply reaches the declared state (6 VFs, fixed-share, 3 vGPUs)" \
	eval '[ $rc = 0 ] && [ "$(cat $P/sriov_numvfs)" = 6 ] && [ "$(cat $P/jmgpu/sched_policy)" = fixed-share ] && [ "$(sc_mdevs | wc -l)" = 3 ]'
check "vGPUs with the declared profiles, U3 on VF 5" \
	eval '[ "$(cat /sys/bus/mdev/devices/$U1/jmgpu/profile)" = fb256m-w25 ] && [ "$(cat /sys/bus/mdev/devices/$U2/jmgpu/profile)" = fb128m-w6 ] && [ "$(cut -d" " -f2 /sys/bus/mdev/devices/$U3/jmgpu/vf)" = 5 ]'
s1=$(sc_state)
sc apply $SC_TMP.conf
check "second apply: nothing to do" eval '[ $rc = 0 ] && grep -q "nothing to do" $SC_TMP.out && ! grep -q create $SC_TMP.out'
check "second apply: state unchanged" [ "$s1" = "$(sc_state)" ]
{
	echo "{ \"cards\": [ { \"pf\": \"$pf\", \"num_vfs\": 6, \"vgpus\": ["
	for i in 1 2 3 4; do
		echo "{ \"uuid\": \"5a1e000$i-0000-4000-8000-00000000000$i\", \"profile\": \"fb256m-w25\" },"
	done
	echo "{ \"uuid\": \"5a1e0005-0000-4000-8000-000000000005\", \"profile\": \"fb64m-w3\" } ] } ] }"
} > $SC_TMP.big
sc apply $SC_TMP.big
check "a file that does not fit (weight 103): ENOSPC (28), names the vGPU" \
	eval '[ $rc = 28 ] && grep -q "cards\[0\].vgpus\[4\]: does not fit" $SC_TMP.err'
check "  ... nothing changed" [ "$s1" = "$(sc_state)" ]
printf '{\n  "cards": [\n    { "pf": "%s" "num_vfs": 2 }\n  ]\n}\n' "$pf" > $SC_TMP.bad
sc apply $SC_TMP.bad
check "a file with a syntax error: EINVAL (22) with line 3" \
	eval '[ $rc = 22 ] && grep -q "$SC_TMP.bad:3:" $SC_TMP.err'
check "  ... nothing changed" [ "$s1" = "$(sc_state)" ]
# reload the drivers: the vGPUs and VFs are gone
_sc_loaded_pf=1
_sc_loaded_vf=1
check "drivers reloaded: no VFs, no vGPUs" \
	eval 'rmmod $VDRV && echo 0 > $P/sriov_numvfs && rmmod jmgpu_pf &&
	insmod $MODDIR/jmgpu_pf.ko && insmod $MODDIR/$VDRV.ko &&
	same "$(cat $P/sriov_numvfs)" 0 && [ -z "$(sc_mdevs)" ]'
sc apply $SC_TMP.conf
check "apply after the reload restores the same UUIDs, profiles and VFs" \
	eval '[ $rc = 0 ] && [ "$s1" = "$(sc_state)" ]'
sc apply $SC_TMP.conf
check "and a second apply after it is a no-op" grep -q "nothing to do" $SC_TMP.out
tap_done

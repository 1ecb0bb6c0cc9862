#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# sriov_cfg status / profiles / enable / disable / stats / top against the
# drivers' own sysfs: every number the tool shows is the driver's.
. ./lib.sh
. ./sriov-cfg-lib.sh

trap sc_cleanup EXIT
plan 18
require "jmgpu_pf loaded" sc_load
sc status
check "status lists the card with 0/$(cat $P/sriov_totalvfs) VFs" \
	grep -q "^card $pf  VFs 0/$(cat $P/sriov_totalvfs)" $SC_TMP.out
free_mib=$(( $(cat $P/jmgpu/fb_free) / 1048576 ))
check "status shows the driver's free FB ($free_mib MiB) and engine weight" \
	eval 'grep -q "FB $free_mib MiB free" $SC_TMP.out && grep -q "engine weight $(cat $P/jmgpu/engine_weight_free) free of $(cat $P/jmgpu/engine_weight_total)" $SC_TMP.out'
sc profiles
n_drv=$(ls $P/jmgpu_profiles | wc -l)
n_ok=0
for d in $P/jmgpu_profiles/*; do
	name=${d##*/} fb=$(cat $d/fb_size) w=$(cat $d/engine_weight)
	codec=$(cat $d/codec_sessions) heads=$(cat $d/display_heads)
	res=$(cat $d/max_resolution) state=$(cat $d/state)
	grep -q "^  $name  *$((fb / 1048576))  *$w  *$codec  *$heads  *$res  *$state " $SC_TMP.out && n_ok=$((n_ok + 1))
done
check "profiles: all $n_drv profiles of jmgpu_profiles/, same numbers and state ($n_ok)" \
	eval '[ "$n_drv" -gt 0 ] && [ $n_ok = $n_drv ]'
sc profiles --json
check "profiles --json: $n_drv profiles" same "$(grep -c '"name":' $SC_TMP.out)" "$n_drv"
check "enable $pf 4" sc enable "$pf" 4
check "sriov_numvfs is 4" [ "$(cat $P/sriov_numvfs)" = 4 ]
sc status
n_ok=0
for v in $(jmgpu_vfs "$pf"); do grep -q " $v " $SC_TMP.out && n_ok=$((n_ok + 1)); done
check "status: one row per VF with its address (virtfn links) ($n_ok)" [ $n_ok = 4 ]
sc status -o PF,VF,ADDRESS --raw
want=$(printf 'PF VF ADDRESS\n'; i=0; for v in $(jmgpu_vfs "$pf"); do echo "$pf $i $v"; i=$((i + 1)); done)
check "status -o PF,VF,ADDRESS --raw: the header, then PF, index and virtfn address of each VF" \
	same "$(cat $SC_TMP.out)" "$want"
sc status --json
check "status --json: vfs_enabled 4, fb free as the driver" \
	eval 'grep -q "\"vfs_enabled\":4" $SC_TMP.out && grep -q "\"free\":$(cat $P/jmgpu/fb_free)" $SC_TMP.out'
sc enable "$pf" 33
check "enable 33 refused with EINVAL (22), names the card" \
	eval '[ $rc = 22 ] && grep -q "$pf: 33 VFs requested" $SC_TMP.err && [ "$(cat $P/sriov_numvfs)" = 4 ]'
sc enable 0000:7f:00.0 2
check "enable on an address without a card: ENODEV (19)" [ $rc = 19 ]
sc stats --prometheus
check "stats --prometheus: jmgpu_vfs_enabled of the card is 4" \
	grep -q "^jmgpu_vfs_enabled{pf=\"$pf\"} 4$" $SC_TMP.out
nsamples=$(grep -vc '^#' $SC_TMP.out)
bad=$(grep -v '^#' $SC_TMP.out | grep -cvE '^[a-z_]+\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\} [0-9]+(\.[0-9]+)?$')
check "stats --prometheus: every sample line well-formed ($bad bad of $nsamples)" \
	eval '[ "$nsamples" -gt 0 ] && [ "$bad" = 0 ]'
check "stats --prometheus: one sample per VF and metric" \
	[ "$(grep -c '^jmgpu_vf_jobs_total{' $SC_TMP.out)" = 4 ]
sc top -n 2 -d 0.2
check "top -n 2 -d 0.2: two samples" [ "$(grep -c 'sriov_cfg top - sample' $SC_TMP.out)" = 2 ]
check "disable $pf" sc disable "$pf"
check "sriov_numvfs is 0" [ "$(cat $P/sriov_numvfs)" = 0 ]
tap_done

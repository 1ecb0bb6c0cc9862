#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The firmware-reply fuzz harnesses (selftests/fuzz, libFuzzer with
# address and undefined-behaviour sanitizers), bounded: one TAP line per
# harness. Crashing inputs are kept in build/fuzz/.
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/../fuzz/run.sh" "$here/../../build/fuzz"

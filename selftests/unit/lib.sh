# SPDX-License-Identifier: GPL-2.0
# Sourced by the unit test scripts (bash), not run: their TAP helpers and
# the set-up of the scripts that run the project's make on the host.
#
#   $top                      the top of the tree
#   ok <desc>, not_ok <desc>, skip <desc> <reason>, check <desc> <cmd...>
#                             one TAP line each, printed at once (the script
#                             prints its plan "1..N" first); a not ok sets
#                             rc=1, the script ends with `exit $rc`
#   res <ok|not ok> <desc>    where the count is known only at the end: the
#                             line is kept in $out (a script may add "# ..."
#                             comment lines to it) until
#   res_done                  prints the plan "1..n", the kept lines, and
#                             exits rc
#   show_log <file>           the tail of a failed step's output, as comments
#   host_make_env <name>      for a script that runs make on the host: a clean
#                             make (no flags or variables of the make that
#                             runs the unit tests), scripts/lib.sh sourced,
#                             KVER the guest kernel of the test platform (the
#                             one version scripts/lib.sh resolves; make check
#                             exports JMGPU_KVER after installing its
#                             headers), KSRC its headers, VER dkms.conf's
#                             PACKAGE_VERSION, $tmp a directory
#                             /tmp/<name>.XXXXXX removed on exit
# shellcheck shell=bash

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
n=0 rc=0 out=

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; rc=1; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }

res() {
	n=$((n + 1))
	out+="$1 $n - $2"$'\n'
	[ "$1" = ok ] || rc=1
}
res_done() {
	echo "1..$n"
	printf '%s' "$out"
	exit $rc
}

show_log() { tail -n 15 "$1" | sed 's/^/#   /'; }

# shellcheck disable=SC1091,SC2034 # KSRC, VER: for the script that sources this
host_make_env() {
	unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
	. "$top/scripts/lib.sh"
	KVER=${JMGPU_KVER:-$(guest_kernel_version)}
	KSRC=/usr/src/linux-headers-$KVER
	VER=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
	tmp=$(mktemp -d "/tmp/$1.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
}

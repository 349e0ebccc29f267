#!/bin/bash
# Tests of vmport-host: real, unmodified open-vm-tools clients (Debian's
# vmware-rpctool and `vmtoolsd --cmd`) and guests of our own, run under the
# simulated hosts against the device model.
#
#   tests/host/run-tests.sh BUILD [NAME...]
#
# Each test prints "PASS name" or "FAIL name: expected ..., seen ...".
# Never runs a vmtoolsd daemon: only `vmtoolsd --cmd`.
set -u

BUILD=${1:?usage: run-tests.sh BUILD [NAME...]}
shift
HOST=$BUILD/bin/vmport-host
STANDIN=$BUILD/tests/host/vmport-host-standin
GUESTS=$BUILD/tests/host
WORK=$(mktemp -d /tmp/vmport-host-test.XXXXXX)
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT

pass=0
fail=0
failed=()

ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1: $2"; fail=$((fail + 1)); failed+=("$1"); }

# expect NAME EXPECTED_RC EXPECTED_STDOUT_FILE_OR_STRING -- command...
expect_out() {
    local name=$1 want_rc=$2 want=$3
    shift 4
    local out rc
    out=$("$@" 2>"$WORK/$name.err")
    rc=$?
    if [ "$rc" != "$want_rc" ]; then
        ko "$name" "expected exit $want_rc, seen $rc (stdout '${out:0:80}', stderr '$(head -c 200 "$WORK/$name.err")')"
    elif [ "$out" != "$want" ]; then
        ko "$name" "expected stdout '${want:0:80}', seen '${out:0:80}'"
    else
        ok "$name"
    fi
}

. "$(dirname "$0")/tests-engine.sh"
. "$(dirname "$0")/tests-clients.sh"
. "$(dirname "$0")/tests-handoff.sh"
. "$(dirname "$0")/tests-calloff.sh"
. "$(dirname "$0")/tests-errors.sh"
. "$(dirname "$0")/tests-stop.sh"
. "$(dirname "$0")/tests-demo.sh"
. "$(dirname "$0")/tests-trace.sh"

tests=("$@")
[ ${#tests[@]} -eq 0 ] && tests=($(declare -F | awk '/ test_/ {print $3}'))
for t in "${tests[@]}"; do
    "$t"
done

echo "host tests: $pass passed, $fail failed${failed[*]:+ (${failed[*]})}"
[ "$fail" -eq 0 ]

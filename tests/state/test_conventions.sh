#!/bin/bash
# Command-line conventions of vmport-state: --version and -h/--help on the
# program and on every subcommand; a usage error (exit 2) names the bad
# option or value and shows the synopsis.
# Usage: test_conventions.sh VMPORT-STATE WORKDIR
. "$(dirname "$0")/lib.sh"

expect_rc 0 "vmport-state --version" "$VS" --version
grep -q '^vmport-state (xen-vmport) ' "$W/out" && ok || bad "version line"
expect_rc 0 "vmport-state -h" "$VS" -h
for c in records hvmctx verify dump encode guestinfo trigger enable convert \
         diff filter gen; do
    expect_rc 0 "$c --version" "$VS" $c --version
    grep -q '^vmport-state (xen-vmport) ' "$W/out" && ok ||
        bad "$c --version prints the version"
    expect_rc 0 "$c -h" "$VS" $c -h
    grep -q "^usage: vmport-state $c" "$W/out" && ok || bad "$c -h: usage"
done

# Usage errors name what is wrong.
bad_usage() {   # bad_usage PATTERN CMD...: exit 2 and PATTERN on stderr
    local pat=$1; shift
    expect_rc 2 "$*" "$VS" "$@"
    says "$pat" "$*: names it"
    grep -q '^usage: vmport-state' "$W/err" && ok || bad "$*: no synopsis"
}
bad_usage "unknown option '--bogus'" verify --bogus f
bad_usage "unknown option '-z'" encode -z
bad_usage "option '--output' needs a value" encode --output
bad_usage "--record-version: '9' is not a number in 1..2" \
    convert --record-version 9 a b
bad_usage "--record-version: '-1'" convert --record-version -1 a b
bad_usage "--policy: 'foo' is not refuse or checkpoint" \
    convert --record-version 1 --policy foo a b
bad_usage "--vcpus: 'x' is not a number" gen --vcpus x "$W/o"
bad_usage "--mem-mib: '-5' is not a number" gen --mem-mib -5 "$W/o"
bad_usage "--wait: '-3' is not a number" trigger --wait -3 poweroff f
bad_usage "--hwver: '300' is not a number in 1..255" enable --hwver 300
bad_usage "unexpected 'extra'" filter extra
bad_usage "unknown command 'frob'" frob

echo "test_conventions.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

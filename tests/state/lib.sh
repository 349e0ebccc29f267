# Sourced by the vmport-state shell tests: "VMPORT-STATE WORKDIR" as $1 $2,
# a fresh WORKDIR, the pass/fail counters and the assertions they share.
set -u
VS=$1
W=$2
rm -rf "$W" && mkdir -p "$W"
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# expect_rc WANT DESCRIPTION CMD...: CMD exits WANT; its stdout and stderr
# are left in $W/out and $W/err, and it reads nothing (stdin /dev/null).
expect_rc() {
    local want=$1 what=$2; shift 2
    "$@" </dev/null >"$W/out" 2>"$W/err"; local rc=$?
    if [ "$rc" -eq "$want" ]; then ok; else
        bad "$what: exit $rc, expected $want"; sed 's/^/    /' "$W/err" | head -5
    fi
}
says() {        # says PATTERN DESCRIPTION: $W/err has it
    if grep -q -- "$1" "$W/err"; then ok; else
        bad "$2: stderr lacks '$1'"; sed 's/^/    /' "$W/err" | head -5
    fi
}
same() {        # same A B DESCRIPTION: A and B are byte-identical
    if cmp -s "$1" "$2"; then ok; else bad "$3: $1 and $2 differ"; fi
}

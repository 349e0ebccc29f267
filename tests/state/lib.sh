# Sourced by the vmport-state shell tests: "VMPORT-STATE WORKDIR" as $1 $2,
# a fresh WORKDIR, the pass/fail counters and expect_rc.
set -u
VS=$1
W=$2
rm -rf "$W" && mkdir -p "$W"
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
expect_rc() {   # expect_rc WANT DESCRIPTION CMD...
    local want=$1 what=$2; shift 2
    "$@" >"$W/out" 2>"$W/err"; local rc=$?
    if [ "$rc" -eq "$want" ]; then ok; else
        bad "$what: exit $rc, expected $want"; sed 's/^/    /' "$W/err" | head -5
    fi
}

#!/bin/bash
# make check-xl-backend: vmport-stress --backend xl against the xl and
# vmport-state TEST DOUBLES in tests/migration/xl-test-double/ (no Xen on
# this machine outside QEMU; the series boot test runs it on real Xen).
# Proves the driver's side: live and save-style hops, the two fault points
# leaving the domain running on its source, the checks after every hop
# (the domain where it should be, its guestinfo counters advancing with no
# failure), free memory compared, report.json written with backend "xl".
#
#   tests/migration/check-xl-backend.sh BUILD
set -u
BUILD=${1:?usage: check-xl-backend.sh BUILD}
DOUBLE=$(cd "$(dirname "$0")/xl-test-double" && pwd)
WORK=$(mktemp -d /tmp/vmport-xl-backend.XXXXXX)
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
pass=0
fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

printf '# name target\nhost-a localhost\nhost-b localhost\n' > "$WORK/hosts"

# run NAME [vmport-stress options...]: a fresh double domain, one run.
run() {
    local name=$1
    shift
    export XL_DOUBLE_DIR=$WORK/$name/state
    mkdir -p "$XL_DOUBLE_DIR"
    "$DOUBLE/xl" create-test-domain vm1
    timeout 300 "$BUILD/bin/vmport-stress" --backend xl --hosts "$WORK/hosts" \
        --domain vm1 --xl "$DOUBLE/xl" --bin "$DOUBLE" --seconds 0 \
        --workdir "$WORK/$name/w" --quiet "$@" >"$WORK/$name/out" 2>&1
}

run hops --migrations 24 --fault-pct 40 --seed 11 --report "$WORK/hops/report"
rc=$?
cover=$(python3 - "$WORK/hops/report/report.json" <<'PY' 2>&1
import json, sys
m = json.load(open(sys.argv[1]))["migrations"]
seen = {(x["freeze"], x["fault"], x["outcome"]) for x in m}
want = {("xl-migrate", "none", "migrated"),
        ("xl-save-restore", "none", "migrated"),
        ("xl-migrate", "truncate", "stream-cut"),
        ("xl-save-restore", "bad-record", "destination-rejected")}
bad = [x for x in m if x["backend"] != "xl" or
       (x["fault"] != "none" and not x["fault_aborted_cleanly"])]
print("missing %s; bad %d" % (sorted(want - seen), len(bad))
      if want - seen or bad else "ok")
PY
)
if [ $rc = 0 ] && [ "$cover" = ok ]; then
    ok xl_backend_live_and_save_hops_and_both_faults_leave_the_domain_running
else
    ko xl_backend_live_and_save_hops_and_both_faults_leave_the_domain_running \
       "expected exit 0 and every hop style and fault seen, seen $rc, $cover ($(tail -n 3 "$WORK/hops/out"))"
fi

XL_DOUBLE_BREAK=lose-on-cut run lost --migrations 6 --fault-pct 100 --seed 2
rc=$?
if [ $rc = 1 ] && grep -q 'not running where expected' "$WORK/lost/out"; then
    ok xl_backend_fails_when_a_cut_migration_loses_the_domain
else
    ko xl_backend_fails_when_a_cut_migration_loses_the_domain \
       "expected exit 1 naming the domain not running, seen $rc ($(tail -n 3 "$WORK/lost/out"))"
fi

XL_DOUBLE_BREAK=fail-count run failing --migrations 6 --fault-pct 0 --seed 2
rc=$?
if [ $rc = 1 ] && grep -q 'counted a failed call' "$WORK/failing/out"; then
    ok xl_backend_fails_when_the_guest_counts_a_failure
else
    ko xl_backend_fails_when_the_guest_counts_a_failure \
       "expected exit 1 naming the guest's failure, seen $rc ($(tail -n 3 "$WORK/failing/out"))"
fi
echo "xl backend tests: $pass passed, $fail failed"
[ $fail = 0 ]

#!/bin/bash
# make check-migration-seeds: the two seeds whose 1,000-migration runs
# lost a handoff of the vmware-rpctool guest (issue 13: a host hung on a
# vfork parent while freezing, or left the shell running untraced), rerun
# with the same options for a bounded number of migrations (make
# soak-seeds runs them in full).  Each must end with no verification
# failure, no lost guest and no host error.
#
#   tests/migration/check-seeds.sh BUILD MIGRATIONS
set -u
BUILD=${1:?usage: check-seeds.sh BUILD MIGRATIONS}
N=${2:?usage: check-seeds.sh BUILD MIGRATIONS}
pass=0
fail=0
for seed in 5 7; do
    start=$(date +%s)
    out=$(timeout 900 "$BUILD/bin/vmport-stress" --bin "$BUILD/bin" \
          --guest "$BUILD/tests/migration/guest_channels" \
          --seconds 0 --migrations "$N" --seed "$seed" --quiet 2>&1)
    rc=$?
    name=migrate_seed_${seed}_rpctool_guest_hands_off_every_time
    if [ $rc = 0 ]; then
        echo "PASS $name ($N migrations in $(( $(date +%s) - start )) s)"
        pass=$((pass + 1))
    else
        echo "$out" | tail -25
        echo "FAIL $name: expected exit 0 after $N migrations, seen $rc"
        fail=$((fail + 1))
    fi
done
echo "migration seed tests: $pass passed, $fail failed"
[ $fail = 0 ]

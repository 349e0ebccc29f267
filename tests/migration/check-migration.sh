#!/bin/bash
# make check-migration: a short bounded vmport-stress run.  It passes only
# with zero guest verification failures, no lost guest, every injected
# fault aborted with the guest back on its source, and every fault point,
# both freeze modes, a refused and a checkpointed version 1 conversion and
# a guest CPT retry seen (--require-coverage).
#
#   tests/migration/check-migration.sh BUILD
set -u
BUILD=${1:?usage: check-migration.sh BUILD}
SECONDS_=${STRESS_SECONDS:-15}

out=$(timeout 120 "$BUILD/bin/vmport-stress" --bin "$BUILD/bin" \
      --guest "$BUILD/tests/migration/guest_channels" \
      --seconds "$SECONDS_" --max-seconds "${STRESS_MAX_SECONDS:-45}" \
      --fault-pct 40 --convert-pct 40 --seed "${STRESS_SEED:-$RANDOM}" \
      --require-coverage --quiet 2>&1)
rc=$?
echo "$out"
if [ $rc = 0 ]; then
    echo "PASS migrate_stress_faults_abort_cleanly_and_guests_verify"
    echo "migration tests: 1 passed, 0 failed"
else
    echo "FAIL migrate_stress_faults_abort_cleanly_and_guests_verify: expected exit 0, seen $rc"
    echo "migration tests: 0 passed, 1 failed"
    exit 1
fi

#!/bin/bash
# make soak (not in make check): 1,000 or more migrations of the sim
# backend, two at a time, every fault point, Intel<->AMD both ways, with
# the report in BUILD/soak/.  Prints migrations per second and the
# downtime percentiles, and fails unless nothing was lost: no wrong, lost
# or duplicated RPC reply (every one is checked by its guest), no lost
# guest, no host error, every fault aborted cleanly.
#
#   tests/migration/soak.sh BUILD [MIGRATIONS]
set -u
BUILD=${1:?usage: soak.sh BUILD [MIGRATIONS]}
N=${2:-${SOAK_MIGRATIONS:-1000}}
DIR=$BUILD/soak
rm -rf "$DIR"
timeout 3600 "$BUILD/bin/vmport-stress" --bin "$BUILD/bin" \
    --guest "$BUILD/tests/migration/guest_channels" --guests 4 --parallel 2 \
    --seconds 0 --migrations "$N" --fault-pct 40 --convert-pct 30 \
    --require-coverage --seed "${SOAK_SEED:-$RANDOM}" --report "$DIR" 2>&1 |
    grep -v '^vmport-stress: *[0-9.]*s '
rc=${PIPESTATUS[0]}
python3 - "$DIR/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s, m = r["summary"], r["migrations"]
dirs = {}
for x in m:
    if x["outcome"] == "migrated":
        k = "%s->%s" % (x["from"], x["to"])
        dirs[k] = dirs.get(k, 0) + 1
faults = sorted({x["fault"] for x in m if x["fault"] != "none"})
d = s["downtime_ms"]
print("soak: %d migrations attempted (%d succeeded, %d aborted) in %.0f s: "
      "%.2f attempted per second"
      % (s["attempted"], s["succeeded"], s["aborted"],
         s["seconds"], s["migrations_per_second"]))
print("soak: succeeded migrations by direction: %s"
      % ", ".join("%s %d" % kv for kv in sorted(dirs.items())))
print("soak: fault points injected at least once: %s" % ", ".join(faults))
print("soak: downtime of the succeeded migrations, ms: p50 %.1f p90 %.1f "
      "p99 %.1f max %.1f" % (d["median"], d["p90"], d["p99"], d["max"]))
print("soak: RPC replies the guests checked %d; verification failures "
      "(a wrong, lost or duplicated reply) %d; guests lost %d; host errors %d"
      % (s["rpcs"], s["verification_failures"], s["lost_guests"],
         s["host_errors"]))
ok = len(dirs) == 2 and len(faults) == 4
sys.exit(0 if ok else 1)
PY
prc=$?
echo "soak: report in $DIR/report.html"
if [ $rc = 0 ] && [ $prc = 0 ]; then
    echo "PASS soak_${N}_migrations_nothing_lost"
else
    echo "FAIL soak_${N}_migrations_nothing_lost: expected exit 0 with both directions and every fault point, seen $rc/$prc"
    exit 1
fi

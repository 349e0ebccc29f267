#!/bin/bash
# vmport-stress's own conventions: --version and -h; every numeric option
# refuses negative and non-numeric values naming the option (exit 2); a
# reused, non-empty --workdir is refused with the reason; the seed is in
# the text and JSON reports; the text report labels every number (the
# aborts by cause add up to the aborted count, the freeze modes to the
# attempted one, and say they are no breakdown of the aborts); a source
# whose handoff stalls is called off and keeps its guest; SIGINT and
# SIGTERM stop every host and guest it started and print the report so
# far (exit 128 + signal).
#
#   tests/migration/check-stress-cli.sh BUILD
set -u
BUILD=${1:?usage: check-stress-cli.sh BUILD}
S=$BUILD/bin/vmport-stress
W=$(mktemp -d /tmp/vmport-stress-cli.XXXXXX)
trap 'rm -rf "$W"' EXIT
pass=0 fail=0
ok()  { echo "PASS $1"; pass=$((pass + 1)); }
ko()  { echo "FAIL $1: $2"; fail=$((fail + 1)); }
RUN=(--bin "$BUILD/bin" --guest "$BUILD/tests/migration/guest_channels")

out=$("$S" --version) && [[ $out == "vmport-stress (xen-vmport) "* ]] &&
    ok stress_version || ko stress_version "seen '$out'"
"$S" -h | grep -q '^usage: vmport-stress' && ok stress_help ||
    ko stress_help "expected the usage on stdout"

for opt in --guests --seconds --migrations --channels --fault-pct --fault \
           --convert-pct --seed --max-seconds --parallel --guest-id; do
    for val in -1 x 1.5; do
        "$S" "$opt" "$val" >/dev/null 2>"$W/err"
        rc=$?
        if [ $rc = 2 ] && grep -qF -- "$opt: '$val' is not a number" "$W/err"
        then ok "numeric_option_refused $opt $val"
        else ko "numeric_option_refused $opt $val" "exit $rc, $(head -c 200 "$W/err")"
        fi
    done
done

# Out of range, and the options that are no number.
expect_refused() {   # NAME MESSAGE ARGS...
    local name=$1 msg=$2
    shift 2
    "$S" "$@" >/dev/null 2>"$W/err"
    local rc=$?
    if [ $rc = 2 ] && grep -qF -- "$msg" "$W/err"; then ok "$name"
    else ko "$name" "expected exit 2 and '$msg', seen exit $rc, $(head -c 200 "$W/err")"
    fi
}
expect_refused parallel_range "--parallel: '0' is not a number in 1..16" --parallel 0
expect_refused parallel_above_guests "--parallel: '3' is more than the 2 guests" \
    --guests 2 --parallel 3
expect_refused backend_refused "--backend: 'kvm' is not sim or xl" --backend kvm
"$S" -h | grep -q -- '--parallel N' && "$S" -h | grep -q -- '--backend sim|xl' &&
    "$S" -h | grep -q -- '--report DIR' && ok stress_help_lists_new_options ||
    ko stress_help_lists_new_options "expected --parallel, --backend, --report in -h"

mkdir -p "$W/used" && touch "$W/used/g1"
"$S" "${RUN[@]}" --workdir "$W/used" --seconds 1 >/dev/null 2>"$W/err"
rc=$?
[ $rc = 2 ] && grep -q "is not empty" "$W/err" && ok reused_workdir_refused ||
    ko reused_workdir_refused "exit $rc, $(head -c 200 "$W/err")"

# The work directory is memory on tmpfs: a run that would not fit is
# refused before anything starts, and nothing is left behind.
before=$(ls -d /dev/shm/vmport-stress.* /tmp/vmport-stress.* 2>/dev/null | sort)
"$S" "${RUN[@]}" --seconds 1 --min-free-mb 999999999 >/dev/null 2>"$W/err"
rc=$?
after=$(ls -d /dev/shm/vmport-stress.* /tmp/vmport-stress.* 2>/dev/null | sort)
if [ $rc = 1 ] && grep -q "MiB free, the run needs 999999999 MiB (--min-free-mb)" "$W/err" &&
   [ "$before" = "$after" ]; then
    ok workdir_without_room_refused
else
    ko workdir_without_room_refused "expected exit 1 naming the room needed and no directory left, seen exit $rc, $(head -c 300 "$W/err")"
fi

# A guest's transcript is read as the run goes and emptied past
# --guest-out-max-kb: the files stay small, and every checked RPC is still
# counted once (the report's count equals what the guests' final lines
# say: two per rpctool round, rpcs= of guest_channels).
"$S" "${RUN[@]}" --guests 2 --seconds 6 --guest-out-max-kb 0 --seed 4243 \
    --workdir "$W/out-bound" --json >"$W/out" 2>"$W/err"
rc=$?
big=$(find "$W/out-bound" -name out -size +16k)
if [ $rc != 0 ]; then
    ko guest_output_bounded_and_counted "expected exit 0, seen $rc ($(grep -v 's  migrations' "$W/err" | head -c 300))"
elif ! grep -q "bytes of its transcript were read and dropped" "$W/err"; then
    ko guest_output_bounded_and_counted "expected transcripts emptied (--guest-out-max-kb 0), seen none said"
elif [ -n "$big" ]; then
    ko guest_output_bounded_and_counted "expected every transcript under 16 KiB, seen $big"
elif ! python3 - "$W/out" "$W/out-bound" <<'PY'
import json, re, sys
r = json.JSONDecoder().raw_decode(open(sys.argv[1]).read())[0]
t1 = open(sys.argv[2] + "/g1/out").read()
t2 = open(sys.argv[2] + "/g2/out").read()
n = int(re.search(r"^rpctool: done (\d+)$", t1, re.M).group(1))
c = int(re.search(r"^channels: .* rpcs=(\d+) ", t2, re.M).group(1))
assert r["rpcs"] == 2 * n + c, (r["rpcs"], n, c)
PY
then
    ko guest_output_bounded_and_counted "expected the report's RPCs to be 2 x rpctool rounds + guest_channels rpcs"
else
    ok guest_output_bounded_and_counted
fi

# Streams go over pipes, through this driver's memory: the work directory
# of a run that migrated holds no stream, FIFO or tool output file.
"$S" "${RUN[@]}" --seconds 4 --seed 4244 --workdir "$W/pipes" --quiet \
    --json >"$W/out" 2>"$W/err"
rc=$?
files=$(find "$W/pipes" -type f \( -name 'state*' -o -name 'xfer*' \
        -o -name 'tool*' \) -o -type p | head -5)
if [ $rc != 0 ]; then
    ko streams_leave_no_file "expected exit 0, seen $rc ($(head -c 300 "$W/err"))"
elif ! python3 -c '
import json, sys
r = json.JSONDecoder().raw_decode(open(sys.argv[1]).read())[0]
assert r["succeeded"] > 0, r["succeeded"]' "$W/out"; then
    ko streams_leave_no_file "expected migrations that succeeded, seen none"
elif [ -n "$files" ]; then
    ko streams_leave_no_file "expected no stream file in the work directory, seen $files"
else
    ok streams_leave_no_file
fi

# The sim backend's invariants, reported and held: every TCLO command the
# hosts queued was taken by its guest once or is still queued, no host
# ended holding memory, every adoption of a stream as its source wrote it
# holds what the source held.
"$S" "${RUN[@]}" --seconds 6 --seed 4245 --json >"$W/out" 2>"$W/err"
rc=$?
if [ $rc = 0 ] && python3 -c '
import json, sys
r = json.JSONDecoder().raw_decode(open(sys.argv[1]).read())[0]
t, m = r["tclo"], r["host_memory"]
assert t["guests"] >= 1 and t["taken"] > 0, t
assert t["queued"] == t["taken"] + t["still_queued"] + t["expired"], t
assert t["mismatches"] == 0, t
assert m["hosts_checked"] > 0 and m["hosts_leaked"] == 0, m
assert m["adoptions_compared"] > 0 and m["adoptions_differed"] == 0, m
' "$W/out"; then
    ok sim_invariants_tclo_once_and_host_memory
else
    ko sim_invariants_tclo_once_and_host_memory "exit $rc, $(grep -A12 '"tclo"' "$W/out" | tr -s ' \n' ' ' | head -c 400)"
fi
# ... and a guest that says it took one command more (or one fewer) than
# its hosts queued fails the run, naming it.
for skew in 1 -1; do
    GUEST_CHANNELS_TCLO_SKEW=$skew "$S" "${RUN[@]}" --seconds 3 --seed 4246 \
        --workdir "$W/skew$skew" \
        --quiet >"$W/out" 2>"$W/err"
    rc=$?
    if [ $rc = 1 ] && grep -q "took other than every TCLO command once" "$W/out" &&
       grep -q "expected every TCLO command its hosts queued" "$W/err"; then
        ok "tclo_miscount_caught_$skew"
    else
        ko "tclo_miscount_caught_$skew" "expected exit 1 naming the TCLO count, seen $rc, $(tail -2 "$W/out" | head -c 300)"
    fi
done

# A source whose handoff stalls with its guest frozen (fault 5, vmport-host
# --test-stall-handoff) is asked to call it off (SIGUSR2) and does: the
# run passes, the report counts each as a source-stalled abort and a fault
# aborted cleanly, and the guest stayed on its source host (that guest's
# next migration starts from the same hop, its checked RPCs gone on).
"$S" "${RUN[@]}" --guests 2 --seconds 0 --migrations 10 --fault 5 \
    --fault-pct 60 --convert-pct 0 --seed 4247 --workdir "$W/stall" \
    --report "$W/stall-report" --json >"$W/out" 2>"$W/err"
rc=$?
if [ $rc = 0 ] && python3 - "$W/out" "$W/stall-report/report.json" <<'PY'
import json, sys
r = json.JSONDecoder().raw_decode(open(sys.argv[1]).read())[0]
m = json.load(open(sys.argv[2]))["migrations"]
n, f = r["aborted_by_reason"]["source-stalled"], r["faults"]["source-stall"]
assert n >= 1 and f["injected"] == n and f["aborted_cleanly"] == n, (n, f)
assert r["lost_guests"] == 0 and r["host_errors"] == 0, r
assert r["verification_failures"] == 0, r
for i, x in enumerate(m):
    if x["outcome"] != "source-stalled":
        continue
    assert x["fault"] == "source-stall" and x["fault_aborted_cleanly"], x
    later = [y for y in m[i + 1:] if y["guest"] == x["guest"]]
    if later:
        assert later[0]["hop"] == x["hop"], (x, later[0])
        assert later[0]["guest_rpcs"] >= x["guest_rpcs"], (x, later[0])
PY
then
    ok source_stall_called_off_guest_stays_on_source
else
    ko source_stall_called_off_guest_stays_on_source "exit $rc, $(grep -v 's  migrations' "$W/err" | tail -3 | head -c 400)"
fi

# stop_run SIGNAL JSON [ARGS]: the run is stopped, its report printed,
# nothing left.
stop_run() {
    local sig=$1 json=$2 extra=${3:-} d=$W/run-$1${3:+-par} pids p left=""
    "$S" "${RUN[@]}" --seconds 120 --quiet --seed 4242 --workdir "$d" \
        $json $extra >"$W/out" 2>"$W/err" &
    local sp=$!
    sleep 4
    # Everything it started: its descendants now, and every guest (a frozen
    # guest belongs to no host for a moment).
    pids=$(ps -eo pid=,ppid= | awk -v r=$sp '
        { parent[$1] = $2 }
        END { for (p in parent) { q = p
                while (q > 1) { if (parent[q] == r) { print p; break }
                                q = parent[q] } } }')
    kill -"$sig" $sp
    wait $sp
    local rc=$?
    pids="$pids $(cat "$d"/g*/pid 2>/dev/null)"
    sleep 0.5
    for p in $pids; do
        st=$(ps -o stat= -p "$p" 2>/dev/null)
        [ -n "$st" ] && [ "${st:0:1}" != Z ] && left="$left $p($st)"
    done
    local want=$((128 + $(kill -l "$sig")))
    if [ $rc != $want ]; then
        ko "stress_${sig}_stops" "expected exit $want, seen $rc ($(tail -3 "$W/err"))"
    elif [ -n "$left" ]; then
        ko "stress_${sig}_stops" "expected every process it started gone, left:$left"
    elif [ -z "$json" ] && ! grep -q 'soak report (seed 4242, interrupted' "$W/out"; then
        ko "stress_${sig}_stops" "expected the report so far with its seed, seen '$(head -3 "$W/out")'"
    elif [ -n "$json" ] && ! python3 -c '
import json, sys
t = open(sys.argv[1]).read()
r = json.JSONDecoder().raw_decode(t)[0]
assert r["seed"] == 4242 and r["interrupted"] is True, r' "$W/out"; then
        ko "stress_${sig}_stops" "expected a JSON report with seed 4242, seen '$(head -c 300 "$W/out")'"
    else
        ok "stress_${sig}${extra:+_parallel}_stops_everything_and_reports"
    fi
}
stop_run INT ""
# The report's wording: what each number counts.
if python3 - "$W/out" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
m = re.search(r"^  migrations attempted: (\d+) = (\d+) succeeded \+ (\d+) aborted"
              r"(?: \+ (\d+) not finished)? \(", t, re.M)
assert m, "no 'migrations attempted: A = S succeeded + B aborted' line"
a, s, b, u = (int(x or 0) for x in m.groups())
assert a == s + b + u, (a, s, b, u)
blk = re.search(r"^  aborted migrations by cause \(these add up to the (\d+) "
                r"aborted\):\n((?:    \S+ +\d+  .+\n)+)", t, re.M)
assert blk and int(blk.group(1)) == b, "no aborts-by-cause heading for %d" % b
causes = re.findall(r"^    (\S+) +(\d+)  ", blk.group(2), re.M)
assert [c for c, _ in causes] == ["verify", "refused-v1",
    "destination-rejected", "destination-killed", "source-stalled"], causes
assert sum(int(n) for _, n in causes) == b, causes
fr = re.search(r"^  freeze modes: how each of the (\d+) attempted migrations "
               r"froze its guest \(succeeded or aborted alike: not a breakdown "
               r"of the aborts\):\n    --handoff-after +(\d+)  .+\n"
               r"    SIGUSR1 +(\d+)  .+\n", t, re.M)
assert fr and int(fr.group(1)) == a, "no freeze-modes heading for %d" % a
assert int(fr.group(2)) + int(fr.group(3)) == a, fr.groups()
for label in ("streams converted to version 1: ", "CPT answers the guests saw",
              "faults, per point: injected / of those aborted cleanly",
              "RPC replies the guests received and checked: ",
              "verification failures (", "guests lost: ", "host errors (",
              "migrations attempted per second",
              "succeeded migrations, freeze -> resume (ms)",
              "state stream bytes, over the "):
    assert label in t, "no '%s' in the report" % label
PY
then ok stress_report_labels_every_number
else ko stress_report_labels_every_number "$(head -c 1500 "$W/out")"
fi
stop_run TERM --json
stop_run INT "" "--parallel 2"

echo "stress cli tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

# --trace is bounded: a long-running guest keeps only its newest lines
# (FILE and FILE.old together within --trace-max-bytes), the handoff
# event says where the guest froze, and a trace that cannot be written
# stops tracing, not the guest.

test_trace_keeps_newest_within_limit() {
    local d=$WORK/trace-limit
    mkdir -p "$d"
    "$HOST" --trace "$d/t" --trace-max-bytes 65536 -- \
        "$GUESTS/guest_getversion" 5000 >"$d/out" 2>"$d/err"
    local rc=$? size last first
    size=$(( $(stat -c %s "$d/t" 2>/dev/null || echo 0) +
             $(stat -c %s "$d/t.old" 2>/dev/null || echo 0) ))
    last=$(grep ' gp ' "$d/t" 2>/dev/null | tail -1 | grep -o 'exit=[0-9]*$')
    first=$(head -1 "$d/t" 2>/dev/null)
    if [ $rc != 0 ]; then
        ko trace_keeps_newest_within_limit "expected exit 0, seen $rc ($(head -c 200 "$d/err"))"
    elif [ "$size" -gt 65536 ] || [ ! -s "$d/t.old" ]; then
        ko trace_keeps_newest_within_limit "expected t and t.old together within 65536 bytes, seen $size ($(ls -l "$d" | tr '\n' ' '))"
    elif [ "$last" != exit=5000 ] ||
         [[ $(tail -1 "$d/t") != *" event end status=0 blocks=0 "* ]]; then
        ko trace_keeps_newest_within_limit "expected exit 5000 and then the end event last, seen '$last', '$(tail -1 "$d/t")'"
    elif [[ $first != *" event trace rotated "*"older lines dropped"* ]]; then
        ko trace_keeps_newest_within_limit "expected t to start with a 'trace rotated' event, seen '${first:0:120}'"
    elif ! grep -q "only the newest lines are kept" "$d/err" ||
         [ "$(grep -c 'newest lines' "$d/err")" != 1 ]; then
        ko trace_keeps_newest_within_limit "expected one stderr line saying only the newest lines are kept, seen '$(head -c 300 "$d/err")'"
    else
        ok trace_keeps_newest_within_limit
    fi
}

test_trace_limit_option_checked() {
    bad trace_max_small 2 "--trace-max-bytes: 100 is below the minimum, 65536" \
        -- "$HOST" --trace-max-bytes 100 -- true
    bad trace_max_nan 2 "--trace-max-bytes: '1M' is not a number" \
        -- "$HOST" --trace-max-bytes 1M -- true
}

# A full disk (/dev/full) stops the tracing, once and said; the guest ends
# as it would have.
test_trace_write_error_stops_tracing_not_guest() {
    local d=$WORK/trace-full out rc
    mkdir -p "$d"
    out=$("$HOST" --trace /dev/full -- "$GUESTS/guest_getversion" 50 2>"$d/err")
    rc=$?
    if [ $rc != 0 ] || [[ $out != sig=VMwareVMware* ]]; then
        ko trace_write_error_stops_tracing_not_guest "expected the guest to end well, seen exit $rc, '$out' ($(head -c 200 "$d/err"))"
    elif [ "$(grep -c 'write error: No space left on device; tracing stopped' "$d/err")" != 1 ]; then
        ko trace_write_error_stops_tracing_not_guest "expected one 'tracing stopped' line, seen '$(head -c 300 "$d/err")'"
    else
        ok trace_write_error_stops_tracing_not_guest
    fi
}

# The handoff event carries the freeze point: the last exit's timestamp.
test_trace_handoff_names_last_exit() {
    local d=$WORK/trace-handoff last hoff
    mkdir -p "$d"
    "$HOST" --trace "$d/t" --handoff-after 7 --state-out "$d/s" \
        --pid-file "$d/pid" -- "$GUESTS/guest_getversion" 20 \
        >/dev/null 2>"$d/err"
    last=$(grep ' gp ' "$d/t" | tail -1 | awk '{print $2}')
    hoff=$(grep -o 'event handoff after 7 exits last_exit_ns=[0-9]*' "$d/t" |
           sed 's/.*=//')
    kill -KILL "$(cat "$d/pid" 2>/dev/null)" 2>/dev/null
    if [ -n "$last" ] && [ "$last" = "$hoff" ]; then
        ok trace_handoff_names_last_exit
    else
        ko trace_handoff_names_last_exit "expected last_exit_ns=$last in the handoff event, seen '$hoff' ($(tail -1 "$d/t"))"
    fi
}

# Every host ends by destroying its domain, and its last trace line says
# the device model then holds nothing: after a guest that ended, after a
# handoff, after a refused stream.
test_host_ends_holding_nothing() {
    local d=$WORK/end-mem bad=""
    mkdir -p "$d"
    "$HOST" --trace "$d/t1" -- "$GUESTS/guest_getversion" 10 >/dev/null 2>&1
    "$HOST" --trace "$d/t2" --handoff-after 3 --state-out "$d/s" \
        --pid-file "$d/pid" -- "$GUESTS/guest_getversion" 10 >/dev/null 2>&1
    "$HOST" --trace "$d/t3" --attach "$(cat "$d/pid")" --state-in "$d/s" \
        --guestinfo guestinfo.a=b 2>/dev/null
    head -c 100 /dev/urandom >"$d/junk"
    "$HOST" --trace "$d/t4" --state-in "$d/junk" -- true 2>/dev/null
    local t want
    for t in t1:0 t2:0 t3:0 t4:1; do
        want=" event end status=${t#*:} blocks=0 bytes=0 "
        [[ $(tail -1 "$d/${t%:*}" 2>/dev/null) == *"$want"* ]] ||
            bad="$bad ${t%:*}: '$(tail -1 "$d/${t%:*}" 2>/dev/null | cut -c1-120)'"
    done
    if [ -z "$bad" ]; then
        ok host_ends_holding_nothing
    else
        ko host_ends_holding_nothing "expected each trace to end with an end event holding 0 blocks, seen$bad"
    fi
}

# --tclo-every queues power commands only for a guest that set
# guestinfo.vmport-stress.tclo=1 (vmtoolsd would halt the machine):
# vmware-rpctool gets none; guest_channels takes every one queued that is
# not still queued when it ends.
test_tclo_every_only_for_test_guests() {
    local d=$WORK/tclo q p taken
    mkdir -p "$d"
    "$HOST" --trace "$d/rpctool" --tclo-every 1 -- /bin/sh -c \
        'for i in 1 2 3; do vmware-rpctool "info-get guestinfo.x"; done' \
        >/dev/null 2>&1
    "$HOST" --trace "$d/chan" --tclo-every 5 -- \
        "$BUILD/tests/migration/guest_channels" 1 2 30 - tclo \
        >"$d/out" 2>"$d/err"
    q=$(tail -1 "$d/chan" | grep -o ' tclo=[0-9]*' | cut -d= -f2)
    p=$(tail -1 "$d/chan" | grep -o ' tclo_pending=[0-9]*' | cut -d= -f2)
    taken=$(grep -o ' tclo=[0-9]*$' "$d/out" | cut -d= -f2)
    if grep -q 'tclo-queued' "$d/rpctool" ||
       [[ $(tail -1 "$d/rpctool") != *" tclo=0 tclo_pending=0"* ]]; then
        ko tclo_every_only_for_test_guests "expected nothing queued for vmware-rpctool, seen '$(grep -m1 tclo "$d/rpctool")'"
    elif [ -z "$q" ] || [ "${q:-0}" -lt 1 ] || [ -z "$taken" ] ||
         [ "$q" != $((taken + p)) ]; then
        ko tclo_every_only_for_test_guests "expected queued = taken + still queued > 0, seen queued '$q', taken '$taken', still queued '$p' ($(tail -1 "$d/out"))"
    else
        ok tclo_every_only_for_test_guests
    fi
}

# A power command the guest does not fetch within the trigger timeout is
# timed out and unqueued, never delivered late; the host that saw it go
# counts it (tclo_expired=), so queued = taken + still queued + expired.
# With a 1 s trigger timeout, guest_channels stops polling TCLO for 2.5 s
# after its first command's statechange (its other channels go on): the
# command it holds times out delivered (taken), the next one the host
# queues (--tclo-every 1) times out unfetched about 1 s later.
test_tclo_expired_unfetched_is_counted() {
    local d=$WORK/tclo-expired q p e taken
    mkdir -p "$d"
    # Unbounded rounds until the stop file, 5 s on: past the pause however
    # fast a round is; timeout(1) bounds a guest that would not stop.
    ( sleep 5; touch "$d/stop" ) &
    GUEST_CHANNELS_TCLO_PAUSE_MS=2500 timeout 60 \
    "$HOST" --trace "$d/chan" --tclo-every 1 --trigger-timeout-ms 1000 -- \
        "$BUILD/tests/migration/guest_channels" 1 2 0 "$d/stop" tclo \
        >"$d/out" 2>"$d/err"
    wait
    q=$(tail -1 "$d/chan" | grep -o ' tclo=[0-9]*' | cut -d= -f2)
    p=$(tail -1 "$d/chan" | grep -o ' tclo_pending=[0-9]*' | cut -d= -f2)
    e=$(tail -1 "$d/chan" | grep -o ' tclo_expired=[0-9]*' | cut -d= -f2)
    taken=$(grep -o ' tclo=[0-9]*$' "$d/out" | cut -d= -f2)
    if [ "${e:-0}" -lt 1 ] ||
       ! cat "$d/chan.old" "$d/chan" 2>/dev/null | grep -q 'tclo-expired n=1' ||
       [ -z "$q" ] || [ -z "$taken" ] || [ "$q" != $((taken + p + e)) ] ||
       [ "$taken" -lt 2 ]; then
        ko tclo_expired_unfetched_is_counted "expected a command expired and queued = taken + still queued + expired, seen queued '$q', taken '$taken', still queued '$p', expired '$e' ($(tail -1 "$d/out"); $(tail -2 "$d/err" | tr '\n' ' '))"
    else
        ok tclo_expired_unfetched_is_counted
    fi
}

# --trigger-timeout-ms is held to the device model's range.
test_trigger_timeout_out_of_range_refused() {
    local out rc
    out=$("$HOST" --trigger-timeout-ms 999 -- /bin/true 2>&1)
    rc=$?
    if [ $rc = 2 ] && [[ $out == *"--trigger-timeout-ms: 999 is out of range (1000..86400000)"* ]]; then
        ok trigger_timeout_out_of_range_refused
    else
        ko trigger_timeout_out_of_range_refused "expected exit 2 naming the range, seen exit $rc: $out"
    fi
}

# vmport-host's state is never lost: --state-out is checked before the
# guest starts, and SIGTERM/SIGINT freeze the guest at an exit boundary,
# write its state and leave it stopped for --attach (exit 128 + signal).

# stop_and_resume NAME SIGNAL GUEST...: the guest ends on a second host.
stop_and_resume() {
    local name=$1 sig=$2 d=$WORK/$1
    shift 2
    mkdir -p "$d"
    "$HOST" --state-out "$d/s1" --pid-file "$d/pid" -- "$@" \
        >"$d/out" 2>"$d/err.a" &
    local host=$! i
    for i in $(seq 50); do
        [ -s "$d/pid" ] && break
        sleep 0.05
    done
    sleep 0.2
    kill -"$sig" "$host"
    wait "$host"
    local a=$? pid
    pid=$(cat "$d/pid")
    local state
    state=$(ps -o stat= -p "$pid" 2>/dev/null)
    "$HOST" --attach "$pid" --state-in "$d/s1" 2>"$d/err.b"
    local b=$?
    if [ "$a" != $((128 + $(kill -l "$sig"))) ] ||
       ! grep -q "frozen (stopped) and its state written to $d/s1" "$d/err.a"
    then
        ko "$name" "expected exit $((128 + $(kill -l "$sig"))) and 'frozen ... state written', seen exit $a ($(head -c 300 "$d/err.a"))"
    elif [ "${state:0:1}" != T ]; then
        ko "$name" "expected the guest stopped (T) after the host's $sig, seen '$state'"
    elif [ $b != 0 ] || [ "$(cat "$d/out")" != "sig=VMwareVMware version=6 magic=0x564d5868" ]; then
        ko "$name" "expected the guest to finish on a second host, exit $b, output '$(cat "$d/out")' ($(head -c 200 "$d/err.b"))"
    else
        ok "$name"
    fi
}

test_sigterm_freezes_at_an_exit_boundary_and_writes_the_state() {
    # The guest spins on GETVERSION: the stop lands at an exit.
    stop_and_resume sigterm_mid_rpc_loop TERM "$GUESTS/guest_getversion" 200000
}

test_sigint_freezes_an_idle_guest_and_writes_the_state() {
    # The guest sleeps first: no exit comes, the host freezes it from its
    # wait (every task is between exits there).
    stop_and_resume sigint_idle_guest INT /bin/sh -c \
        "sleep 3; $GUESTS/guest_getversion 1000"
}

test_state_out_is_checked_before_the_guest_starts() {
    local d=$WORK/preflight
    mkdir -p "$d/dir"
    bad state_out_no_dir 1 "cannot create a temporary file beside it" \
        -- "$HOST" --state-out "$d/none/s" -- touch "$d/ran1"
    bad state_out_directory 1 "a directory, not a regular file" \
        -- "$HOST" --state-out "$d/dir" -- touch "$d/ran2"
    bad state_out_device 1 "a character device" \
        -- "$HOST" --state-out /dev/null -- touch "$d/ran3"
    if [ -e "$d/ran1" ] || [ -e "$d/ran2" ] || [ -e "$d/ran3" ]; then
        ko state_out_checked_first "expected the guest never to start with a bad --state-out"
    else
        ok state_out_checked_first
    fi
}

test_version_and_help() {
    local out
    out=$("$HOST" --version) && [[ "$out" == "vmport-host (xen-vmport) "* ]] &&
        ok host_version || ko host_version "expected 'vmport-host (xen-vmport) V', seen '$out'"
    "$HOST" -h | grep -q '^usage: vmport-host' && ok host_help ||
        ko host_help "expected a usage on stdout"
}

test_sigterm_stops_a_guest_in_a_vfork_loop() {
    # A background loop vforks and execs all the time (dash vforks simple
    # commands): at the stop a vfork parent may be in the kernel's vfork
    # wait, which no SIGSTOP ends before its child execs, so the host must
    # not wait on any one task.  It exits 128 + 15 in time with every
    # process stopped and untraced, and a second host finishes the guest.
    local d=$WORK/stop_vfork a b bad i
    mkdir -p "$d"
    timeout --foreground -s KILL 25 "$HOST" --state-out "$d/s1" \
        --pid-file "$d/pid" -- /bin/sh -c "while [ ! -e $d/stop ]; do /bin/true; done &
            sleep 1.5; $GUESTS/guest_getversion 1000; wait" \
        >"$d/out" 2>"$d/err.a" &
    local host=$!
    for i in $(seq 50); do
        [ -s "$d/pid" ] && break
        sleep 0.05
    done
    sleep 0.5
    kill -TERM "$host"
    wait "$host"
    a=$?
    local pid
    pid=$(cat "$d/pid" 2>/dev/null)
    sleep 0.2
    bad=$(tree_states "$pid" | awk '$2 != "T" && $2 != "Z" || $3 != 0')
    touch "$d/stop"
    timeout --foreground -s KILL 25 "$HOST" --attach "$pid" --state-in "$d/s1" \
        --personality amd 2>"$d/err.b"
    b=$?
    if [ $a != 143 ] || ! grep -q "state written to $d/s1" "$d/err.a"; then
        ko sigterm_vfork_loop "expected exit 143 and the state written, seen exit $a ($(head -c 300 "$d/err.a"))"
        kill -KILL "$pid" 2>/dev/null
    elif [ -n "$bad" ]; then
        ko sigterm_vfork_loop "expected every process stopped (T) with no tracer, seen: $bad"
        kill -KILL "$pid" 2>/dev/null
    elif [ $b != 0 ] || [ "$(cat "$d/out")" != "sig=VMwareVMware version=6 magic=0x564d5868" ]; then
        ko sigterm_vfork_loop "expected the guest to finish on a second host, exit $b, output '$(cat "$d/out")' ($(head -c 300 "$d/err.b"))"
    else
        ok sigterm_vfork_loop
    fi
}

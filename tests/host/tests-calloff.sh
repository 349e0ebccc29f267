# SIGUSR2 calls a handoff off until the first byte of its state is
# written (tools/vmport-host/calloff.c): the host serves its guest on, as
# if it had never been asked, and can hand off later; past that point
# SIGUSR2 changes nothing.  (An --attach called off:
# attach_called_off_leaves_guest_parked in tests-handoff.sh.)

# await SECONDS COMMAND...: COMMAND every 10 ms until it succeeds, false
# if it has not within SECONDS.
await() {
    local end=$((SECONDS + $1))
    shift
    until "$@"; do
        [ $SECONDS -lt "$end" ] || return 1
        sleep 0.01
    done
}

CHANNELS=$BUILD/tests/migration/guest_channels

# more_rounds FILE N: FILE (a guest_channels transcript) has more than N
# round lines.
more_rounds() {
    [ "$(grep -c '^round' "$1" 2>/dev/null)" -gt "$2" ]
}

# ended PID: the process is gone or a zombie (kill -0 succeeds on those).
ended() {
    local st
    st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null)
    [ -z "$st" ] || [ "${st:0:1}" = Z ]
}

# reap PID SECONDS: PID's exit status once it ends, killed if it has not
# within SECONDS.
reap() {
    await "$2" ended "$1" || kill -KILL "$1"
    { wait "$1"; } 2>/dev/null
}

# kill_tree PID: the process and everything under it.
kill_tree() {
    local p
    for p in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
        kill_tree "$p"
    done
    kill -KILL "$1" 2>/dev/null
}

# same_as_undisturbed D: every transcript D/out.ID of guest_channels ID
# is that of an undisturbed run of as many rounds (every reply right, none
# lost or given twice); else says which differs and how, and fails.
same_as_undisturbed() {
    local f id rounds
    for f in "$1"/out.*; do
        id=${f##*.}
        rounds=$(sed -n 's/^channels: .* rounds=\([0-9]*\) .*/\1/p' "$f")
        "$HOST" -- "$CHANNELS" "$id" 4 "${rounds:-0}" - >"$f.ref" 2>/dev/null
        if [ -z "$rounds" ] || [ "$rounds" -lt 3 ] || ! cmp -s "$f" "$f.ref"
        then
            echo "guest $id after '$rounds' rounds: $(diff "$f.ref" "$f" | head -c 300)"
            return 1
        fi
    done
}

# called_off_then_handed_off NAME HOW GUEST...: the host is asked to hand
# off (SIGUSR1) and the handoff is called off (SIGUSR2): HOW "frozen",
# once the handoff stalled with the guest frozen (--test-stall-handoff,
# the stall file removed after); "pending", while the request waits for
# an exit boundary (the guest makes no backdoor call until $d/go exists).
# The guest, guest_channels writing $d/out.ID, must go on under the same
# host, be handed off by a second SIGUSR1 and end well on an AMD host
# (told to stop by $d/stop), each transcript that of an undisturbed run.
called_off_then_handed_off() {
    local name=$1 how=$2 d=$WORK/$1
    shift 2
    local said="handoff called off (SIGUSR2) before its freeze"
    mkdir -p "$d"
    if [ "$how" = frozen ]; then
        said="handoff called off (SIGUSR2) with the guest frozen"
        touch "$d/stall"
    fi
    "$HOST" --test-stall-handoff "$d/stall" --state-out "$d/s1" \
        --pid-file "$d/pid" -- "$@" 2>"$d/err.a" &
    local host=$! second rounds a b why=""
    await 20 test -s "$d/pid"
    sleep 0.2
    kill -USR1 "$host"
    if [ "$how" = frozen ] &&
       ! await 20 grep -q 'handoff stalled' "$d/err.a"; then
        why="expected the handoff to stall"
    else
        sleep 0.2
        kill -USR2 "$host"
        await 20 grep -q 'handoff called off' "$d/err.a" ||
            why="expected 'handoff called off' after SIGUSR2"
    fi
    rm -f "$d/stall"
    touch "$d/go"
    # Served on: the guest's rounds go on under this host.
    await 5 test -s "$d/out.1"
    rounds=$(grep -c '^round' "$d/out.1")
    [ -n "$why" ] || await 20 more_rounds "$d/out.1" $((rounds + 2)) ||
        why="expected the guest to run on, seen $rounds rounds, then none"
    if [ -n "$why" ]; then
        kill_tree "$host"
        kill_tree "$(cat "$d/pid")"
        { wait "$host"; } 2>/dev/null
        ko "$name" "$why ($(head -c 300 "$d/err.a"))"
        return
    fi
    kill -USR1 "$host"
    reap "$host" 30
    a=$?
    "$HOST" --attach "$(cat "$d/pid")" --state-in "$d/s1" \
        --personality amd 2>"$d/err.b" &
    second=$!
    sleep 0.2
    touch "$d/stop"
    reap "$second" 30
    b=$?
    kill_tree "$(cat "$d/pid")"
    if ! grep -qF "$said" "$d/err.a"; then
        ko "$name" "expected '$said', seen '$(head -c 300 "$d/err.a")'"
    elif [ $a != 0 ] || [ "$(grep -c 'handed off' "$d/err.a")" != 1 ]; then
        ko "$name" "expected one handoff, at the second SIGUSR1, and exit 0, seen exit $a ($(head -c 300 "$d/err.a"))"
    elif [ $b != 0 ]; then
        ko "$name" "expected the guest to end well on the AMD host, exit $b ($(head -c 200 "$d/err.b"))"
    elif ! why=$(same_as_undisturbed "$d"); then
        ko "$name" "expected the transcripts of undisturbed runs, seen $why"
    else
        ok "$name"
    fi
}

test_handoff_called_off_with_the_guest_frozen_serves_it_on() {
    # Two guests and their shell: one at the exit boundary, the others
    # stopped wherever the freeze found them (often at an access not yet
    # served, channels halfway through their messages); undone.
    local d=$WORK/calloff_frozen
    called_off_then_handed_off calloff_frozen frozen /bin/sh -c \
        "$CHANNELS 2 4 0 $d/stop >$d/out.2 &
         $CHANNELS 1 4 0 $d/stop >$d/out.1; wait"
}

test_handoff_called_off_before_its_exit_boundary_serves_it_on() {
    local d=$WORK/calloff_pending
    called_off_then_handed_off calloff_pending pending /bin/sh -c \
        "until [ -e $d/go ]; do sleep 0.01; done
         exec $CHANNELS 1 4 0 $d/stop >$d/out.1"
}

# SIGUSR2 once the state's first byte is written changes nothing: the
# stream (four times a pipe's 64 KiB of guestinfo) goes to a reader that
# takes one byte and then waits, so the host is in its write when the
# signal comes.  It must hand off, say the signal came late, and the next
# host must run the guest to its end from the whole stream.
test_sigusr2_past_the_point_of_no_return_changes_nothing() {
    local d=$WORK/calloff_late k host a b size
    mkdir -p "$d"
    for k in 1 2 3 4; do
        printf 'guestinfo.big%s=%s\n' $k "$(head -c 45000 /dev/urandom | base64 -w0)"
    done >"$d/gi"
    mkfifo "$d/fifo"
    { dd bs=1 count=1 of="$d/first" 2>/dev/null
      await 30 test -e "$d/go"
      cat >"$d/rest"
      touch "$d/read"; } <"$d/fifo" &
    "$HOST" --guestinfo-file "$d/gi" --handoff-after 3 --state-out-fd 3 \
        --pid-file "$d/pid" -- vmware-rpctool 'info-get guestinfo.big1' \
        3>"$d/fifo" >"$d/out" 2>"$d/err.a" &
    host=$!
    await 20 test -s "$d/first"
    sleep 0.2
    if ended "$host"; then
        a="ended before SIGUSR2"
    else
        kill -USR2 "$host"
        a=""
    fi
    touch "$d/go"
    reap "$host" 30
    b=$?
    await 10 test -e "$d/read"
    cat "$d/first" "$d/rest" >"$d/s" 2>/dev/null
    size=$(stat -c %s "$d/s")
    "$HOST" --attach "$(cat "$d/pid")" --state-in "$d/s" 2>"$d/err.b"
    k=$?
    if [ -n "$a" ] || [ "$size" -le 131072 ]; then
        ko sigusr2_past_point_of_no_return "expected the host in its write of a stream over 128 KiB, seen it $a after $size bytes"
    elif [ $b != 0 ] || ! grep -q 'SIGUSR2 came past the point of no return' "$d/err.a" ||
         ! grep -q 'handed off' "$d/err.a" || grep -q 'called off' "$d/err.a"; then
        ko sigusr2_past_point_of_no_return "expected a handoff despite SIGUSR2, exit 0, seen exit $b ($(head -c 300 "$d/err.a"))"
    elif [ $k != 0 ] || [ "$(cat "$d/out")" != "$(sed -n 's/^guestinfo.big1=//p' "$d/gi")" ]; then
        ko sigusr2_past_point_of_no_return "expected the next host to run the guest to its end, exit $k ($(head -c 200 "$d/err.b")), output of $(wc -c <"$d/out") bytes"
    else
        ok sigusr2_past_point_of_no_return
    fi
}

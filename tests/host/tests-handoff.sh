# Handoff: a live guest moves Intel -> AMD -> Intel at chosen exits and its
# output must be byte-identical to an undisturbed run.

# The 1-based numbers of the backdoor exits in TRACE whose MESSAGE
# sub-command (ECX[31:16] with ECX[15:0] = 30) is SUB, or whose port is
# the HB port when SUB is "hb".
exits_of() {
    local trace=$1 sub=$2
    awk -v sub_="$sub" '
        / gp / && !/ len=0 / {
            n++
            rcx = ""; rdx = ""
            for (i = 1; i <= NF; i++) {
                if ($i == "in:") inpart = 1
                if ($i == "out:") inpart = 0
                if (inpart && $i ~ /^rcx=/) rcx = substr($i, 5)
                if (inpart && $i ~ /^rdx=/) rdx = substr($i, 5)
            }
            if (sub_ == "hb") {
                if (rdx ~ /5659$/) print n
            } else if (substr(rcx, 5) == "001e" &&
                       substr(rcx, 1, 4) == sprintf("%04x", sub_)) {
                print n
            }
        }' "$trace"
}

# hop NAME N HOSTOPTS...: run the reference client, hand it off after
# exit N to an AMD host, which hands it back after one more exit to an
# Intel host that runs it to the end.
handoff_chain() {
    local name=$1 n=$2
    shift 2
    local d=$WORK/$name
    mkdir -p "$d"
    "$HOST" "$@" --handoff-after "$n" --state-out "$d/s1" \
        --pid-file "$d/pid" -- vmware-rpctool 'info-get guestinfo.joejoel' \
        >"$d/out" 2>"$d/err.a"
    local a=$?
    local pid
    pid=$(cat "$d/pid" 2>/dev/null)
    if [ $a != 0 ] || [ -z "$pid" ]; then
        ko "$name" "expected the first (intel) host to hand off, exit $a ($(head -c 200 "$d/err.a"))"
        return
    fi
    "$HOST" --attach "$pid" --state-in "$d/s1" --personality amd \
        --handoff-after 1 --state-out "$d/s2" 2>"$d/err.b"
    local b=$?
    "$HOST" --attach "$pid" --state-in "$d/s2" --personality intel \
        2>"$d/err.c"
    local c=$?
    if [ $b != 0 ]; then
        ko "$name" "expected the amd host to hand back, exit $b ($(head -c 200 "$d/err.b"))"
    elif [ $c != 0 ]; then
        ko "$name" "expected the client to exit 0 on the last host, seen $c ($(head -c 200 "$d/err.c"))"
    elif ! cmp -s "$d/out" "$WORK/$name.ref"; then
        ko "$name" "expected output '$(cat "$WORK/$name.ref")', seen '$(cat "$d/out")'"
    else
        ok "$name"
    fi
}

# Reference run with a trace; then a chain at exit N for each point.
handoff_points() {
    local label=$1
    shift
    local value
    value=$(printf 'v%.0s' $(seq 1 61))
    "$HOST" --guestinfo "guestinfo.joejoel=$value" --trace "$WORK/$label.trace" \
        "$@" -- vmware-rpctool 'info-get guestinfo.joejoel' \
        >"$WORK/$label.refout" 2>/dev/null
    local sendsize recvsize mid_send mid_recv
    sendsize=$(exits_of "$WORK/$label.trace" 1 | head -1)
    recvsize=$(exits_of "$WORK/$label.trace" 3 | head -1)
    if [ "$*" = --no-hb ]; then
        mid_send=$(exits_of "$WORK/$label.trace" 2 | sed -n 3p)
        mid_recv=$(exits_of "$WORK/$label.trace" 4 | sed -n 8p)
    else
        mid_send=$(exits_of "$WORK/$label.trace" hb | sed -n 1p)
        mid_recv=$(exits_of "$WORK/$label.trace" hb | sed -n 2p)
    fi
    local point n
    for point in after_sendsize:$sendsize mid_send:$mid_send \
                 after_recvsize:$recvsize mid_reply:$mid_recv; do
        n=${point#*:}
        if [ -z "$n" ]; then
            ko "handoff_${label}_${point%%:*}" "expected the exit in the reference trace, found none"
            continue
        fi
        cp "$WORK/$label.refout" "$WORK/handoff_${label}_${point%%:*}.ref"
        handoff_chain "handoff_${label}_${point%%:*}" "$n" \
            --guestinfo "guestinfo.joejoel=$value" "$@"
    done
}

test_handoff_intel_amd_intel_without_hb() {
    handoff_points lb --no-hb
}

test_handoff_intel_amd_intel_over_hb() {
    handoff_points hb --hwver 7
}

test_state_stream_guestinfo_set_offline_is_read_by_client() {
    local V=$BUILD/bin/vmport-state
    "$HOST" --state-out "$WORK/gi.xc" -- true >/dev/null 2>&1
    if ! "$V" guestinfo set "$WORK/gi.xc" guestinfo.joejoel offline \
         >/dev/null 2>"$WORK/gi.err"; then
        ko state_gi_set "expected vmport-state guestinfo set to succeed: $(head -c 200 "$WORK/gi.err")"
        return
    fi
    client state_gi "$HOST" --state-in "$WORK/gi.xc" -- \
        vmware-rpctool 'info-get guestinfo.joejoel'
    check_client state_gi 0 "offline" ""
}

test_domain_clock_survives_moves_between_hosts() {
    local d=$WORK/clock
    mkdir -p "$d"
    # Round 1 and half of round 2 on Intel (2.4 GHz), one round on AMD
    # (3.1 GHz, clock 1.5 s fast), the rest on Intel again.
    "$HOST" --handoff-after 4 --state-out "$d/s1" --pid-file "$d/pid" -- \
        "$GUESTS/guest_clock" 4 >"$d/out" 2>/dev/null
    "$HOST" --attach "$(cat "$d/pid")" --state-in "$d/s1" \
        --personality amd --handoff-after 3 --state-out "$d/s2" 2>/dev/null
    "$HOST" --attach "$(cat "$d/pid")" --state-in "$d/s2" 2>"$d/err"
    local rc=$?
    local want="clock: tsc_khz=2400000 gethz=4294967295 getmhz=2400 rounds=4 monotonic"
    if [ $rc != 0 ] || [ "$(cat "$d/out")" != "$want" ]; then
        ko clock_moves "expected exit 0 and '$want', seen $rc and '$(cat "$d/out")'"
    else
        ok clock_moves
    fi
}

test_sigusr1_hands_off_at_the_next_exit() {
    local d=$WORK/usr1
    mkdir -p "$d"
    # The guest spins on GETVERSION; SIGUSR1 freezes it mid-loop.
    "$HOST" --state-out "$d/s1" --pid-file "$d/pid" -- \
        "$GUESTS/guest_getversion" 200000 >"$d/out" 2>"$d/err.a" &
    local host=$!
    local i
    for i in $(seq 50); do
        [ -s "$d/pid" ] && break
        sleep 0.05
    done
    sleep 0.2
    kill -USR1 "$host"
    wait "$host"
    local a=$?
    "$HOST" --attach "$(cat "$d/pid")" --state-in "$d/s1" \
        --personality amd 2>"$d/err.b"
    local b=$?
    if [ $a != 0 ] || ! grep -q 'handed off' "$d/err.a"; then
        ko sigusr1_handoff "expected the first host to hand off on SIGUSR1, exit $a ($(head -c 200 "$d/err.a"))"
    elif [ $b != 0 ] || [ "$(cat "$d/out")" != "sig=VMwareVMware version=6 magic=0x564d5868" ]; then
        ko sigusr1_handoff "expected the guest to finish on the second host, exit $b, output '$(cat "$d/out")'"
    else
        ok sigusr1_handoff
    fi
}

test_handoff_leaves_no_breakpoint_in_the_stopped_guest() {
    local d=$WORK/clean
    mkdir -p "$d"
    "$HOST" --trace "$d/trace" --handoff-after 3 --state-out "$d/s1" \
        --pid-file "$d/pid" -- vmware-rpctool 'info-get guestinfo.joejoel' \
        >/dev/null 2>&1
    local pid addr byte bad=0 seen=0
    pid=$(cat "$d/pid")
    local state tracer
    state=$(awk '/^State:/ {print $2}' "/proc/$pid/status")
    tracer=$(awk '/^TracerPid:/ {print $2}' "/proc/$pid/status")
    # Every CPUID the guest hit: the INT3 was at rip - 1.
    for addr in $(awk '/ cpuid rip=/ { sub("rip=", "", $6); print $6 }' \
                  "$d/trace" | sort -u); do
        seen=$((seen + 1))
        byte=$(dd if="/proc/$pid/mem" bs=1 count=1 iflag=skip_bytes \
               skip=$((0x$addr - 1)) 2>/dev/null | od -An -tx1 | tr -d ' ')
        [ "$byte" = 0f ] || bad=$((bad + 1))
    done
    "$HOST" --attach "$pid" --state-in "$d/s1" >/dev/null 2>&1
    if [ "$state" != T ] || [ "$tracer" != 0 ]; then
        ko handoff_clean "expected the guest stopped (T) with no tracer, seen $state, tracer $tracer"
    elif [ $seen = 0 ] || [ $bad != 0 ]; then
        ko handoff_clean "expected 0f at all of $seen CPUID sites, seen $bad still patched"
    else
        ok handoff_clean
    fi
}

# one_hop NAME N WANT_STDOUT [HOSTOPTS...] -- PROGRAM ARGS...: an Intel
# host hands the guest off after N exits, an AMD host runs it to the end.
one_hop() {
    local name=$1 n=$2 want=$3
    shift 3
    local opts=()
    while [ "$1" != -- ]; do
        opts+=("$1")
        shift
    done
    shift
    local d=$WORK/$name
    mkdir -p "$d"
    "$HOST" "${opts[@]}" --handoff-after "$n" --state-out "$d/s1" \
        --pid-file "$d/pid" -- "$@" >"$d/out" 2>/dev/null
    "$HOST" --attach "$(cat "$d/pid")" --state-in "$d/s1" \
        --personality amd 2>"$d/err"
    local rc=$?
    if [ $rc != 0 ] || [ "$(cat "$d/out")" != "$want" ]; then
        ko "$name" "expected exit 0 and '$want', seen $rc and '$(cat "$d/out")' ($(head -c 200 "$d/err"))"
    else
        ok "$name"
    fi
}

test_handoff_moves_a_whole_process_tree() {
    # The exits happen in a child of the shell that is the guest's first
    # process; the next host must adopt the child too.
    one_hop handoff_tree 500 \
        $'sig=VMwareVMware version=6 magic=0x564d5868\nshell-done' -- \
        /bin/sh -c "$GUESTS/guest_getversion 3000; echo shell-done"
}

test_handoff_vmtoolsd_cmd_between_its_vm_checks() {
    one_hop handoff_vmtoolsd 2 vmtd --guestinfo guestinfo.joejoel=vmtd -- \
        vmtoolsd --cmd 'info-get guestinfo.joejoel'
}

test_sigusr1_handoff_while_the_guest_forks_and_execs() {
    local d=$WORK/forking delay a b
    mkdir -p "$d"
    for delay in 0.2 0.5 0.8; do
        rm -f "$d/pid" "$d/stop"
        # Forks and execs until told to stop, so SIGUSR1 always lands.
        "$HOST" --state-out "$d/s1" --pid-file "$d/pid" -- /bin/sh -c \
            "until [ -e $d/stop ]; do $GUESTS/guest_getversion 20 || echo FAIL; done" \
            >"$d/out" 2>"$d/err.a" &
        local host=$! i
        # The delay counts from the guest's start: under the sanitisers on
        # a loaded machine the host itself can take longer than 0.2 s to
        # get to its SIGUSR1 handler.
        for i in $(seq 200); do
            [ -s "$d/pid" ] && break
            sleep 0.05
        done
        sleep "$delay"
        kill -USR1 "$host"
        wait "$host"
        a=$?
        "$HOST" --attach "$(cat "$d/pid")" --state-in "$d/s1" \
            --personality amd 2>"$d/err" &
        local second=$!
        sleep 0.3
        touch "$d/stop"
        wait "$second"
        b=$?
        if [ $a != 0 ] || ! grep -q 'handed off' "$d/err.a" || [ $b != 0 ] ||
           [ "$(grep -c 'version=6' "$d/out")" = 0 ] ||
           grep -q FAIL "$d/out"; then
            ko forking_handoff "after ${delay}s: expected a handoff, exits 0/0 and only good lines, seen $a/$b, $(grep -c 'version=6' "$d/out") good, $(grep -c FAIL "$d/out") failed ($(head -c 200 "$d/err.a" "$d/err"))"
            return
        fi
    done
    ok forking_handoff
}

# Every process of the tree at $1, as "PID STATE TRACER" lines.
tree_states() {
    local p kids
    awk '/^State:/ {s = $2} /^TracerPid:/ {t = $2} END {print FILENAME, s, t}' \
        "/proc/$1/status" 2>/dev/null | sed 's|/proc/\([0-9]*\)/status|\1|'
    kids=$(cat "/proc/$1/task/$1/children" 2>/dev/null)
    for p in $kids; do
        tree_states "$p"
    done
}

test_handoff_while_a_vfork_loop_runs() {
    # A background loop vforks and execs all the time (dash vforks simple
    # commands), so at every handoff a vfork parent is in the kernel's
    # vfork wait, where no ptrace stop reaches it until its child execs.
    # Before the fix the first host waited on that parent forever, with
    # the child it had already stopped.  Each host must hand off (or end)
    # within 20 s and leave every process stopped with no tracer.
    # (timeout --foreground: in a process group of its own the stopped
    # guest would be orphaned, and the kernel hangs it up, when timeout
    # exits.)
    local d=$WORK/vforkloop i rc bad
    mkdir -p "$d"
    timeout --foreground -s KILL 20 "$HOST" --handoff-after 3 --state-out "$d/s0" \
        --pid-file "$d/pid" -- /bin/sh -c 'while :; do /bin/true; done &
            vmware-rpctool "info-set guestinfo.vf one" >/dev/null
            vmware-rpctool "info-get guestinfo.vf"
            vmware-rpctool "info-set guestinfo.vf two" >/dev/null
            vmware-rpctool "info-get guestinfo.vf"; kill $!' \
        >"$d/out" 2>"$d/err.0"
    rc=$?
    local pid
    pid=$(cat "$d/pid" 2>/dev/null)
    for i in 1 2 3 4 5 6 7 8; do
        if [ $rc != 0 ] || ! grep -q 'handed off' "$d/err.$((i - 1))"; then
            break
        fi
        bad=$(tree_states "$pid" | awk '$2 != "T" && $2 != "Z" || $3 != 0')
        if [ -n "$bad" ]; then
            ko vfork_loop_handoff "after handoff $i: expected every process stopped (T) with no tracer, seen: $bad"
            kill -KILL "$pid" 2>/dev/null
            return
        fi
        tree_states "$pid" >> "$d/states.$i"
        timeout --foreground -s KILL 20 "$HOST" --attach "$pid" --state-in "$d/s$((i - 1))" \
            --personality "$([ $((i % 2)) = 1 ] && echo amd || echo intel)" \
            --handoff-after $((2 + i * 3)) --state-out "$d/s$i" 2>"$d/err.$i"
        rc=$?
    done
    if [ $rc != 0 ] || [ "$(cat "$d/out")" != $'one\ntwo' ]; then
        ko vfork_loop_handoff "expected every host to exit 0 in time and the guest to print 'one two', seen exit $rc after $i hosts, '$(cat "$d/out")' ($(head -c 300 "$d/err.$((i - 1))"))"
        kill -KILL "$pid" 2>/dev/null
    else
        ok vfork_loop_handoff
    fi
}

# Hosts hand the guest on through pipes, no file on the way: Intel writes
# its state to descriptor 3, the pipe into an AMD host's --state-in -,
# which hands it on the same way to an Intel host that runs it to the end.
test_state_travels_over_pipes_between_hosts() {
    local d=$WORK/pipes rcs
    mkdir -p "$d"
    # Wait (bounded) for the guest's pid, then read the stream on stdin.
    attach_from_pipe() {
        local i
        for i in $(seq 1000); do
            [ -s "$d/pid" ] && break
            sleep 0.01
        done
        "$HOST" --attach "$(cat "$d/pid")" --state-in - "$@"
    }
    "$HOST" --handoff-after 4 --state-out-fd 3 --pid-file "$d/pid" -- \
        "$GUESTS/guest_clock" 4 3>&1 >"$d/out" 2>"$d/err.a" |
        attach_from_pipe --personality amd --handoff-after 3 \
            --state-out-fd 3 3>&1 >/dev/null 2>"$d/err.b" |
        attach_from_pipe >/dev/null 2>"$d/err.c"
    rcs="${PIPESTATUS[*]}"
    local want="clock: tsc_khz=2400000 gethz=4294967295 getmhz=2400 rounds=4 monotonic"
    if [ "$rcs" != "0 0 0" ]; then
        ko state_over_pipes "expected every host to exit 0, seen $rcs ($(cat "$d"/err.* | head -c 300))"
    elif ! grep -q 'handed off' "$d/err.a" || ! grep -q 'handed off' "$d/err.b"; then
        ko state_over_pipes "expected two handoffs, seen '$(cat "$d"/err.a "$d"/err.b | head -c 300)'"
    elif [ "$(cat "$d/out")" != "$want" ]; then
        ko state_over_pipes "expected '$want', seen '$(cat "$d/out")'"
    else
        ok state_over_pipes
    fi
}

test_state_out_fd_checked() {
    bad state_out_fd_closed 1 "--state-out-fd 9: Bad file descriptor" \
        -- "$HOST" --state-out-fd 9 -- true
    bad state_out_fd_device 1 "--state-out-fd 0: not a pipe, socket or regular file" \
        -- bash -c '"$0" --state-out-fd 0 -- true </dev/null' "$HOST"
    bad state_out_both 2 "--state-out and --state-out-fd: one or the other" \
        -- "$HOST" --state-out "$WORK/both.xc" --state-out-fd 1 -- true
}

# SIGUSR2 calls an --attach off before it completes (a driver that gave up
# waiting must not kill a host that seized the guest: PTRACE_O_EXITKILL
# would kill the guest too).  Called off before seizing, or halfway, the
# guest is left parked as found, breakpoints taken back, and the next host
# runs it to its end; called off after adopting, it is ignored.
test_attach_called_off_leaves_guest_parked() {
    local d=$WORK/calloff round p b rc bad=""
    mkdir -p "$d"
    for round in early 1 2 3; do
        rm -f "$d"/*
        "$HOST" --handoff-after 40 --state-out "$d/s" --pid-file "$d/pid" \
            -- /bin/sh -c 'i=0; while [ $i -lt 20 ]; do
                vmware-rpctool "info-get guestinfo.x" >/dev/null; i=$((i+1))
            done; echo done $i' >"$d/out" 2>/dev/null
        p=$(cat "$d/pid")
        if [ $round = early ]; then
            # Asked while it still waits for its stream: deterministic.
            "$HOST" --attach "$p" --state-in - --trace "$d/t" \
                2>"$d/err.b" < <(for _ in $(seq 1000); do
                                     [ -e "$d/go" ] && break; sleep 0.01
                                 done; cat "$d/s") &
            b=$!
            # Once it catches SIGUSR2 (SigCgt bit 11).
            for _ in $(seq 1000); do
                (( 0x$(awk '/^SigCgt/ {print $2}' /proc/$b/status) & 0x800 )) && break
                sleep 0.01
            done
            kill -USR2 $b
            touch "$d/go"
            wait $b
            rc=$?
            if [ "$rc" != 1 ] || ! grep -q "adoption called off (SIGUSR2) after 0 of" "$d/err.b"; then
                bad="$bad early: exit '$rc', '$(head -c 150 "$d/err.b")';"
            fi
        else
            # Halfway if we are quick enough, else after: either is fine.
            "$HOST" --attach "$p" --state-in "$d/s" --trace "$d/t" \
                --state-out "$d/s2" 2>"$d/err.b" &
            b=$!
            for _ in $(seq 20000); do grep -q seized "$d/t" 2>/dev/null && break; done
            kill -USR2 $b
            wait $b
            rc=$?
        fi
        if grep -q ' event adopted' "$d/t" 2>/dev/null; then
            [ "$rc" = 0 ] || bad="$bad $round: adopted, then exit $rc;"
        else
            local st
            st=$(ps -o stat= -p "$p" | tr -d ' ')
            "$HOST" --attach "$p" --state-in "$d/s" 2>"$d/err.c" ||
                bad="$bad $round: called off (guest '$st'), next host: $(head -c 150 "$d/err.c");"
        fi
        [ "$(cat "$d/out")" = "done 20" ] ||
            bad="$bad $round: guest output '$(cat "$d/out")';"
        kill -9 "$p" 2>/dev/null
    done
    if [ -z "$bad" ]; then
        ok attach_called_off_leaves_guest_parked
    else
        ko attach_called_off_leaves_guest_parked "expected the guest to finish whatever the SIGUSR2 hit, seen$bad"
    fi
}

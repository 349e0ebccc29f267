# Real, unmodified open-vm-tools clients against the real device model.

# Run vmware-rpctool/vmtoolsd --cmd under one host: rc, stdout, stderr.
client() {
    local name=$1
    shift
    "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
    echo $? >"$WORK/$name.rc"
}

# check NAME RC STDOUT STDERR_SUBSTRING
check_client() {
    local name=$1 want_rc=$2 want_out=$3 want_err=$4
    local rc out
    rc=$(cat "$WORK/$name.rc")
    out=$(cat "$WORK/$name.out")
    if [ "$rc" != "$want_rc" ]; then
        ko "$name" "expected exit $want_rc, seen $rc (stderr '$(head -c 200 "$WORK/$name.err")')"
    elif [ "$out" != "$want_out" ]; then
        ko "$name" "expected stdout '${want_out:0:60}', seen '${out:0:60}'"
    elif [ -n "$want_err" ] && ! grep -q "$want_err" "$WORK/$name.err"; then
        ko "$name" "expected '$want_err' on stderr, seen '$(head -c 200 "$WORK/$name.err")'"
    else
        ok "$name"
    fi
}

test_rpctool_info_get_unset_says_no_value_found() {
    client rpctool_unset "$HOST" -- vmware-rpctool 'info-get guestinfo.joejoel'
    check_client rpctool_unset 1 "" "No value found"
}

test_vmtoolsd_cmd_info_get_unset_says_no_value_found() {
    client vmtoolsd_unset "$HOST" -- vmtoolsd --cmd 'info-get guestinfo.joejoel'
    check_client vmtoolsd_unset 1 "" "No value found"
}

test_rpctool_info_set_then_get_prints_short() {
    client rpctool_set_get "$HOST" -- /bin/sh -c \
        "vmware-rpctool 'info-set guestinfo.joejoel short' &&
         vmware-rpctool 'info-get guestinfo.joejoel'"
    check_client rpctool_set_get 0 $'\nshort' ""
}

test_vmtoolsd_cmd_info_set_then_get_prints_short() {
    client vmtoolsd_set_get "$HOST" -- /bin/sh -c \
        "vmtoolsd --cmd 'info-set guestinfo.joejoel short' &&
         vmtoolsd --cmd 'info-get guestinfo.joejoel'"
    check_client vmtoolsd_set_get 0 $'\nshort' ""
}

test_unknown_command_says_unknown_command() {
    client unknown "$HOST" -- vmware-rpctool 'no-such-command x'
    check_client unknown 1 "" "Unknown command"
}

test_host_preloaded_guestinfo_is_read_by_client() {
    printf '# preload\nguestinfo.fromfile=file value\n' >"$WORK/gi"
    client preload "$HOST" --guestinfo guestinfo.joejoel=preloaded \
        --guestinfo-file "$WORK/gi" -- /bin/sh -c \
        "vmware-rpctool 'info-get guestinfo.joejoel' &&
         vmtoolsd --cmd 'info-get guestinfo.fromfile'"
    check_client preload 0 $'preloaded\nfile value' ""
}

# A 20,000-byte value set and read back in one domain; HB or 4 bytes/exit.
big_value_round_trip() {
    local name=$1
    shift
    head -c 15000 /dev/urandom | base64 -w0 | head -c 20000 >"$WORK/big"
    "$HOST" --trace "$WORK/$name.trace" "$@" -- /bin/sh -c \
        "vmware-rpctool \"info-set guestinfo.big \$(cat $WORK/big)\" >/dev/null &&
         vmware-rpctool 'info-get guestinfo.big'" >"$WORK/$name.out" \
        2>"$WORK/$name.err"
    local rc=$?
    printf '\n' >>"$WORK/big"
    local hb lb
    hb=$(grep -c ' gp .*rdx=00005659' "$WORK/$name.trace")
    lb=$(grep -c ' gp ' "$WORK/$name.trace")
    if [ $rc != 0 ]; then
        ko "$name" "expected exit 0, seen $rc ($(head -c 200 "$WORK/$name.err"))"
    elif ! cmp -s "$WORK/big" "$WORK/$name.out"; then
        ko "$name" "expected the 20000-byte value back byte for byte, seen $(wc -c <"$WORK/$name.out") bytes differing"
    elif [ "$1" = --no-hb ] && { [ "$hb" != 0 ] || [ "$lb" -lt 10000 ]; }; then
        ko "$name" "expected no HB exits and >= 10000 LB exits, seen $hb HB of $lb"
    elif [ "$1" != --no-hb ] && [ "$hb" -lt 4 ]; then
        ko "$name" "expected HB transfers (>= 4 exits on 0x5659), seen $hb"
    else
        ok "$name"
    fi
}

test_20000_byte_value_round_trips_over_hb() {
    big_value_round_trip big_hb --hwver 7
}

test_20000_byte_value_round_trips_without_hb() {
    big_value_round_trip big_no_hb --no-hb
}

test_vmtoolsd_vsock_socket_fails_with_eafnosupport() {
    "$HOST" --trace "$WORK/vsock.trace" -- \
        vmtoolsd --cmd 'info-get guestinfo.joejoel' >/dev/null 2>&1
    if grep -q 'seccomp socket(AF_VSOCK) -> EAFNOSUPPORT' "$WORK/vsock.trace"
    then
        ok vsock_refused
    else
        ko vsock_refused "expected a refused AF_VSOCK socket in the trace, seen none"
    fi
}

test_amd_personality_serves_the_same_transcript() {
    client amd_set_get "$HOST" --personality amd -- /bin/sh -c \
        "vmware-rpctool 'info-set guestinfo.joejoel short' &&
         vmtoolsd --cmd 'info-get guestinfo.joejoel'"
    check_client amd_set_get 0 $'\nshort' ""
}

test_hostile_guest_gets_errors_and_host_keeps_serving() {
    client hostile "$HOST" -- /bin/sh -c \
        "$GUESTS/guest_hostile 3000 &&
         vmware-rpctool 'info-set guestinfo.joejoel short' &&
         vmware-rpctool 'info-get guestinfo.joejoel'"
    local first
    first=$(head -1 "$WORK/hostile.out")
    case "$first" in
    *"declined"*"still served") check_client hostile 0 "$first"$'\n\nshort' "" ;;
    *) ko hostile "expected 'hostile: ... still served', seen '$first'" ;;
    esac
}

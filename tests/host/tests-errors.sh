# Bad input: a clear message naming what and where, and a non-zero exit.

# bad NAME WANT_RC MESSAGE_SUBSTRING -- command...
bad() {
    local name=$1 want_rc=$2 want=$3
    shift 4
    "$@" >/dev/null 2>"$WORK/$name.err"
    local rc=$?
    if [ $rc != "$want_rc" ]; then
        ko "$name" "expected exit $want_rc, seen $rc ($(head -c 200 "$WORK/$name.err"))"
    elif ! grep -qF -- "$want" "$WORK/$name.err"; then
        ko "$name" "expected '$want' on stderr, seen '$(head -c 200 "$WORK/$name.err")'"
    else
        ok "$name"
    fi
}

test_bad_options_are_named() {
    bad opt_personality 2 "--personality: 'arm' is not intel or amd" \
        -- "$HOST" --personality arm -- true
    bad opt_hwver 2 "--hwver: 'x' is not a number" \
        -- "$HOST" --hwver x -- true
    printf 'guestinfo.a=1\nbadline\n' >"$WORK/gi.bad"
    bad opt_gi_file 2 "gi.bad line 2: expected KEY=VALUE, got 'badline'" \
        -- "$HOST" --guestinfo-file "$WORK/gi.bad" -- true
    bad opt_gi_key 1 "--guestinfo foo (3 bytes): refused by the device model" \
        -- "$HOST" --guestinfo foo=bar -- true
    bad opt_handoff 2 "--handoff-after needs --state-out" \
        -- "$HOST" --handoff-after 3 -- true
    "$HOST" --state-out "$WORK/empty.xc" -- true
    bad opt_attach 1 "--attach 999999999: no such process" \
        -- "$HOST" --attach 999999999 --state-in "$WORK/empty.xc"
}

test_bad_state_streams_are_named_with_offsets() {
    "$HOST" --state-out "$WORK/good.xc" --guestinfo guestinfo.a=b -- true
    head -c 100 /dev/urandom >"$WORK/junk.xc"
    bad state_junk 1 "offset 0x0: not an xl save file" \
        -- "$HOST" --state-in "$WORK/junk.xc" -- true
    head -c 200 "$WORK/good.xc" >"$WORK/trunc.xc"
    bad state_trunc 1 "HVM_CONTEXT record truncated" \
        -- "$HOST" --state-in "$WORK/trunc.xc" -- true
    python3 - "$WORK/good.xc" "$WORK/crc.xc" <<'PY'
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
d[d.find(b'VMPR') + 40] ^= 0xff
open(sys.argv[2], 'wb').write(d)
PY
    bad state_crc 1 "VMPORT record (HVM blob offset 32) offset 16, header.body_crc" \
        -- "$HOST" --state-in "$WORK/crc.xc" -- true
}

#!/bin/bash
# guestinfo conventions: keys compared case-insensitively as the device
# model does (GUESTINFO.x is guestinfo.x); --value-file F and - for stdin,
# bytes kept as they are and bounded; list escapes newlines and control
# characters and has --json; a full store names the limit it hit; usage
# errors name what is wrong.  Usage: test_guestinfo.sh VMPORT-STATE WORKDIR
. "$(dirname "$0")/lib.sh"
G=$W/g.xl
"$VS" gen --kind xl --vmport --mem-mib 8 "$G" || bad "gen"

# The prefix in any case is the prefix, as the device model reads it.
expect_rc 0 "set GUESTINFO.Role" "$VS" guestinfo set "$G" GUESTINFO.Role web
[ "$("$VS" guestinfo get "$G" guestinfo.role)" = web ] && ok ||
    bad "uppercase_prefix_is_the_prefix"
"$VS" guestinfo list "$G" | grep -q '^guestinfo\.guestinfo\.' &&
    bad "GUESTINFO.x became guestinfo.GUESTINFO.x" || ok
[ "$("$VS" guestinfo get "$G" Role)" = web ] && ok || bad "get Role"

# --value-file: a file's bytes, or stdin's.
printf 'line1\nline2\ttab\\back\001ctl' >"$W/v"
expect_rc 0 "set --value-file" \
    "$VS" guestinfo set --value-file "$W/v" "$G" multi
"$VS" dump --json "$G" | python3 -c '
import json, sys
d = json.load(sys.stdin)
v = [g["value"] for g in d["guestinfo"] if g["key"] == "guestinfo.multi"][0]
want = open(sys.argv[1], "rb").read()
assert bytes.fromhex(v["hex"]) == want, (v, want)' "$W/v" && ok ||
    bad "value_file_bytes_kept_exactly"
printf 'from stdin' | "$VS" guestinfo set --value-file - "$G" si 2>"$W/err"
[ "$("$VS" guestinfo get "$G" si)" = "from stdin" ] && ok ||
    bad "value_file_dash_is_stdin"
head -c 70000 /dev/zero | tr '\0' x >"$W/huge"
expect_rc 1 "a --value-file over the largest value" \
    "$VS" guestinfo set --value-file "$W/huge" "$G" big
says "more than 65536 bytes" "value_file_is_bounded"
expect_rc 3 "a missing --value-file" \
    "$VS" guestinfo set --value-file "$W/none" "$G" big
says "$W/none" "missing value file named"

# list escapes, one entry per line; --json is the record schema's.
"$VS" guestinfo list "$G" >"$W/list"
grep -qx 'guestinfo.multi=line1\\nline2\\ttab\\\\back\\x01ctl' "$W/list" &&
    ok || bad "list_escapes_control_chars: $(grep multi "$W/list")"
[ "$(wc -l <"$W/list")" = 5 ] && ok || bad "list: one line per key"
"$VS" guestinfo list --json "$G" | python3 -c '
import json, sys
l = json.load(sys.stdin)
assert [g["key"] for g in l] == ["guestinfo.hostname", "guestinfo.ip",
    "guestinfo.multi", "guestinfo.role", "guestinfo.si"], l
assert l[3]["value"] == "web" and "hex" in l[2]["value"], l' && ok ||
    bad "list_json"

# A full store says which limit.
head -c 5000 /dev/zero | tr '\0' x >"$W/5k"
expect_rc 1 "value over gi_value_max" \
    "$VS" guestinfo set --value-file "$W/5k" "$G" role
says "over the value limit (config.gi_value_max 4096)" "full_store_names_value_limit"
for i in $(seq 1 59); do "$VS" guestinfo set "$G" "k$i" v 2>/dev/null; done
expect_rc 1 "one key too many" "$VS" guestinfo set "$G" one-more v
says "the key count limit (config.gi_max_keys 64)" "full_store_names_key_limit"
"$VS" gen --kind hvm --vmport "$W/t.hvm"
head -c 4000 /dev/zero | tr '\0' y >"$W/4k"
for i in $(seq 1 16); do
    "$VS" guestinfo set --value-file "$W/4k" "$W/t.hvm" "t$i" 2>/dev/null
done
expect_rc 1 "total over gi_total_max" \
    "$VS" guestinfo set --value-file "$W/4k" "$W/t.hvm" t17
says "over the total limit (config.gi_total_max 65536)" "full_store_names_total_limit"

# Usage errors name what is wrong, and show the synopsis only.
expect_rc 2 "set without a value" "$VS" guestinfo set "$G" k
says "expected FILE KEY VALUE, got 2 operands" "missing operand named"
[ "$(wc -l <"$W/err")" -lt 10 ] && ok || bad "usage error prints the synopsis only"
expect_rc 2 "--json with get" "$VS" guestinfo get --json "$G" k
says "--json is for list only" "misplaced --json named"
expect_rc 2 "unknown option" "$VS" guestinfo list --bogus "$G"
says "'--bogus'" "unknown option named"
expect_rc 2 "unknown action" "$VS" guestinfo frob "$G"
says "unknown action 'frob'" "unknown action named"

echo "test_guestinfo.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

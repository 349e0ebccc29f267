#!/bin/bash
# Bounded reads: encode buffers at most its bound of JSON (an endless pipe
# stops with an error, it does not grow without limit) and wants exactly
# one document; filter and convert stop at the first bad record and never
# forward it, a re-framed version of it, or anything after it.
# Usage: test_bounds.sh VMPORT-STATE WORKDIR
. "$(dirname "$0")/lib.sh"
rc_is() { if [ "$1" = "$2" ]; then ok; else bad "$3: exit $1, expected $2"; fi; }
# A strict prefix of $2 that ends at or before byte $3.
prefix_before() {   # prefix_before OUT IN LIMIT DESCRIPTION
    local n; n=$(stat -c %s "$1")
    if [ "$n" -le "$3" ] && cmp -s -n "$n" "$1" "$2"; then ok; else
        bad "$4: forwarded $n bytes (the bad record starts at $3)"; fi
}
field() {           # field FILE NAME KEY: KEY of the first record NAME
    "$VS" records --json "$1" | python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if r["name"] == sys.argv[1]:
        print(r[sys.argv[2]]); break' "$2" "$3"
}

"$VS" gen --kind xl --vmport --mem-mib 8 "$W/g.xl" || bad "gen"
ctx=$(field "$W/g.xl" HVM_CONTEXT offset)
vm=$(field "$W/g.xl" VMPORT body_offset)
tsc=$(field "$W/g.xl" X86_TSC_INFO offset)

# encode: an endless pipe stops at the bound, with the reason.
{ printf '{"schema": "'; yes x | tr -d '\n'; } |
    timeout 300 "$VS" encode - >"$W/out" 2>"$W/err"
rc_is $? 1 "encode_endless_pipe_stops"
says "more than .* MiB of input" "encode names the bound"
yes | timeout 60 "$VS" encode - >"$W/out" 2>"$W/err"
rc_is $? 1 "encode_endless_garbage_stops_at_once"
says "not JSON (byte 0)" "encode names where the JSON breaks"
"$VS" dump --json "$W/g.xl" >"$W/d.json"
{ cat "$W/d.json"; echo '{}'; } | "$VS" encode - >"$W/out" 2>"$W/err"
rc_is $? 1 "encode_refuses_two_documents"
says "bytes after the JSON document" "encode names trailing bytes"
head -c 100 "$W/d.json" | "$VS" encode - >"$W/out" 2>"$W/err"
rc_is $? 1 "encode_truncated_json"
says "the input ends inside it\|unexpected end" "encode: truncated JSON"
"$VS" encode "$W/d.json" >"$W/rec.bin" 2>"$W/err"
rc_is $? 0 "encode of a whole document still works"

# filter: a bad VMPORT record; nothing from its HVM_CONTEXT on goes out.
cp "$W/g.xl" "$W/bad-vmport.xl"
printf '\xff' | dd of="$W/bad-vmport.xl" bs=1 seek=$((vm + 40)) \
    conv=notrunc 2>/dev/null
"$VS" filter <"$W/bad-vmport.xl" >"$W/f.out" 2>"$W/err"
rc_is $? 1 "filter_corrupt_vmport_fails"
says "offset 0x.*VMPORT" "filter names the bad record and offset"
prefix_before "$W/f.out" "$W/bad-vmport.xl" "$ctx" \
    "filter_stops_before_the_bad_record"
"$VS" convert --record-version 2 - - <"$W/bad-vmport.xl" >"$W/c.out" 2>"$W/err"
rc_is $? 1 "convert - - of a corrupt stream fails"
prefix_before "$W/c.out" "$W/bad-vmport.xl" "$ctx" \
    "convert_pipeline_stops_before_the_bad_record"

# filter: an unknown mandatory libxc record; one problem, nothing after.
cp "$W/g.xl" "$W/bad-type.xl"
printf '\x7f' | dd of="$W/bad-type.xl" bs=1 seek=$tsc conv=notrunc 2>/dev/null
"$VS" filter <"$W/bad-type.xl" >"$W/f.out" 2>"$W/err"
rc_is $? 1 "filter_unknown_record_fails"
[ "$(grep -c offset "$W/err")" = 1 ] && ok ||
    bad "filter_reports_the_first_bad_record_only: $(cat "$W/err")"
prefix_before "$W/f.out" "$W/bad-type.xl" "$tsc" \
    "filter_never_forwards_a_reframed_stream"
# verify still reports every problem.
"$VS" verify "$W/bad-vmport.xl" >/dev/null 2>"$W/err"
rc_is $? 1 "verify of the corrupt stream"

echo "test_bounds.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

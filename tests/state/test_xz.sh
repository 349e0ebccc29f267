#!/bin/bash
# xz-compressed input is read like gzip (liblzma): verify, records, dump,
# guestinfo, diff and filter take an .xz image; an edit in place keeps it
# xz; convert writes OUT.xz with xz and OUT.gz with gzip; a truncated or
# corrupt xz is reported with its offset (exit 1).
# Usage: test_xz.sh VMPORT-STATE WORKDIR
. "$(dirname "$0")/lib.sh"
magic() { head -c "$2" "$1" | od -An -tx1 | tr -d ' \n'; }

"$VS" gen --kind xl --vmport --mem-mib 8 "$W/g.xl"
xz -k -T1 "$W/g.xl"
expect_rc 0 "verify_reads_xz" "$VS" verify "$W/g.xl.xz"
grep -q 'OK: xz xl' "$W/out" && ok || bad "verify names xz: $(cat "$W/out")"
expect_rc 0 "records of xz" "$VS" records "$W/g.xl.xz"
grep -q 'stream: xz-compressed xl, no problems' "$W/out" && ok ||
    bad "records names xz"
expect_rc 0 "diff of an image and its xz" "$VS" diff "$W/g.xl" "$W/g.xl.xz"
"$VS" dump "$W/g.xl" >"$W/d1"; "$VS" dump "$W/g.xl.xz" >"$W/d2"
cmp -s "$W/d1" "$W/d2" && ok || bad "dump of xz differs"
expect_rc 0 "xz_edited_in_place_stays_xz" \
    "$VS" guestinfo set "$W/g.xl.xz" role web
[ "$(magic "$W/g.xl.xz" 6)" = fd377a585a00 ] && xz -t "$W/g.xl.xz" && ok ||
    bad "the edited image is no longer xz"
[ "$("$VS" guestinfo get "$W/g.xl.xz" role)" = web ] && ok || bad "xz get"
"$VS" filter <"$W/g.xl.xz" >"$W/f.xz" && xz -t "$W/f.xz" && ok ||
    bad "filter of xz"
expect_rc 0 "convert to OUT.xz" \
    "$VS" convert --record-version 1 "$W/g.xl" "$W/c.xl.xz"
xz -t "$W/c.xl.xz" 2>/dev/null && ok || bad "output_compressed_by_extension .xz"
expect_rc 0 "convert to OUT.gz" \
    "$VS" convert --record-version 1 "$W/g.xl.xz" "$W/c.xl.gz"
[ "$(magic "$W/c.xl.gz" 2)" = 1f8b ] && ok || bad "output_compressed_by_extension .gz"
expect_rc 0 "verify converted" "$VS" verify "$W/c.xl.gz"

head -c 2000 "$W/g.xl.xz" >"$W/t.xz"
expect_rc 1 "truncated_xz_is_reported" "$VS" verify "$W/t.xz"
grep -q 'offset 0x.*xz: corrupt or truncated' "$W/err" && ok ||
    bad "truncated xz message: $(cat "$W/err")"
cp "$W/g.xl.xz" "$W/c.xz"
printf '\0\0\0' | dd of="$W/c.xz" bs=1 seek=1500 conv=notrunc 2>/dev/null
expect_rc 1 "corrupt_xz_is_reported" "$VS" verify "$W/c.xz"

echo "test_xz.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

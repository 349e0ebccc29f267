#!/bin/bash
# Every command runs clean under UBSan/ASan (make check runs this again
# with the SAN=1 build, where any report aborts the program): diff of
# identical images (HVM_CONTEXT keeps no body: no NULL to memcmp), and the
# read-only commands over every kind of image, with and without a VMPORT
# record, and an empty file.  Usage: test_sanitize.sh VMPORT-STATE WORKDIR
. "$(dirname "$0")/lib.sh"
clean() {       # clean WANT_RC DESCRIPTION CMD...: that exit, no report
    local want=$1 what=$2; shift 2
    "$@" >/dev/null 2>"$W/err" </dev/null; local rc=$?
    if grep -q "runtime error\|AddressSanitizer\|LeakSanitizer" "$W/err"; then
        bad "$what: sanitizer report"; head -3 "$W/err" | sed 's/^/    /'
    elif [ "$rc" != "$want" ]; then
        bad "$what: exit $rc, expected $want"; head -3 "$W/err" | sed 's/^/    /'
    else ok; fi
}

imgs=()
for k in xl libxl libxc hvm; do
    "$VS" gen --kind $k --vmport --mem-mib 4 "$W/v.$k" && imgs+=("$W/v.$k")
    "$VS" gen --kind $k --mem-mib 4 "$W/n.$k" && imgs+=("$W/n.$k")
done
"$VS" gen --kind xl --gzip --vmport --mem-mib 4 "$W/v.xl.gz" && imgs+=("$W/v.xl.gz")
: >"$W/empty"

for f in "${imgs[@]}"; do
    clean 0 "diff_identical_images_is_clean $(basename "$f")" "$VS" diff "$f" "$f"
    clean 0 "records $(basename "$f")" "$VS" records "$f"
    clean 0 "records --json $(basename "$f")" "$VS" records --json "$f"
    clean 0 "hvmctx --json $(basename "$f")" "$VS" hvmctx --json "$f"
    clean 0 "verify $(basename "$f")" "$VS" verify "$f"
done
clean 1 "diff of images with and without VMPORT" \
    "$VS" diff "$W/v.xl" "$W/n.xl"
clean 1 "diff of different kinds" "$VS" diff "$W/v.xl" "$W/v.libxc"
clean 0 "dump" "$VS" dump --json "$W/v.xl"
clean 1 "dump without VMPORT" "$VS" dump "$W/n.xl"
clean 1 "diff of an empty file" "$VS" diff "$W/empty" "$W/empty"
clean 1 "verify of an empty file" "$VS" verify "$W/empty"
printf '' | clean 0 "an empty --value-file" \
    "$VS" guestinfo set --value-file /dev/null "$W/v.xl" empty
clean 0 "guestinfo list --json" "$VS" guestinfo list --json "$W/v.xl"

echo "test_sanitize.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

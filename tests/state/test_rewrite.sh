#!/bin/bash
# Every writer of vmport-state replaces a file without losing it
# (tools/libs/stream/vs_file.c): a symlink's target is edited and the link
# stays a link; hard links, directories, FIFOs and devices are refused with
# the reason (exit 3); owner, group and mode are kept; no write permission
# is refused unless --force; parallel editors of one file all survive (the
# file is locked and re-read under the lock); a failed write says "write
# error", the errno text and the path, exits 3, removes its temporary and
# leaves the original byte-identical.
# Usage: test_rewrite.sh VMPORT-STATE WORKDIR
. "$(dirname "$0")/lib.sh"
no_temps() {    # no_temps DESCRIPTION: no FILE.XXXXXX left in $W
    if ls "$W" | grep -Eq '\.[A-Za-z0-9]{6}$'; then
        bad "$1: temporary left: $(ls "$W" | grep -E '\.[A-Za-z0-9]{6}$')"
    else ok; fi
}
get() { "$VS" guestinfo get "$@" 2>/dev/null; }

"$VS" gen --kind xl --vmport --mem-mib 8 "$W/g.xl" || bad "gen"

# A symlink: the target is edited, the link stays a link.
cp "$W/g.xl" "$W/target.xl"
ln -s target.xl "$W/link.xl"
expect_rc 0 "guestinfo set through a symlink" \
    "$VS" guestinfo set "$W/link.xl" role web
[ -L "$W/link.xl" ] && ok || bad "symlink_stays_a_link: link.xl was replaced"
[ "$(get "$W/target.xl" role)" = web ] && ok ||
    bad "symlink_edits_its_target: target.xl lacks the key"
expect_rc 0 "convert to a symlink" \
    "$VS" convert --record-version 2 "$W/g.xl" "$W/link.xl"
[ -L "$W/link.xl" ] && ok || bad "convert_to_symlink_keeps_the_link"
same "$W/g.xl" "$W/target.xl" "convert through a symlink writes its target"

# A hard-linked file is refused, not split.
cp "$W/g.xl" "$W/h1.xl" && ln "$W/h1.xl" "$W/h2.xl" && cp "$W/h1.xl" "$W/h.keep"
expect_rc 3 "guestinfo set on a hard-linked file" \
    "$VS" guestinfo set "$W/h1.xl" role web
says "2 hard links" "hard_link_refused_with_reason"
[ "$(stat -c %i "$W/h1.xl")" = "$(stat -c %i "$W/h2.xl")" ] && ok ||
    bad "hard_link_never_split"
same "$W/h.keep" "$W/h1.xl" "a refused hard-linked file is untouched"

# Directories, FIFOs and devices are refused, never opened for writing.
mkdir "$W/dir" && mkfifo "$W/fifo"
expect_rc 3 "convert to a directory" \
    "$VS" convert --record-version 2 "$W/g.xl" "$W/dir"
says "a directory, not a regular file" "directory_refused"
expect_rc 3 "guestinfo set on a FIFO" \
    timeout 10 "$VS" guestinfo set "$W/fifo" role web
says "a FIFO, not a regular file" "fifo_refused"
expect_rc 3 "gen to a device" "$VS" gen --kind hvm /dev/null
says "a character device, not a regular file" "device_refused"
[ -c /dev/null ] && ok || bad "/dev/null is no longer a device"

# Owner, group and mode are kept.
cp "$W/g.xl" "$W/own.xl" && chmod 0640 "$W/own.xl"
if [ "$(id -u)" = 0 ]; then chown 1234:4321 "$W/own.xl"; fi
want=$(stat -c '%u:%g %a' "$W/own.xl")
expect_rc 0 "guestinfo set keeps owner and mode" \
    "$VS" guestinfo set "$W/own.xl" role web
[ "$(stat -c '%u:%g %a' "$W/own.xl")" = "$want" ] && ok ||
    bad "owner_group_mode_kept: $want became $(stat -c '%u:%g %a' "$W/own.xl")"
cp "$W/g.xl" "$W/conv.xl" && chmod 0604 "$W/conv.xl"
expect_rc 0 "convert over an existing file" \
    "$VS" convert --record-version 1 "$W/g.xl" "$W/conv.xl"
[ "$(stat -c %a "$W/conv.xl")" = 604 ] && ok || bad "convert keeps OUT's mode"

# No write permission: refused unless --force.
cp "$W/g.xl" "$W/ro.xl" && chmod 0444 "$W/ro.xl" && cp "$W/ro.xl" "$W/ro.keep"
expect_rc 3 "guestinfo set without write permission" \
    "$VS" guestinfo set "$W/ro.xl" role web
says "no write permission (mode 0444)" "read_only_refused_with_reason"
same "$W/ro.keep" "$W/ro.xl" "a refused read-only file is untouched"
expect_rc 0 "guestinfo set --force" \
    "$VS" guestinfo set --force "$W/ro.xl" role web
[ "$(get "$W/ro.xl" role)" = web ] && ok || bad "--force writes"
[ "$(stat -c %a "$W/ro.xl")" = 444 ] && ok || bad "--force keeps the mode"

# Ten parallel editors of one file: every key survives.
cp "$W/g.xl" "$W/par.xl"
for i in 0 1 2 3 4 5 6 7 8 9; do
    "$VS" guestinfo set "$W/par.xl" "k$i" "v$i" 2>>"$W/par.err" &
done
wait
n=0
for i in 0 1 2 3 4 5 6 7 8 9; do
    [ "$(get "$W/par.xl" "k$i")" = "v$i" ] && n=$((n + 1))
done
[ $n = 10 ] && ok || bad "ten_parallel_sets_all_survive: $n of 10 keys"
no_temps "parallel sets"

# A failed write (RLIMIT_FSIZE: EFBIG, as a full disk gives ENOSPC).
cp "$W/g.xl" "$W/full.xl" && cp "$W/full.xl" "$W/full.keep"
( ulimit -f 64; trap '' XFSZ
  "$VS" guestinfo set "$W/full.xl" role web >"$W/out" 2>"$W/err"
  echo $? >"$W/rc" )
[ "$(cat "$W/rc")" = 3 ] && ok ||
    bad "failed_write_exits_3: guestinfo set exited $(cat "$W/rc")"
says "write error: .*full.xl: File too large" "failed_write_names_error_and_path"
grep -q "truncated\|offset 0x" "$W/err" && bad "a write error blamed the input" || ok
same "$W/full.keep" "$W/full.xl" "failed_write_leaves_original_identical"
no_temps "failed write"
( ulimit -f 64; trap '' XFSZ
  "$VS" convert --record-version 1 "$W/g.xl" "$W/new.xl" >"$W/out" 2>"$W/err"
  echo $? >"$W/rc" )
[ "$(cat "$W/rc")" = 3 ] && ok || bad "convert: failed write exited $(cat "$W/rc")"
says "write error: .*new.xl: File too large (not created)" "convert names its OUT"
[ ! -e "$W/new.xl" ] && ok || bad "a failed convert left OUT behind"
no_temps "failed convert"
expect_rc 3 "convert to a full stdout" \
    sh -c "'$VS' convert --record-version 1 '$W/g.xl' - >/dev/full"
says "write error: standard output: No space left on device" "full stdout"
if [ "$(id -u)" = 0 ] && mkdir -p "$W/tmpfs" &&
   mount -t tmpfs -o size=1m tmpfs "$W/tmpfs" 2>/dev/null; then
    "$VS" gen --kind hvm --vmport "$W/tmpfs/small.hvm" >/dev/null 2>&1
    cp "$W/tmpfs/small.hvm" "$W/small.keep"
    head -c 2M /dev/zero >"$W/tmpfs/filler" 2>/dev/null
    expect_rc 3 "guestinfo set on a full disk" \
        "$VS" guestinfo set "$W/tmpfs/small.hvm" role web
    says "write error: .*small.hvm: No space left on device" "ENOSPC message"
    same "$W/small.keep" "$W/tmpfs/small.hvm" "full disk leaves the file"
    [ "$(ls "$W/tmpfs" | wc -l)" = 2 ] && ok || bad "full disk: temporary left"
    umount "$W/tmpfs"
else
    echo "SKIP: no tmpfs mount here (not root or no CAP_SYS_ADMIN): ENOSPC"
fi

echo "test_rewrite.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

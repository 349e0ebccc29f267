#!/bin/bash
# vmport-state end to end: Debian's verify-stream-v2 accepts what the
# writer produces, CLI round trips are byte-identical, failed edits leave
# files untouched, dump --json | encode reproduces the record, records
# --json lists what the text listing lists, live mode
# without Xen says so with exit 4.  Usage: test_cli.sh VMPORT-STATE WORKDIR
. "$(dirname "$0")/lib.sh"

for k in xl libxl libxc hvm; do
    expect_rc 0 "gen $k" "$VS" gen --kind $k --vmport --mem-mib 8 "$W/g.$k"
done
"$VS" gen --kind xl --gzip --mem-mib 8 --vmport "$W/g.xl.gz"

# Debian's verifier accepts the writer's streams and our rewrites of them.
export PYTHONPATH=/usr/lib/xen-4.17/lib/python
V=/usr/lib/xen-4.17/bin/verify-stream-v2
if [ -x "$V" ]; then
    for k in xl libxl libxc; do
        expect_rc 0 "verify-stream-v2 -f $k (writer)" $V -f $k -i "$W/g.$k"
        "$VS" guestinfo set "$W/g.$k" ip 10.1.2.3 >/dev/null 2>&1 ||
            bad "guestinfo set $k"
        expect_rc 0 "verify-stream-v2 -f $k (after guestinfo set)" \
            $V -f $k -i "$W/g.$k"
    done
else
    echo "SKIP: $V not installed"
fi
for k in xl libxl libxc hvm; do
    "$VS" gen --kind $k --vmport --mem-mib 8 "$W/g.$k"
    expect_rc 0 "verify $k" "$VS" verify "$W/g.$k"
done
expect_rc 0 "verify gzip" "$VS" verify "$W/g.xl.gz"

# Round trips through the CLI are byte-identical.
expect_rc 0 "convert to the current version" \
    "$VS" convert --record-version 2 "$W/g.xl" "$W/c.xl"
same "$W/g.xl" "$W/c.xl" "convert to the same version"
"$VS" filter <"$W/g.xl" >"$W/f.xl" || bad "filter"
same "$W/g.xl" "$W/f.xl" "filter"
{ cat "$W/g.xl"; printf 'migration receiver ready, send binary domain data'; } \
    >"$W/t.in"
"$VS" filter <"$W/t.in" >"$W/t.out" || bad "filter with trailing bytes"
same "$W/t.in" "$W/t.out" "filter passes the bytes after END"
expect_rc 0 "convert to version 1 (no in-flight state)" \
    "$VS" convert --record-version 1 "$W/g.xl" "$W/v1.xl"
expect_rc 0 "verify version 1" "$VS" verify "$W/v1.xl"
"$VS" convert --record-version 2 "$W/v1.xl" "$W/v2.xl"

# In a live pipeline (xl migrate -s "... | vmport-state convert ... - - | ..."),
# stdin stays open after the stream (xl sends its go-ahead later): convert
# must write the whole stream without waiting for EOF.
{ cat "$W/g.xl"; sleep 4; } |
    timeout 2 "$VS" convert --record-version 1 --policy checkpoint - - \
    > "$W/pipe.xl" 2>/dev/null
"$VS" convert --record-version 1 --policy checkpoint "$W/g.xl" "$W/file.xl"
same "$W/file.xl" "$W/pipe.xl" "convert - - forwards the stream before stdin ends"
expect_rc 0 "verify converted back" "$VS" verify "$W/v2.xl"

# dump --json | encode gives the record's bytes back.
for f in g.hvm g.xl v1.xl g.xl.gz; do
    line=$("$VS" records "$W/$f" | grep ' VMPORT ')
    off=$(( $(echo "$line" | awk '{print $1}') + 8 ))
    len=$(echo "$line" | awk '{print $7}')
    case $f in *.gz) gzip -dc "$W/$f" >"$W/plain" ;; *) cp "$W/$f" "$W/plain" ;; esac
    dd if="$W/plain" of="$W/rec.bin" bs=1 skip=$off count=$len 2>/dev/null
    "$VS" dump --json "$W/$f" | "$VS" encode - >"$W/enc.bin" || bad "encode $f"
    same "$W/rec.bin" "$W/enc.bin" "dump --json | encode of $f"
done

# records --json: one object per record, the listing's records, and a
# body_offset past the descriptor (what vmport-stress reads).
for f in g.xl g.xl.gz; do
    "$VS" records --json "$W/$f" >"$W/rec.json" || bad "records --json $f"
    "$VS" records "$W/$f" | grep -v '^stream:' >"$W/rec.txt"
    python3 - "$W/rec.json" "$W/rec.txt" <<'PY' && ok || bad "records --json $f"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
text = open(sys.argv[2]).read().splitlines()
assert len(recs) == len(text), (len(recs), len(text))
for r, t in zip(recs, text):
    assert int(t.split()[0], 16) == r["offset"], (t, r)
    assert r["name"] in t.split() and "length %d" % r["length"] in " ".join(t.split()), (t, r)
vm = [r for r in recs if r["level"] == "hvm" and r["name"] == "VMPORT"]
assert len(vm) == 1 and vm[0]["body_offset"] == vm[0]["offset"] + 8, vm
PY
done

# guestinfo edits, and a failed edit leaves the file untouched.
cp "$W/g.xl" "$W/e.xl"
expect_rc 0 "guestinfo set" "$VS" guestinfo set "$W/e.xl" guestinfo.role web
[ "$("$VS" guestinfo get "$W/e.xl" role)" = web ] && ok || bad "guestinfo get"
expect_rc 1 "diff after set" "$VS" diff "$W/g.xl" "$W/e.xl"
grep -q '^~ hvm VMPORT' "$W/out" && ok || bad "diff names the VMPORT record"
[ -z "$(grep '^[-+~]' "$W/out" | grep -v -e '^~ hvm VMPORT' \
        -e '^~ libxc HVM_CONTEXT')" ] && ok || bad "diff: only VMPORT differs"
cp "$W/e.xl" "$W/before"
big=$(head -c 5000 /dev/zero | tr '\0' x)
expect_rc 1 "guestinfo set beyond gi_value_max" \
    "$VS" guestinfo set "$W/e.xl" big "$big"
same "$W/before" "$W/e.xl" "a refused edit leaves the file untouched"
[ -z "$(ls "$W" | grep 'e.xl.')" ] && ok || bad "temporary files left"
expect_rc 0 "guestinfo unset" "$VS" guestinfo unset "$W/e.xl" role
expect_rc 1 "get of an unset key" "$VS" guestinfo get "$W/e.xl" role
cp "$W/g.xl.gz" "$W/e.xl.gz"
expect_rc 0 "guestinfo set on gzip" "$VS" guestinfo set "$W/e.xl.gz" zz b
[ "$(head -c2 "$W/e.xl.gz" | od -An -tx1 | tr -d ' ')" = 1f8b ] && ok ||
    bad "a gzip image stays gzip"
expect_rc 0 "trigger poweroff in a file" \
    "$VS" trigger poweroff "$W/e.xl"
"$VS" dump "$W/e.xl" | grep -q 'trigger: op 1 (poweroff)' && ok ||
    bad "dump shows the queued trigger"

# Exit codes and the no-Xen path.
expect_rc 2 "usage" "$VS" records
expect_rc 2 "limits --set out of range" \
    "$VS" limits --domain 1 --set max_channels=129
grep -q 'max_channels=129: expected 1 to 128' "$W/err" && ok ||
    bad "limits --set names the range"
expect_rc 2 "limits --set of no such limit" \
    "$VS" limits --domain 1 --set channels=4
expect_rc 3 "missing file" "$VS" verify "$W/does-not-exist"
head -c 100000 "$W/g.xl" >"$W/trunc.xl"
expect_rc 1 "truncated image" "$VS" verify "$W/trunc.xl"
grep -q 'offset 0x' "$W/err" && ok || bad "truncation message has an offset"
if [ ! -e /dev/xen/privcmd ] && [ ! -e /proc/xen/privcmd ]; then
    for cmd in "hvmctx --domain 1" "dump --domain 1" \
               "guestinfo set --domain 1 k v" "enable --domain 1" \
               "limits --domain 1" "limits --domain 1 --set max_channels=4"; do
        expect_rc 4 "$cmd without Xen" "$VS" $cmd
        grep -q 'not running on a Xen host' "$W/err" && ok ||
            bad "$cmd: no 'not running on a Xen host' message"
    done
else
    echo "SKIP: this is a Xen host; the no-Xen path is not testable here"
fi
for c in records hvmctx verify dump encode guestinfo trigger enable convert \
         diff filter gen limits; do
    expect_rc 0 "$c --help" "$VS" $c --help
done

# The real `xl save` image from stock Xen 4.17.7 (tests/data, by tests/xen).
real=tests/data/xen-4.17.7-pvh.xl-save.xz
if [ -e "$real" ] && command -v xz >/dev/null; then
    xz -dc "$real" >"$W/real.xl"
    expect_rc 0 "verify the real image" "$VS" verify "$W/real.xl"
    gzip -1 -c "$W/real.xl" >"$W/real.xl.gz"
    expect_rc 0 "verify the real image, gzip" "$VS" verify "$W/real.xl.gz"
    expect_rc 0 "hvmctx of the real image" "$VS" hvmctx "$W/real.xl"
    # Field for field what xen-hvmctx printed for the restored domain;
    # only the TSC moved on between the save and that read.
    if diff <(sed 1d tests/data/xen-4.17.7-pvh.xen-hvmctx.txt |
              grep -v '^ *tsc ') <(sed 1d "$W/out" | grep -v '^ *tsc ') \
            >"$W/hvmctx.diff"; then ok; else
        bad "hvmctx differs from xen-hvmctx"; head "$W/hvmctx.diff"
    fi
    expect_rc 0 "hvmctx --json of the real image" \
        "$VS" hvmctx --json "$W/real.xl"
    expect_rc 0 "rewrite of the real image" \
        "$VS" convert --record-version 2 "$W/real.xl" "$W/real2.xl"
    same "$W/real.xl" "$W/real2.xl" "a rewrite of the real image"
    expect_rc 1 "dump of an image without VMPORT" "$VS" dump "$W/real.xl"
    grep -q 'no VMPORT record' "$W/err" && ok || bad "dump: no-VMPORT message"
    rm -f "$W/real.xl" "$W/real2.xl" "$W/real.xl.gz"
else
    echo "SKIP: $real or xz missing"
fi

echo "test_cli: $pass passed, $fail failed"
[ $fail -eq 0 ]

#!/bin/bash
# Bad inputs tried on all three programs (issue 12's closing note): for
# each, the exit status and the first line of stderr, which must name the
# bad path or option.  Prints a markdown table "input | command | exit |
# message"; docs/bad-inputs.md is that table, checked in.
#
#   tests/state/bad-inputs.sh BUILD                 run, assert, print table
#   tests/state/bad-inputs.sh BUILD --write FILE    ... and write FILE
#   tests/state/bad-inputs.sh BUILD --check FILE    ... and fail unless FILE
#                                                   is what it would write
#
# The commands run in a scratch directory with the programs on PATH, so
# each is shown as an operator types it and the messages hold relative
# paths: the table does not depend on where it ran.  A full disk is
# /dev/full (ENOSPC on stdout) and RLIMIT_FSIZE (EFBIG on a file): both need
# no root; test_rewrite.sh also fills a real tmpfs when it may mount one.
set -u
BUILD=${1:?usage: bad-inputs.sh BUILD [--write FILE | --check FILE]}
mode=${2:-}
doc=${3:-}
BIN=$(realpath "$BUILD/bin")
GUEST=$(realpath "$BUILD/tests/migration/guest_channels")
top=$(pwd)
W=$(mktemp -d /tmp/vmport-bad-inputs.XXXXXX)
trap 'chmod -R u+w "$W" 2>/dev/null; rm -rf "$W"' EXIT
cd "$W" || exit 1
WR=$(pwd -P)
export PATH=$BIN:$PATH LC_ALL=C

# The inputs.
vmport-state gen --kind hvm --vmport g.hvm >/dev/null
vmport-state gen --kind xl --vmport --mem-mib 8 g.xl >/dev/null
: >empty
echo "these are notes, not a save file" >notes.txt
head -c $(($(stat -c %s g.xl) / 2)) g.xl >half.xl
gzip -nc g.xl | head -c 600 >half.xl.gz
cp g.hvm corrupt.hvm
off=$(vmport-state records --json g.hvm |
      sed -n 's/.*"body_offset":\([0-9]*\).*"name":"VMPORT".*/\1/p')
printf '\xff' | dd of=corrupt.hvm bs=1 seek=$((off + 40)) conv=notrunc \
    status=none
mkdir dir used && touch used/g1
mkfifo fifo
ln -s missing.hvm dangling.hvm
ln -s dir linkdir
cp g.hvm h1.hvm && ln h1.hvm h2.hvm
cp g.hvm ro.hvm && chmod 0444 ro.hvm
cp g.xl big.xl
head -c 70000 /dev/zero | tr '\0' v >big.val
ln -s "$BIN" bin
cp "$GUEST" guest

pass=0 fail=0 rows=()
esc() { sed 's/|/\\|/g; s/`/'"'"'/g'; }
# try INPUT WANT_EXIT PATTERN COMMAND: COMMAND (a bash command line) exits
# WANT_EXIT and the first line of its stderr matches PATTERN (grep -E).
try() {
    local input=$1 want=$2 pat=$3 cmd=$4 rc msg
    timeout 120 bash -c "$cmd" </dev/null >/dev/null 2>err
    rc=$?
    # The scratch directory, where a message resolves a path, is W.
    msg=$(head -n 1 err | sed "s|$WR/|W/|g; s|$W/|W/|g")
    if [ "$rc" = "$want" ] && grep -Eq -- "$pat" <<<"$msg"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $input: \`$cmd\`: expected exit $want and /$pat/," \
             "seen exit $rc: $(head -c 300 err)" >&2
    fi
    rows+=("| $input | \`$(esc <<<"$cmd")\` | $rc | \`$(esc <<<"$msg")\` |")
}

# vmport-state: inputs that are not what they claim.
try "empty file" 1 "^empty: offset 0x0: " "vmport-state verify empty"
try "text, not a save file" 1 "^notes.txt: offset 0x0: not an xl save" \
    "vmport-state records notes.txt"
try "stream cut in half" 1 "^half.xl: offset 0x[0-9a-f]+: .*truncated" \
    "vmport-state verify half.xl"
try "gzip stream cut short" 1 "^half.xl.gz: offset 0x[0-9a-f]+: " \
    "vmport-state records half.xl.gz"
try "one byte of the VMPORT record flipped" 1 "^corrupt.hvm: offset 0x" \
    "vmport-state verify corrupt.hvm"
try "endless JSON on stdin" 1 "^vmport-state encode: -: more than .* stopping" \
    "(printf '{\"a\":\"'; yes aaaaaaaa | tr -d '\\n') | vmport-state encode -o e.hvm"
try "text, not JSON" 1 "^vmport-state encode: notes.txt: not JSON" \
    "vmport-state encode notes.txt -o e.hvm"
try "missing file" 3 "missing.hvm: No such file or directory" \
    "vmport-state dump missing.hvm"
try "directory as input" 3 "^vmport-state: dir: Is a directory" \
    "vmport-state verify dir"
try "directory as --value-file" 3 "dir: Is a directory" \
    "vmport-state guestinfo set --value-file dir g.hvm k"
try "value over the limit" 1 "--value-file big.val: more than 65536 bytes" \
    "vmport-state guestinfo set --value-file big.val g.hvm k"
try "key with a space" 1 "bad guestinfo key \"guestinfo.bad key\"" \
    "vmport-state guestinfo set g.hvm 'bad key' v"
# ... files that must not be replaced.
try "directory as output" 3 "^vmport-state: dir: a directory, not a regular" \
    "vmport-state convert --record-version 1 g.hvm dir"
try "FIFO to edit" 3 "^vmport-state: fifo: a FIFO, not a regular file" \
    "vmport-state guestinfo set fifo k v"
try "device as output" 3 "^vmport-state: /dev/null: a character device" \
    "vmport-state gen --kind hvm /dev/null"
try "symlink to nowhere" 3 "^vmport-state: dangling.hvm: a symlink whose target" \
    "vmport-state guestinfo set dangling.hvm k v"
try "symlink to a directory" 3 "^vmport-state: W/dir: a directory" \
    "vmport-state guestinfo set linkdir k v"
try "hard-linked file" 3 "^vmport-state: h1.hvm has 2 hard links" \
    "vmport-state guestinfo set h1.hvm k v"
try "read-only file" 3 "^vmport-state: ro.hvm: no write permission" \
    "vmport-state guestinfo set ro.hvm k v"
try "file size limit while writing (EFBIG)" 3 \
    "write error: .*big.xl: File too large" \
    "ulimit -f 64; trap '' XFSZ; vmport-state guestinfo set big.xl role web"
try "full stdout (ENOSPC)" 3 "write error: standard output: No space left" \
    "vmport-state convert --record-version 1 g.hvm - >/dev/full"
# ... and command lines.
try "unknown option" 2 "unknown option '--bogus'" "vmport-state verify --bogus g.hvm"
try "option without its value" 2 "option '--output' needs a value" \
    "vmport-state encode --output"
try "negative number" 2 "--vcpus: '-1' is not a number" \
    "vmport-state gen --vcpus -1 o.hvm"
try "non-numeric number" 2 "--wait: 'x' is not a number" \
    "vmport-state trigger --wait x poweroff g.hvm"
try "number out of range" 2 "--record-version: '9' is not a number in 1..2" \
    "vmport-state convert --record-version 9 g.hvm o.hvm"
try "unknown subcommand" 2 "unknown command 'frob'" "vmport-state frob"
try "unknown guestinfo action" 2 "unknown action 'frob'" \
    "vmport-state guestinfo frob g.hvm"
try "extra operand" 2 "unexpected 'extra'" "vmport-state verify g.hvm extra"
try "no operand" 2 "expected one FILE" "vmport-state records"

# vmport-host
try "unknown option" 2 "^vmport-host: unknown option '--bogus'" \
    "vmport-host --bogus"
try "option without its value" 2 "option '--state-in' needs a value" \
    "vmport-host --state-in"
try "unknown personality" 2 "--personality: 'bogus' is not intel or amd" \
    "vmport-host --personality bogus -- true"
try "negative number" 2 "--attach: '-5' is not a number" "vmport-host --attach -5"
try "non-numeric number" 2 "--tsc-khz: 'x' is not a number" \
    "vmport-host --tsc-khz x -- true"
try "no program" 2 "no PROGRAM given" "vmport-host"
try "program that does not exist" 127 "nonexistent: No such file" \
    "vmport-host -- ./nonexistent"
try "--state-in missing" 1 "--state-in missing.hvm: No such file" \
    "vmport-host --state-in missing.hvm -- true"
try "--state-in a directory" 1 "--state-in dir: Is a directory" \
    "vmport-host --state-in dir -- true"
try "--state-in cut in half" 1 "^half.xl: offset 0x[0-9a-f]+: .*truncated" \
    "vmport-host --state-in half.xl -- true"
try "--state-in not a save file" 1 "^notes.txt: offset 0x0: not an xl save" \
    "vmport-host --state-in notes.txt -- true"
try "--state-out in a missing directory" 1 "--state-out: nodir/s.xc: " \
    "vmport-host --state-out nodir/s.xc -- true"
try "--state-out read-only" 1 "--state-out: ro.hvm: no write permission" \
    "vmport-host --state-out ro.hvm -- true"
try "--state-out a FIFO" 1 "--state-out: fifo: a FIFO" \
    "vmport-host --state-out fifo -- true"

# vmport-stress (every one refused before anything starts)
try "unknown option" 2 "^vmport-stress: unknown option '--bogus'" \
    "vmport-stress --bogus"
try "negative number" 2 "--seconds: '-1' is not a number" \
    "vmport-stress --seconds -1"
try "non-numeric number" 2 "--guests: 'x' is not a number" \
    "vmport-stress --guests x"
try "number out of range" 2 "--parallel: '0' is not a number in 1..16" \
    "vmport-stress --parallel 0"
try "unknown backend" 2 "--backend: 'kvm' is not sim or xl" \
    "vmport-stress --backend kvm"
try "extra operand" 2 "unexpected 'extra'" "vmport-stress extra"
try "--bin without the programs" 2 "--bin: no vmport-state in 'dir'" \
    "vmport-stress --bin dir --seconds 1"
try "--guest missing" 2 "--guest: 'missing': No such file" \
    "vmport-stress --bin bin --guest missing --seconds 1"
try "--guest a directory" 2 "--guest: 'dir': not an executable file" \
    "vmport-stress --bin bin --guest dir --seconds 1"
try "--workdir not empty" 2 "--workdir used is not empty" \
    "vmport-stress --bin bin --guest guest --workdir used --seconds 1"

table() {
    echo "| input | command | exit | message (first line of stderr) |"
    echo "|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
}
page() {
    cat <<'EOF'
# Bad inputs: exit status and message

Every program of xen-vmport tried with bad input (issue 12): malformed and
cut-short streams, paths that are not regular files, files that must not be
replaced, failed writes, and bad command lines.  Exit status: vmport-state
1 invalid input, 2 usage, 3 I/O (docs/vmport-state.1); vmport-host 1 error,
2 usage, 127 a program it cannot run; vmport-stress 2 usage.  Each message
names the path or option at fault.

Generated by `make docs-bad-inputs` (tests/state/bad-inputs.sh); `make
check` fails when this page no longer matches what the programs say.  The
commands ran in a scratch directory W holding the inputs; `bin` is a link
to the built programs' directory, `guest` a copy of the stress guest.

EOF
    table
}

cd "$top" || exit 1
table
echo "bad-inputs.sh: $pass passed, $fail failed" >&2
case $mode in
--write)
    page >"$doc" ;;
--check)
    if ! page | cmp -s - "$doc"; then
        echo "FAIL bad_inputs_doc_current: $doc differs from what the" \
             "programs say now (make docs-bad-inputs):" >&2
        page | diff "$doc" - | head -20 >&2
        fail=$((fail + 1))
    fi ;;
esac
[ "$fail" -eq 0 ]

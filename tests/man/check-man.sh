#!/bin/bash
# Every program has a man page in docs/ that renders without a warning and
# that `make install` puts beside it.  Usage: check-man.sh BUILD "PAGES"
set -u
BUILD=${1:?usage: check-man.sh BUILD PAGES}
PAGES=$2
pass=0 fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

for prog in vmport-state vmport-host vmport-stress; do
    page=docs/$prog.1
    if [[ " $PAGES " != *" $page "* ]]; then
        ko "man_installed_$prog" "expected $page in INSTALL_MAN ($PAGES)"
        continue
    fi
    warn=$(MANWIDTH=80 man -l --warnings "$page" 2>&1 >/dev/null)
    text=$(MANWIDTH=80 man -l "$page" 2>/dev/null)
    if [ -n "$warn" ]; then
        ko "man_renders_$prog" "expected no warnings, seen: ${warn:0:300}"
    elif ! grep -q "^NAME" <<<"$text" || ! grep -q "$prog -" <<<"$text" ||
         ! grep -q "EXIT STATUS" <<<"$text"; then
        ko "man_renders_$prog" "expected NAME, '$prog -' and EXIT STATUS"
    else
        ok "man_renders_$prog"
    fi
done

# make install: programs and pages, under DESTDIR.
D=$(mktemp -d /tmp/vmport-install.XXXXXX)
trap 'rm -rf "$D"' EXIT
if make --no-print-directory -s BUILD="$BUILD" install DESTDIR="$D" \
        PREFIX=/usr >"$D.log" 2>&1; then
    for prog in vmport-state vmport-host vmport-stress; do
        if [ -x "$D/usr/bin/$prog" ] &&
           [ -f "$D/usr/share/man/man1/$prog.1" ] &&
           "$D/usr/bin/$prog" --version | grep -q "^$prog (xen-vmport) "
        then ok "install_$prog"
        else ko "install_$prog" "expected $D/usr/bin/$prog (with --version) and share/man/man1/$prog.1"
        fi
    done
else
    ko make_install "$(tail -5 "$D.log")"
fi
rm -f "$D.log"
echo "man tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/bin/bash
# make check-report: a short vmport-stress run with --parallel and --report,
# then the page opened in headless Chromium (check-report-page.py): no
# console error, every chart present and drawn, a screenshot kept.
#
#   tests/migration/check-report.sh BUILD
set -u
BUILD=${1:?usage: check-report.sh BUILD}
DIR=$BUILD/report-check
rm -rf "$DIR"
out=$(timeout 120 "$BUILD/bin/vmport-stress" --bin "$BUILD/bin" \
      --guest "$BUILD/tests/migration/guest_channels" --guests 3 \
      --parallel 2 --seconds 6 --seed "${STRESS_SEED:-$RANDOM}" \
      --report "$DIR" --quiet 2>&1)
rc=$?
if [ $rc != 0 ] || [ ! -s "$DIR/report.json" ] || [ ! -s "$DIR/report.html" ]; then
    echo "$out"
    echo "FAIL report_written: expected exit 0, report.json and report.html, seen $rc and $(ls "$DIR" 2>/dev/null | tr '\n' ' ')"
    echo "report tests: 0 passed, 1 failed"
    exit 1
fi
echo "PASS report_written"
page=$(timeout 180 python3 "$(dirname "$0")/check-report-page.py" \
       "$DIR/report.html" "$DIR/screenshot.png" 2>&1)
rc=$?
echo "$page"
echo "screenshot: $DIR/screenshot.png"
p=$(( $(grep -c '^PASS' <<<"$page") + 1 ))
f=$(grep -c '^FAIL' <<<"$page")
[ $rc != 0 ] && [ "$f" = 0 ] && f=1
echo "report tests: $p passed, $f failed"
[ "$f" = 0 ]

# make demo (scripts/demo) explains itself: every step prints one
# "shows:" line saying what it demonstrates and what to expect, and the
# unset key's step says its "No value found" is the expected answer.  Run
# without the stress part (DEMO_STRESS=0), which check-migration covers.

test_demo_explains_each_step() {
    local out=$WORK/demo.out
    BIN=$(realpath "$BUILD/bin") DEMO_STRESS=0 bash scripts/demo >"$out" 2>&1
    local rc=$? why
    why=$(awk '
        /^== / { steps++; want = 1; next }
        want { if ($0 !~ /^   shows: .*expect/) bad = bad " [" prev "]"; want = 0 }
        { prev = $0 }
        /^   shows: / && !first { first = $0 }
        END {
            if (steps < 5) print "expected at least 5 steps, seen " steps
            if (bad != "") print "steps without a shows/expect line:" bad
            if (first !~ /No value found/ || first !~ /expected/)
                print "the unset-key step does not say \"No value found\" is expected: " first
        }' "$out")
    if [ $rc != 0 ]; then
        ko demo_explains_each_step "expected exit 0, seen $rc ($(tail -3 "$out"))"
    elif [ -n "$why" ]; then
        ko demo_explains_each_step "$why"
    elif ! grep -A2 '^\$ .*info-get guestinfo.joejoel' "$out" | head -3 |
            grep -q '^No value found' ||
         ! grep -q '^(exit 1)' "$out"; then
        ko demo_explains_each_step "expected the unset key's 'No value found' and exit 1, seen $(head -c 400 "$out")"
    elif ! grep -q 'guestinfo.joejoel = "short"' "$out"; then
        ko demo_explains_each_step "expected the dump to show guestinfo.joejoel = \"short\""
    elif ! grep -A1 'step "migrate-stress' scripts/demo | grep -q 'expect'; then
        ko demo_explains_each_step "expected the stress step to say what to expect"
    else
        ok demo_explains_each_step
    fi
}

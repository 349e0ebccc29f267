# The ptrace engine on its own, against the trivial stand-in device model.

test_engine_answers_cpuid_and_getversion_through_standin() {
    expect_out engine_standin 0 "sig=VMwareVMware version=6 magic=0x564d5868" \
        -- "$STANDIN" -- "$GUESTS/guest_getversion" 100
}

test_engine_passes_unrelated_segfault_through() {
    # No host: the guest's `in` is a plain SIGSEGV; under the stand-in a
    # wrong port is "not ours" and must reach the guest the same way.
    "$STANDIN" -- "$GUESTS/guest_badport" >/dev/null 2>&1
    local rc=$?
    if [ "$rc" = 139 ]; then
        ok engine_passthrough
    else
        ko engine_passthrough "expected exit 139 (SIGSEGV), seen $rc"
    fi
}

test_engine_follows_fork_and_exec() {
    expect_out engine_fork_exec 0 "sig=VMwareVMware version=6 magic=0x564d5868" \
        -- "$STANDIN" -- /bin/sh -c "$GUESTS/guest_getversion 5 | cat"
}

test_threads_share_cpuid_breakpoints_and_backdoor() {
    expect_out threads 0 "threads: 4 x 2000 ok" \
        -- "$HOST" -- "$GUESTS/guest_threads" 4 2000
}

test_cpuid_bytes_inside_immediates_are_left_alone() {
    expect_out cpuid_in_imm 0 "imm64=0x1122a20f33445566 imm32=0x33a20f11" \
        -- "$HOST" -- "$GUESTS/guest_imm"
}

test_guest_cannot_get_real_port_access() {
    expect_out no_iopl 0 "iopl=EPERM ioperm=EPERM" \
        -- "$HOST" -- "$GUESTS/guest_iopl"
}

test_hwver_below_7_hides_the_vmware_cpuid_leaves() {
    local out
    out=$("$HOST" --hwver 6 -- "$GUESTS/guest_getversion" 2>&1)
    case "$out" in
    sig=VMwareVMware*) ko hwver6 "expected the real CPU's 0x40000000 signature with --hwver 6, seen '$out'" ;;
    *version=6*) ok hwver6 ;;
    *) ko hwver6 "expected GETVERSION to work with --hwver 6, seen '$out'" ;;
    esac
}

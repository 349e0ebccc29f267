# fuzz_backdoor: random LB/HB register sequences across the channels of two
# domains (tests/fuzz/fuzz_backdoor.c).  The device model and the shim are
# compiled here with clang and the fuzzer's sanitizers, not taken from the
# gcc library.  Included before tests/fuzz/module.mk, which defines
# FUZZ_BUILD (build/fuzz), FUZZ_CC and FUZZ_CFLAGS; recipes expand late.

FUZZ_NAMES += fuzz_backdoor
FUZZ_BACKDOOR_SRCS := tests/fuzz/fuzz_backdoor.c $(DM_SRCS) $(SHIM_SRCS)

build/fuzz/fuzz_backdoor: $(FUZZ_BACKDOOR_SRCS) \
                          $(wildcard xen/arch/x86/hvm/vmware/*.h) \
                          $(wildcard xen/arch/x86/include/asm/hvm/*.h) \
                          $(shell find tests/shim/include -name '*.h')
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wno-unused-parameter $(DM_CPPFLAGS) \
	    $(FUZZ_BACKDOOR_SRCS) -pthread -lz -o $@

# Tests of vmport-host: guest programs of our own, the engine against a
# stand-in device model, and real open-vm-tools clients against the real
# device model (tests/host/run-tests.sh).

$(call use,tools/vmport-host/module.mk)
$(call use,tests/fuzz/module.mk)

HOST_TEST_DIR := $(BUILD)/tests/host
HOST_GUESTS := $(patsubst tests/host/%.c,$(HOST_TEST_DIR)/%,\
                 $(sort $(wildcard tests/host/guest_*.c)))
HOST_STANDIN := $(HOST_TEST_DIR)/vmport-host-standin
HOST_ENGINE_OBJS := $(filter-out %/dm_xen.o %/state_file.o,$(HOST_OBJS))

# Guests are never sanitised: ASan's own SIGSEGV handling would turn a
# declined backdoor access into a report instead of the plain #GP.
CFLAGS.guest = -std=gnu11 $(WARN) -O2 -g -D_GNU_SOURCE

$(HOST_GUESTS): $(HOST_TEST_DIR)/%: $(BUILD)/obj/guest/tests/host/%.o
	$(call link-with,$(CC),-lpthread)

# The stand-in and the benchmark are vmport-host code.
CFLAGS.host-test = $(CFLAGS.vmport-host)

$(HOST_STANDIN): $(HOST_ENGINE_OBJS) \
        $(BUILD)/obj/host-test/tests/host/standin_dm.o
	$(call link,$(CAPSTONE_LIBS))

.PHONY: check-host
# (guest_channels, tests/migration's guest, for --tclo-every)
check-host: $(HOST_BIN) $(HOST_STANDIN) $(HOST_GUESTS) $(BIN)/vmport-state \
            $(BUILD)/tests/migration/guest_channels
	@bash tests/host/run-tests.sh $(BUILD)

ALL_TARGETS += $(HOST_GUESTS) $(HOST_STANDIN)
CHECK_TARGETS += check-host

# make bench: the ptrace path beside raw ptrace and in-process emulation.
HOST_BENCH := $(HOST_TEST_DIR)/bench_host

$(HOST_BENCH): $(BUILD)/obj/host-test/tests/host/bench_host.o \
        $(filter-out %/main.o,$(HOST_OBJS)) $(DM_LIB) $(HOST_TOOL_LIBS)
	$(call link,$(HOST_LIBS))

.PHONY: bench-host
bench-host: $(HOST_BENCH) $(HOST_BIN) $(HOST_TEST_DIR)/guest_getversion
	$(HOST_BENCH) $(HOST_BIN) $(HOST_TEST_DIR)/guest_getversion

ALL_TARGETS += $(HOST_BENCH)
BENCH_TARGETS += bench-host

# libFuzzer: the CPUID breakpoint planter (tests/host/fuzz_cpuid_scan.c),
# built by tests/fuzz/module.mk's `make fuzz` with clang.
FUZZ_NAMES += fuzz_cpuid_scan
CC.fuzz-host = $(FUZZ_CC)
CFLAGS.fuzz-host = $(FUZZ_CFLAGS) -I$(HOST_DIR) $(CAPSTONE_CFLAGS)

$(FUZZ_BUILD)/fuzz_cpuid_scan: $(call objs,fuzz-host,\
        tests/host/fuzz_cpuid_scan.c $(HOST_DIR)/cpuid_bp.c $(HOST_DIR)/task.c)
	$(call fuzz-link,$(CAPSTONE_LIBS))

# Tests of vmport-host: guest programs of our own, the engine against a
# stand-in device model, and real open-vm-tools clients against the real
# device model (tests/host/run-tests.sh).

HOST_TEST_DIR := $(BUILD)/tests/host
HOST_GUESTS := $(patsubst tests/host/%.c,$(HOST_TEST_DIR)/%,\
                 $(sort $(wildcard tests/host/guest_*.c)))
HOST_STANDIN := $(HOST_TEST_DIR)/vmport-host-standin
HOST_ENGINE_OBJS := $(filter-out %/dm_xen.o %/state_file.o,$(HOST_OBJS))

# Guests are never sanitised: ASan's own SIGSEGV handling would turn a
# declined backdoor access into a report instead of the plain #GP.
HOST_GUEST_CFLAGS := -std=gnu11 $(WARN) -O2 -g -D_GNU_SOURCE

$(HOST_TEST_DIR)/guest_%: tests/host/guest_%.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_GUEST_CFLAGS) $< -lpthread -o $@

$(BUILD)/obj/tests/host/standin_dm.o: tests/host/standin_dm.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(HOST_STANDIN): $(HOST_ENGINE_OBJS) $(BUILD)/obj/tests/host/standin_dm.o
	@mkdir -p $(dir $@)
	$(CC) $^ $(LDFLAGS_BASE) -lcapstone -o $@

.PHONY: check-host
check-host: $(HOST_BIN) $(HOST_STANDIN) $(HOST_GUESTS) $(BIN)/vmport-state
	@bash tests/host/run-tests.sh $(BUILD)

ALL_TARGETS += $(HOST_GUESTS) $(HOST_STANDIN)
CHECK_TARGETS += check-host

# make bench: the ptrace path beside raw ptrace and in-process emulation.
HOST_BENCH := $(HOST_TEST_DIR)/bench_host

$(HOST_BENCH): tests/host/bench_host.c $(filter-out %/main.o,$(HOST_OBJS)) $(DM_LIB) $(HOST_VS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $< $(filter-out %/main.o,$(HOST_OBJS)) $(DM_LIB) \
	    $(HOST_VS) $(LDFLAGS_BASE) $(HOST_LIBS) -o $@

.PHONY: bench-host
bench-host: $(HOST_BENCH) $(HOST_BIN) $(HOST_TEST_DIR)/guest_getversion
	$(HOST_BENCH) $(HOST_BIN) $(HOST_TEST_DIR)/guest_getversion

ALL_TARGETS += $(HOST_BENCH)
BENCH_TARGETS += bench-host

# libFuzzer: the CPUID breakpoint planter (tests/host/fuzz_cpuid_scan.c),
# built by tests/fuzz/module.mk's `make fuzz` with clang.
FUZZ_NAMES += fuzz_cpuid_scan
FUZZ_CPUID_SCAN_SRCS := tests/host/fuzz_cpuid_scan.c \
                        tools/vmport-host/cpuid_bp.c tools/vmport-host/task.c

build/fuzz/fuzz_cpuid_scan: $(FUZZ_CPUID_SCAN_SRCS) \
                            $(wildcard tools/vmport-host/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Itools/vmport-host $(FUZZ_CPUID_SCAN_SRCS) \
	    -lcapstone -o $@

# Benchmarks of the device model through the shim: cost per backdoor call
# and per RPC, printed beside memcpy of the same payload in the same run.
#
#   make bench                  every benchmark
#   make bench BENCH_SECONDS=1  longer runs per row (default 0.2 s)

$(call use,tests/unit/module.mk)

BENCH_SECONDS ?= 0.2
BENCH_DM := $(BIN)/bench-dm

$(BENCH_DM): $(BUILD)/obj/dm-test/tests/bench/bench_dm.o $(DM_LIB)
	$(call link,-lpthread)

.PHONY: bench-dm
bench-dm: $(BENCH_DM)
	$(BENCH_DM) $(BENCH_SECONDS)

ALL_TARGETS += $(BENCH_DM)
BENCH_TARGETS += bench-dm

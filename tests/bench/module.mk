# Benchmarks of the device model through the shim: cost per backdoor call
# and per RPC, printed beside memcpy of the same payload in the same run.
#
#   make bench                  every benchmark
#   make bench BENCH_SECONDS=1  longer runs per row (default 0.2 s)

BENCH_SECONDS ?= 0.2
BENCH_DM := $(BIN)/bench-dm

$(BENCH_DM): tests/bench/bench_dm.c $(DM_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(DM_CFLAGS) $< $(DM_LIB) $(LDFLAGS_BASE) -lpthread -o $@

.PHONY: bench-dm
bench-dm: $(BENCH_DM)
	$(BENCH_DM) $(BENCH_SECONDS)

ALL_TARGETS += $(BENCH_DM)
BENCH_TARGETS += bench-dm

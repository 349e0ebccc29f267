# Tests of the stream library and the vmport-state CLI: every
# tests/state/test_*.c is one `check` program linked with $(VS_LIB);
# test_cli.sh drives the built program (and Debian's verify-stream-v2).

STATE_SRCS := $(sort $(wildcard tests/state/test_*.c))
STATE_BINS := $(patsubst tests/state/%.c,$(BUILD)/tests/state/%,$(STATE_SRCS))
STATE_CFLAGS := $(VS_CFLAGS) $(shell pkg-config --cflags check 2>/dev/null)
STATE_LIBS := $(shell pkg-config --libs check 2>/dev/null) $(VS_LIBS)

$(BUILD)/tests/state/%: tests/state/%.c $(VS_LIB) tests/state/helpers.h
	@mkdir -p $(dir $@)
	$(CC) $(STATE_CFLAGS) -Itests/state $< $(VS_LIB) $(LDFLAGS_BASE) \
	    $(STATE_LIBS) -o $@

.PHONY: check-state
check-state: $(STATE_BINS) $(VS_BIN)
	@set -e; for t in $(STATE_BINS); do \
	    echo "== $$t"; CK_FORK=no $$t; \
	done
	@echo "== tests/state/test_cli.sh"; \
	    bash tests/state/test_cli.sh $(VS_BIN) $(BUILD)/tests/state/work

ALL_TARGETS += $(STATE_BINS)
CHECK_TARGETS += check-state

# make bench: tests/state/bench_state.c (ratios against cat and cp).
$(BUILD)/tests/state/bench_state: tests/state/bench_state.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $< $(LDFLAGS_BASE) -o $@

.PHONY: bench-state
bench-state: $(BUILD)/tests/state/bench_state $(VS_BIN)
	@mkdir -p $(BUILD)/bench/state
	$(BUILD)/tests/state/bench_state $(VS_BIN) $(BUILD)/bench/state

BENCH_TARGETS += bench-state

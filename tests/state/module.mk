# Tests of the stream library and the vmport-state CLI: every
# tests/state/test_*.c is one `check` program linked with $(STREAM_LIB);
# every tests/state/test_*.sh drives the built program (test_cli.sh also
# Debian's verify-stream-v2), each in its own work directory.

$(call use,tools/libs/stream/module.mk)
$(call use,tools/vmport-state/module.mk)
$(call use,tools/vmport-host/module.mk)
$(call use,tests/migration/module.mk)

# -Ixen/include: test_vs_limits reaches vmport-state's limits.h, which
# includes XEN_DMOP_vmport's ABI from its fragment as <public/hvm/...>.
CFLAGS.state-test = $(CFLAGS_BASE) $(STREAM_CPPFLAGS) -Ixen/include \
                    $(CHECK_CFLAGS)
STATE_SRCS := $(sort $(wildcard tests/state/test_*.c))
STATE_BINS := $(patsubst tests/state/%.c,$(BUILD)/tests/state/%,$(STATE_SRCS))

$(STATE_BINS): $(BUILD)/tests/state/%: \
        $(BUILD)/obj/state-test/tests/state/%.o $(STREAM_LIB)
	$(call link,$(CHECK_LIBS) $(STREAM_LIBS))

# vmport-state's reading and printing of the DMOP limits replies.
$(BUILD)/tests/state/test_vs_limits: \
        $(BUILD)/obj/vmport-state/tools/vmport-state/limits.o

.PHONY: check-state
check-state: $(STATE_BINS) $(VS_BIN)
	@set -e; for t in $(STATE_BINS); do \
	    echo "== $$t"; CK_FORK=no $$t; \
	done
	@set -e; for t in $(sort $(wildcard tests/state/test_*.sh)); do \
	    echo "== $$t"; \
	    bash $$t $(VS_BIN) $(BUILD)/tests/state/work-$$(basename $$t .sh); \
	done

ALL_TARGETS += $(STATE_BINS)
CHECK_TARGETS += check-state

# Bad inputs on all three programs (issue 12's closing note):
# tests/state/bad-inputs.sh asserts each exit status and the message that
# names the path or option; docs/bad-inputs.md is its table, checked in,
# and check-bad-inputs fails when the page no longer says what the
# programs say (make docs-bad-inputs rewrites it).
BAD_INPUTS_DEPS := $(VS_BIN) $(HOST_BIN) $(MIG_BIN) $(MIG_GUEST)

.PHONY: check-bad-inputs docs-bad-inputs
check-bad-inputs: $(BAD_INPUTS_DEPS)
	@echo "== tests/state/bad-inputs.sh"
	@bash tests/state/bad-inputs.sh $(BUILD) --check docs/bad-inputs.md \
	    >/dev/null

docs-bad-inputs: $(BAD_INPUTS_DEPS)
	bash tests/state/bad-inputs.sh $(BUILD) --write docs/bad-inputs.md \
	    >/dev/null

CHECK_TARGETS += check-bad-inputs

# make bench: tests/state/bench_state.c (ratios against cat and cp).
CFLAGS.state-bench = $(CFLAGS_BASE)

$(BUILD)/tests/state/bench_state: \
        $(BUILD)/obj/state-bench/tests/state/bench_state.o
	$(call link,)

.PHONY: bench-state
bench-state: $(BUILD)/tests/state/bench_state $(VS_BIN)
	@mkdir -p $(BUILD)/bench/state
	$(BUILD)/tests/state/bench_state $(VS_BIN) $(BUILD)/bench/state

BENCH_TARGETS += bench-state

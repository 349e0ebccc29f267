# libFuzzer targets.  A module adds NAME to FUZZ_NAMES and provides a rule
# for $(FUZZ_BUILD)/NAME built with $(FUZZ_CC) $(FUZZ_CFLAGS); an optional
# seed corpus lives in tests/fuzz/corpus/NAME/ (files are never written
# there: new inputs go to build/fuzz/work/NAME).
#
#   make fuzz                 build every target
#   make fuzz-smoke           the short run that `make check` does
#   make fuzz-run NAME=x SECONDS=600

FUZZ_BUILD := build/fuzz
FUZZ_CC := $(CLANG)
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -D_GNU_SOURCE \
               -fno-strict-aliasing -fsanitize=fuzzer,address,undefined \
               -fno-sanitize-recover=all
FUZZ_SMOKE_SECONDS ?= 8

.PHONY: fuzz fuzz-smoke fuzz-run
fuzz: $(DEPS_STAMP) $(addprefix $(FUZZ_BUILD)/,$(FUZZ_NAMES))

fuzz-smoke: fuzz
	@set -e; for n in $(FUZZ_NAMES); do \
	    work=$(FUZZ_BUILD)/work/$$n; mkdir -p $$work; \
	    seeds=tests/fuzz/corpus/$$n; [ -d $$seeds ] || seeds=; \
	    echo "fuzz-smoke: $$n for $(FUZZ_SMOKE_SECONDS)s"; \
	    $(FUZZ_BUILD)/$$n -max_total_time=$(FUZZ_SMOKE_SECONDS) -timeout=10 \
	        -artifact_prefix=$(FUZZ_BUILD)/$$n- -print_final_stats=0 \
	        $$work $$seeds 2>$(FUZZ_BUILD)/$$n.log \
	        || { tail -40 $(FUZZ_BUILD)/$$n.log; exit 1; }; \
	    grep -E '^#[0-9]+.*DONE' $(FUZZ_BUILD)/$$n.log | tail -1; \
	done

fuzz-run: fuzz
	@mkdir -p $(FUZZ_BUILD)/work/$(NAME)
	$(FUZZ_BUILD)/$(NAME) -max_total_time=$(or $(SECONDS),600) \
	    -artifact_prefix=$(FUZZ_BUILD)/$(NAME)- \
	    $(FUZZ_BUILD)/work/$(NAME) $(wildcard tests/fuzz/corpus/$(NAME))

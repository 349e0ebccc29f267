# libFuzzer targets, built with clang and the fuzzer's sanitizers into
# $(FUZZ_BUILD).  A module adds NAME to FUZZ_NAMES and a rule for
# $(FUZZ_BUILD)/NAME that links objects of units compiled with
# CC.<unit> = $(FUZZ_CC), CFLAGS.<unit> = $(FUZZ_CFLAGS) ...; an optional
# seed corpus lives in tests/fuzz/corpus/NAME/ (files are never written
# there: new inputs go to $(FUZZ_BUILD)/work/NAME).
#
#   make fuzz                 build every target
#   make fuzz-smoke           the short run that `make check` does
#   make fuzz-run NAME=x SECONDS=600

$(call use,xen/module.mk)
$(call use,tools/libs/stream/module.mk)
$(call use,tools/libs/record/module.mk)

FUZZ_BUILD := $(BUILD)/fuzz
FUZZ_CC := $(CLANG)
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -D_GNU_SOURCE \
               -fno-strict-aliasing -fsanitize=fuzzer,address,undefined \
               -fno-sanitize-recover=all
fuzz-link = $(call link-with,$(FUZZ_CC) $(FUZZ_CFLAGS),$(1))
FUZZ_SMOKE_SECONDS ?= 8

# Hypervisor code (the device model and the shim) rebuilt with the
# fuzzer's instrumentation, not taken from the gcc library.
CC.fuzz-dm = $(FUZZ_CC)
CFLAGS.fuzz-dm = $(FUZZ_CFLAGS) -Wno-unused-parameter $(XEN_SHIM_CPPFLAGS) \
                 $(DM_SHARED_CPPFLAGS)
FUZZ_DM_OBJS := $(call objs,fuzz-dm,$(DM_SRCS) $(SHIM_SRCS))

# fuzz_backdoor: random LB/HB register sequences across the channels of
# two domains.  fuzz_record_load: the hypervisor's record loader.
FUZZ_NAMES += fuzz_backdoor fuzz_record_load

$(FUZZ_BUILD)/fuzz_backdoor: $(call objs,fuzz-dm,tests/fuzz/fuzz_backdoor.c) \
        $(FUZZ_DM_OBJS)
	$(call fuzz-link,-pthread $(ZLIB_LIBS))

$(FUZZ_BUILD)/fuzz_record_load: \
        $(call objs,fuzz-dm,tests/fuzz/fuzz_record_load.c) $(FUZZ_DM_OBJS)
	$(call fuzz-link,)

# The tools' libraries rebuilt the same way.
CC.fuzz-tools = $(FUZZ_CC)
CFLAGS.fuzz-tools = $(FUZZ_CFLAGS) $(STREAM_CPPFLAGS) $(RECORD_CPPFLAGS) \
                    $(DM_SHARED_CPPFLAGS) $(JSONC_CFLAGS) $(ZLIB_CFLAGS) \
                    $(LZMA_CFLAGS)
FUZZ_REC_OBJS := $(call objs,fuzz-tools,$(RECORD_SRCS))
FUZZ_VS_OBJS := $(call objs,fuzz-tools,$(STREAM_SRCS))

# fuzz_record_parse: the tools' record parser.  Seeds: the golden records
# (tests/fuzz/corpus/fuzz_record_parse/ links).
FUZZ_NAMES += fuzz_record_parse

$(FUZZ_BUILD)/fuzz_record_parse: \
        $(call objs,fuzz-tools,tests/fuzz/fuzz_record_parse.c) $(FUZZ_REC_OBJS)
	$(call fuzz-link,$(JSONC_LIBS) $(ZLIB_LIBS))

# fuzz_state_KIND: the stream library's parsers, tests/fuzz/fuzz_state.c
# built once per parser with that parser's magic as the input prefix.
# Seeds: tests/fuzz/corpus/fuzz_state_*/ (generated images minus prefix).
FUZZ_STATE_KINDS := xl libxl libxc hvm gzip
FUZZ_NAMES += $(addprefix fuzz_state_,$(FUZZ_STATE_KINDS))

FUZZ_PREFIX_xl := "Xen saved domain, xl format\n \0 \r"
FUZZ_PREFIX_libxl := "LibxlFmt"
FUZZ_PREFIX_libxc := "\xff\xff\xff\xff\xff\xff\xff\xffXENF"
FUZZ_PREFIX_hvm := "\x01\x00\x00\x00\x18\x00\x00\x00\x86\x12\x38\x54"
FUZZ_PREFIX_gzip := "\x1f\x8b"

define fuzz_state_rule
CC.fuzz-state-$(1) = $$(FUZZ_CC)
CFLAGS.fuzz-state-$(1) = $$(CFLAGS.fuzz-tools) \
                         '-DFUZZ_PREFIX=$$(FUZZ_PREFIX_$(1))'
$$(FUZZ_BUILD)/fuzz_state_$(1): \
        $$(call objs,fuzz-state-$(1),tests/fuzz/fuzz_state.c) \
        $$(FUZZ_VS_OBJS) $$(FUZZ_REC_OBJS)
	$$(call fuzz-link,$$(JSONC_LIBS) $$(STREAM_LIBS))
endef
$(foreach k,$(FUZZ_STATE_KINDS),$(eval $(call fuzz_state_rule,$(k))))

# Other modules add their targets to FUZZ_NAMES: expanded once all are read.
.PHONY: fuzz fuzz-smoke fuzz-run
fuzz: $(DEPS_STAMP) $$(addprefix $(FUZZ_BUILD)/,$$(FUZZ_NAMES))

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

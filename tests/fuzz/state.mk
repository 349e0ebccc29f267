# libFuzzer targets for the vmport-state parsers (tests/fuzz/fuzz_state.c
# built once per parser with that parser's magic as the input prefix).
# Seeds: tests/fuzz/corpus/fuzz_state_*/ (generated images minus prefix).

FUZZ_STATE_KINDS := xl libxl libxc hvm gzip
FUZZ_NAMES += $(addprefix fuzz_state_,$(FUZZ_STATE_KINDS))
FUZZ_STATE_SRCS := tests/fuzz/fuzz_state.c \
    $(wildcard tools/vmport-state/lib/*.c) xen/arch/x86/hvm/vmware/record.c
FUZZ_STATE_DEPS := $(FUZZ_STATE_SRCS) $(wildcard tools/vmport-state/lib/*.h) \
    xen/include/public/arch-x86/hvm/vmporttype.h
FUZZ_STATE_FLAGS = $(FUZZ_CFLAGS) -Itools/vmport-state/lib -Ixen/include \
    $(shell pkg-config --cflags json-c 2>/dev/null)
FUZZ_STATE_LIBS = $(shell pkg-config --libs json-c 2>/dev/null) -lz

# The prefix each target puts in front of the fuzzer's bytes.
FUZZ_PREFIX_xl := "Xen saved domain, xl format\n \0 \r"
FUZZ_PREFIX_libxl := "LibxlFmt"
FUZZ_PREFIX_libxc := "\xff\xff\xff\xff\xff\xff\xff\xffXENF"
FUZZ_PREFIX_hvm := "\x01\x00\x00\x00\x18\x00\x00\x00\x86\x12\x38\x54"
FUZZ_PREFIX_gzip := "\x1f\x8b"

define fuzz_state_rule
build/fuzz/fuzz_state_$(1): $(FUZZ_STATE_DEPS)
	@mkdir -p $$(dir $$@)
	$$(FUZZ_CC) $$(FUZZ_STATE_FLAGS) '-DFUZZ_PREFIX=$(FUZZ_PREFIX_$(1))' \
	    $(FUZZ_STATE_SRCS) $$(FUZZ_STATE_LIBS) -o $$@
endef
$(foreach k,$(FUZZ_STATE_KINDS),$(eval $(call fuzz_state_rule,$(k))))

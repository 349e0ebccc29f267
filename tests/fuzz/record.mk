# Fuzz targets of the VMPORT record: the hypervisor loader (the device
# model and shim rebuilt with the fuzzer's instrumentation) and the tools'
# parser.  Seeds: the golden records (tests/fuzz/corpus/<name>/ links).

FUZZ_NAMES += fuzz_record_load fuzz_record_parse
# Included before tests/fuzz/module.mk, which sets the same value.
FUZZ_BUILD ?= build/fuzz

FUZZ_REC_DM_OBJS := $(patsubst %.c,$(FUZZ_BUILD)/record-obj/%.o,\
                      $(sort $(wildcard xen/arch/x86/hvm/vmware/*.c)) \
                      $(sort $(wildcard tests/shim/*.c)))
FUZZ_REC_TOOLS_SRCS := $(addprefix tools/vmport-state/lib/,vmport-record.c \
                         vmport-record-edit.c vmport-record-json.c) \
                       xen/arch/x86/hvm/vmware/record.c

$(FUZZ_BUILD)/record-obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wno-unused-parameter -D__XEN__ \
	    -DVMPORT_SHIM -Itests/shim/include -Ixen/arch/x86/include \
	    -Ixen/include -c $< -o $@

$(FUZZ_BUILD)/fuzz_record_load: tests/fuzz/fuzz_record_load.c \
        $(FUZZ_REC_DM_OBJS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wno-unused-parameter -D__XEN__ \
	    -DVMPORT_SHIM -Itests/shim/include -Ixen/arch/x86/include \
	    -Ixen/include $^ -o $@

$(FUZZ_BUILD)/fuzz_record_parse: tests/fuzz/fuzz_record_parse.c \
        $(FUZZ_REC_TOOLS_SRCS) $(wildcard tools/vmport-state/lib/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Ixen/include -Itools/vmport-state/lib \
	    $(shell pkg-config --cflags json-c) tests/fuzz/fuzz_record_parse.c \
	    $(FUZZ_REC_TOOLS_SRCS) $(shell pkg-config --libs json-c) -lz -o $@

# vmport-state: the stream library ($(VS_LIB), public header
# tools/vmport-state/lib/vmport-state.h) and the CLI ($(BIN)/vmport-state).
#
# The library holds the stream walker/writer (lib/vs_*.c), the VMPORT
# record library (lib/vmport-record*.c) and the record walker shared with
# the hypervisor (xen/arch/x86/hvm/vmware/record.c, built in tools mode).
# Users: -Itools/vmport-state/lib -Ixen/include, link $(VS_LIB) $(VS_LIBS).

VS_DIR := tools/vmport-state
VS_LIB := $(BUILD)/lib/libvmport-state.a
VS_CPPFLAGS := -I$(VS_DIR) -I$(VS_DIR)/lib -Ixen/include \
               $(shell pkg-config --cflags json-c 2>/dev/null)
VS_CFLAGS := $(CFLAGS_BASE) $(VS_CPPFLAGS) -MMD -MP
VS_LIBS := $(shell pkg-config --libs json-c 2>/dev/null) -lz
VS_XEN_LIBS := -ldl    # libxenctrl/libxenlight: dlopen()ed by live.c

VS_LIB_SRCS := $(sort $(wildcard $(VS_DIR)/lib/*.c))
VS_LIB_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(VS_LIB_SRCS)) \
               $(BUILD)/obj/$(VS_DIR)/lib/record-walker.o
VS_CLI_SRCS := $(sort $(wildcard $(VS_DIR)/*.c))
VS_CLI_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(VS_CLI_SRCS))
VS_BIN := $(BIN)/vmport-state

$(BUILD)/obj/$(VS_DIR)/%.o: $(VS_DIR)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(VS_CFLAGS) -c $< -o $@

# The hypervisor's record walker, compiled for the tools (no __XEN__).
$(BUILD)/obj/$(VS_DIR)/lib/record-walker.o: xen/arch/x86/hvm/vmware/record.c
	@mkdir -p $(dir $@)
	$(CC) $(VS_CFLAGS) -c $< -o $@

$(VS_LIB): $(VS_LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(VS_BIN): $(VS_CLI_OBJS) $(VS_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(VS_CLI_OBJS) $(VS_LIB) $(LDFLAGS_BASE) $(VS_LIBS) \
	    $(VS_XEN_LIBS) -o $@

ALL_TARGETS += $(VS_LIB) $(VS_BIN)
INSTALL_BIN += $(VS_BIN)
INSTALL_MAN += docs/vmport-state.1

# vmport-state: the stream library ($(VS_LIB), public header
# tools/vmport-state/lib/vmport-state.h), the VMPORT record library
# ($(REC_LIB), lib/vmport-record.h) and the CLI ($(BIN)/vmport-state).
#
# The record library runs the record walker and writer the hypervisor
# uses: xen/arch/x86/hvm/vmware/record.c, compiled here in tools mode
# (no __XEN__; zlib's crc32).
# Users: -Itools/vmport-state/lib -Ixen/include, link $(VS_LIB) $(VS_LIBS).

$(call use,xen/module.mk)

VS_DIR := tools/vmport-state

REC_SRCS := $(sort $(wildcard $(VS_DIR)/lib/vmport-record*.c)) \
            $(DM_SHARED_SRCS)
CFLAGS.record = $(CFLAGS_BASE) -Ixen/include $(DM_SHARED_CPPFLAGS) -I$(VS_DIR)/lib \
                $(JSONC_CFLAGS) $(ZLIB_CFLAGS)
REC_OBJS := $(call objs,record,$(REC_SRCS))
REC_LIB := $(BUILD)/lib/libvmport-record.a
REC_LIBS = $(JSONC_LIBS) $(ZLIB_LIBS)

$(REC_LIB): $(REC_OBJS)
	$(archive)

VS_LIB_SRCS := $(sort $(wildcard $(VS_DIR)/lib/vs_*.c))
CFLAGS.stream = $(CFLAGS_BASE) -I$(VS_DIR)/lib -Ixen/include $(ZLIB_CFLAGS)
VS_LIB := $(BUILD)/lib/libvmport-state.a
VS_CPPFLAGS = -I$(VS_DIR)/lib -Ixen/include $(JSONC_CFLAGS)
VS_LIBS = $(JSONC_LIBS) $(ZLIB_LIBS)

$(VS_LIB): $(call objs,stream,$(VS_LIB_SRCS)) $(REC_OBJS)
	$(archive)

VS_CLI_SRCS := $(sort $(wildcard $(VS_DIR)/*.c))
CFLAGS.vmport-state = $(CFLAGS_BASE) -I$(VS_DIR) $(VS_CPPFLAGS)
VS_BIN := $(BIN)/vmport-state

# libxenctrl/libxenlight are dlopen()ed by live.c.
$(VS_BIN): $(call objs,vmport-state,$(VS_CLI_SRCS)) $(VS_LIB)
	$(call link,$(VS_LIBS) -ldl)

ALL_TARGETS += $(VS_LIB) $(REC_LIB) $(VS_BIN)
INSTALL_BIN += $(VS_BIN)
INSTALL_MAN += docs/vmport-state.1

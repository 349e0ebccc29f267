# vmport-state: the CLI ($(BIN)/vmport-state), one file per subcommand,
# on the stream library (tools/libs/stream) and the record library
# (tools/libs/record).  It includes only their public headers.

$(call use,tools/libs/stream/module.mk)
$(call use,tools/libs/record/module.mk)

VS_DIR := tools/vmport-state
VS_SRCS := $(sort $(wildcard $(VS_DIR)/*.c))
CFLAGS.vmport-state = $(CFLAGS_BASE) $(STREAM_CPPFLAGS) $(RECORD_CPPFLAGS) \
                      $(JSONC_CFLAGS)
VS_BIN := $(BIN)/vmport-state

# libxenctrl/libxenlight are dlopen()ed by live.c.
$(VS_BIN): $(call objs,vmport-state,$(VS_SRCS)) $(STREAM_LIB) $(RECORD_LIB)
	$(call link,$(STREAM_LIBS) $(RECORD_LIBS) -ldl)

ALL_TARGETS += $(VS_BIN)
INSTALL_BIN += $(VS_BIN)
INSTALL_MAN += docs/vmport-state.1

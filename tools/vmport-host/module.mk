# vmport-host: simulated Intel/AMD hosts that run unmodified VMware guest
# tools under ptrace against the device model (issue 5).
#
# dm_xen.c is the one file compiled against the shim (DM_CPPFLAGS); the
# rest is ordinary Linux user space and never sees Xen types.

HOST_DIR := tools/vmport-host
HOST_BIN := $(BIN)/vmport-host
HOST_SRCS := $(filter-out $(HOST_DIR)/dm_xen.c,$(sort $(wildcard $(HOST_DIR)/*.c)))
HOST_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(HOST_SRCS)) \
             $(BUILD)/obj/$(HOST_DIR)/dm_xen.o
HOST_CFLAGS := $(CFLAGS_BASE) -MMD -MP -I$(HOST_DIR) $(VS_CPPFLAGS)
HOST_LIBS := -lcapstone -lz

# The stream library (tools/vmport-state/module.mk, included before us).
HOST_VS := $(VS_LIB)
HOST_LIBS += $(VS_LIBS)

$(BUILD)/obj/$(HOST_DIR)/dm_xen.o: $(HOST_DIR)/dm_xen.c
	@mkdir -p $(dir $@)
	$(CC) $(DM_CFLAGS) -I$(HOST_DIR) -c $< -o $@

$(BUILD)/obj/$(HOST_DIR)/%.o: $(HOST_DIR)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(HOST_BIN): $(HOST_OBJS) $(DM_LIB) $(HOST_VS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_OBJS) $(DM_LIB) $(HOST_VS) $(LDFLAGS_BASE) $(HOST_LIBS) -o $@

ALL_TARGETS += $(HOST_BIN)
INSTALL_BIN += $(HOST_BIN)
INSTALL_MAN += $(HOST_DIR)/vmport-host.1

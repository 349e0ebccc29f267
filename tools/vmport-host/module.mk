# vmport-host: simulated Intel/AMD hosts that run unmodified VMware guest
# tools under ptrace against the device model (issue 5).
#
# dm_xen.c is the one file compiled as hypervisor code (against the shim);
# the rest is ordinary Linux user space and never sees Xen types.

$(call use,xen/module.mk)
$(call use,tools/libs/stream/module.mk)
$(call use,tools/libs/record/module.mk)

HOST_DIR := tools/vmport-host
HOST_BIN := $(BIN)/vmport-host
HOST_SRCS := $(filter-out $(HOST_DIR)/dm_xen.c,$(sort $(wildcard $(HOST_DIR)/*.c)))
CFLAGS.vmport-host = $(CFLAGS_BASE) -I$(HOST_DIR) $(STREAM_CPPFLAGS) \
                     $(RECORD_CPPFLAGS) $(CAPSTONE_CFLAGS)
CFLAGS.vmport-host-dm = $(XEN_SHIM_CFLAGS) -I$(HOST_DIR)
HOST_OBJS := $(call objs,vmport-host,$(HOST_SRCS)) \
             $(call objs,vmport-host-dm,$(HOST_DIR)/dm_xen.c)
HOST_TOOL_LIBS := $(RECORD_LIB) $(STREAM_LIB)
HOST_LIBS = $(CAPSTONE_LIBS) $(RECORD_LIBS) $(STREAM_LIBS)

$(HOST_BIN): $(HOST_OBJS) $(DM_LIB) $(HOST_TOOL_LIBS)
	$(call link,$(HOST_LIBS))

ALL_TARGETS += $(HOST_BIN)
INSTALL_BIN += $(HOST_BIN)
INSTALL_MAN += docs/vmport-host.1

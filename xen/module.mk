# The hypervisor-side device model (xen/arch/x86/hvm/vmware), compiled in
# user space against the shim, as Xen's tools/tests harnesses do, and
# archived with the shim into $(DM_LIB).

$(call use,tools/xen-shim/module.mk)

DM_DIR := xen/arch/x86/hvm/vmware
DM_SRCS := $(sort $(wildcard $(DM_DIR)/*.c))
CFLAGS.dm = $(XEN_SHIM_CFLAGS)
DM_LIB := $(BUILD)/lib/libvmport-dm.a

# The record walker/writer (record.c, record.h) is shared with the tools,
# as Xen shares xen/lib/x86 with libxenguest: the tools compile record.c
# from here, and reach its header by name as <vmware/record.h>.  Tests
# that look inside the model reach "vmware/private.h" the same way.
DM_SHARED_SRCS := $(DM_DIR)/record.c
DM_SHARED_CPPFLAGS := -Ixen/arch/x86/hvm

$(DM_LIB): $(call objs,dm,$(DM_SRCS)) $(SHIM_OBJS)
	$(archive)

ALL_TARGETS += $(DM_LIB)

# The hypervisor-side device model (xen/arch/x86/hvm/vmware), compiled in
# user space against the shim, as Xen's tools/tests harnesses do, and
# archived with the shim into $(DM_LIB).

$(call use,tests/shim/module.mk)

DM_DIR := xen/arch/x86/hvm/vmware
DM_SRCS := $(sort $(wildcard $(DM_DIR)/*.c))
CFLAGS.dm = $(XEN_SHIM_CFLAGS)
DM_LIB := $(BUILD)/lib/libvmport-dm.a

$(DM_LIB): $(call objs,dm,$(DM_SRCS)) $(SHIM_OBJS)
	$(archive)

ALL_TARGETS += $(DM_LIB)

# The hypervisor-side device model, compiled in user space against the shim
# of Xen internals in tests/shim (as Xen's tools/tests harnesses do).
#
# Include order matters: the shim's <xen/...> and <asm/...> come first, then
# this tree's real <asm/hvm/vmport.h> and <public/...> headers.

DM_DIR := xen/arch/x86/hvm/vmware
DM_SRCS := $(sort $(wildcard $(DM_DIR)/*.c))
SHIM_SRCS := $(sort $(wildcard tests/shim/*.c))

DM_CPPFLAGS := -D__XEN__ -DVMPORT_SHIM -Itests/shim/include \
               -Ixen/arch/x86/include -Ixen/include
# Xen builds without -Wextra; its callback signatures (portio_action_t,
# cpuid leaf handlers) routinely leave parameters unused.
DM_CFLAGS := $(CFLAGS_BASE) -Wno-unused-parameter $(DM_CPPFLAGS) -MMD -MP

DM_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(DM_SRCS) $(SHIM_SRCS))
DM_LIB := $(BUILD)/lib/libvmport-dm.a

$(BUILD)/obj/xen/%.o: xen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(DM_CFLAGS) -c $< -o $@

$(BUILD)/obj/tests/shim/%.o: tests/shim/%.c
	@mkdir -p $(dir $@)
	$(CC) $(DM_CFLAGS) -c $< -o $@

$(DM_LIB): $(DM_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

ALL_TARGETS += $(DM_LIB)

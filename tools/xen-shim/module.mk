# The shim of the Xen internals the device model uses (README.md here):
# how hypervisor code compiles in user space.  Its headers come first on
# the include path, so <xen/...>, <asm/...> and <public/...> resolve to the
# shim where it stands in for Xen and to this tree's real headers
# (asm/hvm/vmport.h, public/arch-x86/hvm/vmporttype.h) everywhere else.

SHIM_DIR := tools/xen-shim
SHIM_SRCS := $(sort $(wildcard $(SHIM_DIR)/*.c))
XEN_SHIM_CPPFLAGS := -D__XEN__ -DVMPORT_SHIM -I$(SHIM_DIR)/include \
                     -Ixen/arch/x86/include -Ixen/include
# Xen builds without -Wextra; its callback signatures (portio_action_t,
# cpuid leaf handlers) routinely leave parameters unused.
XEN_SHIM_CFLAGS = $(CFLAGS_BASE) -Wno-unused-parameter $(XEN_SHIM_CPPFLAGS)

CFLAGS.shim = $(XEN_SHIM_CFLAGS)
SHIM_OBJS := $(call objs,shim,$(SHIM_SRCS))

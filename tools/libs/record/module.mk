# The record library, libvmport-record.a (prefix vrec_): the VMPORT record
# as a C model - parse, verify, emit, convert between versions, edit,
# print, JSON (include/vmport-record.h).  It runs the walker and writer
# the hypervisor uses: xen/arch/x86/hvm/vmware/record.c, compiled here in
# tools mode (no __XEN__; zlib's crc32), as libxenguest compiles
# xen/lib/x86.
#
# Users: $(RECORD_CPPFLAGS), link $(RECORD_LIB) $(RECORD_LIBS).

$(call use,xen/module.mk)

RECORD_DIR := tools/libs/record
RECORD_SRCS := $(sort $(wildcard $(RECORD_DIR)/*.c)) $(DM_SHARED_SRCS)
RECORD_CPPFLAGS := -I$(RECORD_DIR)/include -Ixen/include
CFLAGS.record = $(CFLAGS_BASE) $(RECORD_CPPFLAGS) $(DM_SHARED_CPPFLAGS) \
                $(JSONC_CFLAGS) $(ZLIB_CFLAGS)
RECORD_LIB := $(BUILD)/lib/libvmport-record.a
RECORD_LIBS = $(JSONC_LIBS) $(ZLIB_LIBS)

$(RECORD_LIB): $(call objs,record,$(RECORD_SRCS))
	$(archive)

ALL_TARGETS += $(RECORD_LIB)

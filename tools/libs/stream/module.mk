# The stream library, libvmport-stream.a (prefix vs_): walks and writes
# xl save files, libxl and libxc migration streams, HVM context blobs and
# gzip of any of them (include/vmport-stream.h; the wire formats in
# include/vmport-stream-format.h).  It frames every HVM record and checks
# the standard Xen types; the VMPORT record's contents are checked by a
# checker its user registers (vs_add_hvm_checker()).
#
# Users: $(STREAM_CPPFLAGS), link $(STREAM_LIB) $(STREAM_LIBS).

STREAM_DIR := tools/libs/stream
STREAM_SRCS := $(sort $(wildcard $(STREAM_DIR)/*.c))
STREAM_CPPFLAGS := -I$(STREAM_DIR)/include
# -Ixen/include: <public/arch-x86/hvm/vmporttype.h> for the typecode.
CFLAGS.stream = $(CFLAGS_BASE) $(STREAM_CPPFLAGS) -Ixen/include $(ZLIB_CFLAGS) \
                $(LZMA_CFLAGS)
STREAM_LIB := $(BUILD)/lib/libvmport-stream.a
STREAM_LIBS = $(ZLIB_LIBS) $(LZMA_LIBS)

$(STREAM_LIB): $(call objs,stream,$(STREAM_SRCS))
	$(archive)

ALL_TARGETS += $(STREAM_LIB)

# The Xen 4.17 patch series (xen/patches/4.17, libxc-patches/4.17).
#
# check-patches: the series is well-formed and is what scripts/gen-xen-series
# writes from its sources (tests/patches/check-series), the HVM glue the
# series adds (xen/arch/x86/hvm/vmport.c, a real file) passes its unit tests
# through the shim (test_glue.c includes the file whole), and so do the
# XEN_DMOP_vmport handler (test_dmop.c includes its fragments of dm.c and
# public/hvm/dm_op.h) and libxl's option checks (test_libxl_options.c
# includes their fragments).

$(call use,tests/unit/module.mk)

PATCHES_BUILD := $(BUILD)/tests/patches
GLUE_TEST := $(PATCHES_BUILD)/test_glue

# The glue is reached by name (#include "vmport.c") through the
# -Ixen/arch/x86/hvm that dm-test already has for "vmware/private.h".
CFLAGS.glue-test = $(CFLAGS.dm-test)

$(GLUE_TEST): $(BUILD)/obj/glue-test/tests/patches/test_glue.o $(DM_LIB)
	$(call link,$(DM_TEST_LIBS))

# The hypervisor series' XEN_DMOP_vmport handler and its public structs:
# the fragments of dm.c and public/hvm/dm_op.h that patch 0007 places
# (xen/arch/x86/hvm/dm/, xen/include/public/hvm/dm_op/), reached by name
# through the -Ixen/arch/x86/hvm and -Ixen/include dm-test already has.
DMOP_TEST := $(PATCHES_BUILD)/test_dmop
CFLAGS.dmop-test = $(CFLAGS.dm-test)

$(DMOP_TEST): $(BUILD)/obj/dmop-test/tests/patches/test_dmop.o $(DM_LIB)
	$(call link,$(DM_TEST_LIBS))

# The toolstack series' option checks: the fragments of libxl_x86.c it adds
# (tools/xen-glue), reached by name (#include "libxl_x86/...") as
# test_glue.c reaches vmport.c; the ranges they check are the public
# header's (<public/arch-x86/hvm/vmporttype.h>, through -Ixen/include).
LIBXL_TEST := $(PATCHES_BUILD)/test_libxl_options
CFLAGS.libxl-test = $(CFLAGS_BASE) -Wno-unused-parameter $(CHECK_CFLAGS) \
                    -Itools/xen-glue/libs/light -Ixen/include

$(LIBXL_TEST): $(BUILD)/obj/libxl-test/tests/patches/test_libxl_options.o
	$(call link,$(CHECK_LIBS))

.PHONY: check-patches check-patches-series
check-patches-series:
	@bash tests/patches/check-series $(PATCHES_BUILD)/series

check-patches: check-patches-series $(GLUE_TEST) $(LIBXL_TEST) $(DMOP_TEST)
	@set -e; for t in $(GLUE_TEST) $(LIBXL_TEST) $(DMOP_TEST); do \
	    echo "== $$t"; CK_FORK=no $$t; \
	done

ALL_TARGETS += $(GLUE_TEST) $(LIBXL_TEST) $(DMOP_TEST)
CHECK_TARGETS += check-patches

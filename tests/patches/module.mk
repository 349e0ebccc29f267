# The Xen 4.17 patch series (xen/patches/4.17, libxc-patches/4.17).
#
# check-patches: the series is well-formed and is what scripts/gen-xen-series
# writes from its sources (tests/patches/check-series), the HVM glue the
# series adds (xen/arch/x86/hvm/vmport.c, a real file) passes its unit tests
# through the shim (test_glue.c includes the file whole), and so do libxl's
# option checks (test_libxl_options.c includes their fragments).

$(call use,tests/unit/module.mk)

PATCHES_BUILD := $(BUILD)/tests/patches
GLUE_TEST := $(PATCHES_BUILD)/test_glue

# The glue is reached by name (#include "vmport.c") through the
# -Ixen/arch/x86/hvm that dm-test already has for "vmware/private.h".
CFLAGS.glue-test = $(CFLAGS.dm-test)

$(GLUE_TEST): $(BUILD)/obj/glue-test/tests/patches/test_glue.o $(DM_LIB)
	$(call link,$(DM_TEST_LIBS))

# The hypervisor series' XEN_DMOP_vmport handler (dm.c) and its public
# structs, from the lines patch 0007 adds, run through the shim.
XEN_DMOP_PATCH := $(wildcard xen/patches/4.17/0007-*.patch)
DMOP_INC := $(PATCHES_BUILD)/dmop-vmport.inc
DMOP_TEST := $(PATCHES_BUILD)/test_dmop

$(DMOP_INC): $(XEN_DMOP_PATCH) tests/patches/added-lines \
             tests/patches/extract-functions
	@mkdir -p $(dir $@)
	awk -v file=xen/include/public/hvm/dm_op.h -f tests/patches/added-lines \
	    $(XEN_DMOP_PATCH) | sed -n '/^#define XEN_DMOP_vmport /,/^};/p;/^struct xen_dm_op_vmport_/,/^};/p' \
	    > $@.tmp
	awk -v file=xen/arch/x86/hvm/dm.c -f tests/patches/added-lines \
	    $(XEN_DMOP_PATCH) > $@.added
	awk -v names="copy_to_guest_buf vmport_key_from_guest vmport_val_alloc dm_op_vmport_gi dm_op_vmport_limits dm_op_vmport" \
	    -f tests/patches/extract-functions $@.added > $@.fns
	grep '^#define VMPORT_LIMIT_FIELDS' -A3 $@.added >> $@.tmp
	cat $@.fns >> $@.tmp
	mv $@.tmp $@

CFLAGS.dmop-test = $(CFLAGS.dm-test) -I$(PATCHES_BUILD)
$(BUILD)/obj/dmop-test/tests/patches/test_dmop.o: $(DMOP_INC)

$(DMOP_TEST): $(BUILD)/obj/dmop-test/tests/patches/test_dmop.o $(DM_LIB)
	$(call link,$(DM_TEST_LIBS))

# The toolstack series' option checks: the fragments of libxl_x86.c it adds
# (tools/xen-glue), reached by name (#include "libxl_x86/...") as
# test_glue.c reaches vmport.c.
LIBXL_TEST := $(PATCHES_BUILD)/test_libxl_options
CFLAGS.libxl-test = $(CFLAGS_BASE) -Wno-unused-parameter $(CHECK_CFLAGS) \
                    -Itools/xen-glue/libs/light

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

# The Xen 4.17 patch series (xen/patches/4.17, libxc-patches/4.17).
#
# check-patches: the series is well-formed and its file-adding patches match
# the tree (tests/patches/check-series), and the HVM glue the series adds
# (xen/arch/x86/hvm/vmport.c) passes its unit tests through the shim.  The
# glue is not copied into this repository: it is rebuilt from the patches
# by applying them to an empty directory, then the functions under test are
# extracted from the result.

$(call use,tests/unit/module.mk)

PATCHES_BUILD := $(BUILD)/tests/patches
XEN_SERIES := $(sort $(wildcard xen/patches/4.17/[0-9][0-9][0-9][1-9]-*.patch))
GLUE_TREE := $(PATCHES_BUILD)/tree
GLUE_FILE := xen/arch/x86/hvm/vmport.c
GLUE_FUNCTIONS := vmport_fetch vmport_retire vmport_emulate \
                  hvm_vmport_string_io hvm_vmport_gp_intercept \
                  vmport_shows_cpuid hvm_vmport_xen_cpuid_base \
                  hvm_vmport_cpuid
GLUE_INC := $(PATCHES_BUILD)/vmport-glue.inc
GLUE_TEST := $(PATCHES_BUILD)/test_glue

# The toolstack series' option validation, from the lines it adds.
TOOLS_SERIES := $(sort $(wildcard libxc-patches/4.17/[0-9][0-9][0-9][1-9]-*.patch))
LIBXL_FILE := tools/libs/light/libxl_x86.c
LIBXL_INC := $(PATCHES_BUILD)/libxl-options.inc
LIBXL_TEST := $(PATCHES_BUILD)/test_libxl_options

# Every patch's hunks for the glue file, in series order, on an empty tree
# (GIT_CEILING_DIRECTORIES keeps git apply from treating it as part of this
# repository).
$(GLUE_INC): $(XEN_SERIES) tests/patches/extract-functions
	@rm -rf $(GLUE_TREE) && mkdir -p $(GLUE_TREE)
	@set -e; for p in $(XEN_SERIES); do \
	    (cd $(GLUE_TREE) && \
	     GIT_CEILING_DIRECTORIES=$(abspath $(PATCHES_BUILD)) \
	     git apply --include='$(GLUE_FILE)' $(abspath $$p)); \
	done
	@test -f $(GLUE_TREE)/$(GLUE_FILE) || \
	    { echo "check-patches: no patch adds $(GLUE_FILE)" >&2; exit 1; }
	awk -v names="$(GLUE_FUNCTIONS)" -f tests/patches/extract-functions \
	    $(GLUE_TREE)/$(GLUE_FILE) > $@.tmp && mv $@.tmp $@

CFLAGS.glue-test = $(CFLAGS.dm-test) -I$(PATCHES_BUILD)
$(BUILD)/obj/glue-test/tests/patches/test_glue.o: $(GLUE_INC)

$(GLUE_TEST): $(BUILD)/obj/glue-test/tests/patches/test_glue.o $(DM_LIB)
	$(call link,$(DM_TEST_LIBS))

$(LIBXL_INC): $(TOOLS_SERIES) tests/patches/added-lines \
              tests/patches/extract-functions
	@mkdir -p $(dir $@)
	awk -v file=$(LIBXL_FILE) -f tests/patches/added-lines $(TOOLS_SERIES) \
	    > $@.added
	{ grep '^#define VMWARE_HWVER_' $@.added && \
	  awk -v names=vmware_port_setdefault \
	      -f tests/patches/extract-functions $@.added; } > $@.tmp
	mv $@.tmp $@

CFLAGS.libxl-test = $(CFLAGS_BASE) -Wno-unused-parameter $(CHECK_CFLAGS) \
                    -I$(PATCHES_BUILD)
$(BUILD)/obj/libxl-test/tests/patches/test_libxl_options.o: $(LIBXL_INC)

$(LIBXL_TEST): $(BUILD)/obj/libxl-test/tests/patches/test_libxl_options.o
	$(call link,$(CHECK_LIBS))

.PHONY: check-patches check-patches-series
check-patches-series:
	@bash tests/patches/check-series $(PATCHES_BUILD)/series

check-patches: check-patches-series $(GLUE_TEST) $(LIBXL_TEST)
	@set -e; for t in $(GLUE_TEST) $(LIBXL_TEST); do \
	    echo "== $$t"; CK_FORK=no $$t; \
	done

ALL_TARGETS += $(GLUE_TEST) $(LIBXL_TEST)
CHECK_TARGETS += check-patches

# The Xen 4.17 patch series (xen/patches/4.17, libxc-patches/4.17).
#
# check-patches: the series is well-formed and its file-adding patches match
# the tree (tests/patches/check-series), and the HVM glue the series adds
# (xen/arch/x86/hvm/vmport.c) passes its unit tests through the shim.  The
# glue is not copied into this repository: it is rebuilt from the patches
# by applying them to an empty directory, then the functions under test are
# extracted from the result.

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

$(GLUE_TEST): tests/patches/test_glue.c $(GLUE_INC) $(DM_LIB) \
              $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -Itests/unit -I$(PATCHES_BUILD) $< $(DM_LIB) \
	    $(LDFLAGS_BASE) $(UNIT_LIBS) -o $@

.PHONY: check-patches check-patches-series
check-patches-series:
	@bash tests/patches/check-series $(PATCHES_BUILD)/series

check-patches: check-patches-series $(GLUE_TEST)
	@echo "== $(GLUE_TEST)"; CK_FORK=no $(GLUE_TEST)

ALL_TARGETS += $(GLUE_TEST)
CHECK_TARGETS += check-patches

# Unit tests of the device model through the shim: every tests/unit/test_*.c
# is one `check` program linked with the device model library.  They run in
# the plain build and, through `make check`, again under ASan+UBSan.
#
# The unit `dm-test` (hypervisor code in user space, plus check and the
# harness headers) also builds the record, patch and benchmark programs
# that drive the device model.

$(call use,xen/module.mk)

CFLAGS.dm-test = $(XEN_SHIM_CFLAGS) $(CHECK_CFLAGS) $(DM_SHARED_CPPFLAGS) \
                 -Itests/unit -Itests/record
DM_TEST_LIBS = $(CHECK_LIBS) $(ZLIB_LIBS)

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(UNIT_SRCS))

$(UNIT_BINS): $(BUILD)/tests/unit/%: \
        $(BUILD)/obj/dm-test/tests/unit/%.o $(DM_LIB)
	$(call link,$(DM_TEST_LIBS))

.PHONY: check-unit
check-unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do \
	    echo "== $$t"; CK_FORK=no $$t; \
	done

ALL_TARGETS += $(UNIT_BINS)
CHECK_TARGETS += check-unit

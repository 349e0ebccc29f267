# Unit tests of the device model through the shim: every tests/unit/test_*.c
# is one `check` program linked with the device model library.  They run in
# the plain build and, through `make check`, again under ASan+UBSan.

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(UNIT_SRCS))
UNIT_CFLAGS := $(DM_CFLAGS) $(shell pkg-config --cflags check 2>/dev/null)
UNIT_LIBS := $(shell pkg-config --libs check 2>/dev/null) -lz

$(BUILD)/tests/unit/%: tests/unit/%.c $(DM_LIB) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -Itests/unit $< $(DM_LIB) $(LDFLAGS_BASE) $(UNIT_LIBS) -o $@

.PHONY: check-unit
check-unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do \
	    echo "== $$t"; CK_FORK=no $$t; \
	done

ALL_TARGETS += $(UNIT_BINS)
CHECK_TARGETS += check-unit

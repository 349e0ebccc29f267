# xen-vmport: GNU make, no generated build system.
#
#   make            build everything into build/ (programs in build/bin/)
#   make check      every test, also under ASan+UBSan (build/san/)
#   make bench      the benchmarks, printing side-by-side ratios
#   make demo       the main job
#   make soak       1,000+ migrations of vmport-stress (not in make check)
#   make install    honours PREFIX and DESTDIR
#
# Each component adds itself through its module.mk: it appends programs to
# ALL_TARGETS, test runners to CHECK_TARGETS and benchmarks to BENCH_TARGETS.
# Every object is compiled by the one rule in mk/rules.mk, with the flags
# its unit's module.mk declares (CFLAGS.<unit>).

SHELL := /bin/bash
TOP := $(CURDIR)
BUILD ?= build
BIN := $(BUILD)/bin
PREFIX ?= /usr/local
DESTDIR ?=
SAN ?=

CC ?= gcc
ifeq ($(origin CC),default)
CC := gcc
endif
CLANG ?= clang

WARN := -Wall -Wextra -Werror
OPT ?= -O2 -g
# What every program's --version prints.
VERSION := 0.1
CFLAGS_BASE := -std=gnu11 $(WARN) $(OPT) -D_GNU_SOURCE -fno-strict-aliasing \
               -DXEN_VMPORT_VERSION='"$(VERSION)"'
ifneq ($(SAN),)
CFLAGS_BASE += -fsanitize=address,undefined -fno-sanitize-recover=all \
               -fno-omit-frame-pointer
LDFLAGS_BASE += -fsanitize=address,undefined
endif

ALL_TARGETS :=
CHECK_TARGETS :=
BENCH_TARGETS :=
INSTALL_BIN :=
INSTALL_MAN :=

.PHONY: all check check-build check-run check-san bench demo install clean deps fuzz
all:

# Dependencies: installed with apt-get when root, otherwise named exactly.
DEPS_STAMP := $(BUILD)/.deps-ok
$(DEPS_STAMP): scripts/ensure-deps
	@bash scripts/ensure-deps
	@mkdir -p $(BUILD) && touch $@
deps: $(DEPS_STAMP)

include mk/rules.mk

# Every module, each read once; a module that uses another's variables
# reads it first itself ($(call use,...)), so this list is in no order -
# except that tests/xen/module.mk, which looks for vmport-state in
# ALL_TARGETS, stays after tools/vmport-state.  A missing module is an
# error.
MODULES := xen/module.mk tools/xen-shim/module.mk \
           tools/libs/stream/module.mk tools/libs/record/module.mk \
           tools/vmport-state/module.mk tools/vmport-host/module.mk \
           tests/unit/module.mk tests/record/module.mk tests/state/module.mk \
           tests/host/module.mk tests/patches/module.mk \
           tests/bench/module.mk tests/migration/module.mk \
           tests/xen/module.mk tests/fuzz/module.mk tests/man/module.mk
$(foreach m,$(MODULES),$(call use,$(m)))

all: $(DEPS_STAMP) $(ALL_TARGETS)

# check: the plain build's tests, then the same tests under ASan+UBSan, then
# the fuzz smoke runs (clang/libFuzzer).  Each sub-run prints its own summary.
# The series boot (tests/xen/module.mk; about 20 minutes on one core: QEMU
# runs single-threaded) runs beside the last two, which use the other core;
# its output is printed when it ends.
check: $(DEPS_STAMP)
	@$(MAKE) --no-print-directory check-run
	@bash scripts/run-beside $(BUILD)/check-xen-series-boot.log \
	    '$(MAKE) --no-print-directory check-xen-series-boot-auto' \
	    '$(MAKE) --no-print-directory BUILD=build/san SAN=1 OPT="-O1 -g" check-run' \
	    '$(MAKE) --no-print-directory fuzz-smoke'
	@echo "make check: all suites passed"

check-run: $(DEPS_STAMP) $(ALL_TARGETS) $(CHECK_TARGETS)

bench: $(DEPS_STAMP) $(ALL_TARGETS) $(BENCH_TARGETS)

demo: $(DEPS_STAMP) all
	@bash scripts/demo

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	$(if $(INSTALL_BIN),install -m 0755 $(INSTALL_BIN) $(DESTDIR)$(PREFIX)/bin/)
	$(if $(INSTALL_MAN),install -m 0644 $(INSTALL_MAN) $(DESTDIR)$(PREFIX)/share/man/man1/)

clean:
	rm -rf build

# Automatic header dependencies for every object (not the Xen tree that
# tests/xen/build-xen-series unpacks and builds under $(BUILD)/xen-series).
-include $(shell find $(BUILD) -path $(BUILD)/xen-series -prune -o \
                 -name '*.d' -type f -print 2>/dev/null)

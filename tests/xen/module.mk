# check-xen: the project against real Xen 4.17 (Debian's, or
# XEN_HYPERVISOR=path/to/xen[.gz]) booted under QEMU with a Linux dom0; see
# tests/xen/run-check-xen.  check-xen-data: the real xl save image kept in
# tests/data/, checked with Xen's verify-stream-v2 and with vmport-state,
# which works on any machine.
#
# xen-series: Debian's Xen 4.17 source with both patch series applied,
# hypervisor and dom0 toolstack built, cached under $(BUILD)/xen-series/
# (tests/xen/build-xen-series).  check-xen-series: that hypervisor booted
# with that toolstack in dom0, vmport guests configured through xl.

XEN_CHECK_DIR := $(BUILD)/xen-check
XEN_VS := $(filter $(BIN)/vmport-state,$(ALL_TARGETS))
XEN_HYPERVISOR ?=

.PHONY: check-xen check-xen-auto check-xen-data

# The QEMU every boot runs under: Debian 12's source with
# tests/xen/qemu-patches (its SVM emulation delivers an injected interrupt
# twice otherwise), cached under $(BUILD)/qemu.  XEN_QEMU=path boots with
# another one.  $(XEN_QEMU_BIN) is a shell fragment for recipes.
XEN_QEMU ?=
XEN_QEMU_BIN = $$(if [ -n '$(XEN_QEMU)' ]; then echo '$(XEN_QEMU)'; else \
    bash scripts/ensure-deps qemu >&2 && bash tests/xen/build-qemu $(BUILD)/qemu; fi)

check-xen: $(XEN_VS)
	@qemu=$(XEN_QEMU_BIN) && \
	XEN_QEMU="$$qemu" XEN_HYPERVISOR='$(XEN_HYPERVISOR)' bash tests/xen/run-check-xen \
	    $(XEN_CHECK_DIR) $(BIN)/vmport-state

# For make check: run it where the machine can, say why not elsewhere.
check-xen-auto: $(XEN_VS)
	@if why=$$(bash tests/xen/run-check-xen --can-run); then \
	    $(MAKE) --no-print-directory check-xen; \
	else \
	    echo "check-xen: SKIPPED: $$why"; \
	fi

check-xen-data: $(XEN_VS)
	@bash tests/xen/check-data $(XEN_CHECK_DIR)/data $(BIN)/vmport-state

XEN_SERIES_DIR := $(BUILD)/xen-series

.PHONY: xen-series check-xen-series check-xen-series-auto bench-xen

xen-series:
	@bash scripts/ensure-deps xen-series
	@bash tests/xen/build-xen-series $(XEN_SERIES_DIR)

# The stress-xl step runs vmport-stress --backend xl in dom0 against a
# guest running guest_channels; both are built here and carried over.
$(call use,tests/migration/module.mk)
XEN_STRESS := $(MIG_BIN) $(MIG_GUEST)

check-xen-series: $(XEN_VS) $(XEN_STRESS)
	@bash scripts/ensure-deps xen-series
	@key=$$(bash tests/xen/build-xen-series $(XEN_SERIES_DIR)) && \
	qemu=$(XEN_QEMU_BIN) && \
	XEN_QEMU="$$qemu" XEN_GUEST_CHANNELS=$(MIG_GUEST) \
	XEN_SERIES="$$key" bash tests/xen/run-check-xen \
	    $(BUILD)/xen-check-series $(BIN)/vmport-state

# make check-series: the hypervisor series builds at every patch with
# CONFIG_HVM_VMPORT on and off (tests/xen/build-series-matrix): one
# incremental build of Debian's source per patch and setting, cached by
# the series' content; about 30 minutes cold, so not part of make check.
.PHONY: check-series
check-series:
	@bash scripts/ensure-deps xen-series
	@bash tests/xen/build-series-matrix $(XEN_SERIES_DIR)

# make qemu: the QEMU the boot tests use (above).  make qemu-new: trixie's
# (10.0) with the same fixes, for comparison, cached under
# $(BUILD)/qemu-new; boot with it through
# XEN_QEMU=$$(bash tests/xen/build-qemu --suite trixie $(BUILD)/qemu-new).
.PHONY: qemu qemu-new
qemu:
	@bash scripts/ensure-deps qemu
	@bash tests/xen/build-qemu $(BUILD)/qemu
qemu-new:
	@bash scripts/ensure-deps qemu
	@bash tests/xen/build-qemu --suite trixie $(BUILD)/qemu-new

# make bench-xen: xl save/restore/migrate of one guest with vmport off, on,
# and on with full guestinfo, side by side in one boot of the series
# (tests/xen/dom0-bench, tests/xen/bench-xen-report); not part of make
# check.  XEN_BENCH_ROUNDS (9) and XEN_BENCH_MEM (the guest's MiB, 96)
# size it.  The emulated machine runs with QEMU's -icount
# (XEN_BENCH_ICOUNT), its clocks counting its own instructions: timed by
# the host's clock, the host's other jobs moved single operations by a
# factor of two and more (tests/xen/README.md); XEN_BENCH_ICOUNT= times
# by the host's clock.
XEN_BENCH_ROUNDS ?=
XEN_BENCH_MEM ?=
XEN_BENCH_ICOUNT ?= shift=0,sleep=off
bench-xen: $(XEN_VS)
	@bash scripts/ensure-deps xen-series
	@key=$$(bash tests/xen/build-xen-series $(XEN_SERIES_DIR)) && \
	qemu=$(XEN_QEMU_BIN) && \
	XEN_QEMU="$$qemu" XEN_BENCH=1 CHECK_XEN_TIMEOUT=$${CHECK_XEN_TIMEOUT:-3600} \
	XEN_BENCH_ROUNDS='$(XEN_BENCH_ROUNDS)' XEN_BENCH_MEM='$(XEN_BENCH_MEM)' \
	XEN_QEMU_ICOUNT='$(XEN_BENCH_ICOUNT)' \
	XEN_SERIES="$$key" bash tests/xen/run-check-xen \
	    $(BUILD)/xen-bench $(BIN)/vmport-state

# For make check: the series is always fetched, applied and built (where
# the machine can), so a patch that stops applying or building fails the
# suite (check-xen-series-auto, in check-run).  Its boot
# (check-xen-series-boot-auto) runs beside the ASan+UBSan run (see check in
# the top Makefile); XEN_SERIES_BOOT=0 leaves it out, and `make
# check-xen-series` runs it alone.
XEN_SERIES_BOOT ?= 1

.PHONY: check-xen-series-boot-auto
check-xen-series-auto: $(XEN_VS) check-xen-auto
	@if ! why=$$(bash tests/xen/run-check-xen --can-run --series); then \
	    echo "check-xen-series: SKIPPED: $$why"; \
	else \
	    bash scripts/ensure-deps xen-series && \
	    bash tests/xen/build-xen-series $(XEN_SERIES_DIR) > /dev/null && \
	    echo "check-xen-series: the series applies to Debian's source and builds (hypervisor and toolstack)"; \
	fi

check-xen-series-boot-auto: $(XEN_VS) $(XEN_STRESS)
	@if ! why=$$(bash tests/xen/run-check-xen --can-run --series); then \
	    echo "check-xen-series: boot SKIPPED: $$why"; \
	elif [ "$(XEN_SERIES_BOOT)" != 1 ]; then \
	    echo "check-xen-series: boot SKIPPED: XEN_SERIES_BOOT=$(XEN_SERIES_BOOT) (make check-xen-series runs it)"; \
	else \
	    $(MAKE) --no-print-directory check-xen-series; \
	fi

CHECK_TARGETS += check-xen-data
ifeq ($(SAN),)
CHECK_TARGETS += check-xen-auto check-xen-series-auto
endif

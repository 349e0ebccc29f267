# tests/migration: the migrate-stress harness (docs/migrate-stress.md).
# vmport-stress drives vmport-host and vmport-state processes; the guest
# of our own, guest_channels, keeps several RPC channels busy at once.

$(call use,tools/vmport-host/module.mk)

MIG_DIR := tests/migration
MIG_BIN := $(BIN)/vmport-stress
MIG_SRCS := $(MIG_DIR)/stress_main.c $(MIG_DIR)/stress_migrate.c \
            $(MIG_DIR)/stress_proc.c $(MIG_DIR)/stress_report.c \
            $(MIG_DIR)/stress_record.c $(MIG_DIR)/stress_html.c \
            $(MIG_DIR)/stress_parallel.c $(MIG_DIR)/stress_xl.c \
            $(MIG_DIR)/stress_out.c $(MIG_DIR)/stress_stream.c \
            $(MIG_DIR)/stress_inv.c
CFLAGS.vmport-stress = $(CFLAGS_BASE) $(JSONC_CFLAGS)
MIG_GUEST := $(BUILD)/tests/migration/guest_channels

# The guest is never sanitised (ASan would take the #GP, as in
# tests/host); -mno-red-zone because its HB calls push %rbp.  Its clock
# check is tests/host/guest_clock.h, the one every guest of ours makes.
CFLAGS.mig-guest = -std=gnu11 $(WARN) -O2 -g -D_GNU_SOURCE -mno-red-zone \
                   -Itests/host

$(MIG_BIN): $(call objs,vmport-stress,$(MIG_SRCS))
	$(call link,$(JSONC_LIBS))

$(MIG_GUEST): $(BUILD)/obj/mig-guest/$(MIG_DIR)/guest_channels.o
	$(call link-with,$(CC),)

# A short bounded run: every fault point at least once, zero verification
# failures, every fault aborted with the guest back on its source.
# Under SAN=1 the hosts are several times slower, so the run is longer.
MIG_CHECK_SECONDS := $(if $(SAN),30,15)
MIG_CHECK_MAX_SECONDS := $(if $(SAN),70,45)

.PHONY: check-migration
check-migration: $(MIG_BIN) $(MIG_GUEST) $(HOST_BIN) $(VS_BIN)
	@STRESS_SECONDS=$(MIG_CHECK_SECONDS) STRESS_MAX_SECONDS=$(MIG_CHECK_MAX_SECONDS) bash $(MIG_DIR)/check-migration.sh \
	    $(BUILD)
	@bash $(MIG_DIR)/check-stress-cli.sh $(BUILD)

# The seeds of issue 13 (a handoff of the rpctool guest lost), bounded;
# make soak-seeds runs their full 1,000 migrations.
MIG_SEED_MIGRATIONS := $(if $(SAN),40,100)

.PHONY: check-migration-seeds soak-seeds
check-migration-seeds: $(MIG_BIN) $(MIG_GUEST) $(HOST_BIN) $(VS_BIN)
	@bash $(MIG_DIR)/check-seeds.sh $(BUILD) $(MIG_SEED_MIGRATIONS)

soak-seeds: $(DEPS_STAMP) $(MIG_BIN) $(MIG_GUEST) $(HOST_BIN) $(VS_BIN)
	@bash $(MIG_DIR)/check-seeds.sh $(BUILD) 1000

# --report's page in headless Chromium (once: the sanitised build draws
# the same page).
.PHONY: check-report
check-report: $(MIG_BIN) $(MIG_GUEST) $(HOST_BIN) $(VS_BIN)
	@bash $(MIG_DIR)/check-report.sh $(BUILD)

# --backend xl against the xl and vmport-state test doubles.
.PHONY: check-xl-backend
check-xl-backend: $(MIG_BIN)
	@bash $(MIG_DIR)/check-xl-backend.sh $(BUILD)

# make soak: 1,000+ migrations, every fault point (not in make check).
.PHONY: soak
soak: $(DEPS_STAMP) $(MIG_BIN) $(MIG_GUEST) $(HOST_BIN) $(VS_BIN)
	@bash $(MIG_DIR)/soak.sh $(BUILD)

ALL_TARGETS += $(MIG_BIN) $(MIG_GUEST)
INSTALL_BIN += $(MIG_BIN)
INSTALL_MAN += docs/vmport-stress.1
CHECK_TARGETS += check-migration check-migration-seeds check-xl-backend \
                 $(if $(SAN),,check-report)

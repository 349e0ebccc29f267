# mk/rules.mk: the one compile rule, and the recipes that link and archive.
#
# Every object is $(BUILD)/obj/UNIT/PATH.o, built from PATH.c with the
# compiler and flags of UNIT:
#
#     $(CC.UNIT)      the compiler (default $(CC))
#     $(CFLAGS.UNIT)  every flag, in full (nothing is added behind its back)
#
# A unit is a library or a program (dm, stream, record, vmport-state, ...);
# its module.mk defines CFLAGS.<unit> next to its sources and gets its
# objects with $(call objs,UNIT,SOURCES).  A source file compiled for two
# units (the record walker: inside the device model and in the tools) is
# two objects, each with its own unit's flags.  The output directory is
# made by the rule.

.SECONDEXPANSION:

# $(call use,MODULE): read MODULE (a module.mk) unless it was read already.
# A module calls it for every module whose variables it uses, so the order
# in which the Makefile lists them does not matter.
modules-read :=
use = $(if $(filter $(1),$(modules-read)),,\
          $(eval modules-read += $(1))$(eval include $(1)))

# $(call objs,UNIT,SOURCES): the objects of SOURCES built for UNIT.
objs = $(patsubst %.c,$(BUILD)/obj/$(1)/%.o,$(2))

obj-unit = $(firstword $(subst /, ,$(1)))
obj-src = $(patsubst $(call obj-unit,$(1))/%,%,$(1)).c

$(BUILD)/obj/%.o: $$(call obj-src,$$*)
	@mkdir -p $(@D)
	$(or $(CC.$(call obj-unit,$*)),$(CC)) $(CFLAGS.$(call obj-unit,$*)) \
	    -MMD -MP -c $< -o $@

# $(call link,LIBS): link the objects and archives among the prerequisites
# (in their order) with LIBS.  $(call link-with,CC LDFLAGS,LIBS) for
# another compiler (the fuzzers).
define link-with
@mkdir -p $(@D)
$(1) $(filter %.o %.a,$^) $(2) -o $@
endef
link = $(call link-with,$(CC),$(LDFLAGS_BASE) $(1))

define archive
@mkdir -p $(@D)
rm -f $@ && ar rcs $@ $^
endef

# External dependencies: one pair of variables each, from pkg-config,
# asked once and only when first used (so after `make deps` installed
# them).  A missing package leaves them empty; scripts/ensure-deps names it.
define pkg
$(1)_CFLAGS = $$(eval $(1)_CFLAGS := $$(shell pkg-config --cflags $(2) 2>/dev/null))$$($(1)_CFLAGS)
$(1)_LIBS = $$(eval $(1)_LIBS := $$(shell pkg-config --libs $(2) 2>/dev/null))$$($(1)_LIBS)
endef
$(eval $(call pkg,JSONC,json-c))
$(eval $(call pkg,CHECK,check))
$(eval $(call pkg,ZLIB,zlib))
$(eval $(call pkg,LZMA,liblzma))
$(eval $(call pkg,CAPSTONE,capstone))

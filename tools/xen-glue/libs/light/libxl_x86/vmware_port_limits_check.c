/*
 * The backdoor's limits, which bound the memory the guest can make Xen
 * allocate for it: each unset (0) or in the range Xen accepts (the caps
 * of the public header, vmporttype.h), and only with vmware_port=1 (after
 * vmware_port_setdefault()).  Checked here so that xl create fails with
 * the option's name before any domain exists.
 */
static int vmware_port_limits_check(libxl__gc *gc,
                                    const libxl_domain_build_info *b_info)
{
    static const struct {
        const char *name;
        size_t off;
        uint32_t max;
    } opts[] = {
#define VMWARE_LIMIT(f, max) \
        { #f, offsetof(libxl_domain_build_info, arch_x86.f), max }
        VMWARE_LIMIT(vmware_port_channels, HVM_VMPORT_CHANNELS_MAX),
        VMWARE_LIMIT(vmware_guestinfo_value_max, HVM_VMPORT_GI_VALUE_MAX),
        VMWARE_LIMIT(vmware_guestinfo_max_kb, HVM_VMPORT_GI_TOTAL_MAX / 1024),
#undef VMWARE_LIMIT
    };
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(opts); i++) {
        uint32_t val = *(const uint32_t *)((const char *)b_info +
                                           opts[i].off);

        if (!val)
            continue;
        if (!libxl_defbool_val(b_info->arch_x86.vmware_port)) {
            LOG(ERROR, "%s=%"PRIu32" needs vmware_port=1", opts[i].name, val);
            return ERROR_INVAL;
        }
        if (val > opts[i].max) {
            LOG(ERROR, "%s=%"PRIu32" is out of range (1-%"PRIu32")",
                opts[i].name, val, opts[i].max);
            return ERROR_INVAL;
        }
    }
    return 0;
}

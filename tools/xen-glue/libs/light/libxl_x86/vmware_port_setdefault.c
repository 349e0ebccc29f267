static int vmware_port_setdefault(libxl__gc *gc,
                                  libxl_domain_build_info *b_info)
{
    uint32_t hwver = b_info->arch_x86.vmware_hwver;

    libxl_defbool_setdefault(&b_info->arch_x86.vmware_port, false);

    if (!libxl_defbool_val(b_info->arch_x86.vmware_port)) {
        if (hwver) {
            LOG(ERROR, "vmware_hwver=%"PRIu32" needs vmware_port=1", hwver);
            return ERROR_INVAL;
        }
        return 0;
    }

    if (b_info->type == LIBXL_DOMAIN_TYPE_PV) {
        LOG(ERROR, "vmware_port=1 is only available to HVM and PVH guests");
        return ERROR_INVAL;
    }

    if (!hwver)
        b_info->arch_x86.vmware_hwver = hwver = VMWARE_HWVER_DEFAULT;
    if (hwver < HVM_VMPORT_HWVER_MIN || hwver > HVM_VMPORT_HWVER_MAX) {
        LOG(ERROR, "vmware_hwver=%"PRIu32" is out of range (%d-%d)",
            hwver, HVM_VMPORT_HWVER_MIN, HVM_VMPORT_HWVER_MAX);
        return ERROR_INVAL;
    }

    /*
     * Both own CPUID 0x40000000: refused in either form of viridian=, the
     * boolean or the list of enlightenment groups (viridian_enable).
     */
    if (b_info->type == LIBXL_DOMAIN_TYPE_HVM &&
        ((!libxl_defbool_is_default(b_info->u.hvm.viridian) &&
          libxl_defbool_val(b_info->u.hvm.viridian)) ||
         !libxl_bitmap_is_empty(&b_info->u.hvm.viridian_enable))) {
        LOG(ERROR, "vmware_port=1 and viridian are mutually exclusive");
        return ERROR_INVAL;
    }

    if (!libxl_defbool_is_default(b_info->nested_hvm) &&
        libxl_defbool_val(b_info->nested_hvm)) {
        LOG(ERROR, "vmware_port=1 is not available with nested_hvm=1");
        return ERROR_INVAL;
    }

    return 0;
}

    /*
     * The vmport limits travel in the VMPORT record of the HVM context, so
     * set them here only for brand new domains, after the hardware version
     * (hvm_set_conf_params()) enabled vmport with the defaults.
     */
    if (!state->restore && !state->soft_reset &&
        info->type != LIBXL_DOMAIN_TYPE_PV &&
        (ret = vmware_port_set_limits(gc, domid, info)) != 0)
        goto out;

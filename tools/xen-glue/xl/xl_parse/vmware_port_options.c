    xlu_cfg_get_defbool(config, "vmware_port",
                        &b_info->arch_x86.vmware_port, 0);
    if (!xlu_cfg_get_long(config, "vmware_hwver", &l, 0)) {
        if (l < 1 || l > 255) {
            fprintf(stderr,
                    "ERROR: vmware_hwver=%ld is out of range (1-255)\n", l);
            exit(1);
        }
        b_info->arch_x86.vmware_hwver = l;
    }

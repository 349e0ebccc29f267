    xlu_cfg_get_defbool(config, "vmware_port",
                        &b_info->arch_x86.vmware_port, 0);
    if (!xlu_cfg_get_long(config, "vmware_hwver", &l, 0)) {
        if (l < HVM_VMPORT_HWVER_MIN || l > HVM_VMPORT_HWVER_MAX) {
            fprintf(stderr, "ERROR: vmware_hwver=%ld is out of range (%d-%d)\n",
                    l, HVM_VMPORT_HWVER_MIN, HVM_VMPORT_HWVER_MAX);
            exit(1);
        }
        b_info->arch_x86.vmware_hwver = l;
    }

    {
        const struct {
            const char *name;
            long max;
            uint32_t *field;
        } limits[] = {
            { "vmware_port_channels", HVM_VMPORT_CHANNELS_MAX,
              &b_info->arch_x86.vmware_port_channels },
            { "vmware_guestinfo_value_max", HVM_VMPORT_GI_VALUE_MAX,
              &b_info->arch_x86.vmware_guestinfo_value_max },
            { "vmware_guestinfo_max_kb", HVM_VMPORT_GI_TOTAL_MAX / 1024,
              &b_info->arch_x86.vmware_guestinfo_max_kb },
        };
        unsigned int li;

        for (li = 0; li < sizeof(limits) / sizeof(limits[0]); li++) {
            if (xlu_cfg_get_long(config, limits[li].name, &l, 0))
                continue;
            if (l < 1 || l > limits[li].max) {
                fprintf(stderr, "ERROR: %s=%ld is out of range (1-%ld)\n",
                        limits[li].name, l, limits[li].max);
                exit(1);
            }
            *limits[li].field = l;
        }
    }

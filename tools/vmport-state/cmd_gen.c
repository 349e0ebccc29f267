/*
 * vmport-state gen: write a realistic HVM guest image (the library's
 * generator), for tests, fuzz seeds and the benchmark.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include <vmport-record.h>

/* A version-2 VMPORT record with a config and two guestinfo keys. */
static int default_vmport(uint8_t **buf, size_t *len)
{
    static const char v1[] = "vmport-gen", v2[] = "10.0.0.2";
    struct vrec r;
    char err[256];
    int rc;

    vrec_init(&r);
    vrec_default_config(&r, 7);
    /* The generated record has smaller guestinfo limits. */
    r.config.gi_value_max = 4096;
    r.config.gi_max_keys = 64;
    r.config.gi_total_max = 65536;
    rc = vrec_gi_set(&r, "guestinfo.hostname", v1, strlen(v1), err,
                     sizeof(err)) ||
         vrec_gi_set(&r, "guestinfo.ip", v2, strlen(v2), err,
                     sizeof(err)) ||
         vrec_emit(&r, buf, len, err, sizeof(err));
    if ( rc )
        fprintf(stderr, "vmport-state gen: VMPORT record: %s\n", err);
    vrec_free(&r);
    return rc ? -1 : 0;
}

static int parse_kind(const char *s, enum vs_kind *k)
{
    static const char *const n[] = { "", "xl", "libxl", "libxc", "hvm" };
    unsigned int i;

    for ( i = 1; i < 5; i++ )
        if ( !strcmp(s, n[i]) )
        {
            *k = i;
            return 0;
        }
    return -1;
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        { "kind", required_argument, NULL, 'k' },
        { "gzip", no_argument, NULL, 'z' },
        { "sparse", no_argument, NULL, 's' },
        { "vmport", no_argument, NULL, 'v' },
        { "vcpus", required_argument, NULL, 'c' },
        { "mem-mib", required_argument, NULL, 'm' },
        { "force", no_argument, NULL, 'f' },
        { 0 }
    };
    struct vs_gen_opts g = { .kind = VS_KIND_XL, .vcpus = 2,
                             .mem_bytes = 64ULL << 20 };
    const char *out = NULL;
    uint8_t *vm = NULL;
    size_t vmlen = 0;
    bool vmport = false;
    unsigned long v;
    struct cli_out dst;
    int o, rc;

    while ( (o = cli_getopt(&cmd_gen, argc, argv, "", opts)) != -1 )
        switch ( o )
        {
        case 'k':
            if ( parse_kind(optarg, &g.kind) )
                return cli_usage_error(&cmd_gen, "bad kind '%s'", optarg);
            break;
        case 'z':
            g.gzip = true;
            break;
        case 's':
            g.sparse_file = true;
            break;
        case 'v':
            vmport = true;
            break;
        case 'c':
            if ( cli_uint(&cmd_gen, "--vcpus", optarg, 1, 128, &v) )
                return EXIT_USAGE;
            g.vcpus = v;
            break;
        case 'm':
            /* 1 TiB: far more than a test needs, and no overflow. */
            if ( cli_uint(&cmd_gen, "--mem-mib", optarg, 1, 1UL << 20, &v) )
                return EXIT_USAGE;
            g.mem_bytes = (uint64_t)v << 20;
            break;
        case 'f':
            cli_out_flags |= VS_FILE_FORCE;
            break;
        default:
            return EXIT_USAGE;
        }
    if ( argc - optind > 1 )
        return cli_usage_error(&cmd_gen, "unexpected '%s'",
                               argv[optind + 1]);
    if ( optind < argc )
        out = argv[optind];
    if ( !out )
        return cli_usage_error(&cmd_gen, "expected OUT");
    if ( vmport && default_vmport(&vm, &vmlen) )
        return EXIT_PROBLEMS;
    g.extra = vm;
    g.extra_len = vmlen;
    g.extra_type = HVM_SAVE_CODE_VMPORT;
    if ( cli_out_open(&dst, out, 0) )
    {
        free(vm);
        return EXIT_IO;
    }
    errno = 0;
    rc = vs_gen_image(dst.fd, &g) ? EXIT_IO : EXIT_OK;
    rc = cli_out_finish(&dst, rc, rc ? (errno ? errno : EIO) : 0);
    free(vm);
    return rc;
}

const struct cmd cmd_gen = {
    .name = "gen",
    .summary = "write a generated HVM guest image (test helper)",
    .usage = "gen [--kind xl|libxl|libxc|hvm] [--gzip] [--sparse] "
             "[--vmport]\n    [--vcpus N] [--mem-mib N] [--force] OUT\n\n"
             "A realistic HVM guest as Xen 4.17 saves it: CPUID/MSR\n"
             "policies, STATIC_DATA_END, PAGE_DATA for RAM (VGA hole left\n"
             "out, 1024-pfn batches, zero pages except a stamp per batch),\n"
             "TSC_INFO, HVM_CONTEXT (HEADER, CPU, PIC, IOAPIC, LAPIC,\n"
             "LAPIC_REGS, IRQ routing, PIT, RTC, HPET, PMTIMER, MTRR,\n"
             "CPU_XSAVE, VMCE, TSC_ADJUST, CPU_MSR, END), HVM_PARAMS, and\n"
             "the libxl emulator records.  --vmport adds a VMPORT record;\n"
             "--sparse leaves zero pages as holes (the 4 GiB benchmark).",
    .run = run,
};

/*
 * fuzz_cpuid_scan.c: libFuzzer target for the CPUID breakpoint planter.
 *
 * The input is a mapping's bytes, placed in a memfd that stands in for
 * /proc/PID/mem at an arbitrary address.  Checks:
 *  - every breakpoint sits on 0F A2 that capstone decodes as CPUID, and
 *    its INT3 is in memory;
 *  - a second scan of the same mapping (INT3s now in memory) plants
 *    nothing more;
 *  - removing every breakpoint gives back the input byte for byte.
 */

#include <capstone/capstone.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cpuid_bp.h"

#define BASE 0x400000UL

#define FCHECK(cond, ...)                                       \
    do {                                                        \
        if ( !(cond) )                                          \
        {                                                       \
            fprintf(stderr, "fuzz_cpuid_scan: " __VA_ARGS__);   \
            fprintf(stderr, " (%s)\n", #cond);                  \
            abort();                                            \
        }                                                       \
    } while ( 0 )

static int mem_fd = -1;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct space s = { .refs = 1 };
    struct exec_map m = { BASE, BASE + size, 0, 0, false };
    uint8_t *back;
    size_t i;
    int n;

    if ( !size || size > 65536 )
        return 0;
    if ( mem_fd < 0 )
        mem_fd = memfd_create("fuzz-mem", 0);
    FCHECK(mem_fd >= 0, "memfd_create failed");
    FCHECK(ftruncate(mem_fd, 0) == 0 &&
           ftruncate(mem_fd, BASE + size) == 0 &&
           pwrite(mem_fd, data, size, BASE) == (ssize_t)size, "memfd setup");
    s.mem_fd = mem_fd;

    n = cpuid_bp_scan_map(&s, &m);
    FCHECK(n >= 0 && (size_t)n == s.nr_bps, "planted %d, table %zu", n,
           s.nr_bps);
    back = malloc(size);
    FCHECK(back && pread(mem_fd, back, size, BASE) == (ssize_t)size,
           "read back");
    for ( i = 0; i < s.nr_bps; i++ )
    {
        uint64_t off = s.bps[i].addr - BASE;

        FCHECK(off + 1 < size, "breakpoint %#lx outside the mapping",
               (unsigned long)s.bps[i].addr);
        FCHECK(data[off] == 0x0f && data[off + 1] == 0xa2 &&
               s.bps[i].orig == 0x0f, "breakpoint at +%#lx not on 0F A2",
               (unsigned long)off);
        FCHECK(back[off] == 0xcc, "no INT3 at +%#lx", (unsigned long)off);
        FCHECK(!i || s.bps[i - 1].addr < s.bps[i].addr, "table unsorted");
    }

    n = cpuid_bp_scan_map(&s, &m);
    FCHECK(n == 0, "a second scan planted %d more", n);

    FCHECK(cpuid_bp_remove_all(&s) == 0, "remove failed");
    FCHECK(pread(mem_fd, back, size, BASE) == (ssize_t)size, "read back");
    FCHECK(!memcmp(back, data, size), "memory differs after removal");
    free(back);
    free(s.bps);
    free(s.maps);
    return 0;
}

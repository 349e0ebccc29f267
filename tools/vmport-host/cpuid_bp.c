/*
 * cpuid_bp.c: find CPUID instructions with capstone and plant INT3s.
 */

#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpuid_bp.h"

#define INT3 0xcc

static int bp_cmp(const void *a, const void *b)
{
    const struct cpuid_bp *x = a, *y = b;

    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

const struct cpuid_bp *cpuid_bp_find(const struct space *s, uint64_t addr)
{
    struct cpuid_bp key = { .addr = addr };

    if ( !s->nr_bps )
        return NULL;
    return bsearch(&key, s->bps, s->nr_bps, sizeof(key), bp_cmp);
}

bool cpuid_bp_code_is_stable(const struct space *s, uint64_t addr)
{
    size_t i;

    for ( i = 0; i < s->nr_maps; i++ )
        if ( addr >= s->maps[i].start && addr + INSN_MAX <= s->maps[i].end )
            return !s->maps[i].writable;
    return false;
}

static bool same_map(const struct exec_map *a, const struct exec_map *b)
{
    return a->start == b->start && a->end == b->end &&
           a->offset == b->offset && a->inode == b->inode;
}

static bool map_known(const struct space *s, const struct exec_map *m)
{
    size_t i;

    for ( i = 0; i < s->nr_maps; i++ )
        if ( same_map(&s->maps[i], m) )
            return true;
    return false;
}

/* The r-x mappings of @pid now ([vsyscall] excluded: not ours to patch). */
static int read_exec_maps(pid_t pid, struct exec_map **out, size_t *nr)
{
    char path[64], line[4096], perms[8];
    struct exec_map *maps = NULL;
    size_t n = 0, cap = 0;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
    f = fopen(path, "re");
    if ( !f )
        return -1;
    while ( fgets(line, sizeof(line), f) )
    {
        struct exec_map m;
        unsigned long long start, end, off, inode;

        if ( sscanf(line, "%llx-%llx %7s %llx %*s %llu", &start, &end, perms,
                    &off, &inode) != 5 )
            continue;
        if ( perms[2] != 'x' || strstr(line, "[vsyscall]") )
            continue;
        m = (struct exec_map){ start, end, off, inode, perms[1] == 'w' };
        if ( n == cap )
        {
            struct exec_map *g;

            cap = cap ? cap * 2 : 32;
            g = realloc(maps, cap * sizeof(*g));
            if ( !g )
            {
                free(maps);
                fclose(f);
                return -1;
            }
            maps = g;
        }
        maps[n++] = m;
    }
    fclose(f);
    *out = maps;
    *nr = n;
    return 0;
}

static int add_bp(struct space *s, uint64_t addr, uint8_t orig)
{
    if ( s->nr_bps == s->bps_cap )
    {
        size_t cap = s->bps_cap ? s->bps_cap * 2 : 64;
        struct cpuid_bp *n = realloc(s->bps, cap * sizeof(*n));

        if ( !n )
            return -1;
        s->bps = n;
        s->bps_cap = cap;
    }
    s->bps[s->nr_bps].addr = addr;
    s->bps[s->nr_bps].orig = orig;
    s->nr_bps++;
    return 0;
}

/* Undo our own INT3s in a copy of guest memory, so it decodes as written. */
static void unpatch(const struct space *s, uint8_t *buf, uint64_t start,
                    size_t len)
{
    size_t i;

    for ( i = 0; i < s->nr_bps; i++ )
        if ( s->bps[i].addr >= start && s->bps[i].addr < start + len )
            buf[s->bps[i].addr - start] = s->bps[i].orig;
}

/*
 * Is there a CPUID instruction at @x in @buf?  Capstone decides, decoding
 * from up to SYNC_WINDOW bytes before it: x86 decoding falls into step with
 * the real instruction stream within a few instructions, so a 0F A2 that
 * is really the tail of another instruction (an immediate, a displacement)
 * is not where decoding lands.  Decoding whole mappings linearly gives the
 * same answers and is far slower on big binaries (the python that
 * vmtoolsd's lsb_release runs).
 */
#define SYNC_WINDOW 64

static bool is_cpuid_at(csh cs, cs_insn *insn, const uint8_t *buf,
                        size_t len, size_t x)
{
    size_t from = x > SYNC_WINDOW ? x - SYNC_WINDOW : 0;
    const uint8_t *code = buf + from;
    size_t size = len - from;
    uint64_t addr = from;

    while ( addr < x )
    {
        if ( !cs_disasm_iter(cs, &code, &size, &addr, insn) )
        {
            /* Undecodable byte: step over it and resynchronise. */
            code++;
            size--;
            addr++;
        }
    }
    if ( addr != x || !cs_disasm_iter(cs, &code, &size, &addr, insn) )
        return false;
    return insn->id == X86_INS_CPUID;
}

static int plant(struct space *s, uint64_t addr, uint8_t orig)
{
    if ( pwrite(s->mem_fd, &(uint8_t){ INT3 }, 1, addr) != 1 ||
         add_bp(s, addr, orig) )
        return -1;
    /* Keep the table sorted for cpuid_bp_find() during the scan. */
    qsort(s->bps, s->nr_bps, sizeof(*s->bps), bp_cmp);
    return 0;
}

static int scan_map(struct space *s, csh cs, const struct exec_map *m)
{
    size_t len = m->end - m->start, x;
    uint8_t *buf = malloc(len);
    const uint8_t *p;
    cs_insn *insn;
    int planted = 0;
    ssize_t got;

    if ( !buf )
        return -1;
    got = pread(s->mem_fd, buf, len, m->start);
    if ( got <= 0 )
    {
        /* Unreadable (e.g. execute-only): nothing we can patch either. */
        free(buf);
        return 0;
    }
    len = got;
    unpatch(s, buf, m->start, len);

    insn = cs_malloc(cs);
    if ( !insn )
    {
        free(buf);
        return -1;
    }
    for ( p = buf; (p = memmem(p, buf + len - p, "\x0f\xa2", 2)); p++ )
    {
        x = p - buf;
        if ( !is_cpuid_at(cs, insn, buf, len, x) ||
             cpuid_bp_find(s, m->start + x) )
            continue;
        if ( plant(s, m->start + x, buf[x]) )
        {
            planted = -1;
            break;
        }
        planted++;
    }
    cs_free(insn, 1);
    free(buf);
    return planted;
}

int cpuid_bp_scan_map(struct space *s, const struct exec_map *m)
{
    csh cs;
    int rc;

    if ( cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK )
        return -1;
    rc = scan_map(s, cs, m);
    cs_close(&cs);
    return rc;
}

/* Forget breakpoints whose page is no longer mapped executable. */
static void drop_unmapped(struct space *s, const struct exec_map *maps,
                          size_t nr)
{
    size_t i, j, kept = 0;

    for ( i = 0; i < s->nr_bps; i++ )
    {
        for ( j = 0; j < nr; j++ )
            if ( s->bps[i].addr >= maps[j].start &&
                 s->bps[i].addr < maps[j].end )
                break;
        if ( j < nr )
            s->bps[kept++] = s->bps[i];
    }
    s->nr_bps = kept;
}

int cpuid_bp_scan(struct space *s, pid_t pid)
{
    struct exec_map *maps;
    size_t nr, i;
    int total = 0, rc;
    csh cs;

    if ( read_exec_maps(pid, &maps, &nr) )
        return -1;
    if ( cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK )
    {
        free(maps);
        return -1;
    }
    drop_unmapped(s, maps, nr);
    memset(s->insn_cache, 0, sizeof(s->insn_cache));
    for ( i = 0; i < nr; i++ )
    {
        if ( map_known(s, &maps[i]) )
            continue;
        rc = scan_map(s, cs, &maps[i]);
        if ( rc < 0 )
        {
            total = -1;
            break;
        }
        total += rc;
    }
    cs_close(&cs);
    free(s->maps);
    s->maps = maps;
    s->nr_maps = nr;
    return total;
}

int cpuid_bp_remove_all(struct space *s)
{
    size_t i;
    int rc = 0;

    for ( i = 0; i < s->nr_bps; i++ )
        if ( pwrite(s->mem_fd, &s->bps[i].orig, 1, s->bps[i].addr) != 1 )
        {
            fprintf(stderr, "vmport-host: cannot restore the CPUID at %#"
                    PRIx64 "\n", s->bps[i].addr);
            rc = -1;
        }
    s->nr_bps = 0;
    memset(s->insn_cache, 0, sizeof(s->insn_cache));
    free(s->maps);
    s->maps = NULL;
    s->nr_maps = 0;
    return rc;
}

/*
 * personality.c: the simulated Intel and AMD hosts.
 */

#include <string.h>

#include "personality.h"

int personality_init(struct host_personality *p, const char *name)
{
    if ( !strcmp(name, "intel") )
    {
        p->name = "intel";
        p->reports_next_rip = false;
        p->tsc_khz = 2400000;
        p->clock_skew_ns = 0;
        return 0;
    }
    if ( !strcmp(name, "amd") )
    {
        /* A different TSC and a clock 1.5 s fast, as a second host may be. */
        p->name = "amd";
        p->reports_next_rip = true;
        p->tsc_khz = 3100000;
        p->clock_skew_ns = 1500000000LL;
        return 0;
    }
    return -1;
}

void personality_fill_exit(const struct host_personality *p,
                           struct host_exit_info *info, uint64_t rip,
                           unsigned int len)
{
    info->rip = rip;
    info->insn_len = 0;
    info->next_rip = 0;
    if ( p->reports_next_rip )
        info->next_rip = rip + len;
    else
        info->insn_len = len;
}

uint64_t personality_resume_rip(const struct host_personality *p,
                                const struct host_exit_info *info)
{
    if ( p->reports_next_rip )
        return info->next_rip;
    return info->rip + info->insn_len;
}

/*
 * vmport-record-print.c: the VMPORT record as text, the one printer of
 * the tools: in full (vmport-state dump) or as the summary block of an
 * HVM context listing (vmport-state hvmctx, in xen-hvmctx's layout).
 */
#include <ctype.h>
#include <inttypes.h>

#include "vmport-record-priv.h"

static void print_quoted(FILE *f, const uint8_t *p, uint32_t n)
{
    uint32_t i;

    fputc('"', f);
    for ( i = 0; i < n; i++ )
        fprintf(f, isprint(p[i]) && p[i] != '"' && p[i] != '\\' ? "%c" :
                "\\x%02x", p[i]);
    fputc('"', f);
}

static void print_bytes(FILE *f, const char *label, const uint8_t *p,
                        uint32_t n)
{
    fprintf(f, "      %s (%u bytes): ", label, n);
    print_quoted(f, p, n);
    fputc('\n', f);
}

static void print_time(FILE *f, const char *indent, const struct vrec *r)
{
    if ( r->has_time )
        fprintf(f, "%stime: tsc_khz %u, last_time_us %" PRIu64 "\n", indent,
                r->time.tsc_khz, r->time.last_time_us);
}

static void print_summary(FILE *f, const struct vrec *r)
{
    unsigned int i;

    fprintf(f, "    VMPORT: version %u, flags %#x, hwver %u, config flags "
            "%#x\n", r->version, r->flags, r->config.hwver, r->config.flags);
    fprintf(f, "            channels %u (max %u), guestinfo %u keys, "
            "tclo apps %u%s\n", r->nr_channels, r->config.max_channels,
            r->nr_gi, r->nr_apps, r->has_trigger ? ", trigger pending" : "");
    print_time(f, "            ", r);
    for ( i = 0; i < r->nr_channels; i++ )
    {
        const struct hvm_vmport_channel *c = &r->channels[i].ch;

        fprintf(f, "            channel %u: proto %u, send %u/%u, recv "
                "%u/%u\n", c->id, c->proto, c->send_pos, c->send_size,
                c->recv_pos, c->recv_size);
    }
}

static void print_full(FILE *f, const struct vrec *r)
{
    unsigned int i, j;

    fprintf(f, "VMPORT record version %u, flags %#x%s\n", r->version,
            r->flags,
            r->flags & HVM_VMPORT_F_CHECKPOINT ? " (checkpointed)" : "");
    fprintf(f, "  config: hwver %u, flags %#x, max_channels %u, guestinfo "
            "limits key %u value %u keys %u total %u,\n          "
            "tclo_queue_max %u, idle_timeout_ms %u, trigger_timeout_ms "
            "%u\n", r->config.hwver, r->config.flags,
            r->config.max_channels, r->config.gi_key_max,
            r->config.gi_value_max, r->config.gi_max_keys,
            r->config.gi_total_max, r->config.tclo_queue_max,
            r->config.idle_timeout_ms, r->config.trigger_timeout_ms);
    print_time(f, "  ", r);
    fprintf(f, "  channels: %u\n", r->nr_channels);
    for ( i = 0; i < r->nr_channels; i++ )
    {
        const struct vrec_channel *c = &r->channels[i];

        fprintf(f, "    channel %u: %s, flags %#x, cookie %#" PRIx64
                ", idle %" PRIu64 " ns, send %u/%u (state %u), recv %u/%u "
                "(state %u)\n", c->ch.id, c->ch.proto ? "TCLO" : "RPCI",
                c->ch.flags, c->ch.cookie, c->ch.idle_ns, c->ch.send_pos,
                c->ch.send_size, c->ch.send_state, c->ch.recv_pos,
                c->ch.recv_size, c->ch.recv_state);
        if ( c->ch.send_pos )
            print_bytes(f, "in flight to host", c->send, c->ch.send_pos);
        if ( c->ch.recv_size )
            print_bytes(f, "for the guest", c->recv, c->ch.recv_size);
    }
    fprintf(f, "  guestinfo: %u keys\n", r->nr_gi);
    for ( i = 0; i < r->nr_gi; i++ )
    {
        fprintf(f, "    %s = ", r->gi[i].key);
        print_quoted(f, r->gi[i].val, r->gi[i].vlen);
        fputc('\n', f);
    }
    fprintf(f, "  tclo applications: %u\n", r->nr_apps);
    for ( i = 0; i < r->nr_apps; i++ )
    {
        const struct vrec_app *a = &r->apps[i];

        fprintf(f, "    app %u \"%.*s\": channel %u, ping age %" PRIu64
                " ns, %u queued\n", a->app.index, HVM_VMPORT_APP_NAME_LEN,
                a->app.name, a->app.channel, a->app.ping_age_ns,
                a->app.count);
        for ( j = 0; j < a->app.count; j++ )
            print_bytes(f, "command", a->cmds[j].data, a->cmds[j].len);
    }
    if ( r->has_trigger )
        fprintf(f, "  trigger: op %u (%s), state %u, guest_status %u, age %"
                PRIu64 " ns\n", r->trigger.op,
                r->trigger.op == 1 ? "poweroff" : "reboot",
                r->trigger.state, r->trigger.guest_status,
                r->trigger.age_ns);
}

void vrec_print(FILE *f, const struct vrec *r,
                enum vrec_print_style style)
{
    if ( style == VREC_PRINT_SUMMARY )
        print_summary(f, r);
    else
        print_full(f, r);
}

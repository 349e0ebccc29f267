/* vmport-state dump FILE | --domain D [--json]: the VMPORT record. */
#include <ctype.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <string.h>

#include "cli.h"
#include "lib/vmport-record.h"

static void print_quoted(const uint8_t *p, uint32_t n)
{
    uint32_t i;

    putchar('"');
    for ( i = 0; i < n; i++ )
        printf(isprint(p[i]) && p[i] != '"' && p[i] != '\\' ? "%c" :
               "\\x%02x", p[i]);
    putchar('"');
}

static void print_bytes(const char *label, const uint8_t *p, uint32_t n)
{
    printf("      %s (%u bytes): ", label, n);
    print_quoted(p, n);
    putchar('\n');
}

static void print_text(const struct vmport_rec *r)
{
    unsigned int i, j;

    printf("VMPORT record version %u, flags %#x%s\n", r->version, r->flags,
           r->flags & HVM_VMPORT_F_CHECKPOINT ? " (checkpointed)" : "");
    printf("  config: hwver %u, flags %#x, max_channels %u, guestinfo "
           "limits key %u value %u keys %u total %u,\n          "
           "tclo_queue_max %u, idle_timeout_ms %u, trigger_timeout_ms "
           "%u\n", r->config.hwver, r->config.flags,
           r->config.max_channels, r->config.gi_key_max,
           r->config.gi_value_max, r->config.gi_max_keys,
           r->config.gi_total_max, r->config.tclo_queue_max,
           r->config.idle_timeout_ms, r->config.trigger_timeout_ms);
    if ( r->has_time )
        printf("  time: tsc_khz %u, last_time_us %" PRIu64 "\n",
               r->time.tsc_khz, r->time.last_time_us);
    printf("  channels: %u\n", r->nr_channels);
    for ( i = 0; i < r->nr_channels; i++ )
    {
        const struct vmport_rec_channel *c = &r->channels[i];

        printf("    channel %u: %s, flags %#x, cookie %#" PRIx64 ", idle %"
               PRIu64 " ns, send %u/%u (state %u), recv %u/%u (state %u)\n",
               c->ch.id, c->ch.proto ? "TCLO" : "RPCI", c->ch.flags,
               c->ch.cookie, c->ch.idle_ns, c->ch.send_pos,
               c->ch.send_size, c->ch.send_state, c->ch.recv_pos,
               c->ch.recv_size, c->ch.recv_state);
        if ( c->ch.send_pos )
            print_bytes("in flight to host", c->send, c->ch.send_pos);
        if ( c->ch.recv_size )
            print_bytes("for the guest", c->recv, c->ch.recv_size);
    }
    printf("  guestinfo: %u keys\n", r->nr_gi);
    for ( i = 0; i < r->nr_gi; i++ )
    {
        printf("    %s = ", r->gi[i].key);
        print_quoted(r->gi[i].val, r->gi[i].vlen);
        putchar('\n');
    }
    printf("  tclo applications: %u\n", r->nr_apps);
    for ( i = 0; i < r->nr_apps; i++ )
    {
        const struct vmport_rec_app *a = &r->apps[i];

        printf("    app %u \"%.*s\": channel %u, ping age %" PRIu64
               " ns, %u queued\n", a->app.index, HVM_VMPORT_APP_NAME_LEN,
               a->app.name, a->app.channel, a->app.ping_age_ns,
               a->app.count);
        for ( j = 0; j < a->app.count; j++ )
            print_bytes("command", a->cmds[j].data, a->cmds[j].len);
    }
    if ( r->has_trigger )
        printf("  trigger: op %u (%s), state %u, guest_status %u, age %"
               PRIu64 " ns\n", r->trigger.op,
               r->trigger.op == 1 ? "poweroff" : "reboot", r->trigger.state,
               r->trigger.guest_status, r->trigger.age_ns);
}

static int run(int argc, char **argv)
{
    const char *file, *domain;
    struct vmport_rec r;
    bool json = false;
    int i, rc, n = 0;

    for ( i = 1; i < argc; i++ )
        if ( strcmp(argv[i], "--json") )
            argv[++n] = argv[i];
        else
            json = true;
    rc = cli_target(&cmd_dump, n + 1, argv, 1, &file, &domain);
    if ( rc )
        return rc;
    rc = vmport_load(file, domain, &r);
    if ( rc )
        return rc;
    if ( json )
    {
        struct json_object *o = vmport_rec_to_json(&r);

        printf("%s\n", json_object_to_json_string_ext(o,
                   JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                   JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(o);
    }
    else
        print_text(&r);
    vmport_rec_free(&r);
    return EXIT_OK;
}

const struct cmd cmd_dump = {
    .name = "dump",
    .summary = "dump the VMPORT record: config, channels, guestinfo, TCLO",
    .usage = "dump FILE | --domain D [--json]\n\n"
             "Prints the configuration, every open channel with the bytes\n"
             "in flight, guestinfo, TCLO applications with their queued\n"
             "commands, and a pending trigger.  --json prints the record's\n"
             "schema (docs/vmport-record.md), which `encode` turns back\n"
             "into the identical binary record.",
    .run = run,
};

/*
 * test_tclo.c: host->guest TCLO commands as the tools' polling loop sees
 * them (protocol reference 4): "reset" on every new channel, the app bound
 * from "OK ATR <app>", pings, and power triggers delivered exactly once
 * with their outcome (reply, statechange status, or timeout).
 */

#include <errno.h>

#include "msg_harness.h"

static char cmd[256];

/*
 * One iteration of the rpcin.c loop on @c: send @reply (the answer to the
 * previous command, or "" when idle), then receive.  Returns the command
 * length (in cmd[], NUL-terminated) or -2 when none is waiting.
 */
static long tclo_step(const struct chan *c, const char *reply)
{
    uint32_t ecx = m_send_lb(m_v, c, reply, strlen(reply));
    long n;

    ck_assert_msg(ecx == (*reply ? 0x00010000U : 0x00810000U),
                  "TCLO send: ECX %#x", ecx);
    n = m_recv_lb(m_v, c, cmd, sizeof(cmd) - 1, &ecx);
    ck_assert_msg(n >= -2 && n != -1, "TCLO receive failed: ECX %#x", ecx);
    if ( n >= 0 )
        cmd[n] = '\0';
    return n;
}

/* Open a TCLO channel, take "reset" and answer it as @app. */
static void tools_start(struct chan *c, const char *app)
{
    char atr[64];

    m_open_ok(m_v, PROTO_TCLO | FLAG_COOKIE, c);
    ck_assert_int_eq(tclo_step(c, ""), 6);
    ck_assert_msg(!memcmp(cmd, "reset", 6), "expected \"reset\\0\", "
                  "seen \"%s\"", cmd);
    snprintf(atr, sizeof(atr), "OK ATR %s", app);
    ck_assert_int_eq(tclo_step(c, atr), -2);
}

static struct vmport_trigger_status status(void)
{
    struct vmport_trigger_status st;

    ck_assert_int_eq(vmport_trigger_status(m_d, &st), 0);
    return st;
}

static void rpci(const char *req)
{
    char reply[64];
    struct chan c;

    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &c);
    m_rpc_lb(m_v, &c, req, strlen(req), reply, sizeof(reply));
    ck_assert_str_eq(reply, "1 ");
    m_close(m_v, &c);
}

/* Lines of Xen's console (the shim's capture) that contain @needle. */
static unsigned int log_lines(const char *needle)
{
    unsigned int i, n = 0;

    for ( i = 0; i < shim_log_count(); i++ )
        if ( strstr(shim_log_line(i), needle) )
            n++;
    return n;
}

START_TEST(reset_with_nul_on_every_new_tclo_channel)
{
    struct chan c;
    unsigned int i;

    for ( i = 0; i < 3; i++ )
    {
        m_open_ok(m_v, PROTO_TCLO | FLAG_COOKIE, &c);
        ck_assert_int_eq(tclo_step(&c, ""), 6);
        ck_assert_str_eq(cmd, "reset");
        /* Taken once: the next poll has nothing. */
        ck_assert_int_eq(tclo_step(&c, "OK ATR toolbox"), -2);
        ck_assert_uint_eq(m_close(m_v, &c), 0x00010000);
    }
}
END_TEST

START_TEST(atr_reply_binds_the_application)
{
    struct chan c;
    struct vmport_domain *vd = m_vd();

    tools_start(&c, "toolbox");
    ck_assert_uint_lt(vd->channels[c.id].app, VMPORT_MAX_APPS);
    ck_assert_str_eq(vd->apps[vd->channels[c.id].app].name, "toolbox");
    ck_assert_uint_eq(vd->apps[vd->channels[c.id].app].channel, c.id);
    ck_assert_uint_eq(m_close(m_v, &c), 0x00010000);
    ck_assert_uint_eq(vd->apps[0].channel, 0xff);
}
END_TEST

START_TEST(failed_reset_fetch_is_delivered_again)
{
    struct cpu_user_regs r;
    struct chan c;

    m_open_ok(m_v, PROTO_TCLO | FLAG_COOKIE, &c);
    m_msg(m_v, &r, MESSAGE_TYPE_RECVSIZE, &c, 0);
    ck_assert_uint_eq(r.ecx, 0x00830000);
    m_msg(m_v, &r, MESSAGE_TYPE_RECVSTATUS, &c, 0);
    ck_assert_int_eq(tclo_step(&c, ""), 6);
    ck_assert_str_eq(cmd, "reset");
}
END_TEST

START_TEST(ping_follows_the_documented_interval)
{
    struct chan c;

    tools_start(&c, "toolbox");
    ck_assert_int_eq(tclo_step(&c, ""), -2);
    shim_clock_advance(MILLISECS(14900));
    ck_assert_int_eq(tclo_step(&c, ""), -2);
    shim_clock_advance(MILLISECS(200));
    ck_assert_int_eq(tclo_step(&c, ""), 5);
    ck_assert_str_eq(cmd, "ping");
    ck_assert_int_eq(tclo_step(&c, "OK "), -2);
    shim_clock_advance(MILLISECS(10000));
    ck_assert_int_eq(tclo_step(&c, ""), -2);
}
END_TEST

START_TEST(halt_is_delivered_exactly_once_and_reply_recorded)
{
    struct chan c;
    struct vmport_trigger_status st;

    tools_start(&c, "toolbox");
    ck_assert_int_eq(vmport_trigger(m_d, VMPORT_TRIGGER_HALT), 0);
    st = status();
    ck_assert_uint_eq(st.op, VMPORT_TRIGGER_HALT);
    ck_assert_uint_eq(st.state, VMPORT_TRIGGER_QUEUED);

    shim_clock_advance(MILLISECS(100));
    ck_assert_int_eq(tclo_step(&c, ""), 8);
    ck_assert_str_eq(cmd, "OS_Halt");
    ck_assert_uint_eq(status().state, VMPORT_TRIGGER_DELIVERED);
    ck_assert_int_eq(status().elapsed_ns, MILLISECS(100));

    /* The script path: "OK " first, the status RPCI later. */
    ck_assert_int_eq(tclo_step(&c, "OK "), -2);
    ck_assert_uint_eq(status().state, VMPORT_TRIGGER_REPLIED);
    rpci("tools.os.statechange.status 1 1");
    st = status();
    ck_assert_uint_eq(st.state, VMPORT_TRIGGER_SUCCEEDED);
    ck_assert_uint_eq(st.guest_status, 1);
    /* Never again, and its outcome logged once, a repeat status or not. */
    shim_clock_advance(MILLISECS(1000));
    ck_assert_int_eq(tclo_step(&c, ""), -2);
    ck_assert_int_ge(shim_trace_count_event(TRC_HVM_VMPORT_RPC), 1);
    rpci("tools.os.statechange.status 1 1");
    ck_assert_uint_eq(log_lines("vmport: OS_Halt trigger: the guest's tools "
                                "report success"), 1);
}
END_TEST

START_TEST(statechange_before_ok_reply_keeps_success)
{
    struct chan c;

    tools_start(&c, "toolbox");
    ck_assert_int_eq(vmport_trigger(m_d, VMPORT_TRIGGER_REBOOT), 0);
    ck_assert_int_eq(tclo_step(&c, ""), 10);
    ck_assert_str_eq(cmd, "OS_Reboot");
    /* A halt status does not answer a reboot. */
    rpci("tools.os.statechange.status 1 1");
    ck_assert_uint_eq(status().state, VMPORT_TRIGGER_DELIVERED);
    rpci("tools.os.statechange.status 1 2");
    ck_assert_uint_eq(status().state, VMPORT_TRIGGER_SUCCEEDED);
    ck_assert_int_eq(tclo_step(&c, "OK "), -2);
    ck_assert_uint_eq(status().state, VMPORT_TRIGGER_SUCCEEDED);
}
END_TEST

START_TEST(error_reply_or_failed_status_is_failure)
{
    struct chan c;
    struct vmport_trigger_status st;

    tools_start(&c, "toolbox");
    ck_assert_int_eq(vmport_trigger(m_d, VMPORT_TRIGGER_HALT), 0);
    ck_assert_int_eq(tclo_step(&c, ""), 8);
    ck_assert_int_eq(tclo_step(&c, "ERROR State change already in progress"),
                     -2);
    ck_assert_uint_eq(status().state, VMPORT_TRIGGER_FAILED);

    ck_assert_int_eq(vmport_trigger(m_d, VMPORT_TRIGGER_HALT), 0);
    ck_assert_int_eq(tclo_step(&c, ""), 8);
    rpci("tools.os.statechange.status 0 1");
    st = status();
    ck_assert_uint_eq(st.state, VMPORT_TRIGGER_FAILED);
    ck_assert_uint_eq(st.guest_status, 0);
}
END_TEST

START_TEST(failed_fetch_requeues_the_power_command)
{
    struct cpu_user_regs r;
    struct chan c;

    tools_start(&c, "toolbox");
    ck_assert_int_eq(vmport_trigger(m_d, VMPORT_TRIGGER_HALT), 0);
    ck_assert_uint_eq(m_send_lb(m_v, &c, "", 0), 0x00810000);
    m_msg(m_v, &r, MESSAGE_TYPE_RECVSIZE, &c, 0);
    ck_assert_uint_eq(r.ebx, 8);
    m_msg(m_v, &r, MESSAGE_TYPE_RECVPAYLOAD, &c, 1);
    /* The guest gives up on the message. */
    m_msg(m_v, &r, MESSAGE_TYPE_RECVPAYLOAD, &c, 0);
    ck_assert_uint_eq(status().state, VMPORT_TRIGGER_QUEUED);
    ck_assert_int_eq(tclo_step(&c, ""), 8);
    ck_assert_str_eq(cmd, "OS_Halt");
    ck_assert_uint_eq(status().state, VMPORT_TRIGGER_DELIVERED);
    ck_assert_int_eq(tclo_step(&c, ""), -2);
}
END_TEST

START_TEST(closed_channel_requeues_the_power_command)
{
    struct cpu_user_regs r;
    struct chan c;

    tools_start(&c, "toolbox");
    ck_assert_int_eq(vmport_trigger(m_d, VMPORT_TRIGGER_HALT), 0);
    ck_assert_uint_eq(m_send_lb(m_v, &c, "", 0), 0x00810000);
    m_msg(m_v, &r, MESSAGE_TYPE_RECVSIZE, &c, 0);
    m_msg(m_v, &r, MESSAGE_TYPE_RECVPAYLOAD, &c, 1);
    ck_assert_uint_eq(m_close(m_v, &c), 0x00010000);
    ck_assert_uint_eq(status().state, VMPORT_TRIGGER_QUEUED);

    /* vmtoolsd restarts its channels 1 s later: reset, then the halt. */
    m_open_ok(m_v, PROTO_TCLO | FLAG_COOKIE, &c);
    ck_assert_int_eq(tclo_step(&c, ""), 6);
    ck_assert_int_eq(tclo_step(&c, "OK ATR toolbox"), 8);
    ck_assert_str_eq(cmd, "OS_Halt");
    ck_assert_uint_eq(status().state, VMPORT_TRIGGER_DELIVERED);
}
END_TEST

START_TEST(trigger_before_tools_start_waits_for_the_reset_cycle)
{
    struct chan c;

    ck_assert_int_eq(vmport_trigger(m_d, VMPORT_TRIGGER_HALT), 0);
    m_open_ok(m_v, PROTO_TCLO | FLAG_COOKIE, &c);
    ck_assert_int_eq(tclo_step(&c, ""), 6);
    ck_assert_str_eq(cmd, "reset");
    ck_assert_int_eq(tclo_step(&c, "OK ATR toolbox"), 8);
    ck_assert_str_eq(cmd, "OS_Halt");
}
END_TEST

START_TEST(power_command_goes_to_toolbox_not_toolbox_dnd)
{
    struct chan user, sys;

    tools_start(&user, "toolbox-dnd");
    tools_start(&sys, "toolbox");
    ck_assert_int_eq(vmport_trigger(m_d, VMPORT_TRIGGER_HALT), 0);
    ck_assert_int_eq(tclo_step(&user, ""), -2);
    ck_assert_int_eq(tclo_step(&sys, ""), 8);
    /* The user service's answers are not the trigger's outcome. */
    ck_assert_int_eq(tclo_step(&user, "ERROR Unknown Command"), -2);
    ck_assert_uint_eq(status().state, VMPORT_TRIGGER_DELIVERED);
}
END_TEST

START_TEST(newest_channel_of_an_application_wins)
{
    struct chan a, b;

    tools_start(&a, "toolbox");
    tools_start(&b, "toolbox");
    ck_assert_int_eq(vmport_trigger(m_d, VMPORT_TRIGGER_HALT), 0);
    ck_assert_int_eq(tclo_step(&a, ""), -2);
    ck_assert_int_eq(tclo_step(&b, ""), 8);
}
END_TEST

START_TEST(undelivered_trigger_times_out_and_is_never_sent)
{
    struct chan c;
    struct vmport_trigger_status st;

    ck_assert_int_eq(vmport_trigger(m_d, VMPORT_TRIGGER_HALT), 0);
    shim_clock_advance(MILLISECS(VMPORT_TRIGGER_TIMEOUT_DEFAULT) - 1);
    ck_assert_uint_eq(status().state, VMPORT_TRIGGER_QUEUED);
    shim_clock_advance(2);
    st = status();
    ck_assert_uint_eq(st.state, VMPORT_TRIGGER_TIMED_OUT);
    ck_assert_int_gt(st.elapsed_ns, MILLISECS(VMPORT_TRIGGER_TIMEOUT_DEFAULT));

    m_open_ok(m_v, PROTO_TCLO | FLAG_COOKIE, &c);
    ck_assert_int_eq(tclo_step(&c, ""), 6);
    ck_assert_int_eq(tclo_step(&c, "OK ATR toolbox"), -2);
    ck_assert_int_eq(tclo_step(&c, ""), -2);
    /* A new trigger may follow. */
    ck_assert_int_eq(vmport_trigger(m_d, VMPORT_TRIGGER_REBOOT), 0);
    ck_assert_int_eq(tclo_step(&c, ""), 10);
}
END_TEST

START_TEST(unanswered_trigger_times_out_after_delivery)
{
    struct chan c;

    tools_start(&c, "toolbox");
    ck_assert_int_eq(vmport_trigger(m_d, VMPORT_TRIGGER_HALT), 0);
    ck_assert_int_eq(tclo_step(&c, ""), 8);
    shim_clock_advance(MILLISECS(VMPORT_TRIGGER_TIMEOUT_DEFAULT) + 1);
    ck_assert_uint_eq(status().state, VMPORT_TRIGGER_TIMED_OUT);
    /* A late answer does not rewrite the outcome. */
    ck_assert_int_eq(tclo_step(&c, "OK "), 5);
    ck_assert_str_eq(cmd, "ping");
    ck_assert_uint_eq(status().state, VMPORT_TRIGGER_TIMED_OUT);
}
END_TEST

START_TEST(trigger_argument_and_state_errors)
{
    struct domain *d = shim_domain_create(9, 1);
    struct vmport_trigger_status st;

    ck_assert_int_eq(vmport_trigger(d, VMPORT_TRIGGER_HALT), -ENODEV);
    ck_assert_int_eq(vmport_trigger_status(d, &st), -ENODEV);
    shim_domain_destroy(d);

    st = status();
    ck_assert_uint_eq(st.state, VMPORT_TRIGGER_IDLE);
    ck_assert_int_eq(st.elapsed_ns, 0);
    ck_assert_int_eq(vmport_trigger(m_d, VMPORT_TRIGGER_NONE), -EINVAL);
    ck_assert_int_eq(vmport_trigger(m_d, 77), -EINVAL);
    ck_assert_int_eq(vmport_trigger(m_d, VMPORT_TRIGGER_HALT), 0);
    ck_assert_int_eq(vmport_trigger(m_d, VMPORT_TRIGGER_REBOOT), -EBUSY);
}
END_TEST

START_TEST(reclaim_spares_tclo_channel_with_queued_commands)
{
    struct chan tclo, rpc[7], extra;
    unsigned int i;

    /* The TCLO channel is the oldest, and idle, but holds OS_Halt. */
    tools_start(&tclo, "toolbox");
    ck_assert_int_eq(vmport_trigger(m_d, VMPORT_TRIGGER_HALT), 0);
    shim_clock_advance(MILLISECS(10));
    for ( i = 0; i < 7; i++ )
        m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &rpc[i]);
    shim_clock_advance(MILLISECS(VMPORT_IDLE_TIMEOUT_DEFAULT + 1));
    m_open_ok(m_v, PROTO_RPCI | FLAG_COOKIE, &extra);
    ck_assert_uint_eq(extra.id, rpc[0].id);
    ck_assert(m_vd()->channels[tclo.id].in_use);
    ck_assert_int_ge(shim_log_find("reclaiming idle channel"), 0);
}
END_TEST

START_TEST(application_table_full_leaves_channel_unbound)
{
    struct chan c[6];
    char name[16];
    unsigned int i;

    for ( i = 0; i < VMPORT_MAX_APPS + 2; i++ )
    {
        snprintf(name, sizeof(name), "app%u", i);
        tools_start(&c[i], name);
    }
    ck_assert_uint_eq(m_vd()->channels[c[VMPORT_MAX_APPS].id].app,
                      VMPORT_APP_NONE);
    /* Names longer than the limit are not bound either. */
    m_close(m_v, &c[0]);
    tools_start(&c[0], "an-application-name-longer-than-31");
    ck_assert_uint_eq(m_vd()->channels[c[0].id].app, VMPORT_APP_NONE);
}
END_TEST

static Suite *tclo_suite(void)
{
    Suite *s = suite_create("tclo");
    TCase *t = tcase_create("tclo");

    tcase_add_checked_fixture(t, m_setup, m_teardown);
    tcase_add_test(t, reset_with_nul_on_every_new_tclo_channel);
    tcase_add_test(t, atr_reply_binds_the_application);
    tcase_add_test(t, failed_reset_fetch_is_delivered_again);
    tcase_add_test(t, ping_follows_the_documented_interval);
    tcase_add_test(t, halt_is_delivered_exactly_once_and_reply_recorded);
    tcase_add_test(t, statechange_before_ok_reply_keeps_success);
    tcase_add_test(t, error_reply_or_failed_status_is_failure);
    tcase_add_test(t, failed_fetch_requeues_the_power_command);
    tcase_add_test(t, closed_channel_requeues_the_power_command);
    tcase_add_test(t, trigger_before_tools_start_waits_for_the_reset_cycle);
    tcase_add_test(t, power_command_goes_to_toolbox_not_toolbox_dnd);
    tcase_add_test(t, newest_channel_of_an_application_wins);
    tcase_add_test(t, undelivered_trigger_times_out_and_is_never_sent);
    tcase_add_test(t, unanswered_trigger_times_out_after_delivery);
    tcase_add_test(t, trigger_argument_and_state_errors);
    tcase_add_test(t, reclaim_spares_tclo_channel_with_queued_commands);
    tcase_add_test(t, application_table_full_leaves_channel_unbound);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return h_run_suite(tclo_suite());
}

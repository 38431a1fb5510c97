/*
 * wfi: WFI wake-up by the timer interrupt, with PSTATE.I clear and set.
 *
 * CNTP (INTID 30) is the test interrupt. CNTV (INTID 27), armed for 500 ms
 * at each test, is a watchdog: if WFI does not wake for CNTP, the watchdog
 * interrupt wakes it (a pending IRQ wakes WFI even when PSTATE.I masks it)
 * and the test reports TIMEOUT instead of hanging. The main flow and the
 * handler append to an event log that is printed after each test; spurious
 * WFI wake-ups are allowed by the architecture, so WFI sits in loops and the
 * log records only architecturally ordered events.
 */
#include "rt.h"
#include "uart.h"
#include "gic.h"
#include "timer.h"

enum ev {
    EV_ARMED = 1,
    EV_HANDLER,
    EV_WFI_DONE,
    EV_WOKE_PENDING,
    EV_DAIFCLR,
    EV_RESUMED,
    EV_WFE_DONE,
    EV_WATCHDOG,
};
static const char *const ev_name[] = {
    "?",
    "CNTP armed (1 ms)",
    "IRQ handler ran for INTID 30",
    "left the WFI loop",
    "woke from WFI with PSTATE.I set: INTID 30 pending, handler not run",
    "msr daifclr, #2",
    "continued after the handler",
    "SEVL; WFE completed",
    "WATCHDOG",
};

static volatile unsigned evlog[16], nev;
static volatile unsigned p_handled, watchdog_fired, other_irqs;

static void log_ev(unsigned e) {
    if (nev < 16)
        evlog[nev] = e;
    nev++;
    barrier();
}

static int irq_hook(struct rt_frame *f, unsigned vec) {
    u32 iar = gic_ack();
    unsigned id = gic_iar_intid(iar);
    if (id >= 1020)
        return 1;
    if (id == TIMER_CNTP_INTID) {
        cntp_set_ctl(0);
        p_handled++;
        log_ev(EV_HANDLER);
    } else if (id == TIMER_CNTV_INTID) {
        cntv_set_ctl(0);
        watchdog_fired++;
        log_ev(EV_WATCHDOG);
    } else {
        other_irqs++;
    }
    gic_eoi(iar);
    return 1;
}

static void begin(const char *name) {
    put_str("== ");
    put_str(name);
    put_nl();
    nev = 0;
    p_handled = 0;
    watchdog_fired = 0;
    barrier();
    cntv_set_tval((u32)timer_us(500000));
    cntv_set_ctl(CTL_ENABLE);
}

static void end(void) {
    cntv_set_ctl(0);
    cntp_set_ctl(0);
    for (unsigned i = 0; i < nev && i < 16; i++) {
        put_kv_dec("  event ", i + 1);
        put_str(": ");
        put_str(ev_name[evlog[i]]);
        put_nl();
    }
}

static int log_is(const unsigned *want, unsigned n) {
    if (nev != n)
        return 0;
    for (unsigned i = 0; i < n; i++)
        if (evlog[i] != want[i])
            return 0;
    return 1;
}

static void test_unmasked(void) {
    begin("WFI with PSTATE.I clear");
    irq_enable();
    log_ev(EV_ARMED);
    cntp_set_tval((u32)timer_us(1000));
    cntp_set_ctl(CTL_ENABLE);
    for (u64 i = 0; !p_handled; i++) {
        if (watchdog_fired || i > SPIN_LIMIT)
            rt_timeout("WFI was not woken by the timer interrupt");
        wfi();
    }
    log_ev(EV_WFI_DONE);
    irq_disable();
    end();
    static const unsigned want[] = { EV_ARMED, EV_HANDLER, EV_WFI_DONE };
    check(log_is(want, 3), "timer interrupt woke WFI and the handler ran");
}

static void test_masked(void) {
    begin("WFI with PSTATE.I set (msr daifset, #2)");
    irq_disable();
    log_ev(EV_ARMED);
    cntp_set_tval((u32)timer_us(1000));
    cntp_set_ctl(CTL_ENABLE);
    for (u64 i = 0; !gic_pending(TIMER_CNTP_INTID); i++) {
        if (gic_pending(TIMER_CNTV_INTID) || i > SPIN_LIMIT)
            rt_timeout("WFI with PSTATE.I set: CNTP never became pending");
        wfi();
    }
    if (p_handled == 0)
        log_ev(EV_WOKE_PENDING);
    log_ev(EV_DAIFCLR);
    irq_enable();
    isb();
    WAIT_UNTIL(p_handled, 1000000, "handler after msr daifclr");
    log_ev(EV_RESUMED);
    irq_disable();
    end();
    static const unsigned want[] = { EV_ARMED, EV_WOKE_PENDING, EV_DAIFCLR, EV_HANDLER, EV_RESUMED };
    check(log_is(want, 5), "WFI woke with the IRQ masked; handler ran only after daifclr");
}

static void test_already_pending(void) {
    begin("WFI with PSTATE.I set and INTID 30 already pending");
    irq_disable();
    cntp_set_tval(0);
    cntp_set_ctl(CTL_ENABLE);
    WAIT_UNTIL(gic_pending(TIMER_CNTP_INTID), 1000000, "CNTP pending");
    wfi();
    int wd = gic_pending(TIMER_CNTV_INTID);
    put_kv_dec("  after WFI: INTID 30 pending ", gic_pending(TIMER_CNTP_INTID));
    put_kv_dec(" watchdog pending ", wd);
    put_kv_dec(" handler runs ", p_handled);
    put_nl();
    check(!wd && p_handled == 0, "WFI completes at once when an interrupt is pending");
    irq_enable();
    isb();
    WAIT_UNTIL(p_handled, 1000000, "handler after msr daifclr");
    irq_disable();
    end();
    check(p_handled == 1 && !watchdog_fired, "handler ran once after daifclr");
}

static void test_sevl_wfe(void) {
    begin("SEVL then WFE (event register set)");
    irq_enable();
    __asm__ volatile("sevl\n\twfe" ::: "memory");
    log_ev(EV_WFE_DONE);
    irq_disable();
    end();
    static const unsigned want[] = { EV_WFE_DONE };
    check(log_is(want, 1), "WFE returned without waiting for the watchdog");
}

int main(void) {
    put_str("wfi: WFI wake-up with the timer interrupt, GICv");
    put_dec(gic_version());
    put_nl();
    cntp_set_ctl(0);
    cntv_set_ctl(0);
    gic_dist_init();
    gic_cpu_init();
    rt_irq_hook = irq_hook;
    gic_enable_int(TIMER_CNTP_INTID);
    gic_enable_int(TIMER_CNTV_INTID);
    test_unmasked();
    test_masked();
    test_already_pending();
    test_sevl_wfe();
    check(other_irqs == 0, "no other INTIDs acknowledged");
    return 0;
}

/*
 * bench_idle: 4 cores idle in WFI, each woken by its own 1 kHz timer.
 *
 * Each core programs CNTP for every millisecond (CVAL += period in the
 * handler, so no tick drifts) and sleeps in WFI. After 1000 ticks on core 0,
 * one simulated second, core 0 prints the tick counts and powers off. This is
 * the idle case: almost all simulated time is spent waiting.
 */
#include "rt.h"
#include "uart.h"
#include "psci.h"
#include "gic.h"
#include "timer.h"

#define TICKS 1000

static u64 period;
static volatile u32 ticks[RT_MAX_CORES];

static int irq_hook(struct rt_frame *f, unsigned vec) {
    u32 iar = gic_ack();
    unsigned id = gic_iar_intid(iar);
    if (id == GIC_SPURIOUS)
        return 1;
    if (id == TIMER_CNTP_INTID) {
        cntp_set_cval(cntp_cval() + period);
        ticks[core_id()]++;
    }
    gic_eoi(iar);
    return 1;
}

static void start_ticking(void) {
    gic_cpu_init();
    gic_enable_int(TIMER_CNTP_INTID);
    cntp_set_cval(cntpct() + period);
    cntp_set_ctl(CTL_ENABLE);
    irq_enable();
}

void secondary_main(u64 ctx) {
    start_ticking();
    for (;;)
        wfi();
}

int main(void) {
    period = timer_freq() / 1000;
    rt_irq_hook = irq_hook;
    gic_dist_init();
    for (unsigned c = 1; c < RT_MAX_CORES; c++)
        psci_cpu_on(c, rt_secondary_entry, c);
    start_ticking();
    while (load_acquire(&ticks[0]) < TICKS)
        wfi();
    irq_disable();
    for (unsigned c = 0; c < RT_MAX_CORES; c++) {
        put_str("core ");
        put_dec(c);
        put_str(" ticks ");
        put_dec(ticks[c]);
        put_str("\n");
    }
    rt_done();
}

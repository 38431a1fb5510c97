#include "rt.h"
#include "uart.h"
#include "psci.h"
#include "spinlock.h"

rt_sync_hook_t rt_sync_hook;
rt_irq_hook_t rt_irq_hook;
unsigned rt_failures;
static spinlock_t fatal_lock;

void rt_c_start(void);
void rt_secondary_c(u64 context_id);
void rt_exception(struct rt_frame *f, unsigned vec, u64 esr, u64 far);

void rt_c_start(void) {
    uart_init();
    main();
    put_kv_dec("failures ", rt_failures);
    put_nl();
    rt_done();
}

__attribute__((weak)) void secondary_main(u64 context_id) { (void)context_id; }

void rt_secondary_c(u64 context_id) {
    secondary_main(context_id);
    psci_cpu_off();
    for (;;)
        wfi();
}

void rt_poweroff(void) {
    uart_flush();
    psci_system_off();
}

void rt_done(void) {
    put_str("DONE\n");
    rt_poweroff();
}

void rt_timeout(const char *what) {
    put_str("TIMEOUT ");
    put_str(what);
    put_nl();
    rt_done();
}

int check(int cond, const char *name) {
    put_str(cond ? "PASS " : "FAIL ");
    put_str(name);
    put_nl();
    if (!cond)
        rt_failures++;
    return cond;
}

u64 timer_freq(void) { return read_sysreg(cntfrq_el0); }

u64 counter_now(void) {
    isb();
    return read_sysreg(cntpct_el0);
}

void rt_el0_exit(struct rt_frame *f, u64 value) {
    extern char rt_el0_return[];
    f->x[0] = value;
    f->elr = (u64)rt_el0_return;
    f->spsr = 0x3c5; /* EL1h, DAIF masked */
}

static int is_irq_vec(unsigned vec) { return (vec & 3) == 1; }

void rt_exception(struct rt_frame *f, unsigned vec, u64 esr, u64 far) {
    if (is_irq_vec(vec)) {
        if (rt_irq_hook && rt_irq_hook(f, vec))
            return;
    } else if ((vec & 3) == 0) {
        if (rt_sync_hook && rt_sync_hook(f, vec, esr, far))
            return;
    }
    /* unhandled: report once (the lock keeps cores from interleaving) */
    spin_lock_bounded(&fatal_lock, 100000000UL);
    put_str("UNEXPECTED EXCEPTION core ");
    put_dec(core_id());
    put_kv_hex(" vector ", vec * 0x80);
    put_kv_hex(" ESR ", esr);
    put_kv_hex(" FAR ", far);
    put_kv_hex(" ELR ", f->elr);
    put_kv_hex(" SPSR ", f->spsr);
    put_nl();
    put_str("FAIL unexpected exception\n");
    rt_done();
}

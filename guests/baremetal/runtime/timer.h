/* ARM generic timer: EL1 physical (CNTP) and virtual (CNTV) timers. */
#ifndef BM_TIMER_H
#define BM_TIMER_H
#include "rt.h"

#define TIMER_CNTP_INTID 30 /* non-secure EL1 physical timer PPI */
#define TIMER_CNTV_INTID 27 /* virtual timer PPI */

#define CTL_ENABLE (1u << 0)
#define CTL_IMASK (1u << 1)
#define CTL_ISTATUS (1u << 2)

static inline u64 cntpct(void) { isb(); return read_sysreg(cntpct_el0); }
static inline u64 cntvct(void) { isb(); return read_sysreg(cntvct_el0); }

static inline u32 cntp_ctl(void) { return read_sysreg(cntp_ctl_el0); }
static inline void cntp_set_ctl(u32 v) { write_sysreg(cntp_ctl_el0, v); isb(); }
static inline void cntp_set_tval(u32 v) { write_sysreg(cntp_tval_el0, v); isb(); }
static inline s32 cntp_tval(void) { return (s32)read_sysreg(cntp_tval_el0); }
static inline void cntp_set_cval(u64 v) { write_sysreg(cntp_cval_el0, v); isb(); }
static inline u64 cntp_cval(void) { return read_sysreg(cntp_cval_el0); }

static inline u32 cntv_ctl(void) { return read_sysreg(cntv_ctl_el0); }
static inline void cntv_set_ctl(u32 v) { write_sysreg(cntv_ctl_el0, v); isb(); }
static inline void cntv_set_tval(u32 v) { write_sysreg(cntv_tval_el0, v); isb(); }
static inline s32 cntv_tval(void) { return (s32)read_sysreg(cntv_tval_el0); }
static inline void cntv_set_cval(u64 v) { write_sysreg(cntv_cval_el0, v); isb(); }
static inline u64 cntv_cval(void) { return read_sysreg(cntv_cval_el0); }

/* ticks in `us` microseconds at CNTFRQ_EL0 (at least 1) */
static inline u64 timer_us(u64 us) {
    u64 t = timer_freq() / 1000000UL * us;
    return t ? t : 1;
}

/* busy-wait for `us` microseconds of counter time */
static inline void spin_us(u64 us) {
    u64 end = cntpct() + timer_us(us);
    for (u64 i = 0; i < SPIN_LIMIT && cntpct() < end; i++)
        ;
}

/*
 * Spin until `cond` holds; after `us` microseconds of counter time (or
 * SPIN_LIMIT iterations, in case the counter does not move) print
 * "TIMEOUT <what>" and power off.
 */
#define WAIT_UNTIL(cond, us, what)                                   \
    do {                                                             \
        u64 __end = cntpct() + timer_us(us);                         \
        for (u64 __i = 0; !(cond); __i++)                            \
            if (__i >= SPIN_LIMIT || cntpct() > __end)               \
                rt_timeout(what);                                    \
    } while (0)

#endif

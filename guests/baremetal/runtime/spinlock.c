#include "spinlock.h"

int spin_lock_bounded(spinlock_t *l, u64 tries) {
    u32 val, fail;
    for (u64 i = 0; i < tries; i++) {
        __asm__ volatile("ldaxr %w0, [%2]\n\t"
                         "cbnz %w0, 1f\n\t"
                         "stlxr %w1, %w3, [%2]\n\t"
                         "b 2f\n"
                         "1:\tclrex\n\t"
                         "mov %w1, #1\n"
                         "2:"
                         : "=&r"(val), "=&r"(fail)
                         : "r"(&l->v), "r"(1u)
                         : "memory");
        if (!fail)
            return 1;
    }
    return 0;
}

void spin_unlock(spinlock_t *l) {
    __asm__ volatile("stlr wzr, [%0]" : : "r"(&l->v) : "memory");
}

u64 atomic_inc_llsc(volatile u64 *p) {
    u64 val;
    u32 fail;
    __asm__ volatile("1:\tldxr %0, [%2]\n\t"
                     "add %0, %0, #1\n\t"
                     "stxr %w1, %0, [%2]\n\t"
                     "cbnz %w1, 1b"
                     : "=&r"(val), "=&r"(fail)
                     : "r"(p)
                     : "memory");
    return val;
}

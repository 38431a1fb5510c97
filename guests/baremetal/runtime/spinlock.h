/* Spinlock (LDAXR/STLXR acquire, STLR release) and an LDXR/STXR atomic
 * increment; no LSE. */
#ifndef BM_SPINLOCK_H
#define BM_SPINLOCK_H
#include "rt.h"

typedef struct { volatile u32 v; } spinlock_t;

/* Try up to `tries` times; returns 1 when the lock is held, 0 on give-up. */
int spin_lock_bounded(spinlock_t *l, u64 tries);
void spin_unlock(spinlock_t *l);
/* *p += 1 with a plain LDXR/STXR retry loop; returns the new value. */
u64 atomic_inc_llsc(volatile u64 *p);

#endif

/*
 * Shared helpers for the timing microbenchmarks (guests/timing/tm_*.c).
 *
 * Every program takes the iteration count N as its first argument, runs a
 * kernel whose loop is written in inline assembly N times, checks the result
 * with a test whose cost does not depend on N, prints nothing and exits 0.
 * Bad arguments: a message on stderr and exit 2.  A wrong result: a message
 * on stderr and exit 1.  See guests/timing/README.md.
 */
#ifndef EVLSIM_TM_H
#define EVLSIM_TM_H

#include "rt.h"

static inline __attribute__((noreturn)) void tm_fail(const char *what)
{
    fd_print(2, what);
    fd_print(2, "\n");
    exit(1);
}

static inline __attribute__((noreturn)) void tm_usage(const char *usage)
{
    fd_print(2, "usage: ");
    fd_print(2, usage);
    fd_print(2, "\n");
    exit(2);
}

/* argv[idx] as a decimal number (digits only, at most 18 of them); the
 * default when the argument is absent; usage error when it is malformed. */
static inline u64 tm_arg(int argc, char **argv, int idx, u64 dflt, const char *usage)
{
    if (idx >= argc)
        return dflt;
    const char *s = argv[idx];
    u64 v = 0;
    int digits = 0;
    for (; *s; s++, digits++) {
        if (*s < '0' || *s > '9' || digits == 18)
            tm_usage(usage);
        v = v * 10 + (u64)(*s - '0');
    }
    if (digits == 0)
        tm_usage(usage);
    return v;
}

/* N: the first argument, required, at least 1 (the kernels count down with
 * subs/b.ne and must not start at zero). */
static inline u64 tm_iterations(int argc, char **argv, const char *usage)
{
    if (argc < 2)
        tm_usage(usage);
    u64 n = tm_arg(argc, argv, 1, 0, usage);
    if (n == 0)
        tm_usage(usage);
    return n;
}

static inline void *tm_alloc(u64 bytes)
{
    void *p = sys_mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (rt_is_err((long)p))
        tm_fail("mmap failed");
    return p;
}

/* Evict the data caches: write one word in every 64-byte line of a fresh
 * 8 MiB buffer (8x the largest L2 of the simulated boards), so that with LRU
 * replacement nothing written during setup is still cached when the timed
 * loop starts.  The stores are volatile so gcc keeps every one of them. */
#define TM_SCRUB_BYTES (8UL << 20)
static inline void tm_scrub(void)
{
    volatile u64 *p = tm_alloc(TM_SCRUB_BYTES);
    for (u64 i = 0; i < TM_SCRUB_BYTES / 8; i += 8)
        p[i] = i;
}

/* 64-bit LCG (Knuth's MMIX constants), fixed seed: deterministic setup. */
static inline u64 tm_lcg(u64 *state)
{
    *state = *state * 6364136223846793005UL + 1442695040888963407UL;
    return *state;
}

#endif

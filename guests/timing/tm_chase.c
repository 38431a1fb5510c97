/*
 * tm_chase N [S]: pointer chase through a buffer of S bytes (default 16384).
 *
 * The buffer holds S/64 nodes, one at the start of every 64-byte line; each
 * node holds the address of the next.  The order is one random cycle through
 * all nodes (Sattolo's shuffle driven by a fixed-seed LCG, so every run
 * builds the same chain), which defeats next-line and stride prefetchers.
 * Setup builds the chain, walks it once to check it is a single cycle of
 * S/64 nodes, then evicts the caches (tm_scrub); none of this depends on N.
 *
 * Loop (3 instructions, one iteration):
 *     ldr  x0, [x0]            the next address depends on this load
 *     subs x1, x1, #1
 *     b.ne 1b
 * Cycles per iteration = load-to-use latency of the level the buffer lives
 * in: S = 16384 (L1), 262144 (L2), 67108864 (DRAM).  See README.md.
 * Exit 0 when the final pointer is a node of the buffer.
 */
#include "rt.h"
#include "tm.h"

int main(int argc, char **argv)
{
    const char *usage = "tm_chase N [S bytes, a multiple of 64, 128..2^32]";
    u64 n = tm_iterations(argc, argv, usage);
    u64 s = tm_arg(argc, argv, 2, 16384, usage);
    if (s < 128 || s % 64 != 0 || s > (1UL << 32))
        tm_usage(usage);
    u64 nodes = s / 64;
    u64 *buf = tm_alloc(s);
#define NODE(i) buf[(i) * 8]

    /* Sattolo: a uniformly random permutation with a single cycle.  Node i
     * first holds the index of its successor, then its address. */
    for (u64 i = 0; i < nodes; i++)
        NODE(i) = i;
    u64 seed = 0x2545f4914f6cdd1dUL;
    for (u64 i = nodes - 1; i > 0; i--) {
        u64 j = ((tm_lcg(&seed) >> 32) * i) >> 32;      /* 0 <= j < i */
        u64 t = NODE(i);
        NODE(i) = NODE(j);
        NODE(j) = t;
    }
    for (u64 i = 0; i < nodes; i++)
        NODE(i) = (u64)&NODE(NODE(i));

    /* one full cycle back to node 0, not earlier */
    u64 *p = (u64 *)NODE(0);
    u64 steps = 1;
    while (p != &NODE(0) && steps <= nodes) {
        p = (u64 *)*p;
        steps++;
    }
    if (steps != nodes)
        tm_fail("tm_chase: the chain is not a single cycle");
    tm_scrub();

    u64 x = (u64)&NODE(0);
    __asm__ volatile(
        "mov    x1, %[n]\n\t"
        "mov    x0, %[x]\n\t"
        ".p2align 6\n"
        "1:\n\t"
        "ldr    x0, [x0]\n\t"
        "subs   x1, x1, #1\n\t"
        "b.ne   1b\n\t"
        "mov    %[x], x0\n\t"
        : [x] "+r"(x)
        : [n] "r"(n)
        : "x0", "x1", "cc", "memory");
    if (x < (u64)buf || x >= (u64)buf + s || (x - (u64)buf) % 64 != 0)
        tm_fail("tm_chase: final pointer outside the chain");
    return 0;
}

/*
 * tm_chain_add N: a dependent chain of 16 `add x0, x0, #1` per iteration.
 *
 * Loop (18 instructions, one iteration):
 *     subs x1, x1, #1          loop counter, first so that b.ne can pair
 *     add  x0, x0, #1   x16    each add needs the previous one's result
 *     b.ne 1b
 * Expected: 16 cycles per iteration on Cortex-A53 and Cortex-A72 (ADD
 * latency 1); the counter and branch are off the critical path.  Exit 0 when
 * x0 == 16 * N.  See README.md.
 */
#include "rt.h"
#include "tm.h"

int main(int argc, char **argv)
{
    u64 n = tm_iterations(argc, argv, "tm_chain_add N");
    u64 x = 0;
    __asm__ volatile(
        "mov    x1, %[n]\n\t"
        "mov    x0, %[x]\n\t"
        ".p2align 6\n"
        "1:\n\t"
        "subs   x1, x1, #1\n\t"
        ".rept 16\n\t"
        "add    x0, x0, #1\n\t"
        ".endr\n\t"
        "b.ne   1b\n\t"
        "mov    %[x], x0\n\t"
        : [x] "+r"(x)
        : [n] "r"(n)
        : "x0", "x1", "cc");
    if (x != 16 * n)
        tm_fail("tm_chain_add: wrong sum");
    return 0;
}

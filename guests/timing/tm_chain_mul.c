/*
 * tm_chain_mul N [W]: a dependent chain of 8 multiplies per iteration.
 *
 * W = 0 (default): 64-bit `mul x0, x0, x1`; W = 1: 32-bit `mul w0, w0, w1`.
 * Loop (10 instructions, one iteration):
 *     subs x2, x2, #1
 *     mul  x0, x0, x1   x8     (or mul w0, w0, w1)
 *     b.ne 1b
 * Expected (README.md): X form 40 cycles per iteration on Cortex-A72
 * (latency 5), 32 on Cortex-A53 (latency 4); W form 24 on both (latency 3).
 * Exit 0 when x0 == K^(8N) (mod 2^64 or 2^32), computed afterwards with a
 * fixed 64-step square-and-multiply, whose cost does not depend on N.
 */
#include "rt.h"
#include "tm.h"

#define K 0x9e3779b97f4a7c15UL   /* odd: the product never becomes 0 */

static u64 power(u64 base, u64 e)
{
    u64 r = 1;
    for (int i = 63; i >= 0; i--) {
        r *= r;
        if ((e >> i) & 1)
            r *= base;
    }
    return r;
}

int main(int argc, char **argv)
{
    const char *usage = "tm_chain_mul N [0=64-bit|1=32-bit]";
    u64 n = tm_iterations(argc, argv, usage);
    u64 w = tm_arg(argc, argv, 2, 0, usage);
    u64 x = 1;
    if (w == 0) {
        __asm__ volatile(
            "mov    x2, %[n]\n\t"
            "mov    x1, %[k]\n\t"
            "mov    x0, %[x]\n\t"
            ".p2align 6\n"
            "1:\n\t"
            "subs   x2, x2, #1\n\t"
            ".rept 8\n\t"
            "mul    x0, x0, x1\n\t"
            ".endr\n\t"
            "b.ne   1b\n\t"
            "mov    %[x], x0\n\t"
            : [x] "+r"(x)
            : [n] "r"(n), [k] "r"(K)
            : "x0", "x1", "x2", "cc");
        if (x != power(K, 8 * n))
            tm_fail("tm_chain_mul: wrong 64-bit product");
    } else if (w == 1) {
        __asm__ volatile(
            "mov    x2, %[n]\n\t"
            "mov    x1, %[k]\n\t"
            "mov    x0, %[x]\n\t"
            ".p2align 6\n"
            "1:\n\t"
            "subs   x2, x2, #1\n\t"
            ".rept 8\n\t"
            "mul    w0, w0, w1\n\t"
            ".endr\n\t"
            "b.ne   1b\n\t"
            "mov    %[x], x0\n\t"
            : [x] "+r"(x)
            : [n] "r"(n), [k] "r"(K)
            : "x0", "x1", "x2", "cc");
        if (x != (u32)power(K, 8 * n))
            tm_fail("tm_chain_mul: wrong 32-bit product");
    } else {
        tm_usage(usage);
    }
    return 0;
}

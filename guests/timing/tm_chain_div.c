/*
 * tm_chain_div N [MODE]: a dependent chain of 8 unsigned divides per
 * iteration.  The divisor is always 1, so the quotient equals the dividend
 * and the chain carries the same value forever: every divide in the run sees
 * the same operands, so its early-exit latency is the same every time.
 *
 *   MODE 0 (default)  udiv x0, x0, x1   x0 = 1,          x1 = 1  (1 quotient bit: fastest)
 *   MODE 1            udiv x0, x0, x1   x0 = 2^64 - 1,   x1 = 1  (64 quotient bits: slowest X form)
 *   MODE 2            udiv w0, w0, w1   w0 = 2^32 - 1,   w1 = 1  (32 quotient bits: slowest W form)
 *   MODE 3            udiv w0, w0, w1   w0 = 1,          w1 = 1  (fastest W form)
 *
 * Loop (10 instructions, one iteration): subs x2, x2, #1; udiv x8; b.ne 1b.
 * Expected on Cortex-A72: 8 x 4 = 32 (modes 0, 3), 8 x 20 = 160 (mode 1),
 * 8 x 12 = 96 (mode 2); on Cortex-A53: 8 x 3 = 24 (modes 0, 3); modes 1 and 2
 * are not published for the A53 (see README.md).  Exit 0 when the value is
 * unchanged at the end.
 */
#include "rt.h"
#include "tm.h"

#define DIV_LOOP(insn)                              \
    __asm__ volatile(                               \
        "mov    x2, %[n]\n\t"                       \
        "mov    x1, #1\n\t"                         \
        "mov    x0, %[x]\n\t"                       \
        ".p2align 6\n"                              \
        "1:\n\t"                                    \
        "subs   x2, x2, #1\n\t"                     \
        ".rept 8\n\t"                               \
        insn "\n\t"                                 \
        ".endr\n\t"                                 \
        "b.ne   1b\n\t"                             \
        "mov    %[x], x0\n\t"                       \
        : [x] "+r"(x)                               \
        : [n] "r"(n)                                \
        : "x0", "x1", "x2", "cc")

int main(int argc, char **argv)
{
    const char *usage = "tm_chain_div N [0=x 1/1|1=x (2^64-1)/1|2=w (2^32-1)/1|3=w 1/1]";
    u64 n = tm_iterations(argc, argv, usage);
    u64 mode = tm_arg(argc, argv, 2, 0, usage);
    u64 x, start;
    switch (mode) {
    case 0:
        x = start = 1;
        DIV_LOOP("udiv   x0, x0, x1");
        break;
    case 1:
        x = start = ~0UL;
        DIV_LOOP("udiv   x0, x0, x1");
        break;
    case 2:
        x = start = 0xffffffffUL;
        DIV_LOOP("udiv   w0, w0, w1");
        break;
    case 3:
        x = start = 1;
        DIV_LOOP("udiv   w0, w0, w1");
        break;
    default:
        tm_usage(usage);
    }
    if (x != start)
        tm_fail("tm_chain_div: value changed");
    return 0;
}

/*
 * tm_branch N [MODE]: a loop with one conditional branch whose direction is
 * bit 31 of a 32-bit LCG (w3 = w3 * 1664525 + 1013904223) ANDed with a mask:
 *
 *   MODE 0 (default)  mask 0            cbz always taken (predicted perfectly)
 *   MODE 1            mask 0x80000000   taken or not at random (period 2^32;
 *                                       no predictor can learn it: ~50% miss)
 *
 * The instruction stream is identical in both modes; only w7 differs.  The
 * bit used in iteration i comes from the LCG state of iteration i-1, so the
 * branch's operand is ready early and it resolves as soon as it executes.
 * Both directions execute one taken branch before the loop branch.
 *
 * Loop (6 instructions when taken, 7 when not):
 *     1: and  w6, w3, w7
 *        madd w3, w3, w4, w5         next LCG state
 *        cbz  w6, 2f
 *        add  x8, x8, #1             not taken: count
 *        b    3f
 *     2: add  x9, x9, #1             taken: count
 *     3: subs x1, x1, #1
 *        b.ne 1b
 * cycles(MODE 1) - cycles(MODE 0) per iteration ~= 0.5 x mispredict penalty
 * (README.md).  Exit 0 when the two counts add up to N and, in mode 0, none
 * was not-taken (in mode 1, for N >= 1024, between 3/8 and 5/8 of N).
 */
#include "rt.h"
#include "tm.h"

int main(int argc, char **argv)
{
    const char *usage = "tm_branch N [0=always taken|1=random]";
    u64 n = tm_iterations(argc, argv, usage);
    u64 mode = tm_arg(argc, argv, 2, 0, usage);
    if (mode > 1)
        tm_usage(usage);
    u64 mask = mode ? 0x80000000UL : 0;
    u64 not_taken, taken;
    __asm__ volatile(
        "mov    x1, %[n]\n\t"
        "mov    w3, #0x1234\n\t"
        "movk   w3, #0x5678, lsl #16\n\t"
        "mov    w4, #0x660d\n\t"            /* 1664525 = 0x0019660d */
        "movk   w4, #0x19, lsl #16\n\t"
        "mov    w5, #0xf35f\n\t"            /* 1013904223 = 0x3c6ef35f */
        "movk   w5, #0x3c6e, lsl #16\n\t"
        "mov    x7, %[m]\n\t"
        "mov    x8, #0\n\t"
        "mov    x9, #0\n\t"
        ".p2align 6\n"
        "1:\n\t"
        "and    w6, w3, w7\n\t"
        "madd   w3, w3, w4, w5\n\t"
        "cbz    w6, 2f\n\t"
        "add    x8, x8, #1\n\t"
        "b      3f\n"
        "2:\n\t"
        "add    x9, x9, #1\n"
        "3:\n\t"
        "subs   x1, x1, #1\n\t"
        "b.ne   1b\n\t"
        "mov    %[nt], x8\n\t"
        "mov    %[t], x9\n\t"
        : [nt] "=&r"(not_taken), [t] "=&r"(taken)
        : [n] "r"(n), [m] "r"(mask)
        : "x1", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "cc");
    if (not_taken + taken != n)
        tm_fail("tm_branch: counts do not add up to N");
    if (mode == 0 && not_taken != 0)
        tm_fail("tm_branch: mode 0 branch was not taken");
    if (mode == 1 && n >= 1024 && (not_taken < n / 8 * 3 || not_taken > n / 8 * 5))
        tm_fail("tm_branch: mode 1 branch is not random");
    return 0;
}

/*
 * tm_indep_alu N: 64 independent `add xK, xK, #1` per iteration spread over
 * the 16 registers x2..x17 (four rounds of x2, x3, ..., x17), so no add
 * waits for the one before it: the loop measures issue width, not latency.
 *
 * Loop (66 instructions, one iteration):
 *     subs x1, x1, #1
 *     add  x2, x2, #1 ... add x17, x17, #1     x4
 *     b.ne 1b
 * Expected: 33 cycles per iteration on Cortex-A53 (2 instructions per
 * cycle), 32.5 on Cortex-A72 (65 ADD/SUBS on its two integer pipes I0/I1;
 * decode alone would allow 22).  Exit 0 when the 16 registers sum to 64 * N.
 */
#include "rt.h"
#include "tm.h"

int main(int argc, char **argv)
{
    u64 n = tm_iterations(argc, argv, "tm_indep_alu N");
    u64 sum;
    __asm__ volatile(
        "mov    x1, %[n]\n\t"
        ".irp r, 2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17\n\t"
        "mov    x\\r, #0\n\t"
        ".endr\n\t"
        ".p2align 6\n"
        "1:\n\t"
        "subs   x1, x1, #1\n\t"
        ".rept 4\n\t"
        ".irp r, 2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17\n\t"
        "add    x\\r, x\\r, #1\n\t"
        ".endr\n\t"
        ".endr\n\t"
        "b.ne   1b\n\t"
        "mov    %[s], #0\n\t"
        ".irp r, 2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17\n\t"
        "add    %[s], %[s], x\\r\n\t"
        ".endr\n\t"
        : [s] "=&r"(sum)
        : [n] "r"(n)
        : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10",
          "x11", "x12", "x13", "x14", "x15", "x16", "x17", "cc");
    if (sum != 64 * n)
        tm_fail("tm_indep_alu: wrong sum");
    return 0;
}

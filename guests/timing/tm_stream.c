/*
 * tm_stream N [MODE [S]]: reads over an array of S bytes (default 16 MiB, a
 * power of two >= 64 KiB; 16x the largest L2 of the boards), one 8-byte load
 * per iteration, the offset wrapping at S.
 *
 *   MODE 0 (default)  independent loads, sequential: offset += 8
 *   MODE 1            independent loads, strided:    offset += 4160
 *   MODE 2            dependent loads (each load gives the next address),
 *                     sequential layout: word k points to word k+1
 *   MODE 3            dependent loads, strided layout: the word at offset o
 *                     points to offset o + 4160 (mod S)
 *
 * 4160 = 4096 + 64 = 65 lines: every access is a new cache line and a new
 * 4 KiB page, beyond the +-4-line stride window of the Cortex-A53 L1
 * prefetcher and outside the page the Cortex-A72 prefetchers stay within.
 * 65 is odd and S/64 a power of two, so the strided walk visits every line
 * of the array once before it repeats (S/64 iterations).  Sequential walks
 * use every word of a line: 1 line in 8 loads is new.
 *
 * Loops (modes 0/1, 5 instructions; modes 2/3, 3 instructions):
 *     1: ldr  x9, [x0, x10]          1: ldr  x0, [x0]
 *        add  x10, x10, x11             subs x1, x1, #1
 *        and  x10, x10, x12             b.ne 1b
 *        subs x1, x1, #1
 *        b.ne 1b
 * Setup writes the whole array, then evicts the caches (tm_scrub); none of
 * it depends on N.  See README.md for the expected figures and why the
 * independent modes are the uncertain ones.  Exit 0 when the final offset /
 * pointer is the one the walk must reach.
 */
#include "rt.h"
#include "tm.h"

#define STRIDE 4160UL

int main(int argc, char **argv)
{
    const char *usage = "tm_stream N [MODE 0=seq 1=strided 2=seq-dependent 3=strided-dependent [S bytes, power of two >= 65536]]";
    u64 n = tm_iterations(argc, argv, usage);
    u64 mode = tm_arg(argc, argv, 2, 0, usage);
    u64 s = tm_arg(argc, argv, 3, 16UL << 20, usage);
    if (mode > 3 || s < 65536 || (s & (s - 1)) != 0 || s > (1UL << 36))
        tm_usage(usage);
    u64 mask = s - 1;
    u64 step = (mode == 0 || mode == 2) ? 8 : STRIDE;
    u64 *buf = tm_alloc(s);
    u64 base = (u64)buf;

    /* every word: the address of the word the walk visits next (used by
     * modes 2 and 3; modes 0 and 1 ignore the values) */
    for (u64 o = 0; o < s; o += 8)
        buf[o / 8] = base + ((o + step) & mask);
    tm_scrub();

    /* the walk's position after N steps, for the final check */
    u64 expect = (n % (s / 8)) * step & mask;    /* both periods divide S/8 */
    u64 got;
    if (mode <= 1) {
        u64 off = 0;
        __asm__ volatile(
            "mov    x1, %[n]\n\t"
            "mov    x0, %[b]\n\t"
            "mov    x10, %[o]\n\t"
            "mov    x11, %[st]\n\t"
            "mov    x12, %[mk]\n\t"
            ".p2align 6\n"
            "1:\n\t"
            "ldr    x9, [x0, x10]\n\t"
            "add    x10, x10, x11\n\t"
            "and    x10, x10, x12\n\t"
            "subs   x1, x1, #1\n\t"
            "b.ne   1b\n\t"
            "mov    %[o], x10\n\t"
            : [o] "+r"(off)
            : [n] "r"(n), [b] "r"(base), [st] "r"(step), [mk] "r"(mask)
            : "x0", "x1", "x9", "x10", "x11", "x12", "cc", "memory");
        got = off;
    } else {
        u64 x = base;
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
        got = x - base;
    }
    if (got != expect)
        tm_fail("tm_stream: the walk ended at the wrong offset");
    return 0;
}

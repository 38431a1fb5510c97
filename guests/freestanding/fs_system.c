/*
 * fs_system: system register and hint instructions usable at EL0.
 * mrs/msr nzcv, tpidr_el0 read/write, fpcr (rounding mode, FZ, DN, AHP)
 * and fpsr (cumulative exception flags and QC) read/write plus the flags
 * raised by real FP and saturating SIMD operations, cntvct_el0 (printed only
 * as "monotonic"), cntfrq_el0 (printed only as "nonzero"), ctr_el0 used to
 * drive dc cvau / dc cvac / dc civac / ic ivau loops, dczid_el0 used to
 * check that dc zva zeroes exactly one aligned block, barriers (dmb, dsb,
 * isb) and hints (nop, yield, sevl, csdb).
 */
#include "rt.h"

static void nzcv_roundtrip(void)
{
    u64 h = HASH_INIT;
    for (u64 f = 0; f < 16; f++) {
        u64 r;
        __asm__ volatile("msr nzcv, %1\n\tmrs %0, nzcv" : "=r"(r) : "r"(f << 28) : "cc");
        check("nzcv", r, f << 28);
        h = mix(h, r);
    }
    /* flags produced by a compare are visible to mrs */
    u64 r;
    __asm__ volatile("mov x9, #3\n\tcmp x9, #5\n\tmrs %0, nzcv" : "=r"(r) : : "x9", "cc");
    check("nzcv_cmp", r, 0x80000000);
    put_hex("nzcv", h);
}

static void tpidr(void)
{
    u64 saved, r, h = HASH_INIT;
    static const u64 tv[] = { 0, 1, 0xdeadbeefcafef00d, 0xffffffffffffffff, 0x0000800000000000 };
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(saved));
    for (unsigned i = 0; i < 5; i++) {
        __asm__ volatile("msr tpidr_el0, %1\n\tmrs %0, tpidr_el0" : "=r"(r) : "r"(tv[i]));
        check("tpidr_el0", r, tv[i]);
        h = mix(h, r);
    }
    __asm__ volatile("msr tpidr_el0, %0" : : "r"(saved));
    put_hex("tpidr_el0", h);
}

static u64 get_fpcr(void) { u64 r; __asm__ volatile("mrs %0, fpcr" : "=r"(r)); return r; }
static void set_fpcr(u64 v) { __asm__ volatile("msr fpcr, %0" : : "r"(v)); }
static u64 get_fpsr(void) { u64 r; __asm__ volatile("mrs %0, fpsr" : "=r"(r)); return r; }
static void set_fpsr(u64 v) { __asm__ volatile("msr fpsr, %0" : : "r"(v)); }

static void fpcr_fpsr(void)
{
    u64 h = HASH_INIT;
    u64 saved = get_fpcr();
    static const u64 cr[] = {
        0, 1UL << 22, 2UL << 22, 3UL << 22, 1UL << 24, 1UL << 25, 1UL << 26,
        (1UL << 24) | (1UL << 25) | (3UL << 22),
    };
    for (unsigned i = 0; i < sizeof(cr) / sizeof(cr[0]); i++) {
        set_fpcr(cr[i]);
        u64 r = get_fpcr();
        check("fpcr", r, cr[i]);
        h = mix(h, r);
    }
    set_fpcr(saved);
    put_hex("fpcr", h);

    h = HASH_INIT;
    static const u64 sr[] = { 0, 1, 2, 4, 8, 16, 0x80, 0x9f, 1UL << 27, (1UL << 27) | 0x1f };
    for (unsigned i = 0; i < sizeof(sr) / sizeof(sr[0]); i++) {
        set_fpsr(sr[i]);
        u64 r = get_fpsr();
        check("fpsr", r, sr[i]);
        h = mix(h, r);
    }
    set_fpsr(0);
    put_hex("fpsr", h);
}

/* cumulative exception flags set by arithmetic */
#define FLAG_TEST(name, expect, ins, ...) do { \
        set_fpsr(0); \
        __asm__ volatile(ins : : __VA_ARGS__ : "v16", "v17", "v18", "x9", "memory"); \
        u64 f = get_fpsr(); \
        check(name, f, expect); \
        print(name); print(" fpsr "); print_hexn(f, 8); nl(); \
    } while (0)

static void fp_exception_flags(void)
{
    double one = 1.0, zero = 0.0, big = 1e308, tiny = 1e-300, three = 3.0, m1 = -1.0;
    double four = 4.0;
    FLAG_TEST("exact", 0UL, "fmov d16, %0\n\tfadd d16, d16, d16", "r"(one));
    FLAG_TEST("div_by_zero", 2UL, "fmov d16, %0\n\tfmov d17, %1\n\tfdiv d18, d16, d17", "r"(one), "r"(zero));
    FLAG_TEST("zero_by_zero", 1UL, "fmov d16, %0\n\tfdiv d18, d16, d16", "r"(zero));
    FLAG_TEST("overflow", 0x14UL, "fmov d16, %0\n\tfmul d18, d16, d16", "r"(big));
    FLAG_TEST("underflow", 0x18UL, "fmov d16, %0\n\tfmul d18, d16, d16", "r"(tiny));
    FLAG_TEST("inexact", 0x10UL, "fmov d16, %0\n\tfmov d17, %1\n\tfdiv d18, d16, d17", "r"(one), "r"(three));
    FLAG_TEST("sqrt_neg", 1UL, "fmov d16, %0\n\tfsqrt d18, d16", "r"(m1));
    FLAG_TEST("sqrt_exact", 0UL, "fmov d16, %0\n\tfsqrt d18, d16", "r"(four));
    FLAG_TEST("cvt_overflow", 1UL, "fmov d16, %0\n\tfcvtzs w9, d16", "r"(big));
    FLAG_TEST("cvt_inexact", 0x10UL, "fmov d16, %0\n\tfmov d17, %1\n\tfdiv d18, d16, d17\n\tfcvtzs x9, d18",
              "r"(three), "r"(four));
    FLAG_TEST("sqadd_sat", 1UL << 27, "mov x9, #0x7f\n\tdup v16.16b, w9\n\tsqadd v17.16b, v16.16b, v16.16b");
    FLAG_TEST("uqsub_sat", 1UL << 27, "mov x9, #1\n\tdup v16.8h, w9\n\tmovi v17.8h, #2\n\tuqsub v18.8h, v16.8h, v17.8h");
    FLAG_TEST("sqadd_nosat", 0UL, "mov x9, #0x3f\n\tdup v16.16b, w9\n\tsqadd v17.16b, v16.16b, v16.16b");
    /* the flags accumulate until cleared */
    set_fpsr(0);
    __asm__ volatile("fmov d16, %0\n\tfmov d17, %1\n\tfdiv d18, d16, d17\n\tfdiv d18, d17, d17"
                     : : "r"(one), "r"(zero) : "v16", "v17", "v18");
    u64 f = get_fpsr();
    check("accumulate", f, 3);
    print("accumulate fpsr ");
    print_hexn(f, 8);
    nl();
    /* flush-to-zero: denormal input flushed, IDC set */
    u64 saved = get_fpcr();
    set_fpcr(1UL << 24);
    set_fpsr(0);
    u64 res;
    double denorm = 1e-310;
    __asm__ volatile("fmov d16, %1\n\tfadd d16, d16, d16\n\tfmov %0, d16" : "=r"(res) : "r"(denorm) : "v16");
    f = get_fpsr();
    set_fpcr(saved);
    check("fz_result", res, 0);
    check("fz_idc", f & 0x80, 0x80);
    print("fz result ");
    print_hex(res);
    print(" fpsr ");
    print_hexn(f, 8);
    nl();
    set_fpsr(0);
}

static void counters(void)
{
    u64 t1, t2, frq;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(t1));
    volatile u64 spin = 0;
    for (int i = 0; i < 20000; i++)
        spin += (u64)i;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(t2));
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(frq));
    println(t2 >= t1 ? "cntvct monotonic ok" : "cntvct NOT monotonic");
    println(frq != 0 ? "cntfrq nonzero ok" : "cntfrq ZERO");
}

static u8 cachebuf[8192] __attribute__((aligned(64)));

static void cache_maintenance(void)
{
    u64 ctr;
    __asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
    u64 dline = 4UL << ((ctr >> 16) & 15);
    u64 iline = 4UL << (ctr & 15);
    for (int i = 0; i < 8192; i++)
        cachebuf[i] = (u8)(i * 7);
    u64 start = (u64)cachebuf, end = start + sizeof(cachebuf);
    for (u64 a = start & ~(dline - 1); a < end; a += dline)
        __asm__ volatile("dc cvau, %0" : : "r"(a) : "memory");
    __asm__ volatile("dsb ish" ::: "memory");
    for (u64 a = start & ~(iline - 1); a < end; a += iline)
        __asm__ volatile("ic ivau, %0" : : "r"(a) : "memory");
    __asm__ volatile("dsb ish\n\tisb" ::: "memory");
    for (u64 a = start & ~(dline - 1); a < end; a += dline)
        __asm__ volatile("dc cvac, %0\n\tdc civac, %0" : : "r"(a) : "memory");
    __asm__ volatile("dsb sy" ::: "memory");
    u64 h = HASH_INIT;
    for (int i = 0; i < 8192; i += 8)
        h = mix(h, *(u64 *)(void *)(cachebuf + i));
    put_hex("cache maintenance data", h);
}

static u8 zvabuf[8192] __attribute__((aligned(4096)));

static void dc_zva(void)
{
    u64 dczid;
    __asm__ volatile("mrs %0, dczid_el0" : "=r"(dczid));
    if (dczid & 16) {
        /* DC ZVA prohibited: nothing to test */
        println("dczva ok");
        return;
    }
    u64 bs = 4UL << (dczid & 15);
    int ok = 1;
    for (int trial = 0; trial < 3; trial++) {
        for (int i = 0; i < 8192; i++)
            zvabuf[i] = 0xa5;
        u8 *addr = zvabuf + 4096 + trial * 37;   /* need not be aligned */
        __asm__ volatile("dc zva, %0" : : "r"(addr) : "memory");
        u64 lo = ((u64)addr & ~(bs - 1)) - (u64)zvabuf;
        for (u64 i = 0; i < 8192; i++) {
            u8 want = (i >= lo && i < lo + bs) ? 0 : 0xa5;
            if (zvabuf[i] != want)
                ok = 0;
        }
    }
    println(ok ? "dczva ok" : "dczva FAILED");
}

static void barriers_and_hints(void)
{
    u64 x = 0;
    __asm__ volatile("nop\n\t"
                     "yield\n\t"
                     "sevl\n\t"
                     "csdb\n\t"
                     "dmb ish\n\t"
                     "dmb ishld\n\t"
                     "dmb ishst\n\t"
                     "dmb sy\n\t"
                     "dmb osh\n\t"
                     "dmb nsh\n\t"
                     "dmb ld\n\t"
                     "dmb st\n\t"
                     "dsb sy\n\t"
                     "dsb ish\n\t"
                     "dsb ishst\n\t"
                     "dsb nsh\n\t"
                     "isb\n\t"
                     "add %0, %0, #1\n\t"
                     "hint #0\n\t"
                     "isb sy\n\t"
                     "add %0, %0, #2\n\t"
                     : "+r"(x) : : "memory");
    check("hints", x, 3);
    println("barriers and hints ok");
}

int main(void)
{
    nzcv_roundtrip();
    tpidr();
    fpcr_fpsr();
    fp_exception_flags();
    counters();
    cache_maintenance();
    dc_zva();
    barriers_and_hints();
    put_dec("failures", rt_failures);
    return rt_failures;
}

/*
 * fs_condmul: conditional instructions over all 16 conditions and all 16
 * NZCV states (ccmp/ccmn imm+reg, csel/csinc/csinv/csneg and their aliases
 * cset/csetm/cinc/cinv/cneg), multiply and multiply-accumulate forms,
 * signed/unsigned division (including division by zero and INT_MIN / -1),
 * and clz/cls/rbit/rev/rev16/rev32 for 32 and 64 bits.
 */
#include "rt.h"

static const u64 vals[] = {
    0, 1, 2, 3, 5, 7, 0x10, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
    0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 0x100000001,
    0x123456789abcdef0, 0xfedcba9876543210, 0x5555555555555555,
    0x7fffffffffffffff, 0x8000000000000000, 0xfffffffffffffffe,
    0xffffffffffffffff, 0xffffffff80000000, 0x00000000fffffff9,
    0xfffffffffffffff9, 0x0000000100000000, 0x00000000deadbeef,
};
#define NVALS (sizeof(vals) / sizeof(vals[0]))

/* ------------------------------------------------------------------ */
/* conditional select / compare: one set of functions per condition    */

#define CONDS(X) \
    X(eq, ne) X(ne, eq) X(cs, cc) X(cc, cs) X(mi, pl) X(pl, mi) X(vs, vc) X(vc, vs) \
    X(hi, ls) X(ls, hi) X(ge, lt) X(lt, ge) X(gt, le) X(le, gt) X(al, nv) X(nv, al)

/* each function: set NZCV to f, run the instruction, return result (and
 * for compares the new NZCV) */
#define CSEL_FN(name, ins) \
    static u64 name(u64 f, u64 a, u64 b) { u64 r; \
        __asm__ volatile("msr nzcv, %3\n\t" ins \
                         : "=&r"(r) : "r"(a), "r"(b), "r"(f) : "cc"); return r; }
#define CCMP_FN(name, ins) \
    static u64 name(u64 f, u64 a, u64 b) { u64 r; \
        __asm__ volatile("msr nzcv, %3\n\t" ins "\n\tmrs %0, nzcv" \
                         : "=&r"(r) : "r"(a), "r"(b), "r"(f) : "cc"); return r; }

#define DEF_COND(c, inv) \
    CSEL_FN(csel_x_##c,   "csel %0, %1, %2, " #c) \
    CSEL_FN(csel_w_##c,   "csel %w0, %w1, %w2, " #c) \
    CSEL_FN(csinc_x_##c,  "csinc %0, %1, %2, " #c) \
    CSEL_FN(csinc_w_##c,  "csinc %w0, %w1, %w2, " #c) \
    CSEL_FN(csinv_x_##c,  "csinv %0, %1, %2, " #c) \
    CSEL_FN(csinv_w_##c,  "csinv %w0, %w1, %w2, " #c) \
    CSEL_FN(csneg_x_##c,  "csneg %0, %1, %2, " #c) \
    CSEL_FN(csneg_w_##c,  "csneg %w0, %w1, %w2, " #c) \
    CSEL_FN(cset_x_##c,   "csinc %0, xzr, xzr, " #inv) \
    CSEL_FN(csetm_w_##c,  "csinv %w0, wzr, wzr, " #inv) \
    CSEL_FN(cinc_x_##c,   "csinc %0, %1, %1, " #inv) \
    CSEL_FN(cneg_w_##c,   "csneg %w0, %w1, %w1, " #inv) \
    CCMP_FN(ccmp_xi_##c,  "ccmp %1, #7, #0b1010, " #c) \
    CCMP_FN(ccmp_wi_##c,  "ccmp %w1, #31, #0b0101, " #c) \
    CCMP_FN(ccmp_xr_##c,  "ccmp %1, %2, #0b0011, " #c) \
    CCMP_FN(ccmp_wr_##c,  "ccmp %w1, %w2, #0b1100, " #c) \
    CCMP_FN(ccmn_xi_##c,  "ccmn %1, #1, #0b0110, " #c) \
    CCMP_FN(ccmn_wi_##c,  "ccmn %w1, #16, #0b1001, " #c) \
    CCMP_FN(ccmn_xr_##c,  "ccmn %1, %2, #0b0000, " #c) \
    CCMP_FN(ccmn_wr_##c,  "ccmn %w1, %w2, #0b1111, " #c)

#define NCONDOPS 20
static const char *const condop_names[NCONDOPS] = {
    "csel_x", "csel_w", "csinc_x", "csinc_w", "csinv_x", "csinv_w", "csneg_x",
    "csneg_w", "cset_x", "csetm_w", "cinc_x", "cneg_w", "ccmp_xi", "ccmp_wi",
    "ccmp_xr", "ccmp_wr", "ccmn_xi", "ccmn_wi", "ccmn_xr", "ccmn_wr",
};

CONDS(DEF_COND)

typedef u64 (*condfn)(u64, u64, u64);
#define ROW(c, inv) { #c, { csel_x_##c, csel_w_##c, csinc_x_##c, csinc_w_##c, \
    csinv_x_##c, csinv_w_##c, csneg_x_##c, csneg_w_##c, cset_x_##c, csetm_w_##c, \
    cinc_x_##c, cneg_w_##c, ccmp_xi_##c, ccmp_wi_##c, ccmp_xr_##c, ccmp_wr_##c, \
    ccmn_xi_##c, ccmn_wi_##c, ccmn_xr_##c, ccmn_wr_##c } },
static const struct { const char *name; condfn fn[NCONDOPS]; } condtab[16] = { CONDS(ROW) };

/* the condition truth table itself: csel 1,0 for every cond and flag state */
static void cond_truth_table(void)
{
    for (int c = 0; c < 16; c++) {
        u32 bits = 0;
        for (u64 f = 0; f < 16; f++)
            bits |= (u32)condtab[c].fn[0](f << 28, 1, 0) << f;
        print("cond ");
        print(condtab[c].name);
        print(" truth ");
        print_hexn(bits, 4);
        nl();
    }
}

static void cond_ops(void)
{
    static const unsigned pairs[][2] = {
        {0, 0}, {1, 7}, {5, 5}, {7, 3}, {13, 14}, {21, 22}, {24, 1}, {22, 21},
        {27, 26}, {15, 14},
    };
    for (int op = 0; op < NCONDOPS; op++) {
        print(condop_names[op]);
        for (int c = 0; c < 16; c++) {
            u64 h = HASH_INIT;
            for (u64 f = 0; f < 16; f++)
                for (unsigned p = 0; p < sizeof(pairs) / sizeof(pairs[0]); p++)
                    h = mix(h, condtab[c].fn[op](f << 28, vals[pairs[p][0]], vals[pairs[p][1]]));
            print_char(' ');
            print_hexn(h & 0xffff, 4);
        }
        nl();
    }
}

/* ------------------------------------------------------------------ */
/* multiply / divide / bit ops                                          */

#define ARITH_OPS(X) \
    X(mul_x,     "mul %0, %1, %2") \
    X(mul_w,     "mul %w0, %w1, %w2") \
    X(mneg_x,    "mneg %0, %1, %2") \
    X(mneg_w,    "mneg %w0, %w1, %w2") \
    X(madd_x,    "madd %0, %1, %2, %3") \
    X(madd_w,    "madd %w0, %w1, %w2, %w3") \
    X(msub_x,    "msub %0, %1, %2, %3") \
    X(msub_w,    "msub %w0, %w1, %w2, %w3") \
    X(smaddl,    "smaddl %0, %w1, %w2, %3") \
    X(umaddl,    "umaddl %0, %w1, %w2, %3") \
    X(smsubl,    "smsubl %0, %w1, %w2, %3") \
    X(umsubl,    "umsubl %0, %w1, %w2, %3") \
    X(smull,     "smull %0, %w1, %w2") \
    X(umull,     "umull %0, %w1, %w2") \
    X(smnegl,    "smnegl %0, %w1, %w2") \
    X(umnegl,    "umnegl %0, %w1, %w2") \
    X(smulh,     "smulh %0, %1, %2") \
    X(umulh,     "umulh %0, %1, %2") \
    X(sdiv_x,    "sdiv %0, %1, %2") \
    X(sdiv_w,    "sdiv %w0, %w1, %w2") \
    X(udiv_x,    "udiv %0, %1, %2") \
    X(udiv_w,    "udiv %w0, %w1, %w2") \
    X(clz_x,     "clz %0, %1") \
    X(clz_w,     "clz %w0, %w1") \
    X(cls_x,     "cls %0, %1") \
    X(cls_w,     "cls %w0, %w1") \
    X(rbit_x,    "rbit %0, %1") \
    X(rbit_w,    "rbit %w0, %w1") \
    X(rev_x,     "rev %0, %1") \
    X(rev_w,     "rev %w0, %w1") \
    X(rev16_x,   "rev16 %0, %1") \
    X(rev16_w,   "rev16 %w0, %w1") \
    X(rev32_x,   "rev32 %0, %1")

#define DEF_ARITH(name, ins) \
    static u64 name(u64 a, u64 b, u64 c) { u64 r; \
        __asm__ volatile(ins : "=&r"(r) : "r"(a), "r"(b), "r"(c)); return r; }
ARITH_OPS(DEF_ARITH)
#define ARITH_ROW(name, ins) { #name, name },
static const struct { const char *name; u64 (*fn)(u64, u64, u64); } arith[] = { ARITH_OPS(ARITH_ROW) };

static void arith_ops(void)
{
    for (unsigned k = 0; k < sizeof(arith) / sizeof(arith[0]); k++) {
        u64 h = HASH_INIT;
        for (unsigned i = 0; i < NVALS; i++)
            for (unsigned j = 0; j < NVALS; j++)
                h = mix(h, arith[k].fn(vals[i], vals[j], vals[(i + j) % NVALS] ^ 0x1234));
        print(arith[k].name);
        print_char(' ');
        print_hex(h);
        nl();
    }
}

static void known_answers(void)
{
    check("sdiv_zero", sdiv_x(1234, 0, 0), 0);
    check("udiv_zero", udiv_x(1234, 0, 0), 0);
    check("sdiv_w_zero", sdiv_w(0x80000000, 0, 0), 0);
    check("sdiv_min_m1", sdiv_x(0x8000000000000000, (u64)-1, 0), 0x8000000000000000);
    check("sdiv_w_min_m1", sdiv_w(0x80000000, 0xffffffff, 0), 0x80000000);
    check("sdiv_trunc", sdiv_x((u64)-7, 2, 0), (u64)-3);
    check("sdiv_w_trunc", sdiv_w((u32)-7, 2, 0), 0xfffffffd);
    check("udiv_w", udiv_w(0xffffffff, 2, 0), 0x7fffffff);
    check("umulh", umulh(0xffffffffffffffff, 0xffffffffffffffff, 0), 0xfffffffffffffffe);
    check("smulh", smulh((u64)-1, (u64)-1, 0), 0);
    check("smulh2", smulh(0x8000000000000000, 2, 0), (u64)-1);
    check("smaddl", smaddl(0xffffffff, 0xffffffff, 10), 11);
    check("umaddl", umaddl(0xffffffff, 0xffffffff, 0), 0xfffffffe00000001);
    check("clz0", clz_x(0, 0, 0), 64);
    check("clz_w0", clz_w(0, 0, 0), 32);
    check("cls_x", cls_x(0xffffffffffffffff, 0, 0), 63);
    check("cls_w", cls_w(0x0000ffff, 0, 0), 15);
    check("rbit_w", rbit_w(1, 0, 0), 0x80000000);
    check("rev_x", rev_x(0x0102030405060708, 0, 0), 0x0807060504030201);
    check("rev16_x", rev16_x(0x0102030405060708, 0, 0), 0x0201040306050807);
    check("rev32_x", rev32_x(0x0102030405060708, 0, 0), 0x0403020108070605);
    check("rev_w", rev_w(0xffffffff01020304, 0, 0), 0x04030201);
    u64 r;
    __asm__ volatile("mov x9, #0x60000000\n\tmsr nzcv, x9\n\tcset %0, eq" : "=r"(r) : : "x9", "cc");
    check("cset_eq", r, 1);
    __asm__ volatile("mov x9, #0x80000000\n\tmsr nzcv, x9\n\tcsetm %w0, lt" : "=r"(r) : : "x9", "cc");
    check("csetm_lt", r, 0xffffffff);
    __asm__ volatile("mov x9, #5\n\tcmp x9, #5\n\tccmp x9, #4, #0, eq\n\tcset %0, gt" : "=r"(r) : : "x9", "cc");
    check("ccmp_chain", r, 1);
}

int main(void)
{
    cond_truth_table();
    cond_ops();
    arith_ops();
    known_answers();
    put_dec("failures", rt_failures);
    return rt_failures;
}

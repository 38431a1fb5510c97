/*
 * fs_dataproc: integer data-processing instructions (immediate and
 * register forms).  Every instruction is applied to a grid of interesting
 * input values; the results (and NZCV for flag-setting forms) are hashed and
 * one line per instruction form is printed.
 */
#include "rt.h"
#include "gen_dataproc.h"

static const u64 vals[] = {
    0, 1, 2, 3, 0x1f, 0x20, 0x3f, 0x40, 0x41, 0x7f, 0x80, 0xff, 0x100,
    0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff,
    0x100000000, 0x123456789abcdef0, 0xfedcba9876543210, 0x5555555555555555,
    0xaaaaaaaaaaaaaaaa, 0x7fffffffffffffff, 0x8000000000000000,
    0xfffffffffffffffe, 0xffffffffffffffff, 0xffffffff80000000,
    0x0f0f0f0f0f0f0f0f, 0x00000000fffffffe,
};
#define NVALS (sizeof(vals) / sizeof(vals[0]))

/* ---- two-operand forms without flags ---- */
#define PLAIN_OPS(X) \
    X(add_x_imm,        "add %0, %1, #0xabc") \
    X(add_x_imm_lsl12,  "add %0, %1, #0xfff, lsl #12") \
    X(sub_x_imm,        "sub %0, %1, #1") \
    X(sub_x_imm_lsl12,  "sub %0, %1, #0x801, lsl #12") \
    X(add_w_imm,        "add %w0, %w1, #0xfff") \
    X(sub_w_imm_lsl12,  "sub %w0, %w1, #0x123, lsl #12") \
    X(add_x_lsl0,       "add %0, %1, %2") \
    X(add_x_lsl1,       "add %0, %1, %2, lsl #1") \
    X(add_x_lsl63,      "add %0, %1, %2, lsl #63") \
    X(add_x_lsr7,       "add %0, %1, %2, lsr #7") \
    X(add_x_asr33,      "add %0, %1, %2, asr #33") \
    X(sub_x_lsl4,       "sub %0, %1, %2, lsl #4") \
    X(sub_x_lsr63,      "sub %0, %1, %2, lsr #63") \
    X(sub_x_asr1,       "sub %0, %1, %2, asr #1") \
    X(add_w_lsl0,       "add %w0, %w1, %w2") \
    X(add_w_lsl31,      "add %w0, %w1, %w2, lsl #31") \
    X(add_w_asr9,       "add %w0, %w1, %w2, asr #9") \
    X(sub_w_lsr17,      "sub %w0, %w1, %w2, lsr #17") \
    X(neg_x,            "neg %0, %2") \
    X(neg_w_lsl3,       "neg %w0, %w2, lsl #3") \
    X(add_x_uxtb,       "add %0, %1, %w2, uxtb") \
    X(add_x_uxtb2,      "add %0, %1, %w2, uxtb #2") \
    X(add_x_uxth4,      "add %0, %1, %w2, uxth #4") \
    X(add_x_uxtw,       "add %0, %1, %w2, uxtw") \
    X(add_x_uxtw3,      "add %0, %1, %w2, uxtw #3") \
    X(add_x_uxtx,       "add %0, %1, %2, uxtx") \
    X(add_x_uxtx3,      "add %0, %1, %2, uxtx #3") \
    X(add_x_sxtb,       "add %0, %1, %w2, sxtb") \
    X(add_x_sxth1,      "add %0, %1, %w2, sxth #1") \
    X(add_x_sxtw,       "add %0, %1, %w2, sxtw") \
    X(add_x_sxtw2,      "add %0, %1, %w2, sxtw #2") \
    X(add_x_sxtx4,      "add %0, %1, %2, sxtx #4") \
    X(sub_x_uxtb,       "sub %0, %1, %w2, uxtb") \
    X(sub_x_sxth,       "sub %0, %1, %w2, sxth") \
    X(sub_x_sxtw3,      "sub %0, %1, %w2, sxtw #3") \
    X(sub_x_uxtx1,      "sub %0, %1, %2, uxtx #1") \
    X(add_w_uxtb,       "add %w0, %w1, %w2, uxtb") \
    X(add_w_sxtb3,      "add %w0, %w1, %w2, sxtb #3") \
    X(add_w_uxth,       "add %w0, %w1, %w2, uxth") \
    X(add_w_sxth2,      "add %w0, %w1, %w2, sxth #2") \
    X(sub_w_uxtw1,      "sub %w0, %w1, %w2, uxtw #1") \
    X(and_x,            "and %0, %1, %2") \
    X(and_x_lsl5,       "and %0, %1, %2, lsl #5") \
    X(and_x_ror17,      "and %0, %1, %2, ror #17") \
    X(orr_x_lsr3,       "orr %0, %1, %2, lsr #3") \
    X(orr_x_ror63,      "orr %0, %1, %2, ror #63") \
    X(eor_x_asr40,      "eor %0, %1, %2, asr #40") \
    X(bic_x,            "bic %0, %1, %2") \
    X(bic_x_lsl8,       "bic %0, %1, %2, lsl #8") \
    X(orn_x,            "orn %0, %1, %2") \
    X(orn_x_ror4,       "orn %0, %1, %2, ror #4") \
    X(eon_x,            "eon %0, %1, %2") \
    X(eon_x_asr2,       "eon %0, %1, %2, asr #2") \
    X(mvn_x,            "mvn %0, %2") \
    X(mvn_x_lsr12,      "mvn %0, %2, lsr #12") \
    X(and_w_ror7,       "and %w0, %w1, %w2, ror #7") \
    X(orr_w_lsl31,      "orr %w0, %w1, %w2, lsl #31") \
    X(eor_w,            "eor %w0, %w1, %w2") \
    X(bic_w_asr4,       "bic %w0, %w1, %w2, asr #4") \
    X(orn_w,            "orn %w0, %w1, %w2") \
    X(eon_w_ror31,      "eon %w0, %w1, %w2, ror #31") \
    X(mvn_w,            "mvn %w0, %w2") \
    X(mov_w_reg,        "mov %w0, %w2") \
    X(lslv_x,           "lsl %0, %1, %2") \
    X(lsrv_x,           "lsr %0, %1, %2") \
    X(asrv_x,           "asr %0, %1, %2") \
    X(rorv_x,           "ror %0, %1, %2") \
    X(lslv_w,           "lsl %w0, %w1, %w2") \
    X(lsrv_w,           "lsr %w0, %w1, %w2") \
    X(asrv_w,           "asr %w0, %w1, %w2") \
    X(rorv_w,           "ror %w0, %w1, %w2") \
    X(lsl_x_imm13,      "lsl %0, %1, #13") \
    X(lsr_x_imm60,      "lsr %0, %1, #60") \
    X(asr_x_imm5,       "asr %0, %1, #5") \
    X(lsl_w_imm31,      "lsl %w0, %w1, #31") \
    X(lsr_w_imm1,       "lsr %w0, %w1, #1") \
    X(asr_w_imm20,      "asr %w0, %w1, #20") \
    X(ubfx_x,           "ubfx %0, %1, #12, #20") \
    X(sbfx_x,           "sbfx %0, %1, #40, #24") \
    X(ubfx_w,           "ubfx %w0, %w1, #3, #7") \
    X(sbfx_w,           "sbfx %w0, %w1, #8, #8") \
    X(ubfiz_x,          "ubfiz %0, %1, #36, #20") \
    X(sbfiz_x,          "sbfiz %0, %1, #4, #12") \
    X(sxtb_x,           "sxtb %0, %w1") \
    X(sxth_x,           "sxth %0, %w1") \
    X(sxtw_x,           "sxtw %0, %w1") \
    X(sxtb_w,           "sxtb %w0, %w1") \
    X(sxth_w,           "sxth %w0, %w1") \
    X(uxtb_w,           "uxtb %w0, %w1") \
    X(uxth_w,           "uxth %w0, %w1") \
    X(extr_x_var,       "extr %0, %1, %2, #23") \
    X(extr_w_var,       "extr %w0, %w1, %w2, #9")

/* ---- flag-setting forms: NZCV is read back and hashed too ---- */
#define FLAG_OPS(X) \
    X(adds_x_imm,       "adds %0, %1, #1") \
    X(adds_x_imm12,     "adds %0, %1, #0x800, lsl #12") \
    X(subs_x_imm,       "subs %0, %1, #0x80") \
    X(adds_w_imm,       "adds %w0, %w1, #0x7ff") \
    X(subs_w_imm,       "subs %w0, %w1, #1") \
    X(adds_x,           "adds %0, %1, %2") \
    X(adds_x_lsl2,      "adds %0, %1, %2, lsl #2") \
    X(subs_x,           "subs %0, %1, %2") \
    X(subs_x_asr3,      "subs %0, %1, %2, asr #3") \
    X(adds_w,           "adds %w0, %w1, %w2") \
    X(subs_w,           "subs %w0, %w1, %w2") \
    X(subs_w_lsr1,      "subs %w0, %w1, %w2, lsr #1") \
    X(adds_x_uxtw,      "adds %0, %1, %w2, uxtw #1") \
    X(subs_x_sxtb,      "subs %0, %1, %w2, sxtb #4") \
    X(adds_w_sxth,      "adds %w0, %w1, %w2, sxth") \
    X(subs_w_uxtb2,     "subs %w0, %w1, %w2, uxtb #2") \
    X(cmp_x,            "cmp %1, %2\n\tmov %0, #0") \
    X(cmp_w,            "cmp %w1, %w2\n\tmov %0, #0") \
    X(cmn_x,            "cmn %1, %2\n\tmov %0, #0") \
    X(cmn_w_imm,        "cmn %w1, #5\n\tmov %0, #0") \
    X(cmp_x_imm,        "cmp %1, #0xfff\n\tmov %0, #0") \
    X(cmp_x_sxtw,       "cmp %1, %w2, sxtw\n\tmov %0, #0") \
    X(negs_x,           "negs %0, %2") \
    X(negs_w,           "negs %w0, %w2") \
    X(ands_x,           "ands %0, %1, %2") \
    X(ands_x_lsr9,      "ands %0, %1, %2, lsr #9") \
    X(ands_w,           "ands %w0, %w1, %w2") \
    X(bics_x,           "bics %0, %1, %2") \
    X(bics_w_ror3,      "bics %w0, %w1, %w2, ror #3") \
    X(tst_x,            "tst %1, %2\n\tmov %0, #0") \
    X(tst_w_lsl4,       "tst %w1, %w2, lsl #4\n\tmov %0, #0")

/* ---- carry-consuming forms: C is set from the inputs before the op ---- */
#define CARRY_OPS(X) \
    X(adc_x,            "adc %0, %1, %2") \
    X(adc_w,            "adc %w0, %w1, %w2") \
    X(adcs_x,           "adcs %0, %1, %2") \
    X(adcs_w,           "adcs %w0, %w1, %w2") \
    X(sbc_x,            "sbc %0, %1, %2") \
    X(sbc_w,            "sbc %w0, %w1, %w2") \
    X(sbcs_x,           "sbcs %0, %1, %2") \
    X(sbcs_w,           "sbcs %w0, %w1, %w2") \
    X(ngc_x,            "ngc %0, %2") \
    X(ngcs_w,           "ngcs %w0, %w2")

#define DEF_PLAIN(name, ins) \
    static u64 name(u64 a, u64 b) { u64 r; \
        __asm__ volatile(ins : "=&r"(r) : "r"(a), "r"(b)); return r; }
#define DEF_FLAGS(name, ins) \
    static u64 name(u64 a, u64 b) { u64 r, f; \
        __asm__ volatile("msr nzcv, xzr\n\t" ins "\n\tmrs %1, nzcv" \
                         : "=&r"(r), "=&r"(f) : "r"(a), "r"(b) : "cc"); \
        return r ^ (f << 3); }
#define DEF_CARRY(name, ins) \
    static u64 name(u64 a, u64 b) { u64 r, f; \
        u64 c = ((a ^ (b >> 1)) & 1) << 29; /* C flag */ \
        __asm__ volatile("msr nzcv, %3\n\t" ins "\n\tmrs %1, nzcv" \
                         : "=&r"(r), "=&r"(f) : "r"(a), "r"(b), "r"(c) : "cc"); \
        return r ^ (f << 3); }

PLAIN_OPS(DEF_PLAIN)
FLAG_OPS(DEF_FLAGS)
CARRY_OPS(DEF_CARRY)

struct op { const char *name; u64 (*fn)(u64, u64); };
#define TAB(name, ins) { #name, name },
static const struct op ops[] = {
    PLAIN_OPS(TAB)
    FLAG_OPS(TAB)
    CARRY_OPS(TAB)
};

static u64 grid(u64 (*fn)(u64, u64))
{
    u64 h = HASH_INIT;
    for (unsigned i = 0; i < NVALS; i++)
        for (unsigned j = 0; j < NVALS; j++)
            h = mix(h, fn(vals[i], vals[j]));
    return h;
}

/* ---- hand checks with known answers ---- */
static void known_answers(void)
{
    u64 r;
    __asm__("movz %0, #0xbeef, lsl #16" : "=r"(r));
    check("movz", r, 0xbeef0000);
    __asm__("movn %0, #0xffff, lsl #32" : "=r"(r));
    check("movn", r, 0xffff0000ffffffff);
    __asm__("movn %w0, #0x1234" : "=r"(r));
    check("movn_w", r, 0xffffedcb);
    r = 0x1111222233334444;
    __asm__("movk %0, #0xaaaa, lsl #32" : "+r"(r));
    check("movk", r, 0x1111aaaa33334444);
    __asm__("mov %0, #0x00ff00ff00ff00ff" : "=r"(r));
    check("mov_bitmask", r, 0x00ff00ff00ff00ff);
    __asm__("mov %0, #-2" : "=r"(r));
    check("mov_neg", r, 0xfffffffffffffffe);
    r = 0x0123456789abcdef;
    __asm__("bfi %0, %0, #8, #16" : "+r"(r));
    check("bfi_self", r, 0x0123456789cdefef);
    r = 0xffffffffffffffff;
    u64 s = 0x12345678;
    __asm__("bfxil %0, %1, #4, #12" : "+r"(r) : "r"(s));
    check("bfxil", r, 0xfffffffffffff567);
    __asm__("mov %0, #0x7fffffffffffffff\n\tadds %0, %0, #1\n\tmrs %0, nzcv" : "=r"(r) : : "cc");
    check("adds_overflow_nzcv", r, 0x90000000);
    __asm__("mov %w0, #0\n\tsubs %w0, %w0, #1\n\tmrs %0, nzcv" : "=r"(r) : : "cc");
    check("subs_borrow_nzcv", r, 0x80000000);
    __asm__("mov %w0, #5\n\tsubs %w0, %w0, #5\n\tmrs %0, nzcv" : "=r"(r) : : "cc");
    check("subs_equal_nzcv", r, 0x60000000);
    /* writes to a W register zero the upper half */
    r = 0xffffffffffffffff;
    __asm__("add %w0, %w0, #1" : "+r"(r));
    check("w_zero_upper", r, 0);
}

/* stack pointer forms: only differences are printed */
static void sp_forms(void)
{
    u64 d1, d2, d3;
    __asm__ volatile(
        "mov x9, sp\n\t"
        "sub sp, sp, #64\n\t"
        "add x10, sp, #16\n\t"
        "sub %0, x9, x10\n\t"            /* 48 */
        "mov x11, sp\n\t"                /* add x11, sp, #0 */
        "add sp, sp, #64\n\t"
        "sub %1, x9, x11\n\t"            /* 64 */
        "mov x12, #3\n\t"
        "add x13, sp, x12, uxtx #4\n\t"  /* extended form with SP as Rn */
        "sub %2, x13, x9\n\t"            /* 48 */
        : "=&r"(d1), "=&r"(d2), "=&r"(d3) : : "x9", "x10", "x11", "x12", "x13", "memory");
    check("sp_sub", d1, 48);
    check("sp_mov", d2, 64);
    check("sp_ext", d3, 48);
    put_hex("sp_forms", d1 + (d2 << 8) + (d3 << 16));
}

/* adr / adrp: print distances between labels and symbols only */
const u64 far_data[4] __attribute__((aligned(4096), used)) = { 0x1122334455667788, 2, 3, 4 };
static void pc_relative(void)
{
    u64 a, b, c, v;
    __asm__ volatile(
        "adr %0, 1f\n\t"
        "adr %1, 2f\n\t"
        "b 3f\n"
        "1: nop\n\tnop\n\tnop\n"
        "2: nop\n"
        "3:\n\t"
        "sub %0, %1, %0\n\t"
        : "=&r"(a), "=&r"(b));
    check("adr_delta", a, 12);
    __asm__ volatile(
        "adrp %0, far_data\n\t"
        "add %1, %0, :lo12:far_data\n\t"
        "ldr %2, [%1]\n\t"
        "ldr %3, =far_data\n\t"
        "sub %1, %1, %3\n\t"
        : "=&r"(a), "=&r"(b), "=&r"(v), "=&r"(c));
    check("adrp_add_lo12", b, 0);
    check("adrp_load", v, 0x1122334455667788);
    check("adrp_page", a & 0xfff, 0);
    /* adr backwards and a negative distance */
    __asm__ volatile(
        "4: nop\n\t"
        "adr %0, 4b\n\t"
        "adr %1, .\n\t"
        "sub %0, %0, %1\n\t"
        : "=&r"(a), "=&r"(b));
    check("adr_back", a, (u64)-8);
    println("pc_relative done");
}

int main(void)
{
    for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        print(ops[i].name);
        print_char(' ');
        print_hex(grid(ops[i].fn));
        nl();
    }

    u64 gh[GEN_NGROUPS];
    unsigned gcount[GEN_NGROUPS];
    for (unsigned g = 0; g < GEN_NGROUPS; g++) {
        gh[g] = HASH_INIT;
        gcount[g] = 0;
    }
    for (unsigned k = 0; k < GEN_NFNS; k++) {
        const struct gen_fn *f = &gen_fns[k];
        u64 h = gh[f->group];
        for (unsigned i = 0; i < NVALS; i++)
            h = mix(h, f->fn(vals[i], vals[(i * 7 + 3) % NVALS]));
        gh[f->group] = h;
        gcount[f->group]++;
    }
    for (unsigned g = 0; g < GEN_NGROUPS; g++) {
        print(gen_group_names[g]);
        print(" n=");
        print_udec(gcount[g]);
        print_char(' ');
        print_hex(gh[g]);
        nl();
    }

    known_answers();
    sp_forms();
    pc_relative();
    put_dec("failures", rt_failures);
    return rt_failures;
}

/*
 * fs_loadstore: integer and FP/SIMD loads and stores in every addressing
 * mode (unsigned scaled offset, unscaled ldur/stur, pre-index, post-index,
 * register offset with lsl / uxtw / sxtw / sxtx, PC-relative literals),
 * every size and sign extension, ldp/stp/ldpsw/ldnp/stnp with all index
 * modes, and stores of the zero register.  Base registers are walked over
 * unaligned positions; results, written memory and base write-back deltas
 * are hashed.
 */
#include "rt.h"

static u8 mem[1024] __attribute__((aligned(64)));
static u8 scratch[64] __attribute__((aligned(64)));

static const s64 idxs[] = { 0, 1, 2, 5, 7, -1, -3, -8 };
#define NIDX (sizeof(idxs) / sizeof(idxs[0]))

static void init_mem(void)
{
    for (int i = 0; i < 1024; i++)
        mem[i] = (u8)(i * 37 + 11) ^ (u8)(i >> 3) ^ (i & 64 ? 0x80 : 0);
}

/* ------------------------------------------------------------------ */
/* loads without write-back: %0 result, %1 base, %2 index (sgn: the index
 * may be negative; otherwise it is made non-negative for uxtw forms) */
#define LOADS(X) \
    X(ldrb_uoff,      "ldrb %w0, [%1, #17]", 1) \
    X(ldrsb_w_uoff,   "ldrsb %w0, [%1, #3]", 1) \
    X(ldrsb_x_uoff,   "ldrsb %0, [%1, #255]", 1) \
    X(ldrh_uoff,      "ldrh %w0, [%1, #6]", 1) \
    X(ldrsh_w_uoff,   "ldrsh %w0, [%1, #2]", 1) \
    X(ldrsh_x_uoff,   "ldrsh %0, [%1, #100]", 1) \
    X(ldr_w_uoff,     "ldr %w0, [%1, #8]", 1) \
    X(ldrsw_uoff,     "ldrsw %0, [%1, #4]", 1) \
    X(ldr_x_uoff,     "ldr %0, [%1, #16]", 1) \
    X(ldr_x_uoff248,  "ldr %0, [%1, #248]", 1) \
    X(ldr_x_zero,     "ldr %0, [%1]", 1) \
    X(ldurb,          "ldurb %w0, [%1, #-1]", 1) \
    X(ldursb_w,       "ldursb %w0, [%1, #-128]", 1) \
    X(ldursb_x,       "ldursb %0, [%1, #127]", 1) \
    X(ldurh,          "ldurh %w0, [%1, #-3]", 1) \
    X(ldursh_w,       "ldursh %w0, [%1, #-5]", 1) \
    X(ldursh_x,       "ldursh %0, [%1, #9]", 1) \
    X(ldur_w,         "ldur %w0, [%1, #5]", 1) \
    X(ldursw,         "ldursw %0, [%1, #-9]", 1) \
    X(ldur_x,         "ldur %0, [%1, #-7]", 1) \
    X(ldr_x_reg,      "ldr %0, [%1, %2]", 1) \
    X(ldr_x_lsl3,     "ldr %0, [%1, %2, lsl #3]", 1) \
    X(ldr_w_lsl2,     "ldr %w0, [%1, %2, lsl #2]", 1) \
    X(ldr_w_reg,      "ldr %w0, [%1, %2]", 1) \
    X(ldrh_lsl1,      "ldrh %w0, [%1, %2, lsl #1]", 1) \
    X(ldrsh_x_lsl1,   "ldrsh %0, [%1, %2, lsl #1]", 1) \
    X(ldrsh_w_reg,    "ldrsh %w0, [%1, %2]", 1) \
    X(ldrb_reg,       "ldrb %w0, [%1, %2]", 1) \
    X(ldrb_lsl0,      "ldrb %w0, [%1, %2, lsl #0]", 1) \
    X(ldrsb_x_reg,    "ldrsb %0, [%1, %2]", 1) \
    X(ldrsw_lsl2,     "ldrsw %0, [%1, %2, lsl #2]", 1) \
    X(ldr_x_uxtw3,    "ldr %0, [%1, %w2, uxtw #3]", 0) \
    X(ldr_w_uxtw,     "ldr %w0, [%1, %w2, uxtw]", 0) \
    X(ldrh_uxtw1,     "ldrh %w0, [%1, %w2, uxtw #1]", 0) \
    X(ldrsb_w_uxtw,   "ldrsb %w0, [%1, %w2, uxtw]", 0) \
    X(ldr_x_sxtw3,    "ldr %0, [%1, %w2, sxtw #3]", 1) \
    X(ldr_x_sxtw,     "ldr %0, [%1, %w2, sxtw]", 1) \
    X(ldrsb_x_sxtw,   "ldrsb %0, [%1, %w2, sxtw]", 1) \
    X(ldrsh_w_sxtw1,  "ldrsh %w0, [%1, %w2, sxtw #1]", 1) \
    X(ldrsw_sxtw2,    "ldrsw %0, [%1, %w2, sxtw #2]", 1) \
    X(ldr_w_sxtw,     "ldr %w0, [%1, %w2, sxtw]", 1) \
    X(ldr_x_sxtx3,    "ldr %0, [%1, %2, sxtx #3]", 1) \
    X(ldrb_sxtx,      "ldrb %w0, [%1, %2, sxtx]", 1) \
    X(prfm_then_ldr,  "prfm pldl1keep, [%1, #64]\n\tprfm pstl2strm, [%1, %2]\n\tldr %0, [%1]", 1)

/* loads with base write-back: %0 result, %1 base (updated) */
#define LOADS_WB(X) \
    X(ldr_x_pre,      "ldr %0, [%1, #8]!") \
    X(ldr_x_pre_neg,  "ldr %0, [%1, #-256]!") \
    X(ldrb_pre,       "ldrb %w0, [%1, #-1]!") \
    X(ldrsb_x_pre,    "ldrsb %0, [%1, #33]!") \
    X(ldrh_pre,       "ldrh %w0, [%1, #255]!") \
    X(ldrsh_x_pre,    "ldrsh %0, [%1, #-2]!") \
    X(ldrsh_w_pre,    "ldrsh %w0, [%1, #7]!") \
    X(ldr_w_pre,      "ldr %w0, [%1, #-4]!") \
    X(ldrsw_pre,      "ldrsw %0, [%1, #12]!") \
    X(ldr_x_post,     "ldr %0, [%1], #-16") \
    X(ldr_x_post255,  "ldr %0, [%1], #255") \
    X(ldrh_post,      "ldrh %w0, [%1], #2") \
    X(ldrsh_w_post,   "ldrsh %w0, [%1], #-100") \
    X(ldrsb_x_post,   "ldrsb %0, [%1], #1") \
    X(ldrsb_w_post,   "ldrsb %w0, [%1], #-9") \
    X(ldrb_post,      "ldrb %w0, [%1], #3") \
    X(ldr_w_post,     "ldr %w0, [%1], #4") \
    X(ldrsw_post,     "ldrsw %0, [%1], #-12")

#define DEF_LOAD(name, ins, sgn) \
    static u64 name(u8 *b, s64 i) { u64 r; \
        if (!sgn) i &= 7; \
        __asm__ volatile(ins : "=&r"(r) : "r"(b), "r"(i) : "memory"); return r; }
#define DEF_LOAD_WB(name, ins) \
    static u64 name(u8 *b, s64 i) { u64 r; u8 *o = b; (void)i; \
        __asm__ volatile(ins : "=&r"(r), "+r"(b) : : "memory"); \
        return r ^ ((u64)(b - o) << 48); }
LOADS(DEF_LOAD)
LOADS_WB(DEF_LOAD_WB)

/* ------------------------------------------------------------------ */
/* stores: %0 base, %1 value, %2 index; write-back forms update %0 */
#define STORES(X) \
    X(strb_uoff,      "strb %w1, [%0, #3]", 1) \
    X(strh_uoff,      "strh %w1, [%0, #14]", 1) \
    X(str_w_uoff,     "str %w1, [%0, #4]", 1) \
    X(str_x_uoff,     "str %1, [%0, #8]", 1) \
    X(sturb,          "sturb %w1, [%0, #-1]", 1) \
    X(sturh,          "sturh %w1, [%0, #-7]", 1) \
    X(stur_w,         "stur %w1, [%0, #-3]", 1) \
    X(stur_x,         "stur %1, [%0, #-13]", 1) \
    X(str_x_reg,      "str %1, [%0, %2]", 1) \
    X(str_x_lsl3,     "str %1, [%0, %2, lsl #3]", 1) \
    X(str_w_lsl2,     "str %w1, [%0, %2, lsl #2]", 1) \
    X(strh_lsl1,      "strh %w1, [%0, %2, lsl #1]", 1) \
    X(strb_reg,       "strb %w1, [%0, %2]", 1) \
    X(str_x_sxtw3,    "str %1, [%0, %w2, sxtw #3]", 1) \
    X(strh_sxtw,      "strh %w1, [%0, %w2, sxtw]", 1) \
    X(str_w_uxtw2,    "str %w1, [%0, %w2, uxtw #2]", 0) \
    X(strb_uxtw,      "strb %w1, [%0, %w2, uxtw]", 0) \
    X(str_xzr,        "str xzr, [%0, #-8]", 1) \
    X(strb_wzr,       "strb wzr, [%0, %2]", 1) \
    X(stp_x,          "stp %1, %2, [%0, #-16]", 1) \
    X(stp_w,          "stp %w2, %w1, [%0, #4]", 1) \
    X(stnp_x,         "stnp %2, %1, [%0, #8]", 1) \
    X(stp_xzr,        "stp xzr, %1, [%0, #-24]", 1)
#define STORES_WB(X) \
    X(str_x_pre,      "str %1, [%0, #-8]!") \
    X(strb_pre,       "strb %w1, [%0, #1]!") \
    X(strh_pre,       "strh %w1, [%0, #-3]!") \
    X(str_w_pre,      "str %w1, [%0, #5]!") \
    X(str_x_post,     "str %1, [%0], #-12") \
    X(strb_post,      "strb %w1, [%0], #-1") \
    X(strh_post,      "strh %w1, [%0], #20") \
    X(str_w_post,     "str %w1, [%0], #-4") \
    X(stp_x_pre,      "stp %1, %1, [%0, #-16]!") \
    X(stp_x_post,     "stp %1, xzr, [%0], #24") \
    X(stp_w_pre,      "stp %w1, %w1, [%0, #-8]!") \
    X(stp_w_post,     "stp wzr, %w1, [%0], #-4")

#define DEF_STORE(name, ins, sgn) \
    static u64 name(u8 *b, u64 v, s64 i) { \
        if (!sgn) i &= 1; else i = (i % 3); \
        __asm__ volatile(ins : : "r"(b), "r"(v), "r"(i) : "memory"); return 0; }
#define DEF_STORE_WB(name, ins) \
    static u64 name(u8 *b, u64 v, s64 i) { u8 *o = b; (void)i; \
        __asm__ volatile(ins : "+r"(b) : "r"(v) : "memory"); return (u64)(b - o); }
STORES(DEF_STORE)
STORES_WB(DEF_STORE_WB)

/* ------------------------------------------------------------------ */
/* load pairs: return both registers mixed plus write-back delta */
#define PAIRS(X) \
    X(ldp_x,          "ldp %0, %1, [%2, #16]") \
    X(ldp_x_neg,      "ldp %0, %1, [%2, #-512]") \
    X(ldp_w,          "ldp %w0, %w1, [%2, #-8]") \
    X(ldpsw,          "ldpsw %0, %1, [%2, #12]") \
    X(ldnp_x,         "ldnp %0, %1, [%2, #32]") \
    X(ldnp_w,         "ldnp %w0, %w1, [%2, #-4]") \
    X(ldp_x_pre,      "ldp %0, %1, [%2, #-16]!") \
    X(ldp_x_post,     "ldp %0, %1, [%2], #32") \
    X(ldp_w_pre,      "ldp %w0, %w1, [%2, #252]!") \
    X(ldp_w_post,     "ldp %w0, %w1, [%2], #-256") \
    X(ldpsw_pre,      "ldpsw %0, %1, [%2, #8]!") \
    X(ldpsw_post,     "ldpsw %0, %1, [%2], #-8")
#define DEF_PAIR(name, ins) \
    static u64 name(u8 *b) { u64 r1, r2; u8 *o = b; \
        __asm__ volatile(ins : "=&r"(r1), "=&r"(r2), "+r"(b) : : "memory"); \
        return mix(mix(r1, r2), (u64)(b - o)); }
PAIRS(DEF_PAIR)

/* FP/SIMD register loads and stores */
#define FPLOADS(X) \
    X(ldr_b,          "ldr b16, [%2, #5]") \
    X(ldr_h,          "ldr h16, [%2, #6]") \
    X(ldr_s,          "ldr s16, [%2, #-4]!") \
    X(ldr_d,          "ldr d16, [%2], #8") \
    X(ldr_q,          "ldr q16, [%2, #32]") \
    X(ldur_q,         "ldur q16, [%2, #-3]") \
    X(ldr_q_pre,      "ldr q16, [%2, #-16]!") \
    X(ldr_q_post,     "ldr q16, [%2], #48") \
    X(ldr_d_reg,      "mov x9, #-2\n\tldr d16, [%2, x9, lsl #3]") \
    X(ldr_q_reg,      "mov x9, #3\n\tldr q16, [%2, x9, lsl #4]") \
    X(ldr_s_sxtw,     "mov w9, #-5\n\tldr s16, [%2, w9, sxtw #2]") \
    X(ldp_q,          "ldp q16, q17, [%2, #-64]\n\teor v16.16b, v16.16b, v17.16b") \
    X(ldp_d_pre,      "ldp d16, d17, [%2, #16]!\n\tadd d16, d16, d17") \
    X(ldp_s_post,     "ldp s16, s17, [%2], #-8\n\tins v16.s[1], v17.s[0]") \
    X(ldnp_q,         "ldnp q17, q16, [%2, #32]")
#define DEF_FPLOAD(name, ins) \
    static u64 name(u8 *b) { u64 r1, r2; u8 *o = b; \
        __asm__ volatile("movi v16.2d, #0xffffffffffffffff\n\t" ins \
                         "\n\tmov %0, v16.d[0]\n\tmov %1, v16.d[1]" \
                         : "=&r"(r1), "=&r"(r2), "+r"(b) : : "memory", "x9", "v16", "v17"); \
        return mix(mix(r1, r2), (u64)(b - o)); }
FPLOADS(DEF_FPLOAD)

#define FPSTORES(X) \
    X(str_b,          "str b16, [%2, #1]") \
    X(str_h,          "str h16, [%2, #-2]!") \
    X(str_s,          "str s16, [%2], #4") \
    X(str_d,          "stur d16, [%2, #-5]") \
    X(str_q,          "str q16, [%2, #16]") \
    X(str_q_pre,      "str q16, [%2, #-16]!") \
    X(stp_q,          "stp q16, q17, [%2, #-32]") \
    X(stp_d_post,     "stp d17, d16, [%2], #-16") \
    X(stp_s_pre,      "stp s16, s17, [%2, #-8]!") \
    X(str_q_reg,      "mov x9, #-1\n\tstr q16, [%2, x9, lsl #4]")
/* v16 = {v1, v2}, v17 = {0, v1}; write-back forms update a copy of the base */
#define DEF_FPSTORE(name, ins) \
    static void name(u8 *b, u64 v1, u64 v2) { \
        __asm__ volatile("mov v16.d[0], %0\n\tmov v16.d[1], %1\n\t" \
                         "eor v17.16b, v16.16b, v16.16b\n\tmov v17.d[1], %0\n\t" ins \
                         : "+r"(v1), "+r"(v2), "+r"(b) : : "memory", "x9", "v16", "v17"); }
FPSTORES(DEF_FPSTORE)

/* ------------------------------------------------------------------ */

static u64 hash_scratch(u64 h)
{
    const u64 *w = (const u64 *)scratch;
    for (int i = 0; i < 8; i++)
        h = mix(h, w[i]);
    return h;
}

static void reset_scratch(void)
{
    u64 *w = (u64 *)scratch;
    for (int i = 0; i < 8; i++)
        w[i] = 0x0101010101010101UL * (u64)(i + 1) ^ 0x8040201008040201UL;
}

static void report(const char *name, u64 h)
{
    print(name);
    print_char(' ');
    print_hex(h);
    nl();
}

static void run_loads(void)
{
#define RUN_LOAD(name, ins, sgn) { u64 h = HASH_INIT; \
        for (int k = 0; k < 16; k++) for (unsigned j = 0; j < NIDX; j++) \
            h = mix(h, name(mem + 512 + k, idxs[j])); \
        report(#name, h); }
#define RUN_LOAD_WB(name, ins) { u64 h = HASH_INIT; \
        for (int k = 0; k < 16; k++) h = mix(h, name(mem + 512 + k, 0)); \
        report(#name, h); }
    LOADS(RUN_LOAD)
    LOADS_WB(RUN_LOAD_WB)
#define RUN_PAIR(name, ins) { u64 h = HASH_INIT; \
        for (int k = 0; k < 16; k++) h = mix(h, name(mem + 512 + k)); \
        report(#name, h); }
    PAIRS(RUN_PAIR)
    FPLOADS(RUN_PAIR)
}

static const u64 svals[] = {
    0x0123456789abcdefUL, 0xfedcba9876543210UL, 0x8000000000000080UL,
    0xffffffffffffffffUL, 0x00000000000000ffUL,
};

static void run_stores(void)
{
#define RUN_STORE(name, ins, sgn) { u64 h = HASH_INIT; \
        for (int k = 0; k < 8; k++) for (unsigned j = 0; j < NIDX; j++) { \
            reset_scratch(); \
            h = mix(h, name(scratch + 28 + k, svals[(k + j) % 5], idxs[j])); \
            h = hash_scratch(h); } \
        report(#name, h); }
#define RUN_STORE_WB(name, ins) RUN_STORE(name, ins, 1)
    STORES(RUN_STORE)
    STORES_WB(RUN_STORE_WB)
#define RUN_FPSTORE(name, ins) { u64 h = HASH_INIT; \
        for (int k = 0; k < 8; k++) { \
            reset_scratch(); \
            name(scratch + 32 + k, svals[k % 5], svals[(k + 2) % 5]); \
            h = hash_scratch(h); } \
        report(#name, h); }
    FPSTORES(RUN_FPSTORE)
}

/* PC-relative literal loads */
static void run_literals(void)
{
    u64 a, b, c, d, e, f, g;
    __asm__ volatile(
        "ldr %0, 1f\n\t"
        "ldrsw %1, 2f\n\t"
        "ldr %w2, 2f\n\t"
        "ldrsw %3, 3f\n\t"
        "ldr d16, 1f\n\t"
        "fmov %4, d16\n\t"
        "ldr s16, 3f\n\t"
        "fmov %w5, s16\n\t"
        "ldr q16, 4f\n\t"
        "mov %6, v16.d[1]\n\t"
        "prfm pldl1keep, 1f\n\t"
        "b 5f\n\t"
        ".balign 16\n"
        "4: .quad 0x1111111111111111\n\t"
        ".quad 0x2233445566778899\n"
        "1: .quad 0xfedcba9876543210\n"
        "2: .word 0x80000001\n"
        "3: .word 0x7ffffffe\n"
        "5:\n\t"
        : "=&r"(a), "=&r"(b), "=&r"(c), "=&r"(d), "=&r"(e), "=&r"(f), "=&r"(g)
        : : "v16");
    check("ldr_lit_x", a, 0xfedcba9876543210);
    check("ldrsw_lit_neg", b, 0xffffffff80000001);
    check("ldr_lit_w", c, 0x80000001);
    check("ldrsw_lit_pos", d, 0x7ffffffe);
    check("ldr_lit_d", e, 0xfedcba9876543210);
    check("ldr_lit_s", f, 0x7ffffffe);
    check("ldr_lit_q", g, 0x2233445566778899);
    u64 h = mix(mix(mix(mix(mix(mix(mix(HASH_INIT, a), b), c), d), e), f), g);
    report("literals", h);
}

/* data that is initialised by the loader (.data), read-only (.rodata)
 * and zero-filled (.bss) */
static u64 data_words[4] = { 0x1111, 0x2222, 0x3333, 0x4444 };
static u64 bss_words[64];

static void run_sections(void)
{
    u64 h = HASH_INIT;
    for (int i = 0; i < 4; i++)
        h = mix(h, data_words[i]);
    u64 z = 0;
    for (int i = 0; i < 64; i++)
        z |= bss_words[i];
    check("bss_zero", z, 0);
    bss_words[63] = 5;
    data_words[3]++;
    h = mix(h, data_words[3] + bss_words[63]);
    report("sections", h);
}

/* a copy loop through every size, walking unaligned pointers */
static void run_copy_loops(void)
{
    static u8 dst[300];
    u64 h = HASH_INIT;
    for (int off = 0; off < 8; off++) {
        for (int i = 0; i < 300; i++)
            dst[i] = 0;
        volatile u16 *s16 = (volatile u16 *)(void *)(mem + off);
        volatile u32 *s32 = (volatile u32 *)(void *)(mem + off + 1);
        volatile u64 *s64p = (volatile u64 *)(void *)(mem + off + 3);
        for (int i = 0; i < 16; i++) {
            *(volatile u64 *)(void *)(dst + off + i * 8) = s64p[i];
            *(volatile u32 *)(void *)(dst + 140 + off + i * 4) = s32[i];
            *(volatile u16 *)(void *)(dst + 220 + off + i * 2) = s16[i];
        }
        for (int i = 0; i < 300; i += 4)
            h = mix(h, *(u32 *)(void *)(dst + i));
    }
    report("unaligned_copy", h);
}

int main(void)
{
    init_mem();
    run_loads();
    run_stores();
    run_literals();
    run_sections();
    run_copy_loops();
    put_dec("failures", rt_failures);
    return rt_failures;
}

/*
 * fs_atomics (built with -march=armv8.1-a): exclusive load/store
 * (ldxr/stxr, ldaxr/stlxr in b/h/w/x, ldxp/stxp, ldaxp/stlxp, clrex),
 * load-acquire / store-release (ldar/stlr in b/h/w/x), and every LSE atomic:
 * cas/casa/casl/casal, casp (w and x pairs, all orders), swp, ldadd, ldclr,
 * ldeor, ldset, ldsmax, ldsmin, ldumax, ldumin in sizes b/h/w/x with all
 * four orderings, plus the st<op> aliases.  Single-threaded: the printed
 * values are the returned old values and the resulting memory words
 * (neighbouring bytes included, so over-wide accesses show up).
 */
#include "rt.h"

static const u64 vals[] = {
    0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff,
    0x80000000, 0xffffffff, 0x123456789abcdef0, 0x8000000000000000,
    0x7fffffffffffffff, 0xffffffffffffffff, 0xfedcba9876543210,
};
#define NVALS (sizeof(vals) / sizeof(vals[0]))

static u64 cell[4] __attribute__((aligned(64)));

static void report(const char *name, u64 h)
{
    print(name);
    print_char(' ');
    print_hex(h);
    nl();
}

/* ---------------- LSE load-op / swap ---------------- */
/* %0 old value (Rt), %1 operand (Rs), %2 address */
#define LSE_SIZES(X, op) \
    X(op##b,    #op "b",    "w", 0) X(op##ab,   #op "ab",   "w", 0) \
    X(op##lb,   #op "lb",   "w", 0) X(op##alb,  #op "alb",  "w", 0) \
    X(op##h,    #op "h",    "w", 1) X(op##ah,   #op "ah",   "w", 1) \
    X(op##lh,   #op "lh",   "w", 1) X(op##alh,  #op "alh",  "w", 1) \
    X(op##_w,   #op,        "w", 2) X(op##a_w,  #op "a",    "w", 2) \
    X(op##l_w,  #op "l",    "w", 2) X(op##al_w, #op "al",   "w", 2) \
    X(op##_x,   #op,        "x", 3) X(op##a_x,  #op "a",    "x", 3) \
    X(op##l_x,  #op "l",    "x", 3) X(op##al_x, #op "al",   "x", 3)

#define LSE_ALL(X) \
    LSE_SIZES(X, ldadd) LSE_SIZES(X, ldclr) LSE_SIZES(X, ldeor) \
    LSE_SIZES(X, ldset) LSE_SIZES(X, ldsmax) LSE_SIZES(X, ldsmin) \
    LSE_SIZES(X, ldumax) LSE_SIZES(X, ldumin) LSE_SIZES(X, swp)

#define DEF_LSE(name, mn, r, lg) \
    static u64 name(void *p, u64 v) { u64 old; \
        __asm__ volatile(mn " %" r "1, %" r "0, [%2]" \
                         : "=&r"(old) : "r"(v), "r"(p) : "memory"); return old; }
LSE_ALL(DEF_LSE)

struct lse_op { const char *name; u64 (*fn)(void *, u64); int lg; };
#define LSE_ROW(name, mn, r, lg) { #name, name, lg },
static const struct lse_op lse_ops[] = { LSE_ALL(LSE_ROW) };

/* st<op> aliases: no result register */
#define ST_ALL(X) \
    X(staddb, "staddb", "w", 0) X(staddlh, "staddlh", "w", 1) \
    X(stadd_w, "stadd", "w", 2) X(staddl_x, "staddl", "x", 3) \
    X(stclrb, "stclrb", "w", 0) X(stclrl_x, "stclrl", "x", 3) \
    X(steorh, "steorh", "w", 1) X(steorl_w, "steorl", "w", 2) \
    X(stsetlb, "stsetlb", "w", 0) X(stset_x, "stset", "x", 3) \
    X(stsmaxh, "stsmaxh", "w", 1) X(stsmaxl_x, "stsmaxl", "x", 3) \
    X(stsminb, "stsminb", "w", 0) X(stsmin_w, "stsmin", "w", 2) \
    X(stumaxl_w, "stumaxl", "w", 2) X(stumaxb, "stumaxb", "w", 0) \
    X(stuminh, "stuminh", "w", 1) X(stuminl_x, "stuminl", "x", 3)
#define DEF_ST(name, mn, r, lg) \
    static u64 name(void *p, u64 v) { \
        __asm__ volatile(mn " %" r "0, [%1]" : : "r"(v), "r"(p) : "memory"); return 0; }
ST_ALL(DEF_ST)
#define ST_ROW(name, mn, r, lg) { #name, name, lg },
static const struct lse_op st_ops[] = { ST_ALL(ST_ROW) };

static void run_lse_table(const struct lse_op *ops, unsigned n)
{
    for (unsigned k = 0; k < n; k++) {
        const struct lse_op *op = &ops[k];
        u64 h = HASH_INIT;
        int size = 1 << op->lg;
        for (unsigned i = 0; i < NVALS; i++) {
            for (unsigned j = 0; j < NVALS; j++) {
                /* place the operand at a size-aligned offset inside cell[1] */
                int off = (int)((i + j) * size) & 7;
                cell[0] = 0x5a5a5a5a5a5a5a5aUL;
                cell[1] = vals[i] ^ (vals[j] << 8);
                cell[2] = 0xa5a5a5a5a5a5a5a5UL;
                u64 old = op->fn((u8 *)&cell[1] + off, vals[j]);
                h = mix(mix(mix(mix(h, old), cell[0]), cell[1]), cell[2]);
            }
        }
        report(op->name, h);
    }
}

/* ---------------- compare and swap ---------------- */
#define CAS_ALL(X) \
    X(casb,   "casb",   "w", 0) X(casab,  "casab",  "w", 0) \
    X(caslb,  "caslb",  "w", 0) X(casalb, "casalb", "w", 0) \
    X(cash,   "cash",   "w", 1) X(casah,  "casah",  "w", 1) \
    X(caslh,  "caslh",  "w", 1) X(casalh, "casalh", "w", 1) \
    X(cas_w,  "cas",    "w", 2) X(casa_w, "casa",   "w", 2) \
    X(casl_w, "casl",   "w", 2) X(casal_w, "casal", "w", 2) \
    X(cas_x,  "cas",    "x", 3) X(casa_x, "casa",   "x", 3) \
    X(casl_x, "casl",   "x", 3) X(casal_x, "casal", "x", 3)
/* %0 compare value in, old value out (Rs); %1 new value (Rt); %2 address */
#define DEF_CAS(name, mn, r, lg) \
    static u64 name(void *p, u64 cmp, u64 nv) { \
        __asm__ volatile(mn " %" r "0, %" r "1, [%2]" \
                         : "+&r"(cmp) : "r"(nv), "r"(p) : "memory"); return cmp; }
CAS_ALL(DEF_CAS)
#define CAS_ROW(name, mn, r, lg) { #name, name, lg },
static const struct { const char *name; u64 (*fn)(void *, u64, u64); int lg; } cas_ops[] = { CAS_ALL(CAS_ROW) };

static void run_cas(void)
{
    for (unsigned k = 0; k < sizeof(cas_ops) / sizeof(cas_ops[0]); k++) {
        u64 h = HASH_INIT;
        int size = 1 << cas_ops[k].lg;
        u64 mask = size == 8 ? ~0UL : (1UL << (8 * size)) - 1;
        unsigned hits = 0;
        for (unsigned i = 0; i < NVALS; i++) {
            for (unsigned j = 0; j < NVALS; j++) {
                int off = (int)(i * size) & 7;
                cell[1] = vals[i] * 0x0101010101010101UL ^ vals[j];
                u64 cur = 0;
                memcpy(&cur, (u8 *)&cell[1] + off, size);
                /* every third comparison matches the memory value */
                u64 cmp = (j % 3 == 0) ? cur : vals[j];
                /* bits above the operand size in the compare register are ignored */
                cmp |= ~mask & 0xdead000000000000UL;
                u64 old = cas_ops[k].fn((u8 *)&cell[1] + off, cmp, vals[(i + j) % NVALS]);
                if ((old & mask) == (cmp & mask))
                    hits++;
                h = mix(mix(h, old), cell[1]);
            }
        }
        print(cas_ops[k].name);
        print(" hits=");
        print_udec(hits);
        print_char(' ');
        print_hex(h);
        nl();
    }
}

/* casp: register pairs must start at an even register, so fix them */
#define CASP_X(name, mn) \
    static void name(u64 *p, u64 c0, u64 c1, u64 n0, u64 n1, u64 *o0, u64 *o1) { \
        register u64 r4 __asm__("x4") = c0; register u64 r5 __asm__("x5") = c1; \
        register u64 r6 __asm__("x6") = n0; register u64 r7 __asm__("x7") = n1; \
        __asm__ volatile(mn " x4, x5, x6, x7, [%4]" \
                         : "+r"(r4), "+r"(r5) : "r"(r6), "r"(r7), "r"(p) : "memory"); \
        *o0 = r4; *o1 = r5; }
#define CASP_W(name, mn) \
    static void name(u64 *p, u64 c0, u64 c1, u64 n0, u64 n1, u64 *o0, u64 *o1) { \
        register u64 r4 __asm__("x4") = c0; register u64 r5 __asm__("x5") = c1; \
        register u64 r6 __asm__("x6") = n0; register u64 r7 __asm__("x7") = n1; \
        __asm__ volatile(mn " w4, w5, w6, w7, [%4]" \
                         : "+r"(r4), "+r"(r5) : "r"(r6), "r"(r7), "r"(p) : "memory"); \
        *o0 = r4; *o1 = r5; }
CASP_X(casp_x, "casp") CASP_X(caspa_x, "caspa") CASP_X(caspl_x, "caspl") CASP_X(caspal_x, "caspal")
CASP_W(casp_w, "casp") CASP_W(caspa_w, "caspa") CASP_W(caspl_w, "caspl") CASP_W(caspal_w, "caspal")
typedef void (*caspfn)(u64 *, u64, u64, u64, u64, u64 *, u64 *);
static const struct { const char *name; caspfn fn; int wide; } casp_ops[] = {
    { "casp_x", casp_x, 1 }, { "caspa_x", caspa_x, 1 }, { "caspl_x", caspl_x, 1 }, { "caspal_x", caspal_x, 1 },
    { "casp_w", casp_w, 0 }, { "caspa_w", caspa_w, 0 }, { "caspl_w", caspl_w, 0 }, { "caspal_w", caspal_w, 0 },
};

static void run_casp(void)
{
    for (unsigned k = 0; k < 8; k++) {
        u64 h = HASH_INIT;
        for (unsigned i = 0; i < NVALS; i++) {
            for (unsigned j = 0; j < NVALS; j++) {
                u64 *p = casp_ops[k].wide ? &cell[0] : (u64 *)(void *)((u8 *)&cell[1] + (i & 1) * 8);
                cell[0] = vals[i];
                cell[1] = vals[j] ^ 0x1111;
                cell[2] = ~vals[i];
                u64 m0, m1;
                if (casp_ops[k].wide) {
                    m0 = p[0];
                    m1 = p[1];
                } else {
                    m0 = *(u32 *)p;
                    m1 = *((u32 *)p + 1);
                }
                int match = (i + j) % 4;   /* 0: both match, 1: first only, 2: second only, 3: none */
                u64 c0 = (match == 0 || match == 1) ? m0 : m0 ^ 4;
                u64 c1 = (match == 0 || match == 2) ? m1 : m1 + 1;
                u64 o0, o1;
                casp_ops[k].fn(p, c0, c1, vals[j], vals[(i * 3) % NVALS], &o0, &o1);
                h = mix(mix(mix(mix(mix(h, o0), o1), cell[0]), cell[1]), cell[2]);
            }
        }
        report(casp_ops[k].name, h);
    }
}

/* ---------------- exclusives ---------------- */
static u64 ex_add_x(u64 *p, u64 v)
{
    u64 old, tmp;
    u32 st;
    __asm__ volatile("1: ldxr %0, [%3]\n\t"
                     "add %1, %0, %4\n\t"
                     "stxr %w2, %1, [%3]\n\t"
                     "cbnz %w2, 1b"
                     : "=&r"(old), "=&r"(tmp), "=&r"(st) : "r"(p), "r"(v) : "memory");
    return old;
}

static u64 ex_xor_w_acqrel(u32 *p, u64 v)
{
    u64 old, tmp;
    u32 st;
    __asm__ volatile("1: ldaxr %w0, [%3]\n\t"
                     "eor %w1, %w0, %w4\n\t"
                     "stlxr %w2, %w1, [%3]\n\t"
                     "cbnz %w2, 1b"
                     : "=&r"(old), "=&r"(tmp), "=&r"(st) : "r"(p), "r"(v) : "memory");
    return old;
}

static u64 ex_sub_b(u8 *p, u64 v)
{
    u64 old, tmp;
    u32 st;
    __asm__ volatile("1: ldxrb %w0, [%3]\n\t"
                     "sub %w1, %w0, %w4\n\t"
                     "stxrb %w2, %w1, [%3]\n\t"
                     "cbnz %w2, 1b"
                     : "=&r"(old), "=&r"(tmp), "=&r"(st) : "r"(p), "r"(v) : "memory");
    return old;
}

static u64 ex_or_b_acqrel(u8 *p, u64 v)
{
    u64 old, tmp;
    u32 st;
    __asm__ volatile("1: ldaxrb %w0, [%3]\n\t"
                     "orr %w1, %w0, %w4\n\t"
                     "stlxrb %w2, %w1, [%3]\n\t"
                     "cbnz %w2, 1b"
                     : "=&r"(old), "=&r"(tmp), "=&r"(st) : "r"(p), "r"(v) : "memory");
    return old;
}

static u64 ex_mul_h(u16 *p, u64 v)
{
    u64 old, tmp;
    u32 st;
    __asm__ volatile("1: ldxrh %w0, [%3]\n\t"
                     "mul %w1, %w0, %w4\n\t"
                     "stxrh %w2, %w1, [%3]\n\t"
                     "cbnz %w2, 1b"
                     : "=&r"(old), "=&r"(tmp), "=&r"(st) : "r"(p), "r"(v) : "memory");
    return old;
}

static u64 ex_and_h_acqrel(u16 *p, u64 v)
{
    u64 old, tmp;
    u32 st;
    __asm__ volatile("1: ldaxrh %w0, [%3]\n\t"
                     "and %w1, %w0, %w4\n\t"
                     "stlxrh %w2, %w1, [%3]\n\t"
                     "cbnz %w2, 1b"
                     : "=&r"(old), "=&r"(tmp), "=&r"(st) : "r"(p), "r"(v) : "memory");
    return old;
}

static u64 ex_swap_pair_x(u64 *p, u64 a, u64 b)
{
    u64 o0, o1;
    u32 st;
    __asm__ volatile("1: ldxp %0, %1, [%3]\n\t"
                     "stxp %w2, %4, %5, [%3]\n\t"
                     "cbnz %w2, 1b"
                     : "=&r"(o0), "=&r"(o1), "=&r"(st) : "r"(p), "r"(a), "r"(b) : "memory");
    return mix(o0, o1);
}

static u64 ex_add_pair_w_acqrel(u32 *p, u64 a, u64 b)
{
    u64 o0, o1, t0, t1;
    u32 st;
    __asm__ volatile("1: ldaxp %w0, %w1, [%5]\n\t"
                     "add %w2, %w0, %w6\n\t"
                     "add %w3, %w1, %w7\n\t"
                     "stlxp %w4, %w2, %w3, [%5]\n\t"
                     "cbnz %w4, 1b"
                     : "=&r"(o0), "=&r"(o1), "=&r"(t0), "=&r"(t1), "=&r"(st)
                     : "r"(p), "r"(a), "r"(b) : "memory");
    return mix(o0, o1);
}

static void run_exclusives(void)
{
    u64 h1 = HASH_INIT, h2 = HASH_INIT, h3 = HASH_INIT, h4 = HASH_INIT;
    u64 h5 = HASH_INIT, h6 = HASH_INIT, h7 = HASH_INIT, h8 = HASH_INIT;
    for (unsigned i = 0; i < NVALS; i++) {
        for (unsigned j = 0; j < NVALS; j++) {
            cell[0] = vals[i];
            cell[1] = vals[j];
            h1 = mix(mix(h1, ex_add_x(&cell[0], vals[j])), cell[0]);
            h2 = mix(mix(h2, ex_xor_w_acqrel((u32 *)&cell[1] + (j & 1), vals[i])), cell[1]);
            h3 = mix(mix(h3, ex_sub_b((u8 *)&cell[0] + (i & 7), vals[j])), cell[0]);
            h4 = mix(mix(h4, ex_or_b_acqrel((u8 *)&cell[1] + (j & 7), vals[i])), cell[1]);
            h5 = mix(mix(h5, ex_mul_h((u16 *)&cell[0] + (i & 3), vals[j])), cell[0]);
            h6 = mix(mix(h6, ex_and_h_acqrel((u16 *)&cell[1] + (j & 3), vals[i])), cell[1]);
            cell[2] = vals[i] + 1;
            cell[3] = vals[j] - 1;
            h7 = mix(mix(mix(h7, ex_swap_pair_x(&cell[2], vals[j], vals[i])), cell[2]), cell[3]);
            h8 = mix(mix(mix(h8, ex_add_pair_w_acqrel((u32 *)&cell[2] + (i & 1) * 2, vals[i], vals[j])),
                         cell[2]), cell[3]);
        }
    }
    report("ldxr_stxr_x", h1);
    report("ldaxr_stlxr_w", h2);
    report("ldxrb_stxrb", h3);
    report("ldaxrb_stlxrb", h4);
    report("ldxrh_stxrh", h5);
    report("ldaxrh_stlxrh", h6);
    report("ldxp_stxp_x", h7);
    report("ldaxp_stlxp_w", h8);

    /* a store-exclusive with the monitor cleared must fail and not write */
    u32 st1, st2;
    u64 got;
    cell[0] = 77;
    __asm__ volatile("ldxr %1, [%3]\n\t"
                     "clrex\n\t"
                     "mov x9, #99\n\t"
                     "stxr %w0, x9, [%3]\n\t"
                     "ldxr x10, [%3]\n\t"
                     "stxr %w2, x9, [%3]\n\t"
                     : "=&r"(st1), "=&r"(got), "=&r"(st2) : "r"(&cell[0]) : "memory", "x9", "x10");
    check("clrex_stxr_fails", st1, 1);
    check("stxr_after_ldxr", (st2 == 0 || st2 == 1) ? 0 : st2, 0);
    check("clrex_value", got, 77);
    println("clrex ok");
}

/* ---------------- load-acquire / store-release ---------------- */
static void run_acqrel(void)
{
    u64 h = HASH_INIT;
    for (unsigned i = 0; i < NVALS; i++) {
        u64 r1, r2, r3, r4;
        cell[0] = vals[i];
        cell[1] = ~vals[i];
        __asm__ volatile("ldar %0, [%4]\n\t"
                         "ldar %w1, [%5]\n\t"
                         "ldarb %w2, [%4]\n\t"
                         "ldarh %w3, [%5]\n\t"
                         : "=&r"(r1), "=&r"(r2), "=&r"(r3), "=&r"(r4)
                         : "r"(&cell[0]), "r"((u8 *)&cell[1] + 4) : "memory");
        h = mix(mix(mix(mix(h, r1), r2), r3), r4);
        __asm__ volatile("stlr %0, [%4]\n\t"
                         "stlr %w1, [%5]\n\t"
                         "stlrb %w2, [%6]\n\t"
                         "stlrh %w3, [%7]\n\t"
                         :
                         : "r"(vals[(i + 1) % NVALS]), "r"(vals[(i + 2) % NVALS]),
                           "r"(vals[(i + 3) % NVALS]), "r"(vals[(i + 4) % NVALS]),
                           "r"(&cell[2]), "r"((u8 *)&cell[1] + 4), "r"((u8 *)&cell[0] + 3),
                           "r"((u8 *)&cell[0] + 6)
                         : "memory");
        h = mix(mix(mix(h, cell[0]), cell[1]), cell[2]);
    }
    report("ldar_stlr", h);
}

int main(void)
{
    run_lse_table(lse_ops, sizeof(lse_ops) / sizeof(lse_ops[0]));
    run_lse_table(st_ops, sizeof(st_ops) / sizeof(st_ops[0]));
    run_cas();
    run_casp();
    run_exclusives();
    run_acqrel();

    /* known answers */
    cell[0] = 5;
    check("ldadd_old", ldaddal_x(&cell[0], 3), 5);
    check("ldadd_new", cell[0], 8);
    cell[0] = 0x80;
    check("ldsmaxb", ldsmaxb(&cell[0], 0x7f), 0x80);
    check("ldsmaxb_new", cell[0], 0x7f);
    cell[0] = 0x80;
    check("ldumaxb", ldumaxb(&cell[0], 0x7f), 0x80);
    check("ldumaxb_new", cell[0], 0x80);
    cell[0] = 0xf0f0;
    check("ldclrh", ldclrh(&cell[0], 0xff00), 0xf0f0);
    check("ldclrh_new", cell[0], 0x00f0);
    put_dec("failures", rt_failures);
    return rt_failures;
}

/*
 * fs_fp: scalar floating point, single and double precision, printed as
 * hex bit patterns.  Every operation runs over a grid of special and
 * ordinary values (signed zeros, denormals, infinities, quiet and signalling
 * NaNs with payloads, values at integer conversion limits); for each the
 * result bits and the FPSR exception flags raised are hashed separately
 * ("res" and "fpsr" columns).
 *
 * Covered: fadd fsub fmul fdiv fnmul fabd fsqrt fabs fneg fmin fmax fminnm
 * fmaxnm, fmadd fmsub fnmadd fnmsub, fcmp fcmpe (reg and #0.0), fccmp
 * fccmpe, fcsel, fcvt between h/s/d, scvtf ucvtf (incl. fixed point),
 * fcvtzs fcvtzu (incl. fixed point, saturation and NaN), fcvtas fcvtau
 * fcvtms fcvtmu fcvtps fcvtpu fcvtns fcvtnu, frintn frintm frintp frintz
 * frinta frinti frintx, fmov immediate and gp<->fp (including v.d[1]),
 * all four FPCR rounding modes, FPCR.DN (default NaN) and FPCR.FZ.
 */
#include "rt.h"

static const u64 dvals[] = {
    0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0xbff0000000000000,
    0x3fe0000000000000, 0x3ff8000000000000, 0x4004000000000000, 0xc004000000000000,
    0x4008000000000000, 0x3fd5555555555555, 0x400921fb54442d18, 0x7e37e43c8800759c,
    0xfe37e43c8800759c, 0x7fefffffffffffff, 0x0010000000000000, 0x0000000000000001,
    0x800fffffffffffff, 0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000,
    0x7ff8000000000123, 0x7ff0000000000456, 0xfff8000000000000, 0x4340000000000000,
    0x43e0000000000000, 0xc3e0000000000000, 0x43f0000000000000, 0x41dfffffffe00000,
    0xc1e0000000100000, 0x3fdfffffffffffff, 0x4330000000000001, 0x41efffffffe00000,
    0xc3e0000000000001, 0x43efffffffffffff, 0xbfe0000000000000, 0x4016000000000000,
};
#define NDV (sizeof(dvals) / sizeof(dvals[0]))

static const u64 svals[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3f000000, 0x3fc00000,
    0x40200000, 0xc0200000, 0x40400000, 0x3eaaaaab, 0x40490fdb, 0x7f7fffff,
    0xff7fffff, 0x00800000, 0x00000001, 0x807fffff, 0x7f800000, 0xff800000,
    0x7fc00000, 0x7fc00123, 0x7f800456, 0xffc00000, 0x4b800000, 0x5f000000,
    0xdf000000, 0x5f800000, 0x4f000000, 0xcf000001, 0x3effffff, 0x4b000001,
    0x4f7fffff, 0xbf000000, 0x40b00000,
};
#define NSV (sizeof(svals) / sizeof(svals[0]))

static const u64 ivals[] = {
    0, 1, 2, 3, 0x7f, 0xffffff, 0x1000001, 0x7fffffff, 0x80000000, 0xffffffff,
    0x100000000, 0x1fffffffffffff, 0x20000000000001, 0x7fffffffffffffff,
    0x8000000000000000, 0xfffffffffffffffe, 0xffffffffffffffff,
    0xfffffffffffffc00, 0x123456789abcdef, 0xfffffffffffffff9,
};
#define NIV (sizeof(ivals) / sizeof(ivals[0]))

/* One template: inputs in d16/d17/d18 (bits of a, b, c) and x11/x12/x13,
 * FPSR cleared first, the instruction sequence leaves its result in x10. */
typedef void (*fpfn)(u64, u64, u64, u64 *, u64 *);
#define DEF(name, kind, ins) \
    static void name(u64 a, u64 b, u64 c, u64 *r, u64 *f) { u64 res, fl; \
        __asm__ volatile("fmov d16, %2\n\tfmov d17, %3\n\tfmov d18, %4\n\t" \
                         "mov x11, %2\n\tmov x12, %3\n\tmov x13, %4\n\t" \
                         "msr fpsr, xzr\n\t" ins "\n\tmrs %1, fpsr\n\tmov %0, x10" \
                         : "=&r"(res), "=&r"(fl) : "r"(a), "r"(b), "r"(c) \
                         : "x10", "x11", "x12", "x13", "v16", "v17", "v18", "v19", "cc"); \
        *r = res; *f = fl; }
#define D(ins) ins "\n\tfmov x10, d19"
#define S(ins) ins "\n\tfmov w10, s19"
#define H(ins) ins "\n\tumov w10, v19.h[0]"

/* kind: 0 = binary FP double grid, 1 = binary single grid, 2 = unary double,
 * 3 = unary single, 4 = unary integer source */
#define OPS(X) \
    X(fadd_d,    0, D("fadd d19, d16, d17")) \
    X(fsub_d,    0, D("fsub d19, d16, d17")) \
    X(fmul_d,    0, D("fmul d19, d16, d17")) \
    X(fdiv_d,    0, D("fdiv d19, d16, d17")) \
    X(fnmul_d,   0, D("fnmul d19, d16, d17")) \
    X(fabd_d,    0, D("fabd d19, d16, d17")) \
    X(fmin_d,    0, D("fmin d19, d16, d17")) \
    X(fmax_d,    0, D("fmax d19, d16, d17")) \
    X(fminnm_d,  0, D("fminnm d19, d16, d17")) \
    X(fmaxnm_d,  0, D("fmaxnm d19, d16, d17")) \
    X(fmadd_d,   0, D("fmadd d19, d16, d17, d18")) \
    X(fmsub_d,   0, D("fmsub d19, d16, d17, d18")) \
    X(fnmadd_d,  0, D("fnmadd d19, d16, d17, d18")) \
    X(fnmsub_d,  0, D("fnmsub d19, d16, d17, d18")) \
    X(fcmp_d,    0, "fcmp d16, d17\n\tmrs x10, nzcv") \
    X(fcmpe_d,   0, "fcmpe d16, d17\n\tmrs x10, nzcv") \
    X(fccmp_d_gt,  0, "fcmp d16, d18\n\tfccmp d16, d17, #0b0100, gt\n\tmrs x10, nzcv") \
    X(fccmp_d_vs,  0, "fcmp d16, d18\n\tfccmp d17, d16, #0b1001, vs\n\tmrs x10, nzcv") \
    X(fccmpe_d_ls, 0, "fcmp d16, d18\n\tfccmpe d16, d17, #0b0010, ls\n\tmrs x10, nzcv") \
    X(fcsel_d_mi,  0, D("fcmp d16, d17\n\tfcsel d19, d16, d17, mi")) \
    X(fcsel_d_ge,  0, D("fcmp d16, d17\n\tfcsel d19, d17, d18, ge")) \
    X(fadd_s,    1, S("fadd s19, s16, s17")) \
    X(fsub_s,    1, S("fsub s19, s16, s17")) \
    X(fmul_s,    1, S("fmul s19, s16, s17")) \
    X(fdiv_s,    1, S("fdiv s19, s16, s17")) \
    X(fnmul_s,   1, S("fnmul s19, s16, s17")) \
    X(fabd_s,    1, S("fabd s19, s16, s17")) \
    X(fmin_s,    1, S("fmin s19, s16, s17")) \
    X(fmax_s,    1, S("fmax s19, s16, s17")) \
    X(fminnm_s,  1, S("fminnm s19, s16, s17")) \
    X(fmaxnm_s,  1, S("fmaxnm s19, s16, s17")) \
    X(fmadd_s,   1, S("fmadd s19, s16, s17, s18")) \
    X(fmsub_s,   1, S("fmsub s19, s16, s17, s18")) \
    X(fnmadd_s,  1, S("fnmadd s19, s16, s17, s18")) \
    X(fnmsub_s,  1, S("fnmsub s19, s16, s17, s18")) \
    X(fcmp_s,    1, "fcmp s16, s17\n\tmrs x10, nzcv") \
    X(fcmpe_s,   1, "fcmpe s16, s17\n\tmrs x10, nzcv") \
    X(fccmpe_s_ne, 1, "fcmp s17, s18\n\tfccmpe s16, s17, #0b1111, ne\n\tmrs x10, nzcv") \
    X(fcsel_s_lt,  1, S("fcmp s16, s17\n\tfcsel s19, s16, s17, lt")) \
    X(fsqrt_d,   2, D("fsqrt d19, d16")) \
    X(fabs_d,    2, D("fabs d19, d16")) \
    X(fneg_d,    2, D("fneg d19, d16")) \
    X(fmov_d,    2, D("fmov d19, d16")) \
    X(fcmp_d_0,  2, "fcmp d16, #0.0\n\tmrs x10, nzcv") \
    X(fcmpe_d_0, 2, "fcmpe d16, #0.0\n\tmrs x10, nzcv") \
    X(frintn_d,  2, D("frintn d19, d16")) \
    X(frintm_d,  2, D("frintm d19, d16")) \
    X(frintp_d,  2, D("frintp d19, d16")) \
    X(frintz_d,  2, D("frintz d19, d16")) \
    X(frinta_d,  2, D("frinta d19, d16")) \
    X(frinti_d,  2, D("frinti d19, d16")) \
    X(frintx_d,  2, D("frintx d19, d16")) \
    X(fcvt_d_s,  2, S("fcvt s19, d16")) \
    X(fcvt_d_h,  2, H("fcvt h19, d16")) \
    X(fcvtzs_dw, 2, "fcvtzs w10, d16") \
    X(fcvtzs_dx, 2, "fcvtzs x10, d16") \
    X(fcvtzu_dw, 2, "fcvtzu w10, d16") \
    X(fcvtzu_dx, 2, "fcvtzu x10, d16") \
    X(fcvtzs_dx_fix16, 2, "fcvtzs x10, d16, #16") \
    X(fcvtzu_dw_fix3,  2, "fcvtzu w10, d16, #3") \
    X(fcvtas_dx, 2, "fcvtas x10, d16") \
    X(fcvtau_dw, 2, "fcvtau w10, d16") \
    X(fcvtms_dw, 2, "fcvtms w10, d16") \
    X(fcvtmu_dx, 2, "fcvtmu x10, d16") \
    X(fcvtps_dx, 2, "fcvtps x10, d16") \
    X(fcvtpu_dw, 2, "fcvtpu w10, d16") \
    X(fcvtns_dx, 2, "fcvtns x10, d16") \
    X(fcvtns_dw, 2, "fcvtns w10, d16") \
    X(fcvtnu_dx, 2, "fcvtnu x10, d16") \
    X(fsqrt_s,   3, S("fsqrt s19, s16")) \
    X(fabs_s,    3, S("fabs s19, s16")) \
    X(fneg_s,    3, S("fneg s19, s16")) \
    X(fcmp_s_0,  3, "fcmp s16, #0.0\n\tmrs x10, nzcv") \
    X(frintn_s,  3, S("frintn s19, s16")) \
    X(frintm_s,  3, S("frintm s19, s16")) \
    X(frintp_s,  3, S("frintp s19, s16")) \
    X(frintz_s,  3, S("frintz s19, s16")) \
    X(frinta_s,  3, S("frinta s19, s16")) \
    X(frinti_s,  3, S("frinti s19, s16")) \
    X(frintx_s,  3, S("frintx s19, s16")) \
    X(fcvt_s_d,  3, D("fcvt d19, s16")) \
    X(fcvt_s_h,  3, H("fcvt h19, s16")) \
    X(fcvt_h_s,  3, S("fcvt s19, h16")) \
    X(fcvt_h_d,  3, D("fcvt d19, h16")) \
    X(fcvtzs_sw, 3, "fcvtzs w10, s16") \
    X(fcvtzs_sx, 3, "fcvtzs x10, s16") \
    X(fcvtzu_sw, 3, "fcvtzu w10, s16") \
    X(fcvtzu_sx, 3, "fcvtzu x10, s16") \
    X(fcvtzs_sw_fix8, 3, "fcvtzs w10, s16, #8") \
    X(fcvtas_sw, 3, "fcvtas w10, s16") \
    X(fcvtau_sx, 3, "fcvtau x10, s16") \
    X(fcvtms_sx, 3, "fcvtms x10, s16") \
    X(fcvtmu_sw, 3, "fcvtmu w10, s16") \
    X(fcvtps_sw, 3, "fcvtps w10, s16") \
    X(fcvtpu_sx, 3, "fcvtpu x10, s16") \
    X(fcvtns_sw, 3, "fcvtns w10, s16") \
    X(fcvtnu_sw, 3, "fcvtnu w10, s16") \
    X(scvtf_xd,  4, D("scvtf d19, x11")) \
    X(scvtf_wd,  4, D("scvtf d19, w11")) \
    X(ucvtf_xd,  4, D("ucvtf d19, x11")) \
    X(ucvtf_wd,  4, D("ucvtf d19, w11")) \
    X(scvtf_xs,  4, S("scvtf s19, x11")) \
    X(scvtf_ws,  4, S("scvtf s19, w11")) \
    X(ucvtf_xs,  4, S("ucvtf s19, x11")) \
    X(ucvtf_ws,  4, S("ucvtf s19, w11")) \
    X(scvtf_xd_fix16, 4, D("scvtf d19, x11, #16")) \
    X(ucvtf_ws_fix8,  4, S("ucvtf s19, w11, #8")) \
    X(ucvtf_xd_fix64, 4, D("ucvtf d19, x11, #64")) \
    X(fmov_xd_hi, 4, "fmov v19.d[1], x11\n\tfmov x10, v19.d[1]") \
    X(fmov_ws_roundtrip, 4, "fmov s19, w11\n\tfmov w10, s19") \
    X(fmov_d_upper_zeroed, 4, "movi v19.2d, #0xffffffffffffffff\n\tfmov d19, x11\n\tmov x10, v19.d[1]") \
    X(fmov_s_upper_zeroed, 4, "movi v19.2d, #0xffffffffffffffff\n\tfmov s19, w11\n\tmov x10, v19.d[0]")

OPS(DEF)
#define ROW(name, kind, ins) { #name, kind, name },
static const struct { const char *name; int kind; fpfn fn; } ops[] = { OPS(ROW) };
#define NOPS (sizeof(ops) / sizeof(ops[0]))

static void run_op(unsigned k, u64 *hr, u64 *hf)
{
    u64 r, f;
    u64 h1 = HASH_INIT, h2 = HASH_INIT;
    switch (ops[k].kind) {
    case 0:
        for (unsigned i = 0; i < NDV; i++)
            for (unsigned j = 0; j < NDV; j++) {
                ops[k].fn(dvals[i], dvals[j], dvals[(i * 7 + j * 3) % NDV], &r, &f);
                h1 = mix(h1, r);
                h2 = mix(h2, f);
            }
        break;
    case 1:
        for (unsigned i = 0; i < NSV; i++)
            for (unsigned j = 0; j < NSV; j++) {
                ops[k].fn(svals[i], svals[j], svals[(i * 7 + j * 3) % NSV], &r, &f);
                h1 = mix(h1, r);
                h2 = mix(h2, f);
            }
        break;
    case 2:
        for (unsigned i = 0; i < NDV; i++) {
            ops[k].fn(dvals[i], 0, 0, &r, &f);
            h1 = mix(h1, r);
            h2 = mix(h2, f);
        }
        break;
    case 3:
        for (unsigned i = 0; i < NSV; i++) {
            ops[k].fn(svals[i], 0, 0, &r, &f);
            h1 = mix(h1, r);
            h2 = mix(h2, f);
        }
        /* half precision sources: also try some raw half values */
        for (u64 hv = 0; hv < 0x10000; hv += 0x0fff) {
            ops[k].fn(hv, 0, 0, &r, &f);
            h1 = mix(h1, r);
            h2 = mix(h2, f);
        }
        break;
    case 4:
        for (unsigned i = 0; i < NIV; i++) {
            ops[k].fn(ivals[i], 0, 0, &r, &f);
            h1 = mix(h1, r);
            h2 = mix(h2, f);
        }
        break;
    }
    *hr = h1;
    *hf = h2;
}

static void set_fpcr(u64 v) { __asm__ volatile("msr fpcr, %0" : : "r"(v)); }

static void all_ops(const char *prefix, u64 fpcr, int verbose)
{
    u64 all = HASH_INIT;
    set_fpcr(fpcr);
    for (unsigned k = 0; k < NOPS; k++) {
        u64 hr, hf;
        run_op(k, &hr, &hf);
        all = mix(mix(all, hr), hf);
        if (verbose) {
            print(prefix);
            print(ops[k].name);
            print(" res ");
            print_hex(hr);
            print(" fpsr ");
            print_hexn(hf & 0xffffffff, 8);
            nl();
        }
    }
    set_fpcr(0);
    if (!verbose) {
        print(prefix);
        print("all ops ");
        print_hex(all);
        nl();
    }
}

/* rounding-mode dependent operations, printed per mode */
#define RM_OPS(X) \
    X(fadd_d, 0) X(fsub_d, 0) X(fmul_d, 0) X(fdiv_d, 0) X(fmadd_d, 0) \
    X(fadd_s, 1) X(fdiv_s, 1) X(fnmsub_s, 1) X(fsqrt_d, 2) X(fcvt_d_s, 2) \
    X(fcvt_d_h, 2) X(frinti_d, 2) X(frintx_d, 2) X(fcvtzs_dx, 2) \
    X(fcvtns_dw, 2) X(frinti_s, 3) X(scvtf_xd, 4) X(ucvtf_xs, 4) X(scvtf_ws, 4)

static void rounding_modes(void)
{
    static const char *const rmname[4] = { "RN", "RP", "RM", "RZ" };
    for (u64 rm = 0; rm < 4; rm++) {
        set_fpcr(rm << 22);
#define RM_RUN(name, kind) { \
            for (unsigned k = 0; k < NOPS; k++) \
                if (ops[k].fn == name) { \
                    u64 hr, hf; run_op(k, &hr, &hf); \
                    print("rmode "); print(rmname[rm]); print_char(' '); print(#name); \
                    print(" res "); print_hex(hr); print(" fpsr "); \
                    print_hexn(hf & 0xffffffff, 8); nl(); } }
        RM_OPS(RM_RUN)
        set_fpcr(rm << 22);
    }
    set_fpcr(0);
}

static void fmov_immediates(void)
{
    u64 a, b, c, d, e, f, g, h;
    __asm__ volatile("fmov d16, #1.0\n\tfmov %0, d16\n\t"
                     "fmov d16, #-2.5\n\tfmov %1, d16\n\t"
                     "fmov d16, #0.125\n\tfmov %2, d16\n\t"
                     "fmov d16, #31.0\n\tfmov %3, d16\n\t"
                     "fmov s16, #1.0\n\tfmov %w4, s16\n\t"
                     "fmov s16, #-0.1875\n\tfmov %w5, s16\n\t"
                     "fmov s16, #15.5\n\tfmov %w6, s16\n\t"
                     "fmov d16, #1.9375\n\tfmov %7, d16\n\t"
                     : "=&r"(a), "=&r"(b), "=&r"(c), "=&r"(d), "=&r"(e), "=&r"(f), "=&r"(g), "=&r"(h)
                     : : "v16");
    check("fmov_1.0", a, 0x3ff0000000000000);
    check("fmov_-2.5", b, 0xc004000000000000);
    check("fmov_0.125", c, 0x3fc0000000000000);
    check("fmov_31", d, 0x403f000000000000);
    check("fmov_s_1.0", e, 0x3f800000);
    check("fmov_s_-0.1875", f, 0xbe400000);
    check("fmov_s_15.5", g, 0x41780000);
    check("fmov_1.9375", h, 0x3fff000000000000);
    u64 hh = mix(mix(mix(mix(mix(mix(mix(mix(HASH_INIT, a), b), c), d), e), f), g), h);
    /* every one of the 256 encodable immediates, via .irp over imm8 */
    u64 sum = 0;
    __asm__ volatile("mov %0, #0\n\t"
                     ".irp v, 0.125,0.1328125,0.25,0.5,1.0,2.0,4.0,8.0,16.0,31.0,-0.125,-1.0,-3.0,-7.75,-17.0,-31.0,1.5,2.75,0.9375,0.203125\n\t"
                     "fmov d16, #\\v\n\t"
                     "fmov x9, d16\n\t"
                     "eor %0, x9, %0, ror #7\n\t"
                     "fmov s16, #\\v\n\t"
                     "fmov w9, s16\n\t"
                     "eor %0, x9, %0, ror #3\n\t"
                     ".endr"
                     : "=&r"(sum) : : "x9", "v16");
    put_hex("fmov immediates", mix(hh, sum));
}

static void known_answers(void)
{
    u64 r, f;
    fadd_d(0x3ff0000000000000, 0x3ff0000000000000, 0, &r, &f);
    check("1+1", r, 0x4000000000000000);
    fdiv_d(0x3ff0000000000000, 0x0000000000000000, 0, &r, &f);
    check("1/0", r, 0x7ff0000000000000);
    check("1/0 flags", f, 2);
    fcvtzs_dw(0x7ff8000000000000, 0, 0, &r, &f);
    check("fcvtzs nan", r, 0);
    fcvtzs_dw(0x7ff0000000000000, 0, 0, &r, &f);
    check("fcvtzs +inf sat", r, 0x7fffffff);
    fcvtzs_dx(0xfff0000000000000, 0, 0, &r, &f);
    check("fcvtzs -inf sat", r, 0x8000000000000000);
    fcvtzu_dw(0xbff0000000000000, 0, 0, &r, &f);
    check("fcvtzu neg sat", r, 0);
    fcvtns_dx(0x4004000000000000, 0, 0, &r, &f);
    check("fcvtns 2.5", r, 2);
    fcvtas_dx(0x4004000000000000, 0, 0, &r, &f);
    check("fcvtas 2.5", r, 3);
    frintm_d(0xc004000000000000, 0, 0, &r, &f);
    check("frintm -2.5", r, 0xc008000000000000);
    fmin_d(0x0000000000000000, 0x8000000000000000, 0, &r, &f);
    check("fmin +0 -0", r, 0x8000000000000000);
    fmaxnm_d(0x7ff8000000000000, 0x3ff0000000000000, 0, &r, &f);
    check("fmaxnm qnan 1", r, 0x3ff0000000000000);
    fadd_d(0x7ff0000000000456, 0x3ff0000000000000, 0, &r, &f);
    check("snan quieted", r, 0x7ff8000000000456);
    check("snan invalid", f, 1);
    fcvt_d_s(0x3fd5555555555555, 0, 0, &r, &f);
    check("fcvt 1/3", r, 0x3eaaaaab);
}

int main(void)
{
    set_fpcr(0);
    all_ops("", 0, 1);
    rounding_modes();
    all_ops("DN ", 1UL << 25, 0);
    all_ops("FZ ", 1UL << 24, 0);
    all_ops("FZ+DN+RZ ", (1UL << 24) | (1UL << 25) | (3UL << 22), 0);
    fmov_immediates();
    known_answers();
    put_dec("failures", rt_failures);
    return rt_failures;
}

/*
 * simd_intrin: explicit Advanced SIMD through <arm_neon.h> intrinsics,
 * covering what auto-vectorisation rarely produces: structure loads and
 * stores (ld1..ld4, st1..st4, ld1r, lane loads), tbl/tbx, zip/uzp/trn,
 * ext, rev16/32/64, dup/ins/umov/smov, cnt/clz/cls, across-lane reductions
 * (addv, umaxv, sminv, uaddlv, fmaxnmv), pairwise ops, saturating
 * arithmetic and shifts (sqadd, uqsub, sqdmulh, sqrdmulh, sqshl, uqrshrn,
 * sqxtun), rounding/accumulating shifts, shift-insert (sli/sri), widening
 * and narrowing (sxtl, smull, umlal, pmull, xtn, shrn, rshrn), halving adds,
 * absolute differences, compares including against zero, bitwise select,
 * multiply by element, and vector floating point (fmla, fdiv, fsqrt,
 * frecpe/frsqrte estimates and steps, conversions, compares, pairwise
 * max).  Every result is printed as a hash of its 128 bits.
 */
#include <arm_neon.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

static uint8_t data[64 * 16] __attribute__((aligned(16)));
static float fdata[256];
static uint64_t H = 1469598103934665603ULL;

static void out128(const char *name, uint64_t lo, uint64_t hi)
{
    H = (H ^ lo) * 0x100000001b3ULL;
    H = (H ^ hi) * 0x100000001b3ULL;
    printf("%-16s %016llx %016llx\n", name, (unsigned long long)hi, (unsigned long long)lo);
}
/* OUT("name", u8(expr)): the element-type tag is only documentation */
#define u8(x) (x)
#define s8(x) (x)
#define u16(x) (x)
#define s16(x) (x)
#define u32(x) (x)
#define s32(x) (x)
#define u64(x) (x)
#define s64(x) (x)
#define f32(x) (x)
#define f64(x) (x)
#define OUT(name, v) do { __typeof__(v) _t = (v); uint64_t _w[2]; \
    memcpy(_w, &_t, 16); out128(name, _w[0], _w[1]); } while (0)
#define OUT64(name, v) do { __typeof__(v) _t = (v); uint64_t _w; \
    memcpy(&_w, &_t, 8); out128(name, _w, 0); } while (0)
#define OUTS(name, x) out128(name, (uint64_t)(x), 0)

static void init(void)
{
    uint32_t x = 0x12345678;
    for (size_t i = 0; i < sizeof data; i++) {
        x = x * 1103515245u + 12345u;
        data[i] = (uint8_t)(x >> 16);
    }
    /* sprinkle extreme values */
    static const uint8_t ex[] = { 0x00, 0x7f, 0x80, 0xff, 0x01, 0xfe, 0x81, 0x7e };
    for (size_t i = 0; i < sizeof data; i += 5)
        data[i] = ex[(i / 5) % 8];
    for (int i = 0; i < 256; i++)
        fdata[i] = (float)((int)(data[i] ^ data[i + 300]) - 128) / 8.0f + (i % 3 ? 0.0f : 0.5f);
    fdata[7] = 0.0f;
    fdata[13] = -0.0f;
    fdata[21] = 1e30f;
}

static void loads_stores(void)
{
    uint8x16_t a = vld1q_u8(data);
    OUT("ld1", u8(a));
    uint8x16x2_t p2 = vld2q_u8(data + 3);
    OUT("ld2.0", u8(p2.val[0]));
    OUT("ld2.1", u8(p2.val[1]));
    uint16x8x3_t p3 = vld3q_u16((const uint16_t *)(data + 64));
    OUT("ld3.0", u16(p3.val[0]));
    OUT("ld3.2", u16(p3.val[2]));
    uint32x4x4_t p4 = vld4q_u32((const uint32_t *)(data + 128));
    OUT("ld4.1", u32(p4.val[1]));
    OUT("ld4.3", u32(p4.val[3]));
    uint8x16x4_t m4 = vld1q_u8_x4(data + 17);
    OUT("ld1x4.3", u8(m4.val[3]));
    uint16x8_t r = vld1q_dup_u16((const uint16_t *)(data + 9));
    OUT("ld1r", u16(r));
    uint32x4_t l = vld1q_lane_u32((const uint32_t *)(data + 33), vreinterpretq_u32_u8(a), 2);
    OUT("ld1_lane", u32(l));

    uint8_t buf[128];
    memset(buf, 0, sizeof buf);
    vst2q_u8(buf + 1, p2);
    vst3q_u16((uint16_t *)(buf + 40), p3);
    uint64_t h = 0;
    for (int i = 0; i < 128; i++)
        h = h * 31 + buf[i];
    OUTS("st2_st3", h);
    memset(buf, 0, sizeof buf);
    vst4q_u32((uint32_t *)(buf + 4), p4);
    vst1q_lane_u16((uint16_t *)(buf + 100), r, 5);
    h = 0;
    for (int i = 0; i < 128; i++)
        h = h * 31 + buf[i];
    OUTS("st4_st1lane", h);
}

static void permutes(void)
{
    uint8x16_t a = vld1q_u8(data + 16), b = vld1q_u8(data + 32);
    uint8x16_t idx = vandq_u8(vld1q_u8(data + 48), vdupq_n_u8(0x1f));
    OUT("tbl1", u8(vqtbl1q_u8(a, vandq_u8(idx, vdupq_n_u8(0x0f)))));
    uint8x16x2_t t2 = { { a, b } };
    OUT("tbl2", u8(vqtbl2q_u8(t2, idx)));
    OUT("tbl_oob", u8(vqtbl1q_u8(a, vaddq_u8(idx, vdupq_n_u8(8)))));
    OUT("tbx1", u8(vqtbx1q_u8(b, a, vaddq_u8(idx, vdupq_n_u8(4)))));
    OUT("zip1", u8(vzip1q_u8(a, b)));
    OUT("zip2.h", u16(vzip2q_u16(vreinterpretq_u16_u8(a), vreinterpretq_u16_u8(b))));
    OUT("uzp1.s", u32(vuzp1q_u32(vreinterpretq_u32_u8(a), vreinterpretq_u32_u8(b))));
    OUT("uzp2", u8(vuzp2q_u8(a, b)));
    OUT("trn1", u8(vtrn1q_u8(a, b)));
    OUT("trn2.d", u64(vtrn2q_u64(vreinterpretq_u64_u8(a), vreinterpretq_u64_u8(b))));
    OUT("ext3", u8(vextq_u8(a, b, 3)));
    OUT("ext15", u8(vextq_u8(a, b, 15)));
    OUT("rev16", u8(vrev16q_u8(a)));
    OUT("rev32.h", u16(vrev32q_u16(vreinterpretq_u16_u8(a))));
    OUT("rev64.s", u32(vrev64q_u32(vreinterpretq_u32_u8(a))));
    OUT("dup_lane", u8(vdupq_laneq_u8(a, 13)));
    OUT("ins", u32(vsetq_lane_u32(0xdeadbeef, vreinterpretq_u32_u8(b), 1)));
    OUT("copy_lane", u16(vcopyq_laneq_u16(vreinterpretq_u16_u8(a), 7, vreinterpretq_u16_u8(b), 2)));
    OUTS("umov.b", vgetq_lane_u8(a, 11));
    OUTS("smov.h", (int64_t)vgetq_lane_s16(vreinterpretq_s16_u8(a), 3));
    OUTS("smov.b", (int64_t)vgetq_lane_s8(vreinterpretq_s8_u8(b), 6));
    OUT("combine", u8(vcombine_u8(vget_high_u8(a), vget_low_u8(b))));
}

static void integer_ops(void)
{
    uint8x16_t a = vld1q_u8(data + 80), b = vld1q_u8(data + 96);
    int8x16_t sa = vreinterpretq_s8_u8(a), sb = vreinterpretq_s8_u8(b);
    int16x8_t ha = vreinterpretq_s16_u8(a), hb = vreinterpretq_s16_u8(b);
    int32x4_t wa = vreinterpretq_s32_u8(a), wb = vreinterpretq_s32_u8(b);
    uint16x8_t uha = vreinterpretq_u16_u8(a);

    OUT("cnt", u8(vcntq_u8(a)));
    OUT("clz.b", u8(vclzq_u8(a)));
    OUT("clz.s", s32(vclzq_s32(wa)));
    OUT("cls.h", s16(vclsq_s16(ha)));
    OUTS("addv.b", vaddvq_u8(a));
    OUTS("umaxv.b", vmaxvq_u8(a));
    OUTS("sminv.h", (int64_t)vminvq_s16(ha));
    OUTS("uaddlv.b", vaddlvq_u8(a));
    OUTS("saddlv.h", (int64_t)vaddlvq_s16(ha));
    OUTS("addv.s", (uint32_t)vaddvq_s32(wa));
    OUT("addp", u8(vpaddq_u8(a, b)));
    OUT("smaxp.h", s16(vpmaxq_s16(ha, hb)));
    OUT("uaddlp", u16(vpaddlq_u8(a)));
    OUT("sadalp", s32(vpadalq_s16(wa, hb)));

    OUT("sqadd.b", s8(vqaddq_s8(sa, sb)));
    OUT("uqadd.b", u8(vqaddq_u8(a, b)));
    OUT("sqsub.h", s16(vqsubq_s16(ha, hb)));
    OUT("uqsub.b", u8(vqsubq_u8(a, b)));
    OUT("sqdmulh.h", s16(vqdmulhq_s16(ha, hb)));
    OUT("sqrdmulh.s", s32(vqrdmulhq_s32(wa, wb)));
    OUT("sqdmull.h", s32(vqdmull_s16(vget_low_s16(ha), vget_low_s16(hb))));
    OUT("sqabs.b", s8(vqabsq_s8(sa)));
    OUT("sqneg.h", s16(vqnegq_s16(ha)));
    OUT("abs.b", s8(vabsq_s8(sa)));
    OUT("neg.s", s32(vnegq_s32(wa)));

    OUT("shl.h", u16(vshlq_n_u16(uha, 5)));
    OUT("ushr.b", u8(vshrq_n_u8(a, 3)));
    OUT("sshr.s", s32(vshrq_n_s32(wa, 31)));
    OUT("srshr.h", s16(vrshrq_n_s16(ha, 4)));
    OUT("ursra.b", u8(vrsraq_n_u8(b, a, 2)));
    OUT("ssra.s", s32(vsraq_n_s32(wb, wa, 7)));
    OUT("sli.b", u8(vsliq_n_u8(a, b, 3)));
    OUT("sri.h", u16(vsriq_n_u16(uha, vreinterpretq_u16_u8(b), 9)));
    OUT("ushl.reg", u8(vshlq_u8(a, vsubq_s8(vandq_s8(sb, vdupq_n_s8(15)), vdupq_n_s8(8)))));
    OUT("sshl.reg", s32(vshlq_s32(wa, vsubq_s32(vandq_s32(wb, vdupq_n_s32(63)), vdupq_n_s32(32)))));
    OUT("sqshl.b", s8(vqshlq_n_s8(sa, 3)));
    OUT("uqshl.reg", u16(vqshlq_u16(uha, vandq_s16(hb, vdupq_n_s16(15)))));
    OUT("urshl.reg", u32(vrshlq_u32(vreinterpretq_u32_u8(a), vsubq_s32(vandq_s32(wb, vdupq_n_s32(31)), vdupq_n_s32(16)))));

    OUT("sxtl", s16(vmovl_s8(vget_low_s8(sa))));
    OUT("uxtl2", u32(vmovl_high_u16(uha)));
    OUT("ushll", u16(vshll_n_u8(vget_high_u8(a), 3)));
    OUT("smull", s16(vmull_s8(vget_low_s8(sa), vget_low_s8(sb))));
    OUT("umull2", u32(vmull_high_u16(uha, vreinterpretq_u16_u8(b))));
    OUT("umlal", u64(vmlal_u32(vreinterpretq_u64_u8(b), vget_low_u32(vreinterpretq_u32_u8(a)), vget_high_u32(vreinterpretq_u32_u8(b)))));
    OUT("smlsl", s32(vmlsl_s16(wb, vget_low_s16(ha), vget_high_s16(hb))));
    OUT("pmull.b", u16(vreinterpretq_u16_p16(vmull_p8(vreinterpret_p8_u8(vget_low_u8(a)), vreinterpret_p8_u8(vget_low_u8(b))))));
    OUT("pmul.b", u8(vreinterpretq_u8_p8(vmulq_p8(vreinterpretq_p8_u8(a), vreinterpretq_p8_u8(b)))));
    OUT64("xtn", u8(vmovn_u16(uha)));
    OUT("xtn2", u16(vmovn_high_u32(vget_low_u16(uha), vreinterpretq_u32_u8(b))));
    OUT64("sqxtn", s8(vqmovn_s16(ha)));
    OUT64("uqxtn", u16(vqmovn_u32(vreinterpretq_u32_u8(a))));
    OUT64("sqxtun", u8(vqmovun_s16(ha)));
    OUT64("shrn", u8(vshrn_n_u16(uha, 5)));
    OUT64("rshrn", u16(vrshrn_n_u32(vreinterpretq_u32_u8(a), 13)));
    OUT64("uqrshrn", u8(vqrshrn_n_u16(uha, 4)));
    OUT64("sqshrun", u8(vqshrun_n_s16(ha, 6)));

    OUT("uhadd", u8(vhaddq_u8(a, b)));
    OUT("srhadd", s8(vrhaddq_s8(sa, sb)));
    OUT("uhsub.h", u16(vhsubq_u16(uha, vreinterpretq_u16_u8(b))));
    OUT("uabd", u8(vabdq_u8(a, b)));
    OUT("saba.h", s16(vabaq_s16(ha, hb, ha)));
    OUT("uabdl", u16(vabdl_u8(vget_low_u8(a), vget_high_u8(b))));
    OUT("umax", u8(vmaxq_u8(a, b)));
    OUT("smin.h", s16(vminq_s16(ha, hb)));

    OUT("cmeq", u8(vceqq_u8(a, b)));
    OUT("cmge.b", u8(vcgeq_s8(sa, sb)));
    OUT("cmgt.h", u16(vcgtq_s16(ha, hb)));
    OUT("cmhi", u8(vcgtq_u8(a, b)));
    OUT("cmhs.s", u32(vcgeq_u32(vreinterpretq_u32_u8(a), vreinterpretq_u32_u8(b))));
    OUT("cmtst", u8(vtstq_u8(a, b)));
    OUT("cmeq0", u8(vceqzq_s8(vandq_s8(sa, vdupq_n_s8(0x11)))));
    OUT("cmlt0.h", u16(vcltzq_s16(ha)));
    OUT("cmle0.s", u32(vclezq_s32(wa)));
    OUT("cmgt0.b", u8(vcgtzq_s8(sa)));

    OUT("and", u8(vandq_u8(a, b)));
    OUT("orr", u8(vorrq_u8(a, b)));
    OUT("orn", u8(vornq_u8(a, b)));
    OUT("bic", u8(vbicq_u8(a, b)));
    OUT("eor", u8(veorq_u8(a, b)));
    OUT("not", u8(vmvnq_u8(a)));
    OUT("bsl", u8(vbslq_u8(vld1q_u8(data + 112), a, b)));
    OUT("mul.h", u16(vmulq_u16(uha, vreinterpretq_u16_u8(b))));
    OUT("mla.s", s32(vmlaq_s32(wa, wb, wa)));
    OUT("mls.b", u8(vmlsq_u8(a, b, a)));
    OUT("mul_lane.h", s16(vmulq_laneq_s16(ha, hb, 5)));
    OUT("mla_lane.s", s32(vmlaq_laneq_s32(wa, wb, wa, 3)));
    OUT("movi", u32(vdupq_n_u32(0x00ab0000)));
    OUT("mvni", u16(vdupq_n_u16(0xff12)));
    OUT("movi.d", u64(vdupq_n_u64(0xff00ff0000ffff00ULL)));
    OUT("dup.gp", u64(vdupq_n_u64((uint64_t)vgetq_lane_u64(vreinterpretq_u64_u8(a), 1))));
    OUT("add.d", u64(vaddq_u64(vreinterpretq_u64_u8(a), vreinterpretq_u64_u8(b))));
    OUT("sub.d", s64(vsubq_s64(vreinterpretq_s64_u8(a), vreinterpretq_s64_u8(b))));
    OUT("cmgt.d", u64(vcgtq_s64(vreinterpretq_s64_u8(a), vreinterpretq_s64_u8(b))));
    OUT64("add.8b", u8(vadd_u8(vget_low_u8(a), vget_high_u8(a))));
    OUT64("mul.2s", u32(vmul_u32(vget_low_u32(vreinterpretq_u32_u8(a)), vget_high_u32(vreinterpretq_u32_u8(b)))));
}

static void float_ops(void)
{
    uint64_t hsum = H;
    for (int k = 0; k < 240; k += 12) {
        float32x4_t a = vld1q_f32(fdata + k), b = vld1q_f32(fdata + k + 4), c = vld1q_f32(fdata + k + 8);
        float64x2_t da = vcvt_f64_f32(vget_low_f32(a)), db = vcvt_high_f64_f32(b);
        char name[32];
#define FOUT(n, v) do { snprintf(name, sizeof name, "%s@%d", n, k); OUT(name, v); } while (0)
        if (k % 48 == 0) {
            FOUT("fadd", f32(vaddq_f32(a, b)));
            FOUT("fmla", f32(vfmaq_f32(c, a, b)));
            FOUT("fmls", f32(vfmsq_f32(c, a, b)));
            FOUT("fdiv", f32(vdivq_f32(a, b)));
            FOUT("fsqrt", f32(vsqrtq_f32(vabsq_f32(a))));
            FOUT("fmaxnm", f32(vmaxnmq_f32(a, b)));
            FOUT("fmin", f32(vminq_f32(a, b)));
            FOUT("fabd", f32(vabdq_f32(a, b)));
            FOUT("fneg", f32(vnegq_f32(a)));
            FOUT("frecpe", f32(vrecpeq_f32(b)));
            FOUT("frecps", f32(vrecpsq_f32(a, b)));
            FOUT("frsqrte", f32(vrsqrteq_f32(vabsq_f32(b))));
            FOUT("frsqrts", f32(vrsqrtsq_f32(a, b)));
            FOUT("fcvtzs", s32(vcvtq_s32_f32(vmulq_n_f32(a, 1e8f))));
            FOUT("fcvtzu", u32(vcvtq_u32_f32(a)));
            FOUT("fcvtns", s32(vcvtnq_s32_f32(a)));
            FOUT("fcvtms", s32(vcvtmq_s32_f32(a)));
            FOUT("fcvtzs_fix", s32(vcvtq_n_s32_f32(a, 4)));
            FOUT("scvtf", f32(vcvtq_f32_s32(vreinterpretq_s32_f32(b))));
            FOUT("ucvtf_fix", f32(vcvtq_n_f32_u32(vreinterpretq_u32_f32(c), 3)));
            FOUT("frintn", f32(vrndnq_f32(a)));
            FOUT("frintm", f32(vrndmq_f32(a)));
            FOUT("frinta", f32(vrndaq_f32(b)));
            FOUT("fcmeq", u32(vceqq_f32(a, b)));
            FOUT("fcmge", u32(vcgeq_f32(a, c)));
            FOUT("fcmgt0", u32(vcgtzq_f32(a)));
            FOUT("facgt", u32(vcagtq_f32(a, b)));
            FOUT("fmul_lane", f32(vmulq_laneq_f32(a, b, 2)));
            FOUT("fmla_lane", f32(vfmaq_laneq_f32(c, a, b, 1)));
            FOUT("faddp", f32(vpaddq_f32(a, b)));
            FOUT("fcvtl", f64(da));
            FOUT("fcvtn", f32(vcvt_high_f32_f64(vget_low_f32(c), db)));
            FOUT("fadd.2d", f64(vaddq_f64(da, db)));
            FOUT("fmul.2d", f64(vmulq_f64(da, db)));
            FOUT("fdiv.2d", f64(vdivq_f64(da, db)));
            FOUT("fsqrt.2d", f64(vsqrtq_f64(vabsq_f64(db))));
            FOUT("fcvtzs.2d", s64(vcvtq_s64_f64(vmulq_n_f64(db, 1e10))));
            FOUT("scvtf.2d", f64(vcvtq_f64_s64(vreinterpretq_s64_f64(da))));
            OUTS("fmaxnmv", vreinterpretq_u32_f32(vdupq_n_f32(vmaxnmvq_f32(a)))[0]);
            OUTS("fminv", vreinterpretq_u32_f32(vdupq_n_f32(vminvq_f32(b)))[0]);
            OUTS("faddv.2d", vreinterpretq_u64_f64(vdupq_n_f64(vaddvq_f64(db)))[0]);
        } else {
            /* just accumulate for the other windows */
            float32x4_t r = vfmaq_f32(vaddq_f32(a, b), c, vrecpeq_f32(b));
            uint32x4_t u = vreinterpretq_u32_f32(vsqrtq_f32(vabsq_f32(r)));
            hsum = (hsum ^ vgetq_lane_u32(u, 0) ^ ((uint64_t)vgetq_lane_u32(u, 3) << 32)) * 0x100000001b3ULL;
        }
    }
    OUTS("float windows", hsum);
}

int main(void)
{
    init();
    loads_stores();
    permutes();
    integer_ops();
    float_ops();
    printf("overall %016llx\n", (unsigned long long)H);
    return 0;
}

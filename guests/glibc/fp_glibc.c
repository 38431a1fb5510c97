/*
 * fp_glibc: floating point through C and glibc/libm.  Arithmetic in float
 * and double printed with printf("%.17g") / "%a" and as hex bit patterns;
 * C conversions between integers and floating types (including the
 * saturating/out-of-range cases gcc implements with fcvtzs/fcvtzu);
 * rounding-mode changes with fesetround (FPCR.RMode) affecting arithmetic,
 * rint/nearbyint/lrint and printf's decimal conversion; exception flags
 * via feclearexcept/fetestexcept (FPSR); libm functions (sqrt, floor, ceil,
 * trunc, round, fma, fmod, remainder, exp, log, pow, sin, cos, tan, atan2,
 * cbrt, hypot, expm1, log1p, frexp, ldexp, modf, nextafter, copysign) in
 * double and float.
 */
#include <fenv.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <limits.h>

static uint64_t dbits(double d) { uint64_t b; memcpy(&b, &d, 8); return b; }
static uint32_t fbits(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }

/* keep the compiler from folding at compile time */
static volatile double vd[] = {
    0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5, 2.5, -2.5, 3.0, 1e-310, 1e300, -7.25, 123456.789,
    4503599627370497.0, 9007199254740993.0, 1.0 / 3.0, 2.0 / 3.0, 0.49999999999999994,
};
#define NVD (sizeof vd / sizeof vd[0])
static volatile float vf[] = { 0.0f, -0.0f, 1.0f, 0.1f, 0.5f, 1.5f, 2.5f, -2.5f, 3.0f, 16777217.0f, 1e-40f, 3e38f, -7.25f };
#define NVF (sizeof vf / sizeof vf[0])

static void arithmetic(void)
{
    printf("== arithmetic\n");
    for (size_t i = 0; i < NVD; i++) {
        double a = vd[i], b = vd[(i * 5 + 3) % NVD];
        printf("%-24.17g %-24.17g + %.17g  * %.17g  / %.17g  - %a\n", a, b, a + b, a * b, a / b, a - b);
    }
    for (size_t i = 0; i < NVF; i++) {
        float a = vf[i], b = vf[(i * 3 + 1) % NVF];
        float s = a + b, p = a * b, q = a / b;
        printf("f %-14.9g %-14.9g + %08x * %08x / %08x sqrt %08x\n", (double)a, (double)b,
               fbits(s), fbits(p), fbits(q), fbits(sqrtf(fabsf(a))));
    }
    volatile double x = 1e308, y = 1e-308, z = 0.0;
    printf("overflow %g underflow %g inf-inf %g 0/0 %g 1/-0 %g\n", x * 10, y * 1e-100, x * 10 - x * 10,
           z / z, 1.0 / -z);
}

static void conversions(void)
{
    printf("== conversions\n");
    static volatile double cv[] = {
        0.0, -0.0, 0.9, -0.9, 2147483647.0, 2147483648.0, -2147483648.0, -2147483649.0,
        4294967295.0, 4294967296.0, 9.2233720368547758e18, 1.8446744073709552e19, -1.0, 1e30, -1e30,
    };
    for (size_t i = 0; i < sizeof cv / sizeof cv[0]; i++) {
        double d = cv[i];
        /* out-of-range conversions are undefined in C; gcc on AArch64 emits
         * a single fcvtzs/fcvtzu, which saturates: that is what is tested */
        int32_t i32 = (int32_t)d;
        uint32_t u32 = (uint32_t)d;
        int64_t i64 = (int64_t)d;
        uint64_t u64 = (uint64_t)d;
        printf("%-22.17g -> i32 %d u32 %u i64 %lld u64 %llu f %08x\n", d, i32, u32, (long long)i64,
               (unsigned long long)u64, fbits((float)d));
    }
    static volatile int64_t iv[] = { 0, 1, -1, 9007199254740993LL, INT64_MAX, INT64_MIN, 16777217, -16777219 };
    for (size_t i = 0; i < sizeof iv / sizeof iv[0]; i++) {
        int64_t v = iv[i];
        printf("%lld -> d %016llx f %08x ud %016llx uf %08x\n", (long long)v, (unsigned long long)dbits((double)v),
               fbits((float)v), (unsigned long long)dbits((double)(uint64_t)v), fbits((float)(uint64_t)v));
    }
    volatile float nanf_ = NAN;
    printf("nan -> i32 %d i64 %lld u32 %u\n", (int32_t)nanf_, (long long)(int64_t)nanf_, (uint32_t)nanf_);
}

static const int modes[] = { FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO };
static const char *const mode_names[] = { "nearest", "upward", "downward", "towardzero" };

static void rounding(void)
{
    printf("== rounding modes\n");
    for (int m = 0; m < 4; m++) {
        int rc = fesetround(modes[m]);
        volatile double one = 1.0, three = 3.0, big = 1e16, tenth = 0.1;
        double q = one / three;
        double s = big + three;
        double t = -one / three;
        float fq = (float)q;
        printf("%-10s rc=%d getround_ok=%d 1/3=%a -1/3=%a 1e16+3=%.17g f=%a\n", mode_names[m], rc,
               fegetround() == modes[m], q, t, s, (double)fq);
        printf("%-10s rint(2.5)=%g rint(-2.5)=%g nearbyint(3.5)=%g lrint(-1.5)=%ld llrint(7.5)=%lld rintf(0.5)=%g\n",
               mode_names[m], rint(2.5 * one), rint(-2.5 * one), nearbyint(3.5 * one), lrint(-1.5 * one),
               llrint(7.5 * one), (double)rintf(0.5f * (float)one));
        printf("%-10s printf 0.1=%.20f 2/3=%.3f 0.125=%.2f 1e23=%.0f sqrt2=%.17g\n", mode_names[m],
               tenth, 2.0 / three, 0.125 * one, 1e23 * one, sqrt(2.0 * one));
    }
    fesetround(FE_TONEAREST);
}

static void exceptions(void)
{
    printf("== exception flags\n");
    volatile double one = 1.0, zero = 0.0, big = 1e308, tiny = 1e-308, three = 3.0;
    struct { const char *name; int which; } t[] = {
        { "divbyzero", 0 }, { "invalid", 1 }, { "overflow", 2 }, { "underflow", 3 }, { "inexact", 4 }, { "exact", 5 },
    };
    for (int i = 0; i < 6; i++) {
        feclearexcept(FE_ALL_EXCEPT);
        volatile double r = 0;
        switch (t[i].which) {
        case 0: r = one / zero; break;
        case 1: r = zero / zero; break;
        case 2: r = big * big; break;
        case 3: r = tiny * tiny; break;
        case 4: r = one / three; break;
        case 5: r = one + one; break;
        }
        (void)r;
        int f = fetestexcept(FE_ALL_EXCEPT);
        printf("%-10s DZ=%d INV=%d OF=%d UF=%d INX=%d\n", t[i].name, !!(f & FE_DIVBYZERO), !!(f & FE_INVALID),
               !!(f & FE_OVERFLOW), !!(f & FE_UNDERFLOW), !!(f & FE_INEXACT));
    }
    feclearexcept(FE_ALL_EXCEPT);
    volatile double m1 = -1.0;
    volatile double r = sqrt(m1);
    printf("sqrt(-1) = %g invalid=%d\n", r, !!fetestexcept(FE_INVALID));
    feclearexcept(FE_ALL_EXCEPT);
    fexcept_t saved;
    feraiseexcept(FE_OVERFLOW | FE_INEXACT);
    fegetexceptflag(&saved, FE_ALL_EXCEPT);
    feclearexcept(FE_ALL_EXCEPT);
    fesetexceptflag(&saved, FE_OVERFLOW);
    printf("raise/save/restore: OF=%d INX=%d\n", !!fetestexcept(FE_OVERFLOW), !!fetestexcept(FE_INEXACT));
    feclearexcept(FE_ALL_EXCEPT);
}

static void libm(void)
{
    printf("== libm\n");
    static volatile double lv[] = { 0.0, 0.5, 1.0, 2.5, -3.75, 10.0, 100.0, 1e-5, 0.7853981633974483, 3.0e5 };
    for (size_t i = 0; i < sizeof lv / sizeof lv[0]; i++) {
        double x = lv[i], y = lv[(i + 3) % (sizeof lv / sizeof lv[0])];
        printf("x=%-8g sqrt=%.17g floor=%g ceil=%g trunc=%g round=%g\n", x, sqrt(fabs(x)), floor(x), ceil(x),
               trunc(x), round(x));
        printf("  exp=%.17g log=%.17g pow=%.17g sin=%.17g cos=%.17g tan=%.17g\n", exp(x / 8), log(fabs(x) + 1),
               pow(fabs(x) + 0.5, y / 4), sin(x), cos(x), tan(x / 4));
        printf("  atan2=%.17g cbrt=%.17g hypot=%.17g expm1=%.17g log1p=%.17g fma=%.17g\n", atan2(x, y + 1),
               cbrt(x), hypot(x, y), expm1(x / 100), log1p(fabs(x)), fma(x, y, -x * y));
        printf("  fmod=%.17g remainder=%.17g\n", fmod(x * 7, 3.25), remainder(x * 7, 3.25));
        float xf = (float)x, yf = (float)y;
        printf("  f: sqrtf=%a expf=%a logf=%a powf=%a sinf=%a cosf=%a\n", (double)sqrtf(fabsf(xf)),
               (double)expf(xf / 8), (double)logf(fabsf(xf) + 1), (double)powf(fabsf(xf) + 0.5f, yf / 4),
               (double)sinf(xf), (double)cosf(xf));
    }
    int e;
    double fr = frexp(48.0, &e);
    double ip;
    double fp = modf(-3.75, &ip);
    printf("frexp(48)=%g*2^%d ldexp(0.75,5)=%g modf(-3.75)=%g+%g\n", fr, e, ldexp(0.75, 5), ip, fp);
    printf("nextafter(1,2)=%a nextafter(0,-1)=%a copysign(3,-0)=%g nextafterf=%a\n", nextafter(1.0, 2.0),
           nextafter(0.0, -1.0), copysign(3.0, -0.0), (double)nextafterf(1.0f, 0.0f));
    printf("isnan=%d isinf=%d signbit(-0)=%d fpclassify(1e-310)=%d\n", isnan(NAN), isinf(-INFINITY),
           signbit(-0.0) != 0, fpclassify(vd[10]) == FP_SUBNORMAL);
    double acc = 0;
    for (int i = 1; i <= 2000; i++)
        acc += sin(i * 0.001) * exp(-i * 0.0005) + sqrt((double)i);
    printf("series %.17g\n", acc);
}

int main(void)
{
    arithmetic();
    conversions();
    rounding();
    exceptions();
    libm();
    return 0;
}

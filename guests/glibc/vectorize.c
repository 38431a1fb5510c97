/*
 * vectorize (built with -O3): loops that gcc auto-vectorises into Advanced
 * SIMD code.  int32 add/mul/multiply-accumulate, 8-bit compare and count,
 * reductions (sum, max, min, widening byte sum), shifts and logic, selects
 * (max, abs-diff), int<->float conversions, float and double fused
 * multiply-add, de-interleaving (ld2/st2-style) and reversing loops, 16-bit
 * saturation, int64 arithmetic.  Array lengths are deliberately not
 * multiples of the vector length so the scalar epilogues run too, and the
 * loops are run over shifted (unaligned) windows.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define N 1003
static int32_t ia[N + 16], ib[N + 16], ic[N + 16];
static uint8_t ua[N + 16], ub[N + 16];
static int16_t sa[N + 16], sb[N + 16];
static float fa[N + 16], fb[N + 16], fc[N + 16];
static double da[N + 16], db[N + 16];
static int64_t la[N + 16], lb[N + 16];
static uint32_t u32a[N + 16];

static uint64_t H = 1469598103934665603ULL;
static void put(const char *name, uint64_t v)
{
    H = (H ^ v) * 0x100000001b3ULL;
    printf("%-22s %016llx\n", name, (unsigned long long)v);
}

static uint64_t hash32(const void *p, size_t n)
{
    const uint32_t *w = p;
    uint64_t h = 0;
    for (size_t i = 0; i < n; i++)
        h = h * 1000003 + w[i];
    return h;
}

static void init(void)
{
    uint32_t x = 2463534242u;
    for (int i = 0; i < N + 16; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        ib[i] = (int32_t)x;
        ic[i] = (int32_t)(x * 2654435761u) >> 7;
        ua[i] = (uint8_t)(x >> 3);
        ub[i] = (uint8_t)(i % 7 == 0 ? ua[i] : x >> 11);
        sa[i] = (int16_t)(x >> 9);
        sb[i] = (int16_t)(x >> 15);
        fb[i] = (float)(int32_t)(x % 20001) / 64.0f - 150.0f;
        fc[i] = (float)(i % 17) * 0.375f - 2.0f;
        db[i] = (double)(int32_t)x / 1024.0;
        lb[i] = (int64_t)x * 0x10001 - (int64_t)i * 77;
        u32a[i] = x;
    }
}

__attribute__((noinline)) static void add32(int32_t *a, const int32_t *b, const int32_t *c, int n)
{ for (int i = 0; i < n; i++) a[i] = b[i] + c[i]; }
__attribute__((noinline)) static void mul32(int32_t *a, const int32_t *b, const int32_t *c, int n)
{ for (int i = 0; i < n; i++) a[i] = b[i] * c[i]; }
__attribute__((noinline)) static void mla32(int32_t *a, const int32_t *b, const int32_t *c, int n)
{ for (int i = 0; i < n; i++) a[i] += b[i] * c[i]; }
__attribute__((noinline)) static void shiftlogic(int32_t *a, const int32_t *b, const int32_t *c, int n)
{ for (int i = 0; i < n; i++) a[i] = (b[i] << 3) ^ (c[i] >> 2) ^ (int32_t)((uint32_t)b[i] >> 29) ^ (b[i] & ~c[i]); }
__attribute__((noinline)) static void max32(int32_t *a, const int32_t *b, const int32_t *c, int n)
{ for (int i = 0; i < n; i++) a[i] = b[i] > c[i] ? b[i] : c[i]; }
__attribute__((noinline)) static void absdiff32(int32_t *a, const int32_t *b, const int32_t *c, int n)
{ for (int i = 0; i < n; i++) { int32_t d = (b[i] >> 4) - (c[i] >> 4); a[i] = d < 0 ? -d : d; } }
__attribute__((noinline)) static int64_t sum32(const int32_t *b, int n)
{ int64_t s = 0; for (int i = 0; i < n; i++) s += b[i]; return s; }
__attribute__((noinline)) static int32_t wrapsum32(const int32_t *b, int n)
{ uint32_t s = 0; for (int i = 0; i < n; i++) s += (uint32_t)b[i]; return (int32_t)s; }
__attribute__((noinline)) static int32_t maxred32(const int32_t *b, int n)
{ int32_t m = INT32_MIN; for (int i = 0; i < n; i++) m = b[i] > m ? b[i] : m; return m; }
__attribute__((noinline)) static uint8_t minred8(const uint8_t *b, int n)
{ uint8_t m = 255; for (int i = 0; i < n; i++) m = b[i] < m ? b[i] : m; return m; }
__attribute__((noinline)) static uint32_t bytesum(const uint8_t *b, int n)
{ uint32_t s = 0; for (int i = 0; i < n; i++) s += b[i]; return s; }
__attribute__((noinline)) static int bytecmp_count(const uint8_t *a, const uint8_t *b, int n)
{ int c = 0; for (int i = 0; i < n; i++) c += a[i] == b[i]; return c; }
__attribute__((noinline)) static int bytegt_count(const uint8_t *a, const uint8_t *b, int n)
{ int c = 0; for (int i = 0; i < n; i++) c += a[i] > b[i]; return c; }
__attribute__((noinline)) static void avg8(uint8_t *d, const uint8_t *a, const uint8_t *b, int n)
{ for (int i = 0; i < n; i++) d[i] = (uint8_t)((a[i] + b[i] + 1) >> 1); }
__attribute__((noinline)) static void sat16(int16_t *d, const int16_t *a, const int16_t *b, int n)
{ for (int i = 0; i < n; i++) { int s = a[i] + b[i]; d[i] = (int16_t)(s > 32767 ? 32767 : s < -32768 ? -32768 : s); } }
__attribute__((noinline)) static void widen_mul16(int32_t *d, const int16_t *a, const int16_t *b, int n)
{ for (int i = 0; i < n; i++) d[i] = a[i] * b[i]; }
__attribute__((noinline)) static int64_t dot16(const int16_t *a, const int16_t *b, int n)
{ int64_t s = 0; for (int i = 0; i < n; i++) s += a[i] * b[i]; return s; }
__attribute__((noinline)) static void fma_f(float *a, const float *b, const float *c, int n)
{ for (int i = 0; i < n; i++) a[i] = b[i] * c[i] + a[i]; }
__attribute__((noinline)) static void fops_f(float *a, const float *b, const float *c, int n)
{ for (int i = 0; i < n; i++) a[i] = (b[i] - c[i]) / (c[i] * c[i] + 1.0f); }
__attribute__((noinline)) static void int_to_float(float *a, const int32_t *b, int n)
{ for (int i = 0; i < n; i++) a[i] = (float)(b[i] >> 8); }
__attribute__((noinline)) static void float_to_int(int32_t *a, const float *b, int n)
{ for (int i = 0; i < n; i++) a[i] = (int32_t)(b[i] * 3.5f); }
__attribute__((noinline)) static void daxpy(double *a, const double *b, double k, int n)
{ for (int i = 0; i < n; i++) a[i] = k * b[i] + a[i]; }
__attribute__((noinline)) static void dsqrtish(double *a, const double *b, int n)
{ for (int i = 0; i < n; i++) a[i] = b[i] * b[i] - a[i] * 0.5; }
__attribute__((noinline)) static void add64(int64_t *a, const int64_t *b, int n)
{ for (int i = 0; i < n; i++) a[i] = a[i] + (b[i] << 1) - (b[i] >> 3); }
__attribute__((noinline)) static void deinterleave(int32_t *re, int32_t *im, const int32_t *src, int n)
{ for (int i = 0; i < n; i++) { re[i] = src[2 * i] + 1; im[i] = src[2 * i + 1] * 3; } }
__attribute__((noinline)) static void rgb_gray(uint8_t *d, const uint8_t *rgb, int n)
{ for (int i = 0; i < n; i++) d[i] = (uint8_t)((rgb[3 * i] * 77 + rgb[3 * i + 1] * 150 + rgb[3 * i + 2] * 29) >> 8); }
__attribute__((noinline)) static void reverse32(int32_t *d, const int32_t *s, int n)
{ for (int i = 0; i < n; i++) d[i] = s[n - 1 - i]; }
__attribute__((noinline)) static void u8_to_u32(uint32_t *d, const uint8_t *s, int n)
{ for (int i = 0; i < n; i++) d[i] = s[i] * 3u; }
__attribute__((noinline)) static void narrow32_8(uint8_t *d, const uint32_t *s, int n)
{ for (int i = 0; i < n; i++) d[i] = (uint8_t)(s[i] >> 5); }
__attribute__((noinline)) static int popcount_sum(const uint32_t *s, int n)
{ int c = 0; for (int i = 0; i < n; i++) c += __builtin_popcount(s[i]); return c; }

int main(void)
{
    init();
    for (int off = 0; off < 3; off++) {
        int n = N - off * 5;
        printf("-- window offset %d length %d\n", off, n);
        memset(ia, 0, sizeof ia);
        add32(ia + off, ib + off, ic, n);        put("add32", hash32(ia, N));
        mul32(ia + off, ib, ic + off, n);        put("mul32", hash32(ia, N));
        mla32(ia, ib + off, ic + off, n);        put("mla32", hash32(ia, N));
        shiftlogic(ia + off, ib, ic, n);         put("shiftlogic", hash32(ia, N));
        max32(ia, ib + off, ic, n);              put("max32", hash32(ia, N));
        absdiff32(ia, ib, ic + off, n);          put("absdiff32", hash32(ia, N));
        put("sum32", (uint64_t)sum32(ib + off, n));
        put("wrapsum32", (uint32_t)wrapsum32(ic + off, n));
        put("maxred32", (uint32_t)maxred32(ic + off, n));
        put("minred8", minred8(ua + off, n));
        put("bytesum", bytesum(ua + off, n));
        put("bytecmp_count", (uint64_t)bytecmp_count(ua + off, ub + off, n));
        put("bytegt_count", (uint64_t)bytegt_count(ua, ub + off, n));
        uint8_t t8[N + 16];
        memset(t8, 0, sizeof t8);
        avg8(t8, ua + off, ub, n);               put("avg8", hash32(t8, n / 4));
        int16_t t16[N + 16];
        memset(t16, 0, sizeof t16);
        sat16(t16, sa + off, sb, n);             put("sat16", hash32(t16, n / 2));
        widen_mul16(ia, sa, sb + off, n);        put("widen_mul16", hash32(ia, n));
        put("dot16", (uint64_t)dot16(sa + off, sb, n));
        for (int i = 0; i < N + 16; i++) fa[i] = (float)i * 0.25f;
        fma_f(fa + off, fb, fc + off, n);        put("fma_f", hash32(fa, N));
        fops_f(fa, fb + off, fc, n);             put("fops_f", hash32(fa, N));
        int_to_float(fa, ib + off, n);           put("int_to_float", hash32(fa, N));
        float_to_int(ia, fb + off, n);           put("float_to_int", hash32(ia, N));
        for (int i = 0; i < N + 16; i++) da[i] = (double)i;
        daxpy(da + off, db, 1.0 / 3.0, n);       put("daxpy", hash32(da, 2 * N));
        dsqrtish(da, db + off, n);               put("dpoly", hash32(da, 2 * N));
        for (int i = 0; i < N + 16; i++) la[i] = i;
        add64(la, lb + off, n);                  put("add64", hash32(la, 2 * N));
        int32_t re[N / 2], im[N / 2];
        memset(re, 0, sizeof re);
        memset(im, 0, sizeof im);
        deinterleave(re, im, ib + off, n / 2);   put("deinterleave", hash32(re, n / 2) ^ (hash32(im, n / 2) << 1));
        rgb_gray(t8, ua + off, n / 3);           put("rgb_gray", hash32(t8, n / 12));
        reverse32(ia, ic + off, n);              put("reverse32", hash32(ia, n));
        uint32_t t32[N + 16];
        memset(t32, 0, sizeof t32);
        u8_to_u32(t32, ub + off, n);             put("u8_to_u32", hash32(t32, n));
        narrow32_8(t8, u32a + off, n);           put("narrow32_8", hash32(t8, n / 4));
        put("popcount_sum", (uint64_t)popcount_sum(u32a + off, n));
    }
    printf("overall %016llx\n", (unsigned long long)H);
    return 0;
}

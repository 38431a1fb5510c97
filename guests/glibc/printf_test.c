/*
 * printf_test: glibc formatted output and number parsing.  printf of
 * ints, longs, unsigned, hex/octal, chars, strings with widths, precision
 * and flags; doubles with %f %e %g %a (and long double %Lf, which uses
 * 128-bit soft float); snprintf truncation, sprintf, sscanf, strtol/strtoul
 * with various bases, strtod (decimal, hex, inf/nan, denormals), atoi and
 * round-trips of doubles through "%.17g".  Also built as static PIE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <stdint.h>
#include <inttypes.h>
#include <errno.h>
#include <stddef.h>
#include <sys/types.h>
#include <math.h>
#include <float.h>

static void ints(void)
{
    printf("[%d] [%5d] [%-5d] [%05d] [%+d] [% d]\n", 42, 42, 42, 42, 42, 42);
    printf("[%d] [%d] [%u] [%u]\n", INT_MIN, INT_MAX, 0u, UINT_MAX);
    printf("[%ld] [%ld] [%lu]\n", LONG_MIN, LONG_MAX, ULONG_MAX);
    printf("[%lld] [%llu]\n", -1234567890123456789LL, 18446744073709551615ULL);
    printf("[%x] [%X] [%#x] [%#o] [%o] [%08x]\n", 0xdeadbeef, 0xcafe, 255, 8, 0777, 0x1f);
    printf("[%lx] [%#lX]\n", 0x0123456789abcdefUL, 0xfedcba9876543210UL);
    printf("[%hd] [%hhd] [%hu] [%hhu]\n", (short)-2, (signed char)-3, (unsigned short)65535, (unsigned char)255);
    printf("[%" PRId64 "] [%" PRIu64 "] [%" PRIx64 "]\n", INT64_MIN, UINT64_MAX, (uint64_t)0xabcdef);
    printf("[%zu] [%zd] [%td]\n", (size_t)123456, (ssize_t)-5, (ptrdiff_t)-77);
    printf("[%.3d] [%.0d] [%8.4d] [%-8.4x]\n", 7, 0, -12, 0xab);
    printf("[%c%c%c] [%5c] [%-3c]\n", 'a', 'b', 'c', 'x', 'y');
    printf("[%%] [%*d] [%-*d] [%.*d]\n", 6, 1, 6, 2, 4, 3);
}

#pragma GCC diagnostic ignored "-Wformat-truncation"
static void strings(void)
{
    printf("[%s] [%10s] [%-10s] [%.3s] [%10.2s]\n", "hello", "right", "left", "truncate", "ab");
    printf("[%s]\n", "");
    char buf[64];
    int n = snprintf(buf, sizeof buf, "%s-%d-%x", "abc", 123, 0xff);
    printf("snprintf -> %d \"%s\"\n", n, buf);
    n = snprintf(buf, 8, "%s", "this is a long string");
    printf("snprintf truncated -> %d \"%s\"\n", n, buf);
    n = snprintf(NULL, 0, "%d %d %d", 1000, 2000, 3000);
    printf("snprintf(NULL, 0) -> %d\n", n);
    n = sprintf(buf, "%08.3f|%+.2e|%-6s|", 3.14159, -0.000123, "xy");
    printf("sprintf -> %d \"%s\"\n", n, buf);
    char word[16];
    int a, b;
    double d;
    n = sscanf("  17 0x1f 2.5e3 token", "%d %i %lf %15s", &a, &b, &d, word);
    printf("sscanf -> %d: %d %d %g %s\n", n, a, b, d, word);
}

static void doubles(void)
{
    static const double v[] = {
        0.0, -0.0, 1.0, -1.5, 0.1, 1.0 / 3.0, 2.0 / 3.0, 123456.789, 1e-5, 1e-300, 5e-324,
        1e300, DBL_MAX, DBL_MIN, 3.141592653589793, 2.718281828459045, 1e15, 1e16, 1e21,
        0.5, 1.5, 2.5, 1e-7, 12345678901234567890.0, -987.654321,
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        printf("%.17g | %f | %.3e | %g | %a | %10.4f | %-12.3g|\n", v[i], v[i], v[i], v[i], v[i], v[i], v[i]);
    printf("%f %f %f %e %g\n", INFINITY, -INFINITY, NAN, INFINITY, -NAN);
    printf("%F %E %G %A\n", INFINITY, 1e10, 1e-10, 1.0);
    printf("%.0f %.0f %.0f %.0f %.0f\n", 0.5, 1.5, 2.5, -0.5, 3.5);
    printf("%.20f\n", 0.1);
    printf("%.60f\n", 1e-50);
    printf("%.0f\n", 1e300);
    printf("%#g %#.3g %#x\n", 1.0, 2.0, 0);
    float f = 16777217.0f;
    printf("float %.10g %a\n", (double)f, (double)f);
    long double ld = 1.0L / 3.0L;
    printf("long double %.30Lf %La\n", ld, ld);
    long double ld2 = 12345678901234567890.123456789L;
    printf("long double %.10Lf %Lg\n", ld2, ld2 * ld2);
}

static void parsing(void)
{
    static const char *const nums[] = {
        "0", "-0", "123", "-2147483648", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "0x7fffffff", "0777", "  +42abc", "z", "18446744073709551615",
    };
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        char *end;
        errno = 0;
        long l = strtol(nums[i], &end, 0);
        int e1 = errno;
        errno = 0;
        unsigned long ul = strtoul(nums[i], NULL, 10);
        int e2 = errno;
        printf("strtol(\"%s\") = %ld errno=%d rest=\"%s\" strtoul10 = %lu errno=%d\n",
               nums[i], l, e1, end, ul, e2);
    }
    printf("strtol base 2: %ld, base 36: %ld, base 16: %ld\n",
           strtol("101101", NULL, 2), strtol("zz", NULL, 36), strtol("-FFff", NULL, 16));
    printf("atoi: %d %d %d\n", atoi("1234"), atoi("-56xyz"), atoi("   7"));
    static const char *const dbls[] = {
        "0", "1", "-1.5", "0.1", "1e308", "1e309", "-1e309", "4.9e-324", "2e-324", "1e-400",
        "0x1.8p1", "0x1p-1074", "inf", "-Infinity", "nan", "123.456e-2", "  .5", "1.7976931348623157e308",
        "2.2250738585072011e-308", "3.14159265358979323846264338327950288",
    };
    for (size_t i = 0; i < sizeof dbls / sizeof dbls[0]; i++) {
        char *end;
        errno = 0;
        double d = strtod(dbls[i], &end);
        uint64_t bits;
        memcpy(&bits, &d, 8);
        printf("strtod(\"%s\") = %.17g bits=%016" PRIx64 " errno=%d consumed=%d\n",
               dbls[i], d, bits, errno ? 1 : 0, (int)(end - dbls[i]));
    }
    printf("strtof(\"0.1\") = %.9g\n", (double)strtof("0.1", NULL));
}

static void roundtrip(void)
{
    /* print with %.17g and parse back: must give the same bits */
    uint64_t x = 0x123456789abcdefULL;
    int bad = 0;
    uint64_t h = 0;
    for (int i = 0; i < 400; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint64_t bits = x & 0x7fefffffffffffffULL;   /* finite values */
        double d;
        memcpy(&d, &bits, 8);
        char buf[40];
        snprintf(buf, sizeof buf, "%.17g", d);
        double back = strtod(buf, NULL);
        if (memcmp(&back, &d, 8) != 0)
            bad++;
        for (char *p = buf; *p; p++)
            h = h * 31 + (unsigned char)*p;
    }
    printf("roundtrip: %d mismatches, text hash %016" PRIx64 "\n", bad, h);
}

int main(void)
{
    ints();
    strings();
    doubles();
    parsing();
    roundtrip();
    return 0;
}

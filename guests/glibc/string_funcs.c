/*
 * string_funcs: glibc's optimised (Advanced SIMD) string and memory
 * routines with every source alignment 0..31, lengths 0..300 and a varying
 * destination alignment: memcpy, memmove (overlapping both ways), memset,
 * memcmp, memchr, memrchr, rawmemchr, strlen, strnlen, strcmp, strncmp,
 * strchr, strrchr, strchrnul, strcpy, stpcpy, strncpy, strcat, strspn,
 * strcspn, strstr.  Results are checked against the expected values
 * (position of a match, length, sign of a comparison) and hashed; only
 * positions and signs are printed, since the magnitude of a comparison
 * result depends on which implementation glibc selected for the CPU.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <stdint.h>

#define MAXLEN 300
#define PAD 64
static unsigned char srcbuf[MAXLEN + 2 * PAD + 64] __attribute__((aligned(64)));
static unsigned char dstbuf[MAXLEN + 2 * PAD + 64] __attribute__((aligned(64)));
static unsigned char refbuf[MAXLEN + 2 * PAD + 64] __attribute__((aligned(64)));

enum { F_MEMCPY, F_MEMMOVE_UP, F_MEMMOVE_DOWN, F_MEMSET, F_MEMCMP, F_MEMCHR, F_MEMRCHR,
       F_RAWMEMCHR, F_STRLEN, F_STRNLEN, F_STRCMP, F_STRNCMP, F_STRCHR, F_STRRCHR,
       F_STRCHRNUL, F_STRCPY, F_STPCPY, F_STRNCPY, F_STRCAT, F_STRSPN, F_STRCSPN, F_STRSTR, NF };
static const char *const fname[NF] = {
    "memcpy", "memmove_up", "memmove_down", "memset", "memcmp", "memchr", "memrchr",
    "rawmemchr", "strlen", "strnlen", "strcmp", "strncmp", "strchr", "strrchr",
    "strchrnul", "strcpy", "stpcpy", "strncpy", "strcat", "strspn", "strcspn", "strstr",
};
static uint64_t fh[NF];
static unsigned ferr[NF];

static void rec(int f, int64_t got, int64_t want)
{
    fh[f] = (fh[f] ^ (uint64_t)got) * 0x100000001b3ULL;
    fh[f] ^= fh[f] >> 29;
    if (got != want)
        ferr[f]++;
}

static int sign(int v) { return (v > 0) - (v < 0); }

static unsigned char pat(size_t i) { return (unsigned char)('a' + (i * 7 + i / 26) % 26); }

static void reset_src(void)
{
    for (size_t i = 0; i < sizeof srcbuf; i++)
        srcbuf[i] = pat(i);
}

static void reset_dst(void)
{
    memset(dstbuf, 0xee, sizeof dstbuf);
}

/* are the 8 bytes before dstbuf[doff] and after dstbuf[doff+len) still 0xee? */
static int canaries_ok(size_t doff, size_t len)
{
    uint64_t a, b;
    memcpy(&a, dstbuf + doff - 8, 8);
    memcpy(&b, dstbuf + doff + len, 8);
    return a == 0xeeeeeeeeeeeeeeeeULL && b == 0xeeeeeeeeeeeeeeeeULL;
}

static void one(size_t off, size_t len)
{
    size_t doff = PAD + (off * 7 + len) % 32;
    unsigned char *s = srcbuf + PAD + off;
    unsigned char *d = dstbuf + doff;
    size_t mid = len / 2;
    /* the functions the brief calls out run for every (offset, length); the
     * others for every fourth combination, which still covers every offset
     * and every length */
    int full = ((off + len) & 3) == 0;

    /* memory functions */
    reset_dst();
    memcpy(d, s, len);
    rec(F_MEMCPY, memcmp(d, s, len) == 0 && canaries_ok(doff, len), 1);

    if (full) {
        memcpy(d, s, len);
        memmove(d + 5, d, len);   /* overlapping, destination above */
        rec(F_MEMMOVE_UP, memcmp(d + 5, s, len) == 0, 1);
        memcpy(d, s, len);
        memmove(d - 3, d, len);   /* destination below */
        rec(F_MEMMOVE_DOWN, memcmp(d - 3, s, len) == 0, 1);
    }

    reset_dst();
    memset(d, 0xa5, len);
    rec(F_MEMSET, memcmp(d, refbuf, len) == 0 && canaries_ok(doff, len), 1);

    memcpy(d, s, len);
    rec(F_MEMCMP, sign(memcmp(d, s, len)), 0);
    if (len) {
        d[mid] = (unsigned char)(d[mid] + 1);
        rec(F_MEMCMP, sign(memcmp(d, s, len)), 1);
        rec(F_MEMCMP, sign(memcmp(s, d, len)), -1);
        rec(F_MEMCMP, sign(memcmp(s, d, mid)), 0);
    }

    /* search: '#' at mid, '@' at 0 and at len-1 */
    if (len) {
        unsigned char save_mid = s[mid], save0 = s[0], savel = s[len - 1];
        s[len - 1] = '@';
        s[0] = '@';
        s[mid] = '#';
        unsigned char *p = memchr(s, '#', len);
        rec(F_MEMCHR, p ? p - s : -1, (int64_t)mid);
        p = memchr(s, '#', mid);
        rec(F_MEMCHR, p ? p - s : -1, -1);
        p = memchr(s, '!', len);
        rec(F_MEMCHR, p ? p - s : -1, -1);
        if (full) {
            p = memrchr(s, '@', len);
            rec(F_MEMRCHR, p ? p - s : -1, len == 1 ? -1 : mid == len - 1 ? 0 : (int64_t)len - 1);
            p = rawmemchr(s, '#');
            rec(F_RAWMEMCHR, p - s, (int64_t)mid);
        }
        s[mid] = save_mid;
        s[0] = save0;
        s[len - 1] = savel;
    }

    /* strings: NUL at s[len] */
    unsigned char save_end = s[len];
    s[len] = 0;
    rec(F_STRLEN, (int64_t)strlen((char *)s), (int64_t)len);
    if (full) {
        rec(F_STRNLEN, (int64_t)strnlen((char *)s, mid), (int64_t)mid);
        rec(F_STRNLEN, (int64_t)strnlen((char *)s, len + 10), (int64_t)len);
    }

    reset_dst();
    char *r = strcpy((char *)d, (char *)s);
    rec(F_STRCPY, r == (char *)d && memcmp(d, s, len + 1) == 0 && canaries_ok(doff, len + 1), 1);
    if (full) {
        reset_dst();
        r = stpcpy((char *)d, (char *)s);
        rec(F_STPCPY, r - (char *)d, (int64_t)len);
        reset_dst();
        r = strncpy((char *)d, (char *)s, len + 5);   /* pads with NULs */
        rec(F_STRNCPY, memcmp(d, s, len) == 0 && d[len] == 0 && d[len + 4] == 0 && canaries_ok(doff, len + 5), 1);
    }

    strcpy((char *)d, (char *)s);
    rec(F_STRCMP, sign(strcmp((char *)d, (char *)s)), 0);
    if (full)
        rec(F_STRNCMP, sign(strncmp((char *)d, (char *)s, len + 3)), 0);
    if (len) {
        d[mid] = 'z' + 1;   /* greater than any pattern byte */
        rec(F_STRCMP, sign(strcmp((char *)d, (char *)s)), 1);
        rec(F_STRCMP, sign(strcmp((char *)s, (char *)d)), -1);
        if (full) {
            rec(F_STRNCMP, sign(strncmp((char *)s, (char *)d, mid)), 0);
            rec(F_STRNCMP, sign(strncmp((char *)s, (char *)d, mid + 1)), -1);
        }
        d[mid] = 0;         /* d is a prefix of s */
        rec(F_STRCMP, sign(strcmp((char *)s, (char *)d)), 1);
    }

    if (len) {
        unsigned char save_mid = s[mid];
        s[mid] = '#';
        char *c = strchr((char *)s, '#');
        rec(F_STRCHR, c ? c - (char *)s : -1, (int64_t)mid);
        if (full) {
            c = strrchr((char *)s, '#');
            rec(F_STRRCHR, c ? c - (char *)s : -1, (int64_t)mid);
            c = strchrnul((char *)s, '!');
            rec(F_STRCHRNUL, c - (char *)s, (int64_t)len);
            rec(F_STRSPN, (int64_t)strspn((char *)s, "abcdefghijklmnopqrstuvwxyz"), (int64_t)mid);
            rec(F_STRCSPN, (int64_t)strcspn((char *)s, "#!"), (int64_t)mid);
            c = strstr((char *)s, "#");
            rec(F_STRSTR, c ? c - (char *)s : -1, (int64_t)mid);
        }
        s[mid] = save_mid;
    }
    char *c = strchr((char *)s, 0);
    rec(F_STRCHR, c - (char *)s, (int64_t)len);
    if (full) {
        c = strrchr((char *)s, '!');
        rec(F_STRRCHR, c ? c - (char *)s : -1, -1);
    }
    if (full && len >= 4) {
        /* a unique three-byte needle at the end */
        unsigned char sv[3];
        memcpy(sv, s + len - 3, 3);
        memcpy(s + len - 3, "%^&", 3);
        c = strstr((char *)s, "%^&");
        rec(F_STRSTR, c ? c - (char *)s : -1, (int64_t)len - 3);
        c = strstr((char *)s, "%^&*");
        rec(F_STRSTR, c ? c - (char *)s : -1, -1);
        memcpy(s + len - 3, sv, 3);
    }

    if (full) {
        reset_dst();
        d[0] = 0;
        strcat((char *)d, "pre");
        strcat((char *)d, (char *)s);
        rec(F_STRCAT, (int64_t)strlen((char *)d), (int64_t)len + 3);
    }

    s[len] = save_end;
}

int main(void)
{
    reset_src();
    memset(refbuf, 0xa5, sizeof refbuf);
    for (int f = 0; f < NF; f++)
        fh[f] = 14695981039346656037ULL;
    for (size_t off = 0; off < 32; off++)
        for (size_t len = 0; len <= MAXLEN; len++)
            one(off, len);
    unsigned total = 0;
    for (int f = 0; f < NF; f++) {
        printf("%-13s errors %u hash %016llx\n", fname[f], ferr[f], (unsigned long long)fh[f]);
        total += ferr[f];
    }
    printf("total errors %u\n", total);
    return total != 0;
}

/* evlsim guest runtime: output buffering, number printing, libc-ish helpers. */
#include "rt.h"

char **rt_envp;
int rt_failures;

static char outbuf[4096];
static unsigned outlen;

void rt_flush(void)
{
    unsigned off = 0;
    while (off < outlen) {
        ssize_t n = sys_write(1, outbuf + off, outlen - off);
        if (n <= 0)
            break;
        off += (unsigned)n;
    }
    outlen = 0;
}

void exit(int code)
{
    rt_flush();
    sys_exit_group(code);
}

void print_char(char c)
{
    if (outlen == sizeof(outbuf))
        rt_flush();
    outbuf[outlen++] = c;
}

void print(const char *s)
{
    while (*s)
        print_char(*s++);
}

void nl(void) { print_char('\n'); }

void println(const char *s)
{
    print(s);
    nl();
}

void print_udec(u64 v)
{
    char tmp[24];
    int i = 0;
    do {
        tmp[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i)
        print_char(tmp[--i]);
}

void print_dec(s64 v)
{
    if (v < 0) {
        print_char('-');
        print_udec(-(u64)v);
    } else {
        print_udec((u64)v);
    }
}

void print_hexn(u64 v, int digits)
{
    static const char hexd[] = "0123456789abcdef";
    print_char('0');
    print_char('x');
    for (int i = digits - 1; i >= 0; i--)
        print_char(hexd[(v >> (4 * i)) & 15]);
}

void print_hex(u64 v) { print_hexn(v, 16); }
void print_hex32(u32 v) { print_hexn(v, 8); }

void put_hex(const char *name, u64 v)
{
    print(name);
    print_char(' ');
    print_hex(v);
    nl();
}

void put_dec(const char *name, s64 v)
{
    print(name);
    print_char(' ');
    print_dec(v);
    nl();
}

void fd_print(int fd, const char *s)
{
    sys_write(fd, s, strlen(s));
}

void check(const char *what, u64 got, u64 expected)
{
    if (got != expected) {
        rt_failures++;
        print("CHECK FAILED ");
        print(what);
        print(" got ");
        print_hex(got);
        print(" expected ");
        print_hex(expected);
        nl();
    }
}

/* Byte loops are written so that gcc does not turn them back into calls
 * to the very function being defined. */
__attribute__((optimize("no-tree-loop-distribute-patterns")))
void *memset(void *d, int c, size_t n)
{
    u8 *p = d;
    while (n--)
        *p++ = (u8)c;
    return d;
}

__attribute__((optimize("no-tree-loop-distribute-patterns")))
void *memcpy(void *d, const void *s, size_t n)
{
    u8 *p = d;
    const u8 *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

__attribute__((optimize("no-tree-loop-distribute-patterns")))
void *memmove(void *d, const void *s, size_t n)
{
    u8 *p = d;
    const u8 *q = s;
    if (p < q) {
        while (n--)
            *p++ = *q++;
    } else {
        while (n--)
            p[n] = q[n];
    }
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const u8 *p = a, *q = b;
    for (size_t i = 0; i < n; i++)
        if (p[i] != q[i])
            return p[i] < q[i] ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (u8)*a - (u8)*b;
}

long rt_atol(const char *s)
{
    long v = 0;
    int neg = 0;
    if (*s == '-') {
        neg = 1;
        s++;
    }
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (*s++ - '0');
    return neg ? -v : v;
}

/*
 * fs_syscalls: raw Linux system calls through svc #0, without libc.
 * write, writev, read (all of stdin: prints the byte count and a checksum),
 * getpid/gettid (printed only as a relation), brk (grow, touch, shrink),
 * mmap/munmap/mprotect (anonymous memory, partial unmap), openat/close on
 * /dev/null, error returns (-ENOENT, -EBADF, -ENOSYS for an unknown
 * syscall number), clock_gettime (monotonic property only), nanosleep
 * (elapsed >= requested), getrandom (count only), uname (return code only).
 * Ends with a raw exit_group(5).
 */
#include "rt.h"

static s64 ts_ns(const struct timespec *t) { return t->tv_sec * 1000000000L + t->tv_nsec; }

static void do_write(void)
{
    rt_flush();
    static const char msg[] = "raw write to stdout\n";
    long n = sys_write(1, msg, sizeof(msg) - 1);
    put_dec("write returned", n);
    rt_flush();
    struct iovec iov[3] = {
        { (void *)"writev ", 7 }, { (void *)"three ", 6 }, { (void *)"parts\n", 6 },
    };
    n = sys_writev(1, iov, 3);
    put_dec("writev returned", n);
    n = sys_write(2, "a line on stderr\n", 17);
    put_dec("stderr write returned", n);
}

static void do_read(void)
{
    static u8 buf[1000];
    u64 total = 0, h = HASH_INIT;
    for (;;) {
        long n = sys_read(0, buf, sizeof(buf));
        if (n <= 0) {
            if (n < 0)
                put_dec("read error", n);
            break;
        }
        for (long i = 0; i < n; i++)
            h = mix(h, buf[i]);
        total += (u64)n;
    }
    put_dec("stdin bytes", (s64)total);
    put_hex("stdin hash", h);
}

static void do_ids(void)
{
    int pid = sys_getpid(), tid = sys_gettid();
    println(pid > 0 ? "getpid positive" : "getpid NOT positive");
    println(pid == tid ? "gettid == getpid" : "gettid != getpid");
}

static void do_brk(void)
{
    long cur = sys_brk(0);
    long want = cur + 100000;
    long got = sys_brk((void *)want);
    println(got == want ? "brk grow ok" : "brk grow FAILED");
    if (got == want) {
        u8 *p = (u8 *)cur;
        u64 h = HASH_INIT;
        for (long i = 0; i < 100000; i += 997)
            h = mix(h, p[i]);   /* fresh heap memory reads as zero */
        for (long i = 0; i < 100000; i++)
            p[i] = (u8)(i * 13);
        for (long i = 0; i < 100000; i += 997)
            h = mix(h, p[i]);
        put_hex("brk memory", h);
    }
    got = sys_brk((void *)cur);
    println(got == cur ? "brk shrink ok" : "brk shrink FAILED");
}

static void do_mmap(void)
{
    const size_t page = 4096, len = 8 * page;
    u8 *p = sys_mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (rt_is_err((long)p)) {
        put_dec("mmap failed", (long)p);
        return;
    }
    u64 z = 0;
    for (size_t i = 0; i < len; i += 64)
        z |= *(u64 *)(void *)(p + i);
    println(z == 0 ? "mmap zeroed" : "mmap NOT zeroed");
    for (size_t i = 0; i < len; i++)
        p[i] = (u8)(i ^ (i >> 8));
    u64 h = HASH_INIT;
    for (size_t i = 0; i < len; i += 8)
        h = mix(h, *(u64 *)(void *)(p + i));
    put_hex("mmap data", h);
    put_dec("mprotect ro", sys_mprotect(p, 2 * page, PROT_READ));
    h = HASH_INIT;
    for (size_t i = 0; i < 2 * page; i += 8)
        h = mix(h, *(u64 *)(void *)(p + i));
    put_hex("read-only data", h);
    put_dec("mprotect rw", sys_mprotect(p, 2 * page, PROT_READ | PROT_WRITE));
    p[5] = 1;
    put_dec("munmap middle", sys_munmap(p + 3 * page, 2 * page));
    h = HASH_INIT;
    for (size_t i = 0; i < 3 * page; i += 8)
        h = mix(h, *(u64 *)(void *)(p + i));
    for (size_t i = 5 * page; i < len; i += 8)
        h = mix(h, *(u64 *)(void *)(p + i));
    put_hex("after partial munmap", h);
    put_dec("munmap rest", sys_munmap(p, 3 * page) + sys_munmap(p + 5 * page, 3 * page));
    put_dec("munmap unaligned", sys_munmap(p + 1, page));   /* -EINVAL */

    /* a big mapping, touched sparsely */
    size_t blen = 64UL << 20;
    u8 *b = sys_mmap(NULL, blen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (!rt_is_err((long)b)) {
        u64 s = 0;
        for (size_t i = 0; i < blen; i += 1 << 20) {
            b[i] = (u8)(i >> 20);
            s += b[i] + b[i + 4095];
        }
        put_dec("big mmap sum", (s64)s);
        put_dec("big munmap", sys_munmap(b, blen));
    } else {
        put_dec("big mmap failed", (long)b);
    }
}

static void do_files(void)
{
    int fd = sys_openat(AT_FDCWD, "/dev/null", O_WRONLY | O_CLOEXEC, 0);
    println(fd >= 0 ? "openat /dev/null ok" : "openat /dev/null FAILED");
    put_dec("write /dev/null", sys_write(fd, "discarded", 9));
    put_dec("close", sys_close(fd));
    fd = sys_openat(AT_FDCWD, "/dev/null", O_RDONLY, 0);
    static u8 buf[16];
    put_dec("read /dev/null", sys_read(fd, buf, sizeof(buf)));
    put_dec("close", sys_close(fd));
    put_dec("openat missing", sys_openat(AT_FDCWD, "/nonexistent-evlsim-dir/file", O_RDONLY, 0));
    put_dec("close bad fd", sys_close(-1));
    put_dec("write bad fd", sys_write(12345, "x", 1));
    put_dec("unknown syscall", rt_syscall0(4000));
}

static void do_time(void)
{
    struct timespec t1, t2, rt;
    int r1 = sys_clock_gettime(CLOCK_MONOTONIC, &t1);
    int r3 = sys_clock_gettime(CLOCK_REALTIME, &rt);
    struct timespec req = { 0, 3 * 1000 * 1000 };   /* 3 ms */
    int r4 = sys_nanosleep(&req, NULL);
    int r2 = sys_clock_gettime(CLOCK_MONOTONIC, &t2);
    put_dec("clock_gettime rc", r1 + r2 + r3);
    println(ts_ns(&t2) >= ts_ns(&t1) ? "monotonic ok" : "monotonic FAILED");
    println(rt.tv_sec > 1500000000 ? "realtime plausible" : "realtime implausible");
    println(t1.tv_nsec >= 0 && t1.tv_nsec < 1000000000 ? "tv_nsec in range" : "tv_nsec OUT OF RANGE");
    put_dec("nanosleep rc", r4);
    println(ts_ns(&t2) - ts_ns(&t1) >= 3000000 ? "nanosleep ok" : "nanosleep too short");
}

static void do_misc(void)
{
    static u8 rnd[32];
    put_dec("getrandom", sys_getrandom(rnd, sizeof(rnd), 0));
    static u8 uts[6 * 65];
    put_dec("uname", sys_uname(uts));
    println(uts[0] != 0 ? "uname sysname nonempty" : "uname sysname EMPTY");
}

int main(void)
{
    println("fs_syscalls start");
    do_write();
    do_read();
    do_ids();
    do_brk();
    do_mmap();
    do_files();
    do_time();
    do_misc();
    println("exiting with exit_group(5)");
    rt_flush();
    sys_exit_group(5);
}

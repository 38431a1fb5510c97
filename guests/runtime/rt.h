/*
 * evlsim guest runtime for freestanding test programs.
 *
 * Raw Linux AArch64 system calls (svc #0, number in x8, arguments in
 * x0..x5, result in x0; -errno on failure) and a few output helpers.
 * Output to stdout is buffered and flushed by exit() / rt_flush().
 */
#ifndef EVLSIM_RT_H
#define EVLSIM_RT_H

typedef unsigned char u8;
typedef signed char s8;
typedef unsigned short u16;
typedef short s16;
typedef unsigned int u32;
typedef int s32;
typedef unsigned long u64;
typedef long s64;
typedef unsigned long size_t;
typedef long ssize_t;
typedef unsigned long uintptr_t;

#define NULL ((void *)0)

/* syscall numbers (asm-generic / arm64) */
#define SYS_getcwd          17
#define SYS_dup             23
#define SYS_fcntl           25
#define SYS_ioctl           29
#define SYS_openat          56
#define SYS_close           57
#define SYS_lseek           62
#define SYS_read            63
#define SYS_write           64
#define SYS_readv           65
#define SYS_writev          66
#define SYS_readlinkat      78
#define SYS_fstat           80
#define SYS_exit            93
#define SYS_exit_group      94
#define SYS_set_tid_address 96
#define SYS_nanosleep       101
#define SYS_clock_gettime   113
#define SYS_clock_getres    114
#define SYS_sched_yield     124
#define SYS_rt_sigaction    134
#define SYS_rt_sigprocmask  135
#define SYS_uname           160
#define SYS_gettimeofday    169
#define SYS_getpid          172
#define SYS_getppid         173
#define SYS_getuid          174
#define SYS_geteuid         175
#define SYS_getgid          176
#define SYS_getegid         177
#define SYS_gettid          178
#define SYS_brk             214
#define SYS_munmap          215
#define SYS_mremap          216
#define SYS_mmap            222
#define SYS_mprotect        226
#define SYS_madvise         233
#define SYS_prlimit64       261
#define SYS_getrandom       278

#define AT_FDCWD        (-100)
#define O_RDONLY        0
#define O_WRONLY        1
#define O_RDWR          2
#define O_CREAT         0100
#define O_TRUNC         01000
#define O_CLOEXEC       02000000

#define PROT_NONE       0
#define PROT_READ       1
#define PROT_WRITE      2
#define PROT_EXEC       4
#define MAP_SHARED      0x01
#define MAP_PRIVATE     0x02
#define MAP_FIXED       0x10
#define MAP_ANONYMOUS   0x20
#define MAP_FAILED      ((void *)-1)

#define CLOCK_REALTIME  0
#define CLOCK_MONOTONIC 1

struct timespec { s64 tv_sec; s64 tv_nsec; };
struct iovec { void *iov_base; size_t iov_len; };

static inline long rt_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
    register long x8 __asm__("x8") = n;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;
    register long x3 __asm__("x3") = d;
    register long x4 __asm__("x4") = e;
    register long x5 __asm__("x5") = f;
    __asm__ volatile("svc #0"
                     : "+r"(x0)
                     : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
                     : "memory");
    return x0;
}
#define rt_syscall0(n)             rt_syscall6(n, 0, 0, 0, 0, 0, 0)
#define rt_syscall1(n, a)          rt_syscall6(n, (long)(a), 0, 0, 0, 0, 0)
#define rt_syscall2(n, a, b)       rt_syscall6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define rt_syscall3(n, a, b, c)    rt_syscall6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define rt_syscall4(n, a, b, c, d) rt_syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

static inline ssize_t sys_write(int fd, const void *buf, size_t n) { return rt_syscall3(SYS_write, fd, buf, n); }
static inline ssize_t sys_read(int fd, void *buf, size_t n) { return rt_syscall3(SYS_read, fd, buf, n); }
static inline ssize_t sys_writev(int fd, const struct iovec *iov, int cnt) { return rt_syscall3(SYS_writev, fd, iov, cnt); }
static inline int sys_openat(int dirfd, const char *path, int flags, int mode) { return (int)rt_syscall4(SYS_openat, dirfd, path, flags, mode); }
static inline int sys_close(int fd) { return (int)rt_syscall1(SYS_close, fd); }
static inline int sys_getpid(void) { return (int)rt_syscall0(SYS_getpid); }
static inline int sys_gettid(void) { return (int)rt_syscall0(SYS_gettid); }
static inline long sys_brk(void *addr) { return rt_syscall1(SYS_brk, addr); }
static inline void *sys_mmap(void *addr, size_t len, int prot, int flags, int fd, long off)
{ return (void *)rt_syscall6(SYS_mmap, (long)addr, (long)len, prot, flags, fd, off); }
static inline int sys_munmap(void *addr, size_t len) { return (int)rt_syscall2(SYS_munmap, addr, len); }
static inline int sys_mprotect(void *addr, size_t len, int prot) { return (int)rt_syscall3(SYS_mprotect, addr, len, prot); }
static inline int sys_clock_gettime(int clk, struct timespec *ts) { return (int)rt_syscall2(SYS_clock_gettime, clk, ts); }
static inline int sys_nanosleep(const struct timespec *req, struct timespec *rem) { return (int)rt_syscall2(SYS_nanosleep, req, rem); }
static inline long sys_getrandom(void *buf, size_t n, unsigned flags) { return rt_syscall3(SYS_getrandom, buf, n, flags); }
static inline int sys_uname(void *buf) { return (int)rt_syscall1(SYS_uname, buf); }
static inline __attribute__((noreturn)) void sys_exit_group(int code)
{
    rt_syscall1(SYS_exit_group, code);
    for (;;) { }
}

/* raw syscall results in [-4095, -1] are -errno */
static inline int rt_is_err(long v) { return (unsigned long)v >= (unsigned long)-4095; }

/* libc-like helpers (runtime/rt.c) */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
long rt_atol(const char *s);          /* decimal, optional leading '-' */
__attribute__((noreturn)) void exit(int code);

/* buffered output to stdout */
void rt_flush(void);
void print(const char *s);             /* string, no newline */
void println(const char *s);           /* string + newline */
void print_char(char c);
void print_dec(s64 v);
void print_udec(u64 v);
void print_hex(u64 v);                 /* 0x + 16 hex digits */
void print_hex32(u32 v);               /* 0x + 8 hex digits */
void print_hexn(u64 v, int digits);    /* 0x + `digits` hex digits */
void nl(void);
/* "name value\n" helpers */
void put_hex(const char *name, u64 v);
void put_dec(const char *name, s64 v);
/* write straight to a file descriptor, unbuffered */
void fd_print(int fd, const char *s);

/* hashing of results: 64-bit mix, order sensitive */
static inline u64 mix(u64 h, u64 v)
{
    h ^= v + 0x9e3779b97f4a7c15UL + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdUL;
    h ^= h >> 29;
    return h;
}
#define HASH_INIT 0xcbf29ce484222325UL

/* self checks: count failures, print a line for each one */
extern int rt_failures;
void check(const char *what, u64 got, u64 expected);

extern char **rt_envp;

#endif

/*
 * sysio: system calls through glibc, printing only results that every
 * correct Linux emulation shares (no addresses, ids, times, or values of
 * host-dependent fields).  Reads all of stdin (byte count and checksum),
 * writev, writes to stderr, open/openat/write/read/close on /dev/null,
 * error returns (errno values), fstat and isatty on stdout (return code
 * only / result ignored), clock_gettime, gettimeofday, time and nanosleep
 * (properties only), getrandom (count only), uname (return code only),
 * sbrk growth, mmap/mprotect/madvise/munmap, getrlimit (prlimit64; return
 * code only), readlink("/proc/self/exe") (called, result ignored),
 * getpid vs gettid.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static void read_stdin(void)
{
    unsigned char buf[512];
    size_t total = 0, n;
    uint64_t h = 1469598103934665603ULL;
    unsigned lines = 0;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        for (size_t i = 0; i < n; i++) {
            h = (h ^ buf[i]) * 0x100000001b3ULL;
            lines += buf[i] == '\n';
        }
        total += n;
    }
    printf("stdin: %zu bytes, %u newlines, hash %016llx, eof=%d error=%d\n", total, lines,
           (unsigned long long)h, feof(stdin) != 0, ferror(stdin) != 0);
}

static void raw_output(void)
{
    fflush(stdout);   /* keep printf and raw write output in order */
    struct iovec iov[4] = {
        { "writev: ", 8 }, { "one ", 4 }, { "", 0 }, { "two three\n", 10 },
    };
    ssize_t n = writev(STDOUT_FILENO, iov, 4);
    printf("writev returned %zd\n", n);
    fflush(stdout);
    n = write(STDOUT_FILENO, "write: direct\n", 14);
    printf("write returned %zd\n", n);
    fprintf(stderr, "sysio: this line goes to stderr\n");
    n = write(STDERR_FILENO, "sysio: raw stderr\n", 18);
    printf("stderr write returned %zd\n", n);
}

static void files(void)
{
    int fd = open("/dev/null", O_WRONLY);
    printf("open /dev/null: %s\n", fd >= 0 ? "ok" : "FAILED");
    printf("write /dev/null: %zd\n", write(fd, "0123456789", 10));
    printf("close: %d\n", close(fd));
    fd = openat(AT_FDCWD, "/dev/null", O_RDWR | O_CLOEXEC);
    printf("openat /dev/null: %s\n", fd >= 0 ? "ok" : "FAILED");
    char buf[8];
    printf("read /dev/null: %zd\n", read(fd, buf, sizeof buf));
    FILE *f = fdopen(fd, "w");
    fprintf(f, "buffered text into /dev/null %d\n", 42);
    printf("fclose: %d\n", fclose(f));
    errno = 0;
    fd = open("/nonexistent-evlsim/x", O_RDONLY);
    printf("open missing: %d errno=%s\n", fd, errno == ENOENT ? "ENOENT" : "other");
    errno = 0;
    int r = close(9999);
    printf("close bad fd: %d errno=%s\n", r, errno == EBADF ? "EBADF" : "other");
    struct stat st;
    r = fstat(STDOUT_FILENO, &st);
    printf("fstat stdout: %d\n", r);
    (void)isatty(STDOUT_FILENO);   /* result depends on how we are run: not printed */
    char exe[4096];
    (void)readlink("/proc/self/exe", exe, sizeof exe);   /* value not printed */
    FILE *nul = fopen("/dev/null", "r");
    printf("fopen/fgetc /dev/null: %d\n", nul ? fgetc(nul) : -2);
    if (nul)
        fclose(nul);
}

static int64_t ns(struct timespec t) { return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec; }

static void timing(void)
{
    struct timespec m1, m2, r1;
    int rc = clock_gettime(CLOCK_MONOTONIC, &m1);
    rc |= clock_gettime(CLOCK_REALTIME, &r1);
    struct timeval tv;
    int rc2 = gettimeofday(&tv, NULL);
    time_t now = time(NULL);
    struct timespec req = { 0, 2500000 }, rem = { 0, 0 };
    int rc3 = nanosleep(&req, &rem);
    rc |= clock_gettime(CLOCK_MONOTONIC, &m2);
    printf("clock_gettime rc=%d gettimeofday rc=%d nanosleep rc=%d\n", rc, rc2, rc3);
    printf("monotonic %s\n", ns(m2) >= ns(m1) ? "ok" : "WENT BACKWARDS");
    printf("nanosleep %s\n", ns(m2) - ns(m1) >= 2500000 ? "ok" : "TOO SHORT");
    printf("realtime %s\n", r1.tv_sec > 1500000000 && tv.tv_sec > 1500000000 && now > 1500000000 ? "plausible" : "IMPLAUSIBLE");
    printf("gettimeofday usec %s\n", tv.tv_usec >= 0 && tv.tv_usec < 1000000 ? "in range" : "OUT OF RANGE");
    struct timespec res;
    printf("clock_getres rc=%d\n", clock_getres(CLOCK_MONOTONIC, &res));
}

static void misc(void)
{
    unsigned char rnd[24];
    printf("getrandom: %zd\n", getrandom(rnd, sizeof rnd, 0));
    struct utsname u;
    printf("uname: %d\n", uname(&u));
    struct rlimit rl;
    printf("getrlimit stack: %d\n", getrlimit(RLIMIT_STACK, &rl));
    printf("getrlimit nofile: %d\n", getrlimit(RLIMIT_NOFILE, &rl));
    printf("getpid>0: %d gettid==getpid: %d\n", getpid() > 0, gettid() == getpid());
}

static void memory(void)
{
    char *b0 = sbrk(0);
    char *b1 = sbrk(64 * 1024);
    char *b2 = sbrk(0);
    printf("sbrk: grew by %ld, old break returned: %d\n", (long)(b2 - b0), b1 == b0);
    if (b1 != (char *)-1) {
        memset(b1, 0x3c, 64 * 1024);
        long s = 0;
        for (int i = 0; i < 64 * 1024; i += 1000)
            s += b1[i];
        printf("sbrk memory sum %ld\n", s);
        sbrk(-64 * 1024);
        printf("sbrk shrink: %d\n", sbrk(0) == b0);
    }

    size_t page = 4096, len = 16 * page;
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap: %s\n", p == MAP_FAILED ? "FAILED" : "ok");
    if (p == MAP_FAILED)
        return;
    int zero = 1;
    for (size_t i = 0; i < len; i += 512)
        zero &= p[i] == 0;
    for (size_t i = 0; i < len; i++)
        p[i] = (unsigned char)(i * 31 >> 3);
    uint64_t h = 0;
    for (size_t i = 0; i < len; i += 8)
        h = h * 1000003 + *(uint64_t *)(p + i);
    printf("mmap zeroed %d, data hash %016llx\n", zero, (unsigned long long)h);
    printf("mprotect read-only: %d\n", mprotect(p, 4 * page, PROT_READ));
    printf("read after mprotect: %d\n", p[3 * page + 5]);
    printf("mprotect read-write: %d\n", mprotect(p, 4 * page, PROT_READ | PROT_WRITE));
    printf("madvise willneed: %d\n", madvise(p, len, MADV_WILLNEED));
    printf("madvise dontneed: %d\n", madvise(p + 8 * page, 4 * page, MADV_DONTNEED));
    /* contents after MADV_DONTNEED are not printed: some emulators ignore
     * the advice, real Linux zero-fills */
    printf("munmap: %d\n", munmap(p, len));
    errno = 0;
    void *bad = mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap len 0: %s errno=%s\n", bad == MAP_FAILED ? "MAP_FAILED" : "mapped", errno == EINVAL ? "EINVAL" : "other");
}

int main(void)
{
    printf("sysio start\n");
    read_stdin();
    raw_output();
    files();
    timing();
    misc();
    memory();
    printf("sysio done\n");
    return 0;
}

/*
 * malloc_test: the glibc allocator.  malloc/free of many sizes in a
 * pseudo-random order (tcache, fastbin, smallbin, largebin and mmapped
 * chunks: large blocks go through mmap and, when reallocated, mremap),
 * calloc zeroing, realloc growth/shrink preserving contents,
 * posix_memalign/aligned_alloc, brk growth through sbrk-backed arenas;
 * then qsort of structs, memmove with overlaps in both directions, bsearch.
 * Only contents and properties are printed, never addresses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static uint64_t rng = 88172645463325252ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint64_t hash_bytes(uint64_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

/* every byte of the first 256, then every 509th byte: big blocks stay cheap */
static size_t step_after(size_t i) { return i < 256 ? i + 1 : i + 509; }

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i = step_after(i))
        p[i] = (unsigned char)(seed + i * 7 + (i >> 9));
}

static int check_fill(const unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i = step_after(i))
        if (p[i] != (unsigned char)(seed + i * 7 + (i >> 9)))
            return 0;
    return 1;
}

#define SLOTS 256
static unsigned char *slot[SLOTS];
static size_t slot_size[SLOTS];
static unsigned slot_seed[SLOTS];

static size_t random_size(void)
{
    uint64_t r = next();
    switch (r & 7) {
    case 0: return r >> 60;                    /* 0..15 */
    case 1: case 2: return (r >> 40) % 128;    /* tcache/fastbin */
    case 3: case 4: return (r >> 40) % 2048;   /* small */
    case 5: return (r >> 40) % 65536;          /* large */
    case 6: return 100000 + (r >> 40) % 400000; /* mmapped */
    default: return (r >> 40) % 600;
    }
}

static void churn(void)
{
    int bad = 0, misaligned = 0;
    uint64_t h = 14695981039346656037ULL;
    unsigned long allocs = 0, reallocs = 0, frees = 0;
    for (int step = 0; step < 4000; step++) {
        int i = (int)(next() % SLOTS);
        uint64_t op = next() % 10;
        if (slot[i] == NULL) {
            size_t n = random_size();
            unsigned seed = (unsigned)next();
            if (op < 2) {
                slot[i] = calloc(1, n + 1);
                for (size_t k = 0; k <= n; k = step_after(k))
                    if (slot[i][k] != 0)
                        bad++;
            } else {
                slot[i] = malloc(n + 1);
            }
            if ((uintptr_t)slot[i] % 16)
                misaligned++;
            fill(slot[i], n + 1, seed);
            slot_size[i] = n + 1;
            slot_seed[i] = seed;
            allocs++;
        } else if (op < 3) {
            size_t n = random_size() + 1;
            unsigned char *p = realloc(slot[i], n);
            size_t keep = n < slot_size[i] ? n : slot_size[i];
            if (!check_fill(p, keep, slot_seed[i]))
                bad++;
            fill(p, n, slot_seed[i]);
            slot[i] = p;
            slot_size[i] = n;
            reallocs++;
        } else {
            if (!check_fill(slot[i], slot_size[i], slot_seed[i]))
                bad++;
            h = hash_bytes(h, slot[i], slot_size[i] < 64 ? slot_size[i] : 64);
            free(slot[i]);
            slot[i] = NULL;
            frees++;
        }
    }
    for (int i = 0; i < SLOTS; i++) {
        if (slot[i]) {
            if (!check_fill(slot[i], slot_size[i], slot_seed[i]))
                bad++;
            free(slot[i]);
            slot[i] = NULL;
        }
    }
    printf("churn: allocs=%lu reallocs=%lu frees=%lu corrupt=%d misaligned=%d hash=%016llx\n",
           allocs, reallocs, frees, bad, misaligned, (unsigned long long)h);
}

static void big_blocks(void)
{
    /* mmapped chunks, grown with realloc (mremap) and shrunk again */
    size_t n = 300000;
    unsigned char *p = malloc(n);
    fill(p, n, 5);
    int ok = 1;
    for (int round = 0; round < 4; round++) {
        size_t m = n * 3;
        p = realloc(p, m);
        ok &= check_fill(p, n, 5);
        fill(p, m, 5);
        n = m;
    }
    p = realloc(p, 4096);
    ok &= check_fill(p, 4096, 5);
    free(p);
    printf("big realloc chain: %s (final size was %zu)\n", ok ? "ok" : "CORRUPT", n);

    unsigned char *z = calloc(1000, 10000);   /* 10 MB, fresh mmap: zero */
    size_t nonzero = 0;
    for (size_t i = 0; i < 10000000; i += 4093)
        nonzero += z[i] != 0;
    printf("big calloc nonzero bytes: %zu\n", nonzero);
    free(z);
}

static void aligned(void)
{
    int bad = 0;
    for (size_t al = 16; al <= 65536; al *= 4) {
        void *p = NULL;
        if (posix_memalign(&p, al, al * 3 + 5) != 0 || (uintptr_t)p % al)
            bad++;
        memset(p, 0x5a, al * 3 + 5);
        free(p);
        void *q = aligned_alloc(al, al * 2);
        if ((uintptr_t)q % al)
            bad++;
        free(q);
    }
    printf("aligned allocations: %d bad\n", bad);
    printf("malloc(0) %s, free(NULL) ok\n", malloc(0) != NULL ? "returns a pointer" : "returns NULL");
    free(NULL);
}

struct rec {
    int key;
    unsigned id;
    char name[12];
};

static int cmp_rec(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void sorting(void)
{
    enum { N = 5000 };
    struct rec *r = malloc(N * sizeof *r);
    for (unsigned i = 0; i < N; i++) {
        r[i].key = (int)(next() % 1000) - 500;
        r[i].id = i;
        snprintf(r[i].name, sizeof r[i].name, "n%u", (unsigned)(next() % 100000));
    }
    qsort(r, N, sizeof *r, cmp_rec);
    int sorted = 1;
    uint64_t h = 1469598103934665603ULL;
    for (unsigned i = 0; i < N; i++) {
        if (i && cmp_rec(&r[i - 1], &r[i]) > 0)
            sorted = 0;
        h = hash_bytes(h, (const unsigned char *)r[i].name, strlen(r[i].name));
        h = (h ^ (unsigned)r[i].key) * 0x100000001b3ULL;
    }
    printf("qsort structs: %s first=%d last=%d hash=%016llx\n", sorted ? "sorted" : "NOT SORTED",
           r[0].key, r[N - 1].key, (unsigned long long)h);
    free(r);

    int *v = malloc(N * sizeof *v);
    for (int i = 0; i < N; i++)
        v[i] = (int)(next() >> 33);
    qsort(v, N, sizeof *v, cmp_int);
    int key = v[1234];
    int *found = bsearch(&key, v, N, sizeof *v, cmp_int);
    printf("qsort ints: min=%d median=%d max=%d bsearch %s\n", v[0], v[N / 2], v[N - 1],
           found && *found == key ? "found" : "MISSING");
    free(v);
}

static void moving(void)
{
    unsigned char *buf = malloc(4096);
    uint64_t h = 1469598103934665603ULL;
    memset(buf, 0x11, 4096);
    for (int len = 0; len < 300; len += 7) {
        for (int shift = -20; shift <= 20; shift += 3) {
            for (int k = 900; k < 1400; k++)
                buf[k] = (unsigned char)(k * 3 + len);
            int src = 1000, dst = 1000 + shift;
            memmove(buf + dst, buf + src, (size_t)len);
            h = hash_bytes(h, buf + 960, 400);
        }
    }
    printf("memmove overlap hash=%016llx\n", (unsigned long long)h);
    free(buf);
}

int main(void)
{
    churn();
    big_blocks();
    aligned();
    sorting();
    moving();
    /* the heap grows through brk: allocate many small blocks and keep them */
    unsigned long total = 0;
    void *keep[2000];
    for (int i = 0; i < 2000; i++) {
        keep[i] = malloc(1000 + (size_t)i);
        memset(keep[i], i & 0xff, 1000 + (size_t)i);
        total += 1000 + (unsigned long)i;
    }
    unsigned long sum = 0;
    for (int i = 0; i < 2000; i++) {
        sum += ((unsigned char *)keep[i])[999];
        free(keep[i]);
    }
    printf("heap growth: %lu bytes in 2000 blocks, check %lu\n", total, sum);
    return 0;
}

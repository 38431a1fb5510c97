/*
 * bench_sort [rounds]: sorts a 20000-element array of pseudo-random 32-bit
 * keys with an own quicksort (median of three, insertion sort for short
 * ranges), `rounds` times with different data (default 10, about 30 M
 * instructions; about 3 M per round).  Each round is verified and a
 * position-weighted checksum is printed.
 */
#include "rt.h"

#define N 20000
static u32 a[N];

static void insertion(u32 *v, long lo, long hi)
{
    for (long i = lo + 1; i <= hi; i++) {
        u32 x = v[i];
        long j = i - 1;
        while (j >= lo && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

static void swap(u32 *v, long i, long j)
{
    u32 t = v[i];
    v[i] = v[j];
    v[j] = t;
}

static void quicksort(u32 *v, long lo, long hi)
{
    while (hi - lo > 16) {
        long mid = lo + (hi - lo) / 2;
        if (v[mid] < v[lo]) swap(v, mid, lo);
        if (v[hi] < v[lo]) swap(v, hi, lo);
        if (v[hi] < v[mid]) swap(v, hi, mid);
        u32 pivot = v[mid];
        long i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot) i++;
            while (v[j] > pivot) j--;
            if (i <= j) {
                swap(v, i, j);
                i++;
                j--;
            }
        }
        /* recurse into the smaller half, loop on the larger */
        if (j - lo < hi - i) {
            quicksort(v, lo, j);
            lo = i;
        } else {
            quicksort(v, i, hi);
            hi = j;
        }
    }
    insertion(v, lo, hi);
}

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? rt_atol(argv[1]) : 10;
    u64 seed = 12345, total = HASH_INIT;
    for (long r = 0; r < rounds; r++) {
        for (long i = 0; i < N; i++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            /* every 4th round has many duplicate keys */
            a[i] = (r & 3) == 3 ? (u32)(seed >> 60) : (u32)(seed >> 32);
        }
        quicksort(a, 0, N - 1);
        int sorted = 1;
        u64 sum = 0;
        for (long i = 0; i < N; i++) {
            if (i && a[i - 1] > a[i])
                sorted = 0;
            sum += (u64)a[i] * (u64)(i + 1);
        }
        total = mix(total, sum);
        print("round ");
        print_dec(r + 1);
        print(sorted ? " sorted" : " NOT SORTED");
        print(" min ");
        print_udec(a[0]);
        print(" median ");
        print_udec(a[N / 2]);
        print(" max ");
        print_udec(a[N - 1]);
        print(" checksum ");
        print_hex(sum);
        nl();
        if (!sorted)
            rt_failures++;
    }
    put_hex("total", total);
    return rt_failures;
}

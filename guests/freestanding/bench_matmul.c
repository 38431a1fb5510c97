/*
 * bench_matmul [iterations]: 64x64 32-bit integer matrix multiply, repeated
 * `iterations` times with the product fed back into the next input
 * (default 60, about 31 M instructions; about 0.52 M per iteration).  Prints
 * a checksum of every 5th product and a final checksum.
 */
#include "rt.h"

#define N 64
static u32 A[N][N], B[N][N], C[N][N];

static void matmul(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++)
            C[i][j] = 0;
        for (int k = 0; k < N; k++) {
            u32 aik = A[i][k];
            for (int j = 0; j < N; j++)
                C[i][j] += aik * B[k][j];
        }
    }
}

static u64 checksum(void)
{
    u64 h = HASH_INIT;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j += 2)
            h = mix(h, C[i][j] | ((u64)C[i][j + 1] << 32));
    return h;
}

int main(int argc, char **argv)
{
    long iters = argc > 1 ? rt_atol(argv[1]) : 60;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            A[i][j] = (u32)(i * 31 + j * 17 + 3) % 101;
            B[i][j] = (u32)(i * 7 + j * 13 + 1) % 97;
        }
    u64 h = 0;
    for (long it = 0; it < iters; it++) {
        matmul();
        h = checksum();
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                A[i][j] = (C[i][j] >> 7) ^ (u32)it;
        if (it % 5 == 4) {
            print("iteration ");
            print_dec(it + 1);
            print(" checksum ");
            print_hex(h);
            nl();
        }
    }
    put_dec("iterations", iters);
    put_hex("final checksum", h);
    return 0;
}

/*
 * bench_smp: a 4-core compute workload with the MMU on, for simulated MIPS.
 *
 * Every core turns on the runtime's identity map (Normal write-back RAM), then
 * runs the same kernel on its own 64 KiB: fill with an LCG, then ROUNDS passes
 * of a dependent read-modify-write walk and a checksum. Core 0 prints each
 * core's checksum (a function of the core number only) and powers off.
 */
#include "rt.h"
#include "uart.h"
#include "psci.h"

#define WORDS (64 * 1024 / 8)
#define ROUNDS 400

static u64 data[RT_MAX_CORES][WORDS];
static volatile u64 result[RT_MAX_CORES];
static volatile u32 finished[RT_MAX_CORES];

static u64 work(unsigned me) {
    u64 *a = data[me];
    u64 x = 0x9E3779B97F4A7C15UL * (me + 1);
    for (unsigned i = 0; i < WORDS; i++) {
        x = x * 6364136223846793005UL + 1442695040888963407UL;
        a[i] = x;
    }
    u64 sum = 0;
    for (unsigned r = 0; r < ROUNDS; r++) {
        unsigned j = r;
        for (unsigned i = 0; i < WORDS; i++) {
            j = (j + (unsigned)(a[j] >> 59) + 1) & (WORDS - 1);
            a[j] ^= sum;
            sum += a[j] ^ (a[i] >> 3);
        }
    }
    return sum;
}

void secondary_main(u64 ctx) {
    unsigned me = core_id();
    result[me] = work(me);
    store_release(&finished[me], 1);
}

int main(void) {
    rt_idmap_enable();
    for (unsigned c = 1; c < RT_MAX_CORES; c++)
        psci_cpu_on(c, rt_secondary_entry_mmu, c);
    result[0] = work(0);
    for (unsigned c = 1; c < RT_MAX_CORES; c++)
        while (!load_acquire(&finished[c]))
            ;
    for (unsigned c = 0; c < RT_MAX_CORES; c++) {
        put_str("core ");
        put_dec(c);
        put_str(" checksum ");
        put_hex(result[c]);
        put_str("\n");
    }
    rt_done();
}

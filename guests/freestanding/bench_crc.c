/*
 * bench_crc [passes]: table-driven CRC-32 (IEEE 802.3, reflected) over a
 * 64 KiB pseudo-random buffer, repeated `passes` times (default 64, about
 * 30 M instructions; about 460 K instructions per pass).  Prints the CRC of
 * every 8th pass (every pass when there are at most 16) and the final CRC.
 */
#include "rt.h"

static u32 table[256];
static u8 buf[65536];

static void make_table(void)
{
    for (u32 i = 0; i < 256; i++) {
        u32 c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? (c >> 1) ^ 0xedb88320u : c >> 1;
        table[i] = c;
    }
}

static u32 crc32(u32 crc, const u8 *p, size_t n)
{
    crc = ~crc;
    while (n--)
        crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

int main(int argc, char **argv)
{
    long passes = argc > 1 ? rt_atol(argv[1]) : 64;
    make_table();
    check("crc32(123456789)", crc32(0, (const u8 *)"123456789", 9), 0xcbf43926);
    u64 x = 0x9e3779b97f4a7c15UL;
    for (size_t i = 0; i < sizeof(buf); i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        buf[i] = (u8)(x >> 24);
    }
    u32 acc = 0;
    for (long pass = 0; pass < passes; pass++) {
        u32 c = crc32(acc, buf, sizeof(buf));
        buf[pass & 0xffff] ^= (u8)c;   /* make every pass different */
        acc = c;
        if ((pass & 7) == 7 || passes <= 16) {
            print("pass ");
            print_dec(pass + 1);
            print(" crc ");
            print_hex32(c);
            nl();
        }
    }
    put_dec("passes", passes);
    print("final crc ");
    print_hex32(acc);
    nl();
    return rt_failures;
}

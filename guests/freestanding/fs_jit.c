/*
 * fs_jit: self-modifying / generated code.  Instructions are written into
 * an anonymous mapping, made executable (both W^X via mprotect and an RWX
 * mapping), the caches are synchronised with dc cvau / ic ivau / dsb / isb,
 * and the code is executed; then the same code bytes are rewritten and run
 * again, many times.  A simulator that caches decoded instructions must
 * notice the rewrites.
 */
#include "rt.h"

#define PAGE 4096

/* encoders for the few instructions used */
static u32 enc_movz_w(int rd, u32 imm16, int hw) { return 0x52800000u | ((u32)hw << 21) | (imm16 << 5) | (u32)rd; }
static u32 enc_movk_x(int rd, u32 imm16, int hw) { return 0xf2800000u | ((u32)hw << 21) | (imm16 << 5) | (u32)rd; }
static u32 enc_movz_x(int rd, u32 imm16, int hw) { return 0xd2800000u | ((u32)hw << 21) | (imm16 << 5) | (u32)rd; }
static u32 enc_add_x(int rd, int rn, int rm) { return 0x8b000000u | ((u32)rm << 16) | ((u32)rn << 5) | (u32)rd; }
static u32 enc_eor_x_lsl(int rd, int rn, int rm, int sh) { return 0xca000000u | ((u32)rm << 16) | ((u32)sh << 10) | ((u32)rn << 5) | (u32)rd; }
static u32 enc_add_imm_x(int rd, int rn, u32 imm12) { return 0x91000000u | (imm12 << 10) | ((u32)rn << 5) | (u32)rd; }
static const u32 RET = 0xd65f03c0u;

static void sync_code(void *p, size_t len)
{
    u64 ctr;
    __asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
    u64 dline = 4UL << ((ctr >> 16) & 15), iline = 4UL << (ctr & 15);
    u64 start = (u64)p, end = start + len;
    for (u64 a = start & ~(dline - 1); a < end; a += dline)
        __asm__ volatile("dc cvau, %0" : : "r"(a) : "memory");
    __asm__ volatile("dsb ish" ::: "memory");
    for (u64 a = start & ~(iline - 1); a < end; a += iline)
        __asm__ volatile("ic ivau, %0" : : "r"(a) : "memory");
    __asm__ volatile("dsb ish\n\tisb" ::: "memory");
}

typedef u64 (*fn0)(void);
typedef u64 (*fn2)(u64, u64);

int main(void)
{
    /* 1. W^X: write, mprotect RX, run, mprotect RW, rewrite, RX, run */
    u32 *code = sys_mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (rt_is_err((long)code)) {
        println("mmap failed");
        return 1;
    }
    code[0] = enc_movz_w(0, 1234, 0);
    code[1] = RET;
    sync_code(code, 8);
    put_dec("mprotect rx", sys_mprotect(code, PAGE, PROT_READ | PROT_EXEC));
    put_dec("run 1", (s64)((fn0)(void *)code)());
    put_dec("mprotect rw", sys_mprotect(code, PAGE, PROT_READ | PROT_WRITE));
    code[0] = enc_movz_w(0, 4321, 0);
    sync_code(code, 8);
    put_dec("mprotect rx", sys_mprotect(code, PAGE, PROT_READ | PROT_EXEC));
    put_dec("run 2", (s64)((fn0)(void *)code)());
    put_dec("munmap", sys_munmap(code, PAGE));

    /* 2. RWX mapping rewritten in place many times */
    u32 *rwx = sys_mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (rt_is_err((long)rwx)) {
        println("rwx mmap failed");
        return 1;
    }
    u64 h = HASH_INIT;
    for (u32 i = 0; i < 200; i++) {
        /* f(a, b) = ((a + b) ^ (b << s)) + K, with K and s changing */
        int n = 0;
        rwx[n++] = enc_add_x(2, 0, 1);
        rwx[n++] = enc_eor_x_lsl(2, 2, 1, (int)(i % 64));
        rwx[n++] = enc_movz_x(3, (i * 2654435761u) & 0xffff, 0);
        rwx[n++] = enc_movk_x(3, (i * 40503u) & 0xffff, 2);
        rwx[n++] = enc_add_x(0, 2, 3);
        rwx[n++] = enc_add_imm_x(0, 0, i & 0xfff);
        rwx[n++] = RET;
        sync_code(rwx, (size_t)n * 4);
        u64 r = ((fn2)(void *)rwx)(0x0123456789abcdefUL + i, 0xfedcba9876543210UL ^ i);
        h = mix(h, r);
    }
    put_hex("rwx rewrite hash", h);

    /* 3. a long generated straight-line function, then one word patched in
     *    its middle */
    u32 *big = rwx + 64;
    int n = 0;
    big[n++] = enc_movz_x(0, 1, 0);
    for (int i = 0; i < 500; i++)
        big[n++] = enc_add_imm_x(0, 0, (u32)(i % 7) + 1);
    big[n++] = RET;
    sync_code(big, (size_t)n * 4);
    u64 r1 = ((fn0)(void *)big)();
    big[250] = enc_add_imm_x(0, 0, 1000);
    sync_code(&big[250], 4);
    u64 r2 = ((fn0)(void *)big)();
    big[1] = RET;   /* early return */
    sync_code(&big[1], 4);
    u64 r3 = ((fn0)(void *)big)();
    put_dec("straight line", (s64)r1);
    put_dec("patched middle", (s64)r2);
    put_dec("patched early ret", (s64)r3);

    /* 4. code crossing into the second page */
    u32 *cross = rwx + PAGE / 4 - 3;
    cross[0] = enc_movz_x(0, 7, 0);
    cross[1] = enc_add_imm_x(0, 0, 10);
    cross[2] = enc_add_imm_x(0, 0, 100);
    cross[3] = enc_add_imm_x(0, 0, 1000);
    cross[4] = RET;
    sync_code(cross, 20);
    put_dec("page crossing", (s64)((fn0)(void *)cross)());
    put_dec("munmap", sys_munmap(rwx, 2 * PAGE));
    return 0;
}

/*
 * fs_branch: control flow.  b.cond for all 16 conditions x 16 NZCV states,
 * cbz/cbnz (w and x), tbz/tbnz on all 64 bit positions, b/bl/br/blr/ret and
 * ret to a non-x30 register, the link register value of bl, computed goto
 * (br), function pointer tables (blr), a switch compiled to a jump table,
 * far branches over a large gap, and recursion (ackermann, fibonacci,
 * towers of hanoi, mutual recursion).  Exits with ackermann(2, 3) = 9.
 */
#include "rt.h"

#define BCOND(c) \
    static u64 bcond_##c(u64 f) { u64 r; \
        __asm__ volatile("msr nzcv, %1\n\tmov %0, #0\n\tb." #c " 1f\n\tmov %0, #1\n1:" \
                         : "=&r"(r) : "r"(f) : "cc"); return r; }
#define CONDS(X) X(eq) X(ne) X(cs) X(cc) X(mi) X(pl) X(vs) X(vc) \
                 X(hi) X(ls) X(ge) X(lt) X(gt) X(le) X(al) X(nv)
CONDS(BCOND)
#define CROW(c) { #c, bcond_##c },
static const struct { const char *name; u64 (*fn)(u64); } bconds[] = { CONDS(CROW) };

static void cond_branches(void)
{
    for (int c = 0; c < 16; c++) {
        u32 taken = 0;
        for (u64 f = 0; f < 16; f++)
            taken |= (u32)(bconds[c].fn(f << 28) == 0) << f;
        print("b.");
        print(bconds[c].name);
        print(" taken ");
        print_hexn(taken, 4);
        nl();
    }
}

static const u64 vals[] = {
    0, 1, 0x80, 0xffffffff, 0x100000000, 0xffffffff00000000, 0x8000000000000000,
    0x123456789abcdef0, 0xffffffffffffffff, 0x0000000100000001,
};
#define NVALS (sizeof(vals) / sizeof(vals[0]))

static void compare_branches(void)
{
    u64 bits = 0;
    for (unsigned i = 0; i < NVALS; i++) {
        u64 r;
        __asm__ volatile("mov %0, #0\n\t"
                         "cbz %1, 1f\n\torr %0, %0, #1\n"
                         "1: cbnz %1, 2f\n\torr %0, %0, #2\n"
                         "2: cbz %w1, 3f\n\torr %0, %0, #4\n"
                         "3: cbnz %w1, 4f\n\torr %0, %0, #8\n"
                         "4:"
                         : "=&r"(r) : "r"(vals[i]));
        bits |= r << (4 * i);
    }
    put_hex("cbz_cbnz", bits);

    for (unsigned i = 0; i < NVALS; i++) {
        u64 set, clr;
        __asm__ volatile("mov %0, #0\n\t"
                         ".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,"
                         "32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63\n\t"
                         "tbz %1, #\\n, 1f\n\t"
                         "orr %0, %0, #(1 << \\n)\n"
                         "1:\n\t"
                         ".endr"
                         : "=&r"(set) : "r"(vals[i]));
        __asm__ volatile("mov %0, #0\n\t"
                         ".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,"
                         "32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63\n\t"
                         "tbnz %1, #\\n, 1f\n\t"
                         "orr %0, %0, #(1 << \\n)\n"
                         "1:\n\t"
                         ".endr"
                         : "=&r"(clr) : "r"(vals[i]));
        check("tbz", set, vals[i]);
        check("tbnz", clr, ~vals[i]);
        u64 w;
        __asm__ volatile("mov %w0, #0\n\t"
                         ".irp n,0,1,5,17,30,31\n\t"
                         "tbnz %w1, #\\n, 1f\n\t"
                         "orr %w0, %w0, #(1 << \\n)\n"
                         "1:\n\t"
                         ".endr"
                         : "=&r"(w) : "r"(vals[i]));
        print("tbz/tbnz ");
        print_hex(set);
        print_char(' ');
        print_hex32((u32)w);
        nl();
    }
}

/* ---- calls ---- */
static __attribute__((noinline)) u64 f_add(u64 a, u64 b) { return a + b; }
static __attribute__((noinline)) u64 f_sub(u64 a, u64 b) { return a - b; }
static __attribute__((noinline)) u64 f_mul(u64 a, u64 b) { return a * b; }
static __attribute__((noinline)) u64 f_xor(u64 a, u64 b) { return a ^ (b << 3); }
static u64 (*const volatile fptrs[4])(u64, u64) = { f_add, f_sub, f_mul, f_xor };

static void calls(void)
{
    u64 acc = 1;
    for (int i = 0; i < 64; i++)
        acc = fptrs[i & 3](acc, (u64)i * 0x9e3779b9);   /* blr */
    put_hex("blr_chain", acc);

    /* bl sets x30 to the address of the following instruction */
    u64 lr, target;
    __asm__ volatile("mov x9, x30\n\t"
                     "bl 1f\n"
                     "1: mov %0, x30\n\t"
                     "adr %1, 1b\n\t"
                     "mov x30, x9\n\t"
                     : "=&r"(lr), "=&r"(target) : : "x9", "x30");
    check("bl_lr", lr - target, 0);

    /* br and ret through other registers, blr to a local label */
    u64 r;
    __asm__ volatile("mov %0, #1\n\t"
                     "adr x9, 1f\n\t"
                     "br x9\n\t"
                     "mov %0, #100\n"
                     "1: adr x10, 2f\n\t"
                     "ret x10\n\t"
                     "mov %0, #200\n"
                     "2: add %0, %0, #2\n\t"
                     "mov x11, x30\n\t"
                     "adr x12, 3f\n\t"
                     "blr x12\n\t"
                     "add %0, %0, #8\n\t"
                     "b 4f\n"
                     "3: add %0, %0, #4\n\t"
                     "ret\n"
                     "4: mov x30, x11\n\t"
                     : "=&r"(r) : : "x9", "x10", "x11", "x12", "x30");
    check("br_ret_blr", r, 15);
    put_dec("br_ret_blr", (s64)r);
}

/* far branches over a 256 KiB gap of permanently undefined instructions */
static u64 far_branches(u64 x)
{
    u64 r = 0;
    __asm__ volatile("cmp %1, #0\n\t"
                     "cbz %1, 1f\n\t"
                     "b.ne 2f\n"
                     "1: mov %0, #1\n\t"
                     "b 3f\n\t"
                     ".rept 65536\n\t"
                     "udf #0\n\t"
                     ".endr\n"
                     "2: mov %0, #2\n\t"
                     "b 3f\n\t"
                     ".rept 1024\n\t"
                     "udf #1\n\t"
                     ".endr\n"
                     "3: bl 4f\n\t"
                     "b 5f\n"
                     "4: add %0, %0, #16\n\t"
                     "ret\n"
                     "5:\n\t"
                     : "+&r"(r) : "r"(x) : "x30", "cc");
    return r;
}

/* computed goto */
static u64 computed_goto(unsigned n)
{
    static void *const labels[] = { &&l0, &&l1, &&l2, &&l3 };
    u64 acc = 0;
    unsigned i = 0;
next:
    if (i >= n)
        return acc;
    goto *labels[(i * 7 + (unsigned)acc) & 3];
l0: acc = acc * 3 + 1; i++; goto next;
l1: acc ^= acc << 5; i++; goto next;
l2: acc += 0x1234; i++; goto next;
l3: acc = (acc >> 3) | (acc << 61); i++; goto next;
}

/* a dense switch: gcc emits a jump table (adr + ldrb/ldrh + add + br) */
static __attribute__((noinline)) u64 sw(u64 x, u64 v)
{
    switch (x) {
    case 0: return v + 1;
    case 1: return v * 3;
    case 2: return v ^ 0xff;
    case 3: return v << 4;
    case 4: return v >> 2;
    case 5: return ~v;
    case 6: return v - 77;
    case 7: return v * v;
    case 8: return v | 0x8000;
    case 9: return v & 0xf0f0f0f0;
    case 10: return v + (v >> 7);
    case 11: return 0x1111;
    case 13: return v * 13;
    case 14: return v / 3;
    case 15: return v % 1000;
    default: return v + x;
    }
}

/* ---- recursion ---- */
static __attribute__((noinline)) u64 ack(u64 m, u64 n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

static __attribute__((noinline)) u64 fib(u64 n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static u64 hanoi_moves, hanoi_hash;
static __attribute__((noinline)) void hanoi(int n, int from, int to, int via)
{
    if (n == 0)
        return;
    hanoi(n - 1, from, via, to);
    hanoi_moves++;
    hanoi_hash = mix(hanoi_hash, (u64)(from * 3 + to));
    hanoi(n - 1, via, to, from);
}

static __attribute__((noinline)) int is_odd(unsigned n);
static __attribute__((noinline)) int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static __attribute__((noinline)) int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

int main(void)
{
    cond_branches();
    compare_branches();
    calls();
    put_dec("far_branch_0", (s64)far_branches(0));
    put_dec("far_branch_1", (s64)far_branches(1));
    put_hex("computed_goto", computed_goto(1000));

    u64 h = HASH_INIT;
    for (u64 x = 0; x < 20; x++)
        for (u64 v = 0; v < 50; v++)
            h = mix(h, sw(x, v * 0x01010101 + x));
    put_hex("switch", h);

    u64 a = ack(2, 3);
    put_dec("ack(2,3)", (s64)a);
    put_dec("ack(3,4)", (s64)ack(3, 4));
    put_dec("fib(22)", (s64)fib(22));
    hanoi_hash = HASH_INIT;
    hanoi(12, 0, 2, 1);
    put_dec("hanoi moves", (s64)hanoi_moves);
    put_hex("hanoi hash", hanoi_hash);
    put_dec("is_even(1001)", is_even(1001));
    put_dec("is_odd(777)", is_odd(777));
    put_dec("failures", rt_failures);
    return rt_failures ? 100 + rt_failures : (int)a;
}

/*
 * fs_c11: compiler-generated atomics (__atomic builtins) on 8/16/32/64-bit
 * objects with every memory order: fetch_add/sub/and/or/xor/nand,
 * add_fetch..., exchange, compare_exchange strong and weak (success and
 * failure), load/store, test_and_set/clear and fences.
 *
 * The same source is built twice: fs_c11 with -march=armv8.1-a (gcc emits
 * LSE instructions: ldadd*, ldclr*, ldset*, ldeor*, swp*, cas*) and
 * fs_c11_llsc with -march=armv8-a -mno-outline-atomics (gcc emits
 * ldxr/stxr, ldaxr/stlxr loops).  Both must print exactly the same output.
 */
#include "rt.h"

static const u64 vals[] = {
    0, 1, 3, 0x7f, 0x80, 0xff, 0xfff0, 0x8001, 0x7fffffff, 0x80000000,
    0xfffffffe, 0x123456789abcdef0, 0x8000000000000000, 0xffffffffffffffff,
};
#define NVALS (sizeof(vals) / sizeof(vals[0]))

#define TEST_TYPE(T, tname) \
static u64 test_##tname(void) \
{ \
    static T obj[4]; \
    u64 h = HASH_INIT; \
    for (unsigned i = 0; i < NVALS; i++) { \
        for (unsigned j = 0; j < NVALS; j++) { \
            T a = (T)vals[i], b = (T)vals[j]; \
            T *p = &obj[(i + j) & 3]; \
            __atomic_store_n(p, a, __ATOMIC_RELAXED); \
            h = mix(h, (u64)__atomic_fetch_add(p, b, __ATOMIC_RELAXED)); \
            h = mix(h, (u64)__atomic_fetch_sub(p, (T)(b >> 1), __ATOMIC_ACQUIRE)); \
            h = mix(h, (u64)__atomic_fetch_and(p, (T)~b, __ATOMIC_RELEASE)); \
            h = mix(h, (u64)__atomic_fetch_or(p, b, __ATOMIC_ACQ_REL)); \
            h = mix(h, (u64)__atomic_fetch_xor(p, (T)(a * 3), __ATOMIC_SEQ_CST)); \
            h = mix(h, (u64)__atomic_fetch_nand(p, b, __ATOMIC_SEQ_CST)); \
            h = mix(h, (u64)__atomic_add_fetch(p, a, __ATOMIC_SEQ_CST)); \
            h = mix(h, (u64)__atomic_and_fetch(p, (T)(b | 0x55), __ATOMIC_ACQUIRE)); \
            h = mix(h, (u64)__atomic_exchange_n(p, (T)(a ^ b), __ATOMIC_ACQ_REL)); \
            T expect = (j & 1) ? (T)(a ^ b) : b; \
            int ok = __atomic_compare_exchange_n(p, &expect, (T)(a + 7), 0, \
                                                 __ATOMIC_SEQ_CST, __ATOMIC_RELAXED); \
            h = mix(mix(h, (u64)ok), (u64)expect); \
            expect = __atomic_load_n(p, __ATOMIC_ACQUIRE); \
            while (!__atomic_compare_exchange_n(p, &expect, (T)(expect * 5 + 1), 1, \
                                                __ATOMIC_RELEASE, __ATOMIC_RELAXED)) \
                ; \
            h = mix(h, (u64)__atomic_load_n(p, __ATOMIC_SEQ_CST)); \
            __atomic_thread_fence(__ATOMIC_SEQ_CST); \
        } \
    } \
    return h; \
}
TEST_TYPE(u8, u8)
TEST_TYPE(u16, u16)
TEST_TYPE(u32, u32)
TEST_TYPE(u64, u64)

/* signed min/max via a CAS loop */
static s32 atomic_max_s32(s32 *p, s32 v)
{
    s32 cur = __atomic_load_n(p, __ATOMIC_RELAXED);
    while (cur < v && !__atomic_compare_exchange_n(p, &cur, v, 1, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
        ;
    return cur;
}

int main(void)
{
    put_hex("atomic_u8", test_u8());
    put_hex("atomic_u16", test_u16());
    put_hex("atomic_u32", test_u32());
    put_hex("atomic_u64", test_u64());

    static s32 m;
    u64 h = HASH_INIT;
    for (unsigned i = 0; i < NVALS; i++)
        h = mix(h, (u64)(u32)atomic_max_s32(&m, (s32)vals[i]));
    h = mix(h, (u64)(u32)m);
    put_hex("atomic_max", h);

    static u8 flag;
    int a = __atomic_test_and_set(&flag, __ATOMIC_ACQUIRE);
    int b = __atomic_test_and_set(&flag, __ATOMIC_ACQUIRE);
    __atomic_clear(&flag, __ATOMIC_RELEASE);
    int c = __atomic_test_and_set(&flag, __ATOMIC_SEQ_CST);
    put_dec("test_and_set", a * 100 + b * 10 + c);
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    return 0;
}

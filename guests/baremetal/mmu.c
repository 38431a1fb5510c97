/*
 * mmu: stage-1 translation at EL1&0 with a 4 KiB granule.
 *
 * TTBR0 (T0SZ = 25, 39-bit VA, walk starts at level 1):
 *   0x00000000-0x3fffffff  level-2 table: the UART's 2 MiB as Device-nGnRnE
 *   0x40000000-0x401fffff  level-3 table, 4 KiB pages: image text+rodata
 *                          read-only (EL1 and EL0), executable; everything
 *                          else RW at EL1 only, execute-never
 *   0x40200000-0x7fffffff  2 MiB blocks, Normal WB, RW at EL1, XN
 *   TEST_VA (0x10_0000_0000) a level-2 and a level-3 table with test pages
 * TTBR1 (T1SZ = 25): 0xffffff80_40000000 aliases the RAM level-2 table.
 *
 * Faults are recorded by the exception hooks and printed afterwards. The
 * printed values are fixed VAs, ESRs and data words, never physical
 * addresses of the image (those depend on code layout).
 */
#include "rt.h"
#include "uart.h"

#define PTE_VALID (1UL << 0)
#define PTE_TABLE (3UL << 0)  /* level 1/2 table descriptor */
#define PTE_PAGE (3UL << 0)   /* level 3 page descriptor */
#define PTE_BLOCK (1UL << 0)  /* level 1/2 block descriptor */
#define PTE_ATTR(i) ((u64)(i) << 2)
#define PTE_AP_EL1_RW (0UL << 6)
#define PTE_AP_ALL_RW (1UL << 6)
#define PTE_AP_EL1_RO (2UL << 6)
#define PTE_AP_ALL_RO (3UL << 6)
#define PTE_SH_IS (3UL << 8)
#define PTE_AF (1UL << 10)
#define PTE_PXN (1UL << 53)
#define PTE_UXN (1UL << 54)
#define PTE_XN (PTE_PXN | PTE_UXN)

#define ATTR_DEVICE 0
#define ATTR_NORMAL 1
#define MAIR_VALUE 0x44FF00UL

#define NORMAL (PTE_ATTR(ATTR_NORMAL) | PTE_SH_IS | PTE_AF)
#define DEVICE (PTE_ATTR(ATTR_DEVICE) | PTE_AF)

/* T0SZ=25, IRGN0/ORGN0 = WBWA, SH0 = IS, TG0 = 4K, T1SZ=25, IRGN1/ORGN1 =
 * WBWA, SH1 = IS, TG1 = 4K, IPS = 36 bits */
#define TCR_VALUE (25UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | (0UL << 14) | \
                   (25UL << 16) | (1UL << 24) | (1UL << 26) | (3UL << 28) | (2UL << 30) | \
                   (1UL << 32))

#define SCTLR_M (1UL << 0)
#define SCTLR_C (1UL << 2)
#define SCTLR_I (1UL << 12)
#define SCTLR_WXN (1UL << 19)

#define TTBR1_BASE 0xFFFFFF8000000000UL
#define TEST_VA 0x0000001000000000UL  /* level-1 index 64 */
#define PAGE(i) (TEST_VA + (u64)(i) * 0x1000)
#define VA_UNMAPPED_L1 0x0000001040000000UL /* level-1 index 65: invalid */
#define VA_UNMAPPED_L2 (TEST_VA + 0x200000) /* level-2 index 1: invalid */
#define VA_UNMAPPED_L3 PAGE(12)             /* level-3 index 12: invalid */
#define VA_OUT_OF_RANGE 0x0000800000000000UL /* neither TTBR0 nor TTBR1 range */

/* test pages (level-3 index in the TEST_VA table) */
enum {
    P_RW = 0,      /* EL1 RW, XN */
    P_RO = 1,      /* EL1 RO */
    P_NOAF = 2,    /* AF = 0 */
    P_USER = 3,    /* EL0 RW (AP=01), XN */
    P_USTACK = 4,  /* EL0 stack, EL0 RW, XN */
    P_X_PXN = 5,   /* code alias: RO all, PXN */
    P_X_UXN = 6,   /* code alias: RO all, UXN */
    P_X_RW = 7,    /* code alias: EL1 RW, PXN = 0 (executable unless WXN) */
    P_X_EL0W = 8,  /* code alias: EL0 RW, PXN = 0 (implicitly PXN) */
    P_REMAP = 9,   /* remapped between three data pages */
};

static u64 l1_lo[512] __attribute__((aligned(4096)));
static u64 l1_hi[512] __attribute__((aligned(4096)));
static u64 l2_dev[512] __attribute__((aligned(4096)));
static u64 l2_ram[512] __attribute__((aligned(4096)));
static u64 l3_img[512] __attribute__((aligned(4096)));
static u64 l2_test[512] __attribute__((aligned(4096)));
static u64 l3_test[512] __attribute__((aligned(4096)));
static volatile u64 tpage[8][512] __attribute__((aligned(4096)));

static volatile u64 alias_word = 0x1122334455667788UL;

extern char __image_start[], __ro_end[], __image_end[];
extern char xn_probe[], el0_mmu_code[], el0_ld_site[];

/* xn_probe: returns 0x77 in x0; 64-byte aligned so it never straddles a page */
__asm__(".text\n"
        ".balign 64\n"
        ".global xn_probe\n"
        "xn_probe:\n\t"
        "mov x0, #0x77\n\t"
        "ret\n");

/*
 * EL0 code. x0 = user page VA holding [0] an EL1-only VA, [8] the PXN
 * alias of xn_probe, [16] the UXN alias. Results go to [24..56].
 */
__asm__(".text\n"
        ".balign 4\n"
        ".global el0_mmu_code\n"
        "el0_mmu_code:\n\t"
        "mov x19, x0\n\t"
        "ldr x9, [x19, #0]\n\t"
        "ldr x10, [x19, #8]\n\t"
        "ldr x11, [x19, #16]\n\t"
        "mov x1, #0xdead\n"
        ".global el0_ld_site\n"
        "el0_ld_site:\n\t"
        "ldr x1, [x9]\n\t"          /* EL1-only page: permission fault, skipped */
        "str x1, [x19, #24]\n\t"
        "mov x2, #0x600d\n\t"
        "str x2, [x19, #32]\n\t"    /* user page: works */
        "ldr x3, [x19, #32]\n\t"
        "str x3, [x19, #40]\n\t"
        "mov x0, #0xbad\n\t"
        "blr x10\n\t"               /* PXN alias: executable at EL0 */
        "str x0, [x19, #48]\n\t"
        "mov x0, #0xbad\n\t"
        "blr x11\n\t"               /* UXN alias: instruction abort, resumes at LR */
        "str x0, [x19, #56]\n\t"
        "svc #0xee\n\t"
        "b .\n");

/* ---- exception recording ---- */

struct rec {
    unsigned vec;
    u64 esr, far, elr;
};
static volatile struct rec recs[16];
static volatile unsigned nrec;
static volatile unsigned af_fixes;

#define EC(esr) (((esr) >> 26) & 0x3f)
#define FSC(esr) ((esr) & 0x3f)

static u64 *pte_for_test_va(u64 va) { return &l3_test[(va - TEST_VA) >> 12]; }

static void tlbi_va(u64 va) {
    dsb(ishst);
    __asm__ volatile("tlbi vae1, %0" : : "r"((va >> 12) & 0xfffffffffffUL) : "memory");
    dsb(ish);
    isb();
}

static void tlbi_all(void) {
    dsb(ishst);
    __asm__ volatile("tlbi vmalle1" ::: "memory");
    dsb(ish);
    isb();
}

static int sync_hook(struct rt_frame *f, unsigned vec, u64 esr, u64 far) {
    if (nrec < 16) {
        recs[nrec].vec = vec;
        recs[nrec].esr = esr;
        recs[nrec].far = far;
        recs[nrec].elr = f->elr;
    }
    nrec++;
    unsigned ec = EC(esr);
    if (vec == VEC_LOW64_SYNC) {
        if (ec == 0x15 && (esr & 0xffff) == 0xee)
            rt_el0_exit(f, 0);
        else if (ec == 0x20)
            f->elr = f->x[30]; /* instruction abort after BLR: return */
        else
            f->elr += 4;
        return 1;
    }
    if (vec != VEC_CUR_SPX_SYNC)
        return 0;
    if (ec == 0x25 && FSC(esr) == 0x0b && far >= TEST_VA && far < TEST_VA + 0x200000) {
        /* access flag fault: set AF and retry the access */
        *pte_for_test_va(far) |= PTE_AF;
        tlbi_va(far);
        af_fixes++;
        return 1;
    }
    if (ec == 0x21) {
        f->elr = f->x[30]; /* instruction abort after BLR: return */
        return 1;
    }
    if (ec == 0x25) {
        f->elr += 4;
        return 1;
    }
    return 0;
}

/* ---- probes ---- */

static u64 rd(u64 va, u64 dflt) {
    u64 v = dflt;
    __asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(va) : "memory");
    return v;
}

static void wr(u64 va, u64 v) { __asm__ volatile("str %0, [%1]" : : "r"(v), "r"(va) : "memory"); }

/* call code at addr (an alias of xn_probe); 0x77 if it ran, 0xbad if not */
static u64 exec_at(u64 addr) {
    register u64 x0 __asm__("x0") = 0xbad;
    __asm__ volatile("blr %1" : "+r"(x0) : "r"(addr) : "x30", "memory");
    return x0;
}

static u64 probe_alias(unsigned page) { return PAGE(page) + ((u64)xn_probe & 0xfff); }

static void begin(const char *name) {
    put_str("== ");
    put_str(name);
    put_nl();
    nrec = 0;
    barrier();
}

static void show_fault(unsigned i) {
    volatile struct rec *r = &recs[i];
    put_kv_hex("  vector offset ", r->vec * 0x80);
    put_str(" ESR ");
    put_hexw(r->esr, 8);
    put_kv_hex(" EC ", EC(r->esr));
    put_kv_hex(" FSC ", FSC(r->esr));
    if (EC(r->esr) == 0x24 || EC(r->esr) == 0x25)
        put_kv_hex(" WnR ", (r->esr >> 6) & 1);
    put_nl();
}

static void show_far(unsigned i) {
    put_kv_hex("  FAR ", recs[i].far);
    put_nl();
}

static void show_count(void) {
    put_kv_dec("  exceptions taken ", nrec);
    put_nl();
}

static u64 par_of(u64 va) {
    __asm__ volatile("at s1e1r, %0" : : "r"(va) : "memory");
    isb();
    return read_sysreg(par_el1);
}

/* ---- setup ---- */

static void build_tables(void) {
    u64 img = (u64)__image_start, ro_end = (u64)__ro_end;

    /* level-3 for 0x40000000..0x401fffff */
    for (u64 i = 0; i < 512; i++) {
        u64 pa = VIRT_RAM_BASE + i * 0x1000;
        if (pa >= img && pa < ro_end)
            l3_img[i] = pa | PTE_PAGE | NORMAL | PTE_AP_ALL_RO; /* text: RX EL1 and EL0 */
        else
            l3_img[i] = pa | PTE_PAGE | NORMAL | PTE_AP_EL1_RW | PTE_XN;
    }
    l2_ram[0] = (u64)l3_img | PTE_TABLE;
    for (u64 i = 1; i < 512; i++)
        l2_ram[i] = (VIRT_RAM_BASE + i * 0x200000) | PTE_BLOCK | NORMAL | PTE_AP_EL1_RW | PTE_XN;

    l2_dev[VIRT_UART_BASE >> 21] = (VIRT_UART_BASE & ~0x1fffffUL) | PTE_BLOCK | DEVICE | PTE_XN;

    /* test region */
    u64 code_page = (u64)xn_probe & ~0xfffUL;
    l3_test[P_RW] = (u64)tpage[0] | PTE_PAGE | NORMAL | PTE_AP_EL1_RW | PTE_XN;
    l3_test[P_RO] = (u64)tpage[1] | PTE_PAGE | NORMAL | PTE_AP_EL1_RO | PTE_XN;
    l3_test[P_NOAF] = ((u64)tpage[2] | PTE_PAGE | NORMAL | PTE_AP_EL1_RW | PTE_XN) & ~PTE_AF;
    l3_test[P_USER] = (u64)tpage[3] | PTE_PAGE | NORMAL | PTE_AP_ALL_RW | PTE_XN;
    l3_test[P_USTACK] = (u64)tpage[4] | PTE_PAGE | NORMAL | PTE_AP_ALL_RW | PTE_XN;
    l3_test[P_X_PXN] = code_page | PTE_PAGE | NORMAL | PTE_AP_ALL_RO | PTE_PXN;
    l3_test[P_X_UXN] = code_page | PTE_PAGE | NORMAL | PTE_AP_ALL_RO | PTE_UXN;
    l3_test[P_X_RW] = code_page | PTE_PAGE | NORMAL | PTE_AP_EL1_RW | PTE_UXN;
    l3_test[P_X_EL0W] = code_page | PTE_PAGE | NORMAL | PTE_AP_ALL_RW | PTE_UXN;
    l3_test[P_REMAP] = (u64)tpage[5] | PTE_PAGE | NORMAL | PTE_AP_EL1_RW | PTE_XN;
    l2_test[0] = (u64)l3_test | PTE_TABLE;

    l1_lo[0] = (u64)l2_dev | PTE_TABLE;
    l1_lo[1] = (u64)l2_ram | PTE_TABLE;
    l1_lo[TEST_VA >> 30] = (u64)l2_test | PTE_TABLE;
    l1_hi[1] = (u64)l2_ram | PTE_TABLE; /* 0xffffff80_40000000 -> RAM */
}

static void mmu_enable(void) {
    /* tables were written with the MMU off (non-cacheable); drop any stale
     * cache lines before the cacheable walks start */
    u64 *const tables[] = { l1_lo, l1_hi, l2_dev, l2_ram, l3_img, l2_test, l3_test };
    u64 line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf); /* CTR_EL0.DminLine */
    for (unsigned t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
        for (u64 a = (u64)tables[t]; a < (u64)tables[t] + 4096; a += line)
            __asm__ volatile("dc ivac, %0" : : "r"(a) : "memory");
    dsb(sy);
    write_sysreg(mair_el1, MAIR_VALUE);
    write_sysreg(tcr_el1, TCR_VALUE);
    write_sysreg(ttbr0_el1, (u64)l1_lo);
    write_sysreg(ttbr1_el1, (u64)l1_hi);
    isb();
    __asm__ volatile("tlbi vmalle1" ::: "memory");
    dsb(nsh);
    isb();
    write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | SCTLR_M | SCTLR_C | SCTLR_I);
    isb();
}

/* ---- tests ---- */

static void test_basic(void) {
    begin("MMU on: identity map, TTBR1 alias");
    u64 sctlr = read_sysreg(sctlr_el1);
    put_kv_hex("  SCTLR_EL1.M/C/I ", sctlr & (SCTLR_M | SCTLR_C | SCTLR_I));
    put_nl();
    check((sctlr & (SCTLR_M | SCTLR_C | SCTLR_I)) == (SCTLR_M | SCTLR_C | SCTLR_I), "mmu: M, C, I set");
    u64 alias = (u64)&alias_word + TTBR1_BASE;
    u64 v = rd(alias, 0);
    put_kv_hex("  read via TTBR1 alias ", v);
    put_nl();
    check(v == 0x1122334455667788UL, "ttbr1: alias reads the same data");
    wr(alias, 0x8877665544332211UL);
    dsb(ish);
    put_kv_hex("  identity read after alias write ", alias_word);
    put_nl();
    check(alias_word == 0x8877665544332211UL, "ttbr1: alias write visible through the identity map");
    show_count();
    check(nrec == 0, "ttbr1: no faults");

    tpage[0][0] = 0xabcdef;
    v = rd(PAGE(P_RW), 0);
    put_kv_hex("  read TEST_VA page 0 ", v);
    put_nl();
    check(v == 0xabcdef, "4k page: TEST_VA page 0 maps tpage[0]");

    u64 par = par_of(PAGE(P_RW));
    put_kv_hex("  AT S1E1R page 0: PAR.F ", par & 1);
    put_kv_hex(" SH ", (par >> 7) & 3);
    put_kv_hex(" ATTR ", par >> 56);
    put_nl();
    check((par & 1) == 0 && (par & 0xfffffffff000UL) == (u64)tpage[0], "at: PAR.PA = tpage[0]");
    check((par >> 56) == 0xff, "at: PAR.ATTR = 0xff (Normal WB)");
    par = par_of(VA_UNMAPPED_L3);
    put_kv_hex("  AT S1E1R unmapped page: PAR.F ", par & 1);
    put_kv_hex(" FST ", (par >> 1) & 0x3f);
    put_nl();
    check((par & 1) == 1 && ((par >> 1) & 0x3f) == 0x07, "at: fault, FST 0x07 (translation level 3)");
}

static void test_translation_faults(void) {
    static const struct { u64 va; u64 fsc; const char *name; } t[] = {
        { VA_OUT_OF_RANGE, 0x04, "translation fault: VA outside both ranges, level 0" },
        { VA_UNMAPPED_L1, 0x05, "translation fault: level 1" },
        { VA_UNMAPPED_L2, 0x06, "translation fault: level 2" },
        { VA_UNMAPPED_L3, 0x07, "translation fault: level 3" },
    };
    for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        begin(t[i].name);
        u64 v = rd(t[i].va, 0x5a5a);
        show_count();
        show_fault(0);
        show_far(0);
        check(nrec == 1 && EC(recs[0].esr) == 0x25 && FSC(recs[0].esr) == t[i].fsc &&
              recs[0].far == t[i].va && v == 0x5a5a, t[i].name);
    }
}

static void test_permission(void) {
    begin("store to read-only page (AP = 10)");
    tpage[1][0] = 0x1111;
    wr(PAGE(P_RO), 0x2222);
    show_count();
    show_fault(0);
    show_far(0);
    check(nrec == 1 && recs[0].esr == 0x9600004f, "permission fault: ESR 0x9600004f (EC 0x25, WnR, FSC 0x0f)");
    check(recs[0].far == PAGE(P_RO), "permission fault: FAR");
    check(rd(PAGE(P_RO), 0) == 0x1111, "permission fault: read-only page still readable, unchanged");

    begin("load from page with AF = 0");
    tpage[2][1] = 0x4242;
    u64 v = rd(PAGE(P_NOAF) + 8, 0);
    show_count();
    show_fault(0);
    show_far(0);
    put_kv_hex("  value after setting AF and retrying ", v);
    put_nl();
    check(nrec == 1 && recs[0].esr == 0x9600000b, "access flag fault: ESR 0x9600000b (FSC 0x0b, level 3)");
    check(recs[0].far == PAGE(P_NOAF) + 8 && v == 0x4242, "access flag fault: FAR, retried load reads the data");
}

static void test_el0(void) {
    begin("EL0: EL1-only page, user page, PXN alias, UXN alias");
    volatile u64 *u = tpage[3];
    u[0] = PAGE(P_RW);
    u[1] = probe_alias(P_X_PXN);
    u[2] = probe_alias(P_X_UXN);
    rt_enter_el0((void (*)(u64))el0_mmu_code, PAGE(P_USER), PAGE(P_USTACK) + 0x1000);
    show_count();
    check(nrec == 3, "el0: three exceptions (data abort, instruction abort, exit SVC)");
    show_fault(0);
    show_far(0);
    check(recs[0].vec == VEC_LOW64_SYNC && recs[0].esr == 0x9200000f,
          "el0 load from EL1-only page: vector 0x400, ESR 0x9200000f (EC 0x24, FSC 0x0f)");
    check(recs[0].far == PAGE(P_RW) && recs[0].elr == (u64)el0_ld_site, "el0 load: FAR, ELR at the load");
    put_kv_hex("  EL0 load result (skipped) ", u[3]);
    put_kv_hex(" user page write/read ", u[5]);
    put_kv_hex(" PXN alias call ", u[6]);
    put_kv_hex(" UXN alias call ", u[7]);
    put_nl();
    check(u[3] == 0xdead, "el0 load: destination register unchanged");
    check(u[5] == 0x600d, "el0: user page (AP = 01) read/write works");
    check(u[6] == 0x77, "el0: PXN-only page executes at EL0");
    check(u[7] == 0xbad, "el0: UXN page does not execute at EL0");
    show_fault(1);
    check(recs[1].vec == VEC_LOW64_SYNC && recs[1].esr == 0x8200000f,
          "el0 exec UXN: vector 0x400, ESR 0x8200000f (EC 0x20, IFSC 0x0f)");
    check(recs[1].far == probe_alias(P_X_UXN) && recs[1].elr == probe_alias(P_X_UXN),
          "el0 exec UXN: FAR = ELR = target");
}

static void test_el1_exec(void) {
    begin("EL1: execute from UXN alias (allowed), PXN alias, EL0-writable alias");
    u64 r1 = exec_at(probe_alias(P_X_UXN));
    u64 r2 = exec_at(probe_alias(P_X_PXN));
    u64 r3 = exec_at(probe_alias(P_X_EL0W));
    show_count();
    put_kv_hex("  UXN alias ", r1);
    put_kv_hex(" PXN alias ", r2);
    put_kv_hex(" EL0-writable alias ", r3);
    put_nl();
    check(r1 == 0x77, "el1: UXN-only page executes at EL1");
    check(r2 == 0xbad && r3 == 0xbad && nrec == 2, "el1: PXN page and EL0-writable page do not");
    show_fault(0);
    check(recs[0].esr == 0x8600000f && recs[0].far == probe_alias(P_X_PXN),
          "el1 exec PXN: ESR 0x8600000f (EC 0x21, IFSC 0x0f), FAR = target");
    show_fault(1);
    check(recs[1].esr == 0x8600000f && recs[1].far == probe_alias(P_X_EL0W),
          "el1 exec EL0-writable page: ESR 0x8600000f (implicit PXN)");
}

static void test_wxn(void) {
    begin("SCTLR_EL1.WXN: writable page becomes execute-never");
    u64 r1 = exec_at(probe_alias(P_X_RW));
    write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | SCTLR_WXN);
    isb();
    tlbi_all(); /* WXN may be cached in TLB entries */
    u64 r2 = exec_at(probe_alias(P_X_RW));
    u64 r3 = exec_at(probe_alias(P_X_UXN)); /* read-only: still executable */
    write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) & ~SCTLR_WXN);
    isb();
    tlbi_all();
    u64 r4 = exec_at(probe_alias(P_X_RW));
    show_count();
    put_kv_hex("  RW alias WXN=0 ", r1);
    put_kv_hex(" WXN=1 ", r2);
    put_kv_hex(" RO alias WXN=1 ", r3);
    put_kv_hex(" RW alias WXN=0 again ", r4);
    put_nl();
    check(r1 == 0x77 && r4 == 0x77, "wxn=0: EL1-writable page executes");
    check(r2 == 0xbad && r3 == 0x77 && nrec == 1, "wxn=1: writable page faults, read-only page executes");
    show_fault(0);
    check(recs[0].esr == 0x8600000f && recs[0].far == probe_alias(P_X_RW), "wxn: ESR 0x8600000f, FAR = target");
}

static void test_remap(void) {
    begin("change a PTE: TLBI VAE1, TLBI VMALLE1, break");
    tpage[5][0] = 0xaaaa;
    tpage[6][0] = 0xbbbb;
    tpage[7][0] = 0xcccc;
    u64 *pte = pte_for_test_va(PAGE(P_REMAP));
    u64 attrs = PTE_PAGE | NORMAL | PTE_AP_EL1_RW | PTE_XN;
    u64 a = rd(PAGE(P_REMAP), 0); /* the translation may now be cached */
    *pte = (u64)tpage[6] | attrs;
    tlbi_va(PAGE(P_REMAP));
    u64 b = rd(PAGE(P_REMAP), 0);
    *pte = (u64)tpage[7] | attrs;
    tlbi_all();
    u64 c = rd(PAGE(P_REMAP), 0);
    *pte = 0;
    tlbi_va(PAGE(P_REMAP));
    u64 d = rd(PAGE(P_REMAP), 0x5a5a);
    show_count();
    put_kv_hex("  before ", a);
    put_kv_hex(" after VAE1 ", b);
    put_kv_hex(" after VMALLE1 ", c);
    put_kv_hex(" after invalidating the PTE ", d);
    put_nl();
    check(a == 0xaaaa && b == 0xbbbb && c == 0xcccc, "remap: new mapping used after TLBI");
    show_fault(0);
    check(nrec == 1 && recs[0].esr == 0x96000007 && d == 0x5a5a, "remap: invalid PTE faults, FSC 0x07");
}

int main(void) {
    put_str("mmu: stage 1 translation, 4 KiB granule\n");
    rt_sync_hook = sync_hook;
    if ((u64)__image_end > VIRT_RAM_BASE + 0x200000) {
        check(0, "image fits in the first 2 MiB of RAM");
        return 0;
    }
    build_tables();
    mmu_enable();
    test_basic();
    test_translation_faults();
    test_permission();
    test_el0();
    test_el1_exec();
    test_wxn();
    test_remap();
    return 0;
}

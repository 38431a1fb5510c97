/*
 * exceptions: synchronous exceptions at EL1 and from EL0, MMU off.
 * Every exception is recorded by the hook (vector, ESR, FAR, ELR, SPSR) and
 * printed afterwards from the main flow; addresses in the image are printed
 * relative to a label at the faulting site, so the output does not depend on
 * code layout.
 */
#include "rt.h"
#include "uart.h"

#define EC(esr) (((esr) >> 26) & 0x3f)
#define ISS(esr) ((esr) & 0x1ffffff)

/* An address QEMU virt leaves unassigned: between the virtio-mmio transports
 * (0x0a000000..0x0a003fff) and the platform bus (0x0c000000). */
#define UNASSIGNED_PA 0x0A100000UL

enum action { ACT_SKIP, ACT_RESUME_LR, ACT_NONE };

struct rec {
    unsigned vec;
    u64 esr, far, elr, spsr;
};

static volatile struct rec recs[16];
static volatile unsigned nrec;
static volatile enum action action;

static int sync_hook(struct rt_frame *f, unsigned vec, u64 esr, u64 far) {
    if (nrec < 16) {
        volatile struct rec *r = &recs[nrec];
        r->vec = vec;
        r->esr = esr;
        r->far = far;
        r->elr = f->elr;
        r->spsr = f->spsr;
    }
    nrec++;
    if (vec == VEC_LOW64_SYNC) {
        /* from EL0: SVC #0xee ends the EL0 run; other SVCs return to the
         * next instruction (ELR already points past the SVC); everything
         * else is skipped */
        if (EC(esr) == 0x15 && (esr & 0xffff) == 0xee)
            rt_el0_exit(f, f->x[1]);
        else if (EC(esr) != 0x15)
            f->elr += 4;
        return 1;
    }
    if (vec != VEC_CUR_SPX_SYNC)
        return 0;
    switch (action) {
    case ACT_SKIP: f->elr += 4; break;
    case ACT_RESUME_LR: f->elr = f->x[30]; break;
    case ACT_NONE: break;
    }
    return 1;
}

static void put_off(const char *label, u64 v, u64 base) {
    put_str(label);
    put_str("site");
    if (v >= base) {
        put_str("+");
        put_hex(v - base);
    } else {
        put_str("-");
        put_hex(base - v);
    }
}

/* print record i: vector offset, full ESR with EC/ISS, ELR relative to site */
static void show(unsigned i, u64 site) {
    volatile struct rec *r = &recs[i];
    put_kv_hex("  vector offset ", r->vec * 0x80);
    put_str(" ESR ");
    put_hexw(r->esr, 8);
    put_kv_hex(" EC ", EC(r->esr));
    put_kv_hex(" IL ", (r->esr >> 25) & 1);
    put_kv_hex(" ISS ", ISS(r->esr));
    put_off(" ELR ", r->elr, site);
    put_nl();
}

static void show_spsr(unsigned i) {
    u64 s = recs[i].spsr;
    put_kv_hex("  SPSR ", s);
    put_kv_hex(" M ", s & 0x1f);
    put_kv_hex(" DAIF ", (s >> 6) & 0xf);
    put_kv_hex(" NZCV ", (s >> 28) & 0xf);
    put_nl();
}

static void begin(const char *name, enum action a) {
    put_str("== ");
    put_str(name);
    put_nl();
    action = a;
    nrec = 0;
    barrier();
}

static void expect_one(const char *name) {
    put_kv_dec("  exceptions taken ", nrec);
    put_nl();
    check(nrec == 1, name);
}

static void test_svc(void) {
    u64 site;
    begin("SVC #0x123 at EL1", ACT_NONE);
    __asm__ volatile("adr %0, 1f\n\t"
                     "mov x9, #0x60000000\n\t"
                     "msr nzcv, x9\n"
                     "1:\tsvc #0x123"
                     : "=&r"(site) : : "x9", "cc", "memory");
    expect_one("svc: one exception");
    show(0, site);
    show_spsr(0);
    check(recs[0].vec == VEC_CUR_SPX_SYNC, "svc: vector 0x200 (current EL, SPx, sync)");
    check(EC(recs[0].esr) == 0x15 && (recs[0].esr & 0xffff) == 0x123, "svc: EC 0x15, ISS imm16 0x123");
    check(recs[0].elr == site + 4, "svc: ELR points after the SVC");
    check((recs[0].spsr & 0xf00003df) == 0x600003c5, "svc: SPSR = EL1h, DAIF masked, NZCV 0110");
}

static void test_brk(void) {
    u64 site;
    begin("BRK #0x42 at EL1", ACT_SKIP);
    __asm__ volatile("adr %0, 1f\n"
                     "1:\tbrk #0x42"
                     : "=&r"(site) : : "memory");
    expect_one("brk: one exception");
    show(0, site);
    check(EC(recs[0].esr) == 0x3c && (recs[0].esr & 0xffff) == 0x42, "brk: EC 0x3c, comment 0x42");
    check(recs[0].elr == site, "brk: ELR points at the BRK");
}

static void test_udf(void) {
    u64 site;
    begin("UDF (.inst 0x00000000) at EL1", ACT_SKIP);
    __asm__ volatile("adr %0, 1f\n"
                     "1:\t.inst 0x00000000"
                     : "=&r"(site) : : "memory");
    expect_one("udf: one exception");
    show(0, site);
    check(recs[0].esr == 0x02000000, "udf: ESR 0x02000000 (EC 0 unknown reason, IL 1)");
    check(recs[0].elr == site, "udf: ELR points at the instruction");
}

static void test_pc_align(void) {
    u64 target, ret;
    begin("BLR to target+1 (PC alignment)", ACT_RESUME_LR);
    __asm__ volatile("adr %0, 2f\n\t"
                     "adr %1, 1f\n\t"
                     "orr x9, %0, #1\n\t"
                     "blr x9\n"
                     "1:\tb 3f\n"
                     "2:\tret\n"
                     "3:"
                     : "=&r"(target), "=&r"(ret) : : "x9", "x30", "memory");
    expect_one("pc alignment: one exception");
    show(0, target);
    put_off("  FAR ", recs[0].far, target);
    put_nl();
    check(recs[0].esr == 0x8a000000, "pc alignment: ESR 0x8a000000 (EC 0x22)");
    check(recs[0].far == target + 1, "pc alignment: FAR = misaligned target");
    check(recs[0].elr == target + 1, "pc alignment: ELR = misaligned target");
    (void)ret;
}

static void test_ext_abort(void) {
    u64 site, val = 0x1234;
    begin("LDR from unassigned PA 0x0a100000 (MMU off)", ACT_SKIP);
    __asm__ volatile("adr %0, 1f\n"
                     "1:\tldr %1, [%2]"
                     : "=&r"(site), "+r"(val) : "r"(UNASSIGNED_PA) : "memory");
    expect_one("load abort: one exception");
    show(0, site);
    put_kv_hex("  FAR ", recs[0].far);
    put_kv_hex(" DFSC ", recs[0].esr & 0x3f);
    put_kv_hex(" WnR ", (recs[0].esr >> 6) & 1);
    put_kv_hex(" EA ", (recs[0].esr >> 9) & 1);
    put_kv_hex(" ISV ", (recs[0].esr >> 24) & 1);
    put_nl();
    check(EC(recs[0].esr) == 0x25, "load abort: EC 0x25 (data abort, same EL)");
    check((recs[0].esr & 0x3f) == 0x10, "load abort: DFSC 0x10 (synchronous external abort)");
    check(((recs[0].esr >> 6) & 1) == 0, "load abort: WnR 0");
    check(recs[0].far == UNASSIGNED_PA, "load abort: FAR");
    check(recs[0].elr == site, "load abort: ELR points at the load");

    begin("STR to unassigned PA 0x0a100008 (MMU off)", ACT_SKIP);
    __asm__ volatile("adr %0, 1f\n"
                     "1:\tstr %1, [%2]"
                     : "=&r"(site) : "r"(val), "r"(UNASSIGNED_PA + 8) : "memory");
    expect_one("store abort: one exception");
    show(0, site);
    put_kv_hex("  FAR ", recs[0].far);
    put_kv_hex(" DFSC ", recs[0].esr & 0x3f);
    put_kv_hex(" WnR ", (recs[0].esr >> 6) & 1);
    put_nl();
    check(EC(recs[0].esr) == 0x25 && (recs[0].esr & 0x3f) == 0x10, "store abort: EC 0x25, DFSC 0x10");
    check(((recs[0].esr >> 6) & 1) == 1, "store abort: WnR 1");
    check(recs[0].far == UNASSIGNED_PA + 8, "store abort: FAR");
}

static void test_fp(void) {
    u64 site, out = 0;
    write_sysreg(cpacr_el1, 0);
    isb();
    begin("FMOV d0, xzr with CPACR_EL1.FPEN = 0", ACT_SKIP);
    __asm__ volatile("adr %0, 1f\n"
                     "1:\t.inst 0x9e6703e0" /* fmov d0, xzr */
                     : "=&r"(site) : : "memory");
    expect_one("fp trap: one exception");
    show(0, site);
    check(recs[0].esr == 0x1fe00000, "fp trap: ESR 0x1fe00000 (EC 0x07, IL 1, CV 1, COND 0xe)");
    check(recs[0].elr == site, "fp trap: ELR points at the FP instruction");

    begin("FMOV with CPACR_EL1.FPEN = 3", ACT_SKIP);
    write_sysreg(cpacr_el1, 3UL << 20);
    isb();
    __asm__ volatile("mov x9, %1\n\t"
                     ".inst 0x9e670120\n\t" /* fmov d0, x9 */
                     ".inst 0x9e66000a\n\t" /* fmov x10, d0 */
                     "mov %0, x10"
                     : "=r"(out) : "r"(0x0123456789abcdefUL) : "x9", "x10", "memory");
    write_sysreg(cpacr_el1, 0);
    isb();
    put_kv_dec("  exceptions taken ", nrec);
    put_kv_hex(" x9 -> d0 -> x10 = ", out);
    put_nl();
    check(nrec == 0 && out == 0x0123456789abcdefUL, "fp enabled: FMOV executes");
}

/* EL0 code: x0 = unused. Sets NZCV, SVC, MRS SCTLR_EL1 (UNDEFINED at EL0),
 * WFI (trapped: SCTLR_EL1.nTWI = 0), then SVC #0xee returns x1 to EL1. */
__asm__(".text\n"
        ".balign 4\n"
        ".global el0_code\n"
        "el0_code:\n\t"
        "mov x1, #0x5a\n\t"
        "mov x9, #0x90000000\n\t"
        "msr nzcv, x9\n"
        ".global el0_svc_site\n"
        "el0_svc_site:\n\t"
        "svc #0x10\n"
        ".global el0_mrs_site\n"
        "el0_mrs_site:\n\t"
        "mrs x1, sctlr_el1\n"
        ".global el0_wfi_site\n"
        "el0_wfi_site:\n\t"
        "wfi\n\t"
        "msr nzcv, xzr\n\t"
        "svc #0xee\n\t"
        "b .\n");
extern char el0_code[], el0_svc_site[], el0_mrs_site[], el0_wfi_site[];
static u64 el0_stack[256] __attribute__((aligned(16)));

static void test_el0(void) {
    begin("ERET to EL0 (SPSR 0 = EL0t), SVC, MRS SCTLR_EL1, WFI, SVC exit", ACT_NONE);
    u64 ret = rt_enter_el0((void (*)(u64))el0_code, 0, (u64)&el0_stack[256]);
    put_kv_dec("  exceptions taken ", nrec);
    put_kv_hex(" x1 returned from EL0 ", ret);
    put_nl();
    check(nrec == 4, "el0: four exceptions");
    check(ret == 0x5a, "el0: MRS SCTLR_EL1 did not write x1");
    show(0, (u64)el0_svc_site);
    show_spsr(0);
    check(recs[0].vec == VEC_LOW64_SYNC, "el0 svc: vector 0x400 (lower EL, AArch64, sync)");
    check(recs[0].esr == 0x56000010, "el0 svc: ESR 0x56000010 (EC 0x15, imm 0x10)");
    check(recs[0].elr == (u64)el0_svc_site + 4, "el0 svc: ELR points after the SVC");
    check(recs[0].spsr == 0x90000000, "el0 svc: SPSR = EL0t, DAIF clear, NZCV 1001");
    show(1, (u64)el0_mrs_site);
    check(recs[1].vec == VEC_LOW64_SYNC && recs[1].esr == 0x02000000,
          "el0 mrs sctlr_el1: vector 0x400, ESR 0x02000000 (EC 0)");
    check(recs[1].elr == (u64)el0_mrs_site, "el0 mrs sctlr_el1: ELR points at the MRS");
    show(2, (u64)el0_wfi_site);
    check(recs[2].vec == VEC_LOW64_SYNC && recs[2].esr == 0x07e00000,
          "el0 wfi: vector 0x400, ESR 0x07e00000 (EC 0x01, IL 1, CV 1, COND 0xe, TI 0)");
    check(recs[2].elr == (u64)el0_wfi_site, "el0 wfi: ELR points at the WFI");
    show(3, (u64)el0_wfi_site + 8);
    show_spsr(3);
    check(recs[3].esr == 0x560000ee && recs[3].spsr == 0, "el0 exit svc: ESR 0x560000ee, SPSR 0");
    u64 cur = read_sysreg(CurrentEL);
    put_kv_hex("  back at EL1: CurrentEL ", cur);
    put_nl();
    check(cur == 0x4, "el0: back at EL1 after the exit SVC");
}

int main(void) {
    put_str("exceptions: synchronous exceptions at EL1 and from EL0\n");
    put_kv_hex("CurrentEL ", read_sysreg(CurrentEL));
    put_nl();
    rt_sync_hook = sync_hook;
    test_svc();
    test_brk();
    test_udf();
    test_pc_align();
    test_ext_abort();
    test_fp();
    test_el0();
    return 0;
}

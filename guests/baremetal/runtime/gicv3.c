#include "gicv3.h"
#include "uart.h"

#define GICD(off) (VIRT_GICD_BASE + (off))

static u64 rd_base[RT_MAX_CORES];

int gic_version(void) { return 3; }

static void wait_clear(u64 reg, u32 bit, const char *what) {
    for (u64 i = 0; i < 10000000UL; i++)
        if (!(mmio_read32(reg) & bit))
            return;
    rt_timeout(what);
}

static void set_prio_raw(u64 base, unsigned intid, u8 prio) {
    u64 reg = base + (intid & ~3u);
    unsigned sh = (intid & 3) * 8;
    u32 v = mmio_read32(reg);
    v = (v & ~(0xffu << sh)) | ((u32)prio << sh);
    mmio_write32(reg, v);
}

void gic_dist_init(void) {
    unsigned n = ((mmio_read32(GICD(GICD_TYPER)) & 0x1f) + 1) * 32;
    u64 aff = read_sysreg(mpidr_el1) & 0xff00ffffffUL;
    mmio_write32(GICD(GICD_CTLR), 0);
    wait_clear(GICD(GICD_CTLR), GICD_CTLR_RWP, "GICD_CTLR.RWP");
    mmio_write32(GICD(GICD_CTLR), GICD_CTLR_ARE);
    wait_clear(GICD(GICD_CTLR), GICD_CTLR_RWP, "GICD_CTLR.RWP");
    for (unsigned i = 32; i < n; i += 32) {
        mmio_write32(GICD(GICD_ICENABLER) + i / 8, 0xffffffff);
        mmio_write32(GICD(GICD_ICPENDR) + i / 8, 0xffffffff);
        mmio_write32(GICD(GICD_ICACTIVER) + i / 8, 0xffffffff);
        mmio_write32(GICD(GICD_IGROUPR) + i / 8, 0xffffffff); /* Group 1 */
    }
    wait_clear(GICD(GICD_CTLR), GICD_CTLR_RWP, "GICD_CTLR.RWP");
    for (unsigned i = 32; i < n; i += 4)
        mmio_write32(GICD(GICD_IPRIORITYR) + i, GIC_PRIO_DEFAULT * 0x01010101u);
    for (unsigned i = 32; i < n; i += 16)
        mmio_write32(GICD(GICD_ICFGR) + i / 4, 0); /* level-sensitive */
    for (unsigned i = 32; i < n; i++) {
        /* IROUTER is 64-bit; write as two 32-bit halves (Aff3 in the upper) */
        mmio_write32(GICD(GICD_IROUTER) + 8 * i, (u32)(aff & 0xffffff));
        mmio_write32(GICD(GICD_IROUTER) + 8 * i + 4, (u32)(aff >> 32));
    }
    mmio_write32(GICD(GICD_CTLR), GICD_CTLR_ARE | GICD_CTLR_ENGRP1);
    wait_clear(GICD(GICD_CTLR), GICD_CTLR_RWP, "GICD_CTLR.RWP");
}

static u64 find_rd(void) {
    u64 mpidr = read_sysreg(mpidr_el1);
    u32 want = (u32)(((mpidr >> 32) & 0xff) << 24 | (mpidr & 0xffffff));
    u64 base = VIRT_GICR_BASE;
    for (int i = 0; i < 16; i++, base += GICR_FRAME_SIZE) {
        u32 lo = mmio_read32(base + GICR_TYPER);
        u32 hi = mmio_read32(base + GICR_TYPER + 4);
        if (hi == want)
            return base;
        if (lo & (1u << 4)) /* Last */
            break;
    }
    rt_timeout("redistributor for this core not found");
}

u64 gicv3_rd_base(void) { return rd_base[core_id()]; }

void gic_cpu_init(void) {
    u64 rd = find_rd();
    rd_base[core_id()] = rd;
    /* wake the redistributor */
    mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_PS);
    wait_clear(rd + GICR_WAKER, GICR_WAKER_CA, "GICR_WAKER.ChildrenAsleep");
    /* SGIs and PPIs: Group 1, disabled, not pending, default priority */
    mmio_write32(rd + GICR_ICENABLER0, 0xffffffff);
    wait_clear(rd + GICR_CTLR, GICR_CTLR_RWP, "GICR_CTLR.RWP");
    mmio_write32(rd + GICR_ICPENDR0, 0xffffffff);
    mmio_write32(rd + GICR_ICACTIVER0, 0xffffffff);
    mmio_write32(rd + GICR_IGROUPR0, 0xffffffff);
    for (unsigned i = 0; i < 32; i += 4)
        mmio_write32(rd + GICR_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);
    mmio_write32(rd + GICR_ICFGR1, 0); /* PPIs level-sensitive */
    /* CPU interface */
    icc_write(ICC_SRE_EL1, icc_read(ICC_SRE_EL1) | 1);
    isb();
    if (!(icc_read(ICC_SRE_EL1) & 1))
        rt_timeout("ICC_SRE_EL1.SRE stays 0");
    icc_write(ICC_PMR_EL1, 0xff);
    icc_write(ICC_CTLR_EL1, 0); /* EOImode 0: EOIR drops priority and deactivates */
    icc_write(ICC_IGRPEN1_EL1, 1);
    isb();
}

void gic_enable_int(unsigned intid) {
    if (intid < 32)
        mmio_write32(gicv3_rd_base() + GICR_ISENABLER0, 1u << intid);
    else
        mmio_write32(GICD(GICD_ISENABLER) + (intid / 32) * 4, 1u << (intid % 32));
}

void gic_disable_int(unsigned intid) {
    if (intid < 32) {
        mmio_write32(gicv3_rd_base() + GICR_ICENABLER0, 1u << intid);
        wait_clear(gicv3_rd_base() + GICR_CTLR, GICR_CTLR_RWP, "GICR_CTLR.RWP");
    } else {
        mmio_write32(GICD(GICD_ICENABLER) + (intid / 32) * 4, 1u << (intid % 32));
        wait_clear(GICD(GICD_CTLR), GICD_CTLR_RWP, "GICD_CTLR.RWP");
    }
}

void gic_set_priority(unsigned intid, u8 prio) {
    if (intid < 32)
        set_prio_raw(gicv3_rd_base() + GICR_IPRIORITYR, intid, prio);
    else
        set_prio_raw(GICD(GICD_IPRIORITYR), intid, prio);
}

int gic_pending(unsigned intid) {
    u32 v;
    if (intid < 32)
        v = mmio_read32(gicv3_rd_base() + GICR_ISPENDR0);
    else
        v = mmio_read32(GICD(GICD_ISPENDR) + (intid / 32) * 4);
    return (v >> (intid % 32)) & 1;
}

void gic_set_pmr(u8 pmr) {
    icc_write(ICC_PMR_EL1, pmr);
    isb();
}

u32 gic_rpr(void) { return (u32)icc_read(ICC_RPR_EL1) & 0xff; }

u32 gic_ack(void) { return (u32)icc_read(ICC_IAR1_EL1); }

void gic_eoi(u32 iar) {
    icc_write(ICC_EOIR1_EL1, iar);
    isb();
}

int gic_iar_source(u32 iar) { (void)iar; return -1; }

u64 gic_cpu_target(void) { return read_sysreg(mpidr_el1) & 0xff00ffffffUL; }

static void write_sgi1r(u64 v) {
    dsb(ish); /* make prior stores visible to the target before the SGI */
    icc_write(ICC_SGI1R_EL1, v);
    isb();
}

void gic_sgi_to(unsigned intid, u64 target) {
    u64 aff0 = target & 0xff, aff1 = (target >> 8) & 0xff;
    u64 aff2 = (target >> 16) & 0xff, aff3 = (target >> 32) & 0xff;
    u64 v = (aff3 << 48) | (aff2 << 32) | ((u64)(intid & 0xf) << 24) |
            (aff1 << 16) | ((aff0 >> 4) << 44) | (1UL << (aff0 & 0xf));
    write_sgi1r(v);
}

void gic_sgi_others(unsigned intid) {
    write_sgi1r((1UL << 40) | ((u64)(intid & 0xf) << 24));
}

void gic_sgi_self(unsigned intid) { gic_sgi_to(intid, gic_cpu_target()); }

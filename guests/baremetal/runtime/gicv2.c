#include "gicv2.h"

int gic_version(void) { return 2; }

static unsigned gic_lines(void) {
    return ((mmio_read32(GICD(GICD_TYPER)) & 0x1f) + 1) * 32;
}

static void set_prio_raw(unsigned intid, u8 prio) {
    u64 reg = GICD(GICD_IPRIORITYR) + (intid & ~3u);
    unsigned sh = (intid & 3) * 8;
    u32 v = mmio_read32(reg);
    v = (v & ~(0xffu << sh)) | ((u32)prio << sh);
    mmio_write32(reg, v);
}

void gic_dist_init(void) {
    unsigned n = gic_lines();
    u32 self = mmio_read32(GICD(GICD_ITARGETSR)) & 0xff;
    mmio_write32(GICD(GICD_CTLR), 0);
    for (unsigned i = 32; i < n; i += 32) {
        mmio_write32(GICD(GICD_ICENABLER) + i / 8, 0xffffffff);
        mmio_write32(GICD(GICD_ICPENDR) + i / 8, 0xffffffff);
        mmio_write32(GICD(GICD_ICACTIVER) + i / 8, 0xffffffff);
        mmio_write32(GICD(GICD_IGROUPR) + i / 8, 0); /* Group 0 */
    }
    for (unsigned i = 32; i < n; i += 4) {
        u32 p = GIC_PRIO_DEFAULT * 0x01010101u;
        mmio_write32(GICD(GICD_IPRIORITYR) + i, p);
        mmio_write32(GICD(GICD_ITARGETSR) + i, self * 0x01010101u);
    }
    for (unsigned i = 32; i < n; i += 16)
        mmio_write32(GICD(GICD_ICFGR) + i / 4, 0); /* level-sensitive */
    mmio_write32(GICD(GICD_CTLR), 1); /* EnableGrp0 */
}

void gic_cpu_init(void) {
    /* banked SGI/PPI state of this core */
    mmio_write32(GICD(GICD_ICENABLER), 0xffffffff);
    mmio_write32(GICD(GICD_ICPENDR), 0xffffffff);
    mmio_write32(GICD(GICD_ICACTIVER), 0xffffffff);
    mmio_write32(GICD(GICD_IGROUPR), 0);
    for (unsigned i = 0; i < 32; i += 4)
        mmio_write32(GICD(GICD_IPRIORITYR) + i, GIC_PRIO_DEFAULT * 0x01010101u);
    mmio_write32(GICD(GICD_ICFGR) + 4, 0); /* PPIs level-sensitive */
    mmio_write32(GICC(GICC_PMR), 0xff);
    mmio_write32(GICC(GICC_CTLR), 1); /* EnableGrp0, FIQEn = 0, EOImode = 0 */
}

void gic_enable_int(unsigned intid) {
    mmio_write32(GICD(GICD_ISENABLER) + (intid / 32) * 4, 1u << (intid % 32));
}

void gic_disable_int(unsigned intid) {
    mmio_write32(GICD(GICD_ICENABLER) + (intid / 32) * 4, 1u << (intid % 32));
}

void gic_set_priority(unsigned intid, u8 prio) { set_prio_raw(intid, prio); }

int gic_pending(unsigned intid) {
    return (mmio_read32(GICD(GICD_ISPENDR) + (intid / 32) * 4) >> (intid % 32)) & 1;
}

void gic_set_pmr(u8 pmr) { mmio_write32(GICC(GICC_PMR), pmr); }

u32 gic_rpr(void) { return mmio_read32(GICC(GICC_RPR)) & 0xff; }

u32 gic_ack(void) { return mmio_read32(GICC(GICC_IAR)); }

void gic_eoi(u32 iar) { mmio_write32(GICC(GICC_EOIR), iar); }

int gic_iar_source(u32 iar) { return (iar >> 10) & 7; }

u64 gic_cpu_target(void) { return mmio_read32(GICD(GICD_ITARGETSR)) & 0xff; }

static void send_sgi(u32 filter, u32 targets, unsigned intid) {
    dsb(ish); /* make prior stores visible to the target before the SGI */
    mmio_write32(GICD(GICD_SGIR), (filter << 24) | ((targets & 0xff) << 16) | (intid & 0xf));
}

void gic_sgi_to(unsigned intid, u64 target) { send_sgi(0, (u32)target, intid); }
void gic_sgi_others(unsigned intid) { send_sgi(1, 0, intid); }
void gic_sgi_self(unsigned intid) { send_sgi(2, 0, intid); }

/*
 * Common GIC interface. An image links exactly one implementation:
 * gicv2.c (GICD 0x08000000 + GICC 0x08010000, Group 0 signalled as IRQ,
 * no security extensions) or gicv3.c (GICD + redistributors at 0x080A0000,
 * GICD_CTLR.DS = 1, Group 1 via the ICC_* system registers).
 */
#ifndef BM_GIC_H
#define BM_GIC_H
#include "rt.h"

#define GIC_SPURIOUS 1023
#define GIC_PRIO_DEFAULT 0xA0 /* only bits [7:4] used: every GIC implements them */

int gic_version(void);
void gic_dist_init(void);  /* core 0, once: distributor set up and enabled */
void gic_cpu_init(void);   /* every core: its SGIs/PPIs + its CPU interface */
void gic_enable_int(unsigned intid);  /* INTID < 32: this core's copy */
void gic_disable_int(unsigned intid);
void gic_set_priority(unsigned intid, u8 prio);
int gic_pending(unsigned intid);      /* GICD_ISPENDR / GICR_ISPENDR0 bit */
void gic_set_pmr(u8 pmr);             /* GICC_PMR / ICC_PMR_EL1 */
u32 gic_rpr(void);                    /* running priority: GICC_RPR / ICC_RPR_EL1 */
u32 gic_ack(void);                    /* GICC_IAR / ICC_IAR1_EL1 (raw) */
void gic_eoi(u32 iar);                /* GICC_EOIR / ICC_EOIR1_EL1 */
static inline unsigned gic_iar_intid(u32 iar) { return iar & 0x3ff; }
/* GICv2 SGIs: CPU interface number of the requester (GICC_IAR[12:10]);
 * GICv3: -1 (ICC_IAR1_EL1 carries no source). */
int gic_iar_source(u32 iar);
/* Value identifying this core as an SGI target: GICv2 the CPU interface
 * mask (GICD_ITARGETSR0 byte 0), GICv3 MPIDR_EL1 affinity fields. */
u64 gic_cpu_target(void);
void gic_sgi_to(unsigned intid, u64 target); /* target from gic_cpu_target() */
void gic_sgi_others(unsigned intid);         /* all but self */
void gic_sgi_self(unsigned intid);

#endif

/* GICv3 register offsets and ICC system registers (ARM IHI 0069). */
#ifndef BM_GICV3_H
#define BM_GICV3_H
#include "gic.h"

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0C00
#define GICD_IGRPMODR 0x0D00
#define GICD_IROUTER 0x6000

#define GICD_CTLR_RWP (1u << 31)
#define GICD_CTLR_ARE (1u << 4)     /* DS = 1 view */
#define GICD_CTLR_ENGRP1 (1u << 1)  /* DS = 1 view */

#define GICR_FRAME_SIZE 0x20000
#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008  /* 64-bit; read as two 32-bit halves */
#define GICR_WAKER 0x0014
#define GICR_SGI 0x10000   /* SGI_base */
#define GICR_IGROUPR0 (GICR_SGI + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI + 0x0100)
#define GICR_ICENABLER0 (GICR_SGI + 0x0180)
#define GICR_ISPENDR0 (GICR_SGI + 0x0200)
#define GICR_ICPENDR0 (GICR_SGI + 0x0280)
#define GICR_ICACTIVER0 (GICR_SGI + 0x0380)
#define GICR_IPRIORITYR (GICR_SGI + 0x0400)
#define GICR_ICFGR1 (GICR_SGI + 0x0C04)
#define GICR_IGRPMODR0 (GICR_SGI + 0x0D00)

#define GICR_CTLR_RWP (1u << 3)
#define GICR_WAKER_PS (1u << 1)
#define GICR_WAKER_CA (1u << 2)

/* ICC system registers (generic encodings, no assembler GIC support needed) */
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_HPPIR1_EL1 S3_0_C12_C12_2
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define ICC_RPR_EL1 S3_0_C12_C11_3

#define _rd_icc(r) read_sysreg(r)
#define _wr_icc(r, v) write_sysreg(r, v)
#define icc_read(r) _rd_icc(r)
#define icc_write(r, v) _wr_icc(r, v)

/* RD_base of this core's redistributor (valid after gic_cpu_init) */
u64 gicv3_rd_base(void);

#endif

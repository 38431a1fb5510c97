/*
 * A static identity map for images that need the MMU only to get Normal
 * cacheable memory (exclusives on Normal memory are architecturally
 * required to work; on Device memory they are IMPLEMENTATION DEFINED).
 *
 * 4 KiB granule, T0SZ = 25 (39-bit VA, walk starts at level 1), TTBR1
 * walks disabled (EPD1). Level-1 1 GiB blocks:
 *   0x00000000-0x3FFFFFFF  Device-nGnRnE (MAIR attr 0), PXN/UXN, EL1 RW
 *   0x40000000-0x7FFFFFFF  Normal WB RWA (MAIR attr 1), inner shareable,
 *                          EL1 RWX, EL0 no access
 * The table is assembled into .data, so no core writes it at run time.
 * rt_idmap_enable is a leaf that uses no stack and no data loads: safe to
 * call from any core before it touches shared memory.
 */
#define MAIR_VALUE 0x44FF00 /* attr0 Device-nGnRnE, attr1 Normal WB RWA, attr2 Normal NC */
/* T0SZ=25 IRGN0=WBWA ORGN0=WBWA SH0=IS TG0=4K EPD1 TG1=4K IPS=36 bits */
#define TCR_VALUE ((25) | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23) | (2 << 30) | (1 << 32))

    .section .data.idmap, "aw"
    .balign 4096
    .global rt_idmap_l1
rt_idmap_l1:
    .quad 0x0060000000000401   /* 0G: block, attr0, AF, PXN, UXN */
    .quad 0x0040000040000705   /* 1G: block, attr1, SH=IS, AF, UXN */
    .fill 510, 8, 0

    .text
    .global rt_idmap_enable
rt_idmap_enable:
    ldr x9, =MAIR_VALUE
    msr mair_el1, x9
    ldr x9, =TCR_VALUE
    msr tcr_el1, x9
    adrp x9, rt_idmap_l1
    add x9, x9, :lo12:rt_idmap_l1
    msr ttbr0_el1, x9
    isb
    tlbi vmalle1
    dsb nsh
    isb
    mrs x9, sctlr_el1
    mov x10, #(1 << 0) | (1 << 2)   /* M, C */
    orr x10, x10, #(1 << 12)        /* I */
    orr x9, x9, x10
    msr sctlr_el1, x9
    isb
    ret

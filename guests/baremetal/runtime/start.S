/*
 * Boot code. Core 0 enters at _start (EL1, MMU off) from QEMU's ELF
 * loader; other cores enter at rt_secondary_entry{,_mmu} via PSCI CPU_ON
 * with the context id in x0. No register value is assumed at entry.
 */
#define RT_STACK_SIZE 0x4000
#define RT_MAX_CORES 4

/* SCTLR_EL1: v8.0 RES1 bits (29,28,23,22,20,11) + SA + SA0; MMU, caches,
 * alignment checking (A), WXN and all EL0 trap-disable bits clear. */
#define SCTLR_INIT 0x30D00818

/* per-core setup: masks DAIF, fixes SCTLR_EL1/CPACR_EL1, sets SP from
 * MPIDR_EL1.Aff0 (parks cores >= RT_MAX_CORES), sets VBAR_EL1.
 * Clobbers x9..x12. */
.macro core_setup
    msr daifset, #0xf
    ldr x9, =SCTLR_INIT
    msr sctlr_el1, x9
    msr cpacr_el1, xzr
    isb
    mrs x10, mpidr_el1
    and x10, x10, #0xff
    cmp x10, #RT_MAX_CORES
    b.hs rt_park
    add x10, x10, #1
    mov x11, #RT_STACK_SIZE
    mul x10, x10, x11
    adrp x12, __stacks_start
    add x12, x12, :lo12:__stacks_start
    add x12, x12, x10
    mov sp, x12
    msr spsel, #1
    mov sp, x12
    adrp x9, rt_vectors
    add x9, x9, :lo12:rt_vectors
    msr vbar_el1, x9
    isb
.endm

    .section .text.boot, "ax"
    .global _start
_start:
    core_setup
    mrs x10, mpidr_el1
    and x10, x10, #0xff
    cbnz x10, rt_park
    /* zero .bss (core 0 only, before anything else runs) */
    adrp x9, __bss_start
    add x9, x9, :lo12:__bss_start
    adrp x10, __bss_end
    add x10, x10, :lo12:__bss_end
1:  cmp x9, x10
    b.hs 2f
    str xzr, [x9], #8
    b 1b
2:  mov x29, xzr
    mov x30, xzr
    bl rt_c_start
    b rt_park

    .global rt_secondary_entry
rt_secondary_entry:
    mov x19, x0
    core_setup
    mov x0, x19
    mov x29, xzr
    mov x30, xzr
    bl rt_secondary_c
    b rt_park

    .global rt_secondary_entry_mmu
rt_secondary_entry_mmu:
    mov x19, x0
    core_setup
    bl rt_idmap_enable
    mov x0, x19
    mov x29, xzr
    mov x30, xzr
    bl rt_secondary_c
    b rt_park

    .global rt_park
rt_park:
    msr daifset, #0xf
1:  wfe
    b 1b

/*
 * u64 rt_enter_el0(void (*fn)(u64), u64 arg, u64 sp)
 * Saves the callee-saved registers and SP_EL1, then ERETs to fn at EL0t
 * (SPSR_EL1 = 0: EL0t, DAIF clear, NZCV clear) with x0 = arg and
 * SP_EL0 = sp. rt_el0_exit() (from an exception hook) resumes at
 * rt_el0_return with SPSR = EL1h/DAIF masked; x0 is the return value.
 */
    .text
    .global rt_enter_el0
rt_enter_el0:
    sub sp, sp, #96
    stp x19, x20, [sp, #0]
    stp x21, x22, [sp, #16]
    stp x23, x24, [sp, #32]
    stp x25, x26, [sp, #48]
    stp x27, x28, [sp, #64]
    stp x29, x30, [sp, #80]
    mov x9, sp
    adrp x10, rt_el0_saved_sp
    str x9, [x10, :lo12:rt_el0_saved_sp]
    msr sp_el0, x2
    msr elr_el1, x0
    msr spsr_el1, xzr
    mov x0, x1
    mov x29, xzr
    mov x30, xzr
    eret

    .global rt_el0_return
rt_el0_return:
    adrp x10, rt_el0_saved_sp
    ldr x9, [x10, :lo12:rt_el0_saved_sp]
    mov sp, x9
    ldp x19, x20, [sp, #0]
    ldp x21, x22, [sp, #16]
    ldp x23, x24, [sp, #32]
    ldp x25, x26, [sp, #48]
    ldp x27, x28, [sp, #64]
    ldp x29, x30, [sp, #80]
    add sp, sp, #96
    ret

    .bss
    .balign 8
rt_el0_saved_sp:
    .skip 8

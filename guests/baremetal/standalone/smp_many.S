// smp_many: boots every core the machine has, with nothing but PSCI and exclusives.
//
// Core 0 calls PSCI CPU_ON for core 1, 2, ... (MPIDR Aff1 = n / 16, Aff0 = n % 16,
// QEMU virt's GICv3 layout) until the firmware answers INVALID_PARAMETERS. Each
// secondary adds 1 to a shared counter 1000 times with LDXR/STXR and turns itself
// off. Core 0 waits for the total, checks that AFFINITY_INFO reports every
// secondary OFF, prints the core count and the counter, and powers off.
// The output depends on nothing but the core count: it is the same under QEMU.

        .equ UART_DR, 0x09000000
        .equ UART_FR, 0x09000018
        .equ PSCI_CPU_ON, 0xC4000003
        .equ PSCI_CPU_OFF, 0x84000002
        .equ PSCI_AFFINITY_INFO, 0xC4000004
        .equ PSCI_SYSTEM_OFF, 0x84000008
        .equ INCREMENTS, 1000

        .section .text
        .global _start
_start:
        ldr     x0, =stack_top
        mov     sp, x0
        adr     x19, counter
        mov     x20, #1                 // the next core to start
1:      mov     x0, x20
        bl      mpidr_of
        mov     x1, x0
        adr     x2, secondary
        mov     x3, x20
        ldr     x0, =PSCI_CPU_ON
        hvc     #0
        cbnz    x0, 2f                  // INVALID_PARAMETERS: no such core
        add     x20, x20, #1
        b       1b
2:      sub     x21, x20, #1            // secondaries started
        mov     x22, #INCREMENTS
        mul     x22, x21, x22           // the total they will reach
3:      ldr     x0, [x19]
        cmp     x0, x22
        b.ne    3b
        mov     x23, #1                 // wait until every secondary is OFF
4:      cmp     x23, x20
        b.eq    6f
5:      mov     x0, x23
        bl      mpidr_of
        mov     x1, x0
        mov     x2, #0
        ldr     x0, =PSCI_AFFINITY_INFO
        hvc     #0
        cmp     x0, #1
        b.ne    5b
        add     x23, x23, #1
        b       4b
6:      adr     x0, text_cores
        bl      puts
        mov     x0, x20
        bl      putdec
        adr     x0, text_count
        bl      puts
        ldr     x0, [x19]
        bl      putdec
        adr     x0, text_done
        bl      puts
        ldr     x0, =PSCI_SYSTEM_OFF
        hvc     #0
        b       .

// x0 = core number -> x0 = its MPIDR affinity
mpidr_of:
        lsr     x1, x0, #4
        and     x0, x0, #15
        orr     x0, x0, x1, lsl #8
        ret

secondary:                              // x0 = context id (the core number); no stack needed
        adr     x19, counter
        mov     x5, #INCREMENTS
7:      ldxr    x6, [x19]
        add     x6, x6, #1
        stxr    w7, x6, [x19]
        cbnz    w7, 7b
        subs    x5, x5, #1
        b.ne    7b
        ldr     x0, =PSCI_CPU_OFF
        hvc     #0
        b       .

// puts(x0): NUL-terminated string to the PL011
puts:   ldr     x2, =UART_FR
        ldr     x3, =UART_DR
8:      ldrb    w1, [x0], #1
        cbz     w1, 10f
9:      ldr     w4, [x2]
        tbnz    w4, #5, 9b              // TXFF
        str     w1, [x3]
        b       8b
10:     ret

// putdec(x0): unsigned decimal
putdec: sub     sp, sp, #32
        add     x5, sp, #31
        strb    wzr, [x5]
        mov     x6, #10
11:     udiv    x7, x0, x6
        msub    x8, x7, x6, x0
        add     x8, x8, #'0'
        sub     x5, x5, #1
        strb    w8, [x5]
        mov     x0, x7
        cbnz    x0, 11b
        mov     x0, x5
        mov     x9, x30
        bl      puts
        mov     x30, x9
        add     sp, sp, #32
        ret

text_cores: .asciz "smp_many: cores "
text_count: .asciz "\ncounter "
text_done:  .asciz "\nDONE\n"

        .balign 8
counter: .quad 0

        .section .bss
        .balign 16
        .space 4096
stack_top:

// evlsim guest runtime: process entry point for freestanding programs.
//
// At entry (Linux AArch64 ABI) sp points at argc, followed by the argv
// pointers, a NULL, the envp pointers, a NULL and the auxiliary vector.
// We call main(argc, argv, envp) and pass its return value to exit(),
// which flushes the output buffer and performs exit_group.

        .text
        .globl  _start
        .type   _start, %function
_start:
        mov     x29, #0                 // terminate the frame chain
        mov     x30, #0
        ldr     x0, [sp]                // argc
        add     x1, sp, #8              // argv
        add     x2, x1, x0, lsl #3
        add     x2, x2, #8              // envp = argv + argc + 1
        adrp    x3, rt_envp
        str     x2, [x3, :lo12:rt_envp]
        mov     x3, sp
        and     sp, x3, #~15            // keep the stack 16-byte aligned
        bl      main
        bl      exit                    // exit(main(...)) does not return
1:      b       1b
        .size   _start, . - _start

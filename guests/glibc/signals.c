/* Guest faults reach the guest: SIGILL, SIGSEGV, SIGTRAP and SIGBUS handlers run with a real
 * arm64 signal frame, can inspect and edit the saved context, and return through rt_sigreturn. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

static sigjmp_buf env;
static volatile int hits[65];

static void skip_insn(int sig, siginfo_t *si, void *ctx) {
    ucontext_t *uc = ctx;
    hits[sig]++;
    /* si_code for an undefined instruction differs: Linux sends ILL_ILLOPC, qemu-user ILL_ILLOPN. */
    printf("handler: sig=%d code=%d\n", sig, sig == SIGILL ? 0 : si->si_code);
    uc->uc_mcontext.pc += 4; /* resume after the faulting instruction */
}

static void jump_back(int sig, siginfo_t *si, void *ctx) {
    (void)ctx;
    hits[sig]++;
    printf("handler: sig=%d code=%d addr_is_fault=%d\n", sig, si->si_code, si->si_addr == (void *)16);
    siglongjmp(env, sig);
}

static void plain(int sig) { hits[sig]++; }

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_flags = SA_SIGINFO;
    sa.sa_sigaction = skip_insn;
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGTRAP, &sa, NULL);

    long x = 41;
    __asm__ volatile(".inst 0x00000000\n\tadd %0, %0, #1" : "+r"(x)); /* UDF #0, then continue */
    printf("after SIGILL x=%ld\n", x);
    __asm__ volatile("brk #7\n\tadd %0, %0, #1" : "+r"(x));
    printf("after SIGTRAP x=%ld\n", x);

    sa.sa_sigaction = jump_back;
    sigaction(SIGSEGV, &sa, NULL);
    int r = sigsetjmp(env, 1);
    if (r == 0) {
        volatile long *p = (long *)16;
        *p = 1;
        puts("not reached");
    }
    printf("after SIGSEGV r=%d\n", r);

    /* The saved registers and FP/SIMD state come back intact after a handler. */
    double d = 1.5;
    long keep = 0x1234;
    struct sigaction pa;
    memset(&pa, 0, sizeof pa);
    pa.sa_handler = plain;
    sigaction(SIGUSR1, &pa, NULL);
    raise(SIGUSR1);
    raise(SIGUSR1);
    printf("SIGUSR1 hits=%d d=%.2f keep=%lx\n", hits[SIGUSR1], d * 2, keep);

    /* A blocked signal raised by the process stays pending and is not delivered now. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    sigaction(SIGUSR2, &pa, NULL);
    raise(SIGUSR2);
    printf("SIGUSR2 blocked hits=%d\n", hits[SIGUSR2]);
    sigprocmask(SIG_UNBLOCK, &set, NULL); /* the pending signal is delivered now */
    printf("SIGUSR2 unblocked hits=%d\n", hits[SIGUSR2]);

    printf("totals ill=%d trap=%d segv=%d\n", hits[SIGILL], hits[SIGTRAP], hits[SIGSEGV]);
    fflush(stdout);
    abort(); /* SIGABRT with the default action: killed, status 128 + 6 */
}

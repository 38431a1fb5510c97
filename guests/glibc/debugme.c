/* A program to drive gdb against (GDBTests): a global that changes in known steps,
 * a function to break on, a raw system call and a signal handled by the program. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

volatile long counter;
volatile int handled;

static void on_usr1(int s) { handled = s; }

__attribute__((noinline)) long bump(long step) {
    counter += step;
    return counter;
}

/* getpid by a raw SVC at a known symbol, so a debugger can step across it. */
__attribute__((noinline)) long raw_getpid(void) {
    register long x8 __asm__("x8") = 172; /* __NR_getpid */
    register long x0 __asm__("x0");
    __asm__ volatile(".globl svc_site\nsvc_site: svc #0" : "=r"(x0) : "r"(x8) : "memory");
    return x0;
}

int main(void) {
    signal(SIGUSR1, on_usr1);
    for (long i = 1; i <= 5; i++) bump(i);
    printf("counter %ld at %p\n", counter, (void *)&counter);
    fflush(stdout);
    write(1, "syscall done\n", 13);
    printf("pid %ld\n", raw_getpid());
    raise(SIGUSR1);
    printf("handled %d\n", handled);
    return 0;
}

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

int main(void) {
    signal(SIGUSR1, on_usr1);
    for (long i = 1; i <= 5; i++) bump(i);
    printf("counter %ld at %p\n", counter, (void *)&counter);
    fflush(stdout);
    write(1, "syscall done\n", 13);
    raise(SIGUSR1);
    printf("handled %d\n", handled);
    return 0;
}

/*
 * exit3: leaves through exit(3) from a nested call.  atexit handlers run
 * in reverse order of registration and print lines; buffered stdout that
 * was never flushed explicitly must appear on exit.  Exit status 3.
 */
#include <stdio.h>
#include <stdlib.h>

static void first(void) { puts("atexit handler registered first (runs last)"); }
static void second(void) { puts("atexit handler registered second"); }
static void third(void) { printf("atexit handler registered third (runs first)\n"); }

static __attribute__((noinline)) void leave(int depth)
{
    if (depth < 0)
        return;
    if (depth == 0) {
        printf("leaving with exit(3) from depth 5, no fflush before\n");
        exit(3);
    }
    leave(depth - 1);
    puts("NOT REACHED");
}

int main(void)
{
    atexit(first);
    atexit(second);
    atexit(third);
    for (int i = 0; i < 5; i++)
        printf("line %d\n", i);
    leave(5);
    return 0;
}

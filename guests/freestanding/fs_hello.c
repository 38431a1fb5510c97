/*
 * fs_hello: the smallest useful freestanding program.  Prints a greeting,
 * its argument count and arguments (argv[0] is not printed: its value
 * depends on how the program was started), checks that .data, .rodata and
 * .bss were set up by the loader and exits with status 0.
 */
#include "rt.h"

static const char greeting[] = "hello from a freestanding evlsim guest";
static char data_string[] = "initialised data";
static u64 bss_area[128];

int main(int argc, char **argv, char **envp)
{
    (void)envp;
    println(greeting);
    put_dec("argc", argc);
    for (int i = 1; i < argc; i++) {
        print("argv[");
        print_dec(i);
        print("] = ");
        println(argv[i]);
    }
    println(argv[argc] == NULL ? "argv[argc] is NULL" : "argv[argc] is NOT NULL");
    println(data_string);
    data_string[0] = 'I';
    println(data_string);
    u64 any = 0;
    for (int i = 0; i < 128; i++)
        any |= bss_area[i];
    println(any == 0 ? "bss is zero" : "bss is NOT zero");
    u64 sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    println((sp & 15) == 0 ? "stack aligned" : "stack NOT aligned");
    return 0;
}

/*
 * hello_args: static glibc hello world.  Prints its arguments (not argv[0],
 * whose value depends on how the program was started) through printf, puts
 * and fputs, and returns 0 from main.  Also built as static PIE
 * (hello_args-pie), which exercises glibc's self-relocation at a random
 * load address.
 */
#include <stdio.h>
#include <string.h>

static const char *const table[] = { "zero", "one", "two", "three" };
static const char *const *tp = table;   /* needs a relocation in PIE builds */

int main(int argc, char **argv)
{
    puts("Hello, world!");
    printf("argc = %d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d] = \"%s\" (length %zu)\n", i, argv[i], strlen(argv[i]));
    fputs(argv[argc] == NULL ? "argv terminated by NULL\n" : "argv NOT terminated\n", stdout);
    for (int i = 0; i < 4; i++)
        printf("%s%c", tp[i], i == 3 ? '\n' : ' ');
    return 0;
}

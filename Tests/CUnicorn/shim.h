#include <unicorn/unicorn.h>

/* smp_gicv3: see smp_common.inc; linked with runtime/gicv3.c */
#include "smp_common.inc"

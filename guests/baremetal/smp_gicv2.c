/* smp_gicv2: see smp_common.inc; linked with runtime/gicv2.c */
#include "smp_common.inc"

/* timer_gicv2: see timer_common.inc; linked with runtime/gicv2.c */
#include "timer_common.inc"

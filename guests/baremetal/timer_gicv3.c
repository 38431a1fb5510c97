/* timer_gicv3: see timer_common.inc; linked with runtime/gicv3.c */
#include "timer_common.inc"

/* PSCI over HVC (SMC Calling Convention, 64-bit function IDs). */
#ifndef BM_PSCI_H
#define BM_PSCI_H
#include "rt.h"

#define PSCI_VERSION 0x84000000UL
#define PSCI_CPU_OFF 0x84000002UL
#define PSCI_CPU_ON 0xC4000003UL
#define PSCI_AFFINITY_INFO 0xC4000004UL
#define PSCI_SYSTEM_OFF 0x84000008UL
#define PSCI_SYSTEM_RESET 0x84000009UL

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED -1
#define PSCI_INVALID_PARAMETERS -2
#define PSCI_DENIED -3
#define PSCI_ALREADY_ON -4
#define PSCI_ON_PENDING -5
#define PSCI_INTERNAL_FAILURE -6

#define PSCI_AFF_ON 0
#define PSCI_AFF_OFF 1
#define PSCI_AFF_ON_PENDING 2

s64 psci_call(u64 fn, u64 a1, u64 a2, u64 a3);
u64 psci_version(void);
s64 psci_cpu_on(u64 mpidr, void (*entry)(u64), u64 context_id);
s64 psci_cpu_off(void); /* returns only on failure */
s64 psci_affinity_info(u64 mpidr, u64 level);
void psci_system_off(void) __attribute__((noreturn));
const char *psci_ret_name(s64 r);

#endif

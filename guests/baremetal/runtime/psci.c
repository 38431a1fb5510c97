#include "psci.h"

s64 psci_call(u64 fn, u64 a1, u64 a2, u64 a3) {
    register u64 x0 __asm__("x0") = fn;
    register u64 x1 __asm__("x1") = a1;
    register u64 x2 __asm__("x2") = a2;
    register u64 x3 __asm__("x3") = a3;
    /* SMCCC: x4..x17 may be corrupted by the call */
    __asm__ volatile("hvc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                     :
                     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
                       "x13", "x14", "x15", "x16", "x17", "memory");
    return (s64)x0;
}

u64 psci_version(void) { return (u64)psci_call(PSCI_VERSION, 0, 0, 0) & 0xffffffffUL; }

s64 psci_cpu_on(u64 mpidr, void (*entry)(u64), u64 context_id) {
    return psci_call(PSCI_CPU_ON, mpidr, (u64)entry, context_id);
}

s64 psci_cpu_off(void) { return psci_call(PSCI_CPU_OFF, 0, 0, 0); }

s64 psci_affinity_info(u64 mpidr, u64 level) {
    return psci_call(PSCI_AFFINITY_INFO, mpidr, level, 0);
}

void psci_system_off(void) {
    psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
    /* SYSTEM_OFF does not return; if it does, stop here */
    for (;;)
        __asm__ volatile("msr daifset, #0xf\n\twfi");
}

const char *psci_ret_name(s64 r) {
    switch (r) {
    case PSCI_SUCCESS: return "SUCCESS";
    case PSCI_NOT_SUPPORTED: return "NOT_SUPPORTED";
    case PSCI_INVALID_PARAMETERS: return "INVALID_PARAMETERS";
    case PSCI_DENIED: return "DENIED";
    case PSCI_ALREADY_ON: return "ALREADY_ON";
    case PSCI_ON_PENDING: return "ON_PENDING";
    case PSCI_INTERNAL_FAILURE: return "INTERNAL_FAILURE";
    default: return "?";
    }
}

#include <unicorn/unicorn.h>

// uc_ctl is variadic, which Swift cannot call; these fixed-arity wrappers expand
// the header's own uc_ctl_* macros for the controls the lockstep tests need.

/// Selects the emulated CPU model; only valid right after uc_open.
static inline uc_err evl_uc_set_cpu_model(uc_engine *uc, int model) {
    return uc_ctl_set_cpu_model(uc, model);
}

/// Drops translated blocks for [begin, end): uc_mem_write alone does not invalidate them.
static inline uc_err evl_uc_remove_cache(uc_engine *uc, uint64_t begin, uint64_t end) {
    return uc_ctl_remove_cache(uc, begin, end);
}

/*
 * evlsim bare-metal runtime: common definitions.
 *
 * Target: qemu-system-aarch64 -M virt (and evlsim's qemu-virt board),
 * entered at EL1 with the MMU off. Everything here uses only
 * architecturally defined registers and behaviour.
 */
#ifndef BM_RT_H
#define BM_RT_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long u64;
typedef signed int s32;
typedef signed long s64;
typedef unsigned long size_t;
typedef unsigned long uintptr_t;

#define NULL ((void *)0)

#define RT_MAX_CORES 4
#define RT_STACK_SIZE 0x4000 /* per core, see link.ld */

/* qemu-virt memory map (hw/arm/virt.c) */
#define VIRT_GICD_BASE 0x08000000UL
#define VIRT_GICC_BASE 0x08010000UL      /* GICv2 CPU interface */
#define VIRT_GICR_BASE 0x080A0000UL      /* GICv3 redistributors */
#define VIRT_UART_BASE 0x09000000UL
#define VIRT_RAM_BASE 0x40000000UL

/* System registers */
#define read_sysreg(r) ({ u64 __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((u64)(v)) : "memory")

#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define dmb(opt) __asm__ volatile("dmb " #opt ::: "memory")
#define wfi() __asm__ volatile("wfi" ::: "memory")
#define barrier() __asm__ volatile("" ::: "memory")

#define irq_enable() __asm__ volatile("msr daifclr, #2" ::: "memory")
#define irq_disable() __asm__ volatile("msr daifset, #2" ::: "memory")

static inline u32 mmio_read32(u64 addr) {
    u32 v;
    __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
    return v;
}
static inline void mmio_write32(u64 addr, u32 v) {
    __asm__ volatile("str %w0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

static inline unsigned core_id(void) { return read_sysreg(mpidr_el1) & 0xff; }

/* Single-copy-atomic shared variables (acquire/release). */
#define load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

/* Exception frame built by vectors.S (x0..x30, ELR_EL1, SPSR_EL1). */
struct rt_frame {
    u64 x[31];
    u64 elr;
    u64 spsr;
    u64 pad;
};

/* Vector index 0..15: offset = index * 0x80 from VBAR_EL1. */
enum {
    VEC_CUR_SP0_SYNC = 0, VEC_CUR_SP0_IRQ, VEC_CUR_SP0_FIQ, VEC_CUR_SP0_SERR,
    VEC_CUR_SPX_SYNC = 4, VEC_CUR_SPX_IRQ, VEC_CUR_SPX_FIQ, VEC_CUR_SPX_SERR,
    VEC_LOW64_SYNC = 8, VEC_LOW64_IRQ, VEC_LOW64_FIQ, VEC_LOW64_SERR,
    VEC_LOW32_SYNC = 12, VEC_LOW32_IRQ, VEC_LOW32_FIQ, VEC_LOW32_SERR,
};

/*
 * Exception hooks. The sync hook gets every synchronous exception, the irq
 * hook every IRQ. A hook returns nonzero if it handled the exception (it may
 * change f->elr / f->spsr / f->x[]); otherwise the runtime prints
 * "UNEXPECTED EXCEPTION ..." and powers off.
 */
typedef int (*rt_sync_hook_t)(struct rt_frame *f, unsigned vec, u64 esr, u64 far);
typedef int (*rt_irq_hook_t)(struct rt_frame *f, unsigned vec);
extern rt_sync_hook_t rt_sync_hook;
extern rt_irq_hook_t rt_irq_hook;

/* C entry points of the runtime (start.S) */
int main(void);
void secondary_main(u64 context_id); /* defined by SMP images */

/* Assembly helpers (start.S / idmap.S) */
void rt_secondary_entry(u64 context_id);     /* PSCI CPU_ON entry, MMU off */
void rt_secondary_entry_mmu(u64 context_id); /* same, then rt_idmap_enable() */
void rt_idmap_enable(void); /* 1 GiB identity map: 0-1G device, 1-2G normal WB */
/* Run fn(arg) at EL0t with SP_EL0 = sp; returns when a sync hook calls
 * rt_el0_exit(f, value). */
u64 rt_enter_el0(void (*fn)(u64), u64 arg, u64 sp);
void rt_el0_exit(struct rt_frame *f, u64 value);

/* Termination */
void rt_done(void) __attribute__((noreturn));             /* prints DONE, SYSTEM_OFF */
void rt_timeout(const char *what) __attribute__((noreturn)); /* TIMEOUT <what>, DONE, off */
void rt_poweroff(void) __attribute__((noreturn));

/* Checks: print "PASS <name>" or "FAIL <name>"; count failures. */
extern unsigned rt_failures;
int check(int cond, const char *name);

/* Bounded waits */
#define SPIN_LIMIT 200000000UL
u64 timer_freq(void);
u64 counter_now(void); /* CNTPCT_EL0 with ISB before */

/* libc bits */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif

// Debian's libopenblas-dev puts cblas.h in the multiarch include dir; LAPACKE
// comes from liblapacke-dev and resolves against OpenBLAS's LAPACK.
#include <cblas.h>
#include <lapacke.h>

// CPU features for choosing OpenBLAS's kernels when its own CPUID table does not know the
// processor (Sources/Engine/Support/BLASCore.swift). The compiler's runtime checks both the
// CPUID bits and that the OS saves the wider registers (XGETBV).
#if defined(__x86_64__)
static inline int convlens_cpu_supports_avx2_fma(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
static inline int convlens_cpu_supports_avx512_skylakex(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512cd");
}
#else
static inline int convlens_cpu_supports_avx2_fma(void) { return 0; }
static inline int convlens_cpu_supports_avx512_skylakex(void) { return 0; }
#endif

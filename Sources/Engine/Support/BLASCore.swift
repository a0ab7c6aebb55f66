import COpenBLAS
import Foundation

/// Which OpenBLAS kernels run every matrix product, and which should.
///
/// OpenBLAS built with DYNAMIC_ARCH (Debian's) picks its kernels by CPUID once, when the library
/// is loaded, and honours the environment variable OPENBLAS_CORETYPE over its own choice. Its
/// table only knows the processors of its release: OpenBLAS 0.3.21 (Debian 12) takes an Emerald
/// Rapids Xeon (family 6, model 207, with AVX-512) for a "Prescott" and runs SSE3 kernels, and
/// sgemm then reaches 35 GFLOP/s on two cores instead of 207 with the SkylakeX (AVX-512) kernels.
/// `recommendedCoreType` names the kernels the processor can run when OpenBLAS chose a generic
/// one; the executable restarts itself with OPENBLAS_CORETYPE set to it (the choice cannot be
/// changed after loading).
public enum BLASCore {
    /// OpenBLAS's kernel family in use, e.g. "SkylakeX", "Haswell", "Prescott".
    public static var current: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// OpenBLAS's build configuration, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64".
    public static var configuration: String {
        guard let text = openblas_get_config() else { return "unknown" }
        return String(cString: text)
    }

    /// Kernel families with AVX2 or wider vectors: when OpenBLAS chose one, it knew the processor.
    static let vectorCores: Set<String> = ["haswell", "skylakex", "cooperlake", "sapphirerapids", "zen"]

    /// The OPENBLAS_CORETYPE to set, or nil when OpenBLAS's own choice already uses the widest
    /// vectors the processor has (or the processor has no AVX2).
    public static var recommendedCoreType: String? {
        recommended(current: current, avx512: convlens_cpu_supports_avx512_skylakex() != 0,
                    avx2: convlens_cpu_supports_avx2_fma() != 0)
    }

    /// The rule behind `recommendedCoreType`, on given facts.
    static func recommended(current: String, avx512: Bool, avx2: Bool) -> String? {
        let name = current.lowercased()
        if avx512 { return ["skylakex", "cooperlake", "sapphirerapids"].contains(name) ? nil : "SkylakeX" }
        if avx2 { return vectorCores.contains(name) ? nil : "Haswell" }
        return nil
    }
}

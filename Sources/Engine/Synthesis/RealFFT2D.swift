import CFFTW
import Foundation

/// Two-dimensional real-input discrete Fourier transforms of one size, by FFTW (single precision).
///
/// `forward` is FFTW's r2c transform, X[ky, kx] = sum_{y,x} x[y, x] exp(-2 pi i (ky y / H + kx x / W)),
/// keeping the non-redundant half kx = 0 ... W/2; `inverse` is its unnormalised c2r counterpart, so
/// inverse(forward(x)) = H W x. Spectra are interleaved (re, im) pairs, row-major [H][W/2 + 1].
/// Source: the FFTW 3 manual, "Multi-Dimensional DFTs of Real Data".
final class RealFFT2D {
    let height: Int
    let width: Int
    /// W / 2 + 1 columns of the half spectrum.
    let columns: Int
    private let real: UnsafeMutablePointer<Float>
    private let complex: UnsafeMutablePointer<fftwf_complex>
    private let forwardPlan: fftwf_plan
    private let inversePlan: fftwf_plan

    /// FFTW's planner is not thread-safe (only execution is): planning and destroying plans are
    /// serialised across the kernel's threads.
    private static let plannerLock = NSLock()
    /// FFTW_ESTIMATE (1U << 6 in fftw3.h): a plan chosen without timing runs, so the same
    /// arithmetic, and the same bits, every time (FFTW_MEASURE may pick a different algorithm).
    private static let estimate: UInt32 = 1 << 6

    /// - Throws: `EngineError.invalid` for an empty size, `EngineError.unsupported` when FFTW cannot
    ///   allocate or plan.
    init(height: Int, width: Int) throws {
        guard height > 0, width > 0 else { throw EngineError.invalid("FFT: size \(height)x\(width) is empty") }
        self.height = height
        self.width = width
        columns = width / 2 + 1
        guard let realMemory = fftwf_malloc(MemoryLayout<Float>.stride * height * width),
              let complexMemory = fftwf_malloc(MemoryLayout<fftwf_complex>.stride * height * columns) else {
            throw EngineError.unsupported("FFT: FFTW could not allocate \(height)x\(width)")
        }
        real = realMemory.bindMemory(to: Float.self, capacity: height * width)
        complex = complexMemory.bindMemory(to: fftwf_complex.self, capacity: height * columns)
        RealFFT2D.plannerLock.lock()
        let forward = fftwf_plan_dft_r2c_2d(Int32(height), Int32(width), real, complex, RealFFT2D.estimate)
        let inverse = fftwf_plan_dft_c2r_2d(Int32(height), Int32(width), complex, real, RealFFT2D.estimate)
        RealFFT2D.plannerLock.unlock()
        guard let forward, let inverse else {
            fftwf_free(realMemory)
            fftwf_free(complexMemory)
            throw EngineError.unsupported("FFT: FFTW could not plan a \(height)x\(width) transform")
        }
        forwardPlan = forward
        inversePlan = inverse
    }

    deinit {
        RealFFT2D.plannerLock.lock()
        fftwf_destroy_plan(forwardPlan)
        fftwf_destroy_plan(inversePlan)
        RealFFT2D.plannerLock.unlock()
        fftwf_free(real)
        fftwf_free(complex)
    }

    /// The half spectrum of `values` (H x W, row-major), as 2 H (W/2 + 1) interleaved floats.
    func forward(_ values: [Float]) -> [Float] {
        precondition(values.count == height * width, "RealFFT2D.forward: \(values.count) values for \(height)x\(width)")
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { real.update(from: base, count: values.count) }
        }
        fftwf_execute(forwardPlan)
        let count = 2 * height * columns
        return complex.withMemoryRebound(to: Float.self, capacity: count) { Array(UnsafeBufferPointer(start: $0, count: count)) }
    }

    /// The real H x W signal of a Hermitian half spectrum, unnormalised (H W times the inverse DFT).
    /// The caller makes columns 0 and W/2 Hermitian; FFTW leaves other inputs' results unspecified.
    func inverse(_ spectrum: [Float]) -> [Float] {
        let count = 2 * height * columns
        precondition(spectrum.count == count, "RealFFT2D.inverse: \(spectrum.count) values for \(height)x\(columns) complex")
        complex.withMemoryRebound(to: Float.self, capacity: count) { target in
            spectrum.withUnsafeBufferPointer { if let base = $0.baseAddress { target.update(from: base, count: count) } }
        }
        // c2r overwrites its input; it was copied in above, so `spectrum` is untouched.
        fftwf_execute(inversePlan)
        return Array(UnsafeBufferPointer(start: real, count: height * width))
    }
}

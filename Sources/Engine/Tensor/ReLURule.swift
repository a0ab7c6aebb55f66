/// Which backward rule ReLU-like nonlinearities (ReLU, ReLU6) use, chosen per `backward` call.
///
/// Lecture 004: with forward input x and incoming gradient g,
/// - `standard`: g where x > 0 (the true derivative);
/// - `deconvnet` (Zeiler & Fergus): g where g > 0, ignoring x;
/// - `guided` (Springenberg et al.): g where x > 0 and g > 0.
public enum ReLURule: String, Sendable, CaseIterable {
    case standard
    case guided
    case deconvnet

    /// The gradient passed back through one ReLU unit. `open` says whether the forward unit
    /// let its input through (x > 0 for ReLU, 0 < x < 6 for ReLU6).
    /// NOTE: at x == 0 exactly the unit counts as closed (PyTorch's choice).
    @inline(__always)
    func pass(gradient: Float, open: Bool) -> Float {
        switch self {
        case .standard: return open ? gradient : 0
        case .guided: return open && gradient > 0 ? gradient : 0
        case .deconvnet: return gradient > 0 ? gradient : 0
        }
    }

    /// The gradient after the rule, for a whole tensor: `input[i]` decides "open"
    /// (lower < x < upper). Eight lanes at a time with SIMD masks: the signs of activations
    /// and gradients are random, so a branch per element would mispredict half the time.
    static func masked(_ gradient: [Float], input: [Float], lower: Float, upper: Float, rule: ReLURule) -> [Float] {
        let count = Swift.min(gradient.count, input.count)
        return [Float](unsafeUninitializedCapacity: count) { result, initialized in
            input.withUnsafeBufferPointer { xBuffer in
                gradient.withUnsafeBufferPointer { gBuffer in
                    guard let x = xBuffer.baseAddress, let g = gBuffer.baseAddress, let out = result.baseAddress else { return }
                    Parallel.forRanges(count) { range in
                        let zero = SIMD8<Float>(repeating: 0)
                        var index = range.lowerBound
                        while index + 8 <= range.upperBound {
                            let xs = UnsafeRawPointer(x + index).loadUnaligned(as: SIMD8<Float>.self)
                            let gs = UnsafeRawPointer(g + index).loadUnaligned(as: SIMD8<Float>.self)
                            let open = (xs .> lower) .& (xs .< upper)
                            let keep: SIMDMask<SIMD8<Int32>>
                            switch rule {
                            case .standard: keep = open
                            case .guided: keep = open .& (gs .> zero)
                            case .deconvnet: keep = gs .> zero
                            }
                            UnsafeMutableRawPointer(out + index).storeBytes(of: zero.replacing(with: gs, where: keep),
                                                                             as: SIMD8<Float>.self)
                            index += 8
                        }
                        while index < range.upperBound {
                            out[index] = rule.pass(gradient: g[index], open: x[index] > lower && x[index] < upper)
                            index += 1
                        }
                    }
                }
            }
            initialized = count
        }
    }
}

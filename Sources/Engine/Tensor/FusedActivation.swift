/// A ReLU-like nonlinearity applied inside another op (`conv2d(..., activation:)`).
///
/// Fusing saves a full pass over memory and an allocation per layer, about a tenth of a
/// network's forward time. Backward honours the call's `ReLURule` exactly as a separate
/// `relu()` / `relu6()` would; the pre-activation values are simply not exposed as a tensor.
public enum FusedActivation: String, Sendable, CaseIterable {
    case none
    case relu
    case relu6

    /// The largest value the activation lets through (∞ for ReLU).
    var upper: Float { self == .relu6 ? 6 : .infinity }

    /// Adds `bias` to every value and applies the activation, in place, in one pass.
    func apply(_ values: UnsafeMutableBufferPointer<Float>, adding bias: Float = 0) {
        let upper = self.upper
        switch self {
        case .none:
            if bias != 0 { for index in values.indices { values[index] += bias } }
        case .relu, .relu6:
            for index in values.indices {
                let x = values[index] + bias
                values[index] = x > upper ? upper : (x > 0 ? x : 0)
            }
        }
    }

    /// Masks `gradient` by `rule`, deciding "open" from the activation's output y: for ReLU
    /// y > 0 exactly when x > 0; for ReLU6 0 < y < 6 exactly when 0 < x < 6.
    func maskedGradient(_ gradient: [Float], output: [Float], rule: ReLURule) -> [Float] {
        guard self != .none else { return gradient }
        return ReLURule.masked(gradient, input: output, lower: 0, upper: upper, rule: rule)
    }
}

import Foundation

/// The update rules `Trainer` offers, as in ConvNetJS's `Trainer` (which compares them in its
/// "SGD / Adagrad / Adadelta" demo). Every rule first adds L2 weight decay to the gradient of
/// a decaying parameter (g ← g + decay · w, the gradient of decay / 2 · ‖w‖², ConvNetJS's
/// `l2_decay`), then steps:
public enum OptimizerKind: String, Sendable, CaseIterable {
    /// w ← w − rate · g.
    case sgd
    /// v ← momentum · v − rate · g; w ← w + v (ConvNetJS's momentum SGD; PyTorch's
    /// `SGD(momentum:)` differs only in where the rate multiplies, same with constant rate).
    case momentum
    /// Duchi, Hazan & Singer 2011: G ← G + g²; w ← w − rate · g / √(G + ε), ε = 1e-8 (ConvNetJS).
    case adagrad
    /// Zeiler 2012, "ADADELTA: an adaptive learning rate method", Algorithm 1, ρ = 0.95,
    /// ε = 1e-6: E[g²] ← ρ E[g²] + (1 − ρ) g²; Δ = −√(E[Δ²] + ε) / √(E[g²] + ε) · g;
    /// E[Δ²] ← ρ E[Δ²] + (1 − ρ) Δ²; w ← w + rate · Δ. Zeiler's rule has no rate: rate 1 is his
    /// (PyTorch's `Adadelta(lr: 1)` is the same scaling).
    case adadelta
    /// Kingma & Ba 2015, Algorithm 1, β1 = 0.9, β2 = 0.999, ε = 1e-8: m ← β1 m + (1 − β1) g;
    /// v ← β2 v + (1 − β2) g²; w ← w − rate · m̂ / (√v̂ + ε) with m̂ = m / (1 − β1ᵗ),
    /// v̂ = v / (1 − β2ᵗ). Its first step is rate · sign(g) (up to ε).
    case adam
}

/// Hyperparameters of an optimizer; the constants default to the values cited on each kind.
public struct OptimizerSettings: Sendable, Equatable {
    public var kind: OptimizerKind
    /// Step size (learning rate).
    public var rate: Float
    /// Momentum coefficient (`momentum` only).
    public var momentum: Float
    /// L2 weight decay coefficient, applied to weights, not biases.
    public var decay: Float
    public var epsilon: Float
    /// Adadelta's ρ.
    public var rho: Float
    public var beta1: Float
    public var beta2: Float

    /// Throws `EngineError.invalid` for a rate that is not positive and finite, a momentum or ρ
    /// outside 0 ..< 1, or a negative decay.
    public init(kind: OptimizerKind, rate: Float, momentum: Float = 0.9, decay: Float = 0, epsilon: Float? = nil,
                rho: Float = 0.95, beta1: Float = 0.9, beta2: Float = 0.999) throws {
        guard rate > 0, rate.isFinite else { throw EngineError.invalid("optimizer: the rate must be positive, got \(rate)") }
        guard momentum >= 0, momentum < 1 else { throw EngineError.invalid("optimizer: momentum must be in 0 ..< 1, got \(momentum)") }
        guard decay >= 0, decay.isFinite else { throw EngineError.invalid("optimizer: decay must be ≥ 0, got \(decay)") }
        guard rho > 0, rho < 1, beta1 >= 0, beta1 < 1, beta2 >= 0, beta2 < 1 else {
            throw EngineError.invalid("optimizer: rho, beta1 and beta2 must be in 0 ..< 1")
        }
        self.kind = kind
        self.rate = rate
        self.momentum = momentum
        self.decay = decay
        self.epsilon = epsilon ?? (kind == .adadelta ? 1e-6 : 1e-8)
        self.rho = rho
        self.beta1 = beta1
        self.beta2 = beta2
    }
}

/// An optimizer with its per-parameter state (velocity, accumulators, moments), one slot per
/// parameter tensor in a fixed order.
public struct Optimizer {
    /// The settings; a live rate change (`TrainingControl.rate`) writes `settings.rate` between steps.
    public var settings: OptimizerSettings
    /// Per parameter: momentum's velocity, Adagrad's G, Adadelta's E[g²], Adam's m.
    public private(set) var first: [[Float]]
    /// Per parameter: Adadelta's E[Δ²], Adam's v.
    public private(set) var second: [[Float]]
    /// Steps taken (Adam's t).
    public private(set) var steps = 0

    /// State for parameters of `counts` values each.
    public init(settings: OptimizerSettings, counts: [Int]) {
        self.settings = settings
        first = counts.map { [Float](repeating: 0, count: $0) }
        second = counts.map { [Float](repeating: 0, count: $0) }
    }

    /// One step on every parameter from its `grad` (a parameter without one is left alone);
    /// `decays[i]` says whether weight decay applies to parameter i. The caller clears the
    /// gradients. Throws `EngineError.invalid` when the parameter list does not match the state.
    public mutating func step(_ parameters: [Tensor], decays: [Bool]) throws {
        guard parameters.count == first.count, decays.count == parameters.count else {
            throw EngineError.invalid("optimizer: state for \(first.count) parameters, stepping \(parameters.count)")
        }
        steps += 1
        let s = settings
        let correction1 = 1 - Float(pow(Double(s.beta1), Double(steps)))
        let correction2 = 1 - Float(pow(Double(s.beta2), Double(steps)))
        for (slot, parameter) in parameters.enumerated() {
            guard let gradient = parameter.grad, gradient.count == parameter.count, first[slot].count == parameter.count else { continue }
            let decay = decays[slot] ? s.decay : 0
            parameter.data.withUnsafeMutableBufferPointer { w in
                first[slot].withUnsafeMutableBufferPointer { a in
                    second[slot].withUnsafeMutableBufferPointer { b in
                        for i in 0..<w.count {
                            let g = gradient[i] + decay * w[i]
                            switch s.kind {
                            case .sgd:
                                w[i] -= s.rate * g
                            case .momentum:
                                a[i] = s.momentum * a[i] - s.rate * g
                                w[i] += a[i]
                            case .adagrad:
                                a[i] += g * g
                                w[i] -= s.rate * g / (a[i] + s.epsilon).squareRoot()
                            case .adadelta:
                                a[i] = s.rho * a[i] + (1 - s.rho) * g * g
                                let delta = -((b[i] + s.epsilon).squareRoot() / (a[i] + s.epsilon).squareRoot()) * g
                                b[i] = s.rho * b[i] + (1 - s.rho) * delta * delta
                                w[i] += s.rate * delta
                            case .adam:
                                a[i] = s.beta1 * a[i] + (1 - s.beta1) * g
                                b[i] = s.beta2 * b[i] + (1 - s.beta2) * g * g
                                w[i] -= s.rate * (a[i] / correction1) / ((b[i] / correction2).squareRoot() + s.epsilon)
                            }
                        }
                    }
                }
            }
        }
    }
}

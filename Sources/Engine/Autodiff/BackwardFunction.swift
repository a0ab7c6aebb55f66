/// The backward half of one op: given dLoss/dOutput and the ReLU rule of this `backward`
/// call, add the op's contribution into its parents' gradients (`accumulateGradient`).
///
/// It captures its inputs (and whatever the forward saved, such as max-pool argmaxes) but
/// never its output, so the graph holds no reference cycles.
typealias BackwardFunction = (_ outputGradient: [Float], _ rule: ReLURule) -> Void

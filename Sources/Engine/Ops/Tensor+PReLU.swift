/// Parametric ReLU (He et al. 2015, "Delving deep into rectifiers"; ONNX PRelu,
/// https://onnx.ai/onnx/operators/onnx__PRelu.html).
extension Tensor {
    /// x where x ≥ 0, slope · x elsewhere, with `slope` broadcast to the input's shape
    /// (NumPy rules, one direction: per channel as [C, 1, 1], or one scalar). Built from
    /// ReLU and broadcasting arithmetic, relu(x) + slope · (x − relu(x)), so the gradient with
    /// respect to both x and slope comes from those ops. Throws when `slope` does not
    /// broadcast to the input without growing it.
    public func prelu(slope: Tensor) throws -> Tensor {
        let broadcast = try Broadcast(self.shape, slope.shape, operation: "prelu").shape
        guard broadcast == shape else {
            throw EngineError.shapeMismatch("prelu: slope of shape \(slope.shape) would broadcast the input \(shape) to \(broadcast)")
        }
        let positive = relu()
        return try positive + slope * (self - positive)
    }
}

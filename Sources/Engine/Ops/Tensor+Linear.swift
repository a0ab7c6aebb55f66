/// Matrix products: matmul, transpose, fully connected layers.
extension Tensor {
    /// [M, K] × [K, N] -> [M, N].
    public func matmul(_ other: Tensor) throws -> Tensor {
        guard rank == 2, other.rank == 2, shape[1] == other.shape[0] else {
            throw EngineError.shapeMismatch("matmul: needs [M, K] × [K, N], got \(shape) × \(other.shape)")
        }
        let m = shape[0], k = shape[1], n = other.shape[1]
        let left = self, right = other
        var values = [Float](repeating: 0, count: m * n)
        left.data.withUnsafeBufferPointer { a in
            right.data.withUnsafeBufferPointer { b in
                values.withUnsafeMutableBufferPointer { c in
                    BLAS.gemm(m: m, n: n, k: k, a: a.baseAddress, lda: k, b: b.baseAddress, ldb: n,
                              c: c.baseAddress, ldc: n)
                }
            }
        }
        return Tensor.makeResult(shape: [m, n], data: values, parents: [left, right]) { outputGradient, _ in
            outputGradient.withUnsafeBufferPointer { g in
                // dA = G · Bᵀ, dB = Aᵀ · G
                left.accumulateGradient { ga in
                    right.data.withUnsafeBufferPointer { b in
                        BLAS.gemm(transposeB: true, m: m, n: k, k: n, a: g.baseAddress, lda: n,
                                  b: b.baseAddress, ldb: n, beta: 1, c: ga.baseAddress, ldc: k)
                    }
                }
                right.accumulateGradient { gb in
                    left.data.withUnsafeBufferPointer { a in
                        BLAS.gemm(transposeA: true, m: k, n: n, k: m, a: a.baseAddress, lda: k,
                                  b: g.baseAddress, ldb: n, beta: 1, c: gb.baseAddress, ldc: n)
                    }
                }
            }
        }
    }

    /// [M, N] -> [N, M].
    public func transpose2D() throws -> Tensor {
        guard rank == 2 else { throw EngineError.invalid("transpose2D: needs a 2-D tensor, got \(shape)") }
        let m = shape[0], n = shape[1]
        var values = [Float](repeating: 0, count: count)
        for i in 0..<m { for j in 0..<n { values[j * m + i] = data[i * n + j] } }
        let input = self
        return Tensor.makeResult(shape: [n, m], data: values, parents: [input]) { outputGradient, _ in
            input.accumulateGradient { g in
                for i in 0..<m { for j in 0..<n { g[i * n + j] += outputGradient[j * m + i] } }
            }
        }
    }

    /// Fully connected layer: x [N, in] · Wᵀ (W is [out, in], PyTorch's layout) + b [out].
    public func linear(weight: Tensor, bias: Tensor?) throws -> Tensor {
        guard rank == 2, weight.rank == 2, weight.shape[1] == shape[1] else {
            throw EngineError.shapeMismatch("linear: input \(shape) needs [N, in] and weight [out, in], got weight \(weight.shape)")
        }
        let batch = shape[0], inputs = shape[1], outputs = weight.shape[0]
        if let bias, bias.count != outputs {
            throw EngineError.shapeMismatch("linear: bias has \(bias.count) values, layer has \(outputs) outputs")
        }
        let input = self
        var values = [Float](repeating: 0, count: batch * outputs)
        if let bias {
            for row in 0..<batch { for column in 0..<outputs { values[row * outputs + column] = bias.data[column] } }
        }
        input.data.withUnsafeBufferPointer { x in
            weight.data.withUnsafeBufferPointer { w in
                values.withUnsafeMutableBufferPointer { y in
                    BLAS.gemm(transposeB: true, m: batch, n: outputs, k: inputs, a: x.baseAddress, lda: inputs,
                              b: w.baseAddress, ldb: inputs, beta: 1, c: y.baseAddress, ldc: outputs)
                }
            }
        }
        let parents = [input, weight] + (bias.map { [$0] } ?? [])
        return Tensor.makeResult(shape: [batch, outputs], data: values, parents: parents) { outputGradient, _ in
            outputGradient.withUnsafeBufferPointer { g in
                input.accumulateGradient { gx in   // dX = G · W
                    weight.data.withUnsafeBufferPointer { w in
                        BLAS.gemm(m: batch, n: inputs, k: outputs, a: g.baseAddress, lda: outputs,
                                  b: w.baseAddress, ldb: inputs, beta: 1, c: gx.baseAddress, ldc: inputs)
                    }
                }
                weight.accumulateGradient { gw in  // dW = Gᵀ · X
                    input.data.withUnsafeBufferPointer { x in
                        BLAS.gemm(transposeA: true, m: outputs, n: inputs, k: batch, a: g.baseAddress, lda: outputs,
                                  b: x.baseAddress, ldb: inputs, beta: 1, c: gw.baseAddress, ldc: inputs)
                    }
                }
                bias?.accumulateGradient { gb in
                    for row in 0..<batch { for column in 0..<outputs { gb[column] += g[row * outputs + column] } }
                }
            }
        }
    }
}

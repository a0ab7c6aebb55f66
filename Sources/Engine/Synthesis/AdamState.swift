import Foundation

/// Adam (Kingma and Ba) on a flat buffer, descending.
struct AdamState {
    var first: [Float]
    var second: [Float]
    var steps = 0
    let beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8

    init(count: Int) {
        first = [Float](repeating: 0, count: count)
        second = [Float](repeating: 0, count: count)
    }

    mutating func step(_ values: inout [Float], gradient: [Float], rate: Float) {
        steps += 1
        let correction1 = 1 - Float(pow(Double(beta1), Double(steps)))
        let correction2 = 1 - Float(pow(Double(beta2), Double(steps)))
        for index in values.indices {
            let g = gradient[index]
            first[index] = beta1 * first[index] + (1 - beta1) * g
            second[index] = beta2 * second[index] + (1 - beta2) * g * g
            let mean = first[index] / correction1, variance = second[index] / correction2
            values[index] -= rate * mean / (variance.squareRoot() + epsilon)
        }
    }
}

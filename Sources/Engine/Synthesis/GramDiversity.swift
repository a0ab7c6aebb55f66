import Foundation

/// The diversity penalty of Olah, Mordvintsev and Schubert 2017 ("Feature Visualization",
/// Distill, "Diversity"; lucid's `objectives.diversity`), lecture 000 sections 1.19-1.20: the
/// images of a batch should differ in *style*, so the penalty is the sum over pairs i < j of the
/// cosine similarity of their Gram matrices at a layer,
///
///     G_i = A_i A_i^T / (H W)         (A_i: the layer's [C, H W] activation of image i)
///     P   = sum_{i<j} <G_i, G_j> / (|G_i| |G_j|)
///
/// with the Gram matrices flattened to vectors (Frobenius inner product and norm). Cosine
/// similarity ignores scale, so only the mix of co-occurring features counts.
enum GramDiversity {
    /// G = A A^T / (H W) of one [C, H W] activation (row-major C x C).
    static func gram(_ activation: ArraySlice<Float>, channels: Int, positions: Int) -> [Float] {
        let base = activation.startIndex
        var gram = [Float](repeating: 0, count: channels * channels)
        let scale = 1 / Float(Swift.max(positions, 1))
        for a in 0..<channels {
            for b in a..<channels {
                var sum: Float = 0
                for p in 0..<positions { sum += activation[base + a * positions + p] * activation[base + b * positions + p] }
                gram[a * channels + b] = sum * scale
                gram[b * channels + a] = sum * scale
            }
        }
        return gram
    }

    /// The cosine similarity of two flattened Gram matrices; 0 when either is all zeros (a dead
    /// layer has no style to compare).
    static func similarity(_ first: [Float], _ second: [Float]) -> Float {
        let (dot, a, b) = products(first, second)
        return a > 0 && b > 0 ? dot / (a * b).squareRoot() : 0
    }

    /// The mean of the cosine similarities over all pairs of `grams` (0 for fewer than two).
    static func meanSimilarity(_ grams: [[Float]]) -> Float {
        guard grams.count > 1 else { return 0 }
        var total: Float = 0
        for i in 0..<grams.count { for j in (i + 1)..<grams.count { total += similarity(grams[i], grams[j]) } }
        return total / Float(grams.count * (grams.count - 1) / 2)
    }

    /// P for the activations of a batch (each [C, H W]) and dP/dA_i for each.
    ///
    /// dP/dG_i = sum_{j != i} (G_j / (|G_i| |G_j|) - s_ij G_i / |G_i|^2), a symmetric matrix M_i,
    /// and since G = A A^T / (H W), dP/dA_i = (M_i + M_i^T) A_i / (H W) = 2 M_i A_i / (H W).
    static func penalty(_ activations: [[Float]], channels: Int, positions: Int) -> (value: Float, gradients: [[Float]]) {
        let grams = activations.map { gram($0[...], channels: channels, positions: positions) }
        let norms = grams.map { gram in gram.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot() }
        var value: Float = 0
        var gramGradients = grams.map { [Float](repeating: 0, count: $0.count) }
        for i in 0..<grams.count {
            for j in 0..<grams.count where j != i && norms[i] > 0 && norms[j] > 0 {
                let s = similarity(grams[i], grams[j])
                if j > i { value += s }
                let (cross, own) = (1 / (norms[i] * norms[j]), s / (norms[i] * norms[i]))
                for k in grams[i].indices { gramGradients[i][k] += cross * grams[j][k] - own * grams[i][k] }
            }
        }
        let scale = 2 / Float(Swift.max(positions, 1))
        let gradients = (0..<activations.count).map { item -> [Float] in
            let (m, a) = (gramGradients[item], activations[item])
            var gradient = [Float](repeating: 0, count: a.count)
            for row in 0..<channels {
                for column in 0..<channels {
                    let weight = scale * m[row * channels + column]
                    guard weight != 0 else { continue }
                    for p in 0..<positions { gradient[row * positions + p] += weight * a[column * positions + p] }
                }
            }
            return gradient
        }
        return (value, gradients)
    }

    private static func products(_ first: [Float], _ second: [Float]) -> (Float, Float, Float) {
        var (dot, a, b): (Float, Float, Float) = (0, 0, 0)
        for index in first.indices {
            dot += first[index] * second[index]
            a += first[index] * first[index]
            b += second[index] * second[index]
        }
        return (dot, a, b)
    }
}

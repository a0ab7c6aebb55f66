import XCTest
@testable import Engine

final class TSNETests: XCTestCase {
    /// `clusters` Gaussian blobs (std 1) with centres 20 apart on the axes of a `dims`-space.
    static func blobs(clusters: Int, perCluster: Int, dims: Int, seed: UInt64 = 7) -> (points: [Float], labels: [Int]) {
        var random = SeededRandom(seed: seed)
        var points: [Float] = [], labels: [Int] = []
        for index in 0..<(clusters * perCluster) {
            let cluster = index % clusters
            for dim in 0..<dims { points.append((dim == cluster ? 20 : 0) + random.normal()) }
            labels.append(cluster)
        }
        return (points, labels)
    }

    static func nearestNeighbourAgreement(_ positions: [Float], labels: [Int]) -> Double {
        let n = labels.count
        var agree = 0
        for i in 0..<n {
            var best = -1, bestDistance = Float.infinity
            for j in 0..<n where j != i {
                let dx = positions[2 * i] - positions[2 * j], dy = positions[2 * i + 1] - positions[2 * j + 1]
                if dx * dx + dy * dy < bestDistance { bestDistance = dx * dx + dy * dy; best = j }
            }
            if labels[best] == labels[i] { agree += 1 }
        }
        return Double(agree) / Double(n)
    }

    func testPerplexityCalibrationHitsTargetEntropy() {
        var random = SeededRandom(seed: 3)
        let distances = (0..<60).map { _ in random.uniform(0.5, 40) }
        var output = [Double](repeating: 0, count: 60)
        distances.withUnsafeBufferPointer { d in
            output.withUnsafeMutableBufferPointer { out in
                SparseAffinities.calibrateRow(distances: d, targetEntropy: log(10.0), output: out)
            }
        }
        XCTAssertEqual(output.reduce(0, +), 1, accuracy: 1e-9)
        let entropy = -output.filter { $0 > 0 }.map { $0 * log($0) }.reduce(0, +)
        XCTAssertEqual(exp(entropy), 10, accuracy: 1e-3)   // perplexity = exp(H)
        // Nearer points get more probability.
        let nearest = distances.indices.min { distances[$0] < distances[$1] } ?? 0
        XCTAssertEqual(output.max(), output[nearest])
    }

    func testAffinitiesAreSymmetricAndSumToOne() throws {
        let data = Self.blobs(clusters: 2, perCluster: 20, dims: 4)
        let p = try SparseAffinities.compute(points: data.points, rows: 40, columns: 4, perplexity: 5, neighbourCount: 16)
        XCTAssertEqual(p.value.reduce(0, +), 1, accuracy: 1e-9)
        var dense = [Double](repeating: 0, count: 40 * 40)
        for i in 0..<40 { for e in p.rowStart[i]..<p.rowStart[i + 1] { dense[i * 40 + Int(p.columnIndex[e])] = p.value[e] } }
        for i in 0..<40 { for j in 0..<40 { XCTAssertEqual(dense[i * 40 + j], dense[j * 40 + i], accuracy: 1e-15) } }
        XCTAssertEqual((0..<40).map { dense[$0 * 40 + $0] }.max(), 0)
    }

    func testNearestNeighboursMatchBruteForce() throws {
        let data = Self.blobs(clusters: 3, perCluster: 30, dims: 5)
        let found = try NearestNeighbours.search(points: data.points, rows: 90, columns: 5, k: 7)
        for i in [0, 17, 89] {
            let distances = (0..<90).filter { $0 != i }.map { j -> (Float, Int) in
                ((0..<5).map { data.points[i * 5 + $0] - data.points[j * 5 + $0] }.map { $0 * $0 }.reduce(0, +), j)
            }.sorted { $0 < $1 }
            XCTAssertEqual(found.index[(i * 7)..<(i * 7 + 7)].map(Int.init), distances.prefix(7).map(\.1))
            XCTAssertEqual(found.squaredDistance[i * 7], distances[0].0, accuracy: 1e-3)
        }
    }

    func testExactGradientMatchesFiniteDifferencesOfKL() throws {
        let data = Self.blobs(clusters: 2, perCluster: 4, dims: 3)
        let p = try SparseAffinities.compute(points: data.points, rows: 8, columns: 3, perplexity: 3, neighbourCount: 7)
        let model = TSNEGradient(affinities: p, theta: 0)
        var random = SeededRandom(seed: 11)
        let y = (0..<16).map { _ in Double(random.normal()) }
        var gradient = [Double]()
        model.evaluate(positions: y, exaggeration: 1, gradient: &gradient)
        func kl(_ positions: [Double]) -> Double {
            model.klDivergence(positions: positions, z: model.exactNormaliser(positions: positions))
        }
        let h = 1e-6
        for index in 0..<16 {
            var plus = y, minus = y
            plus[index] += h
            minus[index] -= h
            XCTAssertEqual(gradient[index], (kl(plus) - kl(minus)) / (2 * h), accuracy: 1e-6)
        }
    }

    func testBarnesHutWithThetaZeroEqualsExactRepulsion() {
        var random = SeededRandom(seed: 5)
        var y = (0..<400).map { _ in Double(random.normal(standardDeviation: 5)) }
        y[2] = y[0]; y[3] = y[1]   // a duplicate point
        var exact = [Double](repeating: 0, count: 400), tree = [Double](repeating: 0, count: 400)
        let quadTree = y.withUnsafeBufferPointer { QuadTree(positions: $0, count: 200, theta: 0) }
        let (zExact, zTree) = y.withUnsafeBufferPointer { positions -> (Double, Double) in
            let a = exact.withUnsafeMutableBufferPointer {
                TSNEGradient.exactRepulsion(y: positions, count: 200, workers: 2, out: $0.baseAddress)
            }
            let b = tree.withUnsafeMutableBufferPointer {
                TSNEGradient.treeRepulsion(tree: quadTree, y: positions, range: 0..<200, out: $0.baseAddress)
            }
            return (a, b)
        }
        XCTAssertEqual(zTree, zExact, accuracy: 1e-9 * zExact)
        for index in 0..<400 { XCTAssertEqual(tree[index], exact[index], accuracy: 1e-9) }
        // theta 0.5 approximates within a few percent.
        let approximate = y.withUnsafeBufferPointer { QuadTree(positions: $0, count: 200, theta: 0.5) }
        var rough = [Double](repeating: 0, count: 400)
        let zRough = y.withUnsafeBufferPointer { positions in
            rough.withUnsafeMutableBufferPointer {
                TSNEGradient.treeRepulsion(tree: approximate, y: positions, range: 0..<200, out: $0.baseAddress)
            }
        }
        XCTAssertEqual(zRough, zExact, accuracy: 0.02 * zExact)
    }

    func testSeparatesClustersAndBarnesHutKLIsCloseToExact() throws {
        let data = Self.blobs(clusters: 3, perCluster: 40, dims: 10)
        var options = TSNE.Options(perplexity: 10, theta: 0.5, iterations: 600)
        let barnesHut = try TSNE.embed(data.points, rows: 120, columns: 10, options: options)
        options.theta = 0
        let exact = try TSNE.embed(data.points, rows: 120, columns: 10, options: options)
        XCTAssertEqual(Self.nearestNeighbourAgreement(barnesHut.positions, labels: data.labels), 1.0)
        XCTAssertEqual(Self.nearestNeighbourAgreement(exact.positions, labels: data.labels), 1.0)
        XCTAssertEqual(barnesHut.klDivergence, exact.klDivergence, accuracy: 0.1 * exact.klDivergence)
        XCTAssertGreaterThan(exact.klDivergence, 0)
        XCTAssertEqual(barnesHut.iterationsRun, 600)
        DrawingTestPNG.write(try XCTUnwrap(ScatterPlot(title: "t-SNE of 3 blobs (BH)", points: barnesHut.positions,
                                                       labels: data.labels, classNames: ["a", "b", "c"]).render()),
                             name: "tsne-blobs")
    }

    func testSameSeedSameBytesAndStopping() throws {
        let data = Self.blobs(clusters: 2, perCluster: 15, dims: 3)
        let options = TSNE.Options(perplexity: 5, theta: 0.5, iterations: 100, initialization: .random, seed: 42)
        let first = try TSNE.embed(data.points, rows: 30, columns: 3, options: options)
        let second = try TSNE.embed(data.points, rows: 30, columns: 3, options: options)
        XCTAssertEqual(first.positions, second.positions)
        var reports: [Int] = []
        var polls = 0
        let stopped = try TSNE.embed(data.points, rows: 30, columns: 3, options: options,
                                     shouldStop: { polls += 1; return polls > 60 },
                                     progress: { iteration, positions in
                                         reports.append(iteration)
                                         XCTAssertEqual(positions.count, 60)
                                     })
        XCTAssertTrue(stopped.stopped)
        XCTAssertEqual(stopped.iterationsRun, 60)
        XCTAssertEqual(reports, [50])
    }

    func testInvalidInputsThrow() {
        XCTAssertThrowsError(try TSNE.embed([0, 1, 2, 3], rows: 2, columns: 2)) { error in
            XCTAssertEqual(error as? EmbeddingError, .perplexityTooLarge(perplexity: 30, needed: 31, got: 2, suggested: nil))
        }
        let data = Self.blobs(clusters: 2, perCluster: 10, dims: 2)
        XCTAssertThrowsError(try TSNE.embed(data.points, rows: 20, columns: 2,
                                            options: TSNE.Options(perplexity: 5, theta: 2)))
        XCTAssertThrowsError(try TSNE.embed(data.points, rows: 20, columns: 2,
                                            options: TSNE.Options(perplexity: 0.5)))
    }
}

import XCTest
import Engine
@testable import Language

final class EmbeddingBuiltinTests: XCTestCase {
    func testPCAOfPointsOnALine() {
        let session = Session()
        XCTAssertNil(run("p = pca([[0, 0], [1, 1], [2, 2], [3, 3]], dims: 1)", in: session).error)
        XCTAssertEqual(result("p.shape", in: session), "[4, 1]")
        // Centred positions along the diagonal: ±0.5√2 and ±1.5√2, in order (up to one sign for all).
        guard case .engine(.tensor(let tensor))? = session.variables["p"] else { return XCTFail() }
        let expected: [Float] = [-1.5, -0.5, 0.5, 1.5].map { $0 * 2.0.squareRoot() }.map(Float.init)
        let sign: Float = tensor.data[0] < 0 ? 1 : -1
        for (got, want) in zip(tensor.data, expected) { XCTAssertEqual(got, sign * want, accuracy: 1e-4) }
        XCTAssertEqual(failure("pca([[1, 2], [3]])")?.kind, .type)
        XCTAssertEqual(failure("pca([[1, 2], [3, 4]], dims: 3)")?.message, "dims must be at most 2 for x's 2 rows of 2 columns, got 3")
    }

    func testTensorsIndexByRowLikeNumpy() {
        let session = Session()
        // pca with dims 2 of three points keeps a [3, 2] tensor; rows and slices of it.
        XCTAssertNil(run("p = pca([[0, 0], [2, 0], [4, 1]], dims: 2)", in: session).error)
        XCTAssertEqual(result("p[1].shape", in: session), "[2]")
        XCTAssertEqual(result("p[0..1].shape", in: session), "[2, 2]")
        XCTAssertEqual(result("p[-1].values == p[2].values", in: session), "true")
        XCTAssertEqual(result("p[1..2].values == [p[1][0], p[1][1], p[2][0], p[2][1]]", in: session), "true")
        XCTAssertEqual(failure("p[3]", in: session)?.message, "index 3 is out of range")
        XCTAssertEqual(failure("p[1..5]", in: session)?.message, "slice 1..5 is out of range")
    }

    func testTSNESeparatesTwoClustersRepeatablyAndDBSCANFindsThem() {
        let session = Session()
        // Two clusters of twenty points, far apart, in 3-D (spread by a fixed pseudo-random pattern).
        let rows = (0..<40).map { i -> String in
            let base = i < 20 ? 0.0 : 20.0
            let a = Double((i * 7) % 11) / 11, b = Double((i * 5) % 13) / 13, c = Double((i * 3) % 17) / 17
            return "[\(base + a), \(base + b), \(base + c)]"
        }
        let data = "[" + rows.joined(separator: ", ") + "]"
        let cell = run("seed(7)\na = tsne(\(data), perplexity: 5, iterations: 500)\nseed(7)\nb = tsne(\(data), perplexity: 5, iterations: 500)\na.values == b.values", in: session)
        XCTAssertNil(cell.error)
        XCTAssertEqual(cell.resultText, "true", "same seed, same positions")
        guard case .engine(.tensor(let points))? = session.variables["a"] else { return XCTFail() }
        func distance(_ i: Int, _ j: Int) -> Float {
            let dx = points.data[2 * i] - points.data[2 * j], dy = points.data[2 * i + 1] - points.data[2 * j + 1]
            return (dx * dx + dy * dy).squareRoot()
        }
        // Each point's nearest neighbour on the map belongs to its own cluster.
        for i in 0..<40 {
            let nearest = (0..<40).filter { $0 != i }.min { distance(i, $0) < distance(i, $1) } ?? i
            XCTAssertEqual(nearest < 20, i < 20, "point \(i)'s nearest neighbour \(nearest) is in the other cluster")
        }
        XCTAssertEqual(result("dbscan([[0, 0], [0, 1], [1, 0], [10, 10], [10, 11], [11, 10], [50, 50]], 1.5, min_points: 2)"),
                       "[0, 0, 0, 1, 1, 1, -1]")
        let eps = "3"
        let plot = run("scatter(a, labels: dbscan(a, \(eps), min_points: 2), names: [\"one\", \"two\"])", in: session)
        XCTAssertNil(plot.error)
        guard case .success(let bundle?, _) = plot.outcome else { return XCTFail() }
        XCTAssertNotNil(bundle.data["image/png"])
    }
}

final class ToneMapBuiltinTests: XCTestCase {
    func testToneMapKeepsTheNumbersAndScalesSmallMaps() throws {
        let session = try ToyNetwork.session()
        let canvas = Canvas(width: 2, height: 2)
        session.assign("m", .engine(.picture(Picture(canvas: canvas, title: "map", numbers: ([2, 2], [-1, 0, 1, 3])))))
        XCTAssertNil(run("t = tonemap(m, mode: \"symmetric\", colormap: \"diverging\")", in: session).error)
        guard case .engine(.picture(let mapped))? = session.variables["t"] else { return XCTFail() }
        XCTAssertEqual(mapped.array.shape, [2, 2])
        XCTAssertEqual(mapped.array.values, [-1, 0, 1, 3])
        XCTAssertEqual(mapped.image.width, 256)
        // The 256-pixel map and one line of caption under it (the tone map and colormap).
        XCTAssertEqual(mapped.image.height - 2 * 128, TextMetrics.lineHeight() + 4)
        XCTAssertEqual(failure("tonemap(img)", in: session)?.message, "toy has no map (H x W, or H x W x 3) behind it")
        XCTAssertEqual(failure("tonemap(m, mode: \"log\")", in: session)?.kind, .value)
    }
}

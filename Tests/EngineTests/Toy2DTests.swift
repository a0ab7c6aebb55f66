import XCTest
@testable import Engine

/// TensorFlow Playground's sets: seeded, balanced, and shaped as src/dataset.ts draws them
/// (coordinates divided by 6).
final class Toy2DTests: XCTestCase {
    private func points(_ data: LabeledDataset) -> [(x: Float, y: Float, label: Int)] {
        (0..<data.count).map { (data.inputs[2 * $0], data.inputs[2 * $0 + 1], data.labels![$0]) }
    }

    func testTheSameSeedGivesTheSameBytesAndAnotherSeedOthers() throws {
        for kind in Toy2D.Kind.allCases {
            let a = try Toy2D.make(kind, count: 200, noise: 0.2, seed: 7)
            let b = try Toy2D.make(kind, count: 200, noise: 0.2, seed: 7)
            let c = try Toy2D.make(kind, count: 200, noise: 0.2, seed: 8)
            XCTAssertEqual(a.inputs.map(\.bitPattern), b.inputs.map(\.bitPattern), kind.rawValue)
            XCTAssertEqual(a.labels, b.labels, kind.rawValue)
            XCTAssertNotEqual(a.inputs, c.inputs, kind.rawValue)
            XCTAssertEqual(a.sampleShape, [2])
            XCTAssertEqual(a.count, 200)
        }
    }

    func testSpiralRadiiGrowWithTheAngleAndTheArmsAreHalfATurnApart() throws {
        let data = try Toy2D.make(.spiral, count: 400, noise: 0, seed: 1)
        let all = points(data)
        XCTAssertEqual(all.filter { $0.label == 0 }.count, 200)
        // Without noise every point lies on r = 5 t / (1.75 * 2π) (Playground units), t its unwrapped angle:
        // check r <= 5 and that each arm is the other rotated by π (point (x, y) of arm 0 has (-x, -y) in arm 1).
        for point in all {
            let r = (point.x * point.x + point.y * point.y).squareRoot() * 6
            XCTAssertLessThan(r, 5.0001)
        }
        let arm1 = Set(all.filter { $0.label == 1 }.map { "\(Int(($0.x * 1e4).rounded())),\(Int(($0.y * 1e4).rounded()))" })
        let mirrored = all.filter { $0.label == 0 }.filter { arm1.contains("\(Int((-$0.x * 1e4).rounded())),\(Int((-$0.y * 1e4).rounded()))") }
        XCTAssertGreaterThan(mirrored.count, 190, "arm 1 is arm 0 turned by π (up to rounding at 1e-4)")
        let maxRadius = all.map { ($0.x * $0.x + $0.y * $0.y).squareRoot() * 6 }.max() ?? 0
        XCTAssertEqual(maxRadius, 5 * 199 / 200, accuracy: 1e-3, "the last point of an arm is at 5 (n - 1) / n")
    }

    func testCirclesAreADiscInsideARingAndBalanced() throws {
        let data = try Toy2D.make(.circles, count: 1000, noise: 0, seed: 2)
        let all = points(data)
        XCTAssertEqual(all.filter { $0.label == 0 }.count, 500)
        for point in all {
            let r = (point.x * point.x + point.y * point.y).squareRoot() * 6
            if point.label == 0 { XCTAssertLessThanOrEqual(r, 2.5 + 1e-4) } else { XCTAssertTrue((3.5 - 1e-4)...(5 + 1e-4) ~= r, "\(r)") }
        }
        XCTAssertTrue(all.allSatisfy { abs($0.x) <= 1 && abs($0.y) <= 1 }, "within [-1, 1]^2")
    }

    func testXORLabelsAreTheQuadrantsAndClustersAreBalanced() throws {
        let xor = points(try Toy2D.make(.xor, count: 500, noise: 0, seed: 3))
        XCTAssertTrue(xor.allSatisfy { ($0.x * $0.y >= 0) == ($0.label == 0) })
        XCTAssertTrue(xor.allSatisfy { abs($0.x) * 6 >= 0.3 && abs($0.y) * 6 >= 0.3 }, "pushed 0.3 from the axes")
        let clusters = try Toy2D.make(.clusters, count: 300, noise: 0, seed: 4, classes: 3)
        XCTAssertEqual(clusters.classNames.count, 3)
        for c in 0..<3 {
            let members = points(clusters).filter { $0.label == c }
            XCTAssertEqual(members.count, 100)
            // Centre of class c: radius 2√2 at angle π/4 + 2πc/3 (Playground units); deviation √0.5 / √100 per mean.
            let angle = Float.pi / 4 + 2 * Float.pi * Float(c) / 3
            let meanX = members.map(\.x).reduce(0, +) / 100 * 6, meanY = members.map(\.y).reduce(0, +) / 100 * 6
            XCTAssertEqual(meanX, 2 * Float(2).squareRoot() * cos(angle), accuracy: 0.3)
            XCTAssertEqual(meanY, 2 * Float(2).squareRoot() * sin(angle), accuracy: 0.3)
        }
    }

    func testMoonsWithoutNoiseLieOnTheirHalfCircles() throws {
        for point in points(try Toy2D.make(.moons, count: 100, noise: 0, seed: 5)) {
            let x = point.x * 1.5 + 0.5, y = point.y * 1.5 + 0.25
            let (cx, cy): (Float, Float) = point.label == 0 ? (0, 0) : (1, 0.5)
            XCTAssertEqual(((x - cx) * (x - cx) + (y - cy) * (y - cy)).squareRoot(), 1, accuracy: 1e-5)
            XCTAssertTrue(point.label == 0 ? y >= -1e-5 : y <= 0.5 + 1e-5)
        }
    }

    func testBadArgumentsAreRefused() {
        XCTAssertThrowsError(try Toy2D.make(.spiral, count: 1, noise: 0, seed: 0))
        XCTAssertThrowsError(try Toy2D.make(.spiral, count: 10, noise: 0.6, seed: 0))
        XCTAssertThrowsError(try Toy2D.make(.clusters, count: 10, noise: 0, seed: 0, classes: 11))
    }
}

import XCTest
@testable import Engine

final class TrainingDashboardTests: XCTestCase {
    /// The strip's first prediction is green when right and red when wrong; filters and curves draw.
    func testDashboardColoursPredictionsAndDrawsCurves() throws {
        let snapshot = TrainingSnapshot(examples: 400, epoch: 1, steps: 20, batchLoss: 0.5, smoothedLoss: 0.6, validationAccuracy: 0.75,
                                        examplesPerSecond: 1234, forwardMilliseconds: 0.2, backwardMilliseconds: 0.4)
        let digit = [Float](repeating: 1, count: 28 * 28)
        var random = SeededRandom(seed: 1)
        let filters = try Tensor.randomNormal(shape: [8, 1, 5, 5], using: &random)
        let dashboard = TrainingDashboard(
            loss: [(20, 2.3), (200, 1.0), (400, 0.6)], accuracy: [(200, 0.5), (400, 0.75)], snapshot: snapshot, filters: filters,
            strip: [(digit, 28, 28, 1, "7", [("7", 0.9), ("1", 0.05), ("2", 0.01)]),
                    (digit, 28, 28, 1, "3", [("8", 0.6), ("3", 0.3), ("5", 0.05)])])
        let canvas = dashboard.render()
        XCTAssertEqual(canvas.width, 720)
        func count(_ color: RGBColor, x: Range<Int>, y: Range<Int>) -> Int {
            var total = 0
            // Anti-aliased ink: a logical pixel counts when it is within 0.2 of the colour in every channel.
            for row in y {
                for column in x {
                    guard let c = canvas.color(x: column, y: row) else { continue }
                    if abs(c.red - color.red) < 0.2, abs(c.green - color.green) < 0.2, abs(c.blue - color.blue) < 0.2 { total += 1 }
                }
            }
            return total
        }
        // Text under the first digit (x 10..<68) is green, under the second (68..<126) red.
        XCTAssertGreaterThan(count(TrainingDashboard.green, x: 10..<68, y: 322..<334), 0)
        XCTAssertEqual(count(.red, x: 10..<68, y: 322..<334), 0)
        XCTAssertGreaterThan(count(.red, x: 68..<126, y: 322..<334), 0)
        // Both curves are drawn inside their boxes.
        XCTAssertGreaterThan(count(TrainingDashboard.blue, x: 10..<350, y: 25..<185), 20)
        XCTAssertGreaterThan(count(TrainingDashboard.green, x: 370..<710, y: 25..<185), 20)
        _ = DrawingTestPNG.write(canvas, name: "training-dashboard")
    }
}

import XCTest
@testable import Language

/// adversarial's methods and members, fooling and patch through the language, on the MNIST LeNet
/// (skipped without the fetched assets).
final class AttackBuiltinTests: XCTestCase {
    private func session() throws -> Session {
        if SampleImages().names.isEmpty { throw XCTSkip("assets are not fetched (run make setup)") }
        let session = Session()
        XCTAssertNil(run("net = model(\"lenet_mnist\")\nseven = mnist(count: 1).image[0]", in: session).error)
        return session
    }

    private func number(_ expression: String, in session: Session) -> Double? {
        XCTAssertNil(run("value_ = \(expression)", in: session).error, expression)
        guard case .number(let value)? = session.variables["value_"] else { return nil }
        return value
    }

    func testAdversarialMethodsReportTheirChangeAndProbability() throws {
        let session = try session()
        XCTAssertNil(run("""
        a = adversarial(net, seven, class: 3, epsilon: 77, confidence: 0.9)
        f = adversarial(net, seven, class: 3, method: "fgsm", epsilon: 20)
        p = adversarial(net, seven, class: 3, method: "pgd", epsilon: 30, rate: 5, steps: 12, random_start: true)
        """, in: session).error)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(number("a.probability", in: session)), 0.9)
        XCTAssertLessThanOrEqual(try XCTUnwrap(number("a.linf", in: session)), 77 + 1e-3)
        XCTAssertEqual(try XCTUnwrap(number("a.fooled", in: session)), 1)
        // FGSM moves every pixel that can move by exactly epsilon: the largest change is 20 grey levels.
        XCTAssertEqual(try XCTUnwrap(number("f.linf", in: session)), 20, accuracy: 1e-3)
        XCTAssertEqual(try XCTUnwrap(number("f.steps", in: session)), 1)
        XCTAssertEqual(try XCTUnwrap(number("p.steps", in: session)), 12)
        XCTAssertLessThanOrEqual(try XCTUnwrap(number("p.linf", in: session)), 30 + 1e-3)
        XCTAssertEqual(failure("adversarial(net, seven, class: 3, random_start: true)", in: session)?.message,
                       "random_start goes with method: \"pgd\"")
        XCTAssertEqual(failure("adversarial(net, seven, class: 3, confidence: 1)", in: session)?.message,
                       "argument 'confidence' of adversarial must be above 0 and below 1, got 1")
    }

    func testFoolingReachesTheConfidenceAndIsRepeatable() throws {
        let session = try session()
        XCTAssertNil(run("seed(5)\nf = fooling(net, class: 4)\nseed(5)\ng = fooling(net, class: 4)", in: session).error)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(number("f.probability", in: session)), 0.99)
        guard case .engine(.picture(let f))? = session.variables["f"], case .engine(.picture(let g))? = session.variables["g"] else {
            return XCTFail("no pictures")
        }
        XCTAssertEqual(f.image.pixels, g.image.pixels, "same seed, same image")
        XCTAssertEqual([f.image.width, f.image.height], [28, 28])
    }

    func testPatchReportsASuccessRate() throws {
        let session = try session()
        XCTAssertNil(run("seed(2)\ndigits = mnist(count: 10).image\nq = patch(net, digits, class: 3, size: 0.2, steps: 15, batch: 4)",
                         in: session).error)
        let success = try XCTUnwrap(number("q.success", in: session))
        XCTAssertTrue((0...1).contains(success))
        XCTAssertEqual(try XCTUnwrap(number("q.steps", in: session)), 15)
        XCTAssertEqual(try XCTUnwrap(number("q.width", in: session)), 13, "sqrt(0.2 * 28 * 28) = 12.5, rounded")
        XCTAssertEqual(failure("patch(net, [seven], class: 3)", in: session)?.message,
                       "patch needs at least 2 images (some to train on, some to measure with), got 1")
    }
}

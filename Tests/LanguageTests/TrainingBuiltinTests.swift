import XCTest
import Engine
@testable import Language

/// convnet, mlp and train through the language.
final class TrainingBuiltinTests: XCTestCase {
    func testSpecErrorPutsACaretUnderTheBadWord() throws {
        let cell = run("net = convnet(\"conv 5x5 8 relu, pol 2, fc 10 softmax\")")
        let error = try XCTUnwrap(cell.error)
        XCTAssertTrue(error.message.contains("unknown layer 'pol'"), error.message)
        // The source line and the caret line: ^^^ under "pol".
        let lines = cell.report
        let sourceLine = try XCTUnwrap(lines.first { $0.contains("convnet(") })
        let caretLine = try XCTUnwrap(lines.first { $0.contains("^") })
        let caretStart = try XCTUnwrap(caretLine.firstIndex(of: "^")).utf16Offset(in: caretLine)
        let polStart = try XCTUnwrap(sourceLine.range(of: "pol 2")).lowerBound.utf16Offset(in: sourceLine)
        XCTAssertEqual(caretStart, polStart)
        XCTAssertEqual(caretLine.filter { $0 == "^" }.count, 3)
    }

    func testConvnetIsAModelWithReadableLayers() {
        let session = Session()
        XCTAssertNil(run("seed(1)\nnet = convnet(\"conv 5x5 8 relu, pool 2, conv 5x5 16 relu, pool 3, fc 10 softmax\", input: [1, 28, 28])",
                         in: session).error)
        XCTAssertEqual(result("net.layer_names", in: session), "[\"conv1\", \"pool1\", \"conv2\", \"pool2\", \"fc1\"]")
        XCTAssertEqual(result("net.classes[9]", in: session), "\"9\"")
        XCTAssertNil(run("m = mlp([2, 8, 8, 2], activation: \"tanh\")", in: session).error)
        XCTAssertEqual(result("m.layer_names", in: session), "[\"fc1\", \"fc2\", \"fc3\"]")
    }

    /// train on a small MNIST set: the model changes in place and the history is a table.
    func testTrainMutatesTheModelAndReturnsHistory() throws {
        let session = Session()
        let digits = try MNISTDataset.load(.test).labeled(name: "mnist").subset(Array(0..<300))
        session.assign("d", .engine(.dataset(try digits.subset(Array(0..<200)))))
        session.assign("v", .engine(.dataset(try digits.subset(Array(200..<300)))))
        XCTAssertNil(run("seed(2)\nnet = convnet(\"conv 5x5 4 relu, pool 2, fc 10 softmax\")", in: session).error)
        guard case .engine(.model(let model))? = session.variables["net"] else { return XCTFail("no model") }
        let before = try model.network.forward(try digits.batch([0]), capture: [], until: nil).output.data
        let cell = run("h = train(net, d, epochs: 1, batch: 20, validation: v)", in: session)
        XCTAssertNil(cell.error)
        XCTAssertEqual(result("h.columns", in: session), "[\"examples\", \"epoch\", \"loss\", \"smoothed_loss\", \"validation_accuracy\", \"rate\"]")
        let after = try model.network.forward(try digits.batch([0]), capture: [], until: nil).output.data
        XCTAssertNotEqual(before, after, "the model reads the trained weights")
        XCTAssertEqual(model.trainable?.examplesSeen, 200)
        // A loaded-style model (no trainable graph) is refused with a reason.
        XCTAssertNotNil(failure("train(net, 3)", in: session))
    }

    func testAnMLPTrainedOnPointsIsEvaluatedLikeItWasTrained() throws {
        let session = Session()
        let cell = run("""
            seed(2)
            pts = toy2d(kind: "circles", count: 200, seed: 1)
            net = mlp([2, 8, 2], activation: "tanh")
            h = train(net, pts, epochs: 30, batch: 10, optimizer: "adam", rate: 0.03)
            m = evaluate(net, pts)
            """, in: session)
        XCTAssertNil(cell.error)
        guard case .engine(.model(let model))? = session.variables["net"],
              case .engine(.dataset(let points))? = session.variables["pts"],
              case .engine(.picture(let matrix))? = session.variables["m"] else { return XCTFail("missing values") }
        // evaluate's confusion counts equal an argmax over the network's own outputs, point by point.
        let labels = try XCTUnwrap(points.labels)
        var counts = [Float](repeating: 0, count: 4)
        for index in 0..<points.count {
            let x = try points.batch([index]).reshape([1, 1, 1, 2])
            let output = try model.network.forward(x, capture: [], until: nil).output.data
            counts[labels[index] * 2 + (output[1] > output[0] ? 1 : 0)] += 1
        }
        XCTAssertEqual(matrix.numbers?.values, counts)
        XCTAssertGreaterThan(counts[0] + counts[3], 180, "circles are learned: \(counts)")
    }
}

import XCTest
@testable import Engine

/// TensorFlow Playground's picture: decision regions, hidden-neuron maps, and the dashboard panel.
final class DecisionPlaneTests: XCTestCase {
    private func trainedMLP() throws -> (TrainableNetwork, LabeledDataset) {
        let data = try Toy2D.make(.circles, count: 200, noise: 0, seed: 8)
        var random = SeededRandom(seed: 3)
        let network = try TrainableNetwork(name: "mlp", graph: try ConvNetSpec.mlp([2, 6, 4, 2], activation: .tanh).graph(input: [1, 1, 2], random: &random),
                                           inputShape: [1, 1, 2], classNames: ["0", "1"])
        let options = try TrainingOptions(epochs: 30, batchSize: 10, optimizer: try OptimizerSettings(kind: .adam, rate: 0.02), seed: 1)
        _ = try Trainer.train(network, on: data, options: options)
        return (network, data)
    }

    /// The colour of the regions picture at a point is the colour of the class the network
    /// predicts at that point, computed here one point at a time.
    func testRegionColourIsTheNetworksPredictionThere() throws {
        let (network, data) = try trainedMLP()
        let extent = DecisionPlane.extent(of: data)
        XCTAssertGreaterThanOrEqual(extent, 1)
        let plane = try DecisionPlane.compute(network, extent: extent, resolution: 20)
        let plot = DecisionPlanePlot(plane: plane, points: [], labels: [])
        let canvas = plot.render()
        var classesSeen = Set<Int>()
        let probes: [(Float, Float)] = [(0, 0), (0.05, -0.1), (0.9, 0.9), (-0.95, 0.2), (0.3, -0.85), (-0.6, -0.6), (0.55, 0.1)]
        for (x, y) in probes {
            let logits = try network.predict(try Tensor(shape: [1, 1, 1, 2], data: [x, y])).data
            let predicted = logits[1] > logits[0] ? 1 : 0
            // The grid samples cell centres: move (x, y) to its cell's centre before comparing.
            let cell = plot.pixel(x: x, y: y)
            let column = (cell.x - DecisionPlanePlot.margin) * 20 / plot.side
            let row = (cell.y - DecisionPlanePlot.margin - DecisionPlanePlot.titleHeight) * 20 / plot.side
            let centre = DecisionPlane.point(row: row, column: column, extent: extent, resolution: 20)
            let centreLogits = try network.predict(try Tensor(shape: [1, 1, 1, 2], data: [centre.x, centre.y])).data
            let centreClass = centreLogits[1] > centreLogits[0] ? 1 : 0
            XCTAssertEqual(canvas.color(x: cell.x, y: cell.y), DecisionPlanePlot.regionColor(centreClass), "at (\(x), \(y))")
            XCTAssertEqual(plane.predictions[row * 20 + column], centreClass)
            classesSeen.insert(predicted)
        }
        // Trained on circles: the centre is class 0 (inside) and a corner class 1 (outside).
        XCTAssertEqual(classesSeen, [0, 1])
        XCTAssertNotEqual(DecisionPlanePlot.regionColor(0), DecisionPlanePlot.regionColor(1))
    }

    /// Each first-layer neuron's map is tanh(w · p + b) at the grid points, from the fc1 weights.
    func testNeuronMapsAreTheHiddenOutputs() throws {
        let (network, _) = try trainedMLP()
        let plane = try DecisionPlane.compute(network, extent: 1.2, resolution: 8)
        XCTAssertEqual(plane.neurons.count, 6 + 4)
        XCTAssertEqual(plane.neurons.map(\.layer), Array(repeating: "fc1.tanh", count: 6) + Array(repeating: "fc2.tanh", count: 4))
        let fc1 = try XCTUnwrap(network.graph.node("fc1"))
        let weight = try XCTUnwrap(fc1.parameters["weight"]), bias = try XCTUnwrap(fc1.parameters["bias"])
        XCTAssertEqual(weight.shape, [6, 2])
        for (row, column) in [(0, 0), (3, 5), (7, 7)] {
            let p = DecisionPlane.point(row: row, column: column, extent: 1.2, resolution: 8)
            for neuron in 0..<6 {
                let expected = tanh(weight.data[2 * neuron] * p.x + weight.data[2 * neuron + 1] * p.y + bias.data[neuron])
                XCTAssertEqual(plane.neurons[neuron].values[row * 8 + column], expected, accuracy: 1e-5)
            }
        }
        XCTAssertEqual(DecisionPlane.point(row: 0, column: 0, extent: 1.2, resolution: 8).x, -1.2 + 0.15, accuracy: 1e-6)
        XCTAssertEqual(DecisionPlane.point(row: 0, column: 0, extent: 1.2, resolution: 8).y, 1.2 - 0.15, accuracy: 1e-6)
    }

    /// The points are drawn in their class colour; the dashboard carries the panel under its curves.
    func testPointsAndDashboardPanel() throws {
        let (network, data) = try trainedMLP()
        let plane = try DecisionPlane.compute(network, extent: 1.2, resolution: 16)
        let labels = try XCTUnwrap(data.labels)
        let plot = DecisionPlanePlot(plane: plane, points: Array(data.inputs.prefix(2)), labels: [labels[0]])
        let canvas = plot.render()
        let at = plot.pixel(x: data.inputs[0], y: data.inputs[1])
        XCTAssertEqual(canvas.color(x: at.x, y: at.y), CategoricalPalette.color(labels[0]))
        XCTAssertGreaterThan(canvas.width, plot.side + 2 * DecisionPlanePlot.margin, "neuron maps beside the regions")
        let snapshot = TrainingSnapshot(examples: 10, epoch: 1, steps: 1, batchLoss: 0.7, smoothedLoss: 0.7, validationAccuracy: nil,
                                        examplesPerSecond: 100, forwardMilliseconds: 0.1, backwardMilliseconds: 0.1)
        var dashboard = TrainingDashboard(loss: [(10, 0.7)], accuracy: [], snapshot: snapshot, filters: nil, strip: [])
        dashboard.panel = canvas
        let whole = dashboard.render()
        XCTAssertEqual(whole.height, 225 + canvas.height)
        XCTAssertEqual(whole.color(x: 10 + at.x, y: 222 + at.y), CategoricalPalette.color(labels[0]))
        var random = SeededRandom(seed: 1)
        let threeFeatures = try TrainableNetwork(spec: try ConvNetSpec("fc 2 softmax"), input: [1, 1, 3], random: &random)
        XCTAssertThrowsError(try DecisionPlane.compute(threeFeatures, extent: 1, resolution: 8))
    }
}

import XCTest
@testable import Engine

/// `diagram(net)`'s layout on a hand-built graph whose connections are known: which box reads
/// which, which connections go to lanes and which lane each gets, wrapping into columns, and
/// that the rendered picture puts each box's stripe where the layout says.
final class LayerDiagramTests: XCTestCase {
    /// input -> stem (conv) -> a (conv) -> b (conv) -> add(b, stem) -> pool -> logits, and a
    /// second skip add2(add, a): two overlapping skips that need two lanes.
    static func network() throws -> GraphNetwork {
        func conv(_ name: String, _ input: String, _ cin: Int, _ cout: Int) throws -> LayerNode {
            LayerNode(name: name, op: .convolution(ConvolutionAttributes(padding: .symmetric(1))), inputs: [input],
                      parameters: ["weight": try Tensor(shape: [cout, cin, 3, 3], data: [Float](repeating: 0.01, count: cout * cin * 9))])
        }
        let graph = try LayerGraph(nodes: [
            try conv("stem", "input", 3, 4),
            try conv("a", "stem", 4, 4),
            try conv("b", "a", 4, 4),
            LayerNode(name: "add", op: .add, inputs: ["b", "stem"]),
            LayerNode(name: "add2", op: .add, inputs: ["add", "a"]),
            LayerNode(name: "pool", op: .globalAveragePool, inputs: ["add2"]),
            LayerNode(name: "flat", op: .flatten, inputs: ["pool"], layer: "pool"),
            LayerNode(name: "logits", op: .linear, inputs: ["flat"],
                      parameters: ["weight": try Tensor(shape: [2, 4], data: [Float](repeating: 0.5, count: 8))]),
        ])
        return try GraphNetwork(name: "toy", graph: graph,
                                inputConvention: try InputConvention(height: 6, width: 6, channelOrder: .rgb, classNames: ["x", "y"]))
    }

    func testBoxesSourcesAndFamilies() throws {
        let diagram = try LayerDiagram(network: try LayerDiagramTests.network())
        XCTAssertEqual(diagram.boxes.map(\.name), ["input", "stem", "a", "b", "add", "add2", "pool", "logits"])
        XCTAssertEqual(diagram.boxes.map(\.sources), [[], [0], [1], [2], [1, 3], [2, 4], [5], [6]])
        XCTAssertEqual(diagram.boxes.map(\.family), [.input, .convolution, .convolution, .convolution, .merge, .merge, .pooling, .fullyConnected])
        XCTAssertEqual(diagram.boxes[1].shape, [4, 6, 6])
        XCTAssertEqual(diagram.boxes[6].shape, [4], "the pool layer ends with its flatten node")
        XCTAssertEqual(diagram.boxes[1].parameters, 4 * 3 * 9)
        XCTAssertEqual(diagram.title, "toy: 7 layers, 404 parameters")
    }

    func testSkipsGetLanesThatDoNotOverlap() throws {
        let lanes = try LayerDiagram(network: try LayerDiagramTests.network()).laneAssignments()
        // stem -> add spans rows 1...4 and a -> add2 spans 2...5: they overlap, so two lanes;
        // the shorter-or-earlier one (stem -> add, span 3, starts first) is innermost.
        XCTAssertEqual(lanes.map { [$0.source, $0.target, $0.lane] }, [[1, 4, 0], [2, 5, 1]])
    }

    func testLongNetworksWrapAndNameSourcesInEarlierColumns() throws {
        var diagram = try LayerDiagram(network: try LayerDiagramTests.network())
        diagram.rowsPerColumn = 4 // columns: boxes 0-3, 4-7
        // Every skip now ends in the second column but starts in the first, so none is a lane;
        // add reads b (the box just above, but across the wrap) and stem, add2 reads a.
        XCTAssertTrue(diagram.laneAssignments().isEmpty)
        XCTAssertEqual(diagram.crossColumnSources(4), ["stem", "b"])
        XCTAssertEqual(diagram.crossColumnSources(5), ["a"])
        XCTAssertEqual(diagram.crossColumnSources(6), [])
        let canvas = diagram.render()
        XCTAssertGreaterThan(canvas.width, 2 * diagram.boxWidth, "two columns side by side")
        XCTAssertEqual(canvas.height, 19 + 18 + 4 * 48 + 13 + 12)
    }

    func testRenderedStripesSitWhereTheLayoutPutsThem() throws {
        let diagram = try LayerDiagram(network: try LayerDiagramTests.network())
        let canvas = diagram.render()
        let titleHeight = 19 + 18
        for (index, box) in diagram.boxes.enumerated() {
            let y = titleHeight + index * 48 + 15
            XCTAssertEqual(canvas.color(x: 12 + 2, y: y)?.hex, box.family.color.hex, "stripe of \(box.name)")
        }
        XCTAssertEqual(canvas.height, titleHeight + 8 * 48 + 13 + 12)
    }

    func testCountsAreShort() {
        XCTAssertEqual(NumberLabel.count(812), "812")
        XCTAssertEqual(NumberLabel.count(37_440), "37.4k")
        XCTAssertEqual(NumberLabel.count(999_960), "1M")
        XCTAssertEqual(NumberLabel.count(1_235_000), "1.24M")
        XCTAssertEqual(NumberLabel.count(138_357_544), "138M")
    }
}

/// A network's layer graph drawn as boxes joined by arrows, in the spirit of the lectures'
/// AlexNet and residual-network diagrams and of Harley's node-link view ("An Interactive
/// Node-Link Visualization of Convolutional Neural Networks", ISVC 2015).
///
/// One box per user-visible layer (what `layers(net)` lists and the techniques take), top to
/// bottom in forward order, after a box for the input. Each box gives the layer's name, its
/// kind, its output shape (C x H x W, or the vector length) and its parameter count, with a
/// coloured stripe for the kind of computation (convolution, pooling, fully connected, merge
/// of branches, other). An arrow joins consecutive layers when one reads the other; every other
/// connection (a residual shortcut, the branches of an inception or fire module joining, a
/// squeeze-and-excitation gate) is a line in a lane to the right of the boxes, so branches and
/// skips show as they do in the lectures' ResNet figure. Long networks wrap into columns.
public struct LayerDiagram: Sendable {
    /// One box: a layer, or the network input (index 0).
    public struct Box: Equatable, Sendable {
        public var name: String
        public var kind: String
        public var shape: [Int]
        public var parameters: Int
        public var family: Family
        /// Indices of the boxes this one reads, ascending (the input is box 0).
        public var sources: [Int]
    }

    /// The kind of computation a layer does, for its stripe colour.
    public enum Family: String, CaseIterable, Sendable {
        case input, convolution, pooling, fullyConnected = "fully connected", merge, other

        var color: RGBColor {
            switch self {
            case .input: return RGBColor(hex: 0x7F7F7F)
            case .convolution: return RGBColor(hex: 0x1F77B4)
            case .pooling: return RGBColor(hex: 0xFF7F0E)
            case .fullyConnected: return RGBColor(hex: 0x2CA02C)
            case .merge: return RGBColor(hex: 0x9467BD)
            case .other: return RGBColor(hex: 0x8C564B)
            }
        }
    }

    public let title: String
    public let boxes: [Box]
    /// Most boxes in one column before the diagram wraps.
    public var rowsPerColumn = 16

    /// The diagram of `network`'s graph at its input size. Throws what the graph's shape
    /// inference throws (it cannot for a loaded network).
    public init(network: GraphNetwork) throws {
        let graph = network.graph
        let (height, width) = network.inputSize
        let inputShape = [network.inputChannels, height, width]
        let infos = try graph.layerInfos(input: [1] + inputShape)
        let layerOutputs = graph.layerOutputs
        var position: [String: Int] = [:]
        for (offset, layer) in layerOutputs.enumerated() { position[layer.layer] = offset + 1 }
        var members: [Int: [LayerNode]] = [:]
        var boxOfNode: [String: Int] = [LayerGraph.inputName: 0]
        for node in graph.nodes {
            guard let box = position[node.layerName] else { continue }
            members[box, default: []].append(node)
            boxOfNode[node.name] = box
        }
        var boxes = [Box(name: "input", kind: network.inputConvention.channelOrder.rawValue.uppercased() + " image", shape: inputShape,
                         parameters: 0, family: .input, sources: [])]
        for (offset, info) in infos.enumerated() {
            let box = offset + 1
            let group = members[box] ?? []
            let sources = Set(group.flatMap(\.inputs).compactMap { boxOfNode[$0] }.filter { $0 != box })
            boxes.append(Box(name: info.name, kind: info.kind, shape: info.outputShape, parameters: info.parameterCount,
                             family: LayerDiagram.family(of: group.map(\.op)), sources: sources.sorted()))
        }
        let total = infos.reduce(0) { $0 + $1.parameterCount }
        self.title = "\(network.name): \(infos.count) layers, \(NumberLabel.count(total)) parameters"
        self.boxes = boxes
    }

    public init(title: String, boxes: [Box]) {
        self.title = title
        self.boxes = boxes
    }

    /// The family of a layer made of `ops`: a convolution anywhere makes it a convolution
    /// layer (a fire module, an MBConv block), then fully connected, pooling, merging.
    static func family(of ops: [LayerOp]) -> Family {
        func any(_ test: (LayerOp) -> Bool) -> Bool { ops.contains(where: test) }
        if any({ if case .convolution = $0 { return true } else { return false } }) { return .convolution }
        if any({ $0 == .linear }) { return .fullyConnected }
        if any({
            switch $0 {
            case .maxPool, .averagePool, .globalAveragePool: return true
            default: return false
            }
        }) { return .pooling }
        if any({ [.add, .mul, .sub, .div].contains($0) || { if case .concat = $0 { return true } else { return false } }($0) }) {
            return .merge
        }
        return .other
    }

    /// The connections drawn in lanes: every source in the same column that is not the box
    /// just above, as (source, target) with the lane each gets. Lanes are shared by connections
    /// whose row spans do not overlap (interval colouring, shortest spans innermost). Sources in
    /// an earlier column are named beside the box instead (`crossColumnSources`).
    func laneAssignments() -> [(source: Int, target: Int, lane: Int)] {
        let skips = boxes.indices.flatMap { target in
            boxes[target].sources.filter { $0 != target - 1 && column($0) == column(target) }.map { ($0, target) }
        }.sorted { ($0.1 - $0.0, $0.0) < ($1.1 - $1.0, $1.0) }
        var occupied: [[(Int, Int)]] = []
        var result: [(source: Int, target: Int, lane: Int)] = []
        for (source, target) in skips {
            let lane = occupied.firstIndex { $0.allSatisfy { $0.1 < source || $0.0 > target } } ?? occupied.count
            if lane == occupied.count { occupied.append([]) }
            occupied[lane].append((source, target))
            result.append((source, target, lane))
        }
        return result
    }

    /// The names of the boxes in earlier columns that box `index` reads.
    func crossColumnSources(_ index: Int) -> [String] {
        boxes[index].sources.filter { column($0) != column(index) }.map { boxes[$0].name }
    }

    /// Rows in each column: at most `rowsPerColumn`, the columns balanced (23 boxes are 12 + 11, not 16 + 7).
    var rows: Int {
        let columns = max(1, (boxes.count + rowsPerColumn - 1) / max(rowsPerColumn, 1))
        return max(1, (boxes.count + columns - 1) / columns)
    }

    func column(_ index: Int) -> Int { index / rows }
}

extension LayerDiagram {
    private static let boxHeight = 34, pitch = 48, margin = 12, laneGap = 10

    /// Wide enough for the longest name or kind beside its shape or parameter count, within limits.
    var boxWidth: Int {
        let widest = boxes.map { box in
            max(TextMetrics.width(of: box.name) + TextMetrics.width(of: LayerDiagram.shapeText(box)),
                TextMetrics.width(of: box.kind) + TextMetrics.width(of: LayerDiagram.parameterText(box)))
        }.max() ?? 0
        return min(max(widest + 24, 240), 400)
    }

    static func shapeText(_ box: Box) -> String { box.shape.map(String.init).joined(separator: "x") }
    static func parameterText(_ box: Box) -> String { box.parameters > 0 ? NumberLabel.count(box.parameters) + " params" : "" }

    /// The diagram as a picture: title, then columns of boxes.
    public func render() -> Canvas {
        let boxWidth = self.boxWidth
        let lanes = laneAssignments()
        let rows = self.rows, columns = column(boxes.count - 1) + 1
        let lanesPerColumn = (0..<columns).map { c in
            (lanes.filter { column($0.target) == c }.map(\.lane).max() ?? -1) + 1
        }
        let labels = boxes.indices.map { index in
            crossColumnSources(index).isEmpty ? "" : Canvas.truncate("from " + crossColumnSources(index).joined(separator: ", "), toWidth: 160)
        }
        var columnLeft = [LayerDiagram.margin]
        for c in 0..<columns {
            let labelWidth = boxes.indices.filter { column($0) == c }.map { TextMetrics.width(of: labels[$0]) }.max() ?? 0
            columnLeft.append(columnLeft[c] + boxWidth + 16 + lanesPerColumn[c] * LayerDiagram.laneGap
                              + (labelWidth > 0 ? labelWidth + 14 : 0) + 24)
        }
        let titleHeight = TextMetrics.height(of: "X", scale: 2) + 18
        let legendHeight = TextMetrics.lineHeight() + 12
        let width = max(columnLeft[columns], TextMetrics.width(of: title, scale: 2) + 2 * LayerDiagram.margin, 420)
        let height = titleHeight + rows * LayerDiagram.pitch + legendHeight
        var canvas = Canvas(width: width, height: height)
        canvas.drawText(title, x: LayerDiagram.margin, y: 8, scale: 2)

        func frame(_ index: Int) -> (x: Int, y: Int) {
            (columnLeft[column(index)], titleHeight + (index % rows) * LayerDiagram.pitch)
        }
        let line = RGBColor(gray: 0.35)
        for (index, box) in boxes.enumerated() {
            let (x, y) = frame(index)
            draw(box, on: &canvas, x: x, y: y, width: boxWidth)
            if index > 0, box.sources.contains(index - 1), column(index - 1) == column(index) {
                let centre = x + boxWidth / 2
                canvas.drawLine(fromX: centre, y: y - (LayerDiagram.pitch - LayerDiagram.boxHeight), toX: centre, y: y - 2, color: line)
                LayerDiagram.arrowHead(on: &canvas, x: centre, y: y - 1, pointing: .down, color: line)
            }
            if !labels[index].isEmpty {
                // Connections from an earlier column are named rather than drawn across the picture.
                let labelX = x + boxWidth + 16 + lanesPerColumn[column(index)] * LayerDiagram.laneGap
                let middle = y + LayerDiagram.boxHeight / 2
                canvas.drawLine(fromX: x + boxWidth + 2, y: middle, toX: labelX - 4, y: middle, color: line)
                LayerDiagram.arrowHead(on: &canvas, x: x + boxWidth + 1, y: middle, pointing: .left, color: line)
                canvas.drawText(labels[index], x: labelX, y: middle - TextMetrics.lineHeight() / 2, color: .darkGray)
            }
        }
        for (source, target, lane) in lanes {
            let (tx, ty) = frame(target)
            let laneX = tx + boxWidth + 10 + lane * LayerDiagram.laneGap
            let endY = ty + LayerDiagram.boxHeight / 2 + 4
            let (sx, sy) = frame(source)
            let startY = sy + LayerDiagram.boxHeight / 2 - 4
            canvas.drawLine(fromX: sx + boxWidth, y: startY, toX: laneX, y: startY, color: line)
            canvas.drawLine(fromX: laneX, y: startY, toX: laneX, y: endY, color: line)
            canvas.drawLine(fromX: laneX, y: endY, toX: tx + boxWidth + 2, y: endY, color: line)
            LayerDiagram.arrowHead(on: &canvas, x: tx + boxWidth + 1, y: endY, pointing: .left, color: line)
        }
        drawLegend(on: &canvas, y: height - legendHeight + 4)
        return canvas
    }

    private func draw(_ box: Box, on canvas: inout Canvas, x: Int, y: Int, width w: Int) {
        let h = LayerDiagram.boxHeight
        canvas.fillRect(x: x, y: y, width: w, height: h, color: box.family.color.mixed(with: .white, 0.88))
        canvas.fillRect(x: x, y: y, width: 5, height: h, color: box.family.color)
        canvas.strokeRect(x: x, y: y, width: w, height: h, color: box.family.color.mixed(with: .black, 0.2))
        let shape = LayerDiagram.shapeText(box), parameters = LayerDiagram.parameterText(box)
        let textLeft = x + 10, right = x + w - 6
        canvas.drawText(shape, x: right - TextMetrics.width(of: shape), y: y + 3)
        canvas.drawText(parameters, x: right - TextMetrics.width(of: parameters), y: y + 3 + TextMetrics.lineHeight() + 2,
                        color: .darkGray)
        let nameRoom = right - textLeft - TextMetrics.width(of: shape) - 8
        let kindRoom = right - textLeft - TextMetrics.width(of: parameters) - 8
        canvas.drawText(Canvas.truncate(box.name, toWidth: nameRoom), x: textLeft, y: y + 3)
        canvas.drawText(Canvas.truncate(box.kind, toWidth: kindRoom), x: textLeft, y: y + 3 + TextMetrics.lineHeight() + 2,
                        color: .darkGray)
    }

    private func drawLegend(on canvas: inout Canvas, y: Int) {
        var x = LayerDiagram.margin
        for family in Family.allCases where family != .input && boxes.contains(where: { $0.family == family }) {
            canvas.fillRect(x: x, y: y, width: 10, height: TextMetrics.lineHeight(), color: family.color)
            canvas.drawText(family.rawValue, x: x + 14, y: y, color: .darkGray)
            x += 14 + TextMetrics.width(of: family.rawValue) + 14
        }
    }

    private enum Direction { case down, left }

    private static func arrowHead(on canvas: inout Canvas, x: Int, y: Int, pointing: Direction, color: RGBColor) {
        for step in 0..<4 {
            switch pointing {
            case .down: canvas.drawLine(fromX: x - step, y: y - step, toX: x + step, y: y - step, color: color)
            case .left: canvas.drawLine(fromX: x + step, y: y - step, toX: x + step, y: y + step, color: color)
            }
        }
    }
}

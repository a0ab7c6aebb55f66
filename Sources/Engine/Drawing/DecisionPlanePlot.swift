/// TensorFlow Playground's picture of a classifier on 2-D points: the decision regions (each
/// grid cell tinted with the colour of the class predicted there), the data points on top in
/// their true class's colour with a dark outline, and beside it one small map per hidden neuron
/// (its output over the same square: blue negative, white 0, red positive, as the Playground's
/// colour scale; ReLU and sigmoid outputs, which are not signed, on their own 0...max range).
public struct DecisionPlanePlot {
    public var plane: DecisionPlane
    /// The points to draw: n x 2 row-major plane coordinates, and their classes.
    public var points: [Float]
    public var labels: [Int]
    /// Side of the regions square, in pixels.
    public var side = 260
    /// Side of each neuron's map, in pixels.
    public var neuronSide = 44

    static let margin = 10, titleHeight = 16

    public init(plane: DecisionPlane, points: [Float], labels: [Int]) {
        self.plane = plane
        self.points = points
        self.labels = labels
    }

    /// The background colour of a region of class `index`: its palette colour mixed 65% of
    /// the way to white, so the points (full colour) stand out on it.
    public static func regionColor(_ index: Int) -> RGBColor {
        CategoricalPalette.color(index).mixed(with: .white, 0.65)
    }

    /// The pixel of plane point (x, y) in the rendered canvas (inside the regions square).
    public func pixel(x: Float, y: Float) -> (x: Int, y: Int) {
        let e = plane.extent
        let column = Int(((x + e) / (2 * e) * Float(side)).rounded(.down))
        let row = Int(((e - y) / (2 * e) * Float(side)).rounded(.down))
        return (DecisionPlanePlot.margin + min(max(column, 0), side - 1),
                DecisionPlanePlot.margin + DecisionPlanePlot.titleHeight + min(max(row, 0), side - 1))
    }

    /// The neuron maps grouped by hidden layer, in layer order (one column group each).
    private var layers: [(name: String, maps: [[Float]])] {
        var result: [(name: String, maps: [[Float]])] = []
        for (layer, values) in plane.neurons {
            if result.last?.name == layer { result[result.count - 1].maps.append(values) } else { result.append((name: layer, maps: [values])) }
        }
        return result
    }

    public func render() -> Canvas {
        let m = DecisionPlanePlot.margin, top = DecisionPlanePlot.titleHeight + m
        let layers = self.layers
        let rowsPerColumn = max(1, (side + m) / (neuronSide + 4))
        let columns = layers.reduce(0) { $0 + ($1.maps.count + rowsPerColumn - 1) / rowsPerColumn }
        let width = m + side + (columns > 0 ? 2 * m + columns * (neuronSide + 4) : 0) + m
        var canvas = Canvas(width: width, height: top + side + m)
        canvas.drawText("decision regions", x: m, y: 4)
        let resolution = plane.resolution
        for row in 0..<resolution {
            for column in 0..<resolution {
                let x0 = m + column * side / resolution, x1 = m + (column + 1) * side / resolution
                let y0 = top + row * side / resolution, y1 = top + (row + 1) * side / resolution
                canvas.fillRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0,
                                color: DecisionPlanePlot.regionColor(plane.predictions[row * resolution + column]))
            }
        }
        for index in 0..<min(points.count / 2, labels.count) {
            let p = pixel(x: points[2 * index], y: points[2 * index + 1])
            canvas.fillCircle(centerX: p.x, centerY: p.y, radius: 3, color: .darkGray)
            canvas.fillCircle(centerX: p.x, centerY: p.y, radius: 2, color: CategoricalPalette.color(labels[index]))
        }
        canvas.strokeRect(x: m - 1, y: top - 1, width: side + 2, height: side + 2, color: .darkGray)
        guard columns > 0 else { return canvas }
        canvas.drawText("hidden neurons", x: m + side + 2 * m, y: 4)
        var column = 0
        for layer in layers {
            for (index, values) in layer.maps.enumerated() {
                let x = m + side + 2 * m + (column + index / rowsPerColumn) * (neuronSide + 4)
                let y = top + (index % rowsPerColumn) * (neuronSide + 4)
                drawNeuron(&canvas, values, x: x, y: y)
            }
            column += (layer.maps.count + rowsPerColumn - 1) / rowsPerColumn
        }
        return canvas
    }

    /// One neuron's map: signed outputs on the diverging scale with 0 white, scaled by the
    /// largest magnitude (at least 1, tanh's range, so weak neurons look pale); non-negative
    /// ones 0...max.
    private func drawNeuron(_ canvas: inout Canvas, _ values: [Float], x: Int, y: Int) {
        let resolution = plane.resolution
        let signed = values.contains { $0 < 0 }
        let largest = max(values.map(abs).max() ?? 1, signed ? 1 : 1e-6)
        let scaled = values.map { 0.5 + 0.5 * $0 / largest }
        var pixels = [Float](repeating: 0, count: resolution * resolution * 3)
        for (index, t) in scaled.enumerated() {
            let color = Colormap.diverging.color(t)
            pixels[3 * index] = color.red
            pixels[3 * index + 1] = color.green
            pixels[3 * index + 2] = color.blue
        }
        canvas.drawPicture(pixels: pixels, width: resolution, height: resolution, channels: 3, x: x, y: y,
                           targetWidth: neuronSide, targetHeight: neuronSide)
        canvas.strokeRect(x: x - 1, y: y - 1, width: neuronSide + 2, height: neuronSide + 2, color: .lightGray)
    }
}

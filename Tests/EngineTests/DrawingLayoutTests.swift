import XCTest
@testable import Engine

/// Renders every layout, checks geometry and colours, and writes /tmp/drawing/*.png to look at.
final class DrawingLayoutTests: XCTestCase {
    /// A 32 x 32 test picture: a red-to-blue gradient with a white disc in the middle.
    static func samplePicture(hue: Float = 0) -> Canvas {
        var canvas = Canvas(width: 32, height: 32)
        for y in 0..<32 {
            for x in 0..<32 {
                let t = Float(x) / 31
                canvas.setPixel(x: x, y: y, color: RGBColor(red: 1 - t, green: hue, blue: t))
            }
        }
        canvas.fillCircle(centerX: 16, centerY: 16, radius: 6, color: .white)
        return canvas
    }

    func testGridShapeIsNearSquare() {
        XCTAssertTrue(TileGrid.shape(count: 64) == (8, 8))
        XCTAssertTrue(TileGrid.shape(count: 10) == (3, 4))
        XCTAssertTrue(TileGrid.shape(count: 3) == (1, 2) || TileGrid.shape(count: 3) == (2, 2))
        XCTAssertTrue(TileGrid.shape(count: 5, columns: 5) == (1, 5))
        XCTAssertTrue(TileGrid.shape(count: 0) == (0, 0))
    }

    func testTileGridRendersFiltersWithLabels() {
        // 12 signed 5 x 5 "filters", symmetric tone map and the diverging colormap.
        let tiles = (0..<12).map { index -> Canvas in
            let values = (0..<25).map { Float(($0 * (index + 1)) % 7) - 3 }
            let mapped = ToneMap.symmetric.apply(values)
            return Colormap.diverging.render(mapped.values, width: 5, height: 5) ?? Canvas(width: 5, height: 5)
        }
        let grid = TileGrid(title: "conv1 filters", tiles: tiles, labels: (0..<12).map { "f\($0)" },
                            caption: "tone: symmetric [-3, 3]")
        let canvas = grid.render()
        // 5 px tiles scale by 10 to 50 px; 4 columns.
        XCTAssertEqual(grid.displaySize(of: tiles[0]).width, 50)
        XCTAssertGreaterThanOrEqual(canvas.width, 4 * 50)
        DrawingTestPNG.write(canvas, name: "tilegrid")
    }

    func testHeatmapOverlayShowsColourbarAndCaption() throws {
        // A heatmap peaking in the top-left corner.
        let heat = (0..<64).map { index -> Float in Float(14 - (index % 8) - (index / 8)) }
        let overlay = HeatmapOverlay(title: "occlusion: class 281", image: Self.samplePicture(), heatmap: heat,
                                     heatmapWidth: 8, heatmapHeight: 8, toneMap: .minMax, colormap: .viridis)
        let canvas = try XCTUnwrap(overlay.render())
        DrawingTestPNG.write(canvas, name: "heatmap")
        // The colour bar's top is viridis(1), its bottom viridis(0): find them right of the two panels.
        let titleHeight = 19 + 10
        let barX = 3 * 10 + 2 * 224 + 5
        XCTAssertEqual(canvas.color(x: barX, y: titleHeight)?.hex, 0xFDE725)
        XCTAssertEqual(canvas.color(x: barX, y: titleHeight + 223)?.hex, 0x440154)
        XCTAssertNil(HeatmapOverlay(title: "bad", image: Self.samplePicture(), heatmap: [1, 2, 3],
                                    heatmapWidth: 2, heatmapHeight: 2).render())
    }

    func testImageStripFramesTheQuery() {
        let pictures = (0..<6).map { Self.samplePicture(hue: Float($0) / 5) }
        let strip = ImageStrip(title: "nearest neighbours (fc7)", rows: [pictures, Array(pictures.reversed())],
                               captions: [["query", "0.12", "0.35", "0.4", "0.52", "0.61"],
                                          ["query", "1.5", "2.25", "3", "4", "5"]])
        let canvas = strip.render()
        DrawingTestPNG.write(canvas, name: "strip")
        let titleHeight = 19 + 10
        XCTAssertEqual(canvas.color(x: 8 - 3, y: titleHeight + 40), .red)   // the query's frame
    }

    func testBarChartOrdersTopK() {
        XCTAssertEqual(BarChart.topIndices([0.1, 0.5, 0.2, 0.5, .nan], k: 3), [1, 3, 2])
        let chart = BarChart(title: "top-5", names: ["tabby cat", "tiger cat", "Egyptian cat", "lynx", "dog", "car"],
                             values: [0.45, 0.3, 0.15, 0.05, 0.03, 0.02], top: 5)
        DrawingTestPNG.write(chart.render(), name: "bars")
    }

    func testScatterLegendWordWidensTheLegendByItsExtraLetters() throws {
        let points: [Float] = [0, 0, 1, 1, 2, 0]
        var plot = ScatterPlot(title: "t", points: points, labels: [0, 1, 1])
        let classes = try XCTUnwrap(plot.render())
        plot.labelWord = "cluster"
        let clusters = try XCTUnwrap(plot.render())
        // "cluster 1" is two letters longer than "class 1"; the legend column grows by exactly that.
        XCTAssertEqual(clusters.width - classes.width, Canvas.textWidth("cluster 1") - Canvas.textWidth("class 1"))
        XCTAssertGreaterThan(clusters.width, classes.width)
    }

    func testScatterPlotDrawsClassColours() throws {
        var points: [Float] = []
        var labels: [Int] = []
        for index in 0..<300 {
            let label = index % 10
            let angle = Float(label) / 10 * 2 * .pi
            points += [10 * cos(angle) + Float(index % 7) * 0.2, 10 * sin(angle) + Float(index % 5) * 0.2]
            labels.append(label)
        }
        let names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
        let plot = ScatterPlot(title: "t-SNE of CIFAR-like codes", points: points, labels: labels, classNames: names)
        let canvas = try XCTUnwrap(plot.render())
        DrawingTestPNG.write(canvas, name: "scatter")
        let hexes = Set(stride(from: 0, to: canvas.pixels.count, by: 3).compactMap { index -> UInt32? in
            RGBColor(red: canvas.pixels[index], green: canvas.pixels[index + 1], blue: canvas.pixels[index + 2]).hex
        })
        for label in 0..<10 { XCTAssertTrue(hexes.contains(CategoricalPalette.color(label).hex), "class \(label)") }
        XCTAssertNil(ScatterPlot(title: "bad", points: [1, 2, 3]).render())
    }

    func testLinearAssignmentIsOptimalOnSmallProblems() throws {
        // Compare with brute force over all permutations of 5 columns for 4 rows.
        let costs: [[Double]] = [[4, 1, 3, 9, 2], [2, 0, 5, 1, 7], [3, 2, 2, 8, 1], [6, 4, 1, 2, 3]]
        let assignment = try LinearAssignment.solve(rows: 4, columns: 5) { costs[$0][$1] }
        XCTAssertEqual(Set(assignment).count, 4)
        let total = assignment.enumerated().map { costs[$0.offset][$0.element] }.reduce(0, +)
        var best = Double.infinity
        func search(_ row: Int, _ used: Set<Int>, _ sum: Double) {
            if row == 4 { best = min(best, sum); return }
            for column in 0..<5 where !used.contains(column) { search(row + 1, used.union([column]), sum + costs[row][column]) }
        }
        search(0, [], 0)
        XCTAssertEqual(total, best)
        XCTAssertEqual(best, 4)   // 1 (0,1) + 1 (1,3) + 1 (2,4) + 1 (3,2)
    }

    func testEmbedGridPlacesEveryPointInItsOwnCell() throws {
        // Points already on a jittered 4 x 4 lattice go to their own cells.
        var points: [Float] = []
        for row in 0..<4 { for column in 0..<4 { points += [Float(column) + 0.1, Float(3 - row) - 0.1] } }
        let cells = try EmbedGrid.assign(points: points, columns: 4, rows: 4)
        XCTAssertEqual(cells, Array(0..<16))
        // Crowded points (all near one corner but one): still no overlap, 25 cells for 20 points.
        let crowded = (0..<20).flatMap { index -> [Float] in [Float(index % 3) * 0.01, Float(index / 3) * 0.01] } + []
        let placed = try EmbedGrid.assign(points: crowded + [100, 100], columns: 5, rows: 5)
        XCTAssertEqual(Set(placed).count, 21)
        XCTAssertFalse(placed.contains(-1))
        // Greedy path (more than 400 cells) also gives distinct cells.
        let many = (0..<450).flatMap { index -> [Float] in [Float(index % 17), Float(index / 17)] }
        let greedy = try EmbedGrid.assign(points: many, columns: 22, rows: 22)
        XCTAssertEqual(Set(greedy).count, 450)
        let pictures = (0..<16).map { Self.samplePicture(hue: Float($0) / 15) }
        let canvas = try XCTUnwrap(EmbedGrid.render(title: "t-SNE grid", points: points, pictures: pictures))
        DrawingTestPNG.write(canvas, name: "embedgrid")
    }

    func testTextSampleIsReadable() {
        var canvas = Canvas(width: 700, height: 120)
        canvas.drawText("ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789", x: 8, y: 8, scale: 2)
        canvas.drawText("abcdefghijklmnopqrstuvwxyz !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", x: 8, y: 36, scale: 2)
        canvas.drawText("tone: percentile [-0.0213, 0.0348]  conv1 f12  p = 0.873", x: 8, y: 70)
        canvas.drawText("Grad-CAM at conv10, class 281 tabby cat", x: 8, y: 90, color: .red, background: .lightGray)
        DrawingTestPNG.write(canvas, name: "font")
    }
}

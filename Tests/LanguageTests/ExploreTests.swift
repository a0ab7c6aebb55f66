import Engine
import Foundation
import XCTest
@testable import Language

/// `explore` on SqueezeNet and chelsea (skipped without the fetched assets): the controls'
/// updates redraw the picture and the text line, the slider follows the layer, and the
/// numbers in the text line are those of the uncached `ActivationMaps`.
final class ExploreTests: XCTestCase {
    private struct Parts {
        let view: Widget, layer: Widget, mode: Widget, channel: Widget, picture: Widget, label: Widget
    }

    private func explore(_ session: Session) throws -> Parts {
        let cell = run("net = model()\ncat = image(\"chelsea\")\nw = explore(net, cat)", in: session)
        XCTAssertNil(cell.error)
        guard case .widget(let view)? = session.variables["w"], case .list(let items) = view.value, items.count == 4,
              case .widget(let top) = items[0], case .list(let pair) = top.value, pair.count == 2,
              case .widget(let layer) = pair[0], case .widget(let mode) = pair[1], case .widget(let channel) = items[1],
              case .widget(let picture) = items[2], case .widget(let label) = items[3] else {
            throw XCTSkip("explore did not make [row(layer, mode), channel, picture, label]")
        }
        return Parts(view: view, layer: layer, mode: mode, channel: channel, picture: picture, label: label)
    }

    /// "activation LOW to HIGH" as the uncached technique computes it.
    private func range(_ network: Network, _ image: Image, _ layer: String, _ channel: Int) throws -> String {
        let map = try ActivationMaps.compute(network: network, image: image, layer: layer, channels: [channel]).maps[0]
        let (low, high) = map.range
        return "activation \(NumberFormatting.format(Double(low))) to \(NumberFormatting.format(Double(high)))"
    }

    private func timed(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    func testControlsRedrawFromTheCachedForwardPass() throws {
        if SampleImages().names.isEmpty { throw XCTSkip("assets are not fetched (run make setup)") }
        let session = Session()
        let parts = try explore(session)
        guard case .engine(.model(let model))? = session.variables["net"], case .engine(.picture(let cat))? = session.variables["cat"] else {
            return XCTFail("net and cat")
        }
        let network = model.network
        let grid = network.layers.filter { $0.outputShape.count == 3 }
        let firstLayer = grid[0].name
        XCTAssertEqual(parts.layer["index"], 0)
        XCTAssertEqual(parts.channel["max"], .number(Double(grid[0].outputShape[0] - 1)))
        let label0 = parts.label["value"]?.stringValue ?? ""
        XCTAssertTrue(label0.contains(try range(network, cat.image, firstLayer, 0)), label0)
        let picture0 = try XCTUnwrap(parts.picture.bytes("value"))

        // The static fallback: the picture and one line per control, then the text line.
        let bundle = parts.view.displayBundle()
        XCTAssertEqual(bundle.data["image/png"], picture0.base64EncodedString())
        let text = bundle.data["text/plain"] ?? ""
        XCTAssertTrue(text.hasPrefix("dropdown \"layer\": \(firstLayer) (of \(grid.map(\.name).joined(separator: ", ")))"), text)
        XCTAssertTrue(text.contains("slider \"channel\": 0 (0 to \(grid[0].outputShape[0] - 1), step 1)"), text)
        XCTAssertTrue(text.hasSuffix(label0), text)

        // Channels in activation mode: a slice of the cached pass; times printed, never asserted.
        var times: [Double] = []
        for channel in [5, 40, 6, 7] {
            times.append(timed {
                session.widgets.received(id: parts.channel.id, data: ["method": "update", "state": ["value": .number(Double(channel))]], buffers: [])
            })
            let label = parts.label["value"]?.stringValue ?? ""
            XCTAssertTrue(label.hasPrefix("\(firstLayer) channel \(channel) of "), label)
            XCTAssertTrue(label.contains(try range(network, cat.image, firstLayer, channel)), label)
        }
        XCTAssertNotEqual(parts.picture.bytes("value"), picture0)
        print("explore: activation redraws (debug build) took \(times.map { String(format: "%.1f", $0) }.joined(separator: ", ")) ms")

        // To the widest layer (the slider's range grows, its value stays), to its last channel, then back
        // to the first layer, whose range is smaller: the value is clamped to its last channel.
        let wide = try XCTUnwrap(grid.max { $0.outputShape[0] < $1.outputShape[0] })
        let wideIndex = try XCTUnwrap(grid.firstIndex { $0.name == wide.name })
        let switched = timed {
            session.widgets.received(id: parts.layer.id, data: ["method": "update", "state": ["index": .number(Double(wideIndex))]], buffers: [])
        }
        print("explore: layer switch to \(wide.name) took \(String(format: "%.1f", switched)) ms")
        XCTAssertEqual(parts.channel["max"], .number(Double(wide.outputShape[0] - 1)))
        XCTAssertEqual(parts.channel["value"], 7)
        session.widgets.received(id: parts.channel.id, data: ["method": "update", "state": ["value": .number(Double(wide.outputShape[0] - 1))]], buffers: [])
        session.widgets.received(id: parts.layer.id, data: ["method": "update", "state": ["index": 0]], buffers: [])
        let small = grid[0]
        let last = small.outputShape[0] - 1
        XCTAssertEqual(parts.channel["max"], .number(Double(last)))
        XCTAssertEqual(parts.channel["value"], .number(Double(last)))
        let label = parts.label["value"]?.stringValue ?? ""
        XCTAssertTrue(label.hasPrefix("\(small.name) channel \(last) of \(last + 1): "), label)
        XCTAssertTrue(label.contains(try range(network, cat.image, small.name, last)), label)

        // Guided backprop from the strongest unit of that channel.
        let before = parts.picture.bytes("value")
        let modes = Explorer.Mode.allCases.map(\.rawValue)
        let guided = try XCTUnwrap(modes.firstIndex(of: "guided backprop"))
        session.widgets.received(id: parts.mode.id, data: ["method": "update", "state": ["index": .number(Double(guided))]], buffers: [])
        let guidedLabel = parts.label["value"]?.stringValue ?? ""
        XCTAssertTrue(guidedLabel.hasPrefix("guided backprop of "), guidedLabel)
        XCTAssertTrue(guidedLabel.contains(small.name), guidedLabel)
        XCTAssertNotEqual(parts.picture.bytes("value"), before)
    }

    func testBadStartsAreCellErrors() throws {
        if SampleImages().names.isEmpty { throw XCTSkip("assets are not fetched (run make setup)") }
        let session = Session()
        XCTAssertNil(run("net = model()\ncat = image(\"chelsea\")", in: session).error)
        XCTAssertEqual(failure("explore(net, cat, channel: 64)", in: session)?.message, "conv1 has channels 0 to 63, not 64")
        XCTAssertEqual(failure("explore(net, cat, layer: \"fire99\")", in: session)?.message, "squeezenet has no layer 'fire99'")
        XCTAssertEqual(failure("explore(net, cat, mode: \"dream\")", in: session)?.kind, .value)
    }
}

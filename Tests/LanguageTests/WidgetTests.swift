import Engine
import Foundation
import XCTest
@testable import Language

/// Records the comm traffic widgets send, as the kernel adapter would forward it.
private final class RecordingHost: WidgetHost {
    struct Sent { var kind: String; var id: String; var target: String?; var data: WidgetJSON; var metadata: WidgetJSON; var buffers: [Data] }
    var sent: [Sent] = []

    func openComm(id: String, target: String, data: WidgetJSON, metadata: WidgetJSON, buffers: [Data]) {
        sent.append(Sent(kind: "open", id: id, target: target, data: data, metadata: metadata, buffers: buffers))
    }
    func sendComm(id: String, data: WidgetJSON, metadata: WidgetJSON, buffers: [Data]) {
        sent.append(Sent(kind: "msg", id: id, target: nil, data: data, metadata: metadata, buffers: buffers))
    }
    func closeComm(id: String) { sent.append(Sent(kind: "close", id: id, target: nil, data: nil, metadata: nil, buffers: [])) }

    func opened(_ id: String) -> Sent? { sent.first { $0.kind == "open" && $0.id == id } }
    func messages(_ id: String) -> [Sent] { sent.filter { $0.kind == "msg" && $0.id == id } }
}

final class WidgetTests: XCTestCase {
    /// `gray(level)`: a 2x1 gray picture at level/10, or an error above 9, so a test can tell redraws apart.
    private static let gray = Builtin("gray", family: "test", parameters: [Parameter("level", .number, doc: "0 to 9")],
                                      returns: "image", summary: "test.", paragraph: "", example: "gray(1)") { call in
        let level = try call.number("level")
        if level > 9 { throw call.error("level", "level \(Int(level)) is too bright") }
        return .engine(.picture(Picture(image: try Image(width: 2, height: 1, channels: 1, value: Float(level / 10)), title: "gray")))
    }

    private var host: RecordingHost!
    private var session: Session!

    override func setUp() {
        host = RecordingHost()
        session = Session(registry: BuiltinRegistry(WidgetBuiltins.all + [Self.gray]))
        session.widgets.host = host
    }

    private func widget(_ code: String) throws -> Widget {
        let cell = run(code, in: session)
        guard case .success = cell.outcome, case .widget(let widget)? = session.variables["w"] else {
            struct NoWidget: Error { var code: String; var error: LensError? }
            throw NoWidget(code: code, error: cell.error)
        }
        return widget
    }

    func testSliderStateFollowsTheSchema() throws {
        let slider = try widget("w = slider(0, 63, value: 12, description: \"channel\")")
        let open = try XCTUnwrap(host.opened(slider.id))
        XCTAssertEqual(open.target, "jupyter.widget")
        XCTAssertEqual(open.metadata, ["version": "2.1.0"])
        let state = try XCTUnwrap(open.data["state"])
        XCTAssertEqual(state["_model_name"], "IntSliderModel")
        XCTAssertEqual(state["_view_name"], "IntSliderView")
        XCTAssertEqual(state["_model_module"], "@jupyter-widgets/controls")
        XCTAssertEqual(state["_model_module_version"], "2.0.0")
        XCTAssertEqual(state["_view_module_version"], "2.0.0")
        XCTAssertEqual(state["value"], 12)
        XCTAssertEqual(state["max"], 63)
        XCTAssertEqual(state["step"], 1)
        XCTAssertEqual(open.data["buffer_paths"], [])
        // Its layout and style are models opened before it, referred to as IPY_MODEL_<id>.
        let layoutID = try XCTUnwrap(state["layout"]?.stringValue?.dropFirst("IPY_MODEL_".count))
        XCTAssertEqual(host.opened(String(layoutID))?.data["state"]?["_model_name"], "LayoutModel")
        XCTAssertEqual(host.opened(String(layoutID))?.data["state"]?["_model_module"], "@jupyter-widgets/base")
        let styleID = try XCTUnwrap(state["style"]?.stringValue?.dropFirst("IPY_MODEL_".count))
        XCTAssertEqual(host.opened(String(styleID))?.data["state"]?["_model_name"], "SliderStyleModel")
        XCTAssertEqual(result("w", in: session), "slider \"channel\": 12 (0 to 63, step 1)")

        let float = try widget("w = slider(0, 0.5)")
        XCTAssertEqual(float["_model_name"], "FloatSliderModel")
        XCTAssertEqual(float["step"], 0.005)
        XCTAssertEqual(float["readout_format"], ".2f")
        XCTAssertEqual(failure("slider(3, 3)", in: session)?.message, "max must be more than min (3)")
    }

    func testUpdatesAreClampedEchoedAndSeenByTheCell() throws {
        let slider = try widget("w = slider(0, 10, description: \"n\")")
        session.widgets.received(id: slider.id, data: ["method": "update", "state": ["value": 99.4]], buffers: [])
        XCTAssertEqual(host.messages(slider.id).last?.data,
                       ["method": "echo_update", "state": ["value": 10], "buffer_paths": []], "clamped to max, then echoed")
        XCTAssertEqual(result("w.value", in: session), "10")
        // A field the front end may not set, or a value of the wrong type, is neither taken nor echoed.
        let before = host.sent.count
        session.widgets.received(id: slider.id, data: ["method": "update", "state": ["max": 100, "value": "x"]], buffers: [])
        XCTAssertEqual(host.sent.count, before)
        XCTAssertEqual(slider["max"], 10)

        let dropdown = try widget("w = dropdown([\"fire2\", 3, \"fire4\"], value: 3)")
        XCTAssertEqual(dropdown["index"], 1)
        XCTAssertEqual(dropdown["_options_labels"], ["fire2", "3", "fire4"])
        session.widgets.received(id: dropdown.id, data: ["method": "update", "state": ["index": 2]], buffers: [])
        XCTAssertEqual(result("w.value", in: session), "\"fire4\"")
        session.widgets.received(id: dropdown.id, data: ["method": "update", "state": ["index": 3]], buffers: [])
        XCTAssertEqual(result("w.value", in: session), "\"fire4\"", "an index past the options is refused")
    }

    func testRequestStateButtonClicksAndControlTarget() throws {
        let image = try widget("w = picture(gray(5))")
        let png = try PNGEncoding.encode(try Image(width: 2, height: 1, channels: 1, value: 0.5))
        let open = try XCTUnwrap(host.opened(image.id))
        XCTAssertEqual(open.data["buffer_paths"], [["value"]])
        XCTAssertEqual(open.buffers, [png])
        XCTAssertNil(open.data["state"]?["value"], "binary values leave the JSON state")
        XCTAssertEqual(open.data["state"]?["format"], "png")

        session.widgets.received(id: image.id, data: ["method": "request_state"], buffers: [])
        let state = try XCTUnwrap(host.messages(image.id).last)
        XCTAssertEqual(state.data["method"], "update")
        XCTAssertEqual(state.data["state"]?["_model_name"], "ImageModel")
        XCTAssertEqual(state.buffers, [png])

        let button = try widget("w = button(\"stop\")")
        for _ in 0..<3 {
            session.widgets.received(id: button.id, data: ["method": "custom", "content": ["event": "click"]], buffers: [])
        }
        XCTAssertEqual(result("w.value", in: session), "3")

        XCTAssertTrue(session.widgets.commOpened(id: "ctl", target: "jupyter.widget.control"))
        XCTAssertFalse(session.widgets.commOpened(id: "x", target: "jupyter.widget"))
        session.widgets.received(id: "ctl", data: ["method": "request_states"], buffers: [])
        let states = try XCTUnwrap(host.messages("ctl").last)
        XCTAssertEqual(states.data["method"], "update_states")
        guard case .object(let all)? = states.data["states"] else { return XCTFail("no states") }
        XCTAssertEqual(all.count, session.widgets.count)
        XCTAssertEqual(all[image.id]?["model_name"], "ImageModel")
        XCTAssertEqual(all[button.id]?["state"]?["description"], "stop")
        XCTAssertEqual(states.data["buffer_paths"], [[.string(image.id), "state", "value"]])
        XCTAssertEqual(states.buffers, [png])
    }

    func testInteractRedrawsOnEachChangeAndShowsErrorsAsText() throws {
        let box = try widget("s = slider(0, 20, value: 2)\nw = interact(gray, level: s)")
        guard case .widget(let slider)? = session.variables["s"] else { return XCTFail("no slider") }
        guard case .list(let children) = box.value, children.count == 3,
              case .widget(let picture) = children[1], case .widget(let label) = children[2] else {
            return XCTFail("interact shows controls, a picture and a label: \(box.value)")
        }
        XCTAssertEqual(picture.bytes("value"), try PNGEncoding.encode(try Image(width: 2, height: 1, channels: 1, value: 0.2)))
        XCTAssertTrue(box.describe().hasPrefix("slider: 2 (0 to 20, step 1)\npicture ("), box.describe())
        XCTAssertNotNil(box.displayBundle().data["image/png"], "the static fallback carries the picture")

        session.widgets.received(id: slider.id, data: ["method": "update", "state": ["value": 7]], buffers: [])
        let redraw = try XCTUnwrap(host.messages(picture.id).last)
        XCTAssertEqual(redraw.data["buffer_paths"], [["value"]])
        XCTAssertEqual(redraw.buffers, [try PNGEncoding.encode(try Image(width: 2, height: 1, channels: 1, value: 0.7))])

        session.widgets.received(id: slider.id, data: ["method": "update", "state": ["value": 12]], buffers: [])
        XCTAssertEqual(label["value"], "ValueError: level 12 is too bright")
        XCTAssertEqual(picture.bytes("value"), redraw.buffers.first, "the last good picture stays")

        XCTAssertEqual(failure("interact(gray, levle: slider(0, 3))", in: session)?.message, "gray has no argument 'levle'")
        XCTAssertEqual(failure("interact(3)", in: session)?.message, "interact needs a builtin to call, got number")
    }

    func testInteractClosesItsPictureLabelAndBoxesWhenAControlCloses() throws {
        let box = try widget("s = slider(0, 20, value: 2)\nw = interact(gray, level: s)")
        guard case .widget(let slider)? = session.variables["s"], case .list(let children) = box.value,
              case .widget(let controls) = children[0], case .widget(let picture) = children[1],
              case .widget(let label) = children[2] else { return XCTFail("interact's parts") }
        func layout(_ widget: Widget) -> String? { widget["layout"]?.stringValue.map { String($0.dropFirst("IPY_MODEL_".count)) } }
        let before = session.widgets.count
        session.widgets.closed(id: slider.id)
        let closed = host.sent.filter { $0.kind == "close" }.map(\.id)
        // Picture, label, the controls' box and the outer box, each with its Layout; the label's style too.
        XCTAssertEqual(Set(closed), Set([picture.id, label.id, controls.id, box.id].flatMap { [$0] }
                                            + [picture, label, controls, box].compactMap(layout)
                                            + [label["style"]?.stringValue.map { String($0.dropFirst("IPY_MODEL_".count)) }].compactMap { $0 }))
        XCTAssertEqual(closed.count, 9)
        XCTAssertEqual(session.widgets.count, before - 1 - 9, "the slider (closed by the front end) and the nine are forgotten")
        XCTAssertNil(session.widgets.widget(id: picture.id))
        XCTAssertNotNil(session.widgets.widget(id: layout(slider) ?? ""), "the slider's own layout is the front end's to close")
        session.widgets.closed(id: slider.id)
        XCTAssertEqual(host.sent.filter { $0.kind == "close" }.count, 9, "closing twice sends nothing more")
    }
}

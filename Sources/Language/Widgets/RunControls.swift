import Engine
import Foundation

/// Controls shown under a long cell while it runs: `train`'s pause/resume button and
/// learning-rate slider, `visualize`'s and `dream`'s stop button (the issue "Live controls":
/// controls that work while a cell runs).
///
/// They exist only for the run: shown when it starts, and when it ends their comms are closed
/// and their display is emptied, so a finished notebook (or an HTML report) holds no control
/// that looks live but drives nothing. Clicks arrive on the kernel's comm thread while the cell
/// thread computes; they only set thread-safe flags (`TrainingControl`, `StopRequest`) that the
/// engine reads between steps, so the engine itself is never entered from the comm thread.
final class RunControls {
    private let session: Session
    private let displayID: String
    private let box: Widget
    private let parts: [Widget]

    private init(session: Session, parts: [Widget]) {
        self.session = session
        self.parts = parts
        box = session.widgets.box(parts, horizontal: true)
        displayID = session.newDisplayID()
        session.output.display(box.displayBundle(), id: displayID)
    }

    /// A pause/resume button and a learning-rate slider (a tenth to ten times `rate`, log scale)
    /// wired to `control`.
    static func training(session: Session, rate: Double, control: TrainingControl) -> RunControls {
        let widgets = session.widgets
        let pause = widgets.button(description: "pause")
        pause.set(["icon": "pause", "tooltip": "pause training after the current batch"])
        let slider = widgets.logSlider(min: rate / 10, max: rate * 10, value: rate,
                                       description: "rate")
        pause.onClick { [control] button in
            control.isPaused.toggle()
            let paused = control.isPaused
            button.set(["description": .string(paused ? "resume" : "pause"), "icon": .string(paused ? "play" : "pause")])
        }
        slider.onChange { [control] slider in
            if let value = slider["value"]?.numberValue { control.rate = Float(value) }
        }
        return RunControls(session: session, parts: [pause, slider])
    }

    /// A stop button that sets `request`; the run ends at its next step and keeps its result.
    static func stop(session: Session, request: StopRequest) -> RunControls {
        let button = session.widgets.button(description: "stop")
        button.set(["icon": "stop", "tooltip": "stop here and keep the current image"])
        button.onClick { [request] button in
            request.set()
            button.set(["disabled": true, "description": "stopping"])
        }
        return RunControls(session: session, parts: [button])
    }

    /// Closes the controls and empties their display; call when the run ends, however it ends.
    func end() {
        for part in parts { session.widgets.close(part) }
        session.widgets.close(box)
        session.output.update(DisplayBundle(data: ["text/plain": ""]), id: displayID)
    }
}

/// A stop asked for from another thread (a stop button), read by the running cell.
final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false

    func set() { lock.withLock { requested = true } }
    var isSet: Bool { lock.withLock { requested } }

    /// Runs `body` with the engine's cancellation also answering yes once a stop is requested,
    /// so the engine's loops end as on an interrupt (and return what they have).
    func honoured<Result>(_ body: () throws -> Result) rethrows -> Result {
        let previous = Cancellation.current
        return try Cancellation.withHandler({ [self] in self.isSet || (previous?() ?? false) }, body)
    }
}

import Engine

/// Shows the progress of long work as one display updated in place.
///
/// The first report displays a bundle under a fresh display id; later reports
/// update that same display, so a 625-frame occlusion run shows one moving bar,
/// not 625 lines. Reports are throttled to whole percent steps. A bar is cleared
/// when its cell succeeds (`Session.run`), so reports keep no stale "patches 3/3".
public final class ProgressDisplay {
    private let output: CellOutput
    private let id: String
    private let title: String
    private var shownPercent = -1
    /// Once a picture is shown, text-only reports leave it alone rather than replace it with a bar.
    private var showsPicture = false
    /// Set once the display was replaced by its final line or cleared.
    private(set) var isFinished = false

    init(output: CellOutput, id: String, title: String) {
        self.output = output
        self.id = id
        self.title = title
    }

    /// Reports `step` of `total` done.
    public func report(step: Int, total: Int) {
        let percent = total > 0 ? min(100, max(0, step * 100 / total)) : 100
        guard percent != shownPercent, !showsPicture else { return }
        let bundle = ProgressDisplay.bundle(title: title, step: step, total: total, percent: percent)
        if shownPercent < 0 {
            output.display(bundle, id: id)
        } else {
            output.update(bundle, id: id)
        }
        shownPercent = percent
    }

    /// Reports progress of work that makes a picture: when `picture` is given, the display shows
    /// it (one image that forms in place) with "step k/n" and the title written under it, since
    /// JupyterLab shows the PNG and not the text; the progress line is its text. `objective`, when
    /// given, is written after the step ("step 120/512, objective 3.41") so the climb is visible;
    /// `note` after that ("step 400/12000, paused"). Work that counts something other than steps
    /// names it in `counting` ("4000/12000 examples").
    public func report(step: Int, total: Int, picture: Picture?, objective: Double? = nil, note: String? = nil,
                       counting: String? = nil) {
        guard let picture else { return report(step: step, total: total) }
        let percent = total > 0 ? min(100, max(0, step * 100 / total)) : 100
        let count = counting.map { "\(step)/\(total) \($0)" } ?? "step \(step)/\(total)"
        let status = count + (objective.map { ", objective \(NumberFormatting.format($0))" } ?? "")
            + (note.map { ", \($0)" } ?? "")
        let line = "\(title): \(status)"
        let frame = Picture(canvas: picture.canvas.withCaption("\(picture.title), \(status)"),
                            title: line)
        var bundle = frame.displayBundle()
        bundle.data["text/plain"] = line
        if shownPercent < 0 {
            output.display(bundle, id: id)
        } else {
            output.update(bundle, id: id)
        }
        shownPercent = percent
        showsPicture = true
    }

    /// Replaces a picture that formed in place with one line, once the finished picture is the
    /// cell's result: the notebook then holds the result once, not twice.
    public func finish(_ text: String) {
        guard showsPicture, !isFinished else { return }
        output.update(DisplayBundle(data: ["text/plain": text, "text/html": "<div>\(HTML.escape(text))</div>"]), id: id)
        isFinished = true
    }

    /// Empties a finished bar (the cell's result says what was done); a picture that formed in
    /// place and was not replaced by `finish` stays, as it may be all the cell shows.
    func clearBar() {
        guard shownPercent >= 0, !showsPicture, !isFinished else { return }
        output.update(DisplayBundle(data: ["text/plain": ""]), id: id)
        isFinished = true
    }

    static func bundle(title: String, step: Int, total: Int, percent: Int) -> DisplayBundle {
        let filled = percent / 5
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled)
        let text = "\(title) [\(bar)] \(step)/\(total)"
        let html = "<div>\(HTML.escape(title)) <progress value=\"\(step)\" max=\"\(max(total, 1))\"></progress> \(step)/\(total)</div>"
        return DisplayBundle(data: ["text/plain": text, "text/html": html])
    }
}

extension Session {
    /// A progress display for the running cell (builtins pass its `report` to long engine work).
    public func startProgress(_ title: String) -> ProgressDisplay {
        let progress = ProgressDisplay(output: output, id: newDisplayID(), title: title)
        cellProgress.append(progress)
        return progress
    }
}

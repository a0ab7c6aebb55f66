import CCairo

extension Canvas {
    /// Draws `text` (newlines start new lines) with the top-left of its first line box at (x, y),
    /// in DejaVu Sans at `TextMetrics.fontSize(scale:)`, anti-aliased. An optional background box
    /// with a small margin keeps labels readable over pictures. Without the font nothing is drawn
    /// (`TextFont.check()` says why).
    public mutating func drawText(_ text: String, x: Int, y: Int, scale: Int = 1, color: RGBColor = .black,
                                  background: RGBColor? = nil) {
        let s = max(scale, 1)
        let width = TextMetrics.width(of: text, scale: s), height = TextMetrics.height(of: text, scale: s)
        if let background {
            fillRect(x: x - 2 * s, y: y - s, width: width + 4 * s, height: height + 2 * s, color: background)
        }
        guard TextFont.face != nil, !text.isEmpty else { return }
        let lineHeight = Double(TextMetrics.lineHeight(scale: s)), ascent = TextMetrics.ascent(scale: s)
        withCairo(minX: Double(x), minY: Double(y), maxX: Double(x + width + 2), maxY: Double(y + height + 2)) { context in
            TextFont.apply(to: context, scale: s)
            cairo_set_source_rgb(context, Double(color.red), Double(color.green), Double(color.blue))
            var baseline = Double(y) + ascent
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                cairo_move_to(context, Double(x), baseline)
                cairo_show_text(context, String(line))
                baseline += lineHeight
            }
        }
    }

    /// Draws `text` centred horizontally on `centerX`, top at `y`, shortened with "..." to fit
    /// `maxWidth` pixels when given.
    public mutating func drawText(_ text: String, centerX: Int, y: Int, scale: Int = 1, color: RGBColor = .black,
                                  maxWidth: Int? = nil, background: RGBColor? = nil) {
        let shown = maxWidth.map { Canvas.truncate(text, toWidth: $0, scale: scale) } ?? text
        let width = TextMetrics.width(of: shown, scale: max(scale, 1))
        drawText(shown, x: centerX - width / 2, y: y, scale: scale, color: color, background: background)
    }

    /// Draws one line of `text` turned a quarter turn anticlockwise, so it reads bottom to top (the
    /// column labels of a matrix plot, as matplotlib's `rotation=90` sets them): its baseline runs
    /// up the line x = `x` + ascent, starting at `bottomY`.
    public mutating func drawTextUpward(_ text: String, x: Int, bottomY: Int, scale: Int = 1, color: RGBColor = .black) {
        let s = max(scale, 1)
        guard TextFont.face != nil, !text.isEmpty else { return }
        let length = TextMetrics.width(of: text, scale: s), thickness = TextMetrics.lineHeight(scale: s)
        let ascent = TextMetrics.ascent(scale: s)
        withCairo(minX: Double(x), minY: Double(bottomY - length - 2), maxX: Double(x + thickness + 2), maxY: Double(bottomY + 1)) { context in
            TextFont.apply(to: context, scale: s)
            cairo_set_source_rgb(context, Double(color.red), Double(color.green), Double(color.blue))
            cairo_move_to(context, Double(x) + ascent, Double(bottomY))
            cairo_rotate(context, -Double.pi / 2)
            cairo_show_text(context, text)
        }
    }

    /// Width in logical pixels of `text` as `drawText` sets it (the widest line).
    public static func textWidth(_ text: String, scale: Int = 1) -> Int {
        TextMetrics.width(of: text, scale: max(scale, 1))
    }

    /// The longest prefix of `text` that fits `width` pixels, with "..." when it had to be cut.
    public static func truncate(_ text: String, toWidth width: Int, scale: Int = 1) -> String {
        if TextMetrics.width(of: text, scale: scale) <= width { return text }
        var characters = Array(text)
        while !characters.isEmpty, TextMetrics.width(of: String(characters) + "...", scale: scale) > width {
            characters.removeLast()
        }
        return characters.isEmpty ? "" : String(characters) + "..."
    }
}

extension Canvas {
    /// This canvas with a strip of small grey text underneath, e.g. the tone map that produced it
    /// (lecture 000 warns how much the mapping changes what one sees, so pictures say which it was).
    /// The caption wraps at word boundaries to the picture's width (at least `minimumWidth`)
    /// rather than widening a small map to the length of its sentence.
    public func withCaption(_ caption: String, scale: Int = 1, minimumWidth: Int = 160) -> Canvas {
        let s = max(scale, 1)
        let width = max(self.width, minimumWidth)
        let lines = Canvas.wrap(caption, toWidth: width - 8 * s, scale: s)
        let text = lines.joined(separator: "\n")
        let stripHeight = TextMetrics.height(of: text, scale: s) + 4 * s
        var result = Canvas(width: width, height: height + stripHeight, scale: self.scale)
        result.drawCanvas(self, x: (width - self.width) / 2, y: 0)
        result.drawText(text, x: 4 * s, y: height + 2 * s, scale: s, color: .darkGray)
        return result
    }

    /// `text` broken into lines of at most `width` pixels at spaces; a word longer than a line
    /// is shortened with "...".
    public static func wrap(_ text: String, toWidth width: Int, scale: Int = 1) -> [String] {
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if TextMetrics.width(of: candidate, scale: scale) <= width {
                current = candidate
            } else {
                if !current.isEmpty { lines.append(current) }
                current = truncate(String(word), toWidth: width, scale: scale)
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }
}

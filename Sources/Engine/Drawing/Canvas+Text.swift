extension Canvas {
    /// Draws `text` (newlines start new lines) with its top-left corner at (x, y) in the bitmap
    /// font, each font pixel becoming a scale x scale square. An optional background box with a
    /// one-font-pixel margin keeps labels readable over pictures.
    public mutating func drawText(_ text: String, x: Int, y: Int, scale: Int = 1, color: RGBColor = .black,
                                  background: RGBColor? = nil) {
        let s = max(scale, 1)
        if let background {
            fillRect(x: x - s, y: y - s, width: BitmapFont.width(of: text, scale: s) + 2 * s,
                     height: BitmapFont.height(of: text, scale: s) + 2 * s, color: background)
        }
        var lineTop = y
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var left = x
            for character in line {
                for row in 0..<BitmapFont.glyphHeight {
                    for column in 0..<BitmapFont.glyphWidth
                    where BitmapFont.isInk(character, column: column, row: row) {
                        fillRect(x: left + column * s, y: lineTop + row * s, width: s, height: s, color: color)
                    }
                }
                left += BitmapFont.advance * s
            }
            lineTop += BitmapFont.lineHeight * s
        }
    }

    /// Draws `text` centred horizontally on `centerX`, top at `y`, shortened with "..." to fit
    /// `maxWidth` pixels when given.
    public mutating func drawText(_ text: String, centerX: Int, y: Int, scale: Int = 1, color: RGBColor = .black,
                                  maxWidth: Int? = nil, background: RGBColor? = nil) {
        let shown = maxWidth.map { Canvas.truncate(text, toWidth: $0, scale: scale) } ?? text
        let width = BitmapFont.width(of: shown, scale: max(scale, 1))
        drawText(shown, x: centerX - width / 2, y: y, scale: scale, color: color, background: background)
    }

    /// The longest prefix of `text` that fits `width` pixels, with "..." when it had to be cut.
    public static func truncate(_ text: String, toWidth width: Int, scale: Int = 1) -> String {
        if BitmapFont.width(of: text, scale: scale) <= width { return text }
        var characters = Array(text)
        while !characters.isEmpty, BitmapFont.width(of: String(characters) + "...", scale: scale) > width {
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
        let stripHeight = BitmapFont.height(of: text, scale: s) + 6 * s
        var result = Canvas(width: width, height: height + stripHeight)
        result.drawCanvas(self, x: (width - self.width) / 2, y: 0)
        result.drawText(text, x: 4 * s, y: height + 3 * s, scale: s, color: .darkGray)
        return result
    }

    /// `text` broken into lines of at most `width` pixels at spaces; a word longer than a line
    /// is shortened with "...".
    public static func wrap(_ text: String, toWidth width: Int, scale: Int = 1) -> [String] {
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if BitmapFont.width(of: candidate, scale: scale) <= width {
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

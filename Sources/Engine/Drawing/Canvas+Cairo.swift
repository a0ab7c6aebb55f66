import CCairo

/// Anti-aliased drawing through Cairo onto the canvas's Float RGB pixels.
///
/// Each call paints into a transparent ARGB32 image surface covering only the device pixels it
/// can touch, then composites that over the canvas with Porter-Duff "over" on Cairo's
/// premultiplied alpha (out = src + dst * (1 - alpha)). Drawing the whole canvas through Cairo
/// instead would convert every pixel to 8 bits and back for each label; a small scratch surface
/// per call costs only the area it covers.
extension Canvas {
    /// Runs `body` with a Cairo context whose user space is the canvas's logical pixels, over the
    /// part of the canvas inside the logical box [minX, maxX] x [minY, maxY], and composites the result.
    mutating func withCairo(minX: Double, minY: Double, maxX: Double, maxY: Double, _ body: (OpaquePointer) -> Void) {
        let s = Double(scale)
        guard minX.isFinite, minY.isFinite, maxX.isFinite, maxY.isFinite else { return }
        let left = max(Int((minX * s).rounded(.down)) - 1, 0)
        let top = max(Int((minY * s).rounded(.down)) - 1, 0)
        let right = min(Int((maxX * s).rounded(.up)) + 1, pixelWidth)
        let bottom = min(Int((maxY * s).rounded(.up)) + 1, pixelHeight)
        guard left < right, top < bottom else { return }
        let w = right - left, h = bottom - top
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(w), Int32(h)) else { return }
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let context = cairo_create(surface) else { return }
        cairo_translate(context, Double(-left), Double(-top))
        cairo_scale(context, s, s)
        cairo_set_antialias(context, CAIRO_ANTIALIAS_GRAY)
        body(context)
        cairo_destroy(context)
        cairo_surface_flush(surface)
        guard let data = cairo_image_surface_get_data(surface) else { return }
        let stride = Int(cairo_image_surface_get_stride(surface))
        // ARGB32 is a native-endian 32-bit word per pixel: alpha in the high byte, premultiplied colour below.
        let words = UnsafeRawPointer(data)
        for row in 0..<h {
            for column in 0..<w {
                let word = words.load(fromByteOffset: row * stride + column * 4, as: UInt32.self)
                let alpha = Float(word >> 24) / 255
                guard alpha > 0 else { continue }
                let base = ((top + row) * pixelWidth + left + column) * 3
                let keep = 1 - alpha
                pixels[base] = Float((word >> 16) & 0xFF) / 255 + pixels[base] * keep
                pixels[base + 1] = Float((word >> 8) & 0xFF) / 255 + pixels[base + 1] * keep
                pixels[base + 2] = Float(word & 0xFF) / 255 + pixels[base + 2] * keep
            }
        }
    }

    /// An open polyline through `points` (logical coordinates), `lineWidth` logical pixels wide, round
    /// joins and caps; non-finite points break the line into pieces.
    public mutating func strokePolyline(_ points: [(Double, Double)], color: RGBColor, lineWidth: Double = 1) {
        let finite = points.filter { $0.0.isFinite && $0.1.isFinite }
        guard !finite.isEmpty else { return }
        let pad = lineWidth / 2 + 1
        let xs = finite.map(\.0), ys = finite.map(\.1)
        withCairo(minX: (xs.min() ?? 0) - pad, minY: (ys.min() ?? 0) - pad,
                  maxX: (xs.max() ?? 0) + pad, maxY: (ys.max() ?? 0) + pad) { context in
            cairo_set_source_rgb(context, Double(color.red), Double(color.green), Double(color.blue))
            cairo_set_line_width(context, lineWidth)
            cairo_set_line_cap(context, CAIRO_LINE_CAP_ROUND)
            cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
            var drawing = false
            for (x, y) in points {
                guard x.isFinite, y.isFinite else { drawing = false; continue }
                if drawing { cairo_line_to(context, x, y) } else { cairo_move_to(context, x, y); drawing = true }
            }
            cairo_stroke(context)
        }
    }

    /// A filled anti-aliased disc (logical coordinates and radius).
    public mutating func fillDisc(centerX cx: Double, centerY cy: Double, radius r: Double, color: RGBColor,
                                  outline: RGBColor? = nil) {
        withCairo(minX: cx - r - 1, minY: cy - r - 1, maxX: cx + r + 1, maxY: cy + r + 1) { context in
            cairo_arc(context, cx, cy, r, 0, 2 * Double.pi)
            cairo_set_source_rgb(context, Double(color.red), Double(color.green), Double(color.blue))
            if let outline {
                cairo_fill_preserve(context)
                cairo_set_source_rgb(context, Double(outline.red), Double(outline.green), Double(outline.blue))
                cairo_set_line_width(context, 0.75)
                cairo_stroke(context)
            } else {
                cairo_fill(context)
            }
        }
    }

    /// A filled anti-aliased polygon through `points` (logical coordinates), e.g. an arrow head.
    public mutating func fillPolygon(_ points: [(Double, Double)], color: RGBColor) {
        guard let first = points.first, points.allSatisfy({ $0.0.isFinite && $0.1.isFinite }) else { return }
        let xs = points.map(\.0), ys = points.map(\.1)
        withCairo(minX: xs.min() ?? 0, minY: ys.min() ?? 0, maxX: xs.max() ?? 0, maxY: ys.max() ?? 0) { context in
            cairo_move_to(context, first.0, first.1)
            for point in points.dropFirst() { cairo_line_to(context, point.0, point.1) }
            cairo_close_path(context)
            cairo_set_source_rgb(context, Double(color.red), Double(color.green), Double(color.blue))
            cairo_fill(context)
        }
    }
}

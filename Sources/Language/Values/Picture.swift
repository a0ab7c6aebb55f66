import Engine
import Foundation

/// A picture the notebook shows, with the numbers it was drawn from.
///
/// Photos keep their pixels; technique results keep their raw map (at the resolution
/// it was computed, before tone mapping and colouring) so `save(x, "f.npy")` exports
/// the numbers and `save(x, "f.png")` the picture.
///
/// High DPI: a picture drawn on a `Canvas` keeps the canvas's device-resolution rendering
/// (2x by default) as `device`. The PNG the notebook gets (and `save(x, "f.png")` writes) is that
/// rendering; its image/png metadata `width`/`height` give the logical size (`drawn`), so front
/// ends show it at 1x size, crisp on a high-DPI screen. `image`, `numbers`, `.width`, `.height`
/// and `save(x, "f.npy")` stay at the logical size.
public final class Picture {
    public let image: Image
    /// What it shows, for text/plain ("chelsea", "saliency of tabby at conv10").
    public let title: String
    /// The raw numbers and their shape; nil means the pixels themselves (HWC).
    public let numbers: (shape: [Int], values: [Float])?
    /// What the notebook shows when it is more than `image`: a synthesized image keeps the image
    /// itself in `image` (so it can be classified or saved) and shows it with a title and caption.
    public let shown: Image?
    /// For a map computed on a network's input: the rectangle of the photo it was computed from
    /// that `numbers` cover (the centre crop), so it can be laid back on the photo (segment) in place.
    public let region: InputRegion?
    /// `drawn` at device resolution (a whole multiple of its size), when it was drawn on a canvas.
    public let device: Image?
    private var encoded: Data?
    /// The cell and a widget callback (on the comm thread) may encode the same picture at once.
    private let encodedLock = NSLock()
    /// Series over optimisation steps that a synthesized picture carries (`v.objective`, `v.logit`,
    /// `v.others`), readable as tensors; empty series are not members.
    public var curves: [String: [Float]] = [:]
    /// Single numbers a technique reports with its picture (`r.linf`, `r.probability`), readable as
    /// members; each name must have a line in `factDocs`.
    public var facts: [String: Double] = [:]
    /// An animation's frames (dream with zoom:): `save(x, "f.png")` writes them as an animated PNG.
    public var frames: [Image] = []

    public init(image: Image, title: String, numbers: (shape: [Int], values: [Float])? = nil, shown: Image? = nil,
                region: InputRegion? = nil, device: Image? = nil) {
        self.image = image
        self.title = title
        self.numbers = numbers
        self.shown = shown
        self.region = region
        self.device = device
    }

    /// A picture whose `image` is kept for computing (a synthesized image that can be classified or
    /// saved) and shown as the drawing `shown`, at the drawing's device resolution.
    public convenience init(image: Image, title: String, numbers: (shape: [Int], values: [Float])? = nil, shown: Canvas) {
        self.init(image: image, title: title, numbers: numbers, shown: shown.image, device: shown.deviceImage)
    }

    /// The picture as drawn: `shown` when there is one, else `image`.
    public var drawn: Image { shown ?? image }

    /// The picture as drawn on a canvas to draw more on (a progress caption): its device-resolution
    /// rendering when it has one, so text and lines stay sharp, else `drawn` upsampled.
    public var canvas: Canvas {
        let logical = drawn
        if let device, device.channels == 3, logical.width > 0, device.width % logical.width == 0,
           device.height == logical.height * (device.width / logical.width),
           let wrapped = Canvas(width: logical.width, height: logical.height, pixels: device.pixels,
                                scale: device.width / logical.width) {
            return wrapped
        }
        return Canvas(image: logical)
    }

    /// A drawing from the engine (a technique's rendered result) with the raw numbers behind it.
    public convenience init(canvas: Canvas, title: String, numbers: (shape: [Int], values: [Float])? = nil,
                            region: InputRegion? = nil) {
        self.init(image: canvas.image, title: title, numbers: numbers, region: region, device: canvas.deviceImage)
    }

    /// The numbers `save(x, "f.npy")` writes.
    public var array: (shape: [Int], values: [Float]) {
        numbers ?? ([image.height, image.width, image.channels], image.pixels)
    }

    /// What each series of `curves` is, for member completion and help.
    static let curveDocs = [
        "objective": "the objective at each step (steps + 1 values: before each step, then after the last)",
        "logit": "the target class's logit at each step (class objectives)",
        "others": "the mean of the other classes' logits at each step (class objectives)",
        "probabilities": "the target class's probability before the first step and after each step",
        "similarity": "diversity: the mean pairwise Gram cosine similarity before each step, then of the final images",
        "neighbors": "neighbors with query indices: each query's neighbours' indices in images, row by row",
        "sources": "patches: the index in images of each patch's image, row by row (nan where a row is short)",
    ]

    /// What each of `facts` is, for member completion and help.
    static let factDocs = [
        "linf": "the largest change of any pixel (L-infinity), in grey levels out of 255",
        "probability": "the network's probability for the target class at the end",
        "steps": "the steps taken",
        "fooled": "1 when the network was fooled (the target on top, or p(target) reached confidence), else 0",
        "success": "the share of held-out patched images classified as the class (0 to 1)",
        "labelled": "dissect: the units whose best concept's IoU exceeds the threshold",
        "concepts": "dissect: how many distinct concepts the labelled units name",
    ]

    /// The bytes `save(x, "f.png")` writes: an animated PNG of `frames` when there are several,
    /// else the picture as drawn.
    public func savedPNGData() throws -> Data {
        frames.count > 1 ? Data(try AnimatedPNG.encode(frames)) : try pngData()
    }

    /// The PNG bytes of the picture as shown (`device` when there is one), encoded once. Throws
    /// `TextFont.Unavailable` when a drawing's text could not be set (the font file is missing).
    public func pngData() throws -> Data {
        if let cached = encodedLock.withLock({ encoded }) { return cached }
        if device != nil { try TextFont.check() }
        let data = try PNGEncoding.encode(device ?? drawn)
        encodedLock.withLock { encoded = data }
        return data
    }

    /// The PNG as shown and the logical size to show it at (CSS pixels), for widgets' Image
    /// `width`/`height`, which like image/png metadata keep a 2x PNG at 1x size.
    public func shownPNG() throws -> ShownPNG {
        ShownPNG(png: try pngData(), width: drawn.width, height: drawn.height)
    }

    public var summary: String {
        "\(title): image \(drawn.width)x\(drawn.height) " + (drawn.channels == 1 ? "gray" : "RGB")
    }

    /// image/png (base64) with width/height metadata (the logical size, so a 2x PNG shows at 1x
    /// size) and the title as its alt text (nbconvert's reports and screen readers read it), plus a
    /// text/plain summary.
    public func displayBundle() -> DisplayBundle {
        let png: Data
        do { png = try pngData() } catch {
            return .text(summary + " (could not be encoded as PNG: \(error))")
        }
        return DisplayBundle(data: ["image/png": png.base64EncodedString(), "text/plain": summary],
                             metadata: ["image/png": ["width": drawn.width, "height": drawn.height, "alt": title]])
    }
}

/// PNG bytes with the size (logical pixels) a front end should show them at.
public struct ShownPNG: Sendable {
    public let png: Data
    public let width: Int
    public let height: Int
}

import Engine
import Foundation

/// A picture the notebook shows, with the numbers it was drawn from.
///
/// Photos keep their pixels; technique results keep their raw map (at the resolution
/// it was computed, before tone mapping and colouring) so `save(x, "f.npy")` exports
/// the numbers and `save(x, "f.png")` the picture.
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
    private var encoded: Data?
    /// The cell and a widget callback (on the comm thread) may encode the same picture at once.
    private let encodedLock = NSLock()
    /// Series over optimisation steps that a synthesized picture carries (`v.objective`, `v.logit`,
    /// `v.others`), readable as tensors; empty series are not members.
    public var curves: [String: [Float]] = [:]
    /// An animation's frames (dream with zoom:): `save(x, "f.png")` writes them as an animated PNG.
    public var frames: [Image] = []

    public init(image: Image, title: String, numbers: (shape: [Int], values: [Float])? = nil, shown: Image? = nil,
                region: InputRegion? = nil) {
        self.image = image
        self.title = title
        self.numbers = numbers
        self.shown = shown
        self.region = region
    }

    /// The picture as drawn: `shown` when there is one, else `image`.
    public var drawn: Image { shown ?? image }

    /// A drawing from the engine (a technique's rendered result) with the raw numbers behind it.
    public convenience init(canvas: Canvas, title: String, numbers: (shape: [Int], values: [Float])? = nil,
                            region: InputRegion? = nil) {
        self.init(image: canvas.image, title: title, numbers: numbers, region: region)
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
        "similarity": "diversity: the mean pairwise Gram cosine similarity before each step, then of the final images",
    ]

    /// The bytes `save(x, "f.png")` writes: an animated PNG of `frames` when there are several,
    /// else the picture as drawn.
    public func savedPNGData() throws -> Data {
        frames.count > 1 ? Data(try AnimatedPNG.encode(frames)) : try pngData()
    }

    /// The PNG bytes, encoded once.
    public func pngData() throws -> Data {
        if let cached = encodedLock.withLock({ encoded }) { return cached }
        let data = try PNGEncoding.encode(drawn)
        encodedLock.withLock { encoded = data }
        return data
    }

    public var summary: String {
        "\(title): image \(drawn.width)x\(drawn.height) " + (drawn.channels == 1 ? "gray" : "RGB")
    }

    /// image/png (base64) with width/height metadata and the title as its alt text (nbconvert's
    /// reports and screen readers read it), plus a text/plain summary.
    public func displayBundle() -> DisplayBundle {
        guard let png = try? pngData() else {
            return .text(summary + " (could not be encoded as PNG)")
        }
        return DisplayBundle(data: ["image/png": png.base64EncodedString(), "text/plain": summary],
                             metadata: ["image/png": ["width": drawn.width, "height": drawn.height, "alt": title]])
    }
}

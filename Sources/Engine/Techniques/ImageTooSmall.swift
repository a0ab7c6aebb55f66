/// An image too small for the network to run on: a side shorter than the smallest input whose
/// every convolution and pooling window still fits (see `NetworkInputFloor`).
///
/// Thrown instead of the "shape mismatch: conv2d" the forward pass would give, so the language
/// can point at the image argument and say which size would work.
public struct ImageTooSmall: Error, CustomStringConvertible, Equatable, Sendable {
    /// Which of a technique's images is too small.
    public enum Role: String, Sendable {
        /// The one image of a technique (saliency, dream, invert, texture, ...).
        case image
        /// The photo whose layout style transfer keeps; the result takes its aspect ratio.
        case content
        /// The painting whose Gram matrices style transfer or texture synthesis match.
        case style
        /// The image being made (texture synthesis), whose size the caller chose.
        case result
    }

    public let role: Role
    /// The side that is too short and its length in pixels, as the network would get it.
    public let side: Side
    public let length: Int
    /// The smallest length that side may have.
    public let minimum: Int
    public let network: String
    /// The layer the pass stops at; nil when it runs to the logits.
    public let layer: String?

    public enum Side: String, Sendable { case height, width }

    public init(role: Role, side: Side, length: Int, minimum: Int, network: String, layer: String?) {
        self.role = role
        self.side = side
        self.length = length
        self.minimum = minimum
        self.network = network
        self.layer = layer
    }

    public var description: String {
        let reach = layer.map { " up to \($0)" } ?? ""
        let whose = role == .result ? "the result's" : "the \(role == .image ? "" : "\(role.rawValue) ")image's"
        return "\(whose) \(side.rawValue) (\(length) px) is too small "
            + "for \(network)\(reach): its windows and strides need at least \(minimum) px"
    }
}

/// The smallest image a network can run on, found from the network itself.
///
/// Every valid (unpadded) convolution or pooling window and every stride shrinks the plane; a
/// plane smaller than the next window makes the forward pass fail with an internal shape error.
/// Rather than have each network list its kernels, strides, paddings and rounding modes, the
/// floor is measured by running the network's own forward pass on blank square inputs of growing
/// side, which stays right for any stack of layers.
/// The passes are tiny: the floor of SqueezeNet lies far below its 227-pixel input.
public enum NetworkInputFloor {
    /// The smallest side n for which an n x n input runs through `network` up to `layer` (nil:
    /// to the logits). 1 when no square input up to the network's own size runs, which happens
    /// only for networks that take exactly one non-square size; those are left to their own checks.
    public static func minimumSide(of network: Network, until layer: String? = nil) throws -> Int {
        let largest = Swift.max(network.inputSize.height, network.inputSize.width)
        func runs(_ side: Int) throws -> Bool {
            let blank = try Tensor(zeros: [1, network.inputChannels, side, side])
            do {
                let (output, _) = try network.forward(blank, capture: [], until: layer)
                return output.count > 0 && !output.shape.contains(0)
            } catch EngineError.cancelled {
                throw EngineError.cancelled
            } catch is EngineError {
                return false
            }
        }
        // Doubling, then halving the last gap: about 2 log2(floor) passes, all at small sides.
        var failing = 0
        var side = 1
        while true {
            try Cancellation.check()
            if try runs(side) { break }
            failing = side
            guard side < largest else { return 1 }
            side = Swift.min(2 * side, largest)
        }
        var working = side
        while working - failing > 1 {
            let middle = (failing + working) / 2
            if try runs(middle) { working = middle } else { failing = middle }
        }
        return working
    }

    /// Throws `ImageTooSmall` when a `height` x `width` image is below `minimum` on a side.
    static func check(height: Int, width: Int, minimum: Int, role: ImageTooSmall.Role, network: Network,
                      layer: String?) throws {
        let (side, length): (ImageTooSmall.Side, Int) = height <= width ? (.height, height) : (.width, width)
        guard length >= minimum else {
            throw ImageTooSmall(role: role, side: side, length: length, minimum: minimum, network: network.name,
                                layer: layer)
        }
    }

    /// Throws `ImageTooSmall` when `image`'s short side is below the floor of `network` up to `layer`.
    public static func check(_ image: Image, role: ImageTooSmall.Role, network: Network, layer: String? = nil) throws {
        try check(height: image.height, width: image.width,
                  minimum: try minimumSide(of: network, until: layer), role: role, network: network, layer: layer)
    }
}

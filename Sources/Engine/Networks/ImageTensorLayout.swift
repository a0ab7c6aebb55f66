/// Shape checks shared by the networks' preprocess/deprocess/forward.
enum ImageTensorLayout {
    /// Height and width of a [1, C, H, W] tensor, or an error naming the network.
    static func planeSize(_ x: Tensor, channels: Int, network: String) throws -> (height: Int, width: Int) {
        guard x.shape.count == 4, x.shape[0] == 1, x.shape[1] == channels else {
            throw EngineError.shapeMismatch("\(network): expected an image tensor [1, \(channels), H, W], got \(x.shape)")
        }
        return (x.shape[2], x.shape[3])
    }

    /// Checks a forward input is [N, C, H, W] with the network's channel count.
    static func checkInput(_ x: Tensor, channels: Int, network: String) throws {
        guard x.shape.count == 4, x.shape[1] == channels, x.shape[0] > 0 else {
            throw EngineError.shapeMismatch("\(network): input must be [N, \(channels), H, W], got \(x.shape)")
        }
    }
}

/// A pretrained network as the techniques see it: named layers in forward order, an input
/// convention (size, channels, normalisation) and a forward pass that can stop early and
/// record chosen activations. Every network ConvLens loads is a `GraphNetwork`.
///
/// Networks are classes because they own large weight tensors that must not be copied.
public protocol Network: AnyObject {
    /// Stable name, e.g. "squeezenet".
    var name: String { get }
    var inputSize: (height: Int, width: Int) { get }
    /// 3 for RGB/BGR networks, 1 for gray.
    var inputChannels: Int { get }
    /// Every layer the forward pass can stop at or capture, in forward order.
    var layers: [LayerInfo] { get }
    /// Class names, indexed like the logits.
    var classNames: [String] { get }
    /// What the input tensor is made of (size, channel order, pixel range, mean and std, resize
    /// rule): `preprocess` must be this convention's, and the techniques map gradients back to
    /// image pixels with it (`InputSpace`). Throws when a network cannot state one (a stored
    /// convention, as `GraphNetwork` has, never throws).
    var inputConvention: InputConvention { get throws }

    /// Image (0...1) -> normalised [1, C, H, W]: resize the shorter side, centre crop; an image
    /// already at the input size is used as is. Gray images are expanded for RGB networks and
    /// RGB images averaged for gray ones.
    func preprocess(_ image: Image) throws -> Tensor
    /// The inverse of `preprocess` for a [1, C, H, W] tensor (for images being optimised);
    /// values are clamped into 0...1.
    func deprocess(_ x: Tensor) throws -> Image
    /// Runs x ([N, C, H, W]) to the layer `until` (or to the logits), returning that layer's
    /// output and the activations named in `capture` (each must be at or before `until`).
    func forward(_ x: Tensor, capture: Set<String>, until: String?) throws -> (output: Tensor, activations: [String: Tensor])
}

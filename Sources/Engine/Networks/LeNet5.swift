/// The LeNet-5-style MNIST classifier of PyPI `advertorch` 0.2.3 (`advertorch.test_utils.LeNet5`),
/// with its two published weight sets: plainly trained (`mnist_lenet5_clntrained.pt`) and
/// adversarially trained with PGD (`mnist_lenet5_advtrained.pt`).
///
/// conv1 3x3 (1 -> 32, padding 1) + ReLU, max pool 2; conv2 3x3 (32 -> 64, padding 1) + ReLU,
/// max pool 2; linear 3136 -> 200 + ReLU; linear 200 -> 10. Input 28x28 gray in 0...1, white
/// digit on black, no normalisation (advertorch trains on `ToTensor()` alone).
public final class LeNet5: Network {
    public let name: String
    public let inputSize = (height: 28, width: 28)
    public let inputChannels = 1
    public let classNames = (0..<10).map(String.init)
    public private(set) var layers: [LayerInfo] = []
    private var stages: [NetworkStage] = []

    public init(name: String, weights: NamedWeights) throws {
        self.name = name
        var field = ReceptiveField(inputSize: 28)
        var channels = 1
        func tensor(_ key: String, _ shape: [Int]) throws -> Tensor {
            let array = try weights.require(key, shape: shape)
            return try Tensor(shape: array.shape, data: array.values)
        }
        func add(_ name: String, _ kind: String, parameters: Int, vector: Bool = false, _ run: @escaping (Tensor) throws -> Tensor) {
            let info = LayerInfo(name: name, kind: kind, outputShape: vector ? [channels] : [channels, field.size, field.size],
                                 receptiveField: field.field, jump: field.jump, start: field.start, parameterCount: parameters)
            layers.append(info)
            stages.append(NetworkStage(info: info, run: run))
        }
        let conv1 = (try tensor("conv1.weight", [32, 1, 3, 3]), try tensor("conv1.bias", [32]))
        let conv2 = (try tensor("conv2.weight", [64, 32, 3, 3]), try tensor("conv2.bias", [64]))
        let fc1 = (try tensor("linear1.weight", [200, 3136]), try tensor("linear1.bias", [200]))
        let fc2 = (try tensor("linear2.weight", [10, 200]), try tensor("linear2.bias", [10]))
        field.window(kernel: 3, stride: 1, padding: 1)
        channels = 32
        add("conv1", "conv 3x3 + relu", parameters: conv1.0.count + conv1.1.count) {
            try $0.conv2d(weight: conv1.0, bias: conv1.1, padding: .symmetric(1)).relu()
        }
        field.window(kernel: 2, stride: 2, padding: 0)
        add("pool1", "maxpool 2/2", parameters: 0) { try $0.maxPool2d(kernel: 2, stride: 2) }
        field.window(kernel: 3, stride: 1, padding: 1)
        channels = 64
        add("conv2", "conv 3x3 + relu", parameters: conv2.0.count + conv2.1.count) {
            try $0.conv2d(weight: conv2.0, bias: conv2.1, padding: .symmetric(1)).relu()
        }
        field.window(kernel: 2, stride: 2, padding: 0)
        add("pool2", "maxpool 2/2", parameters: 0) { try $0.maxPool2d(kernel: 2, stride: 2) }
        field.global()
        channels = 200
        add("fc1", "linear + relu", parameters: fc1.0.count + fc1.1.count, vector: true) {
            try $0.flatten().linear(weight: fc1.0, bias: fc1.1).relu()
        }
        channels = 10
        add("logits", "linear", parameters: fc2.0.count + fc2.1.count, vector: true) {
            try $0.linear(weight: fc2.0, bias: fc2.1)
        }
    }

    public func preprocess(_ image: Image) throws -> Tensor {
        let gray = image.grayscale()
        let fitted = gray.width == 28 && gray.height == 28 ? gray : try gray.fitted(width: 28, height: 28, resizeTo: 28)
        return try Tensor(shape: [1, 1, 28, 28], data: fitted.pixels)
    }

    public func deprocess(_ x: Tensor) throws -> Image {
        let (height, width) = try ImageTensorLayout.planeSize(x, channels: 1, network: name)
        return try Image(width: width, height: height, channels: 1, pixels: x.data).clamped()
    }

    public func forward(_ x: Tensor, capture: Set<String>, until: String?) throws -> (output: Tensor, activations: [String: Tensor]) {
        try ImageTensorLayout.checkInput(x, channels: 1, network: name)
        return try NetworkStage.forward(stages, network: name, input: x, capture: capture, until: until)
    }
}

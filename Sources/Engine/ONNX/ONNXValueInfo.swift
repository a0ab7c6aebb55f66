import Foundation

/// One dimension of a declared shape (onnx.proto, `TensorShapeProto.Dimension`).
public enum ONNXDimension: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// `dim_value`: a known size.
    case fixed(Int)
    /// `dim_param`: a named size chosen at run time, such as "batch_size".
    case symbolic(String)
    /// Neither field set: a size nobody named.
    case unknown

    public var description: String {
        switch self {
        case .fixed(let size): return String(size)
        case .symbolic(let name): return name
        case .unknown: return "?"
        }
    }
}

/// A graph input or output as the file declares it (onnx.proto, `ValueInfoProto`).
public struct ONNXValueInfo: Equatable, Sendable {
    public var name: String
    /// Nil when the value is not a tensor of a type ConvLens reads, or no type was given.
    public var elementType: ONNXElementType?
    /// Nil when the file gives no shape (rank unknown).
    public var shape: [ONNXDimension]?

    public init(name: String, elementType: ONNXElementType?, shape: [ONNXDimension]?) {
        self.name = name
        self.elementType = elementType
        self.shape = shape
    }

    /// The shape when every dimension is fixed.
    public var staticShape: [Int]? {
        guard let shape else { return nil }
        var sizes: [Int] = []
        for dimension in shape {
            guard case .fixed(let size) = dimension else { return nil }
            sizes.append(size)
        }
        return sizes
    }

    /// "input [batch, 3, 224, 224] FLOAT", for messages and listings.
    public var summary: String {
        let dims = shape.map { "[" + $0.map(\.description).joined(separator: ", ") + "]" } ?? "[unknown shape]"
        return "\(name) \(dims) \(elementType?.description ?? "?")"
    }

    static func decode(_ proto: Onnx_ValueInfoProto, what: String, source: String) throws -> ONNXValueInfo {
        guard case .tensorType(let tensor)? = proto.type.value else {
            // Sequences, maps and optionals are not images; only a missing type is tolerated.
            if proto.type.value == nil { return ONNXValueInfo(name: proto.name, elementType: nil, shape: nil) }
            throw EngineError.unsupported("\(source): \(what) '\(proto.name)' is not a tensor (sequence, map, optional or sparse values are not supported)")
        }
        let type = ONNXElementType(rawValue: Int(tensor.elemType))
        guard tensor.hasShape else { return ONNXValueInfo(name: proto.name, elementType: type, shape: nil) }
        guard tensor.shape.dim.count <= ONNXTensorDecoding.maximumRank else {
            throw EngineError.format("\(source): \(what) '\(proto.name)' has \(tensor.shape.dim.count) dimensions; at most \(ONNXTensorDecoding.maximumRank) are supported")
        }
        let shape = try tensor.shape.dim.map { dimension -> ONNXDimension in
            switch dimension.value {
            case .dimValue(let size)?:
                // 0 is legal (an empty tensor) but a negative size is not.
                guard size >= 0, size <= Int64(ONNXTensorDecoding.maximumElements) else {
                    throw EngineError.format("\(source): \(what) '\(proto.name)' has dimension \(size)")
                }
                return .fixed(Int(size))
            case .dimParam(let name)?: return .symbolic(name)
            case nil: return .unknown
            }
        }
        return ONNXValueInfo(name: proto.name, elementType: type, shape: shape)
    }
}

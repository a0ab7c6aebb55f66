import CZeroMQ

/// A libzmq call that failed, with the call and libzmq's own message.
public struct ZMQError: Error, CustomStringConvertible {
    public let operation: String
    public let code: Int32

    init(_ operation: String, code: Int32 = zmq_errno()) {
        self.operation = operation
        self.code = code
    }

    public var description: String {
        "\(operation) failed: \(String(cString: zmq_strerror(code)))"
    }
}

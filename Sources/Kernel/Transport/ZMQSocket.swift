import CZeroMQ
import Foundation

/// One libzmq socket: multipart send and receive, polling, options.
///
/// A socket is used by one thread at a time; the server gives each channel its
/// own thread, and the one socket shared by two threads (the iopub feed) is
/// guarded by a lock, which also provides the memory barrier libzmq asks for.
final class ZMQSocket {
    let handle: UnsafeMutableRawPointer
    let name: String

    init(context: UnsafeMutableRawPointer, type: Int32, name: String) throws {
        guard let handle = zmq_socket(context, type) else { throw ZMQError("zmq_socket(\(name))") }
        self.handle = handle
        self.name = name
    }

    func bind(_ endpoint: String) throws {
        guard zmq_bind(handle, endpoint) == 0 else { throw ZMQError("binding \(name) to \(endpoint)") }
    }

    func connect(_ endpoint: String) throws {
        guard zmq_connect(handle, endpoint) == 0 else { throw ZMQError("connecting \(name) to \(endpoint)") }
    }

    func setOption(_ option: Int32, _ value: Int32) throws {
        var value = value
        guard zmq_setsockopt(handle, option, &value, MemoryLayout<Int32>.size) == 0 else {
            throw ZMQError("setting option \(option) on \(name)")
        }
    }

    func setOption(_ option: Int32, _ value: Int64) throws {
        var value = value
        guard zmq_setsockopt(handle, option, &value, MemoryLayout<Int64>.size) == 0 else {
            throw ZMQError("setting option \(option) on \(name)")
        }
    }

    func setOption(_ option: Int32, _ text: String) throws {
        let bytes = Array(text.utf8)
        let status = bytes.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
        guard status == 0 else { throw ZMQError("setting option \(option) on \(name)") }
    }

    /// Makes this socket a CurveZMQ server with the connection file's key pair (Z85 text).
    func makeCurveServer(publicKey: String, secretKey: String) throws {
        try setOption(ZMQ_CURVE_SERVER, Int32(1))
        try setOption(ZMQ_CURVE_PUBLICKEY, publicKey)
        try setOption(ZMQ_CURVE_SECRETKEY, secretKey)
    }

    /// Sends all frames as one multipart message. Never blocks on a full
    /// iopub queue: libzmq drops for slow subscribers instead.
    @discardableResult
    func send(_ frames: [Data]) -> Bool {
        for (index, frame) in frames.enumerated() {
            let flags = index == frames.count - 1 ? Int32(0) : ZMQ_SNDMORE
            var status: Int32 = -1
            repeat {
                status = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
            } while status < 0 && zmq_errno() == EINTR
            if status < 0 {
                KernelLog.error("\(name): send failed: \(String(cString: zmq_strerror(zmq_errno())))")
                return false
            }
        }
        return true
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever) for something to read.
    func poll(timeoutMilliseconds: Int) -> Bool {
        var item = zmq_pollitem_t(socket: handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
        let count = zmq_poll(&item, 1, timeoutMilliseconds)
        return count > 0 && (item.revents & Int16(ZMQ_POLLIN)) != 0
    }

    /// Reads one whole multipart message, or nil when none is waiting (`wait` false)
    /// or the call was interrupted.
    func receive(wait: Bool = false) -> [Data]? {
        var frames: [Data] = []
        while true {
            var message = zmq_msg_t()
            zmq_msg_init(&message)
            defer { zmq_msg_close(&message) }
            let size = zmq_msg_recv(&message, handle, (wait || !frames.isEmpty) ? 0 : ZMQ_DONTWAIT)
            if size < 0 {
                let code = zmq_errno()
                if code == EINTR && !frames.isEmpty { continue }
                if code != EAGAIN && code != EINTR && code != ETERM {
                    KernelLog.error("\(name): receive failed: \(String(cString: zmq_strerror(code)))")
                }
                return nil
            }
            if let data = zmq_msg_data(&message) {
                frames.append(Data(bytes: data, count: Int(size)))
            } else {
                frames.append(Data())
            }
            if zmq_msg_more(&message) == 0 { return frames }
        }
    }

    func close(lingerMilliseconds: Int32 = 0) {
        try? setOption(ZMQ_LINGER, lingerMilliseconds)
        zmq_close(handle)
    }
}

import CZeroMQ
import Foundation

/// The control ROUTER on its own thread: kernel_info, interrupt and shutdown are
/// answered here even while the shell thread is busy running a cell.
final class ControlChannel: @unchecked Sendable {
    private let socket: ZMQSocket
    private let codec: WireCodec
    private let stopping: AtomicFlag
    private let handle: (WireMessage) -> Void

    init(socket: ZMQSocket, codec: WireCodec, stopping: AtomicFlag, handle: @escaping (WireMessage) -> Void) {
        self.socket = socket
        self.codec = codec
        self.stopping = stopping
        self.handle = handle
    }

    func run() {
        while !stopping.isSet {
            guard socket.poll(timeoutMilliseconds: 100), let frames = socket.receive() else { continue }
            do {
                handle(try codec.decode(frames))
            } catch {
                KernelLog.error("control: \(error)")
            }
        }
    }

    func send(_ message: WireMessage) {
        socket.send(codec.encode(message))
    }
}

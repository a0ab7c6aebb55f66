import CZeroMQ
import Foundation

/// An inproc PUSH/PULL pair through which any thread hands frames to the one thread that owns
/// a socket, since a libzmq socket may only be used by one thread (libzmq's threading rule).
///
/// Senders push under a lock; the owning thread runs `forward(to:stopping:onReadable:)`, which
/// polls the feed and the socket together, so a queued reply waits at most for the socket's own
/// traffic, never for a timeout.
final class SocketFeed: @unchecked Sendable {
    private let feedIn: ZMQSocket
    private let feedOut: ZMQSocket
    private let sendLock = NSLock()

    /// - Parameter name: what the feed serves, for error messages ("iopub", "shell").
    init(context: UnsafeMutableRawPointer, name: String) throws {
        let endpoint = "inproc://convlens-\(name)-feed-\(UUID().uuidString)"
        feedIn = try ZMQSocket(context: context, type: ZMQ_PULL, name: "\(name) feed (pull)")
        try feedIn.bind(endpoint)
        feedOut = try ZMQSocket(context: context, type: ZMQ_PUSH, name: "\(name) feed (push)")
        try feedOut.connect(endpoint)
    }

    /// Queues frames for the owning thread to send; safe from any thread.
    func send(_ frames: [Data]) {
        sendLock.lock()
        feedOut.send(frames)
        sendLock.unlock()
    }

    /// The owning thread's loop: sends everything fed to `socket` and calls `onReadable` when
    /// `socket` has input, until `stopping` is set; then sends what is still queued.
    func forward(to socket: ZMQSocket, stopping: AtomicFlag, onReadable: () -> Void) {
        var items = [
            zmq_pollitem_t(socket: feedIn.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0),
            zmq_pollitem_t(socket: socket.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0),
        ]
        while !stopping.isSet {
            guard zmq_poll(&items, 2, 100) > 0 else { continue }
            if items[0].revents & Int16(ZMQ_POLLIN) != 0 { sendQueued(to: socket) }
            if items[1].revents & Int16(ZMQ_POLLIN) != 0 { onReadable() }
        }
        sendQueued(to: socket)
    }

    /// Sends everything waiting in the feed, without blocking.
    private func sendQueued(to socket: ZMQSocket) {
        while let frames = feedIn.receive() {
            socket.send(frames)
        }
    }

    func close() {
        feedOut.close()
        feedIn.close()
    }
}

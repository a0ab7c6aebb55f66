import CZeroMQ
import Foundation

/// The shell ROUTER on its own reader thread, so comm messages are not stuck behind a
/// running cell (ipykernel's issues 65 and 311).
///
/// The reader hands comm messages (`KernelCore.commMessageTypes`) to `onComm`, which
/// runs them on the comm thread at once, and queues every other request for the thread
/// that runs cells (`next`). Replies from both threads go out through an inproc PUSH
/// feed (under a lock) that the reader forwards to the ROUTER, because a libzmq socket
/// may only be used by one thread.
final class ShellChannel: @unchecked Sendable {
    private let socket: ZMQSocket
    private let feedIn: ZMQSocket
    private let feedOut: ZMQSocket
    private let feedLock = NSLock()
    private let codec: WireCodec
    private let stopping: AtomicFlag
    private let onComm: (WireMessage) -> Void
    private let queueLock = NSCondition()
    private var queue: [WireMessage] = []

    init(context: UnsafeMutableRawPointer, socket: ZMQSocket, codec: WireCodec, stopping: AtomicFlag,
         onComm: @escaping (WireMessage) -> Void) throws {
        self.socket = socket
        self.codec = codec
        self.stopping = stopping
        self.onComm = onComm
        let endpoint = "inproc://convlens-shell-feed-\(UUID().uuidString)"
        feedIn = try ZMQSocket(context: context, type: ZMQ_PULL, name: "shell feed (pull)")
        try feedIn.bind(endpoint)
        feedOut = try ZMQSocket(context: context, type: ZMQ_PUSH, name: "shell feed (push)")
        try feedOut.connect(endpoint)
    }

    /// The reader loop: runs until `stopping`, then sends what is still queued to go out.
    func run() {
        var items = [
            zmq_pollitem_t(socket: socket.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0),
            zmq_pollitem_t(socket: feedIn.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0),
        ]
        while !stopping.isSet {
            guard zmq_poll(&items, 2, 100) > 0 else { continue }
            if items[1].revents & Int16(ZMQ_POLLIN) != 0 { forwardQueued() }
            if items[0].revents & Int16(ZMQ_POLLIN) != 0 {
                while let frames = socket.receive() { route(frames) }
            }
        }
        forwardQueued()
    }

    private func route(_ frames: [Data]) {
        let message: WireMessage
        do {
            message = try codec.decode(frames)
        } catch {
            KernelLog.error("shell: \(error)")
            return
        }
        if let type = try? message.decodedHeader().msgType, KernelCore.commMessageTypes.contains(type) {
            onComm(message)
            return
        }
        queueLock.lock()
        queue.append(message)
        queueLock.signal()
        queueLock.unlock()
    }

    private func forwardQueued() {
        while let frames = feedIn.receive() {
            socket.send(frames)
        }
    }

    /// The next request for the cell thread, waiting up to `timeout` seconds.
    func next(timeout: Double) -> WireMessage? {
        queueLock.lock()
        defer { queueLock.unlock() }
        if queue.isEmpty { _ = queueLock.wait(until: Date(timeIntervalSinceNow: timeout)) }
        return queue.isEmpty ? nil : queue.removeFirst()
    }

    /// Every request that has arrived and not been taken yet.
    func drain() -> [WireMessage] {
        queueLock.lock()
        defer { queueLock.unlock() }
        let taken = queue
        queue.removeAll()
        return taken
    }

    /// Queues a reply for the reader to send; safe from any thread.
    func send(_ message: WireMessage) {
        let frames = codec.encode(message)
        feedLock.lock()
        feedOut.send(frames)
        feedLock.unlock()
    }

    func close() {
        feedOut.close()
        feedIn.close()
    }
}

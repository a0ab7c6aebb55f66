import CZeroMQ
import Foundation

/// The shell ROUTER on its own reader thread, so comm messages are not stuck behind a
/// running cell (ipykernel's issues 65 and 311).
///
/// The reader hands comm messages (`KernelCore.commMessageTypes`) to `onComm`, which
/// runs them on the comm thread at once, and queues every other request for the thread
/// that runs cells (`next`). Replies from both threads go out through a `SocketFeed`
/// that the reader forwards to the ROUTER.
final class ShellChannel: @unchecked Sendable {
    private let socket: ZMQSocket
    private let feed: SocketFeed
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
        feed = try SocketFeed(context: context, name: "shell")
    }

    /// The reader loop: runs until `stopping`, then sends what is still queued to go out.
    func run() {
        feed.forward(to: socket, stopping: stopping) {
            while let frames = socket.receive() { route(frames) }
        }
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
        feed.send(codec.encode(message))
    }

    func close() {
        feed.close()
    }
}

import CZeroMQ
import Foundation

/// The heartbeat: a REP socket on its own thread that echoes every ping at once,
/// so front ends see the kernel alive even while a long cell runs.
final class HeartbeatChannel: @unchecked Sendable {
    private let socket: ZMQSocket
    private let stopping: AtomicFlag

    init(socket: ZMQSocket, stopping: AtomicFlag) {
        self.socket = socket
        self.stopping = stopping
    }

    func run() {
        while !stopping.isSet {
            guard socket.poll(timeoutMilliseconds: 100), let frames = socket.receive() else { continue }
            socket.send(frames)
        }
    }
}

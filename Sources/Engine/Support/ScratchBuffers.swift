import Foundation

/// A pool of reusable Float buffers for temporary workspaces (im2col columns, col2im input).
///
/// Big temporary arrays are exactly what makes a CPU engine slow: each fresh allocation of
/// a few megabytes is served by mmap and pays a page fault per 4 KB on first touch. The pool
/// keeps buffers alive between calls, so a forward pass of a network reuses the same memory.
/// Thread-safe; a buffer is owned by one caller between `take` and `give back`.
final class ScratchBuffers: @unchecked Sendable {
    static let shared = ScratchBuffers()

    private let lock = NSLock()
    private var free: [(pointer: UnsafeMutablePointer<Float>, capacity: Int)] = []
    /// Buffers beyond this many are released rather than pooled.
    private let maximumPooled = 8

    /// Lends a buffer of at least `count` floats (contents undefined) for the duration of `body`.
    func withBuffer<Result>(count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> Result) rethrows -> Result {
        let buffer = take(count: max(1, count))
        defer { giveBack(buffer) }
        return try body(buffer.pointer)
    }

    private func take(count: Int) -> (pointer: UnsafeMutablePointer<Float>, capacity: Int) {
        lock.lock()
        // Smallest pooled buffer that fits, so large buffers stay available for large requests.
        var best: Int?
        var bestCapacity = Int.max
        for (index, entry) in free.enumerated() where entry.capacity >= count && entry.capacity < bestCapacity {
            best = index
            bestCapacity = entry.capacity
        }
        if let best {
            let entry = free.remove(at: best)
            lock.unlock()
            return entry
        }
        // Nothing fits: drop the largest too-small buffer so the pool does not grow forever.
        if let largest = free.indices.max(by: { free[$0].capacity < free[$1].capacity }), free.count >= maximumPooled {
            let entry = free.remove(at: largest)
            entry.pointer.deallocate()
        }
        lock.unlock()
        return (UnsafeMutablePointer<Float>.allocate(capacity: count), count)
    }

    private func giveBack(_ buffer: (pointer: UnsafeMutablePointer<Float>, capacity: Int)) {
        lock.lock()
        if free.count < maximumPooled {
            free.append(buffer)
            lock.unlock()
        } else {
            lock.unlock()
            buffer.pointer.deallocate()
        }
    }
}

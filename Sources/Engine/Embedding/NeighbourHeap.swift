/// A bounded max-heap that keeps the k smallest distances offered to it.
struct NeighbourHeap {
    private var distances: [Float]
    private var indices: [Int32]
    private(set) var count = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        distances = [Float](repeating: 0, count: capacity)
        indices = [Int32](repeating: 0, count: capacity)
    }

    mutating func removeAll() { count = 0 }

    mutating func offer(distance: Float, index: Int32) {
        if count < capacity {
            var child = count
            count += 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard distances[parent] < distance else { break }
                distances[child] = distances[parent]
                indices[child] = indices[parent]
                child = parent
            }
            distances[child] = distance
            indices[child] = index
        } else if capacity > 0, distance < distances[0] {
            siftDown(distance: distance, index: index)
        }
    }

    private mutating func siftDown(distance: Float, index: Int32) {
        var parent = 0
        while true {
            var child = 2 * parent + 1
            if child >= count { break }
            if child + 1 < count, distances[child + 1] > distances[child] { child += 1 }
            guard distances[child] > distance else { break }
            distances[parent] = distances[child]
            indices[parent] = indices[child]
            parent = child
        }
        distances[parent] = distance
        indices[parent] = index
    }

    /// Writes the kept entries nearest first.
    func writeSorted(distances out: UnsafeMutablePointer<Float>?, indices indexOut: UnsafeMutablePointer<Int32>?) {
        guard let out, let indexOut else { return }
        let order = (0..<count).sorted { (distances[$0], indices[$0]) < (distances[$1], indices[$1]) }
        for (slot, position) in order.enumerated() {
            out[slot] = distances[position]
            indexOut[slot] = indices[position]
        }
    }
}

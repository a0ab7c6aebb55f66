/// The k largest items seen in a stream, in O(k) memory: a binary min-heap whose root is the
/// weakest item kept, so each new item costs one comparison when it does not qualify and
/// O(log k) when it replaces the root (the streaming top-k of maximally activating patches).
///
/// Ordering is `ranks(a, b)`: true when `a` ranks above `b`. With a strict total order the result
/// equals sorting the whole stream by `ranks` and keeping the first k.
public struct TopKHeap<Element> {
    public let capacity: Int
    private var heap: [Element] = []
    private let ranks: (Element, Element) -> Bool

    /// Keeps at most `capacity` (>= 0) items.
    public init(capacity: Int, ranks: @escaping (Element, Element) -> Bool) {
        self.capacity = max(0, capacity)
        self.ranks = ranks
        heap.reserveCapacity(self.capacity)
    }

    public var count: Int { heap.count }

    /// Offers one item; it is kept if fewer than k are held or it ranks above the weakest.
    public mutating func offer(_ item: Element) {
        guard capacity > 0 else { return }
        if heap.count < capacity {
            heap.append(item)
            siftUp(heap.count - 1)
        } else if ranks(item, heap[0]) {
            heap[0] = item
            siftDown(0)
        }
    }

    /// The kept items, best first.
    public func sorted() -> [Element] { heap.sorted(by: ranks) }

    // Min-heap by rank: a parent ranks at or below its children.
    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard ranks(heap[parent], heap[child]) else { return }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var weakest = parent
            if left < heap.count, ranks(heap[weakest], heap[left]) { weakest = left }
            if right < heap.count, ranks(heap[weakest], heap[right]) { weakest = right }
            if weakest == parent { return }
            heap.swapAt(parent, weakest)
            parent = weakest
        }
    }
}

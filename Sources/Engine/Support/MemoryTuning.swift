#if os(Linux)
/// glibc's mallopt (malloc.h is not part of Swift's Glibc module).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
/// Parameter numbers from glibc's malloc.h.
private let glibcTrimThreshold: Int32 = -1
private let glibcMmapThreshold: Int32 = -3
#endif

/// Makes glibc's malloc keep large freed blocks for reuse instead of returning them to the OS.
///
/// Every op allocates its output, often a few megabytes. By default glibc serves such
/// blocks with mmap and unmaps them on free, so each forward pass pays a page fault and a
/// page clear per 4 KB touched (measured: about 10% of a SqueezeNet forward). Serving them
/// from the heap (threshold 32 MB, glibc's maximum) and trimming the heap only past 64 MB
/// of free space at its top lets the next pass reuse the same pages. Applied once, on first use.
enum MemoryTuning {
    static let applied: Bool = {
        #if os(Linux)
        let mmapSet = glibcMallopt(glibcMmapThreshold, 32 << 20)
        let trimSet = glibcMallopt(glibcTrimThreshold, 64 << 20)
        return mmapSet == 1 && trimSet == 1
        #else
        return false
        #endif
    }()
}

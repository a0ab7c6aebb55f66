/// Size arithmetic that cannot trap: shapes and strides come from files, and a hostile file
/// can make their products overflow `Int`, which in Swift stops the process.
enum CheckedArithmetic {
    /// Product of non-negative dimensions, or nil on a negative dimension or overflow.
    static func product(_ values: [Int]) -> Int? {
        var total = 1
        for value in values {
            guard value >= 0 else { return nil }
            let (result, overflow) = total.multipliedReportingOverflow(by: value)
            if overflow { return nil }
            total = result
        }
        return total
    }

    /// a * b + c, or nil on overflow.
    static func multiplyAdd(_ a: Int, _ b: Int, _ c: Int) -> Int? {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        if overflow { return nil }
        let (sum, overflowSum) = product.addingReportingOverflow(c)
        return overflowSum ? nil : sum
    }
}

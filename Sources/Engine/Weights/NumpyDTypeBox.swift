/// A numpy dtype being rebuilt from a pickle: `dtype('f4', False, True)` then `BUILD` with
/// a state whose second item is the byte order ('<', '>', '|' or '=').
final class NumpyDTypeBox {
    let code: String
    var littleEndian = true

    init(code: String) {
        self.code = code
    }

    var elementType: WeightDType? { WeightDType(numpy: code) }

    func build(_ state: PickleValue) {
        if let items = state.asSequence, items.count > 1, let order = items[1].asString {
            littleEndian = order != ">"
        }
    }
}

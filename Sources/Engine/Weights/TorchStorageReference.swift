/// One storage (flat buffer) of a torch checkpoint, named by its persistent-id key.
///
/// The pickle only refers to storages; their bytes come from elsewhere (after the pickle
/// in the legacy format, from `data/<key>` entries in the zip format), so the reference
/// is a class whose `bytes` the loader fills in once it has read them.
final class TorchStorageReference {
    let key: String
    let dtype: WeightDType
    /// Element count announced in the persistent id (legacy format) or nil (zip format).
    let declaredCount: Int?
    var bytes: [UInt8]?

    init(key: String, dtype: WeightDType, declaredCount: Int?) {
        self.key = key
        self.dtype = dtype
        self.declaredCount = declaredCount
    }
}

import Engine

/// Typed access to engine arguments, with errors that list what exists: for model builtins
/// and the technique families that join the registry later.
extension Invocation {
    /// The model given as argument `name`.
    public func model(_ name: String) throws -> ModelValue {
        try ModelBuiltins.modelValue(self, name)
    }

    /// The picture given as argument `name`.
    public func picture(_ name: String) throws -> Picture {
        try ModelBuiltins.pictureValue(self, name)
    }

    /// One picture or a list of them, as a list.
    public func pictures(_ name: String) throws -> [Picture] {
        switch value(name) {
        case .engine(.picture(let picture)): return [picture]
        case .list(let items):
            return try items.map { item in
                guard case .engine(.picture(let picture)) = item else {
                    throw error(name, .type, "expected images, found \(item.typeName) in the list")
                }
                return picture
            }
        case let other:
            throw error(name, .type, "expected an image or a list of images, got \(other.typeName)")
        }
    }

    /// The class named by argument `name` ("tabby", "tabby cat", "281" or 281) in `model`'s classes;
    /// nil when the argument is none (techniques then take the top class).
    public func classIndex(_ name: String, of model: ModelValue) throws -> Int? {
        if case .none = value(name) { return nil }
        do {
            return try ClassResolver(classNames: model.network.classNames).resolve(value(name))
        } catch var failure as LensError {
            failure.span = span(name)
            throw failure
        }
    }

    /// The layer named by argument `name`, checked against `model`'s layers (the hint names the closest).
    public func layer(_ name: String, of model: ModelValue) throws -> LayerInfo {
        let layerName = try string(name)
        let layers = model.network.layers
        guard let layer = layers.first(where: { $0.name == layerName }) else {
            throw error(name, "\(model.network.name) has no layer '\(layerName)'",
                        hint: NameSuggestion.hint(for: layerName, among: layers.map(\.name))
                            ?? "its layers: " + layers.map(\.name).joined(separator: ", "))
        }
        return layer
    }
}

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
        let classNames = try classes(of: model, for: name)
        if case .none = value(name) { return nil }
        do {
            return try ClassResolver(classNames: classNames).resolve(value(name))
        } catch var failure as LensError {
            failure.span = span(name)
            throw failure
        }
    }

    /// The class names of `model`: its own, or "class 0" ... for a network without names whose
    /// output is a vector of scores (an imported classifier). A network whose output is not
    /// (a feature extractor such as vgg16, ending at pool5) has no classes: an error pointing at
    /// argument `name` says so, since every class-based technique needs them.
    public func classes(of model: ModelValue, for name: String) throws -> [String] {
        let network = model.network
        if !network.classNames.isEmpty { return network.classNames }
        if let output = network.layers.last?.outputShape, output.count == 1, let count = output.first {
            return (0..<count).map { "class \($0)" }
        }
        let shape = network.layers.last.map { "\($0.outputShape)" } ?? "?"
        throw error(name, "\(network.name) has no classes: it ends at '\(network.layers.last?.name ?? "")' with output \(shape), not class scores",
                    hint: "use a classifier such as model(\"squeezenet\") for class-based techniques; layer-based ones (activations, gradient with layer:, visualize with layer:, invert, texture, style) work on \(network.name)")
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

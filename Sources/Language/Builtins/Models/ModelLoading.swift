import Engine

/// Where `model(...)` gets networks from: the engine's model zoo (which loads each once per
/// process and holds the one table of network names and aliases).
enum ModelLoading {
    /// The proper names, for help, completion and hints.
    static var names: [String] { ModelZoo.availableNames }

    /// Every name `model()` accepts, aliases included.
    static var acceptedNames: [String] { ModelZoo.acceptedNames }

    /// The proper name `name` stands for, or nil.
    static func canonicalName(_ name: String) -> String? { ModelZoo.canonicalName(name) }

    /// Whether the argument is a weight file path rather than a name.
    static func isPath(_ nameOrPath: String) -> Bool { ModelZoo.isPath(nameOrPath) }

    static func load(_ nameOrPath: String) throws -> Network {
        try ModelZoo.load(nameOrPath)
    }
}

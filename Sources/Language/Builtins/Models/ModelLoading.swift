import Engine

/// Where `model(...)` gets networks from: the engine's model zoo (which loads each once per process).
enum ModelLoading {
    static var names: [String] { ModelZoo.availableNames }

    static func load(_ nameOrPath: String) throws -> Network {
        try ModelZoo.load(nameOrPath)
    }
}

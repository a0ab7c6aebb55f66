import Engine
import Foundation

/// The sample photos fetched at set-up, by name, as the engine's asset directory lists them.
struct SampleImages {
    private let samples = AssetDirectory.sampleImages()

    /// Sample names ("chelsea", "coffee", ...), sorted.
    var names: [String] { samples.map(\.name) }

    /// The file of sample `name`, if there is one.
    func path(of name: String) -> String? {
        samples.first { $0.name == name }?.path
    }

    /// What each sample shows, from the asset index (name -> description).
    var descriptions: [String: String] {
        guard let directory = try? AssetDirectory.locate(),
              let bytes = try? BoundedFile.read(directory.appendingPathComponent("index.json").path, as: .metadata),
              let index = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return [:] }
        var result: [String: String] = [:]
        for (key, entry) in index where key.hasPrefix("images/") {
            let name = ((key as NSString).lastPathComponent as NSString).deletingPathExtension
            result[name] = (entry as? [String: Any])?["about"] as? String
        }
        return result
    }
}

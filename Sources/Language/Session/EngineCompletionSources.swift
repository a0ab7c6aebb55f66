import Engine
import Foundation

/// Completion of layer names, class names, sample photos and model names from what the session holds.
///
/// Completion must answer at once, so it never loads a network: a layer or class
/// string completes from a model the session already loaded.
extension CompletionSources {
    static func engineBacked(_ session: Session) -> CompletionSources {
        var sources = CompletionSources()
        sources.layerNames = { [weak session] model in
            session?.loadedModel(for: model)?.network.layers.map(\.name) ?? []
        }
        sources.classNames = { [weak session] model in
            guard let session else { return [] }
            let network = session.loadedModel(for: model)?.network ?? session.anyLoadedModel?.network
            // Offer each synonym of "tabby, tabby cat" on its own.
            return ImageNetClasses.synonyms(of: network?.classNames ?? []).flatMap { $0 }
        }
        sources.sampleImageNames = { SampleImages().names }
        sources.modelNames = { ModelBuiltins.zooNames }
        return sources
    }
}

extension Session {
    /// The model a completion argument refers to: a model value, or a zoo name already loaded.
    func loadedModel(for value: Value?) -> ModelValue? {
        switch value {
        case .engine(.model(let model))?: return model
        case .string(let name)?: return caches["model:" + name] as? ModelValue
        default: return nil
        }
    }

    /// Some loaded model, for class names when the call names none.
    var anyLoadedModel: ModelValue? {
        caches.keys.sorted().lazy.compactMap { self.caches[$0] as? ModelValue }.first
    }
}

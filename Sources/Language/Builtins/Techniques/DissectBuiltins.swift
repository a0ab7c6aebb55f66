import Engine

/// Network dissection (lecture 002; Bau et al. 2017): label a layer's units with the concepts
/// their strongest activations segment, on the broden-lite concept set.
enum DissectBuiltins {
    static var all: [Builtin] { [dissect] }

    /// What `dissect` returns; the other two are displayed before it.
    static let results = ["figure", "table", "chart"]

    static let dissect = Builtin(
        "dissect", family: UnitBuiltins.family,
        parameters: [
            Parameter("net", .model, doc: "a model from model()"),
            Parameter("layer", .either(.layerName, .list), doc: "a convolution layer, or a list of layers (one bar group each)"),
            Parameter("concepts", .choice([BrodenLite.name]), default: .string(BrodenLite.name),
                      doc: "the concept set: broden-lite (objects, textures, colours; a small stand-in for Broden)"),
            Parameter("count", .integer, default: Value.none, range: .closed(1, 100_000),
                      doc: "use this many of the set's images, chosen by seed (none: all 300)"),
            Parameter("seed", .integer, default: Value.none, range: .atLeast(0), doc: "which images count: picks (none: follow seed())"),
            Parameter("units", .integer, default: .number(6), range: .closed(0, 64), doc: "how many of the best units the figure shows"),
            Parameter("top", .integer, default: .number(5), range: .closed(1, 20), doc: "images per unit in the figure"),
            Parameter("threshold", .number, default: .number(0.04), range: .closed(0, 1),
                      doc: "IoU above which a unit is labelled with its best concept"),
            Parameter("quantile", .number, default: .number(0.005), range: .closed(0.0001, 0.5),
                      doc: "the top share of a unit's activations that counts as its region"),
            Parameter("result", .choice(results), default: .string("figure"),
                      doc: "what the call returns (the others are shown): figure, table or chart"),
        ],
        returns: "image",
        summary: "Network dissection: labels each unit of a layer with the concept its top activations segment (IoU).",
        paragraph: "Bau et al. 2017: per unit, the threshold T_k at its top 0.5% activation over all images and positions "
            + "(exact, streamed with a bounded heap), each map upsampled bilinearly to the 112x112 label masks and "
            + "thresholded, then IoU_k,c = sum |M_k ∩ L_c| / sum |M_k ∪ L_c| over the images; a unit is labelled with its best "
            + "concept when IoU > 0.04. Concepts: broden-lite, 300 images at 224 composed at first use from the Tux Paint "
            + "cut-outs on Scratch scene photos (objects), GIMP's texture patterns (textures) and 11 colour names per pixel "
            + "(colours). Shows a table of units (unit, concept, category, IoU), the best units' strongest images with the "
            + "region outlined, and a bar chart of labelled units per category (one group per layer). Saved numbers: the "
            + "IoU matrix [units, concepts] of the (last) layer.",
        example: "dissect(model(\"squeezenet\"), \"fire9\", count: 100)\ndissect(model(\"squeezenet\"), [\"fire5\", \"fire9\"], result: \"chart\")",
        lecture: "002 (network dissection)"
    ) { call in
        let model = try call.model("net")
        let layers = try layerNames(call, model: model)
        let progress = call.session.startProgress("dissect")
        let full: ConceptSet
        do {
            full = try ConceptSetStore.brodenLite { progress.report(step: $0, total: $1) }
        } catch let error as EngineError {
            if case .cancelled = error { throw error }
            throw call.error("concepts", .io, error.description)
        }
        let indices = try call.sampledIndices { full.choose(count: $0, using: &$1) }
        let set = try full.subset(indices.sorted())
        var dissection = NetworkDissection(quantile: try call.number("quantile"), labelThreshold: Float(try call.number("threshold")))
        dissection.topImages = try call.integer("top")
        let output = call.session.output
        var outcomes: [DissectionResult] = []
        for (position, layer) in layers.enumerated() {
            let outcome = try dissection.run(network: model.network, set: set, layer: layer, shouldStop: { output.isCancelled },
                                             progress: { step, total in progress.report(step: position * total + step, total: layers.count * total) })
            outcomes.append(outcome)
            if outcome.stopped { break }
        }
        guard let last = outcomes.last else { try call.session.checkCancelled(); throw call.error("layer", "no layer given") }
        let table = Value.table(unitTable(last))
        let chart = Picture(canvas: DissectionChart.render(outcomes, title: "labelled units per concept category"),
                            title: "units per category",
                            numbers: ([outcomes.count, ConceptSet.Category.allCases.count], outcomes.flatMap { $0.unitsPerCategory().map(Float.init) }))
        if last.stopped {
            // Interrupted: the table and chart of the images done stay on screen; the figure would need more forward passes.
            output.display(table.displayBundle(), id: nil)
            output.display(Value.engine(.picture(chart)).displayBundle(), id: nil)
            try call.session.checkCancelled()
        }
        let figure = Picture(canvas: try last.renderUnits(network: model.network, set: set, units: try call.integer("units")),
                             title: "dissection of \(last.layer)\(note(last))",
                             numbers: ([last.unitCount, last.concepts.count], last.iou))
        figure.facts["labelled"] = Double(last.labelledUnits().count)
        figure.facts["concepts"] = Double(last.distinctConcepts())
        let shown: [(String, Value)] = [("table", table), ("figure", .engine(.picture(figure))), ("chart", .engine(.picture(chart)))]
        let returned = try call.string("result")
        for (name, value) in shown where name != returned { output.display(value.displayBundle(), id: nil) }
        return shown.first { $0.0 == returned }?.1 ?? table
    }

    static func note(_ result: DissectionResult) -> String {
        result.stopped ? " (first \(result.imagesUsed) of \(result.imagesGiven) images)" : " over \(result.imagesUsed) images"
    }

    /// The layer argument as names, each checked against the model.
    static func layerNames(_ call: Invocation, model: ModelValue) throws -> [String] {
        let value = call.value("layer")
        guard let items = value.elements, case .list = value else { return [try call.layer("layer", of: model).name] }
        guard !items.isEmpty else { throw call.error("layer", "the list of layers is empty") }
        let known = model.network.layers.map(\.name)
        return try items.map { item in
            guard case .string(let name) = item else { throw call.error("layer", .type, "a layer list holds names (strings), got \(item.typeName)") }
            guard known.contains(name) else {
                throw call.error("layer", "\(model.network.name) has no layer '\(name)'",
                                 hint: NameSuggestion.hint(for: name, among: known) ?? "its layers: " + known.joined(separator: ", "))
            }
            return name
        }
    }

    /// Labelled units by IoU (at least the best 10 units, labelled or not).
    static func unitTable(_ result: DissectionResult) -> Table {
        let best = result.bestConcepts()
        let labelled = result.labelledUnits().count
        let rows = best.prefix(max(labelled, 10)).map { label -> [Value] in
            let concept = result.concepts[label.concept]
            return [.number(Double(label.unit)), .string(concept.name), .string(concept.category.rawValue),
                    .number((Double(label.iou) * 10_000).rounded() / 10_000), .bool(label.iou > result.labelThreshold)]
        }
        return Table(title: "\(result.layer): \(labelled) of \(result.unitCount) units labelled, \(result.distinctConcepts()) concepts\(note(result))",
                     columns: ["unit", "concept", "category", "IoU", "labelled"], rows: rows)
    }
}

extension DissectBuiltins {
    /// `images("broden-lite", count:, seed:)`: the concept set's images, captioned
    /// "broden-lite N: objects" (N = the image's index in the set, the row of labels.npy). The
    /// same count and seed pick the same images as `dissect(..., count:, seed:)`.
    static func conceptImages(call: Invocation) throws -> Value {
        let set: ConceptSet
        do {
            set = try ConceptSetStore.brodenLite()
        } catch let error as EngineError {
            if case .cancelled = error { throw error }
            throw call.error("collection", .io, error.description)
        }
        let indices = try call.sampledIndices { set.choose(count: $0, using: &$1) }
        return .list(indices.map { index in
            let objects = Set(set.plane(index, .object).filter { $0 > 0 }).sorted().map { set.concepts[Int($0) - 1].name }
            let caption = "\(BrodenLite.name) \(index)" + (objects.isEmpty ? "" : ": " + objects.joined(separator: ", "))
            return .engine(.picture(Picture(image: set.images[index], title: caption)))
        })
    }
}

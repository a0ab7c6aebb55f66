import Engine
import Foundation

/// `explore(net, img)`: a small Deep Visualization Toolbox (Yosinski et al. 2015) in a cell. A
/// layer dropdown, a channel slider whose range follows the layer, a mode dropdown and the
/// picture, redrawn on the kernel's comm thread whenever a control changes.
///
/// Speed comes from two caches: the engine's `CachedProbe` holds every grid layer's activation
/// of the image (one forward pass), so an activation map is a slice, a tone map and a PNG; and
/// each drawn picture's PNG is kept by (mode, layer, channel), so going back costs nothing.
/// The first picture is drawn on the cell's thread before any widget opens; later ones on the
/// comm thread, one at a time. A failing draw never throws out of a callback: its message
/// goes to the text line and the last good picture stays.
final class Explorer: @unchecked Sendable {
    /// What the picture shows for the chosen unit (layer, channel).
    enum Mode: String, CaseIterable {
        /// The channel's map for the image, beside the image.
        case activation = "activation map"
        /// The receptive fields of the sample photos where the channel fires most.
        case patches = "top patches"
        /// Guided backpropagation from the channel's strongest unit (Springenberg et al. 2015).
        case guided = "guided backprop"
        /// The deconvnet rule from the same unit (Zeiler and Fergus 2014).
        case deconv = "deconv"
        /// Gradient ascent on the channel's mean from the mean colour (l2++ regularizer).
        case visualization = "visualization"
    }

    /// Gradient ascent steps of the visualization mode: enough for the pattern to show, few
    /// enough (a few seconds on SqueezeNet) for a class to wait for.
    static let visualizationSteps = 60
    /// At most this many sample photos are searched for top patches.
    static let maximumPhotos = 32
    /// Pictures kept; the oldest go first.
    static let cachedPictures = 128

    let probe: CachedProbe
    let layerControl: Widget
    let channelControl: Widget
    let modeControl: Widget
    let picture: Widget
    let label: Widget
    /// The whole view: controls, picture, text line.
    let view: Widget
    private let controlRow: Widget
    private let widgets: WidgetManager

    private let lock = NSLock()
    private var pictures: [String: (png: ShownPNG, text: String)] = [:]
    private var pictureOrder: [String] = []
    private var photos: [Image]?
    private var lastDraw: Double = 0

    /// Draws the first picture (errors are thrown, as the cell's), then opens the widgets.
    init(probe: CachedProbe, widgets: WidgetManager, layer: String, channel: Int, mode: Mode) throws {
        self.probe = probe
        let count = try probe.channelCount(layer)
        let names = probe.layers.map(\.name)
        let first = try Self.draw(probe, layer: layer, channel: channel, mode: mode, photos: { try Self.samplePhotos() })
        layerControl = widgets.dropdown(options: names.map(Value.string), labels: names,
                                        index: names.firstIndex(of: layer) ?? 0, description: "layer")
        modeControl = widgets.dropdown(options: Mode.allCases.map { .string($0.rawValue) },
                                       labels: Mode.allCases.map(\.rawValue),
                                       index: Mode.allCases.firstIndex(of: mode) ?? 0, description: "mode")
        channelControl = widgets.slider(min: 0, max: Double(count - 1), step: 1, value: Double(channel),
                                        description: "channel", integer: true)
        picture = widgets.image(png: first.png.png, width: "\(first.png.width)", height: "\(first.png.height)")
        label = widgets.label(first.text)
        controlRow = widgets.box([layerControl, modeControl], horizontal: true)
        view = widgets.box([controlRow, channelControl, picture, label], horizontal: false)
        self.widgets = widgets
        remember(Self.key(layer, channel, mode), first)
    }

    /// Starts listening to the controls.
    func attach() {
        // Held strongly: the controls keep the explorer alive as long as their comms are open.
        layerControl.onChange { _ in self.layerChanged() }
        channelControl.onChange { _ in self.redraw() }
        modeControl.onChange { _ in self.redraw() }
        // One closed control leaves a view that can no longer change: close all of it.
        for control in [layerControl, channelControl, modeControl] {
            control.onClose { _ in
                for widget in [self.layerControl, self.channelControl, self.modeControl, self.picture, self.label,
                               self.controlRow, self.view] {
                    self.widgets.close(widget)
                }
            }
        }
    }

    /// The controls' current unit and mode.
    var state: (layer: String, channel: Int, mode: Mode) {
        var layer = probe.layers[0].name, channel = 0, mode = Mode.activation
        if case .string(let name) = layerControl.value { layer = name }
        if case .number(let number) = channelControl.value, number.isFinite, abs(number) < 1e9 { channel = Int(number) }
        if case .string(let name) = modeControl.value, let chosen = Mode(rawValue: name) { mode = chosen }
        return (layer, channel, mode)
    }

    /// Seconds the last redraw took (cache hits included), for tests and benchmarks.
    var lastDrawSeconds: Double { lock.withLock { lastDraw } }

    /// A new layer: the slider's range becomes its channels (the value clamped into it), then redraw.
    func layerChanged() {
        let (layer, channel, _) = state
        guard let count = try? probe.channelCount(layer) else { return redraw() }
        let clamped = min(channel, count - 1)
        channelControl.set(["max": .number(Double(count - 1)), "value": .number(Double(clamped))])
        redraw()
    }

    /// Draws the controls' state (from the cache when it was drawn before) into the picture and text line.
    func redraw() {
        let started = DispatchTime.now().uptimeNanoseconds
        let (layer, channel, mode) = state
        let key = Self.key(layer, channel, mode)
        do {
            let drawn: (png: ShownPNG, text: String)
            if let cached = lock.withLock({ pictures[key] }) {
                drawn = cached
            } else {
                drawn = try Self.draw(probe, layer: layer, channel: channel, mode: mode, photos: { try self.loadPhotos() })
                remember(key, drawn)
            }
            picture.set(["width": .string("\(drawn.png.width)"), "height": .string("\(drawn.png.height)")],
                        binary: ["value": drawn.png.png])
            label.set(["value": .string(drawn.text)])
        } catch {
            label.set(["value": .string("\(layer) channel \(channel), \(mode.rawValue): \(Self.message(error))")])
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        lock.withLock { lastDraw = seconds }
    }

    private static func key(_ layer: String, _ channel: Int, _ mode: Mode) -> String {
        "\(mode.rawValue)|\(layer)|\(channel)"
    }

    private func remember(_ key: String, _ drawn: (png: ShownPNG, text: String)) {
        lock.withLock {
            if pictures.updateValue(drawn, forKey: key) == nil { pictureOrder.append(key) }
            while pictureOrder.count > Self.cachedPictures { pictures[pictureOrder.removeFirst()] = nil }
        }
    }

    private func loadPhotos() throws -> [Image] {
        if let photos = lock.withLock({ photos }) { return photos }
        let loaded = try Self.samplePhotos()
        lock.withLock { photos = loaded }
        return loaded
    }

    /// The sample photos fetched at set-up (the first `maximumPhotos`, by name).
    static func samplePhotos() throws -> [Image] {
        let samples = AssetDirectory.sampleImages().prefix(maximumPhotos)
        guard !samples.isEmpty else {
            throw EngineError.io("no sample photos to search; run `make setup` (or set CONVLENS_ASSETS)")
        }
        return try samples.map { try ImageFile.load(path: $0.path) }
    }

    /// One picture and its text line. `photos` is asked only in the top patches mode.
    static func draw(_ probe: CachedProbe, layer: String, channel: Int, mode: Mode,
                     photos: () throws -> [Image]) throws -> (png: ShownPNG, text: String) {
        let count = try probe.channelCount(layer)
        guard channel >= 0, channel < count else {
            throw EngineError.invalid("\(layer) has channels 0 to \(count - 1), not \(channel)")
        }
        let network = probe.network
        let canvas: Canvas
        let text: String
        switch mode {
        case .activation:
            let map = try probe.map(layer: layer, channel: channel)
            let (low, high) = map.range
            let peak = map.argmax
            canvas = try probe.renderActivation(layer: layer, channel: channel)
            text = "\(layer) channel \(channel) of \(count): activation \(format(low)) to \(format(high)), "
                + "strongest at row \(peak.y), column \(peak.x) of \(map.height) x \(map.width)"
        case .patches:
            let photos = try photos()
            let result = try probe.patches(layer: layer, channel: channel, photos: photos)
            canvas = result.render()
            text = "\(layer) channel \(channel): the \(result.patches.count) strongest of \(photos.count) sample photos, "
                + "receptive field \(result.receptiveField) px"
        case .guided, .deconv:
            let rule: ReLURule = mode == .guided ? .guided : .deconvnet
            let result = try InputGradient.compute(network: network, image: probe.image,
                                                   target: .unit(layer: layer, channel: channel),
                                                   options: InputGradient.Options(rule: rule))
            canvas = result.renderGradient()
            text = "\(mode.rawValue) of \(result.targetDescription)"
        case .visualization:
            let options = ClassVisualization.Options(steps: visualizationSteps, regularizer: .l2PlusPlus)
            let result = try ClassVisualization.run(network: network, objective: .channel(layer: layer, channel: channel),
                                                    options: options)
            canvas = result.render()
            text = "visualization of \(layer) channel \(channel): \(visualizationSteps) steps of gradient ascent (l2++), "
                + "mean activation \(format(result.startScore)) -> \(format(result.finalScore))"
        }
        let png = try Picture(canvas: canvas, title: text).shownPNG()
        return (png, text)
    }

    private static func format(_ value: Float) -> String {
        NumberFormatting.format(Double(value))
    }

    static func message(_ error: Error) -> String {
        if let error = error as? LensError { return error.message }
        if let error = error as? EngineError { return error.description }
        return "\(error)"
    }
}

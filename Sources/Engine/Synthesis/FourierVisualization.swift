/// Feature visualization in the style of Olah, Mordvintsev and Schubert 2017 ("Feature
/// Visualization", Distill) and their lucid library: the image is a 1/f-scaled Fourier spectrum
/// (`FourierParameterization`) with decorrelated colour through a sigmoid (`ColorDecorrelation`);
/// every step shows the network a randomly padded, jittered, scaled and rotated view
/// (`TransformRobustness`, sampled by `AffineWarp`), and Adam (Kingma and Ba 2015) at rate 0.05
/// climbs the objective's gradient, brought back to the spectrum through each of those maps'
/// exact adjoints.
enum FourierVisualization {
    static func run(network: Network, objective: SynthesisObjective, options: ClassVisualization.Options,
                    progress: ClassVisualization.ObjectiveProgress?) throws -> SynthesisResult {
        let space = try InputSpace(network: network)
        let (height, width) = network.inputSize
        let channels = space.imageChannels
        let parameterization = try FourierParameterization(height: height, width: width, channels: channels)
        var random = SeededRandom(seed: options.seed)
        var spectrum: [Float]
        switch options.start {
        case .zeros:
            spectrum = [Float](repeating: 0, count: parameterization.parameterCount)
        case .noise:
            // lucid's fft_image: a normal spectrum with standard deviation 0.01.
            spectrum = (0..<parameterization.parameterCount).map { _ in random.normal(mean: 0, standardDeviation: 0.01) }
        case .image(let image):
            let pixels = try ClassVisualization.startPixels(image, width: width, height: height, channels: channels)
            spectrum = parameterization.parameters(for: try ColorDecorrelation.decorrelated(pixels, channels: channels))
        }
        var adam = AdamState(count: spectrum.count)
        let transforms = TransformRobustness()
        var trace = ClassVisualization.Trace(objective: objective, capacity: options.steps + 1)
        var interrupted = false
        func pixels() -> [Float] { ColorDecorrelation.pixels(parameterization.image(spectrum), channels: channels) }

        for step in 1...options.steps {
            do {
                try Cancellation.check()
                let image = pixels()
                let warp = transforms.draw(height: height, width: width, random: &random)
                let view = warp.apply(image, height: height, width: width, channels: channels)
                let (evaluation, viewGradient) = try ClassVisualization.gradient(network: network, objective: objective, space: space,
                                                                                pixels: view, height: height, width: width)
                trace.record(evaluation)
                let imageGradient = warp.backward(viewGradient, height: height, width: width, channels: channels)
                let decorrelatedGradient = ColorDecorrelation.backward(pixels: image, gradient: imageGradient, channels: channels)
                // Adam descends: ascend the objective by descending its negative.
                let spectrumGradient = parameterization.backward(decorrelatedGradient).map { -$0 }
                adam.step(&spectrum, gradient: spectrumGradient, rate: options.rate)
                if let progress {
                    let due = step % Swift.max(1, options.snapshotEvery) == 0 || step == options.steps
                    progress(step, options.steps, due ? try Image(width: width, height: height, channels: channels, pixels: pixels()) : nil,
                             evaluation.value)
                }
            } catch EngineError.cancelled {
                interrupted = true
                break
            }
        }
        let finalPixels = pixels()
        if !interrupted {
            do {
                let (evaluation, _) = try ClassVisualization.gradient(network: network, objective: objective, space: space,
                                                                      pixels: finalPixels, height: height, width: width)
                trace.record(evaluation)
            } catch EngineError.cancelled {
                interrupted = true
            }
        }
        return trace.result(image: try Image(width: width, height: height, channels: channels, pixels: finalPixels),
                            network: network, regularizer: options.regularizer, interrupted: interrupted)
    }
}

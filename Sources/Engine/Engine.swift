/// The ConvLens engine: tensors with reverse-mode autodiff on OpenBLAS,
/// pretrained networks, image I/O and the visualization techniques.
/// It knows nothing of Jupyter or of the ConvLens language.
public enum EngineInfo {
    public static let version = "0.1.0"
}

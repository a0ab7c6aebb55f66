extension Value {
    /// The MIME bundle a notebook shows for this value: text/plain always, richer types where they help.
    public func displayBundle() -> DisplayBundle {
        switch self {
        case .table(let table):
            return TableRenderer(table: table).bundle()
        case .help(let help):
            return DisplayBundle(data: ["text/plain": help.plain, "text/markdown": help.markdown])
        case .engine(let value):
            return value.displayBundle()
        case .widget(let widget):
            return widget.displayBundle()
        default:
            return .text(ValueText.plain(self))
        }
    }
}

/// Called by long techniques after each step with (steps done, total steps), so the language
/// can redraw one picture in place while the work goes on.
public typealias TechniqueProgress = (_ step: Int, _ total: Int) -> Void

/// Why a YAML text could not be read or written.
public enum YAMLError: Error, Equatable, CustomStringConvertible {
    /// The text is not YAML, or uses something this reader does not support; `line` is 1-based.
    case syntax(line: Int, reason: String)
    /// A value cannot be written as YAML (e.g. a mapping key that is not a string).
    case unrepresentable(String)

    public var description: String {
        switch self {
        case let .syntax(line, reason): "YAML line \(line): \(reason)"
        case let .unrepresentable(reason): "cannot write as YAML: \(reason)"
        }
    }
}

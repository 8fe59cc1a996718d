import Logging
import NIOConcurrencyHelpers

/// Keeps every log line (message and metadata) so tests can check what an operator would read.
struct RecordingLogHandler: LogHandler {
    final class Lines: Sendable {
        private let lines = NIOLockedValueBox<[String]>([])
        func append(_ line: String) { lines.withLockedValue { $0.append(line) } }
        var all: [String] { lines.withLockedValue { $0 } }
    }

    let lines: Lines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let context = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        lines.append("\(event.level) \(event.message) \(context)")
    }

    /// A logger that records into a fresh `Lines`.
    static func logger() -> (Logger, Lines) {
        let lines = Lines()
        return (Logger(label: "weft.rpc.test") { _ in RecordingLogHandler(lines: lines) }, lines)
    }
}

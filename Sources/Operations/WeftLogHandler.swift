import Logging

/// Weft's swift-log handler: one line per record on a ``LogSink`` (stderr in a node), at the level that
/// the shared ``LogLevelControl`` gives the logger's label.
///
/// Text lines read `2025-06-01T12:00:00.123Z info weft.orderer: block cut number=5 txs=3`; JSON lines are
/// `{"time":…,"level":…,"logger":…,"message":…,"metadata":{…}}` (one object per line, for log
/// collectors). Metadata keys are sorted, so lines are stable.
public struct WeftLogHandler: LogHandler {
    /// The layout of a log line.
    public enum Format: String, Sendable, CaseIterable {
        /// `time level label: message key=value…`
        case text
        /// One JSON object per line.
        case json
    }

    /// The logger's label, matched against the log spec.
    public let label: String
    /// Metadata attached to every record of this logger.
    public var metadata: Logger.Metadata = [:]
    /// Metadata added from the task context at each record.
    public var metadataProvider: Logger.MetadataProvider?

    private let control: LogLevelControl
    private let format: Format
    private let sink: LogSink
    private var localLevel: Logger.Level?

    /// A handler for `label` that follows `control`, writing `format` lines to `sink`.
    public init(label: String, control: LogLevelControl, format: Format = .text, sink: LogSink = .standardError,
                metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.control = control
        self.format = format
        self.sink = sink
        self.metadataProvider = metadataProvider
    }

    /// The shared control's level for this label, unless code set a level on this logger directly
    /// (`logger.logLevel = …`), which then wins over the log spec.
    public var logLevel: Logger.Level {
        get { localLevel ?? control.level(forLabel: label) }
        set { localLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        if let error = event.error { merged["error"] = "\(error)" }
        let time = LogTimestamp.now()
        let line: String
        switch format {
        case .text:
            line = LogLineFormatter.text(time: time, level: event.level, label: label, message: "\(event.message)", metadata: merged)
        case .json:
            line = LogLineFormatter.json(time: time, level: event.level, label: label, message: "\(event.message)", metadata: merged)
        }
        sink.write(line + "\n")
    }
}

import Logging
import NIOConcurrencyHelpers

/// Process-wide logging for Weft: one ``LogLevelControl`` that the operations endpoint changes, and a
/// swift-log bootstrap that makes every `Logger` a ``WeftLogHandler`` following it.
public enum WeftLogging {
    /// The process's log level control (the one `PUT /logspec` changes in a node).
    public static let control = LogLevelControl()

    private static let bootstrapped = NIOLockedValueBox(false)

    /// Sets the spec and, the first time in the process, bootstraps swift-log with ``WeftLogHandler``
    /// writing `format` lines to `sink`. swift-log can be bootstrapped only once per process, so later
    /// calls (tests, a node restarted in-process) only change the spec; the format and sink of the first
    /// call stay. Returns ``control``.
    @discardableResult
    public static func bootstrap(spec: LogSpec, format: WeftLogHandler.Format = .text, sink: LogSink = .standardError,
                                 metadataProvider: Logger.MetadataProvider? = nil) -> LogLevelControl {
        control.setSpec(spec)
        bootstrapped.withLockedValue { done in
            guard !done else { return }
            LoggingSystem.bootstrap({ label, provider in
                WeftLogHandler(label: label, control: control, format: format, sink: sink, metadataProvider: provider)
            }, metadataProvider: metadataProvider)
            done = true
        }
        return control
    }

    /// Whether swift-log has been bootstrapped by ``bootstrap(spec:format:sink:metadataProvider:)`` in this process.
    public static var isBootstrapped: Bool {
        bootstrapped.withLockedValue { $0 }
    }
}

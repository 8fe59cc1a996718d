/// A variable of the environment that has a value this exporter cannot use.
public struct OTLPConfigurationError: Error, CustomStringConvertible {
    /// The variable's name.
    public var variable: String
    /// The value it has.
    public var value: String
    /// What it should have been.
    public var expected: String

    public var description: String { "\(variable)=\"\(value)\": expected \(expected)" }
}

extension OTLPConfiguration {
    /// The configuration for `url` and `serviceName`, with the standard OpenTelemetry variables of
    /// `environment` applied (a `TRACES_` variable wins over its general one):
    ///
    /// - `OTEL_SERVICE_NAME` (replaces `serviceName`), `OTEL_RESOURCE_ATTRIBUTES` (`k=v,…`, added);
    /// - `OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`;
    /// - `OTEL_BSP_SCHEDULE_DELAY`, `OTEL_BSP_MAX_QUEUE_SIZE`, `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`;
    /// - `OTEL_EXPORTER_OTLP_[TRACES_]TIMEOUT` (milliseconds, default `defaultTimeout`),
    ///   `…HEADERS` (`k=v,…`, values percent-decoded), `…CERTIFICATE`, `…CLIENT_CERTIFICATE`,
    ///   `…CLIENT_KEY` (PEM files), `…PROTOCOL` (`http/json`; `http/protobuf` is sent as JSON, with a
    ///   notice, since every OTLP/HTTP collector takes both).
    ///
    /// Throws for a value that cannot be used (a sampler name, a number, a gRPC protocol), so a
    /// process whose tracing is misconfigured does not start.
    public init(
        url: CollectorURL, serviceName: String, resourceAttributes: [(key: String, value: String)] = [],
        environment: [String: String], defaultTimeout: Duration = .seconds(2)
    ) throws(OTLPConfigurationError) {
        self.init(url: url, serviceName: serviceName, resourceAttributes: resourceAttributes, exportTimeout: defaultTimeout)
        func value(_ name: String) -> (name: String, value: String)? {
            guard let raw = environment[name]?.trimmingWhitespace(), !raw.isEmpty else { return nil }
            return (name, raw)
        }
        func exporterValue(_ suffix: String) -> (name: String, value: String)? {
            value("OTEL_EXPORTER_OTLP_TRACES_" + suffix) ?? value("OTEL_EXPORTER_OTLP_" + suffix)
        }
        func milliseconds(_ setting: (name: String, value: String)?, allowZero: Bool) throws(OTLPConfigurationError) -> Duration? {
            guard let setting else { return nil }
            guard let number = Int(setting.value), number > 0 || (allowZero && number == 0) else {
                throw OTLPConfigurationError(variable: setting.name, value: setting.value, expected: "a whole number of milliseconds")
            }
            return .milliseconds(number)
        }
        func count(_ name: String) throws(OTLPConfigurationError) -> Int? {
            guard let setting = value(name) else { return nil }
            guard let number = Int(setting.value), number > 0 else {
                throw OTLPConfigurationError(variable: name, value: setting.value, expected: "a positive whole number")
            }
            return number
        }

        if let name = value("OTEL_SERVICE_NAME") { self.serviceName = name.value }
        if let setting = value("OTEL_RESOURCE_ATTRIBUTES") {
            guard let pairs = Self.keyValueList(setting.value) else {
                throw OTLPConfigurationError(variable: setting.name, value: setting.value, expected: "key=value pairs separated by commas")
            }
            self.resourceAttributes += pairs.filter { $0.key != "service.name" }
        }
        if let setting = value("OTEL_TRACES_SAMPLER") {
            let argument = value("OTEL_TRACES_SAMPLER_ARG")
            guard let sampler = TraceSampler(name: setting.value, argument: argument?.value) else {
                throw OTLPConfigurationError(
                    variable: setting.name + (argument.map { ", \($0.name)=\"\($0.value)\"" } ?? ""), value: setting.value,
                    expected: "always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off or "
                        + "parentbased_traceidratio, with a ratio from 0 to 1")
            }
            self.sampler = sampler
        }
        if let delay = try milliseconds(value("OTEL_BSP_SCHEDULE_DELAY"), allowZero: false) { scheduleDelay = delay }
        if let size = try count("OTEL_BSP_MAX_QUEUE_SIZE") { maxQueueSize = size }
        if let size = try count("OTEL_BSP_MAX_EXPORT_BATCH_SIZE") { maxExportBatchSize = size }
        if let timeout = try milliseconds(exporterValue("TIMEOUT"), allowZero: false) { exportTimeout = timeout }
        if let setting = exporterValue("HEADERS") {
            guard let pairs = Self.keyValueList(setting.value) else {
                throw OTLPConfigurationError(variable: setting.name, value: setting.value, expected: "name=value pairs separated by commas")
            }
            headers = pairs.map { (name: $0.key, value: $0.value) }
        }
        certificateFile = exporterValue("CERTIFICATE")?.value
        clientCertificateFile = exporterValue("CLIENT_CERTIFICATE")?.value
        clientKeyFile = exporterValue("CLIENT_KEY")?.value
        if (clientCertificateFile == nil) != (clientKeyFile == nil) {
            notices.append("trace export: OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and …_CLIENT_KEY go together; neither is used")
        }
        if let setting = exporterValue("PROTOCOL") {
            switch setting.value {
            case "http/json":
                break
            case "http/protobuf":
                notices.append("trace export: \(setting.name)=http/protobuf is not supported by this build; spans go as http/json")
            default:
                throw OTLPConfigurationError(variable: setting.name, value: setting.value, expected: "http/json (OTLP/HTTP with JSON)")
            }
        }
    }

    /// `key=value` pairs separated by commas (W3C baggage form, as `OTEL_RESOURCE_ATTRIBUTES` and
    /// `OTEL_EXPORTER_OTLP_HEADERS` use): whitespace around each part trimmed, values percent-decoded;
    /// nil when a pair has no `=` or an empty key.
    static func keyValueList(_ text: String) -> [(key: String, value: String)]? {
        var pairs: [(key: String, value: String)] = []
        for item in text.split(separator: ",") where !item.allSatisfy(\.isWhitespace) {
            guard let equals = item.firstIndex(of: "=") else { return nil }
            let key = item[..<equals].trimmingWhitespace()
            guard !key.isEmpty, let value = percentDecoded(item[item.index(after: equals)...].trimmingWhitespace()) else { return nil }
            pairs.append((key, value))
        }
        return pairs
    }

    /// `text` with `%XX` escapes decoded; nil for a malformed escape or bytes that are not UTF-8.
    static func percentDecoded(_ text: String) -> String? {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            // Escapes may use either case (`%2C`, `%2c`); `Hex` reads lowercase.
            func lowercased(_ byte: UInt8) -> UInt8 { (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte) ? byte | 0x20 : byte }
            guard let high = utf8.next(), let low = utf8.next(), let value = Hex.value([lowercased(high), lowercased(low)]) else {
                return nil
            }
            bytes.append(UInt8(value))
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

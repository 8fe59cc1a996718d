import Tracing

/// Encodes finished spans as one OTLP `ExportTraceServiceRequest` in the OTLP/HTTP JSON encoding
/// (`Content-Type: application/json`, opentelemetry-proto `collector/trace/v1`): ProtoJSON with
/// lowerCamelCase field names, trace and span ids as lowercase hex (OTLP's exception to ProtoJSON's
/// base64), 64-bit integers — times in Unix nanoseconds, int attributes — as decimal strings, enums as
/// numbers.
///
/// Every span goes under one resource (this process: `service.name` and the other resource
/// attributes) and one instrumentation scope. Attributes are written sorted by key, so the same spans
/// give the same bytes.
public struct OTLPJSONEncoder: Sendable {
    /// The process's resource attributes, `service.name` among them, in the order to write them.
    public var resourceAttributes: [(key: String, value: String)]
    /// The instrumentation scope's name.
    public var scopeName: String

    /// An encoder for spans of the resource `resourceAttributes`.
    public init(resourceAttributes: [(key: String, value: String)], scopeName: String = "weft") {
        self.resourceAttributes = resourceAttributes
        self.scopeName = scopeName
    }

    /// The request body carrying `spans`.
    public func encode(_ spans: some Collection<FinishedSpan>) -> [UInt8] {
        var json = JSONWriter(capacity: 256 + spans.count * 512)
        json.raw("{\"resourceSpans\":[{\"resource\":{\"attributes\":")
        json.array(resourceAttributes) { json, attribute in
            json.raw("{\"key\":")
            json.string(attribute.key)
            json.raw(",\"value\":{\"stringValue\":")
            json.string(attribute.value)
            json.raw("}}")
        }
        json.raw("},\"scopeSpans\":[{\"scope\":{\"name\":")
        json.string(scopeName)
        json.raw("},\"spans\":")
        json.array(spans) { json, span in Self.write(span, to: &json) }
        json.raw("}]}]}")
        return json.bytes
    }

    /// OTLP's `Span.SpanKind` numbers.
    public static func kindNumber(_ kind: SpanKind) -> Int {
        switch kind {
        case .internal: 1
        case .server: 2
        case .client: 3
        case .producer: 4
        case .consumer: 5
        }
    }

    static func write(_ span: FinishedSpan, to json: inout JSONWriter) {
        json.raw("{\"traceId\":")
        json.hex(span.context.traceID.high, span.context.traceID.low)
        json.raw(",\"spanId\":")
        json.hex(span.context.spanID.value)
        if let parent = span.parentSpanID {
            json.raw(",\"parentSpanId\":")
            json.hex(parent.value)
        }
        if let traceState = span.context.traceState {
            json.raw(",\"traceState\":")
            json.string(traceState)
        }
        json.raw(",\"name\":")
        json.string(span.name)
        json.raw(",\"kind\":")
        json.number(kindNumber(span.kind))
        json.raw(",\"startTimeUnixNano\":")
        json.quoted(span.startNanoseconds)
        json.raw(",\"endTimeUnixNano\":")
        json.quoted(span.endNanoseconds)
        json.raw(",\"attributes\":")
        write(span.attributes, to: &json)
        if !span.events.isEmpty {
            json.raw(",\"events\":")
            json.array(span.events) { json, event in
                json.raw("{\"timeUnixNano\":")
                json.quoted(event.nanosecondsSinceEpoch)
                json.raw(",\"name\":")
                json.string(event.name)
                json.raw(",\"attributes\":")
                write(event.attributes, to: &json)
                json.raw("}")
            }
        }
        if !span.links.isEmpty {
            json.raw(",\"links\":")
            json.array(span.links) { json, link in
                json.raw("{\"traceId\":")
                json.hex(link.context.traceID.high, link.context.traceID.low)
                json.raw(",\"spanId\":")
                json.hex(link.context.spanID.value)
                if let traceState = link.context.traceState {
                    json.raw(",\"traceState\":")
                    json.string(traceState)
                }
                json.raw(",\"attributes\":")
                write(link.attributes, to: &json)
                json.raw("}")
            }
        }
        if let status = span.status {
            json.raw(",\"status\":{\"code\":")
            json.number(status.code == .ok ? 1 : 2)
            if let message = status.message {
                json.raw(",\"message\":")
                json.string(message)
            }
            json.raw("}")
        }
        json.raw("}")
    }

    /// A `KeyValue` list, sorted by key (a value of a kind this encoder does not know is an empty `AnyValue`).
    static func write(_ attributes: SpanAttributes, to json: inout JSONWriter) {
        var pairs: [(key: String, value: SpanAttribute)] = []
        attributes.forEach { key, value in pairs.append((key, value)) }
        pairs.sort { $0.key < $1.key }
        json.array(pairs) { json, pair in
            json.raw("{\"key\":")
            json.string(pair.key)
            json.raw(",\"value\":")
            write(pair.value, to: &json)
            json.raw("}")
        }
    }

    /// An `AnyValue`.
    static func write(_ value: SpanAttribute, to json: inout JSONWriter) {
        func array<T>(_ values: [T], _ element: (inout JSONWriter, T) -> Void) {
            json.raw("{\"arrayValue\":{\"values\":")
            json.array(values, element)
            json.raw("}}")
        }
        switch value {
        case .int32(let number): json.raw("{\"intValue\":"); json.quoted(number); json.raw("}")
        case .int64(let number): json.raw("{\"intValue\":"); json.quoted(number); json.raw("}")
        case .double(let number): json.raw("{\"doubleValue\":"); json.number(number); json.raw("}")
        case .bool(let flag): json.raw("{\"boolValue\":"); json.bool(flag); json.raw("}")
        case .string(let text): json.raw("{\"stringValue\":"); json.string(text); json.raw("}")
        case .stringConvertible(let item): json.raw("{\"stringValue\":"); json.string(item.description); json.raw("}")
        case .int32Array(let numbers): array(numbers) { json, number in write(.int32(number), to: &json) }
        case .int64Array(let numbers): array(numbers) { json, number in write(.int64(number), to: &json) }
        case .doubleArray(let numbers): array(numbers) { json, number in write(.double(number), to: &json) }
        case .boolArray(let flags): array(flags) { json, flag in write(.bool(flag), to: &json) }
        case .stringArray(let texts): array(texts) { json, text in write(.string(text), to: &json) }
        case .stringConvertibleArray(let items): array(items) { json, item in write(.string(item.description), to: &json) }
        default: json.raw("{}")
        }
    }
}

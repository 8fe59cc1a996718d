import Logging

/// Renders one log record as a text or JSON line (without the newline).
enum LogLineFormatter {
    /// `2025-06-01T12:00:00.123Z info weft.orderer: message key=value key2="two words"`
    static func text(time: LogTimestamp, level: Logger.Level, label: String, message: String,
                     metadata: Logger.Metadata) -> String {
        var line = "\(time) \(level.rawValue) \(label): \(message)"
        for key in metadata.keys.sorted() {
            guard let value = metadata[key] else { continue }
            line += " \(key)=\(quotedIfNeeded(render(value)))"
        }
        return line
    }

    /// `{"time":"…","level":"info","logger":"weft.orderer","message":"…","metadata":{…}}`
    static func json(time: LogTimestamp, level: Logger.Level, label: String, message: String,
                     metadata: Logger.Metadata) -> String {
        var line = "{\"time\":\"\(time)\",\"level\":\"\(level.rawValue)\",\"logger\":\(jsonString(label)),"
            + "\"message\":\(jsonString(message))"
        if !metadata.isEmpty {
            line += ",\"metadata\":" + jsonObject(metadata)
        }
        return line + "}"
    }

    private static func render(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string): return string
        case .stringConvertible(let convertible): return convertible.description
        case .array(let values): return "[" + values.map(render).joined(separator: ",") + "]"
        case .dictionary(let dictionary):
            return "{" + dictionary.keys.sorted().compactMap { key in dictionary[key].map { "\(key)=\(render($0))" } }
                .joined(separator: ",") + "}"
        }
    }

    private static func quotedIfNeeded(_ text: String) -> String {
        let needsQuotes = text.isEmpty || text.unicodeScalars.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.value < 0x20 }
        return needsQuotes ? jsonString(text) : text
    }

    private static func jsonValue(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string): return jsonString(string)
        case .stringConvertible(let convertible): return jsonString(convertible.description)
        case .array(let values): return "[" + values.map(jsonValue).joined(separator: ",") + "]"
        case .dictionary(let dictionary): return jsonObject(dictionary)
        }
    }

    private static func jsonObject(_ metadata: Logger.Metadata) -> String {
        "{" + metadata.keys.sorted().compactMap { key in metadata[key].map { "\(jsonString(key)):\(jsonValue($0))" } }
            .joined(separator: ",") + "}"
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func jsonString(_ text: String) -> String {
        var escaped = "\""
        escaped.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }
}

import Foundation

/// Locates the shared public test vectors (`../shared/vectors` beside the project root), or the
/// folder named by `WEFT_VECTORS`.
public enum Vectors {
    /// The project root: the folder that holds Package.swift.
    public static let projectRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// The vectors folder.
    public static let root: URL = {
        if let override = ProcessInfo.processInfo.environment["WEFT_VECTORS"] { return URL(fileURLWithPath: override) }
        return projectRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors")
    }()

    /// A file or folder under the vectors folder, e.g. `url("keccak/keccak256.json")`.
    public static func url(_ relativePath: String) -> URL { root.appendingPathComponent(relativePath) }

    /// The contents of a vector file; throws a message naming the missing path.
    public static func data(_ relativePath: String) throws -> Data {
        let url = url(relativePath)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw VectorError.missing(url.path)
        }
        return data
    }

    /// Why a vector could not be read.
    public enum VectorError: Error, CustomStringConvertible {
        case missing(String)
        public var description: String {
            switch self { case .missing(let path): "test vectors not found at \(path) (set WEFT_VECTORS)" }
        }
    }
}

import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftNode

/// `weft version`: prints the version.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print Weft's version.",
        discussion: "Example:\n  weft version --json"
    )

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    func run() throws {
        if json {
            print("{\"version\":\"\(WeftVersion.current)\"}")
        } else {
            print("weft \(WeftVersion.current)")
        }
    }
}

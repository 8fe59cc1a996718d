#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WeftCommandLine

/// Runs `openssl speed … ecdsap256` and reads its sign/s and verify/s figures.
enum OpenSSLSpeed {
    /// OpenSSL's figures for one run.
    struct Figures: Codable {
        let signPerSecond: Double
        let verifyPerSecond: Double
    }

    /// Runs `openssl speed [-multi N] -seconds S ecdsap256`.
    static func run(seconds: Int, processes: Int) throws -> Figures {
        var arguments = ["openssl", "speed"]
        if processes > 1 { arguments += ["-multi", String(processes)] }
        arguments += ["-seconds", String(seconds), "ecdsap256"]
        let outcome: Subprocess.Outcome
        do {
            outcome = try Subprocess.run(arguments)
        } catch {
            throw CLIFailure(.other, "could not run openssl (\(error.message)); install it or pass --no-openssl")
        }
        let text = String(decoding: outcome.output, as: UTF8.self)
        guard outcome.status == 0, let figures = parse(text) else {
            throw CLIFailure(.other, "`\(arguments.joined(separator: " "))` exited \(outcome.status) "
                + "without an ecdsa (nistp256) line; output:\n\(text)")
        }
        return figures
    }

    /// Reads the `256 bits ecdsa (nistp256) <sign s> <verify s> <sign/s> <verify/s>` line.
    static func parse(_ text: String) -> Figures? {
        for line in text.split(separator: "\n") where line.contains("ecdsa (nistp256)") {
            let numbers = line.split(separator: " ").compactMap { Double($0) }
            guard numbers.count >= 2 else { continue }
            return Figures(signPerSecond: numbers[numbers.count - 2], verifyPerSecond: numbers[numbers.count - 1])
        }
        return nil
    }
}

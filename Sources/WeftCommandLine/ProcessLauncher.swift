import Synchronization
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Starts node processes in the background, detached from the terminal (their own session), with
/// standard output and error appended to a log file; and finds free loopback ports for them.
public enum ProcessLauncher {
    /// The path of the running `weft` executable.
    public static var executablePath: String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let length = buffer.withUnsafeMutableBufferPointer { pointer in
            pointer.withMemoryRebound(to: CChar.self) { characters in
                characters.baseAddress.map { readlink("/proc/self/exe", $0, characters.count) } ?? -1
            }
        }
        if length > 0 { return String(decoding: buffer[0..<length], as: UTF8.self) }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }

    /// glibc's POSIX_SPAWN_SETSID (since 2.26), hidden from Swift behind _GNU_SOURCE.
    private static let spawnSetSID: Int16 = 0x80

    /// Spawns `executable arguments…` in a new session (so it outlives the terminal that started it);
    /// returns its process id. Paths in `arguments` should be absolute.
    public static func spawn(_ executable: String, _ arguments: [String], log: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, spawnSetSID)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard status == 0 else {
            throw CLIFailure(.other, "could not start \(executable): \(String(cString: strerror(status)))")
        }
        return pid
    }

    /// Whether process `pid` runs. A child of this process that exited is reaped (so it does not linger
    /// as a zombie that `kill(pid, 0)` would still find).
    public static func isAlive(_ pid: Int32) -> Bool {
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { return false }
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        // A zombie (exited, not yet reaped by whoever adopted it) no longer runs.
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return true }
        return !stat[close...].hasPrefix(") Z")
    }

    /// A TCP port on 127.0.0.1 that nothing is bound to right now, chosen at random below the kernel's
    /// range of ephemeral ports (`ip_local_port_range`): the outgoing connections made between now and
    /// the node's start draw their local ports from that range, so they cannot take this one. Never one
    /// this process handed out before: the nodes of one network, given their ports before any of them
    /// binds, would otherwise draw the same port about once in 500 networks (two nodes, one port).
    public static func freePort() throws -> Int {
        let candidates = 10_000..<max(10_001, ephemeralPortRange().lowerBound)
        for _ in 0..<500 {
            let port = Int.random(in: candidates)
            if isFree(port), handedOut.withLock({ $0.insert(port).inserted }) { return port }
        }
        throw CLIFailure(.other, "no free loopback port between \(candidates.lowerBound) and \(candidates.upperBound - 1)")
    }

    /// The ports `freePort` returned in this process.
    private static let handedOut = Mutex<Set<Int>>([])

    /// The kernel's range of ephemeral ports (Linux's default when it cannot be read).
    public static func ephemeralPortRange() -> ClosedRange<Int> {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let bounds = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).compactMap { Int($0) }
        guard bounds.count == 2, bounds[0] <= bounds[1] else { return 32768...60999 }
        return bounds[0]...bounds[1]
    }

    /// Whether a socket can bind 127.0.0.1:`port` now.
    private static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}

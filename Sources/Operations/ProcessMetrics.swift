#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process metrics every Prometheus exporter has (`process_cpu_seconds_total`,
/// `process_resident_memory_bytes`, `process_open_fds`, `process_start_time_seconds`), read from
/// `/proc/self` when `/metrics` is scraped — so they cost nothing between scrapes. On systems without
/// `/proc` only the CPU time (from `getrusage`) is reported.
public struct ProcessMetrics: Sendable, Equatable {
    /// User plus system CPU time, in seconds.
    public var cpuSeconds: Double
    /// Resident set size in bytes.
    public var residentBytes: Double?
    /// Open file descriptors.
    public var openFileDescriptors: Int?
    /// Process start, in seconds since the Unix epoch.
    public var startTimeSeconds: Double?

    /// The values now.
    public static func sample() -> ProcessMetrics {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        var sample = ProcessMetrics(cpuSeconds: cpu)
        #if os(Linux)
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        if let statm = readSmallFile("/proc/self/statm"), let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) {
            sample.residentBytes = pages * pageSize
        }
        sample.openFileDescriptors = countEntries(of: "/proc/self/fd")
        sample.startTimeSeconds = startTime
        #endif
        return sample
    }

    /// The values in Prometheus text format.
    public var prometheusText: String {
        var text = "# TYPE \(WeftMetrics.Name.processCPUSeconds) counter\n\(WeftMetrics.Name.processCPUSeconds) \(cpuSeconds)\n"
        if let residentBytes {
            text += "# TYPE \(WeftMetrics.Name.processResidentMemory) gauge\n\(WeftMetrics.Name.processResidentMemory) \(residentBytes)\n"
        }
        if let openFileDescriptors {
            text += "# TYPE \(WeftMetrics.Name.processOpenFDs) gauge\n\(WeftMetrics.Name.processOpenFDs) \(openFileDescriptors)\n"
        }
        if let startTimeSeconds {
            text += "# TYPE \(WeftMetrics.Name.processStartTime) gauge\n\(WeftMetrics.Name.processStartTime) \(startTimeSeconds)\n"
        }
        return text
    }

    #if os(Linux)
    /// Boot time (`btime` in /proc/stat) plus the process's start in clock ticks after boot (field 22
    /// of /proc/self/stat); computed once.
    private static let startTime: Double? = {
        guard let stat = readSmallFile("/proc/self/stat"), let close = stat.lastIndex(of: ")"),
              let system = readSmallFile("/proc/stat") else { return nil }
        // Fields after the command name, which may hold spaces: field 3 is the first.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        guard let line = system.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
              let boot = Double(line.dropFirst(6)) else { return nil }
        return boot + ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }()

    /// A file of /proc (a few hundred bytes), or nil.
    private static func readSmallFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The entries of a directory, without `.` and `..` (and without the descriptor counting them).
    private static func countEntries(of path: String) -> Int? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
                name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            }
            if !isDot { count += 1 }
        }
        return count - 1   // the directory stream's own descriptor
    }
    #endif
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a helper program (`openssl speed`, the revm script) to completion with `posix_spawnp`: feeds it
/// standard input and collects standard output and error through pipes, polled together so that no
/// pipe fills up while another is waited for.
public enum Subprocess {
    /// What a finished program left: its status and everything it wrote.
    public struct Outcome {
        /// The exit status, or 128 + the signal that ended it.
        public var status: Int32
        /// Its standard output.
        public var output: [UInt8]
        /// Its standard error.
        public var errors: [UInt8]
    }

    /// Runs `arguments[0]` (looked up on PATH) with the rest as its arguments.
    public static func run(_ arguments: [String], input: [UInt8] = []) throws(CLIFailure) -> Outcome {
        guard let program = arguments.first else { throw CLIFailure(.other, "no program to run") }
        var standardInput: [Int32] = [-1, -1], standardOutput: [Int32] = [-1, -1], standardError: [Int32] = [-1, -1]
        guard pipe(&standardInput) == 0, pipe(&standardOutput) == 0, pipe(&standardError) == 0 else {
            for descriptor in standardInput + standardOutput + standardError where descriptor >= 0 { close(descriptor) }
            throw CLIFailure(.other, "cannot create pipes for \(program): \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, standardInput[0], 0)
        posix_spawn_file_actions_adddup2(&actions, standardOutput[1], 1)
        posix_spawn_file_actions_adddup2(&actions, standardError[1], 2)
        for descriptor in standardInput + standardOutput + standardError { posix_spawn_file_actions_addclose(&actions, descriptor) }
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, program, &actions, nil, argv, environ)
        close(standardInput[0])
        close(standardOutput[1])
        close(standardError[1])
        guard spawned == 0 else {
            close(standardInput[1])
            close(standardOutput[0])
            close(standardError[0])
            throw CLIFailure(.other, "cannot run \(program): \(String(cString: strerror(spawned)))")
        }
        // A program that stops reading its input early must not end this one with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let (output, errors) = exchange(input: input, writeTo: standardInput[1], readFrom: standardOutput[0], standardError[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Outcome(status: exitStatus, output: output, errors: errors)
    }

    /// Writes `input` and reads both outputs until the program closes them; closes every descriptor.
    private static func exchange(input: [UInt8], writeTo inputDescriptor: Int32, readFrom outputDescriptor: Int32,
                                 _ errorDescriptor: Int32) -> (output: [UInt8], errors: [UInt8]) {
        var writer: Int32 = inputDescriptor
        var written = 0
        if input.isEmpty {
            close(writer)
            writer = -1
        } else {
            // Non-blocking, so a full pipe never stops the reading of the outputs.
            _ = fcntl(writer, F_SETFL, fcntl(writer, F_GETFL) | O_NONBLOCK)
        }
        var readers = [outputDescriptor, errorDescriptor]
        var collected: [[UInt8]] = [[], []]
        var buffer = [UInt8](repeating: 0, count: 65536)
        while writer >= 0 || readers.contains(where: { $0 >= 0 }) {
            var descriptors = [pollfd(fd: writer, events: Int16(POLLOUT), revents: 0)]
                + readers.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&descriptors, nfds_t(descriptors.count), -1) >= 0 || errno == EINTR else { break }
            if writer >= 0, descriptors[0].revents != 0 {
                let count = input[written...].withUnsafeBytes { write(writer, $0.baseAddress, min($0.count, 65536)) }
                if count > 0 { written += count }
                if count < 0 && errno != EINTR && errno != EAGAIN || written == input.count {
                    close(writer)
                    writer = -1
                }
            }
            for index in readers.indices where readers[index] >= 0 && descriptors[index + 1].revents != 0 {
                let count = read(readers[index], &buffer, buffer.count)
                if count > 0 {
                    collected[index] += buffer[0..<count]
                } else if count == 0 || errno != EINTR {
                    close(readers[index])
                    readers[index] = -1
                }
            }
        }
        if writer >= 0 { close(writer) }
        for descriptor in readers where descriptor >= 0 { close(descriptor) }
        return (collected[0], collected[1])
    }
}

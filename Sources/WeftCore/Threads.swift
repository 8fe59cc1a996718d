#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// A thread of its own for work that blocks for long (a checkpointer waiting on a condition, fsync,
/// benchmark loops spinning on a deadline), where a Swift task or a shared dispatch queue would starve
/// others or distort a measurement — Foundation's `Thread` without Foundation's full module (which
/// brings ICU and its data into a static binary).
public enum DedicatedThread {
    /// Runs `body` on a new detached thread named `name` (with `stackSize` bytes of stack when given);
    /// should the system refuse a thread, on a dispatch worker instead.
    public static func start(name: String? = nil, stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Body(name: name, body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        if let stackSize { pthread_attr_setstacksize(&attributes, stackSize) }
        var thread = pthread_t()
        let created = pthread_create(&thread, &attributes, { context in
            guard let context else { return nil }
            Unmanaged<Body>.fromOpaque(context).takeRetainedValue().run()
            return nil
        }, context)
        if created != 0 {
            let body = Unmanaged<Body>.fromOpaque(context).takeRetainedValue()
            DispatchQueue.global().async { body.run() }
        }
    }

    private final class Body: Sendable {
        let name: String?
        let body: @Sendable () -> Void

        init(name: String?, _ body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }

        func run() {
            if let name { Self.nameThisThread(name) }
            body()
        }

        /// Names the calling thread for `top -H`, `ps -L` and debuggers (Linux: at most 15 bytes, written to
        /// /proc/thread-self/comm, as `pthread_setname_np` does); elsewhere a no-op.
        private static func nameThisThread(_ name: String) {
            #if os(Linux)
            let descriptor = open("/proc/thread-self/comm", O_WRONLY)
            guard descriptor >= 0 else { return }
            defer { close(descriptor) }
            DescriptorOutput.write(Array(name.utf8.prefix(15)), to: descriptor)
            #endif
        }
    }
}

/// A mutex and its condition variable (what Foundation's `NSCondition` offered): `lock`, then `wait`
/// until another thread's `signal`, then `unlock`.
///
/// `@unchecked Sendable`: the pthread mutex and condition are made for use from many threads; their
/// storage is allocated once and never moves.
public final class ThreadCondition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    public init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    public func lock() { pthread_mutex_lock(mutex) }
    public func unlock() { pthread_mutex_unlock(mutex) }
    /// Waits for a `signal` (the lock is held before and after; spurious wake-ups happen, so loop on the state).
    public func wait() { pthread_cond_wait(condition, mutex) }
    /// Waits like `wait()`, but at most `seconds`; returns false when the time ran out.
    public func wait(seconds: Double) -> Bool {
        var deadline = timespec()
        clock_gettime(CLOCK_REALTIME, &deadline)
        let nanoseconds = Int(deadline.tv_nsec) + Int(max(0, seconds) * 1_000_000_000)
        deadline.tv_sec += nanoseconds / 1_000_000_000
        deadline.tv_nsec = nanoseconds % 1_000_000_000
        return pthread_cond_timedwait(condition, mutex, &deadline) == 0
    }

    public func signal() { pthread_cond_signal(condition) }
    /// Wakes every waiter.
    public func broadcast() { pthread_cond_broadcast(condition) }
}

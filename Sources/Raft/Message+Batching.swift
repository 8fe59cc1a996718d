import WeftCore

extension Message {
    /// Splits `messages` (in order) into consecutive batches whose canonical encoding as a list — a `u32`
    /// count, then each message, as the orderer's Raft link sends one batch per frame — is at most
    /// `maxBytes`. A message that is larger on its own travels alone. Used to keep every Raft frame
    /// under the transport's frame limit, however many appends one `Ready` holds.
    public static func batches(_ messages: [Message], maxBytes: Int) -> [[Message]] {
        let countPrefix = 4
        var batches: [[Message]] = []
        var current: [Message] = []
        var currentBytes = countPrefix
        for message in messages {
            let size = message.canonicalBytes.count
            if !current.isEmpty, currentBytes + size > maxBytes {
                batches.append(current)
                current = []
                currentBytes = countPrefix
            }
            current.append(message)
            currentBytes += size
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }
}

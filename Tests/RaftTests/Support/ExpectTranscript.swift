import Testing

extension TranscriptCluster {
    /// Checks the transcript recorded since the last check, line by line; on a mismatch it prints the
    /// actual transcript in Swift syntax.
    mutating func expectTranscript(_ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let actual = takeTranscript()
        guard actual != expected else { return }
        let firstDifference = zip(actual, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(actual.count, expected.count)
        Issue.record(
            """
            transcript differs at line \(firstDifference + 1); actual transcript:
            \(actual.map { "    \"\($0)\"," }.joined(separator: "\n"))
            """, sourceLocation: sourceLocation)
    }
}

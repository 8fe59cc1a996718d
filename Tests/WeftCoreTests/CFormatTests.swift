import Testing
import WeftCore

/// C `printf` number text without Foundation: what `String(format:)` writes.
@Suite struct CFormatTests {
    @Test func numbersAsPrintfWritesThem() {
        #expect(CFormat.printf("%8.2f", [3.14159]) == "    3.14")
        #expect(CFormat.printf("%lld tx/s", [Int64(20_000)]) == "20000 tx/s")
        #expect(CFormat.printf("%.1e", [123_456.0]) == "1.2e+05")
        #expect(DecimalFormat.fixed(2.5, decimals: 0) == "2")
        #expect(0.125.fixed(2, width: 6) == "  0.12")
        // Longer than the first buffer: grown, not cut.
        #expect(CFormat.printf("%300.1f", [1.0]).count == 300)
    }
}

extension Duration {
    /// Whole milliseconds, for logs, summaries and metrics.
    public var wholeMilliseconds: Int { Int(components.seconds) * 1000 + Int(components.attoseconds / 1_000_000_000_000_000) }
    /// Whole microseconds, for timings below a millisecond.
    public var wholeMicroseconds: Int { Int(components.seconds) * 1_000_000 + Int(components.attoseconds / 1_000_000_000_000) }
}

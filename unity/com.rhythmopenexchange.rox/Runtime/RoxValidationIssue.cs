namespace RhythmOpenExchange
{
    /// <summary>One problem <see cref="RoxChart.Validate"/> found.</summary>
    public sealed class RoxValidationIssue
    {
        internal RoxValidationIssue(RoxIssueKind kind, long? index, long? timeUs, string message)
        {
            Kind = kind;
            Index = index;
            TimeUs = timeUs;
            Message = message;
        }

        /// <summary>What is wrong.</summary>
        public RoxIssueKind Kind { get; }

        /// <summary>Index of the note or timing point concerned; null for a chart-wide issue (key count, no BPM).</summary>
        public long? Index { get; }

        /// <summary>Time of the note or timing point concerned, in microseconds; null for a chart-wide issue.</summary>
        public long? TimeUs { get; }

        /// <summary>Readable description from the native library.</summary>
        public string Message { get; }

        /// <inheritdoc/>
        public override string ToString()
        {
            return Message;
        }
    }
}

using System;
using System.Collections.Generic;

namespace RhythmOpenExchange
{
    /// <summary>What a conversion could not carry over or had to change, each with its position in the chart.
    /// Empty means nothing was lost.</summary>
    public sealed class ConversionReport
    {
        internal ConversionReport(ConversionLoss[] entries)
        {
            Entries = entries;
        }

        /// <summary>Every loss, in the order the conversion met them.</summary>
        public IReadOnlyList<ConversionLoss> Entries { get; }

        /// <summary>True when nothing was lost or changed.</summary>
        public bool IsEmpty
        {
            get { return Entries.Count == 0; }
        }

        /// <summary>One loss per line.</summary>
        public override string ToString()
        {
            return string.Join(Environment.NewLine, (IEnumerable<ConversionLoss>)Entries);
        }
    }

    /// <summary>One thing a conversion lost or changed.</summary>
    public sealed class ConversionLoss
    {
        internal ConversionLoss(RoxLossKind kind, long? timeUs, long? index, long shiftUs, string message)
        {
            Kind = kind;
            TimeUs = timeUs;
            Index = index;
            ShiftUs = shiftUs;
            Message = message;
        }

        /// <summary>What happened.</summary>
        public RoxLossKind Kind { get; }

        /// <summary>Chart time of the affected note or event in microseconds, when it has one.</summary>
        public long? TimeUs { get; }

        /// <summary>Index of the affected note or timing point in the source chart, when it is one.</summary>
        public long? Index { get; }

        /// <summary>For snapped notes and moved events: how far it moved (target − source), in microseconds; else 0.</summary>
        public long ShiftUs { get; }

        /// <summary>Readable description from the native library, e.g. "mine dropped: .osu has no mines".</summary>
        public string Message { get; }

        /// <summary>Position, message and shift, as the <c>rox</c> command line prints them.</summary>
        public override string ToString()
        {
            string at = Index.HasValue && TimeUs.HasValue ? "#" + Index + " at " + TimeUs + " µs: "
                : TimeUs.HasValue ? "at " + TimeUs + " µs: " : "";
            string moved = ShiftUs != 0 ? " (moved " + ShiftUs.ToString("+0;-0") + " µs)" : "";
            return at + Message + moved;
        }
    }
}

using System;
using RhythmOpenExchange.Native;

namespace RhythmOpenExchange
{
    /// <summary>How much one decode may build, all the charts of a set together, so that a small hostile file
    /// (a <c>.rox</c> of tiny notes, an archive of charts that inflate well) cannot take the game's memory. A
    /// decode that would pass a limit throws <see cref="RoxCorruptDataException"/> naming it, before the memory
    /// is taken. A new instance holds the native defaults, far above any real chart; docs/abi.md gives the
    /// memory they bound a decode to.</summary>
    public sealed unsafe class RoxDecodeLimits
    {
        /// <summary>The defaults, read from the native library.</summary>
        public RoxDecodeLimits()
        {
            RoxLibrary.EnsureLoaded();
            Native.RoxDecodeLimits defaults = Interop.DefaultDecodeLimits();
            MaxNotes = checked((long)defaults.max_notes);
            MaxTimingPoints = checked((long)defaults.max_timing_points);
            MaxTextBytes = checked((long)defaults.max_text_bytes);
            MaxCharts = checked((long)defaults.max_charts);
        }

        /// <summary>Notes, in all charts together.</summary>
        public long MaxNotes { get; set; }

        /// <summary>Timing points, in all charts together (a StepMania chart counts the song timing it inherits).</summary>
        public long MaxTimingPoints { get; set; }

        /// <summary>Bytes of text (metadata, keysound names, extras), each string also counting
        /// <see cref="RoxLimits.StringCost"/> bytes.</summary>
        public long MaxTextBytes { get; set; }

        /// <summary>Charts in one set.</summary>
        public long MaxCharts { get; set; }

        /// <summary>The native form; throws <see cref="ArgumentOutOfRangeException"/> for a negative limit.</summary>
        internal Native.RoxDecodeLimits ToNative()
        {
            return new Native.RoxDecodeLimits
            {
                struct_size = (uint)sizeof(Native.RoxDecodeLimits),
                max_notes = Unsigned(MaxNotes, nameof(MaxNotes)),
                max_timing_points = Unsigned(MaxTimingPoints, nameof(MaxTimingPoints)),
                max_text_bytes = Unsigned(MaxTextBytes, nameof(MaxTextBytes)),
                max_charts = Unsigned(MaxCharts, nameof(MaxCharts)),
            };
        }

        private static ulong Unsigned(long value, string name)
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(name, value, "a decode limit cannot be negative");
            }
            return (ulong)value;
        }
    }
}

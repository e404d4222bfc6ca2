using System.Runtime.InteropServices;

namespace RhythmOpenExchange
{
    /// <summary>One section of one pattern class (<see cref="RoxChart.GetPatterns"/>). Blittable, 32 bytes, laid out
    /// exactly like the ABI's <c>RoxPatternSection</c>, so arrays of it are filled by the native library without
    /// copying.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct RoxPatternSection
    {
        // Field order and types are the ABI; RoxLibrary checks the size against the generated struct.
        #pragma warning disable 0649 // written by the native library, never by C#
        private int _kind;
        private uint _reserved;
        private long _startUs;
        private long _endUs;
        private ulong _notes;
        #pragma warning restore 0649

        /// <summary>The pattern class.</summary>
        public RoxPatternKind Kind
        {
            get { return (RoxPatternKind)_kind; }
        }

        /// <summary>Time of the section's first note in microseconds.</summary>
        public long StartUs
        {
            get { return _startUs; }
        }

        /// <summary>Time of the section's last note (its start, for a hold) in microseconds; at least
        /// <see cref="StartUs"/>.</summary>
        public long EndUs
        {
            get { return _endUs; }
        }

        /// <summary>Played notes in the section.</summary>
        public long Notes
        {
            get { return checked((long)_notes); }
        }
    }
}

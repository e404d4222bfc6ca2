using System.Runtime.InteropServices;

namespace RhythmOpenExchange
{
    /// <summary>One bar or beat line of a <see cref="RoxTimeline"/>. Blittable, 24 bytes, laid out exactly like
    /// the ABI's <c>RoxGridLine</c>, so arrays of it are filled by the native library without copying.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct RoxGridLine
    {
        // Field order and types are the ABI; RoxLibrary checks the size against the generated struct.
        #pragma warning disable 0649 // written by the native library, never by C#
        private long _timeUs;
        private long _measure;
        private uint _beatInMeasure;
        private uint _isBar;
        #pragma warning restore 0649

        /// <summary>Time of the line in microseconds.</summary>
        public long TimeUs
        {
            get { return _timeUs; }
        }

        /// <summary>Measure number (negative before the first timing point).</summary>
        public long Measure
        {
            get { return _measure; }
        }

        /// <summary>Beat within the measure, from 0.</summary>
        public int BeatInMeasure
        {
            get { return checked((int)_beatInMeasure); }
        }

        /// <summary>True for a bar line that is drawn; false for a beat line or a bar line the chart omits (osu!'s "omit first bar line").</summary>
        public bool IsBar
        {
            get { return _isBar != 0; }
        }
    }
}

using System.Runtime.InteropServices;

namespace RhythmOpenExchange
{
    /// <summary>Where one note lies on the scrolling playfield (<see cref="RoxTimeline.PositionAt"/>'s unit).
    /// Blittable, 16 bytes, laid out exactly like the ABI's <c>RoxNotePosition</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct RoxNotePosition
    {
        // Field order and types are the ABI; RoxLibrary checks the size against the generated struct.
        #pragma warning disable 0649 // written by the native library, never by C#
        private double _start;
        private double _end;
        #pragma warning restore 0649

        /// <summary>Position of the note's start.</summary>
        public double Start
        {
            get { return _start; }
        }

        /// <summary>Position of its end: equal to <see cref="Start"/> for notes without a duration, so a renderer
        /// draws a hold body from one to the other.</summary>
        public double End
        {
            get { return _end; }
        }
    }
}

using System;
using System.Runtime.InteropServices;

namespace RhythmOpenExchange
{
    /// <summary>One note. Blittable, 32 bytes, laid out exactly like the ABI's <c>RoxNote</c>, so arrays of it
    /// are passed to the native library without copying.</summary>
    /// <remarks><c>default(RoxNote)</c> has <see cref="Keysound"/> 0 (the first keysound); use the constructor
    /// for a note without keysound.</remarks>
    [StructLayout(LayoutKind.Sequential)]
    public struct RoxNote : IEquatable<RoxNote>
    {
        /// <summary><see cref="Keysound"/> value meaning "no keysound".</summary>
        public const int NoKeysound = -1;

        // Field order and types are the ABI; RoxLibrary checks the size against the generated struct.
        private long _timeUs;
        private long _durationUs;
        private byte _column;
        private byte _kind;
        private byte _hitsounds;
        private byte _normalSet;
        private byte _additionSet;
        private byte _volume;
        #pragma warning disable 0649 // reserved by the ABI: always zero, never assigned
        private ushort _reserved;
        #pragma warning restore 0649
        private uint _customIndex;
        private int _keysound;

        /// <summary>Creates a note without keysound and with the default hit sound.</summary>
        /// <param name="timeUs">Hit time in microseconds.</param>
        /// <param name="column">0-based column, below the chart's key count.</param>
        /// <param name="kind">Note kind.</param>
        /// <param name="durationUs">Length in microseconds for holds and rolls (&gt; 0); 0 otherwise.</param>
        public RoxNote(long timeUs, int column, RoxNoteKind kind = RoxNoteKind.Tap, long durationUs = 0) : this()
        {
            _timeUs = timeUs;
            _durationUs = durationUs;
            Column = column;
            _kind = (byte)kind;
            _keysound = NoKeysound;
        }

        /// <summary>Hit time in microseconds.</summary>
        public long TimeUs
        {
            get { return _timeUs; }
            set { _timeUs = value; }
        }

        /// <summary>Length in microseconds for holds and rolls; 0 for other kinds.</summary>
        public long DurationUs
        {
            get { return _durationUs; }
            set { _durationUs = value; }
        }

        /// <summary>End time in microseconds (<see cref="TimeUs"/> + <see cref="DurationUs"/>).</summary>
        public long EndTimeUs
        {
            get { return _timeUs + _durationUs; }
        }

        /// <summary>0-based column (0 to 255; the chart accepts columns below its key count).</summary>
        public int Column
        {
            get { return _column; }
            set
            {
                if (value < 0 || value > byte.MaxValue)
                {
                    throw new ArgumentOutOfRangeException(nameof(value), value, "a column is 0 to 255");
                }
                _column = (byte)value;
            }
        }

        /// <summary>Note kind.</summary>
        public RoxNoteKind Kind
        {
            get { return (RoxNoteKind)_kind; }
            set { _kind = (byte)value; }
        }

        /// <summary>osu! hit sound bits; none means the default sound.</summary>
        public RoxHitsounds Hitsounds
        {
            get { return (RoxHitsounds)_hitsounds; }
            set { _hitsounds = (byte)value; }
        }

        /// <summary>Sample bank of the normal sound: 0 inherit, 1 normal, 2 soft, 3 drum.</summary>
        public byte NormalSet
        {
            get { return _normalSet; }
            set { _normalSet = value; }
        }

        /// <summary>Sample bank of the additions: 0 inherit, 1 normal, 2 soft, 3 drum.</summary>
        public byte AdditionSet
        {
            get { return _additionSet; }
            set { _additionSet = value; }
        }

        /// <summary>Hit sound volume 0 to 100; 0 inherits the timing point's.</summary>
        public byte Volume
        {
            get { return _volume; }
            set { _volume = value; }
        }

        /// <summary>Custom sample index; 0 inherits the timing point's.</summary>
        public uint CustomIndex
        {
            get { return _customIndex; }
            set { _customIndex = value; }
        }

        /// <summary>Index into the chart's keysounds, or <see cref="NoKeysound"/> (-1).</summary>
        public int Keysound
        {
            get { return _keysound; }
            set { _keysound = value; }
        }

        /// <inheritdoc/>
        public bool Equals(RoxNote other)
        {
            return _timeUs == other._timeUs && _durationUs == other._durationUs && _column == other._column
                && _kind == other._kind && _hitsounds == other._hitsounds && _normalSet == other._normalSet
                && _additionSet == other._additionSet && _volume == other._volume && _reserved == other._reserved
                && _customIndex == other._customIndex && _keysound == other._keysound;
        }

        /// <inheritdoc/>
        public override bool Equals(object obj)
        {
            return obj is RoxNote && Equals((RoxNote)obj);
        }

        /// <inheritdoc/>
        public override int GetHashCode()
        {
            return _timeUs.GetHashCode() * 31 + _column;
        }

        /// <inheritdoc/>
        public override string ToString()
        {
            return _durationUs == 0
                ? string.Format("{0} at {1} us, column {2}", Kind, _timeUs, _column)
                : string.Format("{0} at {1} us for {2} us, column {3}", Kind, _timeUs, _durationUs, _column);
        }

        /// <summary>Field-wise equality.</summary>
        public static bool operator ==(RoxNote left, RoxNote right)
        {
            return left.Equals(right);
        }

        /// <summary>Field-wise inequality.</summary>
        public static bool operator !=(RoxNote left, RoxNote right)
        {
            return !left.Equals(right);
        }
    }
}

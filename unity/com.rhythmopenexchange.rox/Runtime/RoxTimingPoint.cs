using System;
using System.Runtime.InteropServices;

namespace RhythmOpenExchange
{
    /// <summary>One timing event. Blittable, 40 bytes, laid out exactly like the ABI's <c>RoxTimingPoint</c>.</summary>
    /// <remarks><see cref="Value"/> holds the BPM, scroll multiplier or warp beats depending on <see cref="Kind"/>;
    /// <see cref="Bpm"/>, <see cref="Multiplier"/> and <see cref="Beats"/> are names for it.</remarks>
    [StructLayout(LayoutKind.Sequential)]
    public struct RoxTimingPoint : IEquatable<RoxTimingPoint>
    {
        /// <summary>Default hit sound volume of the factories (the native library's default).</summary>
        public const byte DefaultVolume = 100;

        // Field order and types are the ABI; RoxLibrary checks the size against the generated struct.
        private long _timeUs;
        private double _value;
        private long _durationUs;
        private int _kind;
        private uint _meter;
        private uint _sampleIndex;
        private byte _sampleSet;
        private byte _volume;
        private byte _effects;
        #pragma warning disable 0649 // reserved by the ABI: always zero, never assigned
        private byte _reserved;
        #pragma warning restore 0649

        private RoxTimingPoint(long timeUs, RoxTimingKind kind, double value, long durationUs, uint meter) : this()
        {
            _timeUs = timeUs;
            _kind = (int)kind;
            _value = value;
            _durationUs = durationUs;
            _meter = meter;
            _volume = DefaultVolume;
        }

        /// <summary>A tempo change.</summary>
        /// <param name="timeUs">Time in microseconds.</param>
        /// <param name="bpm">Beats per minute (&gt; 0).</param>
        /// <param name="meter">Beats per measure.</param>
        public static RoxTimingPoint CreateBpm(long timeUs, double bpm, uint meter = 4)
        {
            return new RoxTimingPoint(timeUs, RoxTimingKind.Bpm, bpm, 0, meter);
        }

        /// <summary>A scroll speed change (1.0 is normal speed).</summary>
        public static RoxTimingPoint CreateScroll(long timeUs, double multiplier)
        {
            return new RoxTimingPoint(timeUs, RoxTimingKind.Scroll, multiplier, 0, 0);
        }

        /// <summary>Scrolling pauses for <paramref name="durationUs"/> after notes at this time.</summary>
        public static RoxTimingPoint CreateStop(long timeUs, long durationUs)
        {
            return new RoxTimingPoint(timeUs, RoxTimingKind.Stop, 0, durationUs, 0);
        }

        /// <summary>Scrolling pauses for <paramref name="durationUs"/> before notes at this time.</summary>
        public static RoxTimingPoint CreateDelay(long timeUs, long durationUs)
        {
            return new RoxTimingPoint(timeUs, RoxTimingKind.Delay, 0, durationUs, 0);
        }

        /// <summary><paramref name="beats"/> beats are skipped in zero time.</summary>
        public static RoxTimingPoint CreateWarp(long timeUs, double beats)
        {
            return new RoxTimingPoint(timeUs, RoxTimingKind.Warp, beats, 0, 0);
        }

        /// <summary>Time in microseconds.</summary>
        public long TimeUs
        {
            get { return _timeUs; }
            set { _timeUs = value; }
        }

        /// <summary>What this point changes.</summary>
        public RoxTimingKind Kind
        {
            get { return (RoxTimingKind)_kind; }
            set { _kind = (int)value; }
        }

        /// <summary>BPM, scroll multiplier or warp beats, depending on <see cref="Kind"/>.</summary>
        public double Value
        {
            get { return _value; }
            set { _value = value; }
        }

        /// <summary><see cref="Value"/> of a <see cref="RoxTimingKind.Bpm"/> point.</summary>
        public double Bpm
        {
            get { return _value; }
            set { _value = value; }
        }

        /// <summary><see cref="Value"/> of a <see cref="RoxTimingKind.Scroll"/> point.</summary>
        public double Multiplier
        {
            get { return _value; }
            set { _value = value; }
        }

        /// <summary><see cref="Value"/> of a <see cref="RoxTimingKind.Warp"/> point.</summary>
        public double Beats
        {
            get { return _value; }
            set { _value = value; }
        }

        /// <summary>Length in microseconds of a stop or delay; 0 otherwise.</summary>
        public long DurationUs
        {
            get { return _durationUs; }
            set { _durationUs = value; }
        }

        /// <summary>Beats per measure of a BPM point.</summary>
        public uint Meter
        {
            get { return _meter; }
            set { _meter = value; }
        }

        /// <summary>Default custom sample index for notes from here (osu!).</summary>
        public uint SampleIndex
        {
            get { return _sampleIndex; }
            set { _sampleIndex = value; }
        }

        /// <summary>Default sample bank for notes from here: 0 inherit, 1 normal, 2 soft, 3 drum (osu!).</summary>
        public byte SampleSet
        {
            get { return _sampleSet; }
            set { _sampleSet = value; }
        }

        /// <summary>Default hit sound volume 0 to 100 (osu!).</summary>
        public byte Volume
        {
            get { return _volume; }
            set { _volume = value; }
        }

        /// <summary>osu! effect bits (kiai, omit first bar line).</summary>
        public RoxTimingEffects Effects
        {
            get { return (RoxTimingEffects)_effects; }
            set { _effects = (byte)value; }
        }

        /// <inheritdoc/>
        public bool Equals(RoxTimingPoint other)
        {
            // Bitwise comparison of Value, so NaN equals itself and a round trip compares equal.
            return _timeUs == other._timeUs && BitConverter.DoubleToInt64Bits(_value) == BitConverter.DoubleToInt64Bits(other._value)
                && _durationUs == other._durationUs && _kind == other._kind && _meter == other._meter
                && _sampleIndex == other._sampleIndex && _sampleSet == other._sampleSet && _volume == other._volume
                && _effects == other._effects && _reserved == other._reserved;
        }

        /// <inheritdoc/>
        public override bool Equals(object obj)
        {
            return obj is RoxTimingPoint && Equals((RoxTimingPoint)obj);
        }

        /// <inheritdoc/>
        public override int GetHashCode()
        {
            return _timeUs.GetHashCode() * 31 + _kind;
        }

        /// <inheritdoc/>
        public override string ToString()
        {
            return string.Format("{0} at {1} us: value {2}, duration {3} us", Kind, _timeUs, _value, _durationUs);
        }

        /// <summary>Field-wise equality.</summary>
        public static bool operator ==(RoxTimingPoint left, RoxTimingPoint right)
        {
            return left.Equals(right);
        }

        /// <summary>Field-wise inequality.</summary>
        public static bool operator !=(RoxTimingPoint left, RoxTimingPoint right)
        {
            return !left.Equals(right);
        }
    }
}

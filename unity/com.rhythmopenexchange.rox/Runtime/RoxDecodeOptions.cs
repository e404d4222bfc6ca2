using System;
using RhythmOpenExchange.Native;

namespace RhythmOpenExchange
{
    /// <summary>Everything one decode can be told: its <see cref="Limits"/>, and the choices some formats leave
    /// open (which side of a Friday Night Funkin' chart to read, the columns of an osu!taiko map). Pass it to
    /// <see cref="RoxChartSet.Decode(byte[], RoxFormat, RoxDecodeOptions)"/>. A new instance holds the native
    /// defaults, which read as a decode without options does. A plain value copied into each call: it holds no
    /// native memory, so it needs no disposing and may be reused and shared.</summary>
    public sealed class RoxDecodeOptions
    {
        /// <summary>The defaults, read from the native library.</summary>
        public RoxDecodeOptions()
        {
            RoxLibrary.EnsureLoaded();
            Native.RoxDecodeOptions defaults = Interop.DefaultDecodeOptions();
            Limits = new RoxDecodeLimits();
            FnfSides = (RoxFnfSides)defaults.fnf_sides;
            TaikoLayout = (RoxTaikoLayout)defaults.taiko_layout;
        }

        /// <summary>What the decode may build, all charts together; null for the defaults.</summary>
        public RoxDecodeLimits Limits { get; set; }

        /// <summary>Which side's notes a Friday Night Funkin' chart holds (<see cref="RoxFnfSides.Both"/>: 8 keys).</summary>
        public RoxFnfSides FnfSides { get; set; }

        /// <summary>The four columns an osu!taiko map is read onto (docs/taiko.md).</summary>
        public RoxTaikoLayout TaikoLayout { get; set; }

        /// <summary>The native form; throws <see cref="ArgumentOutOfRangeException"/> for a negative limit or an
        /// enum value the native library does not know.</summary>
        internal Native.RoxDecodeOptions ToNative()
        {
            Native.RoxDecodeOptions native = Interop.DefaultDecodeOptions();
            if (Limits != null)
            {
                native.limits = Limits.ToNative();
            }
            native.fnf_sides = Known(FnfSides, nameof(FnfSides));
            native.taiko_layout = Known(TaikoLayout, nameof(TaikoLayout));
            return native;
        }

        private static int Known<T>(T value, string name) where T : struct
        {
            if (!Enum.IsDefined(typeof(T), value))
            {
                throw new ArgumentOutOfRangeException(name, value, "not a value of " + typeof(T).Name);
            }
            return Convert.ToInt32(value);
        }
    }
}

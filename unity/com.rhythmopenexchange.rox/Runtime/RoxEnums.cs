using System;

namespace RhythmOpenExchange
{
    /// <summary>A chart file format. The values are part of the ROX C ABI.</summary>
    public enum RoxFormat
    {
        /// <summary>Detect the format from the content (decoding only).</summary>
        Auto = 0,
        /// <summary>ROX binary chart (<c>.rox</c>).</summary>
        Rox = 1,
        /// <summary>osu!mania beatmap (<c>.osu</c>).</summary>
        Osu = 2,
        /// <summary>StepMania 5 (<c>.sm</c>).</summary>
        Sm = 3,
        /// <summary>StepMania 5 extended (<c>.ssc</c>).</summary>
        Ssc = 4,
        /// <summary>Quaver (<c>.qua</c>).</summary>
        Qua = 5,
    }

    /// <summary>What a note asks of the player.</summary>
    public enum RoxNoteKind : byte
    {
        /// <summary>Press once.</summary>
        Tap = 0,
        /// <summary>Press and hold for <see cref="RoxNote.DurationUs"/>.</summary>
        Hold = 1,
        /// <summary>A hold that must be tapped repeatedly (StepMania roll).</summary>
        Roll = 2,
        /// <summary>Must not be pressed.</summary>
        Mine = 3,
        /// <summary>Hit by releasing the key (StepMania lift).</summary>
        Lift = 4,
        /// <summary>Shown but never judged.</summary>
        Fake = 5,
    }

    /// <summary>What a timing point changes.</summary>
    public enum RoxTimingKind
    {
        /// <summary>Tempo change; <see cref="RoxTimingPoint.Bpm"/> and <see cref="RoxTimingPoint.Meter"/> apply.</summary>
        Bpm = 0,
        /// <summary>Scroll speed change; <see cref="RoxTimingPoint.Multiplier"/> applies.</summary>
        Scroll = 1,
        /// <summary>Scrolling pauses for <see cref="RoxTimingPoint.DurationUs"/> after notes at this time.</summary>
        Stop = 2,
        /// <summary>Scrolling pauses for <see cref="RoxTimingPoint.DurationUs"/> before notes at this time.</summary>
        Delay = 3,
        /// <summary><see cref="RoxTimingPoint.Beats"/> beats are skipped in zero time.</summary>
        Warp = 4,
    }

    /// <summary>Result code of a native ROX call.</summary>
    public enum RoxStatus
    {
        /// <summary>Success.</summary>
        Ok = 0,
        /// <summary>A required pointer was null (a bug in the caller of the C ABI).</summary>
        NullPointer = -1,
        /// <summary>An argument is out of range (enum, index, key count, column, non-UTF-8 text).</summary>
        InvalidArgument = -2,
        /// <summary>A buffer was too short (handled inside this library).</summary>
        BufferTooSmall = -3,
        /// <summary>The bytes are not a chart in any supported format.</summary>
        UnknownFormat = -4,
        /// <summary>The format exists but this build cannot read or write it.</summary>
        UnsupportedFormat = -5,
        /// <summary>A text chart is malformed.</summary>
        ParseError = -6,
        /// <summary>A <c>.rox</c> file is damaged or from a newer version.</summary>
        CorruptData = -7,
        /// <summary>The chart fails validation.</summary>
        InvalidChart = -8,
        /// <summary>An internal bug was caught at the native boundary; the chart is unchanged.</summary>
        Panic = -99,
    }

    /// <summary>The kind of problem a <see cref="RoxValidationIssue"/> reports.</summary>
    public enum RoxIssueKind
    {
        /// <summary>The key count is not 1 to 18.</summary>
        KeyCountOutOfRange = 0,
        /// <summary>The chart has no BPM timing point.</summary>
        NoBpm = 1,
        /// <summary>A note is earlier than the note before it.</summary>
        NotesUnsorted = 2,
        /// <summary>A note's column is not below the key count.</summary>
        ColumnOutOfRange = 3,
        /// <summary>A hold or roll has a length of zero or less.</summary>
        NonPositiveHoldLength = 4,
        /// <summary>A note that is not a hold or roll has a duration.</summary>
        DurationOnNonHold = 5,
        /// <summary>A note starts before the previous note in its column ends.</summary>
        OverlappingNotes = 6,
        /// <summary>A timing point is earlier than the one before it.</summary>
        TimingUnsorted = 7,
        /// <summary>A value is NaN or infinite.</summary>
        NonFiniteNumber = 8,
        /// <summary>A BPM is negative.</summary>
        NegativeBpm = 9,
        /// <summary>A stop or delay has a negative length.</summary>
        NegativeDuration = 10,
        /// <summary>A time is out of range (more than ±2^52 µs, or its end overflows).</summary>
        TimeOverflow = 11,
        /// <summary>A note's keysound index is not in the keysound list.</summary>
        KeysoundOutOfRange = 12,
        /// <summary>A BPM is zero: scrolling stops (not fatal; formats without a stop lose it).</summary>
        ZeroBpm = 13,
    }

    /// <summary>The kind of a <see cref="ConversionLoss"/>.</summary>
    public enum RoxLossKind
    {
        /// <summary>A note moved to the target's time grid (see <see cref="ConversionLoss.ShiftUs"/>).</summary>
        NoteSnapped = 0,
        /// <summary>A note the target cannot express was left out.</summary>
        NoteDropped = 1,
        /// <summary>A note was written as another kind (roll → hold, lift → tap…).</summary>
        NoteChanged = 2,
        /// <summary>A timing event the target cannot express was left out.</summary>
        TimingDropped = 3,
        /// <summary>A timing event was written differently (moved, or emulated by other events).</summary>
        TimingChanged = 4,
        /// <summary>A metadata field or file-level setting has no place in the target.</summary>
        MetadataDropped = 5,
        /// <summary>Hit sound or keysound information was left out.</summary>
        SoundDropped = 6,
        /// <summary>A chart of a multi-chart file or archive was not converted, or could not be read.</summary>
        ChartDropped = 7,
        /// <summary>A hold's end moved to the target's time grid (<see cref="RoxLossKind.NoteSnapped"/> is about the start only).</summary>
        HoldEndSnapped = 8,
    }

    /// <summary>osu! hit sound bits of a note (Quaver uses the same bits).</summary>
    [Flags]
    public enum RoxHitsounds : byte
    {
        /// <summary>Default sound.</summary>
        None = 0,
        /// <summary>Normal.</summary>
        Normal = 1,
        /// <summary>Whistle.</summary>
        Whistle = 2,
        /// <summary>Finish.</summary>
        Finish = 4,
        /// <summary>Clap.</summary>
        Clap = 8,
    }

    /// <summary>osu! effect bits of a timing point.</summary>
    [Flags]
    public enum RoxTimingEffects : byte
    {
        /// <summary>No effect.</summary>
        None = 0,
        /// <summary>Kiai time.</summary>
        Kiai = 1,
        /// <summary>The first bar line of the section is not drawn.</summary>
        OmitFirstBarLine = 8,
    }
}

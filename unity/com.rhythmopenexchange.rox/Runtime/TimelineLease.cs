using System;
using System.Runtime.InteropServices;
using RhythmOpenExchange.Native;
using static RhythmOpenExchange.Interop;

namespace RhythmOpenExchange
{
    /// <summary>Keeps one native timeline alive for the duration of a call, and that call: the only code that
    /// passes a timeline pointer to <c>NativeMethods</c>.</summary>
    /// <remarks>
    /// No lock: a timeline never changes, and the ABI lets any number of threads query it at once. Every method
    /// checks the status and throws the mapped exception. Nothing here allocates managed memory, so the queries
    /// of <see cref="RoxTimeline"/> that fill caller spans allocate nothing.
    /// A plain struct (not a ref struct) so C# 7.2 can use it in a <c>using</c> statement.
    /// </remarks>
    internal unsafe struct TimelineLease : IDisposable
    {
        private readonly RoxTimelineHandle _handle;
        private readonly Native.RoxTimeline* _timeline;

        internal TimelineLease(RoxTimelineHandle handle)
        {
            _timeline = (Native.RoxTimeline*)handle.Acquire(nameof(RoxTimeline));
            _handle = handle;
        }

        public void Dispose()
        {
            _handle.Release();
        }

        internal double BeatAt(long timeUs)
        {
            double beat;
            Ensure.Success(NativeMethods.rox_timeline_beat_at(_timeline, timeUs, &beat));
            return beat;
        }

        internal long TimeAt(double beat)
        {
            long timeUs;
            Ensure.Success(NativeMethods.rox_timeline_time_at(_timeline, beat, &timeUs));
            return timeUs;
        }

        internal double PositionAt(long timeUs)
        {
            double position;
            Ensure.Success(NativeMethods.rox_timeline_position_at(_timeline, timeUs, &position));
            return position;
        }

        internal double SpeedFactorAt(long timeUs)
        {
            double factor;
            Ensure.Success(NativeMethods.rox_timeline_speed_factor_at(_timeline, timeUs, &factor));
            return factor;
        }

        /// <param name="timesUs">As many as <paramref name="values"/> (the caller checks).</param>
        /// <param name="values">Receives the beats.</param>
        internal void Beats(ReadOnlySpan<long> timesUs, Span<double> values)
        {
            fixed (long* times = &MemoryMarshal.GetReference(timesUs))
            fixed (double* output = &MemoryMarshal.GetReference(values))
            {
                Ensure.Success(NativeMethods.rox_timeline_beats(_timeline, times, Size(values.Length), output));
            }
        }

        /// <param name="timesUs">As many as <paramref name="values"/> (the caller checks).</param>
        /// <param name="values">Receives the positions.</param>
        internal void Positions(ReadOnlySpan<long> timesUs, Span<double> values)
        {
            fixed (long* times = &MemoryMarshal.GetReference(timesUs))
            fixed (double* output = &MemoryMarshal.GetReference(values))
            {
                Ensure.Success(NativeMethods.rox_timeline_positions(_timeline, times, Size(values.Length), output));
            }
        }

        internal int CopySnaps(Span<byte> destination, int start)
        {
            UIntPtr written;
            fixed (byte* p = &MemoryMarshal.GetReference(destination))
            {
                Ensure.Success(NativeMethods.rox_timeline_copy_snaps(_timeline, Size(start), p, Size(destination.Length), &written));
            }
            return ToInt(written);
        }

        internal int CopyNotePositions(Span<RoxNotePosition> destination, int start)
        {
            UIntPtr written;
            fixed (RoxNotePosition* p = &MemoryMarshal.GetReference(destination))
            {
                Ensure.Success(NativeMethods.rox_timeline_copy_note_positions(
                    _timeline, Size(start), (Native.RoxNotePosition*)p, Size(destination.Length), &written));
            }
            return ToInt(written);
        }

        /// <returns>How many lines there are from <paramref name="fromUs"/> to <paramref name="toUs"/>; the first
        /// that fit are in <paramref name="destination"/>.</returns>
        internal int GridLines(long fromUs, long toUs, Span<RoxGridLine> destination)
        {
            UIntPtr count;
            fixed (RoxGridLine* p = &MemoryMarshal.GetReference(destination))
            {
                Ensure.Success(NativeMethods.rox_timeline_grid_lines(
                    _timeline, fromUs, toUs, (Native.RoxGridLine*)p, Size(destination.Length), &count));
            }
            return ToInt(count);
        }

        internal void NotesInPositionWindow(double low, double high, out int start, out int end)
        {
            UIntPtr first;
            UIntPtr last;
            Ensure.Success(NativeMethods.rox_timeline_notes_in_position_window(_timeline, low, high, &first, &last));
            start = ToInt(first);
            end = ToInt(last);
        }

        internal int ScrollGroupCount()
        {
            UIntPtr count;
            Ensure.Success(NativeMethods.rox_timeline_scroll_group_count(_timeline, &count));
            return ToInt(count);
        }

        internal double PositionInGroup(uint group, long timeUs)
        {
            double position;
            Ensure.Success(NativeMethods.rox_timeline_position_in_group(_timeline, group, timeUs, &position));
            return position;
        }

        internal int CopyNoteGroups(Span<int> destination, int start)
        {
            UIntPtr written;
            // Group numbers are below the group count (an int), so the native u32s read as ints.
            fixed (int* p = &MemoryMarshal.GetReference(destination))
            {
                Ensure.Success(NativeMethods.rox_timeline_copy_note_groups(
                    _timeline, Size(start), (uint*)p, Size(destination.Length), &written));
            }
            return ToInt(written);
        }

        /// <returns>How many notes there are; the first that fit are in <paramref name="indexes"/>.</returns>
        internal int NotesInView(long timeUs, double low, double high, Span<int> indexes)
        {
            UIntPtr count;
            fixed (int* p = &MemoryMarshal.GetReference(indexes))
            {
                Ensure.Success(NativeMethods.rox_timeline_notes_in_view(
                    _timeline, timeUs, low, high, (uint*)p, Size(indexes.Length), &count));
            }
            return ToInt(count);
        }

        /// <returns>How many notes there are; the first that fit are in <paramref name="indexes"/>.</returns>
        internal int NotesInTimeWindow(byte column, long fromUs, long toUs, Span<int> indexes)
        {
            UIntPtr count;
            // Note indexes fit an int (a chart's note count is one), so the native u32s read as ints.
            fixed (int* p = &MemoryMarshal.GetReference(indexes))
            {
                Ensure.Success(NativeMethods.rox_timeline_notes_in_time_window(
                    _timeline, column, fromUs, toUs, (uint*)p, Size(indexes.Length), &count));
            }
            return ToInt(count);
        }
    }
}

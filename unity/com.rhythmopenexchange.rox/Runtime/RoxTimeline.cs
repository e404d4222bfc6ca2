using System;

namespace RhythmOpenExchange
{
    /// <summary>Beats, bar lines, snaps and scroll positions of one chart under one game's rules, for playing it:
    /// where each note is on screen every frame. Created by <see cref="RoxChart.CreateTimeline"/>.</summary>
    /// <remarks>
    /// Immutable: a snapshot of the chart when it was created (later edits of the chart do not show), so every
    /// member may be called from any thread at once, without locks. <see cref="Dispose"/> may race with other
    /// calls: calls already running finish first, later ones throw <see cref="ObjectDisposedException"/>.
    /// A timeline that is never disposed is freed by the garbage collector.
    /// Times are microseconds (the <c>…Seconds</c> overloads take the seconds Unity and Godot count in). A
    /// position is the distance the playfield has travelled: milliseconds at 1.0× speed under osu! and Quaver
    /// rules, displayed beats under StepMania rules (docs/timeline.md). Times beyond
    /// ±<see cref="RoxLimits.MaxAbsTimeUs"/> throw <see cref="RoxArgumentException"/>.
    /// The queries that fill caller spans (<see cref="GetPositions"/>, <see cref="GetBeats"/>, the <c>Copy…</c>
    /// methods) allocate no managed memory, so one batched call per frame costs the garbage collector nothing.
    /// </remarks>
    public sealed class RoxTimeline : IDisposable
    {
        private const double MicrosecondsPerSecond = 1e6;

        private readonly RoxTimelineHandle _handle;
        private readonly int _noteCount;

        /// <param name="handle">The native timeline.</param>
        /// <param name="noteCount">The note count of the chart it was built from (read under the same lock).</param>
        internal RoxTimeline(RoxTimelineHandle handle, int noteCount)
        {
            _handle = handle;
            _noteCount = noteCount;
        }

        /// <summary>Number of notes of the chart when the timeline was created: the length of
        /// <see cref="GetSnaps"/> and <see cref="GetNotePositions"/>.</summary>
        public int NoteCount
        {
            get { return _noteCount; }
        }

        /// <summary>The beat at <paramref name="timeUs"/>, fractional: stops and delays hold it, warps jump it;
        /// before the first timing point it extrapolates from the first BPM.</summary>
        public double BeatAt(long timeUs)
        {
            using (TimelineLease lease = Lease())
            {
                return lease.BeatAt(timeUs);
            }
        }

        /// <summary>The beat at <paramref name="seconds"/>, as <see cref="BeatAt(long)"/>.</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="seconds"/> is not finite or beyond the time limit.</exception>
        public double BeatAtSeconds(double seconds)
        {
            return BeatAt(ToMicroseconds(seconds));
        }

        /// <summary>The time of <paramref name="beat"/> in microseconds (rounded).</summary>
        /// <exception cref="RoxArgumentException"><paramref name="beat"/> is NaN or infinite.</exception>
        public long TimeAt(double beat)
        {
            using (TimelineLease lease = Lease())
            {
                return lease.TimeAt(beat);
            }
        }

        /// <summary>The scroll position at <paramref name="timeUs"/> (unit: see the class remarks).</summary>
        public double PositionAt(long timeUs)
        {
            using (TimelineLease lease = Lease())
            {
                return lease.PositionAt(timeUs);
            }
        }

        /// <summary>The scroll position at <paramref name="seconds"/>, as <see cref="PositionAt(long)"/>.</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="seconds"/> is not finite or beyond the time limit.</exception>
        public double PositionAtSeconds(double seconds)
        {
            return PositionAt(ToMicroseconds(seconds));
        }

        /// <summary>The factor on note spacing at <paramref name="timeUs"/>: draw each note (its position −
        /// <c>PositionAt(timeUs)</c>) × this from the receptors. StepMania's <c>#SPEEDS</c>, interpolated over each
        /// change's length; 1 under osu! and Quaver rules, with <see cref="RoxScrollAlgorithm.Constant"/> and
        /// without <c>#SPEEDS</c>. May be 0 or negative (notes drawn on the other side of the receptors).</summary>
        public double SpeedFactorAt(long timeUs)
        {
            using (TimelineLease lease = Lease())
            {
                return lease.SpeedFactorAt(timeUs);
            }
        }

        /// <summary>The factor on note spacing at <paramref name="seconds"/>, as <see cref="SpeedFactorAt(long)"/>.</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="seconds"/> is not finite or beyond the time limit.</exception>
        public double SpeedFactorAtSeconds(double seconds)
        {
            return SpeedFactorAt(ToMicroseconds(seconds));
        }

        /// <summary>The beat at each time, in one native call: <c>beats[i]</c> = <c>BeatAt(timesUs[i])</c>. All or
        /// nothing: on a time beyond the limit nothing is written. Allocates nothing.</summary>
        /// <exception cref="ArgumentException">The spans differ in length.</exception>
        public void GetBeats(ReadOnlySpan<long> timesUs, Span<double> beats)
        {
            CheckSameLength(timesUs, beats.Length, nameof(beats));
            using (TimelineLease lease = Lease())
            {
                lease.Beats(timesUs, beats);
            }
        }

        /// <summary>The scroll position at each time, in one native call (one per frame for every note on
        /// screen): <c>positions[i]</c> = <c>PositionAt(timesUs[i])</c>. All or nothing, as
        /// <see cref="GetBeats"/>. Allocates nothing.</summary>
        /// <exception cref="ArgumentException">The spans differ in length.</exception>
        public void GetPositions(ReadOnlySpan<long> timesUs, Span<double> positions)
        {
            CheckSameLength(timesUs, positions.Length, nameof(positions));
            using (TimelineLease lease = Lease())
            {
                lease.Positions(timesUs, positions);
            }
        }

        /// <summary>The snap of every note, in the chart's note order: the smallest d of 1, 2, 3, 4, 6, 8, 12, 16,
        /// 24, 32, 48, 64, 96, 192 such that the note lies on a 1/d beat, else 0 (what skins colour notes by).</summary>
        public byte[] GetSnaps()
        {
            using (TimelineLease lease = Lease())
            {
                var snaps = new byte[_noteCount];
                lease.CopySnaps(snaps, 0);
                return snaps;
            }
        }

        /// <summary>Copies the snaps of notes from index <paramref name="start"/> into <paramref name="destination"/>.</summary>
        /// <returns>How many were copied.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="start"/> is negative.</exception>
        /// <exception cref="RoxArgumentException"><paramref name="start"/> is beyond the note count.</exception>
        public int CopySnaps(Span<byte> destination, int start = 0)
        {
            CheckStart(start);
            using (TimelineLease lease = Lease())
            {
                return lease.CopySnaps(destination, start);
            }
        }

        /// <summary>The start and end position of every note, in the chart's note order.</summary>
        public RoxNotePosition[] GetNotePositions()
        {
            using (TimelineLease lease = Lease())
            {
                var positions = new RoxNotePosition[_noteCount];
                lease.CopyNotePositions(positions, 0);
                return positions;
            }
        }

        /// <summary>Copies the positions of notes from index <paramref name="start"/> into <paramref name="destination"/>.</summary>
        /// <returns>How many were copied.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="start"/> is negative.</exception>
        /// <exception cref="RoxArgumentException"><paramref name="start"/> is beyond the note count.</exception>
        public int CopyNotePositions(Span<RoxNotePosition> destination, int start = 0)
        {
            CheckStart(start);
            using (TimelineLease lease = Lease())
            {
                return lease.CopyNotePositions(destination, start);
            }
        }

        /// <summary>The bar and beat lines from <paramref name="fromUs"/> to <paramref name="toUs"/> (both
        /// included), in time order; they follow meters and time signatures.</summary>
        public RoxGridLine[] GetGridLines(long fromUs, long toUs)
        {
            using (TimelineLease lease = Lease())
            {
                var lines = new RoxGridLine[lease.GridLines(fromUs, toUs, Span<RoxGridLine>.Empty)];
                lease.GridLines(fromUs, toUs, lines);
                return lines;
            }
        }

        /// <summary>Copies the bar and beat lines from <paramref name="fromUs"/> to <paramref name="toUs"/> into
        /// <paramref name="destination"/>, as many as fit. Allocates nothing.</summary>
        /// <returns>How many lines there are, which may exceed the span's length (call again with a larger span).</returns>
        public int CopyGridLines(long fromUs, long toUs, Span<RoxGridLine> destination)
        {
            using (TimelineLease lease = Lease())
            {
                return lease.GridLines(fromUs, toUs, destination);
            }
        }

        /// <summary>The notes whose start position lies in [<paramref name="low"/>, <paramref name="high"/>]:
        /// indexes <paramref name="start"/> (included) to <paramref name="end"/> (excluded) of the chart's notes,
        /// for drawing what is on screen.</summary>
        /// <exception cref="RoxArgumentException">A bound is NaN, or positions go backwards in this chart (negative
        /// Quaver SVs, StepMania scrolls; Quaver's float rounding hours in), where no index range can hold the answer, or the notes are in several
        /// Quaver scroll groups (each drawn by its own group's position: use <see cref="CopyNotesInView"/>).</exception>
        public void GetNotesInPositionWindow(double low, double high, out int start, out int end)
        {
            using (TimelineLease lease = Lease())
            {
                lease.NotesInPositionWindow(low, high, out start, out end);
            }
        }

        /// <summary>The notes of <paramref name="column"/> whose start lies in [<paramref name="fromUs"/>,
        /// <paramref name="toUs"/>], for judging: their indexes in the chart's note order, in time order, as many as
        /// fit into <paramref name="indexes"/>. Allocates nothing.</summary>
        /// <returns>How many notes there are, which may exceed the span's length (call again with a larger span).</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="column"/> is negative or not below <see cref="RoxChart.MaxKeyCount"/>.</exception>
        public int CopyNotesInTimeWindow(int column, long fromUs, long toUs, Span<int> indexes)
        {
            if (column < 0 || column >= RoxChart.MaxKeyCount)
            {
                throw new ArgumentOutOfRangeException(nameof(column), column, "a chart has at most 18 columns");
            }
            using (TimelineLease lease = Lease())
            {
                return lease.NotesInTimeWindow((byte)column, fromUs, toUs, indexes);
            }
        }

        /// <summary>How many scroll groups place notes: 1, except under Quaver rules for a map with scroll groups
        /// (group 0 is the default group, the playfield's; then the map's <c>TimingGroups</c> in file order). A
        /// note is drawn at its position minus its group's position (<see cref="PositionInGroup"/>).</summary>
        public int ScrollGroupCount
        {
            get
            {
                using (TimelineLease lease = Lease())
                {
                    return lease.ScrollGroupCount();
                }
            }
        }

        /// <summary>The scroll position of scroll group <paramref name="group"/> at <paramref name="timeUs"/>
        /// (<see cref="PositionAt(long)"/> is group 0's).</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="group"/> is negative.</exception>
        /// <exception cref="RoxArgumentException"><paramref name="group"/> is not below <see cref="ScrollGroupCount"/>.</exception>
        public double PositionInGroup(int group, long timeUs)
        {
            if (group < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(group), group, "group cannot be negative");
            }
            using (TimelineLease lease = Lease())
            {
                return lease.PositionInGroup((uint)group, timeUs);
            }
        }

        /// <summary>The scroll group of every note, in the chart's note order (0 for the playfield's).</summary>
        public int[] GetNoteGroups()
        {
            using (TimelineLease lease = Lease())
            {
                var groups = new int[_noteCount];
                lease.CopyNoteGroups(groups, 0);
                return groups;
            }
        }

        /// <summary>The notes drawn within [<paramref name="low"/>, <paramref name="high"/>] of the judgement line at
        /// <paramref name="timeUs"/>: those whose start position lies within their own scroll group's position at
        /// that time plus <paramref name="low"/> to plus <paramref name="high"/>; their indexes in the chart's note
        /// order, ascending, as many as fit into <paramref name="indexes"/>. For a chart in one group, the notes of
        /// <see cref="GetNotesInPositionWindow"/> around <see cref="PositionAt(long)"/>.</summary>
        /// <returns>How many notes there are, which may exceed the span's length (call again with a larger span).</returns>
        /// <exception cref="RoxArgumentException">A bound is NaN, or positions go backwards in a group with notes.</exception>
        public int CopyNotesInView(long timeUs, double low, double high, Span<int> indexes)
        {
            using (TimelineLease lease = Lease())
            {
                return lease.NotesInView(timeUs, low, high, indexes);
            }
        }

        /// <summary>Frees the native timeline. Calling it again does nothing.</summary>
        public void Dispose()
        {
            _handle.Dispose();
        }

        private TimelineLease Lease()
        {
            return new TimelineLease(_handle);
        }

        /// <summary>Rounds to the nearest microsecond (halves away from zero, as the native library rounds).</summary>
        private static long ToMicroseconds(double seconds)
        {
            double us = Math.Round(seconds * MicrosecondsPerSecond, MidpointRounding.AwayFromZero);
            // Written so that NaN fails too.
            if (!(Math.Abs(us) <= RoxLimits.MaxAbsTimeUs))
            {
                throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "a time must be finite and within ±2^52 µs");
            }
            return (long)us;
        }

        private static void CheckSameLength(ReadOnlySpan<long> timesUs, int outputLength, string outputName)
        {
            if (timesUs.Length != outputLength)
            {
                throw new ArgumentException(
                    string.Format("{0} has {1} elements but timesUs has {2}", outputName, outputLength, timesUs.Length), outputName);
            }
        }

        private static void CheckStart(int start)
        {
            if (start < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(start), start, "start cannot be negative");
            }
        }
    }
}

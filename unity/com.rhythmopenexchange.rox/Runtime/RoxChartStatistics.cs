using System.Collections.Generic;

namespace RhythmOpenExchange
{
    /// <summary>The statistics of a chart (<see cref="RoxChart.GetStatistics"/>; docs/analysis.md). Times are
    /// microseconds. Every figure but the per-kind counts is over the played notes: taps, holds, rolls and lifts
    /// (mines must not be pressed, fakes are never judged). Immutable.</summary>
    public sealed class RoxChartStatistics
    {
        private readonly Native.RoxChartStats _stats;
        private readonly int[] _columnCounts;
        private readonly int[] _chordSizes;

        internal RoxChartStatistics(Native.RoxChartStats stats, int[] columnCounts, int[] chordSizes)
        {
            _stats = stats;
            _columnCounts = columnCounts;
            _chordSizes = chordSizes;
        }

        /// <summary>Taps.</summary>
        public long TapCount { get { return (long)_stats.tap_count; } }

        /// <summary>Holds.</summary>
        public long HoldCount { get { return (long)_stats.hold_count; } }

        /// <summary>Rolls (StepMania).</summary>
        public long RollCount { get { return (long)_stats.roll_count; } }

        /// <summary>Mines (StepMania).</summary>
        public long MineCount { get { return (long)_stats.mine_count; } }

        /// <summary>Lifts (StepMania).</summary>
        public long LiftCount { get { return (long)_stats.lift_count; } }

        /// <summary>Fakes (StepMania).</summary>
        public long FakeCount { get { return (long)_stats.fake_count; } }

        /// <summary>Played notes per column: the key count long (longer only if a note lies beyond it).</summary>
        public IReadOnlyList<int> ColumnCounts { get { return _columnCounts; } }

        /// <summary><c>ChordSizes[k]</c>: how many times exactly k played notes start together (index 0 is 0;
        /// empty without notes).</summary>
        public IReadOnlyList<int> ChordSizes { get { return _chordSizes; } }

        /// <summary>Start of the first played note.</summary>
        public long FirstNoteUs { get { return _stats.first_note_us; } }

        /// <summary>Latest end of a played note (holds included).</summary>
        public long LastNoteEndUs { get { return _stats.last_note_end_us; } }

        /// <summary>From the first note's start to the last note's end.</summary>
        public long LengthUs { get { return _stats.length_us; } }

        /// <summary>Total length of the breaks osu! would place between the notes.</summary>
        public long BreakUs { get { return _stats.break_us; } }

        /// <summary>Length minus breaks: the time the player is busy (osu!'s drain time).</summary>
        public long DrainUs { get { return _stats.drain_us; } }

        /// <summary>Lowest usable BPM (positive, finite); 0 without any.</summary>
        public double MinBpm { get { return _stats.bpm_min; } }

        /// <summary>Highest usable BPM; 0 without any.</summary>
        public double MaxBpm { get { return _stats.bpm_max; } }

        /// <summary>The BPM that lasts longest until the last note (osu!'s "most common BPM").</summary>
        public double DominantBpm { get { return _stats.bpm_dominant; } }

        /// <summary>Played notes per second over the length (0 when the chart lasts no time).</summary>
        public double AverageNps { get { return _stats.average_nps; } }

        /// <summary>Most played notes starting within one second (0 when the chart lasts no time);
        /// <see cref="RoxChart.GetMaxNps"/> takes other windows.</summary>
        public double MaxNps { get { return _stats.max_nps; } }

        /// <summary>Longest hold or roll.</summary>
        public long LongestHoldUs { get { return _stats.longest_hold_us; } }

        /// <summary>Most holds and rolls held at the same time.</summary>
        public int MaxSimultaneousHolds { get { return checked((int)_stats.max_simultaneous_holds); } }
    }
}

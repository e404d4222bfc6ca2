using System;

namespace RhythmOpenExchange
{
    // Pattern analysis for song select (docs/analysis.md, "Patterns").
    public sealed partial class RoxChart
    {
        /// <summary>The chart's sections of stream, jumpstream, handstream, chordjack, jack and technical, in
        /// time order and never overlapping: each window of <paramref name="windowUs"/> (from the first note) gets
        /// one class, and runs of one class become a section; a class needs two windows in a row to take over.
        /// Empty for a chart with no dense part and for a window of 0 or less.</summary>
        public RoxPatternSection[] GetPatterns(long windowUs = RoxLimits.DefaultPatternWindowUs)
        {
            using (ChartLease lease = Read())
            {
                return lease.Patterns(windowUs);
            }
        }

        /// <summary>Each pattern class's share of the chart's played notes (the notes in its sections), indexed
        /// by <see cref="RoxPatternKind"/>. The shares sum to at most 1: notes in sparse parts are in no
        /// class.</summary>
        public double[] GetPatternShares(long windowUs = RoxLimits.DefaultPatternWindowUs)
        {
            using (ChartLease lease = Read())
            {
                return lease.PatternShares(windowUs);
            }
        }
    }
}

using System;

namespace RhythmOpenExchange
{
    // What is computed from the chart: the osu!mania star rating.
    public sealed partial class RoxChart
    {
        /// <summary>The osu!mania star rating of the chart played at <paramref name="clockRate"/>: osu! lazer's
        /// difficulty calculation (as rosu-pp 4.0.1 computes it) of the chart as a .osu file would hold it
        /// (mines and fakes left out, rolls as holds, lifts as taps). 0 for a chart of fewer than two notes.</summary>
        /// <param name="clockRate">Playback speed: 1 normal, 1.5 DoubleTime, 0.75 HalfTime; 0.01 to 100.</param>
        /// <exception cref="RoxArgumentException"><paramref name="clockRate"/> is outside 0.01..100 or NaN, or a note
        /// is further than ±2^31 ms from zero (beyond what .osu holds).</exception>
        /// <exception cref="RoxInvalidChartException">A note is in a column beyond the key count.</exception>
        public double StarRating(double clockRate = 1.0)
        {
            using (ChartLease lease = Read())
            {
                return lease.StarRating(clockRate);
            }
        }
    }
}

using System;

namespace RhythmOpenExchange
{
    // What song select shows about a chart: statistics, density, the hashes that identify it, and the
    // osu!mania star rating (docs/analysis.md).
    public sealed unsafe partial class RoxChart
    {
        /// <summary>Note counts, length and drain time, BPMs, note density and holds of the chart as it is now.
        /// O(n); never fails on the chart's content (a chart without notes gives zeros).</summary>
        public RoxChartStatistics GetStatistics()
        {
            using (ChartLease lease = Read())
            {
                return new RoxChartStatistics(lease.GetStats(), lease.CopyStatsArray(true), lease.CopyStatsArray(false));
            }
        }

        /// <summary>The content hash: XXH3-64 of the canonical form (version 1) of the notes and timing.
        /// Equal for charts that play the same, whatever their format or metadata; a library key that survives
        /// conversion.</summary>
        public ulong ContentHash
        {
            get
            {
                using (ChartLease lease = Read())
                {
                    return lease.ContentHash();
                }
            }
        }

        /// <summary>The density curve: played notes starting in each of <paramref name="buckets"/> equal slices
        /// from the first note's start to the last note's end.</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="buckets"/> is negative.</exception>
        public int[] GetDensity(int buckets)
        {
            if (buckets < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(buckets), buckets, "the bucket count cannot be negative");
            }
            using (ChartLease lease = Read())
            {
                return lease.Density(buckets);
            }
        }

        /// <summary>The most played notes starting within any window of <paramref name="windowUs"/> microseconds,
        /// per second; 0 for a window that is not positive or a chart that lasts no time.
        /// <see cref="RoxChartStatistics.MaxNps"/> is this for one second.</summary>
        public double GetMaxNps(long windowUs)
        {
            using (ChartLease lease = Read())
            {
                return lease.MaxNps(windowUs);
            }
        }

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

        /// <summary>The MD5 of a file's bytes: the key osu! and Quaver give a chart's leaderboard.</summary>
        /// <returns>16 bytes.</returns>
        public static byte[] FileMd5(ReadOnlySpan<byte> data)
        {
            RoxLibrary.EnsureLoaded();
            return Interop.FileMd5(data);
        }
    }
}

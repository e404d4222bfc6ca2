using System;

namespace RhythmOpenExchange
{
    // Timing points: tempo, scroll speed, stops, delays and warps; the timeline built from them.
    public sealed unsafe partial class RoxChart
    {
        /// <summary>Number of timing points.</summary>
        public int TimingPointCount
        {
            get
            {
                using (ChartLease lease = Read())
                {
                    return lease.TimingCount();
                }
            }
        }

        /// <summary>All timing points, sorted by time.</summary>
        public RoxTimingPoint[] GetTimingPoints()
        {
            using (ChartLease lease = Read())
            {
                var points = new RoxTimingPoint[lease.TimingCount()];
                lease.CopyTimingPoints(points, 0);
                return points;
            }
        }

        /// <summary>Copies timing points from index <paramref name="start"/> into <paramref name="destination"/>.</summary>
        /// <returns>How many were copied.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="start"/> is negative.</exception>
        /// <exception cref="RoxArgumentException"><paramref name="start"/> is beyond <see cref="TimingPointCount"/>.</exception>
        public int CopyTimingPoints(Span<RoxTimingPoint> destination, int start = 0)
        {
            CheckStart(start);
            using (ChartLease lease = Read())
            {
                return lease.CopyTimingPoints(destination, start);
            }
        }

        /// <summary>The timing points in place, without copying them, as <see cref="ViewNotes"/> gives the
        /// notes; dispose the view to release the chart's read lock.</summary>
        public RoxChartView<RoxTimingPoint> ViewTimingPoints()
        {
            ChartLease lease = Read();
            try
            {
                int count;
                RoxTimingPoint* points = lease.ViewTimingPoints(out count);
                return new RoxChartView<RoxTimingPoint>(lease, points, count);
            }
            catch
            {
                lease.Dispose();
                throw;
            }
        }

        /// <summary>Adds one timing point; the chart keeps them sorted by time.</summary>
        /// <exception cref="RoxArgumentException">Unknown kind, or a field the kind does not use is not 0.</exception>
        /// <exception cref="RoxInvalidChartException">Non-positive BPM, non-finite value, negative stop or delay, time out of range.</exception>
        public void AddTimingPoint(RoxTimingPoint point)
        {
            AddTimingPoints(new ReadOnlySpan<RoxTimingPoint>(&point, 1));
        }

        /// <summary>Adds timing points, all or none (see <see cref="AddTimingPoint"/> for the checks).</summary>
        public void AddTimingPoints(ReadOnlySpan<RoxTimingPoint> points)
        {
            using (ChartLease lease = Write())
            {
                lease.AddTimingPoints(points);
            }
        }

        /// <summary>Adds a tempo change.</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="meter"/> is negative.</exception>
        public void AddBpm(long timeUs, double bpm, int meter = 4)
        {
            if (meter < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(meter), meter, "meter cannot be negative");
            }
            AddTimingPoint(RoxTimingPoint.CreateBpm(timeUs, bpm, (uint)meter));
        }

        /// <summary>Adds a scroll speed change (1.0 is normal speed).</summary>
        public void AddScroll(long timeUs, double multiplier)
        {
            AddTimingPoint(RoxTimingPoint.CreateScroll(timeUs, multiplier));
        }

        /// <summary>The format this chart was first read from (a .rox file keeps the original's), so that it
        /// scrolls by its own game's rules (<see cref="CreateTimeline"/>); <see cref="RoxFormat.Auto"/> for a chart
        /// built in code. Converting to another game reports, as <see cref="RoxLossKind.TimingChanged"/>, how far
        /// notes then scroll from where the chart's own game puts them.</summary>
        public RoxFormat SourceFormat
        {
            get
            {
                using (ChartLease lease = Read())
                {
                    RoxTimelineRules rules;
                    return lease.SourceFormat(out rules);
                }
            }
        }

        /// <summary>Builds the timeline of this chart as it is now (beats, bar lines, snaps, scroll positions),
        /// under one game's rules. O(n log n); later edits of the chart do not change it.</summary>
        /// <param name="rules">Whose game's rules; by default those of the game the chart was made for
        /// (<see cref="SourceFormat"/>; osu!'s for a chart built in code).</param>
        /// <param name="scroll">How speed changes move notes.</param>
        /// <exception cref="RoxInvalidChartException">The chart has notes but no usable BPM, or a time beyond
        /// ±<see cref="RoxLimits.MaxAbsTimeUs"/>.</exception>
        /// <exception cref="RoxArgumentException"><paramref name="rules"/> or <paramref name="scroll"/> is not a defined value.</exception>
        public RoxTimeline CreateTimeline(RoxTimelineRules? rules = null, RoxScrollAlgorithm scroll = RoxScrollAlgorithm.Sequential)
        {
            using (ChartLease lease = Read())
            {
                RoxTimelineRules own;
                lease.SourceFormat(out own);
                int noteCount = lease.NoteCount();
                return new RoxTimeline(lease.NewTimeline(rules ?? own, scroll), noteCount);
            }
        }

        /// <summary>Removes every timing point.</summary>
        public void ClearTimingPoints()
        {
            using (ChartLease lease = Write())
            {
                lease.ClearTimingPoints();
            }
        }
    }
}

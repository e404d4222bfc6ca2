using System;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace RhythmOpenExchange.Tests
{
    /// <summary>RoxChart.GetStatistics, GetDensity, GetMaxNps, ContentHash and FileMd5: worked values on a
    /// hand-made chart, and the corpus chart pinned in tests/analysis.rs.</summary>
    [TestFixture]
    public class AnalysisTests
    {
        /// <summary>120 BPM: a chord of two at 0 ms, a 1 s hold at 500 ms, a mine at 700 ms, a tap at 3 s.</summary>
        private static RoxChart Fixture()
        {
            var chart = new RoxChart(4);
            chart.AddBpm(0, 120.0);
            chart.AddNote(0, 0);
            chart.AddNote(0, 1);
            chart.AddNote(500000, 2, RoxNoteKind.Hold, 1000000);
            chart.AddNote(700000, 3, RoxNoteKind.Mine);
            chart.AddNote(3000000, 3);
            return chart;
        }

        [Test]
        public void WorkedStatistics()
        {
            using (RoxChart chart = Fixture())
            {
                RoxChartStatistics s = chart.GetStatistics();
                Assert.That(new[] { s.TapCount, s.HoldCount, s.MineCount, s.RollCount }, Is.EqualTo(new long[] { 3, 1, 1, 0 }));
                Assert.That(s.ColumnCounts.ToArray(), Is.EqualTo(new[] { 1, 1, 1, 1 }), "the mine is not played");
                Assert.That(s.ChordSizes.ToArray(), Is.EqualTo(new[] { 0, 2, 1 }));
                Assert.That(s.FirstNoteUs, Is.EqualTo(0));
                Assert.That(s.LastNoteEndUs, Is.EqualTo(3000000));
                Assert.That(s.LengthUs, Is.EqualTo(3000000));
                // The gap 1500..3000 ms is 1500 ms: a break needs 200 + 650 + max(450, 2 beats = 1000) ms.
                Assert.That(s.BreakUs, Is.EqualTo(0));
                Assert.That(s.DrainUs, Is.EqualTo(3000000));
                Assert.That(new[] { s.MinBpm, s.MaxBpm, s.DominantBpm }, Is.EqualTo(new[] { 120.0, 120.0, 120.0 }));
                Assert.That(s.AverageNps, Is.EqualTo(4 / 3.0));
                Assert.That(s.MaxNps, Is.EqualTo(3.0), "0, 0 and 500 ms within one second");
                Assert.That(s.LongestHoldUs, Is.EqualTo(1000000));
                Assert.That(s.MaxSimultaneousHolds, Is.EqualTo(1));
                Assert.That(chart.GetDensity(3), Is.EqualTo(new[] { 3, 0, 1 }));
                Assert.That(chart.GetDensity(0), Is.Empty);
                Assert.That(chart.GetMaxNps(2000000), Is.EqualTo(1.5));
                Assert.Throws<ArgumentOutOfRangeException>(() => chart.GetDensity(-1));
            }
        }

        [Test]
        public void AnEmptyChartGivesZeros()
        {
            using (var chart = new RoxChart(7))
            {
                RoxChartStatistics s = chart.GetStatistics();
                Assert.That(s.LengthUs, Is.EqualTo(0));
                Assert.That(s.AverageNps, Is.EqualTo(0.0));
                Assert.That(s.DominantBpm, Is.EqualTo(0.0));
                Assert.That(s.ColumnCounts.Count, Is.EqualTo(7));
                Assert.That(s.ChordSizes.Count, Is.EqualTo(0));
            }
        }

        [Test]
        public void ContentHashIgnoresMetadataButNotNotes()
        {
            using (RoxChart chart = Fixture())
            {
                ulong hash = chart.ContentHash;
                chart.Title = "Another title";
                Assert.That(chart.ContentHash, Is.EqualTo(hash));
                chart.AddNote(4000000, 0);
                Assert.That(chart.ContentHash, Is.Not.EqualTo(hash));
            }
        }

        [Test]
        public void CorpusChartHashes()
        {
            byte[] data = File.ReadAllBytes(Corpus.File("osu/mania_7k.osu"));
            // `md5sum mania_7k.osu`; the content hash is pinned in tests/analysis.rs.
            Assert.That(BitConverter.ToString(RoxChart.FileMd5(data)).Replace("-", ""),
                Is.EqualTo("72CD6089C79DE622482C63FB6D1BC602"));
            using (RoxChart chart = RoxChart.Decode(data))
            {
                Assert.That(chart.ContentHash, Is.EqualTo(0x7035726c2ab864efUL));
                Assert.That(chart.GetStatistics().DominantBpm, Is.EqualTo(186.0).Within(1e-9));
            }
        }

        [Test]
        public void Md5OfKnownVectors()
        {
            // RFC 1321, appendix A.5.
            Assert.That(BitConverter.ToString(RoxChart.FileMd5(new byte[0])), Is.EqualTo("D4-1D-8C-D9-8F-00-B2-04-E9-80-09-98-EC-F8-42-7E"));
            Assert.That(BitConverter.ToString(RoxChart.FileMd5(new byte[] { 0x61, 0x62, 0x63 })),
                Is.EqualTo("90-01-50-98-3C-D2-4F-B0-D6-96-3F-7D-28-E1-7F-72"));
        }
    }
}

using System;
using System.Text;
using NUnit.Framework;

namespace RhythmOpenExchange.Tests
{
    /// <summary>Decode limits: the native defaults, a caller's own limits, and what is refused.</summary>
    [TestFixture]
    public class LimitsTests
    {
        // Three rows of four notes: 12 notes.
        private static readonly byte[] Sm = Encoding.UTF8.GetBytes(
            "#BPMS:0=120;\n#NOTES:dance-single::Hard:1::\n1111\n1111\n1111\n;\n");

        [Test]
        public void DefaultsComeFromTheNativeLibrary()
        {
            var limits = new RoxDecodeLimits();
            Assert.That(limits.MaxNotes, Is.EqualTo(1000000));
            Assert.That(limits.MaxTimingPoints, Is.EqualTo(500000));
            Assert.That(limits.MaxTextBytes, Is.EqualTo(32L << 20));
            Assert.That(limits.MaxCharts, Is.EqualTo(1000));
            Assert.That(RoxLimits.StringCost, Is.EqualTo(24));
        }

        [Test]
        public void AChartAtTheLimitDecodesAndOneNoteMoreIsRefused()
        {
            var limits = new RoxDecodeLimits { MaxNotes = 12 };
            using (RoxChart chart = RoxChart.Decode(Sm, RoxFormat.Auto, limits))
            {
                Assert.That(chart.NoteCount, Is.EqualTo(12));
            }
            limits.MaxNotes = 11;
            var e = Assert.Throws<RoxCorruptDataException>(() => RoxChart.Decode(Sm, RoxFormat.Auto, limits));
            Assert.That(e.Message.Contains("max_notes"), Is.True, e.Message);
            Assert.That(e.Status, Is.EqualTo(RoxStatus.CorruptData));
            Assert.Throws<RoxCorruptDataException>(() => RoxChartSet.Decode(Sm, RoxFormat.Auto, limits));
            limits.MaxNotes = 12;
            limits.MaxCharts = 0;
            e = Assert.Throws<RoxCorruptDataException>(() => RoxChartSet.Decode(Sm, RoxFormat.Auto, limits));
            Assert.That(e.Message.Contains("max_charts"), Is.True, e.Message);
        }

        [Test]
        public void NegativeLimitsAreRefusedBeforeAnyNativeCall()
        {
            var limits = new RoxDecodeLimits { MaxTimingPoints = -1 };
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => RoxChart.Decode(Sm, RoxFormat.Auto, limits));
            Assert.That(e.ParamName, Is.EqualTo("MaxTimingPoints"));
        }
    }
}

using System;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace RhythmOpenExchange.Tests
{
    /// <summary>Decode options: a Friday Night Funkin' chart's sides, an osu!taiko map's layout, limits, and
    /// what is refused.</summary>
    [TestFixture]
    public unsafe class DecodeOptionsTests
    {
        private static int[] Columns(RoxChartSet set)
        {
            using (RoxChart chart = set.GetChart(0))
            {
                return chart.GetNotes().Select(n => (int)n.Column).ToArray();
            }
        }

        [Test]
        public void DefaultsComeFromTheNativeLibrary()
        {
            var options = new RoxDecodeOptions();
            Assert.That(options.FnfSides, Is.EqualTo(RoxFnfSides.Player));
            Assert.That(options.TaikoLayout, Is.EqualTo(RoxTaikoLayout.Kddk));
            Assert.That(options.Limits.MaxNotes, Is.EqualTo(new RoxDecodeLimits().MaxNotes));
            Assert.That(sizeof(Native.RoxDecodeOptions), Is.EqualTo(56));
        }

        [Test]
        public void FnfSidesChooseTheLanes()
        {
            byte[] file = File.ReadAllBytes(Corpus.Fixture("fnf/psych.json"));
            int player, opponent;
            using (RoxChartSet set = RoxChartSet.Decode(file, RoxFormat.Auto, new RoxDecodeOptions()))
            using (RoxChartSet plain = RoxChartSet.Decode(file))
            {
                Assert.That(set[0].KeyCount, Is.EqualTo(4));
                Assert.That(Columns(set), Is.EqualTo(Columns(plain)));
                player = Columns(set).Length;
            }
            var options = new RoxDecodeOptions { FnfSides = RoxFnfSides.Opponent };
            using (RoxChartSet set = RoxChartSet.Decode(file, RoxFormat.Fnf, options))
            {
                Assert.That(set[0].KeyCount, Is.EqualTo(4));
                opponent = Columns(set).Length;
            }
            options.FnfSides = RoxFnfSides.Both;
            using (RoxChartSet set = RoxChartSet.Decode(new ReadOnlySpan<byte>(file), RoxFormat.Auto, options))
            {
                Assert.That(set[0].KeyCount, Is.EqualTo(8));
                Assert.That(Columns(set).Length, Is.EqualTo(player + opponent));
                Assert.That(Columns(set).Any(c => c >= 4), Is.True);
            }
        }

        [Test]
        public void ReadInfoTakesTheSameOptions()
        {
            byte[] file = File.ReadAllBytes(Corpus.Fixture("fnf/psych.json"));
            var options = new RoxDecodeOptions { FnfSides = RoxFnfSides.Both };
            using (RoxChartSet set = RoxChartSet.ReadInfo(file, RoxFormat.Auto, options))
            using (RoxChart chart = set.GetChart(0))
            {
                Assert.That(chart.KeyCount, Is.EqualTo(8));
                Assert.That(chart.NoteCount, Is.EqualTo(0));
            }
            Assert.Throws<ArgumentNullException>(() => RoxChartSet.ReadInfo(file, RoxFormat.Auto, (RoxDecodeOptions)null));
        }

        // tests/fixtures/osu/taiko.osu: don, kat (whistle), kat (clap), don, big don, don, big kat, kat; a drumroll,
        // two swells, three dons at once (one dropped).
        [TestCase(RoxTaikoLayout.Kddk, new[] { 1, 3, 0, 2, 1, 2, 1, 0, 3, 0, 1, 2 })]
        [TestCase(RoxTaikoLayout.Ddkk, new[] { 0, 3, 2, 1, 0, 1, 0, 2, 3, 2, 0, 1 })]
        public void TaikoLayoutsPlaceTheHits(RoxTaikoLayout layout, int[] columns)
        {
            byte[] file = File.ReadAllBytes(Corpus.Fixture("osu/taiko.osu"));
            var options = new RoxDecodeOptions { TaikoLayout = layout };
            using (RoxChartSet set = RoxChartSet.Decode(file, RoxFormat.Auto, options))
            {
                Assert.That(set[0].KeyCount, Is.EqualTo(4));
                Assert.That(Columns(set), Is.EqualTo(columns));
                var dropped = set.Report.Entries.Where(e => e.Kind == RoxLossKind.NoteDropped).Select(e => e.TimeUs);
                Assert.That(dropped, Is.EqualTo(new long?[] { 2000000, 3000000, 4000000, 5000000 }));
            }
        }

        [Test]
        public void BadOptionsAreRefused()
        {
            byte[] file = File.ReadAllBytes(Corpus.Fixture("osu/taiko.osu"));
            Assert.Throws<ArgumentNullException>(() => RoxChartSet.Decode(file, RoxFormat.Auto, (RoxDecodeOptions)null));
            var options = new RoxDecodeOptions { TaikoLayout = (RoxTaikoLayout)7 };
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => RoxChartSet.Decode(file, RoxFormat.Auto, options));
            Assert.That(e.ParamName, Is.EqualTo("TaikoLayout"));
            options = new RoxDecodeOptions { Limits = new RoxDecodeLimits { MaxNotes = 3 } };
            var limit = Assert.Throws<RoxCorruptDataException>(() => RoxChartSet.Decode(file, RoxFormat.Auto, options));
            Assert.That(limit.Message.Contains("max_notes"), Is.True, limit.Message);
            options = new RoxDecodeOptions { Limits = null };
            using (RoxChartSet set = RoxChartSet.Decode(file, RoxFormat.Auto, options))
            {
                Assert.That(set.Count, Is.EqualTo(1));
            }
            string standard = File.ReadAllText(Corpus.Fixture("osu/taiko.osu")).Replace("Mode: 1", "Mode: 0");
            var notMania = Assert.Throws<RoxFormatException>(
                () => RoxChartSet.Decode(System.Text.Encoding.UTF8.GetBytes(standard), RoxFormat.Auto, new RoxDecodeOptions()));
            Assert.That(notMania.Message.Contains("osu!standard"), Is.True, notMania.Message);
        }
    }
}

using NUnit.Framework;

namespace RhythmOpenExchange.Tests
{
    /// <summary>Pattern sections and shares (tests/patterns.rs checks the classes in depth).</summary>
    [TestFixture]
    public class PatternTests
    {
        /// <summary>A 1/4 note at 180 BPM, rounded up so that 6 fill a 0.5 s window exactly.</summary>
        private const long Step = 83334;

        /// <summary>A 4K stream of 96 notes, then a one-hand trill of 96.</summary>
        private static RoxChart StreamThenTrill()
        {
            var chart = new RoxChart(4);
            for (int i = 0; i < 192; i++)
            {
                chart.AddNote(i * Step, i < 96 ? i % 4 : i % 2);
            }
            return chart;
        }

        [Test]
        public void StreamThenTrill_TwoSections()
        {
            using (RoxChart chart = StreamThenTrill())
            {
                RoxPatternSection[] sections = chart.GetPatterns();
                Assert.That(sections.Length, Is.EqualTo(2));
                Assert.That(sections[0].Kind, Is.EqualTo(RoxPatternKind.Stream));
                Assert.That(sections[0].StartUs, Is.EqualTo(0));
                Assert.That(sections[0].EndUs, Is.EqualTo(95 * Step));
                Assert.That(sections[0].Notes, Is.EqualTo(96));
                Assert.That(sections[1].Kind, Is.EqualTo(RoxPatternKind.Technical));
                Assert.That(sections[1].StartUs, Is.EqualTo(96 * Step));

                double[] shares = chart.GetPatternShares();
                Assert.That(shares.Length, Is.EqualTo(6));
                Assert.That(shares[(int)RoxPatternKind.Stream], Is.EqualTo(0.5));
                Assert.That(shares[(int)RoxPatternKind.Technical], Is.EqualTo(0.5));
                Assert.That(shares[(int)RoxPatternKind.Jack], Is.EqualTo(0.0));
            }
        }

        [Test]
        public void NoNotesOrNoWindow_Empty()
        {
            using (RoxChart empty = new RoxChart(4))
            using (RoxChart chart = StreamThenTrill())
            {
                Assert.That(empty.GetPatterns(), Is.Empty);
                Assert.That(empty.GetPatternShares(), Is.EqualTo(new double[6]));
                Assert.That(chart.GetPatterns(0), Is.Empty);
                Assert.That(chart.GetPatterns(-5), Is.Empty);
            }
        }

        [Test]
        public void CorpusChart_SectionsInOrder()
        {
            using (RoxChart chart = RoxChart.Load(Corpus.File("osu/mania_7k.osu")))
            {
                RoxPatternSection[] sections = chart.GetPatterns(1000000);
                Assert.That(sections.Length, Is.GreaterThan(1));
                for (int i = 0; i < sections.Length; i++)
                {
                    Assert.That(sections[i].EndUs, Is.GreaterThanOrEqualTo(sections[i].StartUs));
                    if (i > 0)
                    {
                        Assert.That(sections[i].StartUs, Is.GreaterThan(sections[i - 1].EndUs));
                    }
                }
                double sum = 0;
                foreach (double share in chart.GetPatternShares(1000000))
                {
                    sum += share;
                }
                Assert.That(sum, Is.GreaterThan(0.5).And.LessThanOrEqualTo(1.0 + 1e-9));
            }
        }
    }
}

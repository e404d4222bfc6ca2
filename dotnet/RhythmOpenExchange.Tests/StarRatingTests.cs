using NUnit.Framework;

namespace RhythmOpenExchange.Tests
{
    /// <summary>The osu!mania star rating.</summary>
    [TestFixture]
    public class StarRatingTests
    {
        /// <summary>rosu-pp 4.0.1's star rating of the corpus map (tests/star_rating.rs checks every map).</summary>
        [TestCase(1.0, 4.7214608353704985)]
        [TestCase(1.5, 6.650657997403625)]
        [TestCase(0.75, 3.742851847411891)]
        public void StarRatingMatchesRosuPp(double clockRate, double rosuPp)
        {
            using (RoxChart chart = RoxChart.Load(Corpus.File("osu/mania_4k.osu")))
            {
                Assert.That(chart.StarRating(clockRate), Is.EqualTo(rosuPp).Within(rosuPp * 1e-6));
            }
        }

        [Test]
        public void NormalSpeedByDefault()
        {
            using (RoxChart chart = new RoxChart(4))
            {
                Assert.That(chart.StarRating(), Is.EqualTo(0.0), "no notes");
                chart.AddNote(0, 0);
                chart.AddNote(250000, 1);
                chart.AddNote(400000, 2, RoxNoteKind.Hold, 300000);
                Assert.That(chart.StarRating(), Is.GreaterThan(0.0));
                Assert.That(chart.StarRating(), Is.EqualTo(chart.StarRating(1.0)));
                Assert.That(chart.StarRating(1.5), Is.GreaterThan(chart.StarRating()));
            }
        }

        [TestCase(double.NaN)]
        [TestCase(0.0)]
        [TestCase(-1.0)]
        [TestCase(1000.0)]
        public void BadClockRatesThrow(double clockRate)
        {
            using (RoxChart chart = new RoxChart(4))
            {
                Assert.Throws<RoxArgumentException>(() => chart.StarRating(clockRate));
            }
        }
    }
}

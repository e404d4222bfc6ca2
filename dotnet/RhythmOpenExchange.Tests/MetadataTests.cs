using System;
using System.Reflection;
using NUnit.Framework;

namespace RhythmOpenExchange.Tests
{
    /// <summary>Metadata is read from the native chart once and then served from a snapshot that setters replace.</summary>
    [TestFixture]
    public class MetadataTests
    {
        [Test]
        public void GettersFollowSetters()
        {
            using (var chart = new RoxChart(4))
            {
                Assert.That(chart.Title, Is.EqualTo(""), "read (and cached) before the set");
                RoxChartMetadata before = chart.Metadata;
                chart.Title = "タイトル";
                chart.Style = "pump-halfdouble";
                chart.KeyCount = 7;
                chart.PreviewTimeUs = 1500;
                chart.HpDrain = 8.5;
                Assert.That(chart.Title, Is.EqualTo("タイトル"));
                Assert.That(chart.Style, Is.EqualTo("pump-halfdouble"));
                Assert.That(chart.KeyCount, Is.EqualTo(7));
                Assert.That(chart.PreviewTimeUs, Is.EqualTo(1500));
                Assert.That(chart.HpDrain, Is.EqualTo(8.5));
                Assert.That(before.Title, Is.EqualTo(""), "a snapshot does not change");
                Assert.That(before.KeyCount, Is.EqualTo(4));

                chart.PreviewTimeUs = null;
                Assert.That(chart.PreviewTimeUs, Is.Null);
                Assert.That(chart.HpDrain, Is.EqualTo(8.5), "clearing one value keeps the others");
                Assert.Throws<ArgumentNullException>(() => chart.Title = null);
            }
        }

        [Test]
        public void EveryStringSetterRefusesALoneSurrogate()
        {
            string[] lone = { "\ud800", "a\udc00", "x\ud83c", "\udfb5\ud83c" };
            using (var chart = new RoxChart(4))
            {
                int checkedSetters = 0;
                foreach (PropertyInfo property in typeof(RoxChart).GetProperties())
                {
                    if (property.PropertyType != typeof(string) || !property.CanWrite)
                    {
                        continue;
                    }
                    property.SetValue(chart, "ok \ud83c\udfb5");
                    foreach (string value in lone)
                    {
                        var e = Assert.Throws<ArgumentException>(() => SetUnwrapped(property, chart, value));
                        Assert.That(e.ParamName, Is.EqualTo(property.Name));
                        Assert.That(e.Message.Contains("lone UTF-16 surrogate"), Is.True, e.Message);
                    }
                    Assert.That(property.GetValue(chart), Is.EqualTo("ok \ud83c\udfb5"), property.Name + " is unchanged");
                    checkedSetters++;
                }
                Assert.That(checkedSetters, Is.EqualTo(14), "every metadata string");
            }
        }

        private static void SetUnwrapped(PropertyInfo property, RoxChart chart, string value)
        {
            try
            {
                property.SetValue(chart, value);
            }
            catch (TargetInvocationException e)
            {
                throw e.InnerException;
            }
        }

        [Test]
        public void CopiesAndDecodedChartsHaveTheirOwnMetadata()
        {
            using (var chart = new RoxChart(4) { Title = "original", ChartId = 42 })
            {
                chart.AddBpm(0, 120);
                using (RoxChart copy = chart.Clone())
                using (RoxChart decoded = RoxChart.Decode(chart.Encode(RoxFormat.Rox)))
                {
                    copy.Title = "copy";
                    Assert.That(chart.Title, Is.EqualTo("original"));
                    Assert.That(copy.Title, Is.EqualTo("copy"));
                    Assert.That(copy.ChartId, Is.EqualTo(42));
                    Assert.That(decoded.Title, Is.EqualTo("original"));
                    Assert.That(decoded.ChartId, Is.EqualTo(42));
                }
                chart.KeyCount = 5;
                using (RoxChart copy = chart.Clone())
                {
                    Assert.That(copy.KeyCount, Is.EqualTo(5), "a copy made after a set");
                }
            }
        }

        [Test]
        public void GettersAllocateNothing()
        {
            Func<long> allocated = AllocationCounter.ForCurrentThread();
            using (var chart = new RoxChart(4) { Title = "title", DifficultyName = "Hard", PreviewTimeUs = 250 })
            {
                long sum = ReadAll(chart); // the first read fills the cache and compiles the getters
                long before = allocated();
                for (int i = 0; i < 100; i++)
                {
                    sum += ReadAll(chart);
                }
                long after = allocated();
                Assert.That(after - before, Is.EqualTo(0), "bytes allocated by 100 rounds of getters");
                Assert.That(sum, Is.EqualTo(101 * ReadAll(chart)));
            }
        }

        private static long ReadAll(RoxChart chart)
        {
            return chart.Title.Length + chart.DifficultyName.Length + chart.Artist.Length + chart.KeyCount +
                   (chart.HasScratch ? 1 : 0) + chart.PreviewTimeUs.GetValueOrDefault() + (chart.ChartId ?? 0) +
                   (long)(chart.HpDrain ?? 0);
        }
    }
}

using System;
using System.Runtime.InteropServices;
using System.Threading;
using NUnit.Framework;

namespace RhythmOpenExchange.Tests
{
    /// <summary>Notes and timing points read in place through <see cref="RoxChartView{T}"/>.</summary>
    [TestFixture]
    public class ViewTests
    {
        private static RoxChart LoadBigChart()
        {
            return RoxChart.Load(Corpus.File("osu/mania_4K_50K_notes.osu"));
        }

        [Test]
        public void ViewsHoldWhatCopiesHold()
        {
            using (RoxChart chart = LoadBigChart())
            {
                RoxNote[] notes = chart.GetNotes();
                RoxTimingPoint[] points = chart.GetTimingPoints();
                Assert.That(notes.Length, Is.GreaterThan(50000));
                using (RoxChartView<RoxNote> view = chart.ViewNotes())
                {
                    Assert.That(view.Items.ToArray(), Is.EqualTo(notes));
                }
                using (RoxChartView<RoxTimingPoint> view = chart.ViewTimingPoints())
                {
                    Assert.That(view.Items.ToArray(), Is.EqualTo(points));
                }
            }
        }

        [Test]
        public void AnEmptyChartHasEmptyViews()
        {
            using (var chart = new RoxChart(4))
            using (RoxChartView<RoxNote> view = chart.ViewNotes())
            {
                Assert.That(view.Items.Length, Is.EqualTo(0));
            }
        }

        [Test]
        public void AMutationFromAnotherThreadWaitsUntilTheViewIsDisposed()
        {
            using (var chart = new RoxChart(4))
            {
                chart.AddNote(1000, 0);
                var writer = new Thread(() => chart.AddNote(500, 1));
                using (RoxChartView<RoxNote> view = chart.ViewNotes())
                {
                    writer.Start();
                    Assert.That(writer.Join(300), Is.False, "the writer finished while the view was open");
                    RoxNote[] seen = view.Items.ToArray();
                    Assert.That(seen.Length, Is.EqualTo(1));
                    Assert.That(seen[0].TimeUs, Is.EqualTo(1000));
                }
                Assert.That(writer.Join(10000), Is.True, "the writer still waits after the view was disposed");
                RoxNote[] notes = chart.GetNotes();
                Assert.That(notes.Length, Is.EqualTo(2));
                using (RoxChartView<RoxNote> view = chart.ViewNotes())
                {
                    Assert.That(view.Items.ToArray(), Is.EqualTo(notes));
                }
            }
        }

        [Test]
        public void OtherThreadsReadWhileAViewIsOpen()
        {
            using (var chart = new RoxChart(4))
            {
                chart.AddNote(1000, 0);
                int count = -1;
                using (chart.ViewNotes())
                {
                    var reader = new Thread(() => count = chart.GetNotes().Length);
                    reader.Start();
                    Assert.That(reader.Join(10000), Is.True);
                }
                Assert.That(count, Is.EqualTo(1));
            }
        }

        [Test]
        public void TheThreadHoldingAViewCannotCallTheChart()
        {
            using (var chart = new RoxChart(4))
            {
                chart.AddNote(1000, 0);
                using (chart.ViewNotes())
                {
                    Assert.Throws<LockRecursionException>(() => chart.ClearNotes());
                    Assert.Throws<LockRecursionException>(() => chart.GetNotes());
                }
                Assert.That(chart.NoteCount, Is.EqualTo(1));
            }
        }

        [Test]
        public void ReadingEveryNoteThroughAViewAllocatesNothing()
        {
            Func<long> allocated = AllocationCounter.ForCurrentThread();
            using (RoxChart chart = LoadBigChart())
            {
                long once = SumOfTimes(chart); // builds the native array, compiles the path
                long sum = 0;
                long before = allocated();
                for (int i = 0; i < 10; i++)
                {
                    sum += SumOfTimes(chart);
                }
                long after = allocated();
                Assert.That(after - before, Is.EqualTo(0), "bytes allocated by 10 reads of every note");
                Assert.That(sum, Is.EqualTo(10 * once));
            }
        }

        /// <summary>Reads through a pointer: the span's indexer, as mcs compiles it against Mono's System.Memory,
        /// does not bind on CoreCLR (its <c>ref readonly</c> return lacks the modifier CoreCLR's has).</summary>
        private static unsafe long SumOfTimes(RoxChart chart)
        {
            using (RoxChartView<RoxNote> view = chart.ViewNotes())
            {
                ReadOnlySpan<RoxNote> notes = view.Items;
                long sum = 0;
                fixed (RoxNote* first = &MemoryMarshal.GetReference(notes))
                {
                    for (int i = 0; i < notes.Length; i++)
                    {
                        sum += first[i].TimeUs;
                    }
                }
                return sum;
            }
        }
    }
}

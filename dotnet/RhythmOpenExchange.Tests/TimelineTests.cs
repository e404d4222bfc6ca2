using System;
using System.Linq;
using System.Threading;
using NUnit.Framework;

namespace RhythmOpenExchange.Tests
{
    /// <summary>RoxTimeline: worked values on a hand-made chart, consistency on corpus charts, errors,
    /// disposal, and allocation-free batch queries.</summary>
    [TestFixture]
    public class TimelineTests
    {
        private static readonly byte[] Snaps = { 0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 192 };

        /// <summary>120 BPM from 0 (a beat every 500 ms), four columns, no speed changes.</summary>
        private static RoxChart Fixture()
        {
            var chart = new RoxChart(4);
            chart.AddBpm(0, 120.0);
            chart.AddNote(0, 0);
            chart.AddNote(125000, 1);                           // beat 1/4
            chart.AddNote(166667, 2);                           // beat 1/3, within osu!'s 1 ms
            chart.AddNote(250000, 3, RoxNoteKind.Hold, 750000); // beat 1/2, held to beat 2
            chart.AddNote(1001302, 0);                          // halfway between 192nds (2.604 ms): on no grid
            return chart;
        }

        [Test]
        public void WorkedValuesAt120Bpm()
        {
            using (RoxChart chart = Fixture())
            using (RoxTimeline timeline = chart.CreateTimeline())
            {
                Assert.That(timeline.BeatAt(500000), Is.EqualTo(1.0));
                Assert.That(timeline.BeatAt(-500000), Is.EqualTo(-1.0), "extrapolated from the first BPM");
                Assert.That(timeline.TimeAt(2.0), Is.EqualTo(1000000));
                Assert.That(timeline.TimeAt(0.5), Is.EqualTo(250000));
                // No speed change: positions are milliseconds.
                Assert.That(timeline.PositionAt(750000) - timeline.PositionAt(250000), Is.EqualTo(500.0));
                Assert.That(timeline.BeatAtSeconds(0.5), Is.EqualTo(1.0));
                Assert.That(timeline.BeatAtSeconds(0.0000004), Is.EqualTo(0.0), "0.4 µs rounds to 0");
                Assert.That(timeline.BeatAtSeconds(0.0000005), Is.EqualTo(timeline.BeatAt(1)), "halves round away from zero");
                Assert.That(timeline.PositionAtSeconds(0.25), Is.EqualTo(timeline.PositionAt(250000)));

                Assert.That(timeline.NoteCount, Is.EqualTo(5));
                Assert.That(timeline.GetSnaps(), Is.EqualTo(new byte[] { 1, 4, 3, 2, 0 }));
                RoxNotePosition[] positions = timeline.GetNotePositions();
                Assert.That(positions[3].Start, Is.EqualTo(timeline.PositionAt(250000)));
                Assert.That(positions[3].End - positions[3].Start, Is.EqualTo(750.0));
                Assert.That(positions[0].End, Is.EqualTo(positions[0].Start));
            }
        }

        [Test]
        public void GridLinesFollowTheMeter()
        {
            using (RoxChart chart = Fixture())
            using (RoxTimeline timeline = chart.CreateTimeline())
            {
                RoxGridLine[] lines = timeline.GetGridLines(0, 2000000);
                Assert.That(lines.Select(l => l.TimeUs).ToArray(), Is.EqualTo(new long[] { 0, 500000, 1000000, 1500000, 2000000 }));
                Assert.That(lines.Select(l => l.BeatInMeasure).ToArray(), Is.EqualTo(new[] { 0, 1, 2, 3, 0 }));
                Assert.That(lines.Select(l => l.Measure).ToArray(), Is.EqualTo(new long[] { 0, 0, 0, 0, 1 }));
                Assert.That(lines.Select(l => l.IsBar).ToArray(), Is.EqualTo(new[] { true, false, false, false, true }));
                // Two-call pattern: the count, and as many lines as fit.
                var two = new RoxGridLine[2];
                Assert.That(timeline.CopyGridLines(0, 2000000, two), Is.EqualTo(5));
                Assert.That(two[1].TimeUs, Is.EqualTo(500000));
            }
        }

        [Test]
        public void CopyVariantsMatchTheArrays()
        {
            using (RoxChart chart = Fixture())
            using (RoxTimeline timeline = chart.CreateTimeline())
            {
                var snaps = new byte[10];
                Assert.That(timeline.CopySnaps(snaps, 2), Is.EqualTo(3));
                Assert.That(snaps.Take(3).ToArray(), Is.EqualTo(timeline.GetSnaps().Skip(2).ToArray()));
                var positions = new RoxNotePosition[1];
                Assert.That(timeline.CopyNotePositions(positions, 3), Is.EqualTo(1));
                Assert.That(positions[0].End, Is.EqualTo(timeline.GetNotePositions()[3].End));
                Assert.Throws<ArgumentOutOfRangeException>(() => timeline.CopySnaps(snaps, -1));
                Assert.Throws<RoxArgumentException>(() => timeline.CopySnaps(snaps, 6));
            }
        }

        [Test]
        public void StepManiaSpeedsScaleTheSpacing()
        {
            // tests/fixtures/stepmania/speeds.ssc derives each factor by hand in its comments.
            using (RoxChart chart = RoxChart.Load(Corpus.Fixture("stepmania/speeds.ssc")))
            using (RoxTimeline timeline = chart.CreateTimeline(RoxTimelineRules.StepMania))
            using (RoxTimeline cmod = chart.CreateTimeline(RoxTimelineRules.StepMania, RoxScrollAlgorithm.Constant))
            using (RoxTimeline osu = chart.CreateTimeline(RoxTimelineRules.Osu))
            {
                Assert.That(timeline.SpeedFactorAt(4000000), Is.EqualTo(1.0));
                Assert.That(timeline.SpeedFactorAt(5500000), Is.EqualTo(1.5).Within(1e-12), "halfway, inside a stop");
                Assert.That(timeline.SpeedFactorAtSeconds(9.25), Is.EqualTo(1.625).Within(1e-12), "a quarter of a second-long change");
                Assert.That(timeline.SpeedFactorAtSeconds(30.0), Is.EqualTo(-1.0));
                Assert.That(cmod.SpeedFactorAt(5500000), Is.EqualTo(1.0), "CMod ignores #SPEEDS");
                Assert.That(osu.SpeedFactorAt(5500000), Is.EqualTo(1.0));
                Assert.Throws<RoxArgumentException>(() => timeline.SpeedFactorAt(RoxLimits.MaxAbsTimeUs + 1));
            }
        }

        [TestCase("osu/mania_7k.osu", RoxTimelineRules.Osu)]
        [TestCase("osu/mania_4K_50K_notes.osu", RoxTimelineRules.Osu)]
        [TestCase("quaver/4K.qua", RoxTimelineRules.Quaver)]
        [TestCase("stepmania/4k.sm", RoxTimelineRules.StepMania)]
        public void CorpusChartQueriesAgree(string file, RoxTimelineRules rules)
        {
            using (RoxChart chart = RoxChart.Load(Corpus.File(file)))
            using (RoxTimeline timeline = chart.CreateTimeline(rules))
            {
                RoxNote[] notes = chart.GetNotes();
                long[] times = notes.Select(n => n.TimeUs).ToArray();
                var beats = new double[times.Length];
                var positions = new double[times.Length];
                timeline.GetBeats(times, beats);
                timeline.GetPositions(times, positions);
                for (int i = 0; i < times.Length; i += 1 + times.Length / 500)
                {
                    Assert.That(beats[i], Is.EqualTo(timeline.BeatAt(times[i])));
                    Assert.That(positions[i], Is.EqualTo(timeline.PositionAt(times[i])));
                }
                RoxNotePosition[] notePositions = timeline.GetNotePositions();
                Assert.That(notePositions.Select(p => p.Start).ToArray(), Is.EqualTo(positions));

                byte[] snaps = timeline.GetSnaps();
                Assert.That(snaps.Length, Is.EqualTo(notes.Length));
                Assert.That(snaps.All(s => Snaps.Contains(s)), Is.True);
                if (rules == RoxTimelineRules.StepMania)
                {
                    // A simfile places every note on a row of a 192nd beat.
                    Assert.That(snaps.All(s => s != 0), Is.True);
                }

                RoxTimingPoint firstBpm = chart.GetTimingPoints().First(p => p.Kind == RoxTimingKind.Bpm);
                RoxGridLine first = timeline.GetGridLines(firstBpm.TimeUs, firstBpm.TimeUs + 10000000)[0];
                Assert.That(first.TimeUs, Is.EqualTo(firstBpm.TimeUs));
                Assert.That(first.IsBar, Is.True);
                Assert.That(first.BeatInMeasure, Is.EqualTo(0));
            }
        }

        [Test]
        public void Mania7kWorkedBeats()
        {
            // First red line: 404 ms, 322.58064516129 ms a beat.
            using (RoxChart chart = RoxChart.Load(Corpus.File("osu/mania_7k.osu")))
            using (RoxTimeline timeline = chart.CreateTimeline())
            {
                Assert.That(timeline.BeatAt(404000), Is.EqualTo(0.0));
                Assert.That(timeline.TimeAt(1.0), Is.EqualTo(726581));
                Assert.That(timeline.TimeAt(-1.0), Is.EqualTo(81419));
                foreach (RoxNote note in chart.GetNotes())
                {
                    Assert.That(Math.Abs(timeline.TimeAt(timeline.BeatAt(note.TimeUs)) - note.TimeUs), Is.LessThanOrEqualTo(1));
                }
            }
        }

        [Test]
        public void StepManiaWorkedBeats()
        {
            // #OFFSET:-0.061 puts beat 0 at 61 ms; #BPMS:0.000=210.000 makes a beat 60/210 s.
            using (RoxChart chart = RoxChart.Load(Corpus.File("stepmania/4k.sm")))
            using (RoxTimeline timeline = chart.CreateTimeline(RoxTimelineRules.StepMania))
            {
                Assert.That(timeline.TimeAt(0.0), Is.EqualTo(61000));
                Assert.That(timeline.BeatAt(61000), Is.EqualTo(0.0));
                Assert.That(timeline.TimeAt(4.0), Is.EqualTo(1203857));
                Assert.That(timeline.BeatAtSeconds(0.061 + 60.0 / 210.0), Is.EqualTo(1.0).Within(1e-5));
            }
        }

        [Test]
        public void ConcurrentQueriesAgree()
        {
            using (RoxChart chart = RoxChart.Load(Corpus.File("osu/mania_4K_50K_notes.osu")))
            using (RoxTimeline timeline = chart.CreateTimeline())
            {
                long[] times = chart.GetNotes().Select(n => n.TimeUs).ToArray();
                var expected = new double[times.Length];
                timeline.GetPositions(times, expected);
                var results = new double[4][];
                var threads = Enumerable.Range(0, results.Length).Select(k => new Thread(() =>
                {
                    var mine = new double[times.Length];
                    for (int round = 0; round < 20; round++)
                    {
                        timeline.GetPositions(times, mine);
                    }
                    results[k] = mine;
                })).ToArray();
                foreach (Thread thread in threads)
                {
                    thread.Start();
                }
                foreach (Thread thread in threads)
                {
                    thread.Join();
                }
                foreach (double[] result in results)
                {
                    Assert.That(result, Is.EqualTo(expected));
                }
            }
        }

        [Test]
        public void WindowsHoldTheRightNotes()
        {
            using (RoxChart chart = RoxChart.Load(Corpus.File("osu/mania_7k.osu")))
            using (RoxTimeline timeline = chart.CreateTimeline())
            {
                RoxNote[] notes = chart.GetNotes();
                RoxNotePosition[] positions = timeline.GetNotePositions();
                double low = positions[100].Start;
                double high = positions[160].Start;
                int start;
                int end;
                timeline.GetNotesInPositionWindow(low, high, out start, out end);
                Assert.That(start, Is.LessThanOrEqualTo(100));
                Assert.That(end, Is.GreaterThan(160));
                Assert.That(end, Is.LessThanOrEqualTo(notes.Length));
                for (int i = 0; i < notes.Length; i++)
                {
                    bool inside = positions[i].Start >= low && positions[i].Start <= high;
                    Assert.That(i >= start && i < end, Is.EqualTo(inside), "note " + i);
                }

                long from = notes[100].TimeUs;
                long to = notes[400].TimeUs;
                for (int column = 0; column < chart.KeyCount; column++)
                {
                    int[] expected = Enumerable.Range(0, notes.Length)
                        .Where(i => notes[i].Column == column && notes[i].TimeUs >= from && notes[i].TimeUs <= to).ToArray();
                    int count = timeline.CopyNotesInTimeWindow(column, from, to, Span<int>.Empty);
                    Assert.That(count, Is.EqualTo(expected.Length));
                    var indexes = new int[count];
                    Assert.That(timeline.CopyNotesInTimeWindow(column, from, to, indexes), Is.EqualTo(count));
                    Assert.That(indexes, Is.EqualTo(expected));
                }
                Assert.Throws<ArgumentOutOfRangeException>(() => timeline.CopyNotesInTimeWindow(-1, from, to, Span<int>.Empty));
            }
        }

        /// <summary>tests/fixtures/quaver/timeline-groups-bpm.qua: notes in three scroll groups besides the
        /// default (checked against Quaver's own code by tests/timeline.rs).</summary>
        [Test]
        public void ScrollGroupsPlaceEachNoteByItsGroup()
        {
            using (RoxChart chart = RoxChart.Load(Corpus.Fixture("quaver/timeline-groups-bpm.qua")))
            using (RoxTimeline timeline = chart.CreateTimeline(RoxTimelineRules.Quaver))
            {
                Assert.That(timeline.ScrollGroupCount, Is.EqualTo(4));
                int[] groups = timeline.GetNoteGroups();
                Assert.That(groups, Is.EqualTo(new[] { 0, 1, 2, 2, 1, 3, 0, 1, 2, 1 }));
                RoxNote[] notes = chart.GetNotes();
                RoxNotePosition[] positions = timeline.GetNotePositions();
                // "fast" starts at 2× its own speed: its note at 250 ms is at 500, the playfield at 250.
                Assert.That(positions[1].Start, Is.EqualTo(500.0));
                Assert.That(timeline.PositionInGroup(1, 250000), Is.EqualTo(500.0));
                Assert.That(timeline.PositionAt(250000), Is.EqualTo(timeline.PositionInGroup(0, 250000)));
                for (int i = 0; i < notes.Length; i++)
                {
                    Assert.That(positions[i].Start, Is.EqualTo(timeline.PositionInGroup(groups[i], notes[i].TimeUs)), "note " + i);
                }

                long now = 700000;
                int[] expected = Enumerable.Range(0, notes.Length).Where(i =>
                {
                    double at = timeline.PositionInGroup(groups[i], now);
                    return positions[i].Start >= at && positions[i].Start <= at + 1000.0;
                }).ToArray();
                Assert.That(expected.Length, Is.GreaterThan(1));
                int count = timeline.CopyNotesInView(now, 0.0, 1000.0, Span<int>.Empty);
                Assert.That(count, Is.EqualTo(expected.Length));
                var indexes = new int[count];
                Assert.That(timeline.CopyNotesInView(now, 0.0, 1000.0, indexes), Is.EqualTo(count));
                Assert.That(indexes, Is.EqualTo(expected));

                int start;
                int end;
                Assert.Throws<RoxArgumentException>(() => timeline.GetNotesInPositionWindow(0.0, 1e9, out start, out end));
                Assert.Throws<RoxArgumentException>(() => timeline.PositionInGroup(4, 0));
                Assert.Throws<ArgumentOutOfRangeException>(() => timeline.PositionInGroup(-1, 0));
                Assert.Throws<RoxArgumentException>(() => timeline.CopyNotesInView(0, double.NaN, 1.0, Span<int>.Empty));
            }
        }

        [Test]
        public void ChartWithoutBpmIsRefused()
        {
            using (var chart = new RoxChart(4))
            {
                chart.AddNote(0, 0);
                var e = Assert.Throws<RoxInvalidChartException>(() => chart.CreateTimeline());
                Assert.That(e.Status, Is.EqualTo(RoxStatus.InvalidChart));
                Assert.That(e.Message.Length, Is.GreaterThan(0));
            }
        }

        [Test]
        public void BadArgumentsThrow()
        {
            using (RoxChart chart = Fixture())
            using (RoxTimeline timeline = chart.CreateTimeline())
            {
                Assert.Throws<ArgumentException>(() => timeline.GetPositions(new long[2], new double[3]));
                Assert.Throws<ArgumentException>(() => timeline.GetBeats(new long[3], new double[2]));
                var outside = new[] { 0, RoxLimits.MaxAbsTimeUs + 1 };
                var written = new[] { -7.0, -7.0 };
                Assert.Throws<RoxArgumentException>(() => timeline.GetPositions(outside, written));
                Assert.That(written, Is.EqualTo(new[] { -7.0, -7.0 }), "all or nothing");
                Assert.Throws<RoxArgumentException>(() => timeline.BeatAt(RoxLimits.MaxAbsTimeUs + 1));
                Assert.Throws<RoxArgumentException>(() => timeline.TimeAt(double.NaN));
                Assert.Throws<ArgumentOutOfRangeException>(() => timeline.BeatAtSeconds(double.NaN));
                Assert.Throws<ArgumentOutOfRangeException>(() => timeline.PositionAtSeconds(1e13));
                Assert.Throws<RoxArgumentException>(() => chart.CreateTimeline((RoxTimelineRules)99));
                Assert.Throws<RoxArgumentException>(() => chart.CreateTimeline(RoxTimelineRules.Osu, (RoxScrollAlgorithm)99));
            }
        }

        [Test]
        public void ConstantScrollPositionsAreTimes()
        {
            using (RoxChart chart = RoxChart.Load(Corpus.File("osu/mania_7k.osu")))
            using (RoxTimeline sequential = chart.CreateTimeline())
            using (RoxTimeline constant = chart.CreateTimeline(RoxTimelineRules.Osu, RoxScrollAlgorithm.Constant))
            {
                // 0.75× from 21855 ms (a beat length of -133.33): sequential moves slower there.
                Assert.That(constant.PositionAt(31855000) - constant.PositionAt(21855000), Is.EqualTo(10000.0).Within(1e-9));
                Assert.That(sequential.PositionAt(31855000) - sequential.PositionAt(21855000), Is.LessThan(10000.0));
            }
        }

        [Test]
        public void DisposalEndsTheTimelineOnly()
        {
            RoxTimeline timeline;
            using (RoxChart chart = Fixture())
            {
                timeline = chart.CreateTimeline();
            }
            // A snapshot: it outlives its chart.
            Assert.That(timeline.BeatAt(500000), Is.EqualTo(1.0));
            timeline.Dispose();
            timeline.Dispose();
            Assert.Throws<ObjectDisposedException>(() => timeline.BeatAt(0));
            Assert.Throws<ObjectDisposedException>(() => timeline.GetPositions(new long[1], new double[1]));
            Assert.Throws<ObjectDisposedException>(() => timeline.GetSnaps());
            Assert.Throws<ObjectDisposedException>(() => timeline.GetGridLines(0, 1));
        }

        [Test]
        public void AMillionBatchedPositionsAllocateNothing()
        {
            Func<long> allocatedBytes = AllocationCounter.ForCurrentThread();
            using (RoxChart chart = RoxChart.Load(Corpus.File("osu/mania_4K_50K_notes.osu")))
            using (RoxTimeline timeline = chart.CreateTimeline())
            {
                const int count = 1000000;
                var times = new long[count];
                var positions = new double[count];
                for (int i = 0; i < count; i++)
                {
                    times[i] = i * 1000L;
                }
                // Warm up: JIT, the P/Invoke stub, the counter itself.
                timeline.GetPositions(times, positions);
                allocatedBytes();

                long before = allocatedBytes();
                timeline.GetPositions(times, positions);
                long after = allocatedBytes();

                Assert.That(after - before, Is.EqualTo(0));
                Assert.That(positions[count - 1], Is.EqualTo(timeline.PositionAt(times[count - 1])));
            }
        }

        /// <summary>StepMania: 120 BPM, scroll ×2 from beat 2 (1 s), 240 BPM from beat 4 (2 s).</summary>
        private const string ScrollThenTempo = "#VERSION:0.83;\n#TITLE:t;\n#OFFSET:0;\n#BPMS:0=120,4=240;\n" +
            "#SCROLLS:0=1,2=2;\n#NOTEDATA:;\n#STEPSTYPE:dance-single;\n#DIFFICULTY:Hard;\n#METER:5;\n" +
            "#NOTES:\n1000\n1000\n1000\n1000\n,\n1000\n1000\n1000\n1000\n;\n";

        [Test]
        public void AChartScrollsByTheRulesOfItsOwnGame()
        {
            byte[] ssc = System.Text.Encoding.UTF8.GetBytes(ScrollThenTempo);
            using (RoxChart chart = RoxChart.Decode(ssc))
            {
                Assert.That(chart.SourceFormat, Is.EqualTo(RoxFormat.Ssc));
                using (RoxTimeline timeline = chart.CreateTimeline())
                {
                    // StepMania's displayed beats: 2 at 1 s, then 2 per beat to beat 4 (2 s): 6.
                    Assert.That(timeline.PositionAt(1000000), Is.EqualTo(2.0));
                    Assert.That(timeline.PositionAt(2000000), Is.EqualTo(6.0));
                }
                using (RoxTimeline osu = chart.CreateTimeline(RoxTimelineRules.Osu))
                {
                    Assert.That(osu.PositionAt(2000000), Is.Not.EqualTo(6.0), "explicit rules win");
                }
                // .rox keeps the origin; the osu! file repeats the ×2 at the tempo change, so nothing moves.
                using (RoxChart packed = RoxChart.Decode(chart.Encode(RoxFormat.Rox)))
                {
                    Assert.That(packed.SourceFormat, Is.EqualTo(RoxFormat.Ssc));
                }
                ConversionReport report;
                string osuText = System.Text.Encoding.UTF8.GetString(chart.Encode(RoxFormat.Osu, out report));
                Assert.That(osuText.Contains("\n2000,-50,4,"), Is.True, osuText);
                Assert.That(report.Entries.Any(e => e.Message.StartsWith("scroll:")), Is.False, report.ToString());
            }
            using (RoxChart built = Fixture())
            {
                Assert.That(built.SourceFormat, Is.EqualTo(RoxFormat.Auto));
            }
        }

        [Test]
        public void AConversionSaysHowFarNotesMoveWhereTheTargetCannotScrollAlike()
        {
            // 120 BPM, a 1 s stop at beat 2: StepMania holds the notes still, osu! cannot.
            const string sm = "#TITLE:t;\n#OFFSET:0;\n#BPMS:0=120;\n#STOPS:2=1;\n#NOTES:\n dance-single:\n :\n Hard:\n 5:\n" +
                " 0,0,0,0,0:\n1000\n0000\n1000\n0000\n,\n1000\n0000\n0000\n0000\n;\n";
            using (RoxChart chart = RoxChart.Decode(System.Text.Encoding.UTF8.GetBytes(sm)))
            {
                ConversionReport report;
                chart.Encode(RoxFormat.Osu, out report);
                ConversionLoss scroll = report.Entries.Single(e => e.Message.StartsWith("scroll:"));
                Assert.That(scroll.Kind, Is.EqualTo(RoxLossKind.TimingChanged));
                Assert.That(scroll.Message.Contains("0.667 beats"), Is.True, scroll.Message);
            }
        }
    }
}

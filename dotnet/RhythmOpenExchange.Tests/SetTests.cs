using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using NUnit.Framework;

namespace RhythmOpenExchange.Tests
{
    /// <summary>Chart sets (multi-chart files, archives) and conversion reports.</summary>
    /// <remarks>tests/fixtures/archives/song.osz holds [Easy] and [Hard] (4K mania), an osu!standard [Normal] that
    /// cannot be read, audio.mp3 and bg/bg.jpg.</remarks>
    [TestFixture]
    public class SetTests
    {
        private static string Osz
        {
            get { return Corpus.Fixture("archives/song.osz"); }
        }

        [Test]
        public void ArchiveListsChartsResourcesAndWhatWasNotRead()
        {
            using (RoxChartSet set = RoxChartSet.Load(Osz))
            {
                Assert.That(set.Count, Is.EqualTo(2));
                Assert.That(set[0].DifficultyName, Is.EqualTo("Easy"));
                using (RoxChart hard = set.GetChart(1))
                {
                    Assert.That(hard.DifficultyName, Is.EqualTo("Hard"));
                    Assert.That(hard.KeyCount, Is.EqualTo(4));
                }
                Assert.That(set.Resources, Is.EqualTo(new[] { "audio.mp3", "bg/bg.jpg" }));
                ConversionReport report = set.Report;
                Assert.That(report.IsEmpty, Is.False);
                Assert.That(report.Entries.Count, Is.EqualTo(1));
                ConversionLoss loss = report.Entries[0];
                Assert.That(loss.Kind, Is.EqualTo(RoxLossKind.ChartDropped));
                Assert.That(loss.TimeUs, Is.Null);
                Assert.That(loss.Index, Is.Null);
                Assert.That(loss.Message.Contains("[Normal].osu not read: not an osu!mania chart"), Is.True, loss.Message);
                Assert.Throws<ArgumentOutOfRangeException>(() => set.GetChart(2));
                Assert.Throws<ArgumentOutOfRangeException>(() => set.GetChart(-1));
            }
        }

        [Test]
        public void ArchiveWrittenBackKeepsEveryChartAndResource()
        {
            byte[] source = File.ReadAllBytes(Osz);
            using (RoxChartSet set = RoxChartSet.Decode(source))
            {
                ConversionReport report;
                byte[] osz = set.EncodeArchive(RoxFormat.Osu, source, out report);
                Assert.That(report.IsEmpty, Is.True);
                using (RoxChartSet again = RoxChartSet.Decode(osz))
                {
                    Assert.That(again.Count, Is.EqualTo(2));
                    Assert.That(again[1].DifficultyName, Is.EqualTo("Hard"));
                    Assert.That(again.Resources, Is.EqualTo(set.Resources));
                }
                Assert.That(ZipEntry(osz, "bg/bg.jpg"), Is.EqualTo(ZipEntry(source, "bg/bg.jpg")));

                set.EncodeArchive(RoxFormat.Qua, default(ReadOnlySpan<byte>), out report);
                Assert.That(report.Entries.Any(l => l.Kind == RoxLossKind.ResourceDropped), Is.True);
                Assert.Throws<RoxArgumentException>(() => set.EncodeArchive(RoxFormat.Sm, source, out report));
            }
        }

        private static byte[] ZipEntry(byte[] archive, string name)
        {
            using (var zip = new ZipArchive(new MemoryStream(archive)))
            using (var entry = new MemoryStream())
            {
                zip.GetEntry(name).Open().CopyTo(entry);
                return entry.ToArray();
            }
        }

        [Test]
        public void ChartsTakenOutOutliveTheSet()
        {
            RoxChart chart;
            using (RoxChartSet set = RoxChartSet.Decode(File.ReadAllBytes(Osz)))
            {
                chart = set.GetChart(1);
            }
            using (chart)
            {
                Assert.That(chart.DifficultyName, Is.EqualTo("Hard"));
                Assert.That(chart.NoteCount, Is.GreaterThan(0));
            }
        }

        [Test]
        public void IndexerGivesMetadataReadOnceWithoutCopyingCharts()
        {
            using (RoxChartSet set = RoxChartSet.Load(Osz))
            {
                RoxChartMetadata hard = set[1];
                Assert.That(set[1], Is.SameAs(hard), "read once, not a new object per access");
                Assert.That(set[0], Is.SameAs(set[0]));
                using (RoxChart copy = set.GetChart(1))
                using (RoxChart other = set.GetChart(1))
                {
                    Assert.That(other, Is.Not.SameAs(copy), "GetChart makes a new copy every time");
                    Assert.That(hard.DifficultyName, Is.EqualTo(copy.DifficultyName));
                    Assert.That(hard.Title, Is.EqualTo(copy.Title));
                    Assert.That(hard.KeyCount, Is.EqualTo(copy.KeyCount));
                    copy.DifficultyName = "changed";
                    Assert.That(set[1].DifficultyName, Is.EqualTo("Hard"), "a copy does not change the set");
                }
                Assert.Throws<ArgumentOutOfRangeException>(() => { var m = set[2]; });
                Assert.Throws<ArgumentOutOfRangeException>(() => { var m = set[-1]; });
            }
        }

        [Test]
        public void ArchiveOfSeveralFormatsReadsEveryChart()
        {
            byte[] zip = Zip(Corpus.Fixture("osu/full.osu"), Corpus.Fixture("quaver/full.qua"));
            string path = Path.Combine(Path.GetTempPath(), "rox-mixed-" + Guid.NewGuid().ToString("N") + ".osz");
            File.WriteAllBytes(path, zip);
            try
            {
                using (RoxChartSet decoded = RoxChartSet.Decode(zip))
                using (RoxChartSet loaded = RoxChartSet.Load(path))
                {
                    foreach (RoxChartSet set in new[] { decoded, loaded })
                    {
                        Assert.That(set.Count, Is.EqualTo(2), "both the .osu and the .qua");
                        Assert.That(new[] { set[0].DifficultyName, set[1].DifficultyName }, Is.EquivalentTo(new[] { "4K Fixture", "</3 | hard" }));
                        Assert.That(set.Report.IsEmpty, Is.True, set.Report.ToString());
                    }
                }
            }
            finally
            {
                File.Delete(path);
            }
        }

        private static byte[] Zip(params string[] files)
        {
            using (var buffer = new MemoryStream())
            {
                using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, true))
                {
                    foreach (string file in files)
                    {
                        using (Stream entry = archive.CreateEntry(Path.GetFileName(file)).Open())
                        {
                            byte[] data = File.ReadAllBytes(file);
                            entry.Write(data, 0, data.Length);
                        }
                    }
                }
                return buffer.ToArray();
            }
        }

        [Test]
        public void DecodeTakesTheFirstChartOrTheOneAsked()
        {
            byte[] data = File.ReadAllBytes(Osz);
            using (RoxChart first = RoxChart.Decode(data))
            using (RoxChart loaded = RoxChart.Load(Osz))
            using (RoxChart second = RoxChart.Decode(data, RoxFormat.Auto, 1))
            {
                Assert.That(first.DifficultyName, Is.EqualTo("Easy"));
                Assert.That(loaded.DifficultyName, Is.EqualTo("Easy"));
                Assert.That(second.DifficultyName, Is.EqualTo("Hard"));
            }
            Assert.Throws<ArgumentOutOfRangeException>(() => RoxChart.Decode(data, RoxFormat.Auto, 2));
        }

        [Test]
        public void SingleFileIsASetOfOne()
        {
            using (var chart = new RoxChart(4))
            {
                chart.AddBpm(0, 120);
                chart.AddNote(0, 1);
                using (RoxChartSet set = RoxChartSet.Decode(chart.Encode(RoxFormat.Rox)))
                {
                    Assert.That(set.Count, Is.EqualTo(1));
                    Assert.That(set.Resources, Is.Empty);
                    Assert.That(set.Report.IsEmpty, Is.True);
                    ConversionReport report;
                    byte[] again = set.Encode(RoxFormat.Rox, out report);
                    Assert.That(again, Is.EqualTo(chart.Encode(RoxFormat.Rox)));
                    Assert.That(report.Entries, Is.Empty);
                }
            }
        }

        [Test]
        public void SeveralChartsDoNotFitAOneChartFormat()
        {
            using (RoxChartSet set = RoxChartSet.Load(Osz))
            {
                ConversionReport report;
                var e = Assert.Throws<RoxArgumentException>(() => set.Encode(RoxFormat.Osu, out report));
                Assert.That(e.Message.Contains("exactly one chart"), Is.True, e.Message);
                Assert.Throws<ArgumentException>(() => set.Encode(RoxFormat.Auto, out report));
            }
        }

        [Test]
        public void DamagedOrForeignDataIsRefused()
        {
            byte[] data = File.ReadAllBytes(Osz);
            var e = Assert.Throws<RoxCorruptDataException>(() => RoxChartSet.Decode(data.Take(data.Length / 2).ToArray()));
            Assert.That(e.Status, Is.EqualTo(RoxStatus.CorruptData));
            var unknown = Assert.Throws<RoxFormatException>(() => RoxChartSet.Decode(new byte[] { 1, 2, 3 }));
            Assert.That(unknown.Status, Is.EqualTo(RoxStatus.UnknownFormat));
            Assert.Throws<ArgumentNullException>(() => RoxChartSet.Decode((byte[])null));
            Assert.Throws<ArgumentNullException>(() => RoxChartSet.Load(null));
        }

        [Test]
        public void EveryMemberThrowsObjectDisposedAfterDispose()
        {
            RoxChartSet set = RoxChartSet.Load(Osz);
            set.Dispose();
            set.Dispose();
            ConversionReport report;
            Assert.Throws<ObjectDisposedException>(() => { var n = set.Count; });
            Assert.Throws<ObjectDisposedException>(() => set.GetChart(0));
            Assert.Throws<ObjectDisposedException>(() => { var m = set[0]; });
            Assert.Throws<ObjectDisposedException>(() => { var r = set.Resources; });
            Assert.Throws<ObjectDisposedException>(() => { var r = set.Report; });
            Assert.Throws<ObjectDisposedException>(() => set.Encode(RoxFormat.Rox, out report));
        }

        [Test]
        public void EncodeReportsWhatTheFormatCannotHold()
        {
            using (var chart = new RoxChart(4))
            {
                chart.Genre = "genre";
                chart.AddBpm(0, 120);
                chart.AddTimingPoint(RoxTimingPoint.CreateStop(1000000, 250000));
                chart.AddNote(0, 0);
                chart.AddNote(500000, 1, RoxNoteKind.Mine);
                chart.AddNote(750000, 2, RoxNoteKind.Roll, 100000);

                ConversionReport report;
                byte[] osu = chart.Encode(RoxFormat.Osu, out report);
                Assert.That(osu, Is.EqualTo(chart.Encode(RoxFormat.Osu)), "the report does not change the bytes");
                var kinds = report.Entries.Select(l => l.Kind).ToArray();
                Assert.That(kinds, Is.EqualTo(new[]
                {
                    RoxLossKind.MetadataDropped, RoxLossKind.TimingDropped, RoxLossKind.NoteDropped, RoxLossKind.NoteChanged,
                }));
                ConversionLoss mine = report.Entries[2];
                Assert.That(mine.Index, Is.EqualTo(1));
                Assert.That(mine.TimeUs, Is.EqualTo(500000));
                Assert.That(mine.ShiftUs, Is.EqualTo(0));
                Assert.That(mine.Message, Is.EqualTo("mine dropped: .osu has no mines"));
                Assert.That(mine.ToString(), Is.EqualTo("#1 at 500000 µs: mine dropped: .osu has no mines"));
                Assert.That(report.Entries[1].Index, Is.EqualTo(1), "the stop is timing point 1");
                Assert.That(report.Entries[0].TimeUs, Is.Null);
                Assert.That(report.ToString().Split('\n').Length, Is.EqualTo(4));

                chart.Encode(RoxFormat.Rox, out report);
                Assert.That(report.IsEmpty, Is.True, ".rox holds everything");
                Assert.Throws<ArgumentException>(() => chart.Encode(RoxFormat.Auto, out report));
            }
        }

        [Test]
        public void ReadInfoGivesEveryChartsMetadataAndTimingWithoutNotes()
        {
            foreach (string path in new[] { Corpus.File("stepmania/Springtime.ssc"), Osz, Corpus.File("osu/mania_4K_50K_notes.osu") })
            {
                byte[] data = File.ReadAllBytes(path);
                using (RoxChartSet full = RoxChartSet.Decode(data))
                using (RoxChartSet info = RoxChartSet.ReadInfo(data))
                using (RoxChartSet loaded = RoxChartSet.LoadInfo(path))
                {
                    Assert.That(info.Count, Is.EqualTo(full.Count), path);
                    Assert.That(loaded.Count, Is.EqualTo(full.Count), path);
                    for (int i = 0; i < full.Count; i++)
                    {
                        Assert.That(info[i].Title, Is.EqualTo(full[i].Title), path);
                        Assert.That(info[i].DifficultyName, Is.EqualTo(full[i].DifficultyName), path);
                        Assert.That(info[i].KeyCount, Is.EqualTo(full[i].KeyCount), path);
                        Assert.That(info[i].AudioFile, Is.EqualTo(full[i].AudioFile), path);
                        Assert.That(info[i].PreviewTimeUs, Is.EqualTo(full[i].PreviewTimeUs), path);
                        using (RoxChart a = full.GetChart(i))
                        using (RoxChart b = info.GetChart(i))
                        {
                            Assert.That(a.NoteCount, Is.GreaterThan(0), path);
                            Assert.That(b.NoteCount, Is.EqualTo(0), path + ": notes are not read");
                            Assert.That(b.GetTimingPoints(), Is.EqualTo(a.GetTimingPoints()), path);
                        }
                    }
                }
                Assert.That(RoxChart.ReadInfo(data).DifficultyName, Is.EqualTo(RoxChartSet.Decode(data)[0].DifficultyName));
            }
        }
    }
}

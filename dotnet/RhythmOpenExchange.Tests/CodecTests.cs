using System;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace RhythmOpenExchange.Tests
{
    /// <summary>Decoding real charts and round trips; these need the osu and rox codecs.</summary>
    [TestFixture]
    public class CodecTests
    {
        [TestCase("osu/mania_7k.osu")]
        [TestCase("osu/mania_4k.osu")]
        public void DecodesARealOsuChart(string file)
        {
            string path = Corpus.File(file);
            OsuFile expected = OsuFile.Read(path);
            using (RoxChart chart = RoxChart.Load(path))
            {
                Assert.That(chart.KeyCount, Is.EqualTo(expected.KeyCount));
                Assert.That(chart.NoteCount, Is.EqualTo(expected.Notes.Count));
                RoxNote[] notes = chart.GetNotes();
                for (int i = 0; i < notes.Length; i++)
                {
                    string at = "note " + i;
                    Assert.That(notes[i].TimeUs, Is.EqualTo(expected.Notes[i].TimeUs), at);
                    Assert.That(notes[i].Column, Is.EqualTo(expected.Notes[i].Column), at);
                    Assert.That(notes[i].Kind, Is.EqualTo(expected.Notes[i].Kind), at);
                    Assert.That(notes[i].DurationUs, Is.EqualTo(expected.Notes[i].DurationUs), at);
                }
                Assert.That(chart.Title, Is.EqualTo(expected.Values["Title"]));
                Assert.That(chart.Artist, Is.EqualTo(expected.Values["Artist"]));
                Assert.That(chart.Creator, Is.EqualTo(expected.Values["Creator"]));
                Assert.That(chart.DifficultyName, Is.EqualTo(expected.Values["Version"]));
                Assert.That(chart.AudioFile, Is.EqualTo(expected.Values["AudioFilename"]));
                Assert.That(chart.TimingPointCount, Is.GreaterThan(0));
                Assert.That(chart.GetTimingPoints()[0].Kind, Is.EqualTo(RoxTimingKind.Bpm));
            }
        }

        [Test]
        public void SnappedNoteReportsItsRealShift()
        {
            // An osu! chart at 120 BPM with a note 3 ms after a beat; a .sm row is at least 1/48 beat
            // (10.4 ms) away, so writing .sm moves the note, and the report must say by how much.
            byte[] osu;
            using (var built = new RoxChart(4))
            {
                built.AddBpm(0, 120);
                built.AddNote(0, 0);
                built.AddNote(503000, 1);
                osu = built.Encode(RoxFormat.Osu);
            }
            using (RoxChart chart = RoxChart.Decode(osu, RoxFormat.Osu))
            {
                ConversionReport report;
                byte[] sm = chart.Encode(RoxFormat.Sm, out report);
                ConversionLoss moved = report.Entries.Single(l => l.Index == 1 && l.ShiftUs != 0);
                Assert.That(moved.TimeUs, Is.EqualTo(503000));
                using (RoxChart written = RoxChart.Decode(sm, RoxFormat.Sm))
                {
                    long where = written.GetNotes()[1].TimeUs;
                    Assert.That(where, Is.Not.EqualTo(503000));
                    Assert.That(moved.ShiftUs, Is.EqualTo(where - 503000), "target − source, as the .sm file has it");
                }
            }
        }

        [Test]
        public void UnicodeMetadataFromAFile()
        {
            string path = Corpus.File("osu/mania_7k.osu");
            using (RoxChart chart = RoxChart.Decode(File.ReadAllBytes(path), RoxFormat.Osu))
            {
                Assert.That(chart.TitleUnicode, Is.EqualTo(OsuFile.Read(path).Values["TitleUnicode"]));
                Assert.That(chart.ChartId, Is.EqualTo(941427));
                Assert.That(chart.SetId, Is.EqualTo(437171));
                Assert.That(chart.PreviewTimeUs, Is.EqualTo(64113000));
            }
        }

        // tests/fixtures/bms/full.bme: its comments give every time (120 BPM, then 240, a stop).
        [Test]
        public void DecodesABmsChart()
        {
            using (RoxChart chart = RoxChart.Load(Corpus.Fixture("bms/full.bme")))
            {
                Assert.That(chart.SourceFormat, Is.EqualTo(RoxFormat.Bms));
                Assert.That(chart.KeyCount, Is.EqualTo(8));
                Assert.That(chart.HasScratch, Is.True);
                Assert.That(chart.Title, Is.EqualTo("Fixture Song"));
                Assert.That(chart.GetKeysounds(), Is.EqualTo(new[] { "kick.wav", "snare.wav", "bgm.ogg", "release.wav" }));
                RoxNote[] notes = chart.GetNotes();
                Assert.That(notes.Select(n => n.TimeUs),
                    Is.EqualTo(new long[] { 500000, 1000000, 1500000, 3250000, 4000000, 4500000, 5500000, 6750000 }));
                Assert.That(notes.Select(n => n.Column), Is.EqualTo(new[] { 1, 0, 7, 2, 3, 2, 4, 6 }));
                Assert.That(notes[2].Kind, Is.EqualTo(RoxNoteKind.Hold));
                Assert.That(notes[2].DurationUs, Is.EqualTo(500000));
                Assert.That(notes[6].Kind, Is.EqualTo(RoxNoteKind.Mine));
                Assert.That(notes[1].Keysound, Is.EqualTo(0));
            }
        }

        // tests/fixtures/bms/beat-7k.bmson: 150 BPM at 480 pulses a beat, a half-beat stop on beat 6
        // (0.2 s), 200 BPM from beat 8 (tests/bmson.rs gives every time). Recognised by content.
        [Test]
        public void DecodesABmsonChart()
        {
            byte[] file = File.ReadAllBytes(Corpus.Fixture("bms/beat-7k.bmson"));
            using (RoxChart chart = RoxChart.Decode(file))
            {
                Assert.That(chart.SourceFormat, Is.EqualTo(RoxFormat.Bmson));
                Assert.That(chart.KeyCount, Is.EqualTo(8));
                Assert.That(chart.HasScratch, Is.True);
                Assert.That(chart.GetKeysounds(), Is.EqualTo(new[] { "kick.wav", "vox.ogg", "ghost.wav" }));
                RoxNote[] notes = chart.GetNotes();
                Assert.That(notes.Select(n => n.TimeUs),
                    Is.EqualTo(new long[] { 0, 400000, 800000, 800000, 1000000, 2400000, 3400000, 5500000, 7050000 }));
                Assert.That(notes.Select(n => n.Column), Is.EqualTo(new[] { 0, 1, 2, 4, 5, 3, 3, 6, 7 }));
                Assert.That(notes[2].Kind, Is.EqualTo(RoxNoteKind.Hold));
                Assert.That(notes[2].DurationUs, Is.EqualTo(800000));
                Assert.That(notes[6].Kind, Is.EqualTo(RoxNoteKind.Mine));
            }
        }

        // The corpus bmson is keyboard-24k-double: 52 columns, more than a chart holds (18).
        [Test]
        public void RefusesABmsonOfMoreColumnsThanAChartHolds()
        {
            byte[] file = File.ReadAllBytes(Corpus.File("bms/bemusicstory_483_48K_ANOTHER.bmson"));
            var e = Assert.Throws<RoxFormatException>(() => RoxChart.Decode(file, RoxFormat.Bmson));
            Assert.That(e.Status, Is.EqualTo(RoxStatus.ParseError));
            Assert.That(e.Message.Contains("52"), Is.True, e.Message);
        }

        [Test]
        public void DecodeFromASpanSlice()
        {
            byte[] file = File.ReadAllBytes(Corpus.File("osu/mania_4k.osu"));
            var padded = new byte[file.Length + 20];
            file.CopyTo(padded, 10);
            using (RoxChart fromArray = RoxChart.Decode(file))
            using (RoxChart fromSlice = RoxChart.Decode(new ReadOnlySpan<byte>(padded, 10, file.Length)))
            {
                Assert.That(fromSlice.GetNotes(), Is.EqualTo(fromArray.GetNotes()));
            }
        }

        // Friday Night Funkin': the corpus song is recognised by content and read as the
        // player's side: 8 notes from 1600 ms, 100 ms apart (150 BPM, sections 1 and 2, whose
        // lanes 0-3 are the player's), and the change to 180 BPM at the start of section 3
        // (3 sections x 16 steps x 100 ms = 4800 ms).
        [Test]
        public void FnfSongDecodesThePlayersSide()
        {
            byte[] file = File.ReadAllBytes(Corpus.File("fnf/test-song.json"));
            using (RoxChart chart = RoxChart.Decode(file))
            {
                Assert.That(chart.SourceFormat, Is.EqualTo(RoxFormat.Fnf));
                Assert.That(chart.KeyCount, Is.EqualTo(4));
                RoxNote[] notes = chart.GetNotes();
                Assert.That(notes.Length, Is.EqualTo(8));
                Assert.That(notes[0].TimeUs, Is.EqualTo(1600000));
                Assert.That(notes[7].TimeUs, Is.EqualTo(4400000));
                Assert.That(notes[4].DurationUs, Is.EqualTo(400000));
                RoxTimingPoint[] timing = chart.GetTimingPoints();
                Assert.That(timing.Length, Is.EqualTo(2));
                Assert.That(timing[1].TimeUs, Is.EqualTo(4800000));
            }
        }

        // .rox and .rox.json hold the whole model; the copy is decoded with Auto, so the
        // format is also detected from the bytes.
        [TestCase("osu/mania_7k.osu", RoxFormat.Rox)]
        [TestCase("osu/mania_4k.osu", RoxFormat.Rox)]
        [TestCase("osu/mania_7k.osu", RoxFormat.RoxJson)]
        [TestCase("osu/mania_4k.osu", RoxFormat.RoxJson)]
        public void LosslessRoundTripIsExact(string file, RoxFormat format)
        {
            using (RoxChart original = RoxChart.Load(Corpus.File(file)))
            using (RoxChart copy = RoxChart.Decode(original.Encode(format)))
            {
                Assert.That(copy.GetNotes(), Is.EqualTo(original.GetNotes()));
                Assert.That(copy.GetTimingPoints(), Is.EqualTo(original.GetTimingPoints()));
                AssertSameMetadata(copy, original);
            }
        }

        [TestCase("osu/mania_7k.osu")]
        [TestCase("osu/mania_4k.osu")]
        public void OsuRoundTripKeepsNotesTimingAndMetadata(string file)
        {
            using (RoxChart original = RoxChart.Load(Corpus.File(file)))
            using (RoxChart copy = RoxChart.Decode(original.Encode(RoxFormat.Osu), RoxFormat.Osu))
            {
                RoxNote[] a = original.GetNotes(), b = copy.GetNotes();
                Assert.That(b.Length, Is.EqualTo(a.Length));
                for (int i = 0; i < a.Length; i++)
                {
                    Assert.That(new[] { b[i].TimeUs, b[i].Column, (long)b[i].Kind, b[i].DurationUs },
                        Is.EqualTo(new[] { a[i].TimeUs, a[i].Column, (long)a[i].Kind, a[i].DurationUs }), "note " + i);
                }
                RoxTimingPoint[] ta = original.GetTimingPoints(), tb = copy.GetTimingPoints();
                Assert.That(tb.Length, Is.EqualTo(ta.Length));
                for (int i = 0; i < ta.Length; i++)
                {
                    Assert.That(tb[i].TimeUs, Is.EqualTo(ta[i].TimeUs), "timing point " + i);
                    Assert.That(tb[i].Kind, Is.EqualTo(ta[i].Kind), "timing point " + i);
                    Assert.That(tb[i].Value, Is.EqualTo(ta[i].Value).Within(1e-9).Percent, "timing point " + i);
                }
                AssertSameMetadata(copy, original);
            }
        }

        [Test]
        public void ChartBuiltFromScratchRoundTrips()
        {
            using (var chart = new RoxChart(4))
            {
                chart.Title = "Scratch";
                chart.TitleUnicode = "スクラッチ 🎹";
                chart.Artist = "ROX";
                chart.PreviewTimeUs = 1500000;
                chart.AddBpm(0, 120);
                chart.AddScroll(1000000, 1.25);
                int kick = chart.AddKeysound("kick.wav");
                chart.AddNote(0, 0);
                chart.AddNote(500000, 3, RoxNoteKind.Hold, 250000);
                chart.AddNotes(new[] { new RoxNote(1000000, 1) { Keysound = kick, Hitsounds = RoxHitsounds.Clap } });

                byte[] bytes = chart.Encode(RoxFormat.Rox);
                int written;
                Assert.That(chart.TryEncode(RoxFormat.Rox, new byte[bytes.Length - 1], out written), Is.False);
                Assert.That(written, Is.EqualTo(bytes.Length), "a failed TryEncode reports the size needed");
                var exact = new byte[bytes.Length];
                Assert.That(chart.TryEncode(RoxFormat.Rox, exact, out written), Is.True);
                Assert.That(exact, Is.EqualTo(bytes));

                using (RoxChart copy = RoxChart.Decode(bytes))
                {
                    Assert.That(copy.GetNotes(), Is.EqualTo(chart.GetNotes()));
                    Assert.That(copy.GetTimingPoints(), Is.EqualTo(chart.GetTimingPoints()));
                    Assert.That(copy.GetKeysounds(), Is.EqualTo(new[] { "kick.wav" }));
                    AssertSameMetadata(copy, chart);
                }
            }
        }

        [Test]
        public void SaveAndLoadByExtension()
        {
            string dir = Path.Combine(Path.GetTempPath(), "rox-test-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                using (RoxChart chart = RoxChart.Load(Corpus.File("osu/mania_4k.osu")))
                {
                    foreach (string name in new[] { "chart.rox", "chart.osu" })
                    {
                        string path = Path.Combine(dir, name);
                        chart.Save(path);
                        using (RoxChart loaded = RoxChart.Load(path))
                        {
                            Assert.That(loaded.NoteCount, Is.EqualTo(chart.NoteCount), name);
                            Assert.That(loaded.Title, Is.EqualTo(chart.Title), name);
                        }
                    }
                }
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        private static void AssertSameMetadata(RoxChart actual, RoxChart expected)
        {
            foreach (string name in new[] { "Title", "TitleUnicode", "Artist", "ArtistUnicode", "Creator", "DifficultyName",
                "Source", "Tags", "AudioFile", "BackgroundFile", "KeyCount", "PreviewTimeUs", "ChartId", "SetId",
                "HpDrain", "OverallDifficulty", "HasScratch" })
            {
                var property = typeof(RoxChart).GetProperty(name);
                Assert.That(property.GetValue(actual), Is.EqualTo(property.GetValue(expected)), name);
            }
        }
    }
}

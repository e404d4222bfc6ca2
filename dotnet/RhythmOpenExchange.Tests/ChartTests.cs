using System;
using System.Linq;
using NUnit.Framework;

namespace RhythmOpenExchange.Tests
{
    /// <summary>Building and editing charts in memory (no codec involved).</summary>
    [TestFixture]
    public class ChartTests
    {
        private RoxChart _chart;

        [SetUp]
        public void SetUp()
        {
            _chart = new RoxChart(4);
        }

        [TearDown]
        public void TearDown()
        {
            // Null when SetUp failed (e.g. the native library is missing).
            if (_chart != null)
            {
                _chart.Dispose();
            }
        }

        [Test]
        public void NewChartIsEmpty()
        {
            Assert.That(_chart.KeyCount, Is.EqualTo(4));
            Assert.That(_chart.NoteCount, Is.EqualTo(0));
            Assert.That(_chart.TimingPointCount, Is.EqualTo(0));
            Assert.That(_chart.GetNotes(), Is.Empty);
            Assert.That(_chart.GetKeysounds(), Is.Empty);
            Assert.That(_chart.Title, Is.EqualTo(""));
            Assert.That(_chart.PreviewTimeUs, Is.Null);
            Assert.That(_chart.HasScratch, Is.False);
        }

        [Test]
        public void LibraryReportsItsAbiVersion()
        {
            Assert.That(RoxLibrary.AbiVersion, Is.EqualTo(RoxLibrary.ExpectedAbiVersion));
        }

        [Test]
        public void NotesAreKeptSortedAndReadBackExactly()
        {
            var hold = new RoxNote(2000, 3, RoxNoteKind.Hold, 500)
            {
                Hitsounds = RoxHitsounds.Finish,
                NormalSet = 1,
                AdditionSet = 2,
                Volume = 60,
                CustomIndex = 4,
            };
            _chart.AddNotes(new[] { hold, new RoxNote(1000, 2) });
            _chart.AddNote(1000, 0, RoxNoteKind.Mine);

            RoxNote[] notes = _chart.GetNotes();
            Assert.That(notes.Select(n => n.TimeUs).ToArray(), Is.EqualTo(new long[] { 1000, 1000, 2000 }));
            Assert.That(notes.Select(n => n.Column).ToArray(), Is.EqualTo(new[] { 0, 2, 3 }));
            Assert.That(notes[0].Kind, Is.EqualTo(RoxNoteKind.Mine));
            Assert.That(notes[2], Is.EqualTo(hold));
            Assert.That(notes[2].EndTimeUs, Is.EqualTo(2500));
        }

        [Test]
        public void CopyNotesFromAnOffsetIntoASpan()
        {
            for (int i = 0; i < 10; i++)
            {
                _chart.AddNote(i * 100, i % 4);
            }
            Span<RoxNote> buffer = stackalloc RoxNote[4];
            Assert.That(_chart.CopyNotes(buffer, 8), Is.EqualTo(2));
            Assert.That(buffer[0].TimeUs, Is.EqualTo(800));
            Assert.That(buffer[1].TimeUs, Is.EqualTo(900));
            Assert.That(_chart.CopyNotes(buffer, 10), Is.EqualTo(0));
            Assert.That(_chart.CopyNotes(Span<RoxNote>.Empty), Is.EqualTo(0));
        }

        [Test]
        public void ClearNotes()
        {
            _chart.AddNote(0, 0);
            _chart.ClearNotes();
            Assert.That(_chart.NoteCount, Is.EqualTo(0));
        }

        [Test]
        public void TimingPointsOfEveryKind()
        {
            _chart.AddBpm(0, 180, 3);
            _chart.AddScroll(1000, 0.5);
            _chart.AddTimingPoints(new[]
            {
                RoxTimingPoint.CreateStop(2000, 300),
                RoxTimingPoint.CreateDelay(3000, 400),
                RoxTimingPoint.CreateWarp(4000, 2.5),
            });
            RoxTimingPoint[] points = _chart.GetTimingPoints();
            Assert.That(points.Select(p => p.Kind).ToArray(), Is.EqualTo(new[]
            {
                RoxTimingKind.Bpm, RoxTimingKind.Scroll, RoxTimingKind.Stop, RoxTimingKind.Delay, RoxTimingKind.Warp,
            }));
            Assert.That(points[0].Bpm, Is.EqualTo(180));
            Assert.That(points[0].Meter, Is.EqualTo(3));
            Assert.That(points[1].Multiplier, Is.EqualTo(0.5));
            Assert.That(points[2].DurationUs, Is.EqualTo(300));
            Assert.That(points[3].DurationUs, Is.EqualTo(400));
            Assert.That(points[4].Beats, Is.EqualTo(2.5));

            var tail = new RoxTimingPoint[8];
            Assert.That(_chart.CopyTimingPoints(tail, 3), Is.EqualTo(2));
            Assert.That(tail[0], Is.EqualTo(points[3]));
            Assert.That(_chart.TimingPointCount, Is.EqualTo(5));
            _chart.ClearTimingPoints();
            Assert.That(_chart.TimingPointCount, Is.EqualTo(0));
        }

        [Test]
        public void EveryStringFieldIsIndependentAndUnicodeSafe()
        {
            var fields = new[]
            {
                "Title", "TitleUnicode", "Subtitle", "Artist", "ArtistUnicode", "Creator", "DifficultyName",
                "Source", "Genre", "Tags", "Description", "AudioFile", "BackgroundFile", "Style",
            };
            var type = typeof(RoxChart);
            for (int i = 0; i < fields.Length; i++)
            {
                type.GetProperty(fields[i]).SetValue(_chart, fields[i] + " 宙の旋律 🎵 " + i);
            }
            for (int i = 0; i < fields.Length; i++)
            {
                Assert.That(type.GetProperty(fields[i]).GetValue(_chart), Is.EqualTo(fields[i] + " 宙の旋律 🎵 " + i), fields[i]);
            }
        }

        [TestCase(0)]
        [TestCase(511)]
        [TestCase(512)]
        [TestCase(5000)]
        public void StringsLongerThanTheStackBuffer(int length)
        {
            string text = new string('é', length);
            _chart.Description = text;
            Assert.That(_chart.Description, Is.EqualTo(text));
        }

        [Test]
        public void NumericInfoIsOptional()
        {
            _chart.PreviewTimeUs = 64113000;
            _chart.ChartId = 941427;
            _chart.SetId = 437171;
            _chart.DifficultyLevel = 12.5;
            _chart.HpDrain = 8.5;
            _chart.OverallDifficulty = 9;
            _chart.HasScratch = true;
            _chart.KeyCount = 8;
            Assert.That(_chart.PreviewTimeUs, Is.EqualTo(64113000));
            Assert.That(_chart.ChartId, Is.EqualTo(941427));
            Assert.That(_chart.SetId, Is.EqualTo(437171));
            Assert.That(_chart.DifficultyLevel, Is.EqualTo(12.5));
            Assert.That(_chart.HpDrain, Is.EqualTo(8.5));
            Assert.That(_chart.OverallDifficulty, Is.EqualTo(9.0));
            Assert.That(_chart.HasScratch, Is.True);
            Assert.That(_chart.KeyCount, Is.EqualTo(8));

            _chart.ChartId = null;
            _chart.HpDrain = null;
            Assert.That(_chart.ChartId, Is.Null);
            Assert.That(_chart.HpDrain, Is.Null);
            Assert.That(_chart.SetId, Is.EqualTo(437171), "clearing one value keeps the others");
        }

        [Test]
        public void Keysounds()
        {
            Assert.That(_chart.AddKeysound("kick.wav"), Is.EqualTo(0));
            Assert.That(_chart.AddKeysound("ピアノ.ogg"), Is.EqualTo(1));
            Assert.That(_chart.GetKeysounds(), Is.EqualTo(new[] { "kick.wav", "ピアノ.ogg" }));
            var note = new RoxNote(0, 1) { Keysound = 1 };
            _chart.AddNotes(new[] { note });
            Assert.That(_chart.GetNotes()[0].Keysound, Is.EqualTo(1));
        }

        [Test]
        public void ValidateReportsIssuesWithMessages()
        {
            _chart.AddNote(0, 0);
            var issues = _chart.Validate();
            Assert.That(issues.Count, Is.EqualTo(1));
            Assert.That(issues[0].Kind, Is.EqualTo(RoxIssueKind.NoBpm));
            Assert.That(issues[0].Message, Is.Not.Empty);
            Assert.That(issues[0].Index, Is.Null, "a chart-wide issue has no position");
            Assert.That(issues[0].TimeUs, Is.Null);

            _chart.AddBpm(0, 120);
            Assert.That(_chart.Validate(), Is.Empty);
        }

        [Test]
        public void ValidateReportsNoteIndexAndTime()
        {
            _chart.AddBpm(0, 120);
            _chart.AddNote(1000, 1, RoxNoteKind.Hold, 5000);
            _chart.AddNote(3000, 1);
            var issues = _chart.Validate();
            Assert.That(issues.Count, Is.EqualTo(1));
            Assert.That(issues[0].Kind, Is.EqualTo(RoxIssueKind.OverlappingNotes));
            Assert.That(issues[0].Index, Is.EqualTo(1));
            Assert.That(issues[0].TimeUs, Is.EqualTo(3000));
            Assert.That(issues[0].ToString(), Is.EqualTo(issues[0].Message));
        }

        [Test]
        public void IssueOfTheFirstTimingPointIsNotChartWide()
        {
            // A Quaver stop: BPM 0 on timing point 0 at time 0, which a chart-wide issue must not look like.
            const string qua = "Mode: Keys4\nTimingPoints:\n- StartTime: 0\n  Bpm: 0\n- StartTime: 500\n  Bpm: 120\n" +
                               "HitObjects:\n- StartTime: 1000\n  Lane: 1\n";
            using (RoxChart chart = RoxChart.Decode(System.Text.Encoding.UTF8.GetBytes(qua), RoxFormat.Qua))
            {
                var issues = chart.Validate();
                Assert.That(issues.Count, Is.EqualTo(1));
                Assert.That(issues[0].Kind, Is.EqualTo(RoxIssueKind.ZeroBpm));
                Assert.That(issues[0].Index, Is.EqualTo(0));
                Assert.That(issues[0].TimeUs, Is.EqualTo(0));
            }
        }

        [Test]
        public void ReplaceNotesIsAllOrNothing()
        {
            _chart.AddNotes(new[] { new RoxNote(0, 0), new RoxNote(10, 1) });
            var e = Assert.Throws<RoxArgumentException>(() => _chart.ReplaceNotes(new[] { new RoxNote(5, 2), new RoxNote(6, 4) }));
            Assert.That(e.Message.Contains("notes[1]"), Is.True, e.Message);
            Assert.That(_chart.GetNotes(), Is.EqualTo(new[] { new RoxNote(0, 0), new RoxNote(10, 1) }), "the old notes are kept");

            _chart.ReplaceNotes(new[] { new RoxNote(30, 3), new RoxNote(20, 2) });
            Assert.That(_chart.GetNotes(), Is.EqualTo(new[] { new RoxNote(20, 2), new RoxNote(30, 3) }), "only the new notes, sorted");
            _chart.ReplaceNotes(new RoxNote[0]);
            Assert.That(_chart.NoteCount, Is.EqualTo(0));
        }

        [Test]
        public void CloneIsIndependent()
        {
            _chart.Title = "original";
            _chart.AddNote(0, 0);
            using (RoxChart copy = _chart.Clone())
            {
                copy.Title = "copy";
                copy.AddNote(100, 1);
                Assert.That(_chart.Title, Is.EqualTo("original"));
                Assert.That(_chart.NoteCount, Is.EqualTo(1));
                _chart.Dispose();
                Assert.That(copy.NoteCount, Is.EqualTo(2), "the copy outlives the original");
            }
        }
    }
}

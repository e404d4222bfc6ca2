using System;
using System.IO;
using System.Text;
using NUnit.Framework;

namespace RhythmOpenExchange.Tests
{
    /// <summary>Every failure surfaces as a typed exception carrying the native status and message.</summary>
    [TestFixture]
    public class ErrorTests
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
        public void GarbageBytesAreAnUnknownFormat()
        {
            byte[] garbage = Encoding.ASCII.GetBytes("this is not a chart at all");
            var e = Assert.Throws<RoxFormatException>(() => RoxChart.Decode(garbage));
            Assert.That(e.Status, Is.EqualTo(RoxStatus.UnknownFormat));
            Assert.That(e.Message, Is.Not.Empty);
            Assert.That(e.Message.StartsWith("rox_chart_decode", StringComparison.Ordinal), Is.True, e.Message);
        }

        [Test]
        public void EmptyInputIsAnUnknownFormat()
        {
            var e = Assert.Throws<RoxFormatException>(() => RoxChart.Decode(ReadOnlySpan<byte>.Empty));
            Assert.That(e.Status, Is.EqualTo(RoxStatus.UnknownFormat));
        }

        [Test]
        public void ExplicitFormatThatCannotReadTheBytes()
        {
            byte[] garbage = Encoding.ASCII.GetBytes("garbage");
            var e = Assert.Catch<RoxFormatException>(() => RoxChart.Decode(garbage, RoxFormat.Sm));
            Assert.That(e.Status, Is.EqualTo(RoxStatus.UnsupportedFormat).Or.EqualTo(RoxStatus.ParseError));
        }

        [Test]
        public void FormatOutOfRangeIsAnArgumentError()
        {
            var e = Assert.Throws<RoxArgumentException>(() => RoxChart.Decode(new byte[] { 1 }, (RoxFormat)99));
            Assert.That(e.Status, Is.EqualTo(RoxStatus.InvalidArgument));
        }

        [Test]
        public void NullArguments()
        {
            Assert.Throws<ArgumentNullException>(() => RoxChart.Decode((byte[])null));
            Assert.Throws<ArgumentNullException>(() => RoxChart.Load(null));
            Assert.Throws<ArgumentNullException>(() => _chart.Save(null));
            Assert.Throws<ArgumentNullException>(() => _chart.Title = null);
            Assert.Throws<ArgumentNullException>(() => _chart.AddKeysound(null));
        }

        [Test]
        public void KeysoundNamesAndPathsRefuseALoneSurrogate()
        {
            var e = Assert.Throws<ArgumentException>(() => _chart.AddKeysound("kick\udc00.wav"));
            Assert.That(e.ParamName, Is.EqualTo("file"));
            e = Assert.Throws<ArgumentException>(() => _chart.Save("chart\ud800.osu"));
            Assert.That(e.ParamName, Is.EqualTo("path"));
            Assert.That(_chart.GetKeysounds(), Is.Empty, "nothing was added");
            Assert.That(_chart.AddKeysound("\ud83c\udfb5.wav"), Is.EqualTo(0), "a surrogate pair is fine");
        }

        [Test]
        public void AnEmptyKeysoundNameIsRefused()
        {
            var e = Assert.Throws<RoxArgumentException>(() => _chart.AddKeysound(""));
            Assert.That(e.Status, Is.EqualTo(RoxStatus.InvalidArgument));
            Assert.That(e.Message.Contains("empty"), Is.True, e.Message);
            Assert.That(_chart.GetKeysounds(), Is.Empty);
        }

        [Test]
        public void LoadingAMissingFile()
        {
            string path = Path.Combine(Path.GetTempPath(), "rox-missing-" + Guid.NewGuid().ToString("N") + ".osu");
            Assert.Throws<FileNotFoundException>(() => RoxChart.Load(path));
        }

        [Test]
        public void LoadingAnUnrecognisedFileWithAnUnknownExtension()
        {
            string path = Path.Combine(Path.GetTempPath(), "rox-test-" + Guid.NewGuid().ToString("N") + ".txt");
            File.WriteAllText(path, "hello");
            try
            {
                var e = Assert.Throws<RoxFormatException>(() => RoxChart.Load(path));
                Assert.That(e.Status, Is.EqualTo(RoxStatus.UnknownFormat));
                Assert.That(e.Message.StartsWith(path, StringComparison.Ordinal), Is.True, e.Message);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [TestCase(0)]
        [TestCase(19)]
        [TestCase(-1)]
        public void KeyCountOutOfRange(int keyCount)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new RoxChart(keyCount));
            Assert.Throws<ArgumentOutOfRangeException>(() => _chart.KeyCount = keyCount);
        }

        [Test]
        public void KeyCountBelowAnExistingNoteColumn()
        {
            _chart.AddNote(0, 3);
            var e = Assert.Throws<RoxArgumentException>(() => _chart.KeyCount = 3);
            Assert.That(e.Message, Is.Not.Empty);
            Assert.That(_chart.KeyCount, Is.EqualTo(4), "the chart is unchanged");
        }

        [Test]
        public void ColumnBeyondTheKeyCount()
        {
            var e = Assert.Throws<RoxArgumentException>(() => _chart.AddNote(0, 4));
            Assert.That(e.Status, Is.EqualTo(RoxStatus.InvalidArgument));
            Assert.Throws<ArgumentOutOfRangeException>(() => _chart.AddNote(0, 256));
        }

        [Test]
        public void AddNotesIsAllOrNothing()
        {
            Assert.Throws<RoxArgumentException>(() => _chart.AddNotes(new[] { new RoxNote(0, 0), new RoxNote(10, 9) }));
            Assert.That(_chart.NoteCount, Is.EqualTo(0));
        }

        [Test]
        public void HoldWithoutDurationIsAnInvalidChart()
        {
            var e = Assert.Throws<RoxInvalidChartException>(() => _chart.AddNote(0, 0, RoxNoteKind.Hold, 0));
            Assert.That(e.Status, Is.EqualTo(RoxStatus.InvalidChart));
        }

        [Test]
        public void KeysoundThatDoesNotExist()
        {
            Assert.Throws<RoxArgumentException>(() => _chart.AddNotes(new[] { new RoxNote(0, 0) { Keysound = 0 } }));
        }

        [Test]
        public void BadTimingPoints()
        {
            Assert.Throws<RoxInvalidChartException>(() => _chart.AddBpm(0, -5));
            Assert.Throws<RoxInvalidChartException>(() => _chart.AddScroll(0, double.NaN));
            Assert.Throws<RoxArgumentException>(() => _chart.AddTimingPoint(new RoxTimingPoint { Kind = (RoxTimingKind)7 }));
            Assert.Throws<ArgumentOutOfRangeException>(() => _chart.AddBpm(0, 120, -1));
            Assert.That(_chart.TimingPointCount, Is.EqualTo(0));
        }

        [Test]
        public void NonFiniteInfoValue()
        {
            Assert.Throws<RoxArgumentException>(() => _chart.HpDrain = double.NaN);
        }

        [Test]
        public void CopyStartBeyondTheEnd()
        {
            Assert.Throws<RoxArgumentException>(() => _chart.CopyNotes(new RoxNote[1], 1));
            Assert.Throws<ArgumentOutOfRangeException>(() => _chart.CopyNotes(new RoxNote[1], -1));
            Assert.Throws<RoxArgumentException>(() => _chart.CopyTimingPoints(new RoxTimingPoint[1], 1));
        }

        [Test]
        public void EncodeToAutoIsAnArgumentError()
        {
            int written;
            Assert.Throws<ArgumentException>(() => _chart.Encode(RoxFormat.Auto));
            Assert.Throws<ArgumentException>(() => _chart.TryEncode(RoxFormat.Auto, new byte[16], out written));
        }

        [Test]
        public void AChartWithoutBpmIsReportedButStillWritten()
        {
            // Only fatal problems stop encoding; a missing BPM is a gameplay defect real charts
            // have (docs/decisions.md), so it is reported by Validate and kept by Encode.
            _chart.AddNote(0, 0);
            var issues = _chart.Validate();
            Assert.That(issues.Count, Is.EqualTo(1));
            Assert.That(issues[0].Kind, Is.EqualTo(RoxIssueKind.NoBpm));
            using (var back = RoxChart.Decode(_chart.Encode(RoxFormat.Rox)))
                Assert.That(back.GetNotes(), Is.EqualTo(_chart.GetNotes()));
        }

        [Test]
        public void SaveWithAnUnknownExtension()
        {
            _chart.AddBpm(0, 120);
            string path = Path.Combine(Path.GetTempPath(), "rox-test-" + Guid.NewGuid().ToString("N") + ".unknownext");
            var e = Assert.Throws<RoxFormatException>(() => _chart.Save(path));
            Assert.That(e.Status, Is.EqualTo(RoxStatus.UnknownFormat));
            Assert.That(File.Exists(path), Is.False);
        }

        [Test]
        public void TruncatedRoxIsCorruptData()
        {
            _chart.AddBpm(0, 120);
            _chart.AddNote(0, 0);
            _chart.AddNote(500, 1, RoxNoteKind.Hold, 250);
            byte[] rox = _chart.Encode(RoxFormat.Rox);
            byte[] truncated = new byte[rox.Length - 5];
            Array.Copy(rox, truncated, truncated.Length);
            var e = Assert.Throws<RoxCorruptDataException>(() => RoxChart.Decode(truncated, RoxFormat.Rox));
            Assert.That(e.Status, Is.EqualTo(RoxStatus.CorruptData));
            Assert.That(e.Message, Is.Not.Empty);
            Assert.That(e, Is.InstanceOf<RoxFormatException>(), "corrupt data is a kind of format error");
        }
    }
}

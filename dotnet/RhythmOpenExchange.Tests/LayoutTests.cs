using System;
using System.Runtime.InteropServices;
using NUnit.Framework;

namespace RhythmOpenExchange.Tests
{
    /// <summary>The public structs are passed to native code as the generated ABI structs: sizes and
    /// offsets must match docs/abi.md, and each property must write its own field.</summary>
    [TestFixture]
    public unsafe class LayoutTests
    {
        [Test]
        public void StructSizesMatchTheAbi()
        {
            Assert.That(Marshal.SizeOf(typeof(RoxNote)), Is.EqualTo(32));
            Assert.That(sizeof(RoxNote), Is.EqualTo(32));
            Assert.That(Marshal.SizeOf(typeof(RoxTimingPoint)), Is.EqualTo(40));
            Assert.That(sizeof(RoxTimingPoint), Is.EqualTo(40));
            Assert.That(sizeof(Native.RoxNote), Is.EqualTo(32));
            Assert.That(sizeof(Native.RoxTimingPoint), Is.EqualTo(40));
            Assert.That(sizeof(Native.RoxChartInfo), Is.EqualTo(64));
            Assert.That(sizeof(Native.RoxIssue), Is.EqualTo(24));
            Assert.That(sizeof(Native.RoxLoss), Is.EqualTo(32));
            Assert.That(sizeof(RoxGridLine), Is.EqualTo(24));
            Assert.That(sizeof(Native.RoxGridLine), Is.EqualTo(24));
            Assert.That(sizeof(RoxNotePosition), Is.EqualTo(16));
            Assert.That(sizeof(Native.RoxNotePosition), Is.EqualTo(16));
        }

        [TestCase(typeof(RoxGridLine), "_timeUs", typeof(Native.RoxGridLine), "time_us", 0)]
        [TestCase(typeof(RoxGridLine), "_measure", typeof(Native.RoxGridLine), "measure", 8)]
        [TestCase(typeof(RoxGridLine), "_beatInMeasure", typeof(Native.RoxGridLine), "beat_in_measure", 16)]
        [TestCase(typeof(RoxGridLine), "_isBar", typeof(Native.RoxGridLine), "is_bar", 20)]
        [TestCase(typeof(RoxNotePosition), "_start", typeof(Native.RoxNotePosition), "start", 0)]
        [TestCase(typeof(RoxNotePosition), "_end", typeof(Native.RoxNotePosition), "end", 8)]
        public void TimelineStructFieldOffsets(Type publicType, string publicField, Type nativeType, string nativeField, int offset)
        {
            Assert.That((int)Marshal.OffsetOf(publicType, publicField), Is.EqualTo(offset));
            Assert.That((int)Marshal.OffsetOf(nativeType, nativeField), Is.EqualTo(offset));
        }

        // (public field, generated field, offset from docs/abi.md)
        [TestCase("_timeUs", "time_us", 0)]
        [TestCase("_durationUs", "duration_us", 8)]
        [TestCase("_column", "column", 16)]
        [TestCase("_kind", "kind", 17)]
        [TestCase("_hitsounds", "hitsound_flags", 18)]
        [TestCase("_normalSet", "normal_set", 19)]
        [TestCase("_additionSet", "addition_set", 20)]
        [TestCase("_volume", "volume", 21)]
        [TestCase("_reserved", "reserved", 22)]
        [TestCase("_customIndex", "custom_index", 24)]
        [TestCase("_keysound", "keysound", 28)]
        public void NoteFieldOffsets(string publicField, string nativeField, int offset)
        {
            Assert.That((int)Marshal.OffsetOf(typeof(RoxNote), publicField), Is.EqualTo(offset));
            Assert.That((int)Marshal.OffsetOf(typeof(Native.RoxNote), nativeField), Is.EqualTo(offset));
        }

        [TestCase("_timeUs", "time_us", 0)]
        [TestCase("_value", "value", 8)]
        [TestCase("_durationUs", "duration_us", 16)]
        [TestCase("_kind", "kind", 24)]
        [TestCase("_meter", "meter", 28)]
        [TestCase("_sampleIndex", "sample_index", 32)]
        [TestCase("_sampleSet", "sample_set", 36)]
        [TestCase("_volume", "volume", 37)]
        [TestCase("_effects", "effects", 38)]
        [TestCase("_reserved", "reserved", 39)]
        public void TimingPointFieldOffsets(string publicField, string nativeField, int offset)
        {
            Assert.That((int)Marshal.OffsetOf(typeof(RoxTimingPoint), publicField), Is.EqualTo(offset));
            Assert.That((int)Marshal.OffsetOf(typeof(Native.RoxTimingPoint), nativeField), Is.EqualTo(offset));
        }

        // Both generated from src/ffi (csbindgen for the P/Invoke return type, build/vocabulary.rs
        // for the public enum): the two generators must agree.
        [TestCase(typeof(RoxStatus), typeof(Native.RoxStatus))]
        public void PublicEnumsMirrorTheGeneratedOnes(Type publicEnum, Type generatedEnum)
        {
            Assert.That(Enum.GetUnderlyingType(publicEnum), Is.EqualTo(Enum.GetUnderlyingType(generatedEnum)));
            Assert.That(Enum.GetNames(publicEnum), Is.EqualTo(Enum.GetNames(generatedEnum)));
            foreach (string name in Enum.GetNames(generatedEnum))
            {
                Assert.That(Convert.ToInt64(Enum.Parse(publicEnum, name)), Is.EqualTo(Convert.ToInt64(Enum.Parse(generatedEnum, name))), name);
            }
        }

        [Test]
        public void NotePropertiesWriteTheirOwnBytes()
        {
            var note = new RoxNote(0x0102030405060708, 9, RoxNoteKind.Roll, 0x1112131415161718)
            {
                Hitsounds = RoxHitsounds.Clap | RoxHitsounds.Whistle,
                NormalSet = 2,
                AdditionSet = 3,
                Volume = 77,
                CustomIndex = 0xA0B0C0D0,
                Keysound = 5,
            };
            byte* b = (byte*)&note;
            Assert.That(*(long*)b, Is.EqualTo(0x0102030405060708));
            Assert.That(*(long*)(b + 8), Is.EqualTo(0x1112131415161718));
            Assert.That(new[] { b[16], b[17], b[18], b[19], b[20], b[21] }, Is.EqualTo(new byte[] { 9, 2, 10, 2, 3, 77 }));
            Assert.That(*(ushort*)(b + 22), Is.EqualTo(0));
            Assert.That(*(uint*)(b + 24), Is.EqualTo(0xA0B0C0D0));
            Assert.That(*(int*)(b + 28), Is.EqualTo(5));
            Assert.That(note.EndTimeUs, Is.EqualTo(0x0102030405060708 + 0x1112131415161718));
        }

        [Test]
        public void TimingPointPropertiesWriteTheirOwnBytes()
        {
            RoxTimingPoint point = RoxTimingPoint.CreateBpm(123456, 187.5, 7);
            point.DurationUs = 42;
            point.SampleIndex = 0xDEADBEEF;
            point.SampleSet = 2;
            point.Volume = 55;
            point.Effects = RoxTimingEffects.Kiai | RoxTimingEffects.OmitFirstBarLine;
            byte* b = (byte*)&point;
            Assert.That(*(long*)b, Is.EqualTo(123456));
            Assert.That(*(double*)(b + 8), Is.EqualTo(187.5));
            Assert.That(*(long*)(b + 16), Is.EqualTo(42));
            Assert.That(*(int*)(b + 24), Is.EqualTo((int)RoxTimingKind.Bpm));
            Assert.That(*(uint*)(b + 28), Is.EqualTo(7));
            Assert.That(*(uint*)(b + 32), Is.EqualTo(0xDEADBEEF));
            Assert.That(new[] { b[36], b[37], b[38], b[39] }, Is.EqualTo(new byte[] { 2, 55, 9, 0 }));
        }

        [Test]
        public void NewNoteHasNoKeysoundAndDefaultTimingVolumeIsFull()
        {
            Assert.That(new RoxNote(0, 0).Keysound, Is.EqualTo(RoxNote.NoKeysound));
            Assert.That(RoxTimingPoint.CreateScroll(0, 1.5).Volume, Is.EqualTo(RoxTimingPoint.DefaultVolume));
        }

        [TestCase(-1)]
        [TestCase(256)]
        public void ColumnOutsideAByteIsRefused(int column)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new RoxNote(0, column));
        }
    }
}

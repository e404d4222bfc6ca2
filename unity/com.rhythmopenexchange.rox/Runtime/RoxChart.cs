using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using RhythmOpenExchange.Native;
using static RhythmOpenExchange.Interop;

namespace RhythmOpenExchange
{
    /// <summary>One playable chart held by the native ROX library: metadata, notes, timing points and keysounds.</summary>
    /// <remarks>
    /// Thread safety: every member may be called from any thread. Reads run concurrently; mutations take
    /// exclusive access (a <see cref="ReaderWriterLockSlim"/>). <see cref="Dispose"/> may race with other calls:
    /// calls already running finish first, later ones throw <see cref="ObjectDisposedException"/>.
    /// A chart that is never disposed is freed by the garbage collector.
    /// </remarks>
    public sealed unsafe class RoxChart : IDisposable
    {
        /// <summary>Largest key count (number of columns) a chart can have; the smallest is 1.</summary>
        public const int MaxKeyCount = 18;

        private readonly RoxChartHandle _handle;

        // Not disposed with the chart: a concurrent reader may still hold it, and it owns no native resource.
        private readonly ReaderWriterLockSlim _lock = new ReaderWriterLockSlim(LockRecursionPolicy.NoRecursion);

        /// <summary>Creates an empty chart.</summary>
        /// <param name="keyCount">Number of columns, 1 to <see cref="MaxKeyCount"/>.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="keyCount"/> is out of range.</exception>
        public RoxChart(int keyCount)
        {
            CheckKeyCount(keyCount);
            RoxLibrary.EnsureLoaded();
            _handle = NewHandle(keyCount);
        }

        // Not in the constructor: see RoxLibrary.EnsureLoaded.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static RoxChartHandle NewHandle(int keyCount)
        {
            var handle = new RoxChartHandle();
            Native.RoxChart* created = null;
            Native.RoxStatus status = NativeMethods.rox_chart_new((uint)keyCount, &created);
            handle.Adopt((IntPtr)created, status, null);
            return handle;
        }

        /// <summary>Wraps a chart whose handle already owns its native object.</summary>
        internal RoxChart(RoxChartHandle handle)
        {
            _handle = handle;
        }

        /// <summary>Reads a chart from bytes.</summary>
        /// <param name="data">The file content.</param>
        /// <param name="format">The format, or <see cref="RoxFormat.Auto"/> to detect it from the content.</param>
        /// <exception cref="RoxFormatException">The data is not a readable chart.</exception>
        /// <exception cref="RoxCorruptDataException">A <c>.rox</c> file is damaged.</exception>
        public static RoxChart Decode(byte[] data, RoxFormat format = RoxFormat.Auto)
        {
            if (data == null)
            {
                throw new ArgumentNullException(nameof(data));
            }
            return Decode(new ReadOnlySpan<byte>(data), format);
        }

        /// <summary>Reads a chart from bytes.</summary>
        /// <param name="data">The file content.</param>
        /// <param name="format">The format, or <see cref="RoxFormat.Auto"/> to detect it from the content.</param>
        /// <exception cref="RoxFormatException">The data is not a readable chart.</exception>
        /// <exception cref="RoxCorruptDataException">A <c>.rox</c> file is damaged.</exception>
        public static RoxChart Decode(ReadOnlySpan<byte> data, RoxFormat format = RoxFormat.Auto)
        {
            RoxLibrary.EnsureLoaded();
            return DecodeCore(data, format, null);
        }

        /// <summary>Reads one chart of a file that may hold several (StepMania, <c>.osz</c>/<c>.qp</c> archives);
        /// the other <c>Decode</c> overloads read the first. <see cref="RoxChartSet"/> reads them all.</summary>
        /// <param name="data">The file content.</param>
        /// <param name="format">The format, or <see cref="RoxFormat.Auto"/> to detect it from the content.</param>
        /// <param name="chartIndex">Which chart, from 0.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="chartIndex"/> is not below the number of charts.</exception>
        /// <exception cref="RoxFormatException">The data is not a readable chart.</exception>
        public static RoxChart Decode(byte[] data, RoxFormat format, int chartIndex)
        {
            using (RoxChartSet set = RoxChartSet.Decode(data, format))
            {
                return set[chartIndex];
            }
        }

        /// <summary>Reads a chart file (the first chart of a file holding several). The format is detected
        /// from the content, or else from the extension.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
        /// <exception cref="FileNotFoundException">The file does not exist (other I/O exceptions as <see cref="File.ReadAllBytes"/>).</exception>
        /// <exception cref="RoxFormatException">The file is not a readable chart; the message starts with the path.</exception>
        public static RoxChart Load(string path)
        {
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }
            RoxLibrary.EnsureLoaded();
            byte[] data = File.ReadAllBytes(path);
            return DecodeCore(data, FormatOfFile(path, data), path);
        }

        /// <summary>Independent copy of this chart.</summary>
        public RoxChart Clone()
        {
            using (HandleLease lease = Read())
            {
                var handle = new RoxChartHandle();
                Native.RoxChart* created = null;
                Native.RoxStatus status = NativeMethods.rox_chart_clone(lease.Chart, &created);
                handle.Adopt((IntPtr)created, status, null);
                return new RoxChart(handle);
            }
        }

        /// <summary>Frees the native chart. Calling it again does nothing.</summary>
        public void Dispose()
        {
            _handle.Dispose();
        }

        /// <summary>Writes the chart in <paramref name="format"/>.</summary>
        /// <exception cref="ArgumentException"><paramref name="format"/> is <see cref="RoxFormat.Auto"/>.</exception>
        /// <exception cref="RoxInvalidChartException">The chart fails validation (see <see cref="Validate"/>).</exception>
        /// <exception cref="RoxFormatException">This build cannot write <paramref name="format"/>.</exception>
        public byte[] Encode(RoxFormat format)
        {
            CheckEncodeFormat(format);
            using (HandleLease lease = Read())
            {
                byte* buffer = null;
                UIntPtr length = UIntPtr.Zero;
                Native.RoxStatus status = NativeMethods.rox_chart_encode_alloc(lease.Chart, (int)format, &buffer, &length);
                try
                {
                    Ensure.Success(status);
                    return new ReadOnlySpan<byte>(buffer, ToInt(length)).ToArray();
                }
                finally
                {
                    NativeMethods.rox_free_buffer(buffer, length);
                }
            }
        }

        /// <summary>Writes the chart in <paramref name="format"/> and says what the format could not hold.</summary>
        /// <param name="format">Output format (not <see cref="RoxFormat.Auto"/>).</param>
        /// <param name="report">Every note, timing event, metadata field… that was left out or changed, with its
        /// position; empty when nothing was lost.</param>
        /// <exception cref="ArgumentException"><paramref name="format"/> is <see cref="RoxFormat.Auto"/>.</exception>
        /// <exception cref="RoxInvalidChartException">The chart fails validation (see <see cref="Validate"/>).</exception>
        /// <exception cref="RoxFormatException">This build cannot write <paramref name="format"/>.</exception>
        public byte[] Encode(RoxFormat format, out ConversionReport report)
        {
            using (HandleLease lease = Read())
            {
                var encoder = new ReportEncoder { Chart = lease.Chart };
                return EncodeWithReport(ref encoder, format, out report);
            }
        }

        /// <summary>Writes the chart in <paramref name="format"/> into <paramref name="destination"/> without allocating.</summary>
        /// <param name="format">Output format (not <see cref="RoxFormat.Auto"/>).</param>
        /// <param name="destination">Where to write.</param>
        /// <param name="written">Bytes written; when the method returns false, the size <paramref name="destination"/> needs.</param>
        /// <returns>False if <paramref name="destination"/> is too small (nothing is written).</returns>
        public bool TryEncode(RoxFormat format, Span<byte> destination, out int written)
        {
            CheckEncodeFormat(format);
            using (HandleLease lease = Read())
            {
                UIntPtr needed;
                Native.RoxStatus status;
                fixed (byte* p = &MemoryMarshal.GetReference(destination))
                {
                    status = NativeMethods.rox_chart_encode(lease.Chart, (int)format, p, Size(destination.Length), &needed);
                }
                if (status != Native.RoxStatus.BufferTooSmall)
                {
                    Ensure.Success(status);
                }
                written = ToInt(needed);
                return status == Native.RoxStatus.Ok;
            }
        }

        /// <summary>Writes the chart to a file in the format its extension names (<c>.rox</c>, <c>.osu</c>, …).</summary>
        /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
        /// <exception cref="RoxFormatException">The extension names no known format, or this build cannot write it.</exception>
        /// <exception cref="RoxInvalidChartException">The chart fails validation.</exception>
        public void Save(string path)
        {
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }
            File.WriteAllBytes(path, Encode(FormatFromPath(path)));
        }

        /// <summary>Romanised (ASCII) title.</summary>
        public string Title
        {
            get { return GetString(RoxMetaField.Title); }
            set { SetString(RoxMetaField.Title, value); }
        }

        /// <summary>Title in its original script.</summary>
        public string TitleUnicode
        {
            get { return GetString(RoxMetaField.TitleUnicode); }
            set { SetString(RoxMetaField.TitleUnicode, value); }
        }

        /// <summary>Subtitle.</summary>
        public string Subtitle
        {
            get { return GetString(RoxMetaField.Subtitle); }
            set { SetString(RoxMetaField.Subtitle, value); }
        }

        /// <summary>Romanised (ASCII) artist.</summary>
        public string Artist
        {
            get { return GetString(RoxMetaField.Artist); }
            set { SetString(RoxMetaField.Artist, value); }
        }

        /// <summary>Artist in its original script.</summary>
        public string ArtistUnicode
        {
            get { return GetString(RoxMetaField.ArtistUnicode); }
            set { SetString(RoxMetaField.ArtistUnicode, value); }
        }

        /// <summary>Chart author.</summary>
        public string Creator
        {
            get { return GetString(RoxMetaField.Creator); }
            set { SetString(RoxMetaField.Creator, value); }
        }

        /// <summary>Difficulty name (osu! <c>Version</c>).</summary>
        public string DifficultyName
        {
            get { return GetString(RoxMetaField.DifficultyName); }
            set { SetString(RoxMetaField.DifficultyName, value); }
        }

        /// <summary>Source (game, anime…) of the song.</summary>
        public string Source
        {
            get { return GetString(RoxMetaField.Source); }
            set { SetString(RoxMetaField.Source, value); }
        }

        /// <summary>Genre.</summary>
        public string Genre
        {
            get { return GetString(RoxMetaField.Genre); }
            set { SetString(RoxMetaField.Genre, value); }
        }

        /// <summary>Space-separated tags.</summary>
        public string Tags
        {
            get { return GetString(RoxMetaField.Tags); }
            set { SetString(RoxMetaField.Tags, value); }
        }

        /// <summary>Description.</summary>
        public string Description
        {
            get { return GetString(RoxMetaField.Description); }
            set { SetString(RoxMetaField.Description, value); }
        }

        /// <summary>Audio file name, relative to the chart.</summary>
        public string AudioFile
        {
            get { return GetString(RoxMetaField.AudioFile); }
            set { SetString(RoxMetaField.AudioFile, value); }
        }

        /// <summary>Background image file name, relative to the chart.</summary>
        public string BackgroundFile
        {
            get { return GetString(RoxMetaField.BackgroundFile); }
            set { SetString(RoxMetaField.BackgroundFile, value); }
        }

        /// <summary>Play style name when the key count does not say it (StepMania steps type such as
        /// <c>pump-halfdouble</c>); empty otherwise.</summary>
        public string Style
        {
            get { return GetString(RoxMetaField.Style); }
            set { SetString(RoxMetaField.Style, value); }
        }

        /// <summary>Number of columns, 1 to <see cref="MaxKeyCount"/>.</summary>
        /// <exception cref="ArgumentOutOfRangeException">Set out of range.</exception>
        /// <exception cref="RoxArgumentException">Set below the column of an existing note.</exception>
        public int KeyCount
        {
            get { return (int)GetInfo().key_count; }
            set
            {
                CheckKeyCount(value);
                EditInfo((ref Native.RoxChartInfo info) => info.key_count = (uint)value);
            }
        }

        /// <summary>Whether column 0 is a scratch lane (osu! 7K+1, Quaver scratch key).</summary>
        public bool HasScratch
        {
            get { return GetInfo().has_scratch != 0; }
            set { EditInfo((ref Native.RoxChartInfo info) => info.has_scratch = value ? 1u : 0u); }
        }

        /// <summary>Song-select preview start in microseconds, if given.</summary>
        public long? PreviewTimeUs
        {
            get { Native.RoxChartInfo info = GetInfo(); return Optional(info.present, NativeMethods.ROX_INFO_PREVIEW_TIME, info.preview_time_us); }
            set { EditInfo((ref Native.RoxChartInfo info) => info.preview_time_us = Put(ref info.present, NativeMethods.ROX_INFO_PREVIEW_TIME, value)); }
        }

        /// <summary>Online id of the chart (osu! BeatmapID, Quaver MapId), if given.</summary>
        public long? ChartId
        {
            get { Native.RoxChartInfo info = GetInfo(); return Optional(info.present, NativeMethods.ROX_INFO_CHART_ID, info.chart_id); }
            set { EditInfo((ref Native.RoxChartInfo info) => info.chart_id = Put(ref info.present, NativeMethods.ROX_INFO_CHART_ID, value)); }
        }

        /// <summary>Online id of the chart's set (osu! BeatmapSetID, Quaver MapSetId), if given.</summary>
        public long? SetId
        {
            get { Native.RoxChartInfo info = GetInfo(); return Optional(info.present, NativeMethods.ROX_INFO_SET_ID, info.set_id); }
            set { EditInfo((ref Native.RoxChartInfo info) => info.set_id = Put(ref info.present, NativeMethods.ROX_INFO_SET_ID, value)); }
        }

        /// <summary>Numeric difficulty (StepMania meter), if given.</summary>
        public double? DifficultyLevel
        {
            get { Native.RoxChartInfo info = GetInfo(); return Optional(info.present, NativeMethods.ROX_INFO_DIFFICULTY_LEVEL, info.difficulty_level); }
            set { EditInfo((ref Native.RoxChartInfo info) => info.difficulty_level = Put(ref info.present, NativeMethods.ROX_INFO_DIFFICULTY_LEVEL, value)); }
        }

        /// <summary>osu! HP drain rate, if given.</summary>
        public double? HpDrain
        {
            get { Native.RoxChartInfo info = GetInfo(); return Optional(info.present, NativeMethods.ROX_INFO_HP_DRAIN, info.hp_drain); }
            set { EditInfo((ref Native.RoxChartInfo info) => info.hp_drain = Put(ref info.present, NativeMethods.ROX_INFO_HP_DRAIN, value)); }
        }

        /// <summary>osu! overall difficulty, if given.</summary>
        public double? OverallDifficulty
        {
            get { Native.RoxChartInfo info = GetInfo(); return Optional(info.present, NativeMethods.ROX_INFO_OVERALL_DIFFICULTY, info.overall_difficulty); }
            set { EditInfo((ref Native.RoxChartInfo info) => info.overall_difficulty = Put(ref info.present, NativeMethods.ROX_INFO_OVERALL_DIFFICULTY, value)); }
        }

        /// <summary>Number of notes.</summary>
        public int NoteCount
        {
            get
            {
                using (HandleLease lease = Read())
                {
                    return NoteCountOf(lease.Chart);
                }
            }
        }

        /// <summary>All notes, sorted by time then column.</summary>
        public RoxNote[] GetNotes()
        {
            using (HandleLease lease = Read())
            {
                var notes = new RoxNote[NoteCountOf(lease.Chart)];
                CopyNotes(lease.Chart, notes, 0);
                return notes;
            }
        }

        /// <summary>Copies notes from index <paramref name="start"/> into <paramref name="destination"/>.</summary>
        /// <returns>How many were copied: the smaller of the destination length and the notes from <paramref name="start"/> on.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="start"/> is negative.</exception>
        /// <exception cref="RoxArgumentException"><paramref name="start"/> is beyond <see cref="NoteCount"/>.</exception>
        public int CopyNotes(Span<RoxNote> destination, int start = 0)
        {
            CheckStart(start);
            using (HandleLease lease = Read())
            {
                return CopyNotes(lease.Chart, destination, start);
            }
        }

        /// <summary>Adds one note; the chart keeps its notes sorted.</summary>
        /// <param name="timeUs">Hit time in microseconds.</param>
        /// <param name="column">0-based column, below <see cref="KeyCount"/>.</param>
        /// <param name="kind">Note kind.</param>
        /// <param name="durationUs">Length of a hold or roll in microseconds (&gt; 0); 0 for other kinds.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="column"/> is not 0 to 255.</exception>
        /// <exception cref="RoxArgumentException">The column is not below the key count, or the kind is unknown.</exception>
        /// <exception cref="RoxInvalidChartException">The duration does not suit the kind, or the time is out of range.</exception>
        public void AddNote(long timeUs, int column, RoxNoteKind kind = RoxNoteKind.Tap, long durationUs = 0)
        {
            var note = new RoxNote(timeUs, column, kind, durationUs);
            AddNotes(new ReadOnlySpan<RoxNote>(&note, 1));
        }

        /// <summary>Adds notes, all or none; the chart keeps its notes sorted.</summary>
        /// <exception cref="RoxArgumentException">A note has a bad column, kind or keysound index; the chart is unchanged.</exception>
        /// <exception cref="RoxInvalidChartException">A note has a bad duration or time; the chart is unchanged.</exception>
        public void AddNotes(ReadOnlySpan<RoxNote> notes)
        {
            using (HandleLease lease = Write())
            {
                fixed (RoxNote* p = &MemoryMarshal.GetReference(notes))
                {
                    Ensure.Success(NativeMethods.rox_chart_add_notes(lease.Chart, (Native.RoxNote*)p, Size(notes.Length)));
                }
            }
        }

        /// <summary>Removes every note.</summary>
        public void ClearNotes()
        {
            using (HandleLease lease = Write())
            {
                Ensure.Success(NativeMethods.rox_chart_clear_notes(lease.Chart));
            }
        }

        /// <summary>Number of timing points.</summary>
        public int TimingPointCount
        {
            get
            {
                using (HandleLease lease = Read())
                {
                    return TimingCountOf(lease.Chart);
                }
            }
        }

        /// <summary>All timing points, sorted by time.</summary>
        public RoxTimingPoint[] GetTimingPoints()
        {
            using (HandleLease lease = Read())
            {
                var points = new RoxTimingPoint[TimingCountOf(lease.Chart)];
                CopyTimingPoints(lease.Chart, points, 0);
                return points;
            }
        }

        /// <summary>Copies timing points from index <paramref name="start"/> into <paramref name="destination"/>.</summary>
        /// <returns>How many were copied.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="start"/> is negative.</exception>
        /// <exception cref="RoxArgumentException"><paramref name="start"/> is beyond <see cref="TimingPointCount"/>.</exception>
        public int CopyTimingPoints(Span<RoxTimingPoint> destination, int start = 0)
        {
            CheckStart(start);
            using (HandleLease lease = Read())
            {
                return CopyTimingPoints(lease.Chart, destination, start);
            }
        }

        /// <summary>Adds one timing point; the chart keeps them sorted by time.</summary>
        /// <exception cref="RoxArgumentException">Unknown kind, or a field the kind does not use is not 0.</exception>
        /// <exception cref="RoxInvalidChartException">Non-positive BPM, non-finite value, negative stop or delay, time out of range.</exception>
        public void AddTimingPoint(RoxTimingPoint point)
        {
            AddTimingPoints(new ReadOnlySpan<RoxTimingPoint>(&point, 1));
        }

        /// <summary>Adds timing points, all or none (see <see cref="AddTimingPoint"/> for the checks).</summary>
        public void AddTimingPoints(ReadOnlySpan<RoxTimingPoint> points)
        {
            using (HandleLease lease = Write())
            {
                fixed (RoxTimingPoint* p = &MemoryMarshal.GetReference(points))
                {
                    Ensure.Success(NativeMethods.rox_chart_add_timing(lease.Chart, (Native.RoxTimingPoint*)p, Size(points.Length)));
                }
            }
        }

        /// <summary>Adds a tempo change.</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="meter"/> is negative.</exception>
        public void AddBpm(long timeUs, double bpm, int meter = 4)
        {
            if (meter < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(meter), meter, "meter cannot be negative");
            }
            AddTimingPoint(RoxTimingPoint.CreateBpm(timeUs, bpm, (uint)meter));
        }

        /// <summary>Adds a scroll speed change (1.0 is normal speed).</summary>
        public void AddScroll(long timeUs, double multiplier)
        {
            AddTimingPoint(RoxTimingPoint.CreateScroll(timeUs, multiplier));
        }

        /// <summary>Removes every timing point.</summary>
        public void ClearTimingPoints()
        {
            using (HandleLease lease = Write())
            {
                Ensure.Success(NativeMethods.rox_chart_clear_timing(lease.Chart));
            }
        }

        /// <summary>Sample files that notes reference by index (<see cref="RoxNote.Keysound"/>); a snapshot.</summary>
        public IReadOnlyList<string> GetKeysounds()
        {
            using (HandleLease lease = Read())
            {
                UIntPtr count;
                Ensure.Success(NativeMethods.rox_chart_keysound_count(lease.Chart, &count));
                var keysounds = new string[ToInt(count)];
                for (int i = 0; i < keysounds.Length; i++)
                {
                    var source = new KeysoundSource { Chart = lease.Chart, Index = Size(i) };
                    keysounds[i] = Utf8.Read(ref source);
                }
                return keysounds;
            }
        }

        /// <summary>Appends a keysound file name.</summary>
        /// <returns>Its index, for <see cref="RoxNote.Keysound"/>.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="file"/> is null.</exception>
        public int AddKeysound(string file)
        {
            using (HandleLease lease = Write())
            {
                var sink = new KeysoundSink { Chart = lease.Chart };
                Utf8.Write(file, ref sink);
                return checked((int)sink.Index);
            }
        }

        /// <summary>Every problem that would make <see cref="Encode(RoxFormat)"/> refuse the chart; empty when it is valid.</summary>
        public IReadOnlyList<RoxValidationIssue> Validate()
        {
            using (HandleLease lease = Read())
            {
                UIntPtr count;
                Ensure.Success(NativeMethods.rox_chart_validate(lease.Chart, null, Size(0), &count));
                var raw = new Native.RoxIssue[ToInt(count)];
                var issues = new RoxValidationIssue[raw.Length];
                fixed (Native.RoxIssue* p = raw)
                {
                    Ensure.Success(NativeMethods.rox_chart_validate(lease.Chart, p, Size(raw.Length), &count));
                    for (int i = 0; i < raw.Length; i++)
                    {
                        var source = new IssueSource { Issue = p + i };
                        issues[i] = new RoxValidationIssue((RoxIssueKind)p[i].kind, (long)p[i].index, p[i].time_us, Utf8.Read(ref source));
                    }
                }
                return issues;
            }
        }

        private HandleLease Read()
        {
            return new HandleLease(_handle, _lock, false, nameof(RoxChart));
        }

        private HandleLease Write()
        {
            return new HandleLease(_handle, _lock, true, nameof(RoxChart));
        }

        // Not in Decode: see RoxLibrary.EnsureLoaded.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static RoxChart DecodeCore(ReadOnlySpan<byte> data, RoxFormat format, string context)
        {
            var handle = new RoxChartHandle();
            Native.RoxChart* created = null;
            Native.RoxStatus status;
            fixed (byte* p = &MemoryMarshal.GetReference(data))
            {
                status = NativeMethods.rox_chart_decode(p, Size(data.Length), (int)format, &created);
            }
            handle.Adopt((IntPtr)created, status, context);
            return new RoxChart(handle);
        }

        private string GetString(RoxMetaField field)
        {
            using (HandleLease lease = Read())
            {
                var source = new FieldSource { Chart = lease.Chart, Field = (int)field };
                return Utf8.Read(ref source);
            }
        }

        private void SetString(RoxMetaField field, string value)
        {
            using (HandleLease lease = Write())
            {
                var sink = new FieldSink { Chart = lease.Chart, Field = (int)field };
                Utf8.Write(value, ref sink);
            }
        }

        private static Native.RoxChartInfo ReadInfo(Native.RoxChart* chart)
        {
            var info = new Native.RoxChartInfo { struct_size = (uint)sizeof(Native.RoxChartInfo) };
            Ensure.Success(NativeMethods.rox_chart_get_info(chart, &info));
            return info;
        }

        private Native.RoxChartInfo GetInfo()
        {
            using (HandleLease lease = Read())
            {
                return ReadInfo(lease.Chart);
            }
        }

        private delegate void InfoEdit(ref Native.RoxChartInfo info);

        /// <summary>Read-modify-write of the numeric info under one exclusive lease.</summary>
        private void EditInfo(InfoEdit edit)
        {
            using (HandleLease lease = Write())
            {
                Native.RoxChartInfo info = ReadInfo(lease.Chart);
                edit(ref info);
                Ensure.Success(NativeMethods.rox_chart_set_info(lease.Chart, &info));
            }
        }

        private static long? Optional(uint present, uint bit, long value)
        {
            return (present & bit) != 0 ? value : (long?)null;
        }

        private static double? Optional(uint present, uint bit, double value)
        {
            return (present & bit) != 0 ? value : (double?)null;
        }

        /// <summary>Sets or clears <paramref name="bit"/> and returns the value to store (0 when absent).</summary>
        private static T Put<T>(ref uint present, uint bit, T? value) where T : struct
        {
            present = value.HasValue ? present | bit : present & ~bit;
            return value.GetValueOrDefault();
        }

        private static int NoteCountOf(Native.RoxChart* chart)
        {
            UIntPtr count;
            Ensure.Success(NativeMethods.rox_chart_note_count(chart, &count));
            return ToInt(count);
        }

        private static int CopyNotes(Native.RoxChart* chart, Span<RoxNote> destination, int start)
        {
            UIntPtr written;
            fixed (RoxNote* p = &MemoryMarshal.GetReference(destination))
            {
                Ensure.Success(NativeMethods.rox_chart_copy_notes(chart, Size(start), (Native.RoxNote*)p, Size(destination.Length), &written));
            }
            return ToInt(written);
        }

        private static int TimingCountOf(Native.RoxChart* chart)
        {
            UIntPtr count;
            Ensure.Success(NativeMethods.rox_chart_timing_count(chart, &count));
            return ToInt(count);
        }

        private static int CopyTimingPoints(Native.RoxChart* chart, Span<RoxTimingPoint> destination, int start)
        {
            UIntPtr written;
            fixed (RoxTimingPoint* p = &MemoryMarshal.GetReference(destination))
            {
                Ensure.Success(NativeMethods.rox_chart_copy_timing(chart, Size(start), (Native.RoxTimingPoint*)p, Size(destination.Length), &written));
            }
            return ToInt(written);
        }

        private static void CheckKeyCount(int keyCount)
        {
            if (keyCount < 1 || keyCount > MaxKeyCount)
            {
                throw new ArgumentOutOfRangeException(nameof(keyCount), keyCount, "a chart has 1 to 18 columns");
            }
        }

        private static void CheckStart(int start)
        {
            if (start < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(start), start, "start cannot be negative");
            }
        }

        private struct FieldSource : Utf8.ISource
        {
            public Native.RoxChart* Chart;
            public int Field;

            public Native.RoxStatus Read(byte* buf, UIntPtr len, UIntPtr* outLen)
            {
                return NativeMethods.rox_chart_get_string(Chart, Field, buf, len, outLen);
            }
        }

        private struct FieldSink : Utf8.ISink
        {
            public Native.RoxChart* Chart;
            public int Field;

            public Native.RoxStatus Write(byte* utf8, UIntPtr len)
            {
                return NativeMethods.rox_chart_set_string(Chart, Field, utf8, len);
            }
        }

        private struct KeysoundSource : Utf8.ISource
        {
            public Native.RoxChart* Chart;
            public UIntPtr Index;

            public Native.RoxStatus Read(byte* buf, UIntPtr len, UIntPtr* outLen)
            {
                return NativeMethods.rox_chart_get_keysound(Chart, Index, buf, len, outLen);
            }
        }

        private struct KeysoundSink : Utf8.ISink
        {
            public Native.RoxChart* Chart;
            public uint Index;

            public Native.RoxStatus Write(byte* utf8, UIntPtr len)
            {
                uint index;
                Native.RoxStatus status = NativeMethods.rox_chart_add_keysound(Chart, utf8, len, &index);
                Index = index;
                return status;
            }
        }

        private struct IssueSource : Utf8.ISource
        {
            public Native.RoxIssue* Issue;

            public Native.RoxStatus Read(byte* buf, UIntPtr len, UIntPtr* outLen)
            {
                return NativeMethods.rox_issue_describe(Issue, buf, len, outLen);
            }
        }

        private struct ReportEncoder : IReportEncoder
        {
            public Native.RoxChart* Chart;

            public Native.RoxStatus Encode(int format, byte** buf, UIntPtr* len, Native.RoxReport** report)
            {
                return NativeMethods.rox_chart_encode_report(Chart, format, buf, len, report);
            }
        }
    }
}

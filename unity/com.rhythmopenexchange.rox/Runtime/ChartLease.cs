using System;
using System.Runtime.InteropServices;
using System.Threading;
using RhythmOpenExchange.Native;
using static RhythmOpenExchange.Interop;

namespace RhythmOpenExchange
{
    /// <summary>Shared or exclusive access to one native chart for the duration of a few calls, and those
    /// calls: the only code that passes a chart pointer to <c>NativeMethods</c>.</summary>
    /// <remarks>
    /// Keeps the chart alive (<see cref="NativeHandle.Acquire"/>) and holds the chart's lock: readers get
    /// shared access, mutations exclusive access, as the ABI requires of charts. Every method checks the
    /// status and throws the mapped exception.
    /// A plain struct (not a ref struct) so C# 7.2 can use it in a <c>using</c> statement.
    /// </remarks>
    internal unsafe struct ChartLease : IDisposable
    {
        private readonly RoxChartHandle _handle;
        private readonly ReaderWriterLockSlim _lock;
        private readonly bool _write;
        private readonly Native.RoxChart* _chart;

        /// <param name="handle">The chart to keep alive.</param>
        /// <param name="rwLock">The chart's lock.</param>
        /// <param name="write">Exclusive (true) or shared access.</param>
        internal ChartLease(RoxChartHandle handle, ReaderWriterLockSlim rwLock, bool write)
        {
            IntPtr pointer = handle.Acquire(nameof(RoxChart));
            try
            {
                if (write)
                {
                    rwLock.EnterWriteLock();
                }
                else
                {
                    rwLock.EnterReadLock();
                }
            }
            catch
            {
                handle.Release();
                throw;
            }
            _handle = handle;
            _lock = rwLock;
            _write = write;
            _chart = (Native.RoxChart*)pointer;
        }

        public void Dispose()
        {
            if (_write)
            {
                _lock.ExitWriteLock();
            }
            else
            {
                _lock.ExitReadLock();
            }
            _handle.Release();
        }

        internal RoxChartHandle Clone()
        {
            var handle = new RoxChartHandle();
            Native.RoxChart* created = null;
            Native.RoxStatus status = NativeMethods.rox_chart_clone(_chart, &created);
            handle.Adopt((IntPtr)created, status, null);
            return handle;
        }

        internal RoxTimelineHandle NewTimeline(RoxTimelineRules rules, RoxScrollAlgorithm scroll)
        {
            var handle = new RoxTimelineHandle();
            Native.RoxTimeline* created = null;
            Native.RoxStatus status = NativeMethods.rox_timeline_new(_chart, (int)rules, (int)scroll, &created);
            handle.Adopt((IntPtr)created, status, null);
            return handle;
        }

        internal RoxFormat SourceFormat(out RoxTimelineRules rules)
        {
            int format, ownRules;
            Ensure.Success(NativeMethods.rox_chart_source_format(_chart, &format, &ownRules));
            rules = (RoxTimelineRules)ownRules;
            return (RoxFormat)format;
        }

        /// <summary>Every metadata string and the numeric info.</summary>
        internal RoxChartMetadata ReadMetadata()
        {
            var strings = new string[RoxChartMetadata.FieldCount];
            for (int field = 0; field < strings.Length; field++)
            {
                strings[field] = GetString((RoxMetaField)field);
            }
            return new RoxChartMetadata(strings, GetInfo());
        }

        internal string GetString(RoxMetaField field)
        {
            var source = new FieldSource { Chart = _chart, Field = (int)field };
            return Utf8.Read(ref source);
        }

        internal void SetString(RoxMetaField field, string value)
        {
            var sink = new FieldSink { Chart = _chart, Field = (int)field };
            Utf8.Write(value, ref sink, field.ToString());
        }

        internal Native.RoxChartInfo GetInfo()
        {
            var info = new Native.RoxChartInfo { struct_size = (uint)sizeof(Native.RoxChartInfo) };
            Ensure.Success(NativeMethods.rox_chart_get_info(_chart, &info));
            return info;
        }

        internal void SetInfo(Native.RoxChartInfo info)
        {
            Ensure.Success(NativeMethods.rox_chart_set_info(_chart, &info));
        }

        internal int NoteCount()
        {
            UIntPtr count;
            Ensure.Success(NativeMethods.rox_chart_note_count(_chart, &count));
            return ToInt(count);
        }

        internal int CopyNotes(Span<RoxNote> destination, int start)
        {
            UIntPtr written;
            fixed (RoxNote* p = &MemoryMarshal.GetReference(destination))
            {
                Ensure.Success(NativeMethods.rox_chart_copy_notes(_chart, Size(start), (Native.RoxNote*)p, Size(destination.Length), &written));
            }
            return ToInt(written);
        }

        /// <summary>The chart's own array of notes (<c>rox_chart_notes_view</c>), valid while this lease holds
        /// the read lock.</summary>
        internal RoxNote* ViewNotes(out int count)
        {
            Native.RoxNote* notes;
            UIntPtr length;
            Ensure.Success(NativeMethods.rox_chart_notes_view(_chart, &notes, &length));
            count = ToInt(length);
            return (RoxNote*)notes;
        }

        internal void AddNotes(ReadOnlySpan<RoxNote> notes)
        {
            fixed (RoxNote* p = &MemoryMarshal.GetReference(notes))
            {
                Ensure.Success(NativeMethods.rox_chart_add_notes(_chart, (Native.RoxNote*)p, Size(notes.Length)));
            }
        }

        internal void ReplaceNotes(ReadOnlySpan<RoxNote> notes)
        {
            fixed (RoxNote* p = &MemoryMarshal.GetReference(notes))
            {
                Ensure.Success(NativeMethods.rox_chart_replace_notes(_chart, (Native.RoxNote*)p, Size(notes.Length)));
            }
        }

        internal void ClearNotes()
        {
            Ensure.Success(NativeMethods.rox_chart_clear_notes(_chart));
        }

        internal int TimingCount()
        {
            UIntPtr count;
            Ensure.Success(NativeMethods.rox_chart_timing_count(_chart, &count));
            return ToInt(count);
        }

        internal int CopyTimingPoints(Span<RoxTimingPoint> destination, int start)
        {
            UIntPtr written;
            fixed (RoxTimingPoint* p = &MemoryMarshal.GetReference(destination))
            {
                Ensure.Success(NativeMethods.rox_chart_copy_timing(_chart, Size(start), (Native.RoxTimingPoint*)p, Size(destination.Length), &written));
            }
            return ToInt(written);
        }

        /// <summary>The chart's own array of timing points (<c>rox_chart_timing_view</c>), valid while this
        /// lease holds the read lock.</summary>
        internal RoxTimingPoint* ViewTimingPoints(out int count)
        {
            Native.RoxTimingPoint* points;
            UIntPtr length;
            Ensure.Success(NativeMethods.rox_chart_timing_view(_chart, &points, &length));
            count = ToInt(length);
            return (RoxTimingPoint*)points;
        }

        internal void AddTimingPoints(ReadOnlySpan<RoxTimingPoint> points)
        {
            fixed (RoxTimingPoint* p = &MemoryMarshal.GetReference(points))
            {
                Ensure.Success(NativeMethods.rox_chart_add_timing(_chart, (Native.RoxTimingPoint*)p, Size(points.Length)));
            }
        }

        internal void ClearTimingPoints()
        {
            Ensure.Success(NativeMethods.rox_chart_clear_timing(_chart));
        }

        internal string[] GetKeysounds()
        {
            UIntPtr count;
            Ensure.Success(NativeMethods.rox_chart_keysound_count(_chart, &count));
            var keysounds = new string[ToInt(count)];
            for (int i = 0; i < keysounds.Length; i++)
            {
                var source = new KeysoundSource { Chart = _chart, Index = Size(i) };
                keysounds[i] = Utf8.Read(ref source);
            }
            return keysounds;
        }

        internal int AddKeysound(string file)
        {
            var sink = new KeysoundSink { Chart = _chart };
            Utf8.Write(file, ref sink, nameof(file));
            return checked((int)sink.Index);
        }

        internal double StarRating(double clockRate)
        {
            double stars;
            Ensure.Success(NativeMethods.rox_chart_star_rating(_chart, clockRate, &stars));
            return stars;
        }

        internal Native.RoxChartStats GetStats()
        {
            Native.RoxChartStats stats;
            Ensure.Success(NativeMethods.rox_chart_get_stats(_chart, &stats));
            return stats;
        }

        /// <summary>Played notes per column (<paramref name="columns"/>) or the chord-size histogram.</summary>
        internal int[] CopyStatsArray(bool columns)
        {
            UIntPtr count;
            Ensure.Success(CopyStatsArray(columns, null, 0, &count));
            var raw = new ulong[ToInt(count)];
            fixed (ulong* p = raw)
            {
                Ensure.Success(CopyStatsArray(columns, p, raw.Length, &count));
            }
            return ToCounts(raw);
        }

        private Native.RoxStatus CopyStatsArray(bool columns, ulong* buffer, int length, UIntPtr* count)
        {
            return columns
                ? NativeMethods.rox_chart_copy_column_counts(_chart, buffer, Size(length), count)
                : NativeMethods.rox_chart_copy_chord_sizes(_chart, buffer, Size(length), count);
        }

        internal int[] Density(int buckets)
        {
            var raw = new ulong[buckets];
            fixed (ulong* p = raw)
            {
                Ensure.Success(NativeMethods.rox_chart_density(_chart, p, Size(buckets)));
            }
            return ToCounts(raw);
        }

        internal double MaxNps(long windowUs)
        {
            double nps;
            Ensure.Success(NativeMethods.rox_chart_max_nps(_chart, windowUs, &nps));
            return nps;
        }

        internal ulong ContentHash()
        {
            ulong hash;
            Ensure.Success(NativeMethods.rox_chart_content_hash(_chart, &hash));
            return hash;
        }

        private static int[] ToCounts(ulong[] raw)
        {
            var counts = new int[raw.Length];
            for (int i = 0; i < raw.Length; i++)
            {
                counts[i] = checked((int)raw[i]);
            }
            return counts;
        }

        internal RoxPatternSection[] Patterns(long windowUs)
        {
            UIntPtr count;
            Ensure.Success(NativeMethods.rox_chart_patterns(_chart, windowUs, null, Size(0), &count));
            var sections = new RoxPatternSection[ToInt(count)];
            fixed (RoxPatternSection* p = sections)
            {
                Ensure.Success(NativeMethods.rox_chart_patterns(
                    _chart, windowUs, (Native.RoxPatternSection*)p, Size(sections.Length), &count));
            }
            return sections;
        }

        internal double[] PatternShares(long windowUs)
        {
            var shares = new double[NativeMethods.ROX_PATTERN_KIND_COUNT];
            fixed (double* p = shares)
            {
                Ensure.Success(NativeMethods.rox_chart_pattern_shares(_chart, windowUs, p, Size(shares.Length)));
            }
            return shares;
        }

        internal RoxValidationIssue[] Validate()
        {
            UIntPtr count;
            Ensure.Success(NativeMethods.rox_chart_validate(_chart, null, Size(0), &count));
            var raw = new Native.RoxIssue[ToInt(count)];
            var issues = new RoxValidationIssue[raw.Length];
            fixed (Native.RoxIssue* p = raw)
            {
                Ensure.Success(NativeMethods.rox_chart_validate(_chart, p, Size(raw.Length), &count));
                for (int i = 0; i < raw.Length; i++)
                {
                    var source = new IssueSource { Issue = p + i };
                    issues[i] = new RoxValidationIssue(
                        (RoxIssueKind)p[i].kind,
                        (p[i].present & NativeMethods.ROX_ISSUE_INDEX) != 0 ? checked((long)p[i].index) : (long?)null,
                        (p[i].present & NativeMethods.ROX_ISSUE_TIME) != 0 ? p[i].time_us : (long?)null,
                        Utf8.Read(ref source));
                }
            }
            return issues;
        }

        internal byte[] Encode(RoxFormat format)
        {
            byte* buffer = null;
            UIntPtr length = UIntPtr.Zero;
            Native.RoxStatus status = NativeMethods.rox_chart_encode_alloc(_chart, (int)format, &buffer, &length);
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

        internal byte[] Encode(RoxFormat format, out ConversionReport report)
        {
            var encoder = new ReportEncoder { Chart = _chart };
            return EncodeWithReport(ref encoder, format, out report);
        }

        /// <returns>False if <paramref name="destination"/> is too small; <paramref name="written"/> is then the size needed.</returns>
        internal bool TryEncode(RoxFormat format, Span<byte> destination, out int written)
        {
            UIntPtr needed;
            Native.RoxStatus status;
            fixed (byte* p = &MemoryMarshal.GetReference(destination))
            {
                status = NativeMethods.rox_chart_encode(_chart, (int)format, p, Size(destination.Length), &needed);
            }
            if (status != Native.RoxStatus.BufferTooSmall)
            {
                Ensure.Success(status);
            }
            written = ToInt(needed);
            return status == Native.RoxStatus.Ok;
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

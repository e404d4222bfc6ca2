using System;
using System.Runtime.InteropServices;
using RhythmOpenExchange.Native;
using static RhythmOpenExchange.Interop;

namespace RhythmOpenExchange
{
    /// <summary>Keeps one native chart set alive for the duration of a few calls, and those calls: the only
    /// code that passes a set pointer to <c>NativeMethods</c>.</summary>
    /// <remarks>Sets are immutable, so no lock is needed. A plain struct so C# 7.2 can use it in <c>using</c>.</remarks>
    internal unsafe struct SetLease : IDisposable
    {
        private readonly RoxChartSetHandle _handle;
        private readonly Native.RoxChartSet* _set;

        internal SetLease(RoxChartSetHandle handle)
        {
            _set = (Native.RoxChartSet*)handle.Acquire(nameof(RoxChartSet));
            _handle = handle;
        }

        public void Dispose()
        {
            _handle.Release();
        }

        internal int Count()
        {
            UIntPtr count;
            Ensure.Success(NativeMethods.rox_set_count(_set, &count));
            return ToInt(count);
        }

        /// <summary>A new native copy of chart <paramref name="index"/> (checked by the caller).</summary>
        internal RoxChartHandle CopyChart(int index)
        {
            var handle = new RoxChartHandle();
            Native.RoxChart* created = null;
            Native.RoxStatus status = NativeMethods.rox_set_get_chart(_set, Size(index), &created);
            handle.Adopt((IntPtr)created, status, null);
            return handle;
        }

        internal string[] Resources()
        {
            UIntPtr count;
            Ensure.Success(NativeMethods.rox_set_resource_count(_set, &count));
            var names = new string[ToInt(count)];
            for (int i = 0; i < names.Length; i++)
            {
                var source = new ResourceSource { Set = _set, Index = Size(i) };
                names[i] = Utf8.Read(ref source);
            }
            return names;
        }

        internal ConversionReport Report()
        {
            Native.RoxReport* report = null;
            Native.RoxStatus status = NativeMethods.rox_set_report(_set, &report);
            using (var lease = new ReportLease(report))
            {
                Ensure.Success(status);
                return lease.Read();
            }
        }

        internal byte[] Encode(RoxFormat format, out ConversionReport report)
        {
            var encoder = new ReportEncoder { Set = _set };
            return EncodeWithReport(ref encoder, format, out report);
        }

        internal byte[] EncodeArchive(RoxFormat format, ReadOnlySpan<byte> source, out ConversionReport report)
        {
            fixed (byte* p = &MemoryMarshal.GetReference(source))
            {
                var encoder = new ArchiveEncoder { Set = _set, Source = p, SourceLength = Size(source.Length) };
                return EncodeWithReport(ref encoder, format, out report);
            }
        }

        private struct ResourceSource : Utf8.ISource
        {
            public Native.RoxChartSet* Set;
            public UIntPtr Index;

            public Native.RoxStatus Read(byte* buf, UIntPtr len, UIntPtr* outLen)
            {
                return NativeMethods.rox_set_get_resource(Set, Index, buf, len, outLen);
            }
        }

        private struct ReportEncoder : IReportEncoder
        {
            public Native.RoxChartSet* Set;

            public Native.RoxStatus Encode(int format, byte** buf, UIntPtr* len, Native.RoxReport** report)
            {
                return NativeMethods.rox_set_encode_report(Set, format, buf, len, report);
            }
        }

        private struct ArchiveEncoder : IReportEncoder
        {
            public Native.RoxChartSet* Set;
            public byte* Source;
            public UIntPtr SourceLength;

            public Native.RoxStatus Encode(int format, byte** buf, UIntPtr* len, Native.RoxReport** report)
            {
                return NativeMethods.rox_set_encode_archive(Set, format, Source, SourceLength, buf, len, report);
            }
        }
    }
}

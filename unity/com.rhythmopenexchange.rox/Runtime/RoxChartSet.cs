using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using RhythmOpenExchange.Native;
using static RhythmOpenExchange.Interop;

namespace RhythmOpenExchange
{
    /// <summary>Every chart of one file: the charts of a StepMania <c>.sm</c>/<c>.ssc</c>, the chart files of an
    /// osu! <c>.osz</c> or Quaver <c>.qp</c> archive, or the single chart of any other file.</summary>
    /// <remarks>
    /// Immutable. Charts taken out (<see cref="GetChart"/>) are independent copies that the caller disposes;
    /// they stay valid after the set is disposed. Every member may be called from any thread;
    /// <see cref="Dispose"/> may race with other calls as for <see cref="RoxChart"/>.
    /// </remarks>
    public sealed unsafe class RoxChartSet : IDisposable
    {
        private readonly RoxChartSetHandle _handle;

        private RoxChartSet(RoxChartSetHandle handle)
        {
            _handle = handle;
        }

        /// <summary>Reads every chart of a file's content.</summary>
        /// <param name="data">The file content.</param>
        /// <param name="format">The format, or <see cref="RoxFormat.Auto"/> to detect it from the content. Archives are
        /// recognised by content; a format other than Auto then reads only the archive's charts of that format.</param>
        /// <exception cref="RoxFormatException">The data is not a readable chart, or holds none.</exception>
        /// <exception cref="RoxCorruptDataException">A <c>.rox</c> file or an archive is damaged, or an archive is beyond the size limits.</exception>
        public static RoxChartSet Decode(byte[] data, RoxFormat format = RoxFormat.Auto)
        {
            if (data == null)
            {
                throw new ArgumentNullException(nameof(data));
            }
            return Decode(new ReadOnlySpan<byte>(data), format);
        }

        /// <summary>Reads every chart of a file's content (see <see cref="Decode(byte[], RoxFormat)"/>).</summary>
        public static RoxChartSet Decode(ReadOnlySpan<byte> data, RoxFormat format = RoxFormat.Auto)
        {
            RoxLibrary.EnsureLoaded();
            return DecodeCore(data, format, null);
        }

        /// <summary>Reads every chart of a file. The format is detected from the content, or else from the extension.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
        /// <exception cref="FileNotFoundException">The file does not exist (other I/O exceptions as <see cref="File.ReadAllBytes"/>).</exception>
        /// <exception cref="RoxFormatException">The file is not a readable chart; the message starts with the path.</exception>
        public static RoxChartSet Load(string path)
        {
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }
            RoxLibrary.EnsureLoaded();
            byte[] data = File.ReadAllBytes(path);
            return DecodeCore(data, FormatOfFile(path, data), path);
        }

        /// <summary>Number of charts; at least 1.</summary>
        public int Count
        {
            get
            {
                using (HandleLease lease = Lease())
                {
                    UIntPtr count;
                    Ensure.Success(NativeMethods.rox_set_count(lease.Set, &count));
                    return ToInt(count);
                }
            }
        }

        /// <summary>A new copy of chart <paramref name="index"/>, which the caller disposes (same as <see cref="GetChart"/>).</summary>
        public RoxChart this[int index]
        {
            get { return GetChart(index); }
        }

        /// <summary>A new copy of chart <paramref name="index"/>, which the caller disposes.</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative or not below <see cref="Count"/>.</exception>
        public RoxChart GetChart(int index)
        {
            using (HandleLease lease = Lease())
            {
                UIntPtr count;
                Ensure.Success(NativeMethods.rox_set_count(lease.Set, &count));
                if (index < 0 || index >= ToInt(count))
                {
                    throw new ArgumentOutOfRangeException(nameof(index), index, "the set has " + count + " chart(s)");
                }
                var handle = new RoxChartHandle();
                Native.RoxChart* created = null;
                Native.RoxStatus status = NativeMethods.rox_set_get_chart(lease.Set, Size(index), &created);
                handle.Adopt((IntPtr)created, status, null);
                return new RoxChart(handle);
            }
        }

        /// <summary>Names (paths inside the archive) of the archive's files that are not charts (audio, images…);
        /// empty for a set that is not from an archive. They are listed, not loaded.</summary>
        public IReadOnlyList<string> Resources
        {
            get
            {
                using (HandleLease lease = Lease())
                {
                    UIntPtr count;
                    Ensure.Success(NativeMethods.rox_set_resource_count(lease.Set, &count));
                    var names = new string[ToInt(count)];
                    for (int i = 0; i < names.Length; i++)
                    {
                        var source = new ResourceSource { Set = lease.Set, Index = Size(i) };
                        names[i] = Utf8.Read(ref source);
                    }
                    return names;
                }
            }
        }

        /// <summary>What reading lost: source data the model has no place for, and archive entries that could not be
        /// read (<see cref="RoxLossKind.ChartDropped"/>). Usually empty.</summary>
        public ConversionReport Report
        {
            get
            {
                using (HandleLease lease = Lease())
                {
                    Native.RoxReport* report = null;
                    try
                    {
                        Ensure.Success(NativeMethods.rox_set_report(lease.Set, &report));
                        return ConversionReport.Read(report);
                    }
                    finally
                    {
                        NativeMethods.rox_report_free(report);
                    }
                }
            }
        }

        /// <summary>Writes every chart into one file of <paramref name="format"/>, which must hold several charts
        /// (<see cref="RoxFormat.Sm"/>, <see cref="RoxFormat.Ssc"/>) unless the set has one chart.</summary>
        /// <param name="format">Output format (not <see cref="RoxFormat.Auto"/>).</param>
        /// <param name="report">What the format could not hold, with positions; empty when nothing was lost.</param>
        /// <exception cref="RoxArgumentException">Several charts and a one-chart format.</exception>
        /// <exception cref="RoxInvalidChartException">A chart fails validation.</exception>
        /// <exception cref="RoxFormatException">This build cannot write <paramref name="format"/>.</exception>
        public byte[] Encode(RoxFormat format, out ConversionReport report)
        {
            using (HandleLease lease = Lease())
            {
                var encoder = new ReportEncoder { Set = lease.Set };
                return EncodeWithReport(ref encoder, format, out report);
            }
        }

        /// <summary>Frees the native set (not the charts taken from it). Calling it again does nothing.</summary>
        public void Dispose()
        {
            _handle.Dispose();
        }

        private HandleLease Lease()
        {
            // Immutable: no lock, only kept alive.
            return new HandleLease(_handle, null, false, nameof(RoxChartSet));
        }

        private static RoxChartSet DecodeCore(ReadOnlySpan<byte> data, RoxFormat format, string context)
        {
            var handle = new RoxChartSetHandle();
            Native.RoxChartSet* created = null;
            Native.RoxStatus status;
            fixed (byte* p = &MemoryMarshal.GetReference(data))
            {
                status = NativeMethods.rox_set_decode(p, Size(data.Length), (int)format, &created);
            }
            handle.Adopt((IntPtr)created, status, context);
            return new RoxChartSet(handle);
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
    }
}

using System;
using System.Collections.Generic;
using System.IO;

namespace RhythmOpenExchange
{
    /// <summary>Every chart of one file: the charts of a StepMania <c>.sm</c>/<c>.ssc</c>, the chart files of an
    /// osu! <c>.osz</c> or Quaver <c>.qp</c> archive, or the single chart of any other file.</summary>
    /// <remarks>
    /// Immutable. The indexer gives each chart's metadata (titles, difficulty names, key counts…), read once for
    /// all charts on first use; <see cref="GetChart"/> gives a whole chart as an independent copy that the caller
    /// disposes, valid after the set is disposed. Every member may be called from any thread;
    /// <see cref="Dispose"/> may race with other calls as for <see cref="RoxChart"/>.
    /// </remarks>
    public sealed class RoxChartSet : IDisposable
    {
        private readonly RoxChartSetHandle _handle;

        // Null until the indexer is first used. The set is immutable, so two threads reading it at once
        // store equal arrays.
        private volatile RoxChartMetadata[] _charts;

        private RoxChartSet(RoxChartSetHandle handle)
        {
            _handle = handle;
        }

        /// <summary>Reads every chart of a file's content.</summary>
        /// <param name="data">The file content.</param>
        /// <param name="format">The format, or <see cref="RoxFormat.Auto"/> to detect it from the content (for an
        /// archive, each chart file's own format). Archives are recognised by content; a format other than Auto then
        /// reads only the archive's charts of that format.</param>
        /// <exception cref="RoxFormatException">The data is not a readable chart, or holds none.</exception>
        /// <exception cref="RoxCorruptDataException">A <c>.rox</c> file or an archive is damaged, or an archive is beyond the size limits.</exception>
        /// <param name="limits">What the decode may build, all charts together; null for <see cref="RoxDecodeLimits"/>'
        /// defaults. Beyond them: <see cref="RoxCorruptDataException"/>.</param>
        public static RoxChartSet Decode(byte[] data, RoxFormat format = RoxFormat.Auto, RoxDecodeLimits limits = null)
        {
            if (data == null)
            {
                throw new ArgumentNullException(nameof(data));
            }
            return Decode(new ReadOnlySpan<byte>(data), format, limits);
        }

        /// <summary>Reads every chart of a file's content (see <see cref="Decode(byte[], RoxFormat, RoxDecodeLimits)"/>).</summary>
        public static RoxChartSet Decode(ReadOnlySpan<byte> data, RoxFormat format = RoxFormat.Auto, RoxDecodeLimits limits = null)
        {
            RoxLibrary.EnsureLoaded();
            return new RoxChartSet(Interop.DecodeSet(data, format, null, limits));
        }

        /// <summary>Reads every chart of a file's content with <paramref name="options"/>: its limits, and the choices
        /// some formats leave open (a Friday Night Funkin' chart's sides, an osu!taiko map's columns).</summary>
        /// <param name="data">The file content.</param>
        /// <param name="format">As for <see cref="Decode(byte[], RoxFormat, RoxDecodeLimits)"/>.</param>
        /// <param name="options">How to read; not null (a new <see cref="RoxDecodeOptions"/> holds the defaults).</param>
        /// <exception cref="ArgumentNullException"><paramref name="data"/> or <paramref name="options"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">A negative limit, or an enum value out of range.</exception>
        /// <exception cref="RoxFormatException">The data is not a readable chart, or holds none.</exception>
        /// <exception cref="RoxCorruptDataException">Damaged data, or beyond the limits.</exception>
        public static RoxChartSet Decode(byte[] data, RoxFormat format, RoxDecodeOptions options)
        {
            if (data == null)
            {
                throw new ArgumentNullException(nameof(data));
            }
            return Decode(new ReadOnlySpan<byte>(data), format, options);
        }

        /// <summary>Reads every chart of a file's content with <paramref name="options"/> (see
        /// <see cref="Decode(byte[], RoxFormat, RoxDecodeOptions)"/>).</summary>
        public static RoxChartSet Decode(ReadOnlySpan<byte> data, RoxFormat format, RoxDecodeOptions options)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }
            RoxLibrary.EnsureLoaded();
            return new RoxChartSet(Interop.DecodeSet(data, format, null, options));
        }

        /// <summary>Reads every chart of a file. The format is detected from the content (for an archive, each
        /// chart file's own format), or else from the extension.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
        /// <exception cref="FileNotFoundException">The file does not exist (other I/O exceptions as <see cref="File.ReadAllBytes"/>).</exception>
        /// <exception cref="RoxFormatException">The file is not a readable chart; the message starts with the path.</exception>
        /// <param name="path">The file.</param>
        /// <param name="limits">What the decode may build, all charts together; null for the defaults.</param>
        public static RoxChartSet Load(string path, RoxDecodeLimits limits = null)
        {
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }
            RoxLibrary.EnsureLoaded();
            return new RoxChartSet(Interop.DecodeSet(File.ReadAllBytes(path), RoxFormat.Auto, path, limits));
        }

        /// <summary>Reads what a song-select screen shows of every chart of a file's content, fast: the set
        /// <see cref="Decode(ReadOnlySpan{byte}, RoxFormat, RoxDecodeLimits)"/> gives, but with no notes (they are
        /// passed over unread; metadata, key count, timing and keysounds are read, not the format-specific extras
        /// that only writing a chart back uses). Ten times faster than a decode. Decode the file to play or convert a chart.</summary>
        /// <exception cref="RoxFormatException">The data is not a readable chart, or holds none.</exception>
        /// <exception cref="RoxCorruptDataException">A <c>.rox</c> file or an archive is damaged, or beyond the limits.</exception>
        public static RoxChartSet ReadInfo(ReadOnlySpan<byte> data, RoxFormat format = RoxFormat.Auto, RoxDecodeLimits limits = null)
        {
            RoxLibrary.EnsureLoaded();
            return new RoxChartSet(Interop.DecodeSet(data, format, null, limits, notes: false));
        }

        /// <summary>Reads what a song-select screen shows of every chart of a file's content with
        /// <paramref name="options"/> (see <see cref="ReadInfo(ReadOnlySpan{byte}, RoxFormat, RoxDecodeLimits)"/>
        /// and <see cref="Decode(byte[], RoxFormat, RoxDecodeOptions)"/>): an FNF song's sides or a taiko map's
        /// columns as the game will decode them.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
        public static RoxChartSet ReadInfo(ReadOnlySpan<byte> data, RoxFormat format, RoxDecodeOptions options)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }
            RoxLibrary.EnsureLoaded();
            return new RoxChartSet(Interop.DecodeSet(data, format, null, options, notes: false));
        }

        /// <summary>Reads what a song-select screen shows of every chart of a file (see
        /// <see cref="ReadInfo(ReadOnlySpan{byte}, RoxFormat, RoxDecodeLimits)"/>). The format is detected from the
        /// content, or else from the extension.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
        /// <exception cref="FileNotFoundException">The file does not exist.</exception>
        /// <exception cref="RoxFormatException">The file is not a readable chart; the message starts with the path.</exception>
        public static RoxChartSet LoadInfo(string path, RoxDecodeLimits limits = null)
        {
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }
            RoxLibrary.EnsureLoaded();
            return new RoxChartSet(Interop.DecodeSet(File.ReadAllBytes(path), RoxFormat.Auto, path, limits, notes: false));
        }

        /// <summary>Number of charts; at least 1.</summary>
        public int Count
        {
            get
            {
                using (SetLease lease = Lease())
                {
                    return lease.Count();
                }
            }
        }

        /// <summary>The metadata of chart <paramref name="index"/>: no native call after the first use, no copy of
        /// the chart. For its notes and timing, take the chart with <see cref="GetChart"/>.</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative or not below <see cref="Count"/>.</exception>
        public RoxChartMetadata this[int index]
        {
            get
            {
                RoxChartMetadata[] charts = _charts;
                _handle.ThrowIfDisposed(nameof(RoxChartSet));
                charts = charts ?? (_charts = ReadMetadata());
                CheckIndex(index, charts.Length);
                return charts[index];
            }
        }

        /// <summary>A new, independent copy of chart <paramref name="index"/>, owned by the caller, who disposes it.
        /// Every call makes another copy.</summary>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative or not below <see cref="Count"/>.</exception>
        public RoxChart GetChart(int index)
        {
            using (SetLease lease = Lease())
            {
                CheckIndex(index, lease.Count());
                return new RoxChart(lease.CopyChart(index));
            }
        }

        /// <summary>Names (paths inside the archive) of the archive's files that are not charts (audio, images…);
        /// empty for a set that is not from an archive. They are listed, not loaded.</summary>
        public IReadOnlyList<string> Resources
        {
            get
            {
                using (SetLease lease = Lease())
                {
                    return lease.Resources();
                }
            }
        }

        /// <summary>What reading lost: source data the model has no place for, and archive entries that could not be
        /// read (<see cref="RoxLossKind.ChartDropped"/>). Usually empty.</summary>
        public ConversionReport Report
        {
            get
            {
                using (SetLease lease = Lease())
                {
                    return lease.Report();
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
            using (SetLease lease = Lease())
            {
                return lease.Encode(format, out report);
            }
        }

        /// <summary>Writes every chart as a <paramref name="chartFormat"/> file into one archive:
        /// <see cref="RoxFormat.Osu"/> makes an <c>.osz</c>, <see cref="RoxFormat.Qua"/> a <c>.qp</c>. The set's
        /// <see cref="Resources"/> (audio, images…) are copied unopened from <paramref name="sourceArchive"/>, the
        /// archive the set was read from.</summary>
        /// <param name="chartFormat"><see cref="RoxFormat.Osu"/> or <see cref="RoxFormat.Qua"/>.</param>
        /// <param name="sourceArchive">The bytes the set was decoded from, or <c>default</c>: then the resources are
        /// not written, and the report says so.</param>
        /// <param name="report">What each chart lost (messages start with its entry name), and every resource not
        /// written (<see cref="RoxLossKind.ResourceDropped"/>).</param>
        /// <exception cref="RoxArgumentException">Another format.</exception>
        /// <exception cref="RoxInvalidChartException">A chart fails validation.</exception>
        public byte[] EncodeArchive(RoxFormat chartFormat, ReadOnlySpan<byte> sourceArchive, out ConversionReport report)
        {
            using (SetLease lease = Lease())
            {
                return lease.EncodeArchive(chartFormat, sourceArchive, out report);
            }
        }

        /// <summary>Frees the native set (not the charts taken from it). Calling it again does nothing.</summary>
        public void Dispose()
        {
            _handle.Dispose();
        }

        private SetLease Lease()
        {
            return new SetLease(_handle);
        }

        /// <summary>Every chart's metadata; the native set has no per-chart metadata call, so each chart is
        /// copied once and freed.</summary>
        private RoxChartMetadata[] ReadMetadata()
        {
            using (SetLease lease = Lease())
            {
                var charts = new RoxChartMetadata[lease.Count()];
                for (int i = 0; i < charts.Length; i++)
                {
                    using (var chart = new RoxChart(lease.CopyChart(i)))
                    {
                        charts[i] = chart.Metadata;
                    }
                }
                return charts;
            }
        }

        private static void CheckIndex(int index, int count)
        {
            if (index < 0 || index >= count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, "the set has " + count + " chart(s)");
            }
        }
    }
}

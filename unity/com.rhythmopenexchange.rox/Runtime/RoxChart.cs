using System;
using System.IO;
using System.Threading;

namespace RhythmOpenExchange
{
    /// <summary>One playable chart held by the native ROX library: metadata, notes, timing points and keysounds.</summary>
    /// <remarks>
    /// Thread safety: every member may be called from any thread. Reads run concurrently; mutations take
    /// exclusive access (a <see cref="System.Threading.ReaderWriterLockSlim"/>). <see cref="Dispose"/> may race with other calls:
    /// calls already running finish first, later ones throw <see cref="ObjectDisposedException"/>.
    /// A chart that is never disposed is freed by the garbage collector.
    /// The members are split by concern: metadata (RoxChart.Metadata.cs), notes and keysounds (RoxChart.Notes.cs),
    /// timing (RoxChart.Timing.cs), writing and validation (RoxChart.Encoding.cs); every native call goes
    /// through a <see cref="ChartLease"/>.
    /// Strings given to a chart (metadata setters, <see cref="AddKeysound"/>, paths) throw
    /// <see cref="ArgumentNullException"/> for null and <see cref="ArgumentException"/> naming the property or
    /// parameter for a lone UTF-16 surrogate, which has no UTF-8 form; the chart is then unchanged.
    /// </remarks>
    public sealed partial class RoxChart : IDisposable
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
            _handle = Interop.NewChart(keyCount);
        }

        /// <summary>Wraps a chart whose handle already owns its native object.</summary>
        /// <param name="handle">The native chart.</param>
        /// <param name="metadata">Its metadata if already known (a clone's), else null: read on first use.</param>
        internal RoxChart(RoxChartHandle handle, RoxChartMetadata metadata = null)
        {
            _handle = handle;
            _metadata = metadata;
        }

        /// <summary>Reads a chart from bytes.</summary>
        /// <param name="data">The file content.</param>
        /// <param name="format">The format, or <see cref="RoxFormat.Auto"/> to detect it from the content.</param>
        /// <exception cref="RoxFormatException">The data is not a readable chart.</exception>
        /// <param name="limits">What the decode may build; null for <see cref="RoxDecodeLimits"/>' defaults.</param>
        /// <exception cref="RoxCorruptDataException">A <c>.rox</c> file is damaged, or the chart is beyond the limits.</exception>
        public static RoxChart Decode(byte[] data, RoxFormat format = RoxFormat.Auto, RoxDecodeLimits limits = null)
        {
            if (data == null)
            {
                throw new ArgumentNullException(nameof(data));
            }
            return Decode(new ReadOnlySpan<byte>(data), format, limits);
        }

        /// <summary>Reads a chart from bytes.</summary>
        /// <param name="data">The file content.</param>
        /// <param name="format">The format, or <see cref="RoxFormat.Auto"/> to detect it from the content.</param>
        /// <exception cref="RoxFormatException">The data is not a readable chart.</exception>
        /// <param name="limits">What the decode may build; null for <see cref="RoxDecodeLimits"/>' defaults.</param>
        /// <exception cref="RoxCorruptDataException">A <c>.rox</c> file is damaged, or the chart is beyond the limits.</exception>
        public static RoxChart Decode(ReadOnlySpan<byte> data, RoxFormat format = RoxFormat.Auto, RoxDecodeLimits limits = null)
        {
            RoxLibrary.EnsureLoaded();
            return new RoxChart(Interop.DecodeChart(data, format, null, limits));
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
                return set.GetChart(chartIndex);
            }
        }

        /// <summary>Reads a chart file (the first chart of a file holding several). The format is detected
        /// from the content, or else from the extension.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
        /// <exception cref="FileNotFoundException">The file does not exist (other I/O exceptions as <see cref="File.ReadAllBytes"/>).</exception>
        /// <exception cref="RoxFormatException">The file is not a readable chart; the message starts with the path.</exception>
        /// <param name="path">The file.</param>
        /// <param name="limits">What the decode may build; null for <see cref="RoxDecodeLimits"/>' defaults.</param>
        public static RoxChart Load(string path, RoxDecodeLimits limits = null)
        {
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }
            RoxLibrary.EnsureLoaded();
            return new RoxChart(Interop.DecodeChart(File.ReadAllBytes(path), RoxFormat.Auto, path, limits));
        }

        /// <summary>The metadata of a file's first chart (titles, difficulty, key count, audio and background
        /// files, preview time…), read without its notes: see <see cref="RoxChartSet.ReadInfo"/>.</summary>
        /// <exception cref="RoxFormatException">The data is not a readable chart, or holds none.</exception>
        public static RoxChartMetadata ReadInfo(ReadOnlySpan<byte> data, RoxFormat format = RoxFormat.Auto, RoxDecodeLimits limits = null)
        {
            using (RoxChartSet set = RoxChartSet.ReadInfo(data, format, limits))
            {
                return set[0];
            }
        }

        /// <summary>Independent copy of this chart.</summary>
        public RoxChart Clone()
        {
            using (ChartLease lease = Read())
            {
                // The metadata snapshot is immutable and, under the read lock, that of the copy too.
                return new RoxChart(lease.Clone(), _metadata);
            }
        }

        /// <summary>Frees the native chart. Calling it again does nothing.</summary>
        public void Dispose()
        {
            _handle.Dispose();
        }

        private ChartLease Read()
        {
            return new ChartLease(_handle, _lock, false);
        }

        private ChartLease Write()
        {
            return new ChartLease(_handle, _lock, true);
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
    }
}

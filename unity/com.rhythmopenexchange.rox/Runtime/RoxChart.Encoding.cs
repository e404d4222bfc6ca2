using System;
using System.Collections.Generic;
using System.IO;
using static RhythmOpenExchange.Interop;

namespace RhythmOpenExchange
{
    // Writing the chart in a format, and the validation that writing requires.
    public sealed partial class RoxChart
    {
        /// <summary>Writes the chart in <paramref name="format"/>.</summary>
        /// <exception cref="ArgumentException"><paramref name="format"/> is <see cref="RoxFormat.Auto"/>.</exception>
        /// <exception cref="RoxInvalidChartException">The chart fails validation (see <see cref="Validate"/>).</exception>
        /// <exception cref="RoxFormatException">This build cannot write <paramref name="format"/>.</exception>
        public byte[] Encode(RoxFormat format)
        {
            CheckEncodeFormat(format);
            using (ChartLease lease = Read())
            {
                return lease.Encode(format);
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
            using (ChartLease lease = Read())
            {
                return lease.Encode(format, out report);
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
            using (ChartLease lease = Read())
            {
                return lease.TryEncode(format, destination, out written);
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

        /// <summary>Every problem that would make <see cref="Encode(RoxFormat)"/> refuse the chart; empty when it is valid.</summary>
        public IReadOnlyList<RoxValidationIssue> Validate()
        {
            using (ChartLease lease = Read())
            {
                return lease.Validate();
            }
        }
    }
}

using System;
using System.Runtime.CompilerServices;
using RhythmOpenExchange.Native;

namespace RhythmOpenExchange
{
    /// <summary>Argument conversions and call patterns shared by <see cref="RoxChart"/> and <see cref="RoxChartSet"/>.</summary>
    internal static unsafe class Interop
    {
        /// <summary>A native function encoding into a library-owned buffer plus a report
        /// (<c>rox_chart_encode_report</c>, <c>rox_set_encode_report</c>).</summary>
        internal interface IReportEncoder
        {
            Native.RoxStatus Encode(int format, byte** buf, UIntPtr* len, Native.RoxReport** report);
        }

        internal static UIntPtr Size(int nonNegative)
        {
            return (UIntPtr)(uint)nonNegative;
        }

        internal static int ToInt(UIntPtr size)
        {
            return checked((int)(ulong)size);
        }

        internal static void CheckEncodeFormat(RoxFormat format)
        {
            if (format == RoxFormat.Auto)
            {
                throw new ArgumentException("choose an output format; Auto only applies to decoding", nameof(format));
            }
        }

        /// <summary>The format of a file's content, or else the one its extension names.</summary>
        // Not inlined into the Load methods: see RoxLibrary.EnsureLoaded.
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static RoxFormat FormatOfFile(string path, byte[] data)
        {
            int detected;
            Native.RoxStatus status;
            fixed (byte* p = data)
            {
                status = NativeMethods.rox_detect_format(p, Size(data.Length), &detected);
            }
            if (status == Native.RoxStatus.UnknownFormat)
            {
                return FormatFromPath(path);
            }
            Ensure.Success(status, path);
            return (RoxFormat)detected;
        }

        /// <summary>The format a path's extension names; throws <see cref="RoxFormatException"/> for none.</summary>
        internal static RoxFormat FormatFromPath(string path)
        {
            var sink = new PathFormatSink();
            Utf8.Write(path, ref sink, path);
            return (RoxFormat)sink.Format;
        }

        /// <summary>Runs <paramref name="encoder"/>, copies the bytes and the report to managed memory and
        /// frees the native ones, whatever happens.</summary>
        internal static byte[] EncodeWithReport<T>(ref T encoder, RoxFormat format, out ConversionReport report)
            where T : struct, IReportEncoder
        {
            CheckEncodeFormat(format);
            byte* buffer = null;
            UIntPtr length = UIntPtr.Zero;
            Native.RoxReport* native = null;
            Native.RoxStatus status = encoder.Encode((int)format, &buffer, &length, &native);
            try
            {
                Ensure.Success(status);
                report = ConversionReport.Read(native);
                return new ReadOnlySpan<byte>(buffer, ToInt(length)).ToArray();
            }
            finally
            {
                NativeMethods.rox_free_buffer(buffer, length);
                NativeMethods.rox_report_free(native);
            }
        }

        private struct PathFormatSink : Utf8.ISink
        {
            public int Format;

            public Native.RoxStatus Write(byte* utf8, UIntPtr len)
            {
                int format;
                Native.RoxStatus status = NativeMethods.rox_format_from_path(utf8, len, &format);
                Format = format;
                return status;
            }
        }
    }
}

using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RhythmOpenExchange.Native;

namespace RhythmOpenExchange
{
    /// <summary>The native calls that need no handle (creating charts and sets, formats, the ABI version), and
    /// the argument conversions and call patterns <see cref="ChartLease"/> and <see cref="SetLease"/> share.</summary>
    /// <remarks>The creators are entry points: each is <c>[MethodImpl(MethodImplOptions.NoInlining)]</c>, see
    /// <see cref="RoxLibrary.EnsureLoaded"/>.</remarks>
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

        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static uint AbiVersion()
        {
            return NativeMethods.rox_abi_version();
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static byte[] FileMd5(ReadOnlySpan<byte> data)
        {
            var md5 = new byte[16];
            fixed (byte* p = &MemoryMarshal.GetReference(data))
            fixed (byte* m = md5)
            {
                Ensure.Success(NativeMethods.rox_file_md5(p, Size(data.Length), m));
            }
            return md5;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static RoxChartHandle NewChart(int keyCount)
        {
            var handle = new RoxChartHandle();
            Native.RoxChart* created = null;
            Native.RoxStatus status = NativeMethods.rox_chart_new((uint)keyCount, &created);
            handle.Adopt((IntPtr)created, status, null);
            return handle;
        }

        /// <summary>Reads one chart (the first of several). <see cref="RoxFormat.Auto"/> is passed to the
        /// native library, which detects the format; content it does not recognise is then read in the
        /// format <paramref name="path"/>'s extension names, if a path is given.</summary>
        /// <param name="data">The file content.</param>
        /// <param name="format">The format, or <see cref="RoxFormat.Auto"/>.</param>
        /// <param name="path">The file the data comes from, or null; also prefixed to error messages.</param>
        /// <param name="limits">What the decode may build, or null for the defaults.</param>
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static RoxChartHandle DecodeChart(ReadOnlySpan<byte> data, RoxFormat format, string path, RoxDecodeLimits limits)
        {
            var handle = new RoxChartHandle();
            Native.RoxChart* created = null;
            Native.RoxStatus status;
            Native.RoxDecodeLimits given = limits != null ? limits.ToNative() : default(Native.RoxDecodeLimits);
            Native.RoxDecodeLimits* l = limits != null ? &given : null;
            fixed (byte* p = &MemoryMarshal.GetReference(data))
            {
                status = NativeMethods.rox_chart_decode_limited(p, Size(data.Length), (int)format, l, &created);
                if (NeedsExtension(status, format, path))
                {
                    status = NativeMethods.rox_chart_decode_limited(p, Size(data.Length), (int)FormatFromPath(path), l, &created);
                }
            }
            handle.Adopt((IntPtr)created, status, path);
            return handle;
        }

        /// <summary>Reads every chart, as <see cref="DecodeChart"/> reads one; without their notes when
        /// <paramref name="notes"/> is false (<c>rox_set_peek</c>).</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static RoxChartSetHandle DecodeSet(ReadOnlySpan<byte> data, RoxFormat format, string path, RoxDecodeLimits limits, bool notes = true)
        {
            var handle = new RoxChartSetHandle();
            Native.RoxChartSet* created = null;
            Native.RoxStatus status;
            Native.RoxDecodeLimits given = limits != null ? limits.ToNative() : default(Native.RoxDecodeLimits);
            Native.RoxDecodeLimits* l = limits != null ? &given : null;
            fixed (byte* p = &MemoryMarshal.GetReference(data))
            {
                UIntPtr n = Size(data.Length);
                status = notes ? NativeMethods.rox_set_decode_limited(p, n, (int)format, l, &created)
                               : NativeMethods.rox_set_peek(p, n, (int)format, l, &created);
                if (NeedsExtension(status, format, path))
                {
                    int byPath = (int)FormatFromPath(path);
                    status = notes ? NativeMethods.rox_set_decode_limited(p, n, byPath, l, &created)
                                   : NativeMethods.rox_set_peek(p, n, byPath, l, &created);
                }
            }
            handle.Adopt((IntPtr)created, status, path);
            return handle;
        }

        /// <summary>Reads every chart with <paramref name="options"/> (<c>rox_set_decode_with_options</c>), as
        /// <see cref="DecodeChart"/> reads one; without their notes when <paramref name="notes"/> is false
        /// (<c>rox_set_peek_with_options</c>).</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static RoxChartSetHandle DecodeSet(ReadOnlySpan<byte> data, RoxFormat format, string path, RoxDecodeOptions options, bool notes = true)
        {
            var handle = new RoxChartSetHandle();
            Native.RoxChartSet* created = null;
            Native.RoxStatus status;
            Native.RoxDecodeOptions given = options.ToNative();
            fixed (byte* p = &MemoryMarshal.GetReference(data))
            {
                UIntPtr n = Size(data.Length);
                status = notes ? NativeMethods.rox_set_decode_with_options(p, n, (int)format, &given, &created)
                               : NativeMethods.rox_set_peek_with_options(p, n, (int)format, &given, &created);
                if (NeedsExtension(status, format, path))
                {
                    int byPath = (int)FormatFromPath(path);
                    status = notes ? NativeMethods.rox_set_decode_with_options(p, n, byPath, &given, &created)
                                   : NativeMethods.rox_set_peek_with_options(p, n, byPath, &given, &created);
                }
            }
            handle.Adopt((IntPtr)created, status, path);
            return handle;
        }

        /// <summary>The native library's default decode options.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static Native.RoxDecodeOptions DefaultDecodeOptions()
        {
            Native.RoxDecodeOptions options;
            Ensure.Success(NativeMethods.rox_decode_options_default(&options));
            return options;
        }

        /// <summary>The native library's default decode limits.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static Native.RoxDecodeLimits DefaultDecodeLimits()
        {
            Native.RoxDecodeLimits limits;
            Ensure.Success(NativeMethods.rox_decode_limits_default(&limits));
            return limits;
        }

        /// <summary>The format a path's extension names; throws <see cref="RoxFormatException"/> for none.</summary>
        internal static RoxFormat FormatFromPath(string path)
        {
            var sink = new PathFormatSink();
            Utf8.Write(path, ref sink, nameof(path), path);
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
            using (var lease = new ReportLease(native))
            {
                try
                {
                    Ensure.Success(status);
                    report = lease.Read();
                    return new ReadOnlySpan<byte>(buffer, ToInt(length)).ToArray();
                }
                finally
                {
                    NativeMethods.rox_free_buffer(buffer, length);
                }
            }
        }

        /// <summary>Whether an automatic detection failed on a file whose extension may still name the format.</summary>
        private static bool NeedsExtension(Native.RoxStatus status, RoxFormat format, string path)
        {
            return status == Native.RoxStatus.UnknownFormat && format == RoxFormat.Auto && path != null;
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

using System.Runtime.CompilerServices;
using RhythmOpenExchange.Native;

namespace RhythmOpenExchange
{
    /// <summary>The one place where native statuses become exceptions.</summary>
    internal static unsafe class Ensure
    {
        /// <summary>Throws the exception for <paramref name="status"/> unless it is Ok.</summary>
        /// <param name="status">What a native call returned.</param>
        /// <param name="context">Prefixed to the message (e.g. a file path), or null.</param>
        internal static void Success(Native.RoxStatus status, string context = null)
        {
            if (status != Native.RoxStatus.Ok)
            {
                Throw(status, context);
            }
        }

        // Out of line so the happy path of every call site stays small.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Throw(Native.RoxStatus nativeStatus, string context)
        {
            // Read first: the message is thread-local and only valid until the next failing call.
            string message = LastErrorMessage();
            var status = (RoxStatus)(int)nativeStatus;
            if (message.Length == 0)
            {
                message = "native call failed with status " + status;
            }
            if (context != null)
            {
                message = context + ": " + message;
            }
            switch (status)
            {
                case RoxStatus.UnknownFormat:
                case RoxStatus.UnsupportedFormat:
                case RoxStatus.ParseError:
                    throw new RoxFormatException(status, message);
                case RoxStatus.CorruptData:
                    throw new RoxCorruptDataException(status, message);
                case RoxStatus.InvalidChart:
                    throw new RoxInvalidChartException(status, message);
                case RoxStatus.InvalidArgument:
                    throw new RoxArgumentException(status, message);
                default:
                    throw new RoxException(status, message);
            }
        }

        private static string LastErrorMessage()
        {
            var source = new LastErrorSource();
            string message;
            // Failing to read the message must not hide the original failure.
            return Utf8.TryRead(ref source, out message) == Native.RoxStatus.Ok ? message : "";
        }

        private struct LastErrorSource : Utf8.ISource
        {
            public Native.RoxStatus Read(byte* buf, System.UIntPtr len, System.UIntPtr* outLen)
            {
                return NativeMethods.rox_last_error_message(buf, len, outLen);
            }
        }
    }
}

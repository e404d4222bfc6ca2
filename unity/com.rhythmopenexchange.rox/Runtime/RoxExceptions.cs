using System;

namespace RhythmOpenExchange
{
    /// <summary>A native ROX call failed. <see cref="Status"/> says how; the message comes from the native library.</summary>
    public class RoxException : Exception
    {
        /// <summary>The status the failed native call returned, never <see cref="RoxStatus.Ok"/>; null when no
        /// native call could be made (<see cref="RoxNativeLibraryException"/>).</summary>
        public RoxStatus? Status { get; }

        internal RoxException(RoxStatus status, string message) : base(message)
        {
            Status = status;
        }

        internal RoxException(string message, Exception inner) : base(message, inner)
        {
        }
    }

    /// <summary>The data is not a readable chart: unknown or unsupported format, or a malformed text chart.</summary>
    public class RoxFormatException : RoxException
    {
        internal RoxFormatException(RoxStatus status, string message) : base(status, message)
        {
        }
    }

    /// <summary>A <c>.rox</c> file is damaged (checksum, truncation, bad section) or from a newer version.</summary>
    public sealed class RoxCorruptDataException : RoxFormatException
    {
        internal RoxCorruptDataException(RoxStatus status, string message) : base(status, message)
        {
        }
    }

    /// <summary>The chart, or a note or timing point being added, fails validation.</summary>
    public sealed class RoxInvalidChartException : RoxException
    {
        internal RoxInvalidChartException(RoxStatus status, string message) : base(status, message)
        {
        }
    }

    /// <summary>The native library refused an argument (out-of-range column, index, enum value, key count…).</summary>
    public sealed class RoxArgumentException : RoxException
    {
        internal RoxArgumentException(RoxStatus status, string message) : base(status, message)
        {
        }
    }

    /// <summary>The native library (<c>librox.so</c>, <c>rox.dll</c>, <c>librox.dylib</c>) is missing, unloadable or of another ABI version.
    /// <see cref="RoxException.Status"/> is null: no native call returned a status.</summary>
    public sealed class RoxNativeLibraryException : RoxException
    {
        internal RoxNativeLibraryException(string message, Exception inner) : base(message, inner)
        {
        }
    }
}

using System;
using System.Text;

namespace RhythmOpenExchange
{
    /// <summary>UTF-8 strings across the ABI: the two-call output pattern and (pointer, length) inputs.</summary>
    /// <remarks>Callers pass a struct implementing <see cref="ISource"/>/<see cref="ISink"/> instead of a
    /// delegate so no closure is allocated per call (C# 7.2 has no function pointers).</remarks>
    internal static unsafe class Utf8
    {
        /// <summary>Most metadata strings fit; longer ones go to a heap buffer.</summary>
        private const int StackBytes = 512;

        /// <summary>A native function writing a string with the two-call pattern.</summary>
        internal interface ISource
        {
            Native.RoxStatus Read(byte* buf, UIntPtr len, UIntPtr* outLen);
        }

        /// <summary>A native function taking a UTF-8 string as (pointer, length).</summary>
        internal interface ISink
        {
            Native.RoxStatus Write(byte* utf8, UIntPtr len);
        }

        /// <summary>Reads a string; throws the mapped exception on failure.</summary>
        internal static string Read<T>(ref T source) where T : struct, ISource
        {
            string value;
            Ensure.Success(TryRead(ref source, out value));
            return value;
        }

        /// <summary>Reads a string: once into a stack buffer, again into a heap buffer of the reported
        /// size while the native side answers BufferTooSmall.</summary>
        internal static Native.RoxStatus TryRead<T>(ref T source, out string value) where T : struct, ISource
        {
            value = null;
            byte* stack = stackalloc byte[StackBytes];
            UIntPtr needed;
            Native.RoxStatus status = source.Read(stack, (UIntPtr)StackBytes, &needed);
            if (status == Native.RoxStatus.Ok)
            {
                value = Decode(stack, needed);
            }
            while (status == Native.RoxStatus.BufferTooSmall)
            {
                var heap = new byte[checked((int)(ulong)needed)];
                fixed (byte* p = heap)
                {
                    status = source.Read(p, needed, &needed);
                    if (status == Native.RoxStatus.Ok)
                    {
                        value = Decode(p, needed);
                    }
                }
            }
            return status;
        }

        /// <summary>Encodes <paramref name="value"/> as UTF-8 and passes it to <paramref name="sink"/>; throws
        /// the mapped exception on failure.</summary>
        /// <param name="value">The string to pass.</param>
        /// <param name="sink">The native function taking it.</param>
        /// <param name="paramName">The property or parameter <paramref name="value"/> came from, named by the
        /// <see cref="ArgumentException"/> thrown for null or for a lone surrogate.</param>
        /// <param name="context">Prefixed to the message of a native failure, or null.</param>
        internal static void Write<T>(string value, ref T sink, string paramName, string context = null)
            where T : struct, ISink
        {
            if (value == null)
            {
                throw new ArgumentNullException(paramName);
            }
            RefuseLoneSurrogate(value, paramName);
            int max = Encoding.UTF8.GetMaxByteCount(value.Length);
            byte* stack = stackalloc byte[StackBytes];
            byte[] heap = max <= StackBytes ? null : new byte[max];
            fixed (char* chars = value)
            fixed (byte* heapPtr = heap)
            {
                byte* buf = heap == null ? stack : heapPtr;
                int length = Encoding.UTF8.GetBytes(chars, value.Length, buf, max);
                Ensure.Success(sink.Write(buf, (UIntPtr)length), context);
            }
        }

        /// <summary>A lone surrogate has no UTF-8 form; <see cref="Encoding.UTF8"/> would silently write U+FFFD
        /// instead, and the chart would hold other text than the caller set.</summary>
        private static void RefuseLoneSurrogate(string value, string paramName)
        {
            for (int i = 0; i < value.Length; i++)
            {
                if (!char.IsSurrogate(value[i]))
                {
                    continue;
                }
                if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }
                throw new ArgumentException(
                    string.Format("{0} has a lone UTF-16 surrogate (U+{1:X4}) at index {2}; it has no UTF-8 form",
                        paramName, (int)value[i], i),
                    paramName);
            }
        }

        private static string Decode(byte* p, UIntPtr length)
        {
            return Encoding.UTF8.GetString(p, checked((int)(ulong)length));
        }
    }
}

using System;
using System.Runtime.InteropServices;
using System.Threading;
using RhythmOpenExchange.Native;

namespace RhythmOpenExchange
{
    /// <summary>Owns one native <c>RoxChart*</c>; frees it exactly once, from Dispose or the finalizer.</summary>
    internal sealed unsafe class RoxChartHandle : SafeHandle
    {
        internal RoxChartHandle() : base(IntPtr.Zero, ownsHandle: true)
        {
        }

        public override bool IsInvalid
        {
            get { return handle == IntPtr.Zero; }
        }

        /// <summary>Takes ownership of a pointer a native constructor returned (null is ignored).</summary>
        /// <remarks>The handle object exists before the native call, so nothing can fail between the
        /// allocation of the chart and the moment this handle owns it.</remarks>
        internal void Adopt(Native.RoxChart* chart)
        {
            SetHandle((IntPtr)chart);
        }

        internal Native.RoxChart* Pointer
        {
            get { return (Native.RoxChart*)handle; }
        }

        /// <summary>True once Dispose was called, even while leases still hold references.</summary>
        /// <remarks>SafeHandle only marks itself closed when the last reference goes, so under constant
        /// concurrent use <c>DangerousAddRef</c> would keep succeeding after Dispose.</remarks>
        internal bool DisposeRequested
        {
            get { return _disposeRequested; }
        }

        private volatile bool _disposeRequested;

        protected override void Dispose(bool disposing)
        {
            _disposeRequested = true;
            base.Dispose(disposing);
        }

        protected override bool ReleaseHandle()
        {
            NativeMethods.rox_chart_free((Native.RoxChart*)handle);
            return true;
        }
    }

    /// <summary>Keeps a chart alive and locked for the duration of one or more native calls.</summary>
    /// <remarks>
    /// csbindgen signatures take raw pointers, so the runtime does not AddRef the SafeHandle around
    /// calls; without this a Dispose on another thread could free the chart mid-call.
    /// New leases are refused with <see cref="ObjectDisposedException"/> as soon as Dispose is called; a
    /// Dispose while leases are out frees the chart only when the last of them is released.
    /// The lock gives readers shared access and mutations exclusive access, as the ABI requires.
    /// A plain struct (not a ref struct) so C# 7.2 can use it in a <c>using</c> statement.
    /// </remarks>
    internal unsafe struct ChartLease : IDisposable
    {
        private readonly RoxChartHandle _handle;
        private readonly ReaderWriterLockSlim _lock;
        private readonly bool _write;

        /// <summary>The native chart; valid until <see cref="Dispose"/>.</summary>
        internal readonly Native.RoxChart* Chart;

        internal ChartLease(RoxChartHandle handle, ReaderWriterLockSlim rwLock, bool write)
        {
            // Checked before AddRef for the usual single-threaded case (a clear message) and after it
            // for a Dispose racing with this call.
            ThrowIfDisposeRequested(handle);
            bool added = false;
            handle.DangerousAddRef(ref added);
            try
            {
                ThrowIfDisposeRequested(handle);
                if (write)
                {
                    rwLock.EnterWriteLock();
                }
                else
                {
                    rwLock.EnterReadLock();
                }
            }
            catch
            {
                handle.DangerousRelease();
                throw;
            }
            _handle = handle;
            _lock = rwLock;
            _write = write;
            Chart = handle.Pointer;
        }

        private static void ThrowIfDisposeRequested(RoxChartHandle handle)
        {
            if (handle.DisposeRequested)
            {
                throw new ObjectDisposedException(nameof(RoxChart));
            }
        }

        public void Dispose()
        {
            if (_write)
            {
                _lock.ExitWriteLock();
            }
            else
            {
                _lock.ExitReadLock();
            }
            _handle.DangerousRelease();
        }
    }
}

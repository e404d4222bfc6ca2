using System;
using System.Runtime.InteropServices;
using System.Threading;
using RhythmOpenExchange.Native;

namespace RhythmOpenExchange
{
    /// <summary>Owns one native handle (chart or chart set); frees it exactly once, from Dispose or the finalizer.</summary>
    internal abstract class NativeHandle : SafeHandle
    {
        protected NativeHandle() : base(IntPtr.Zero, ownsHandle: true)
        {
        }

        public override bool IsInvalid
        {
            get { return handle == IntPtr.Zero; }
        }

        /// <summary>True once Dispose was called, even while leases still hold references.</summary>
        /// <remarks>SafeHandle only marks itself closed when the last reference goes, so under constant
        /// concurrent use <c>DangerousAddRef</c> would keep succeeding after Dispose.</remarks>
        internal bool DisposeRequested
        {
            get { return _disposeRequested; }
        }

        private volatile bool _disposeRequested;

        /// <summary>Takes ownership of what a native constructor returned (null is ignored), then throws
        /// if the call failed.</summary>
        /// <remarks>The handle object exists before the native call, so nothing can fail between the
        /// allocation of the native object and the moment this handle owns it.</remarks>
        internal void Adopt(IntPtr created, Native.RoxStatus status, string context)
        {
            SetHandle(created);
            try
            {
                Ensure.Success(status, context);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        protected override void Dispose(bool disposing)
        {
            _disposeRequested = true;
            base.Dispose(disposing);
        }
    }

    /// <summary>Owns a native <c>RoxChart*</c>.</summary>
    internal sealed unsafe class RoxChartHandle : NativeHandle
    {
        protected override bool ReleaseHandle()
        {
            NativeMethods.rox_chart_free((Native.RoxChart*)handle);
            return true;
        }
    }

    /// <summary>Owns a native <c>RoxChartSet*</c>.</summary>
    internal sealed unsafe class RoxChartSetHandle : NativeHandle
    {
        protected override bool ReleaseHandle()
        {
            NativeMethods.rox_set_free((Native.RoxChartSet*)handle);
            return true;
        }
    }

    /// <summary>Keeps a native object alive, and optionally locked, for the duration of one or more native calls.</summary>
    /// <remarks>
    /// csbindgen signatures take raw pointers, so the runtime does not AddRef the SafeHandle around
    /// calls; without this a Dispose on another thread could free the object mid-call.
    /// New leases are refused with <see cref="ObjectDisposedException"/> as soon as Dispose is called; a
    /// Dispose while leases are out frees the object only when the last of them is released.
    /// With a lock, readers get shared access and mutations exclusive access, as the ABI requires of
    /// charts; immutable objects (chart sets) need none.
    /// A plain struct (not a ref struct) so C# 7.2 can use it in a <c>using</c> statement.
    /// </remarks>
    internal unsafe struct HandleLease : IDisposable
    {
        private readonly NativeHandle _handle;
        private readonly ReaderWriterLockSlim _lock;
        private readonly bool _write;
        private readonly IntPtr _pointer;

        /// <param name="handle">The object to keep alive.</param>
        /// <param name="rwLock">The object's lock, or null for an immutable object.</param>
        /// <param name="write">Exclusive (true) or shared access.</param>
        /// <param name="owner">Names the disposed object in the exception.</param>
        internal HandleLease(NativeHandle handle, ReaderWriterLockSlim rwLock, bool write, string owner)
        {
            // Checked before AddRef for the usual single-threaded case (a clear message) and after it
            // for a Dispose racing with this call.
            ThrowIfDisposeRequested(handle, owner);
            bool added = false;
            handle.DangerousAddRef(ref added);
            try
            {
                ThrowIfDisposeRequested(handle, owner);
                if (rwLock != null && write)
                {
                    rwLock.EnterWriteLock();
                }
                else if (rwLock != null)
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
            _pointer = handle.DangerousGetHandle();
        }

        /// <summary>The native chart of a chart lease; valid until <see cref="Dispose"/>.</summary>
        internal Native.RoxChart* Chart
        {
            get { return (Native.RoxChart*)_pointer; }
        }

        /// <summary>The native set of a set lease; valid until <see cref="Dispose"/>.</summary>
        internal Native.RoxChartSet* Set
        {
            get { return (Native.RoxChartSet*)_pointer; }
        }

        private static void ThrowIfDisposeRequested(NativeHandle handle, string owner)
        {
            if (handle.DisposeRequested)
            {
                throw new ObjectDisposedException(owner);
            }
        }

        public void Dispose()
        {
            if (_lock != null && _write)
            {
                _lock.ExitWriteLock();
            }
            else if (_lock != null)
            {
                _lock.ExitReadLock();
            }
            _handle.DangerousRelease();
        }
    }
}

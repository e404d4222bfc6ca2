using System;
using System.Runtime.InteropServices;
using RhythmOpenExchange.Native;

namespace RhythmOpenExchange
{
    /// <summary>Owns one native handle (chart, chart set or timeline); frees it exactly once, from Dispose or the finalizer.</summary>
    internal abstract class NativeHandle : SafeHandle
    {
        protected NativeHandle() : base(IntPtr.Zero, ownsHandle: true)
        {
        }

        public override bool IsInvalid
        {
            get { return handle == IntPtr.Zero; }
        }

        /// <summary>True once Dispose was called, even while acquisitions still hold references.</summary>
        /// <remarks>SafeHandle only marks itself closed when the last reference goes, so under constant
        /// concurrent use <c>DangerousAddRef</c> would keep succeeding after Dispose.</remarks>
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

        /// <summary>Keeps the object alive until <see cref="Release"/> and returns its pointer; refused with
        /// <see cref="ObjectDisposedException"/> as soon as Dispose was called.</summary>
        /// <remarks>csbindgen signatures take raw pointers, so the runtime does not AddRef the SafeHandle
        /// around calls; without this a Dispose on another thread could free the object mid-call. A Dispose
        /// while acquisitions are out frees the object when the last of them is released.</remarks>
        internal IntPtr Acquire(string owner)
        {
            // Checked before AddRef for the usual single-threaded case (a clear message) and after it
            // for a Dispose racing with this call.
            ThrowIfDisposed(owner);
            bool added = false;
            DangerousAddRef(ref added);
            try
            {
                ThrowIfDisposed(owner);
            }
            catch
            {
                DangerousRelease();
                throw;
            }
            return handle;
        }

        /// <summary>Ends one <see cref="Acquire"/>.</summary>
        internal void Release()
        {
            DangerousRelease();
        }

        /// <summary>Throws <see cref="ObjectDisposedException"/> once Dispose was called.</summary>
        internal void ThrowIfDisposed(string owner)
        {
            if (_disposeRequested)
            {
                throw new ObjectDisposedException(owner);
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

    /// <summary>Owns a native <c>RoxTimeline*</c>.</summary>
    internal sealed unsafe class RoxTimelineHandle : NativeHandle
    {
        protected override bool ReleaseHandle()
        {
            NativeMethods.rox_timeline_free((Native.RoxTimeline*)handle);
            return true;
        }
    }
}

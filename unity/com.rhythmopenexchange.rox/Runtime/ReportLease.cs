using System;
using RhythmOpenExchange.Native;
using static RhythmOpenExchange.Interop;

namespace RhythmOpenExchange
{
    /// <summary>Owns a native report for as long as it takes to copy it (<see cref="Read"/>), and frees it:
    /// the only code that passes a report pointer to <c>NativeMethods</c>.</summary>
    internal unsafe struct ReportLease : IDisposable
    {
        private readonly Native.RoxReport* _report;

        /// <param name="report">A report the caller received and now hands over; null is allowed (nothing to free).</param>
        internal ReportLease(Native.RoxReport* report)
        {
            _report = report;
        }

        public void Dispose()
        {
            NativeMethods.rox_report_free(_report);
        }

        /// <summary>Copies every loss to managed memory.</summary>
        internal ConversionReport Read()
        {
            UIntPtr count;
            Ensure.Success(NativeMethods.rox_report_count(_report, &count));
            var entries = new ConversionLoss[ToInt(count)];
            for (int i = 0; i < entries.Length; i++)
            {
                Native.RoxLoss loss;
                UIntPtr index = Size(i);
                Ensure.Success(NativeMethods.rox_report_get(_report, index, &loss));
                var source = new MessageSource { Report = _report, Index = index };
                entries[i] = new ConversionLoss(
                    (RoxLossKind)loss.kind,
                    (loss.present & NativeMethods.ROX_LOSS_TIME) != 0 ? loss.time_us : (long?)null,
                    (loss.present & NativeMethods.ROX_LOSS_INDEX) != 0 ? checked((long)loss.index) : (long?)null,
                    loss.shift_us,
                    Utf8.Read(ref source));
            }
            return new ConversionReport(entries);
        }

        private struct MessageSource : Utf8.ISource
        {
            public Native.RoxReport* Report;
            public UIntPtr Index;

            public Native.RoxStatus Read(byte* buf, UIntPtr len, UIntPtr* outLen)
            {
                return NativeMethods.rox_report_message(Report, Index, buf, len, outLen);
            }
        }
    }
}

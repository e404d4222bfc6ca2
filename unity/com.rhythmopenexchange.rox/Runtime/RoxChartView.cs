using System;

namespace RhythmOpenExchange
{
    /// <summary>A chart's notes (<see cref="RoxChart.ViewNotes"/>) or timing points
    /// (<see cref="RoxChart.ViewTimingPoints"/>) read in place, in the native library's memory: no copy, no
    /// allocation.</summary>
    /// <remarks>
    /// Holds the chart's read lock from its creation until <see cref="Dispose"/>, so the chart cannot change
    /// while <see cref="Items"/> is read: other threads may read the chart meanwhile, but a mutation from
    /// another thread waits until the view is disposed. The lock does not recurse: any other call on the chart
    /// from the thread holding the view throws <see cref="System.Threading.LockRecursionException"/>, so read
    /// what else is needed before opening the view. Dispose it exactly
    /// once, on the thread that created it (the lock belongs to that thread), with a <c>using</c> statement;
    /// a span taken from <see cref="Items"/> must not be used after that.
    /// A struct (not a ref struct) so C# 7.2 can use it in a <c>using</c> statement: do not copy it.
    /// </remarks>
    public unsafe struct RoxChartView<T> : IDisposable
    {
        private readonly ChartLease _lease;
        private readonly void* _items;
        private readonly int _count;

        internal RoxChartView(ChartLease lease, void* items, int count)
        {
            _lease = lease;
            _items = items;
            _count = count;
        }

        /// <summary>The items, in the chart's order; valid until <see cref="Dispose"/>.</summary>
        public ReadOnlySpan<T> Items
        {
            get { return new ReadOnlySpan<T>(_items, _count); }
        }

        /// <summary>Releases the chart's read lock.</summary>
        public void Dispose()
        {
            _lease.Dispose();
        }
    }
}

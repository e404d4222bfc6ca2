using System;
using System.Collections.Generic;

namespace RhythmOpenExchange
{
    // Notes and the keysounds they reference.
    public sealed unsafe partial class RoxChart
    {
        /// <summary>Number of notes.</summary>
        public int NoteCount
        {
            get
            {
                using (ChartLease lease = Read())
                {
                    return lease.NoteCount();
                }
            }
        }

        /// <summary>All notes, sorted by time then column.</summary>
        public RoxNote[] GetNotes()
        {
            using (ChartLease lease = Read())
            {
                var notes = new RoxNote[lease.NoteCount()];
                lease.CopyNotes(notes, 0);
                return notes;
            }
        }

        /// <summary>Copies notes from index <paramref name="start"/> into <paramref name="destination"/>.</summary>
        /// <returns>How many were copied: the smaller of the destination length and the notes from <paramref name="start"/> on.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="start"/> is negative.</exception>
        /// <exception cref="RoxArgumentException"><paramref name="start"/> is beyond <see cref="NoteCount"/>.</exception>
        public int CopyNotes(Span<RoxNote> destination, int start = 0)
        {
            CheckStart(start);
            using (ChartLease lease = Read())
            {
                return lease.CopyNotes(destination, start);
            }
        }

        /// <summary>The notes in place, without copying them: <c>using (RoxChartView&lt;RoxNote&gt; view =
        /// chart.ViewNotes()) { ReadOnlySpan&lt;RoxNote&gt; notes = view.Items; ... }</c>. The view holds the
        /// chart's read lock until disposed, so the chart cannot change meanwhile (see <see cref="RoxChartView{T}"/>).
        /// The first view after a change builds the native array once; later ones cost nothing.</summary>
        /// <exception cref="RoxInvalidChartException">A decoded note's keysound index is beyond int32.</exception>
        public RoxChartView<RoxNote> ViewNotes()
        {
            ChartLease lease = Read();
            try
            {
                int count;
                RoxNote* notes = lease.ViewNotes(out count);
                return new RoxChartView<RoxNote>(lease, notes, count);
            }
            catch
            {
                lease.Dispose();
                throw;
            }
        }

        /// <summary>Adds one note; the chart keeps its notes sorted.</summary>
        /// <param name="timeUs">Hit time in microseconds.</param>
        /// <param name="column">0-based column, below <see cref="KeyCount"/>.</param>
        /// <param name="kind">Note kind.</param>
        /// <param name="durationUs">Length of a hold or roll in microseconds (&gt; 0); 0 for other kinds.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="column"/> is not 0 to 255.</exception>
        /// <exception cref="RoxArgumentException">The column is not below the key count, or the kind is unknown.</exception>
        /// <exception cref="RoxInvalidChartException">The duration does not suit the kind, or the time is out of range.</exception>
        public void AddNote(long timeUs, int column, RoxNoteKind kind = RoxNoteKind.Tap, long durationUs = 0)
        {
            var note = new RoxNote(timeUs, column, kind, durationUs);
            AddNotes(new ReadOnlySpan<RoxNote>(&note, 1));
        }

        /// <summary>Adds notes, all or none; the chart keeps its notes sorted.</summary>
        /// <exception cref="RoxArgumentException">A note has a bad column, kind or keysound index; the chart is unchanged.</exception>
        /// <exception cref="RoxInvalidChartException">A note has a bad duration or time; the chart is unchanged.</exception>
        public void AddNotes(ReadOnlySpan<RoxNote> notes)
        {
            using (ChartLease lease = Write())
            {
                lease.AddNotes(notes);
            }
        }

        /// <summary>Replaces every note, all or none, in one step: a concurrent reader sees either the old notes
        /// or the new ones, never a mix or an empty chart. The chart keeps its notes sorted.</summary>
        /// <exception cref="RoxArgumentException">A note has a bad column, kind or keysound index; the chart is unchanged.</exception>
        /// <exception cref="RoxInvalidChartException">A note has a bad duration or time; the chart is unchanged.</exception>
        public void ReplaceNotes(ReadOnlySpan<RoxNote> notes)
        {
            using (ChartLease lease = Write())
            {
                lease.ReplaceNotes(notes);
            }
        }

        /// <summary>Removes every note.</summary>
        public void ClearNotes()
        {
            using (ChartLease lease = Write())
            {
                lease.ClearNotes();
            }
        }

        /// <summary>Sample files that notes reference by index (<see cref="RoxNote.Keysound"/>); a snapshot.</summary>
        public IReadOnlyList<string> GetKeysounds()
        {
            using (ChartLease lease = Read())
            {
                return lease.GetKeysounds();
            }
        }

        /// <summary>Appends a keysound file name.</summary>
        /// <returns>Its index, for <see cref="RoxNote.Keysound"/>.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="file"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="file"/> has a lone UTF-16 surrogate.</exception>
        /// <exception cref="RoxArgumentException"><paramref name="file"/> is empty (no format can name an empty
        /// sample file).</exception>
        public int AddKeysound(string file)
        {
            using (ChartLease lease = Write())
            {
                return lease.AddKeysound(file);
            }
        }
    }
}

using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;

namespace RhythmOpenExchange.Benchmarks
{
    /// <summary>
    /// Times what a game does with a chart through the C# wrapper (decode, copy the notes, build a timeline,
    /// query positions) and prints each figure as a ratio against <see cref="Buffer.MemoryCopy"/> of the same
    /// number of bytes, measured in the same run: these machines are noisy, a ratio is not.
    /// Each figure is the minimum and median over repeated runs, each run timing a batch of calls.
    /// </summary>
    /// <remarks>Usage: Benchmarks.exe CHART [RUNS]. dotnet/bench.sh builds it and runs it on Mono and CoreCLR.</remarks>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            if (args.Length < 1 || args.Length > 2)
            {
                Console.Error.WriteLine("usage: Benchmarks CHART [RUNS]");
                return 2;
            }
            byte[] file = File.ReadAllBytes(args[0]);
            int runs = args.Length == 2 ? int.Parse(args[1]) : 15;
            Console.WriteLine("Runtime: {0}; chart {1} ({2} bytes); {3} runs", RuntimeInformation.FrameworkDescription,
                Path.GetFileName(args[0]), file.Length, runs);
            Console.WriteLine("{0,-40} {1,12} {2,12} {3,14} {4,9}", "operation", "min", "median", "memcpy floor", "ratio");
            new Suite(file, runs).RunAll();
            return 0;
        }
    }

    internal sealed class Suite
    {
        private const int Queries = 1000000;
        private readonly byte[] _file;
        private readonly int _runs;
        // Keeps the summed times alive, so the JIT cannot drop the reads.
        private long _sink;

        public Suite(byte[] file, int runs)
        {
            _file = file;
            _runs = runs;
        }

        public void RunAll()
        {
            Report("decode (RoxChart.Decode)", 1, _file.Length, () => RoxChart.Decode(_file).Dispose());
            using (RoxChart chart = RoxChart.Decode(_file))
            using (RoxTimeline timeline = chart.CreateTimeline())
            {
                var notes = new RoxNote[chart.NoteCount];
                Report("copy every note (CopyNotes)", 1, notes.Length * Marshal.SizeOf(typeof(RoxNote)),
                    () => chart.CopyNotes(notes));
                Report("read every TimeUs in place (ViewNotes)", 1, notes.Length * Marshal.SizeOf(typeof(RoxNote)),
                    () => _sink += SumOfTimes(chart));
                Report("build a timeline (CreateTimeline)", 1, notes.Length * Marshal.SizeOf(typeof(RoxNote)),
                    () => chart.CreateTimeline().Dispose());
                RunQueries(timeline, notes);
            }
        }

        /// <summary>Every note's time through the chart's view: what a game reading its notes does. Through a
        /// pointer, since the span indexer mcs compiles does not bind on CoreCLR.</summary>
        private static unsafe long SumOfTimes(RoxChart chart)
        {
            using (RoxChartView<RoxNote> view = chart.ViewNotes())
            {
                ReadOnlySpan<RoxNote> notes = view.Items;
                long sum = 0;
                fixed (RoxNote* first = &MemoryMarshal.GetReference(notes))
                {
                    for (int i = 0; i < notes.Length; i++)
                    {
                        sum += first[i].TimeUs;
                    }
                }
                return sum;
            }
        }

        private void RunQueries(RoxTimeline timeline, RoxNote[] notes)
        {
            long first = notes[0].TimeUs, last = notes[notes.Length - 1].TimeUs;
            var times = new long[Queries];
            for (int i = 0; i < Queries; i++)
            {
                times[i] = first + (last - first) / Queries * i;
            }
            var positions = new double[Queries];
            Report("10^6 positions, one call (GetPositions)", 1, Queries * sizeof(double),
                () => timeline.GetPositions(times, positions));
            int single = 0;
            Report("one position (PositionAt), per call", Queries, sizeof(double),
                () => timeline.PositionAt(times[single++ % Queries]));
            // A window from the middle note's position to the position of the 100th note after it.
            RoxNotePosition[] placed = timeline.GetNotePositions();
            double low = placed[placed.Length / 2].Start, high = placed[placed.Length / 2 + 99].Start;
            int start = 0, end = 0;
            Report("visible window (GetNotesInPositionWindow)", 1000, 2 * sizeof(int),
                () => timeline.GetNotesInPositionWindow(low, high, out start, out end));
            Console.WriteLine("  (the window holds {0} notes)", end - start);
        }

        /// <summary>Times <paramref name="batch"/> calls of <paramref name="action"/> per run, and a memcpy of
        /// <paramref name="bytes"/> bytes per call as the floor.</summary>
        private void Report(string name, int batch, int bytes, Action action)
        {
            double[] times = Measure(batch, action);
            var source = new byte[Math.Max(bytes, 1)];
            var target = new byte[source.Length];
            double[] floor = Measure(batch, () => Copy(source, target));
            Console.WriteLine("{0,-40} {1,12} {2,12} {3,14} {4,8:F1}x", name, Format(times[0]), Format(Median(times)),
                Format(Median(floor)), Median(times) / Median(floor));
        }

        private double[] Measure(int batch, Action action)
        {
            action(); // warm up: JIT, caches
            var perCall = new double[_runs];
            for (int run = 0; run < _runs; run++)
            {
                Stopwatch clock = Stopwatch.StartNew();
                for (int i = 0; i < batch; i++)
                {
                    action();
                }
                perCall[run] = clock.Elapsed.TotalMilliseconds * 1e6 / batch;
            }
            Array.Sort(perCall);
            return perCall;
        }

        private static unsafe void Copy(byte[] source, byte[] target)
        {
            fixed (byte* from = source)
            fixed (byte* to = target)
            {
                Buffer.MemoryCopy(from, to, target.Length, source.Length);
            }
        }

        private static double Median(double[] sorted)
        {
            int middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }

        private static string Format(double nanoseconds)
        {
            if (nanoseconds >= 1e6)
            {
                return (nanoseconds / 1e6).ToString("F3") + " ms";
            }
            return nanoseconds >= 1e3 ? (nanoseconds / 1e3).ToString("F2") + " µs" : nanoseconds.ToString("F1") + " ns";
        }
    }
}

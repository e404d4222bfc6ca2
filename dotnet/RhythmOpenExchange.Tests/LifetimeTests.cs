using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using NUnit.Framework;

namespace RhythmOpenExchange.Tests
{
    /// <summary>Dispose, finalization and concurrent use never crash the process.</summary>
    [TestFixture]
    public class LifetimeTests
    {
        [Test]
        public void DisposeTwice()
        {
            var chart = new RoxChart(4);
            chart.Dispose();
            chart.Dispose();
        }

        [Test]
        public void EveryMemberThrowsObjectDisposedAfterDispose()
        {
            var chart = new RoxChart(4);
            chart.Dispose();
            int written;
            var members = new Dictionary<string, TestDelegate>
            {
                { "string get", () => { var s = chart.Title; } },
                { "string set", () => chart.Artist = "x" },
                { "info get", () => { var k = chart.KeyCount; } },
                { "info set", () => chart.PreviewTimeUs = 1 },
                { "NoteCount", () => { var n = chart.NoteCount; } },
                { "GetNotes", () => chart.GetNotes() },
                { "CopyNotes", () => chart.CopyNotes(new RoxNote[1]) },
                { "AddNote", () => chart.AddNote(0, 0) },
                { "AddNotes", () => chart.AddNotes(new RoxNote[0]) },
                { "ReplaceNotes", () => chart.ReplaceNotes(new RoxNote[0]) },
                { "ClearNotes", () => chart.ClearNotes() },
                { "Metadata", () => { var m = chart.Metadata; } },
                { "TimingPointCount", () => { var n = chart.TimingPointCount; } },
                { "GetTimingPoints", () => chart.GetTimingPoints() },
                { "CopyTimingPoints", () => chart.CopyTimingPoints(new RoxTimingPoint[1]) },
                { "AddBpm", () => chart.AddBpm(0, 120) },
                { "AddScroll", () => chart.AddScroll(0, 1) },
                { "ClearTimingPoints", () => chart.ClearTimingPoints() },
                { "GetKeysounds", () => chart.GetKeysounds() },
                { "AddKeysound", () => chart.AddKeysound("a.wav") },
                { "Validate", () => chart.Validate() },
                { "Encode", () => chart.Encode(RoxFormat.Rox) },
                { "TryEncode", () => chart.TryEncode(RoxFormat.Rox, new byte[8], out written) },
                { "Save", () => chart.Save(Path.Combine(Path.GetTempPath(), "rox-disposed.rox")) },
                { "Clone", () => chart.Clone() },
            };
            foreach (var member in members)
            {
                Assert.Throws<ObjectDisposedException>(member.Value, member.Key);
            }
        }

        [Test]
        public void ChartsThatAreNeverDisposedAreFinalized()
        {
            for (int i = 0; i < 2000; i++)
            {
                var chart = new RoxChart(7);
                chart.AddNote(i, i % 7);
                chart.Title = "leaked " + i;
            }
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            using (var chart = new RoxChart(4))
            {
                Assert.That(chart.KeyCount, Is.EqualTo(4), "the library still works after the finalizers ran");
            }
        }

        [Test]
        public void ConcurrentReadersSeeTheSameData()
        {
            using (RoxChart chart = BuildChart(1000))
            {
                RoxNote[] expected = chart.GetNotes();
                var errors = RunThreads(8, thread =>
                {
                    for (int i = 0; i < 50; i++)
                    {
                        Assert.That(chart.GetNotes(), Is.EqualTo(expected));
                        Assert.That(chart.Title, Is.EqualTo("threads"));
                        Assert.That(chart.KeyCount, Is.EqualTo(7));
                        Assert.That(chart.Validate(), Is.Empty);
                    }
                });
                Assert.That(errors, Is.Empty);
            }
        }

        [Test]
        public void ReadersAndWritersInterleaveSafely()
        {
            using (RoxChart chart = BuildChart(0))
            {
                var errors = RunThreads(8, thread =>
                {
                    for (int i = 0; i < 100; i++)
                    {
                        if (thread % 2 == 0)
                        {
                            chart.AddNote((thread * 1000 + i) * 1000L, thread % 7);
                            chart.Title = "writer " + thread;
                        }
                        else
                        {
                            RoxNote[] notes = chart.GetNotes();
                            for (int n = 1; n < notes.Length; n++)
                            {
                                Assert.That(notes[n].TimeUs, Is.GreaterThanOrEqualTo(notes[n - 1].TimeUs));
                            }
                            Assert.That(chart.Title.Length, Is.GreaterThan(0));
                        }
                    }
                });
                Assert.That(errors, Is.Empty);
                Assert.That(chart.NoteCount, Is.EqualTo(400));
            }
        }

        [Test]
        public void ReplaceNotesIsOneStepForConcurrentReaders()
        {
            using (RoxChart chart = BuildChart(300))
            {
                RoxNote[] many = chart.GetNotes();
                RoxNote[] few = many.Take(7).Select(n => new RoxNote(n.TimeUs + 1, n.Column)).ToArray();
                int writing = 1, reads = 0;
                var errors = RunThreads(4, thread =>
                {
                    if (thread == 0)
                    {
                        // Until the readers have been in often enough, within a time limit.
                        var watch = System.Diagnostics.Stopwatch.StartNew();
                        for (int i = 0; Volatile.Read(ref reads) < 30000 && watch.ElapsedMilliseconds < 5000; i++)
                        {
                            chart.ReplaceNotes(i % 2 == 0 ? few : many);
                        }
                        Volatile.Write(ref writing, 0);
                        return;
                    }
                    // Counts as often as possible (a short gap between a clear and an add must be hit),
                    // and whole lists now and then.
                    for (int i = 0; Volatile.Read(ref writing) == 1; i++)
                    {
                        Interlocked.Increment(ref reads);
                        int count = chart.NoteCount;
                        Assert.That(count == few.Length || count == many.Length, Is.True, "a reader saw " + count + " notes");
                        if (i % 100 == 0)
                        {
                            RoxNote[] seen = chart.GetNotes();
                            Assert.That(seen.SequenceEqual(few) || seen.SequenceEqual(many), Is.True, "a reader saw a mixed list");
                        }
                    }
                });
                Assert.That(errors, Is.Empty, errors.Count > 0 ? errors[0].ToString() : "");
            }
        }

        [Test]
        public void DisposeDuringReadsOnlyEverThrowsObjectDisposed()
        {
            for (int round = 0; round < 20; round++)
            {
                RoxChart chart = BuildChart(500);
                var started = new CountdownEvent(8);
                var errors = new List<Exception>();
                // A deadline instead of an endless loop, so a chart that keeps working after Dispose fails the test.
                DateTime deadline = DateTime.UtcNow.AddSeconds(10);
                var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
                {
                    started.Signal();
                    try
                    {
                        while (DateTime.UtcNow < deadline)
                        {
                            chart.GetNotes();
                            var title = chart.Title;
                            chart.Validate();
                            if (t == 0)
                            {
                                chart.AddNote(1, 0);
                            }
                        }
                        throw new Exception("calls kept succeeding after Dispose");
                    }
                    catch (ObjectDisposedException)
                    {
                    }
                    catch (Exception e)
                    {
                        lock (errors)
                        {
                            errors.Add(e);
                        }
                    }
                })).ToList();
                threads.ForEach(t => t.Start());
                started.Wait();
                Thread.Sleep(round % 5);
                chart.Dispose();
                threads.ForEach(t => t.Join());
                Assert.That(errors, Is.Empty, errors.Count > 0 ? errors[0].ToString() : "");
            }
        }

        private static RoxChart BuildChart(int notes)
        {
            var chart = new RoxChart(7) { Title = "threads" };
            chart.AddBpm(0, 150);
            var list = new RoxNote[notes];
            for (int i = 0; i < notes; i++)
            {
                list[i] = new RoxNote(i * 1000L, i % 7);
            }
            chart.AddNotes(list);
            return chart;
        }

        /// <summary>Runs <paramref name="body"/> on <paramref name="count"/> threads; returns what they threw.</summary>
        private static List<Exception> RunThreads(int count, Action<int> body)
        {
            var errors = new List<Exception>();
            var threads = Enumerable.Range(0, count).Select(t => new Thread(() =>
            {
                try
                {
                    body(t);
                }
                catch (Exception e)
                {
                    lock (errors)
                    {
                        errors.Add(e);
                    }
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            return errors;
        }
    }
}

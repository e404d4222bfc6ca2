// The NuGet consumer test's program (nuget/consumer-test.sh): compiled against the installed
// package's lib/ assembly, run on Mono and CoreCLR.
//   Consumer load CHART     RoxChart.Load, then print the chart's notes
//   Consumer decode CHART   RoxChart.Decode of the file's bytes, print the note count
//   Consumer new            new RoxChart(4), print its key count
//   Consumer abi            print RoxLibrary.AbiVersion
// Each is the process's first use of the library, so each entry point is shown to find the
// native library on its own. A missing or incompatible library prints the exception, exit 3.
using System;
using System.IO;
using RhythmOpenExchange;

internal static class Program
{
    private static int Main(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "";
        if ((mode == "load" || mode == "decode") != (args.Length == 2))
        {
            mode = "";
        }
        try
        {
            switch (mode)
            {
                case "load":
                    using (RoxChart chart = RoxChart.Load(args[1]))
                    {
                        RoxNote[] notes = chart.GetNotes();
                        Console.WriteLine("{0} - {1} [{2}]", chart.Artist, chart.Title, chart.DifficultyName);
                        Console.WriteLine("keys: {0}", chart.KeyCount);
                        Console.WriteLine("notes: {0}", notes.Length);
                        foreach (RoxNote n in notes)
                        {
                            Console.WriteLine("{0} us  column {1}  {2}{3}", n.TimeUs, n.Column, n.Kind,
                                n.DurationUs > 0 ? "  " + n.DurationUs + " us" : "");
                        }
                    }
                    return 0;
                case "decode":
                    using (RoxChart chart = RoxChart.Decode(File.ReadAllBytes(args[1])))
                    {
                        Console.WriteLine("notes: {0}", chart.NoteCount);
                    }
                    return 0;
                case "new":
                    using (var chart = new RoxChart(4))
                    {
                        Console.WriteLine("keys: {0}", chart.KeyCount);
                    }
                    return 0;
                case "abi":
                    Console.WriteLine("abi: {0}", RoxLibrary.AbiVersion);
                    return 0;
                default:
                    Console.Error.WriteLine("usage: Consumer load|decode CHART | new | abi");
                    return 2;
            }
        }
        catch (RoxNativeLibraryException e)
        {
            Console.WriteLine("RoxNativeLibraryException: " + e.Message);
            return 3;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using NUnit.Framework;

namespace RhythmOpenExchange.Tests
{
    /// <summary>Finds the shared test corpus: <c>$ROX_CORPUS</c>, else <c>&lt;repo&gt;/../shared/corpus</c>.</summary>
    internal static class Corpus
    {
        /// <summary>Full path of a corpus file; marks the test ignored when the corpus is absent.</summary>
        internal static string File(string relativePath)
        {
            string root = Root();
            if (root == null)
            {
                Assert.Ignore("test corpus not found: set ROX_CORPUS or put it at <repo>/../shared/corpus");
            }
            string path = Path.Combine(root, relativePath);
            Assert.That(System.IO.File.Exists(path), Is.True, "corpus file missing: " + path);
            return path;
        }

        /// <summary>Full path of a file under the repository's <c>tests/fixtures</c>.</summary>
        internal static string Fixture(string relativePath)
        {
            string repo = RepositoryRoot();
            Assert.That(repo, Is.Not.Null, "repository root (Cargo.toml) not found above the test assembly");
            string path = Path.Combine(repo, "tests", "fixtures", relativePath);
            Assert.That(System.IO.File.Exists(path), Is.True, "fixture missing: " + path);
            return path;
        }

        private static string Root()
        {
            string fromEnv = Environment.GetEnvironmentVariable("ROX_CORPUS");
            if (!string.IsNullOrEmpty(fromEnv))
            {
                return Directory.Exists(fromEnv) ? fromEnv : null;
            }
            string repo = RepositoryRoot();
            if (repo == null)
            {
                return null;
            }
            string shared = Path.GetFullPath(Path.Combine(repo, "..", "shared", "corpus"));
            return Directory.Exists(shared) ? shared : null;
        }

        /// <summary>The first ancestor of the test assembly's folder that holds Cargo.toml.</summary>
        private static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppDomain.CurrentDomain.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (System.IO.File.Exists(Path.Combine(dir.FullName, "Cargo.toml")))
                {
                    return dir.FullName;
                }
            }
            return null;
        }
    }

    /// <summary>A deliberately minimal .osu reader, independent of the native codec, to compute expected values.</summary>
    internal sealed class OsuFile
    {
        internal readonly Dictionary<string, string> Values = new Dictionary<string, string>();
        internal readonly List<RoxNote> Notes = new List<RoxNote>();
        internal int KeyCount;

        internal static OsuFile Read(string path)
        {
            var osu = new OsuFile();
            string section = "";
            var objects = new List<string>();
            foreach (string raw in System.IO.File.ReadAllLines(path))
            {
                string line = raw.Trim();
                if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal))
                {
                    continue;
                }
                if (line.StartsWith("[", StringComparison.Ordinal))
                {
                    section = line;
                }
                else if (section == "[HitObjects]")
                {
                    objects.Add(line);
                }
                else if (section == "[General]" || section == "[Metadata]" || section == "[Difficulty]")
                {
                    int colon = line.IndexOf(':');
                    osu.Values[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
                }
            }
            osu.KeyCount = (int)double.Parse(osu.Values["CircleSize"], CultureInfo.InvariantCulture);
            foreach (string line in objects)
            {
                string[] f = line.Split(',');
                int x = int.Parse(f[0], CultureInfo.InvariantCulture);
                long time = long.Parse(f[2], CultureInfo.InvariantCulture);
                int type = int.Parse(f[3], CultureInfo.InvariantCulture);
                int column = Math.Min(Math.Max(x * osu.KeyCount / 512, 0), osu.KeyCount - 1);
                bool hold = (type & 128) != 0;
                long end = hold ? long.Parse(f[5].Split(':')[0], CultureInfo.InvariantCulture) : time;
                osu.Notes.Add(new RoxNote(time * 1000, column, hold ? RoxNoteKind.Hold : RoxNoteKind.Tap, (end - time) * 1000));
            }
            // The chart keeps notes sorted by (time, column).
            osu.Notes.Sort((a, b) => a.TimeUs != b.TimeUs ? a.TimeUs.CompareTo(b.TimeUs) : a.Column.CompareTo(b.Column));
            return osu;
        }
    }
}

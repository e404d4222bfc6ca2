#if !UNITY_5_3_OR_NEWER
// Not compiled by Unity: its plugin importer places the native library, and iOS/WebGL link it statically.
using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace RhythmOpenExchange
{
    /// <summary>
    /// Finds the native library in the NuGet layout (<c>&lt;assembly folder&gt;/runtimes/&lt;rid&gt;/native/</c>) where the
    /// runtime's own probing does not look there: Mono, and .NET without a <c>.deps.json</c> naming the
    /// file (e.g. assemblies loaded by a host such as the Godot editor).
    /// </summary>
    /// <remarks>
    /// On .NET 5+ (the <c>net8.0</c> build) a DllImport resolver runs the default search first and only then tries
    /// the NuGet folders. On <c>netstandard2.1</c> there is no resolver API: the file found there is loaded
    /// ahead of the first call (<c>dlopen</c>/<c>LoadLibrary</c>), so that the runtime's own lookup of the
    /// library name finds the already loaded module (on Linux through its SONAME <c>librox.so</c>).
    /// A file next to the application is always preferred.
    /// </remarks>
    internal static class NativeLibraryLoader
    {
        private const string LibraryName = "rox";

        /// <summary>The folders tried after the default search, for error messages.</summary>
        internal static IEnumerable<string> CandidateFolders()
        {
            string dir = AssemblyDirectory();
            if (dir == null)
            {
                yield break;
            }
            foreach (string rid in RuntimeIdentifiers())
            {
                yield return Path.Combine(dir, "runtimes", rid, "native");
            }
        }

        /// <summary>Prepares loading; must run before the first P/Invoke into the library (in a different method,
        /// since Mono resolves a P/Invoke when it compiles the calling method).</summary>
        internal static void Register(string fileName)
        {
            try
            {
#if NET5_0_OR_GREATER
                NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, (name, assembly, searchPath) =>
                {
                    IntPtr handle;
                    if (name != LibraryName)
                    {
                        return IntPtr.Zero;
                    }
                    if (NativeLibrary.TryLoad(name, assembly, searchPath, out handle))
                    {
                        return handle; // the default search (.deps.json, application folder, system paths)
                    }
                    string path = FindInNuGetFolders(fileName);
                    return path != null && NativeLibrary.TryLoad(path, out handle) ? handle : IntPtr.Zero;
                });
#else
                string dir = AssemblyDirectory();
                if (dir == null || File.Exists(Path.Combine(dir, fileName)))
                {
                    return; // next to the assembly: the runtime's own search finds it
                }
                string path = FindInNuGetFolders(fileName);
                if (path != null)
                {
                    Preload(path);
                }
#endif
            }
            catch (Exception)
            {
                // Best effort: if this fails, the first call reports the missing library with the environment.
            }
        }

        private static string FindInNuGetFolders(string fileName)
        {
            foreach (string folder in CandidateFolders())
            {
                string path = Path.Combine(folder, fileName);
                if (File.Exists(path))
                {
                    return path;
                }
            }
            return null;
        }

        private static string AssemblyDirectory()
        {
            string location = typeof(NativeLibraryLoader).Assembly.Location;
            string dir = string.IsNullOrEmpty(location) ? AppContext.BaseDirectory : Path.GetDirectoryName(location);
            return string.IsNullOrEmpty(dir) ? null : dir;
        }

        /// <summary>Portable RIDs, most specific first (the NuGet package has osx as one universal file).</summary>
        private static IEnumerable<string> RuntimeIdentifiers()
        {
            string os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win"
                : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx" : "linux";
            string arch;
            switch (RuntimeInformation.ProcessArchitecture)
            {
                case Architecture.X64: arch = "x64"; break;
                case Architecture.X86: arch = "x86"; break;
                case Architecture.Arm64: arch = "arm64"; break;
                case Architecture.Arm: arch = "arm"; break;
                default: arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(); break;
            }
            yield return os + "-" + arch;
            if (os == "osx")
            {
                yield return "osx";
            }
        }

#if !NET5_0_OR_GREATER
        private static void Preload(string path)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                LoadLibraryW(path);
            }
            else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                MacOS.dlopen(path, RtldNow);
            }
            else
            {
                Linux.dlopen(path, RtldNow);
            }
        }

        private const int RtldNow = 2;

        [DllImport("kernel32", CharSet = CharSet.Unicode, SetLastError = true)]
        private static extern IntPtr LoadLibraryW(string path);

        private static class Linux
        {
            [DllImport("libdl.so.2")]
            internal static extern IntPtr dlopen(string path, int mode);
        }

        private static class MacOS
        {
            [DllImport("/usr/lib/libSystem.dylib")]
            internal static extern IntPtr dlopen(string path, int mode);
        }
#endif
    }
}
#endif

using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RhythmOpenExchange.Native;

namespace RhythmOpenExchange
{
    /// <summary>Information about the native ROX library this wrapper uses.</summary>
    public static class RoxLibrary
    {
        /// <summary>The C ABI version this wrapper was written for.</summary>
        public const uint ExpectedAbiVersion = NativeMethods.ROX_ABI_VERSION;

        /// <summary>The ABI version the loaded native library reports.</summary>
        /// <exception cref="RoxNativeLibraryException">The library cannot be loaded or has another ABI version.</exception>
        public static uint AbiVersion
        {
            get
            {
                EnsureLoaded();
                return LoadState.Instance.Found;
            }
        }

        /// <summary>Loads the native library on first use and checks its ABI version; throws a
        /// <see cref="RoxNativeLibraryException"/> describing the environment if that failed.</summary>
        /// <remarks>Every entry point that creates a chart calls this; members of an existing chart need
        /// not, since a chart exists only if the check passed.
        /// An entry point must not call <c>NativeMethods</c> itself, only through a separate
        /// <c>[MethodImpl(MethodImplOptions.NoInlining)]</c> method: Mono binds a P/Invoke once, when it
        /// compiles the calling method, i.e. before this call could preload the library from a NuGet
        /// <c>runtimes/&lt;rid&gt;/native</c> folder, and a failed binding stays failed.
        /// (nuget/check-entry-points.py enforces this.)</remarks>
        /// <exception cref="PlatformNotSupportedException">Unity WebGL and tvOS players: no native library can be
        /// built for them.</exception>
        internal static void EnsureLoaded()
        {
#if (UNITY_WEBGL || UNITY_TVOS) && !UNITY_EDITOR
            throw new PlatformNotSupportedException(UnsupportedPlatform);
#else
            LoadState state = LoadState.Instance;
            if (state.Error != null)
            {
                throw new RoxNativeLibraryException(state.Error, state.Cause);
            }
#endif
        }

        /// <summary>Why WebGL and tvOS players cannot use ROX.</summary>
        internal const string UnsupportedPlatform =
            "ROX: the native library is not available on this platform (Unity WebGL and tvOS players): " +
            "librox cannot be built for them, so ROX works in the editor and on Windows, macOS, Linux, Android and iOS only.";

        private static string LibraryFileName()
        {
#if UNITY_IOS && !UNITY_EDITOR
            return "__Internal (the static library librox.a linked into the player)";
#elif UNITY_EDITOR_OSX || (UNITY_STANDALONE_OSX && !UNITY_EDITOR)
            return "rox.bundle";
#else
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return "rox.dll";
            }
            return RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "librox.dylib" : "librox.so";
#endif
        }

        /// <summary>Where the library was looked for, beyond the runtime's default search.</summary>
        private static string SearchedPlaces()
        {
#if UNITY_5_3_OR_NEWER
            return "in the Unity player's plugin folder (the package's Plugins/<platform> folder in the editor)";
#else
            string folders = string.Join("', '", NativeLibraryLoader.CandidateFolders());
            return "next to the application, on the system library path, and in '" + folders + "'";
#endif
        }

        // Not inlined: Mono binds a P/Invoke when it compiles the calling method, which must happen after
        // NativeLibraryLoader.Register has run.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static unsafe string Probe(out uint found, out Exception cause)
        {
            found = 0;
            cause = null;
            try
            {
                found = Interop.AbiVersion();
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException || e is BadImageFormatException)
            {
                cause = e;
                return Describe("could not load the native library: " + e.Message, "none");
            }
            if (found != ExpectedAbiVersion)
            {
                return Describe("the native library has the wrong ABI version", found.ToString());
            }
            // The public structs are reinterpreted as the generated ones; a mismatch would corrupt memory.
            if (sizeof(RoxNote) != sizeof(Native.RoxNote) || sizeof(RoxTimingPoint) != sizeof(Native.RoxTimingPoint)
                || sizeof(RoxGridLine) != sizeof(Native.RoxGridLine) || sizeof(RoxNotePosition) != sizeof(Native.RoxNotePosition)
                || sizeof(RoxPatternSection) != sizeof(Native.RoxPatternSection))
            {
                return Describe("struct layouts of the wrapper and the generated bindings differ", found.ToString());
            }
            return null;
        }

        private static string Describe(string problem, string foundVersion)
        {
            return string.Format(
                "ROX: {0}. Looked for '{1}' ({2}). OS: {3}; process architecture: {4}; runtime: {5}; " +
                "ABI version expected: {6}, found: {7}.",
                problem, LibraryFileName(), SearchedPlaces(), RuntimeInformation.OSDescription,
                RuntimeInformation.ProcessArchitecture, RuntimeInformation.FrameworkDescription, ExpectedAbiVersion,
                foundVersion);
        }

        /// <summary>Holds the probe result; the nested class makes the runtime run the probe once, on first use.</summary>
        private sealed class LoadState
        {
            internal static readonly LoadState Instance = new LoadState();

            internal readonly string Error;
            internal readonly Exception Cause;
            internal readonly uint Found;

            private LoadState()
            {
#if !UNITY_5_3_OR_NEWER
                NativeLibraryLoader.Register(LibraryFileName());
#endif
                Error = Probe(out Found, out Cause);
            }
        }
    }
}

using System;
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
        /// not, since a chart exists only if the check passed.</remarks>
        internal static void EnsureLoaded()
        {
            LoadState state = LoadState.Instance;
            if (state.Error != null)
            {
                throw new RoxNativeLibraryException(state.Error, state.Cause);
            }
        }

        private static string LibraryFileName()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return "rox.dll";
            }
            return RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "librox.dylib" : "librox.so";
        }

        private static unsafe string Probe(out uint found, out Exception cause)
        {
            found = 0;
            cause = null;
            try
            {
                found = NativeMethods.rox_abi_version();
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
            if (sizeof(RoxNote) != sizeof(Native.RoxNote) || sizeof(RoxTimingPoint) != sizeof(Native.RoxTimingPoint))
            {
                return Describe("struct layouts of the wrapper and the generated bindings differ", found.ToString());
            }
            return null;
        }

        private static string Describe(string problem, string foundVersion)
        {
            return string.Format(
                "ROX: {0}. Looked for '{1}' (next to the application, in the NuGet runtimes/<rid>/native folder, " +
                "or on the system library path). OS: {2}; process architecture: {3}; runtime: {4}; " +
                "ABI version expected: {5}, found: {6}.",
                problem, LibraryFileName(), RuntimeInformation.OSDescription, RuntimeInformation.ProcessArchitecture,
                RuntimeInformation.FrameworkDescription, ExpectedAbiVersion, foundVersion);
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
                Error = Probe(out Found, out Cause);
            }
        }
    }
}

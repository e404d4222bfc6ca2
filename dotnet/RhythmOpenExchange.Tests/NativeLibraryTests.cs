using System;
using System.Runtime.InteropServices;
using NUnit.Framework;

namespace RhythmOpenExchange.Tests
{
    /// <summary>Needs a process in which librox cannot be found; test.sh runs it that way with ROX_EXPECT_NO_NATIVE=1.</summary>
    [TestFixture]
    public class NativeLibraryTests
    {
        [Test]
        public void MissingLibraryIsReportedWithTheEnvironment()
        {
            if (Environment.GetEnvironmentVariable("ROX_EXPECT_NO_NATIVE") != "1")
            {
                Assert.Ignore("needs a process without librox; dotnet/test.sh runs it with ROX_EXPECT_NO_NATIVE=1");
            }
            var e = Assert.Throws<RoxNativeLibraryException>(() => new RoxChart(4));
            foreach (string expected in new[]
            {
                LibraryFile(), RuntimeInformation.ProcessArchitecture.ToString(), RuntimeInformation.FrameworkDescription,
                "ABI version expected: " + RoxLibrary.ExpectedAbiVersion,
            })
            {
                Assert.That(e.Message.Contains(expected), Is.True, "'" + expected + "' missing from: " + e.Message);
            }
            Assert.That(e.InnerException, Is.InstanceOf<DllNotFoundException>());
            Assert.That(e.Status, Is.Null, "no native call returned a status");
            Assert.Throws<RoxNativeLibraryException>(() => RoxChart.Decode(new byte[1]), "every entry point reports it");
        }

        private static string LibraryFile()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return "rox.dll";
            }
            return RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "librox.dylib" : "librox.so";
        }
    }
}

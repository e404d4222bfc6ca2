using System;
using System.Reflection;
using NUnit.Framework;

namespace RhythmOpenExchange.Tests
{
    /// <summary>Counts the bytes the current thread allocates, for tests that show a call allocates nothing.</summary>
    internal static class AllocationCounter
    {
        /// <summary>GC.GetAllocatedBytesForCurrentThread (.NET Core 3.0+), found by reflection since it is absent on
        /// older runtimes (Mono), where the calling test is marked ignored rather than failed.</summary>
        internal static Func<long> ForCurrentThread()
        {
            MethodInfo method = typeof(GC).GetMethod("GetAllocatedBytesForCurrentThread", BindingFlags.Public | BindingFlags.Static);
            if (method == null)
            {
                Assert.Ignore("needs GC.GetAllocatedBytesForCurrentThread (CoreCLR)");
            }
            return (Func<long>)Delegate.CreateDelegate(typeof(Func<long>), method);
        }
    }
}

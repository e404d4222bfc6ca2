using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using NUnit.Framework;

namespace RhythmOpenExchange.TestRunner
{
    /// <summary>
    /// Runs NUnit 2.6-style tests on runtimes where nunit-console cannot (CoreCLR): finds [TestFixture]
    /// classes, runs every [Test] and [TestCase] with [SetUp]/[TearDown], prints one line per test and a
    /// summary, and exits non-zero if a test failed. One fixture instance per class, as NUnit 2 does.
    /// </summary>
    /// <remarks>Usage: TestRunner.exe &lt;tests.dll&gt; [name-filter]</remarks>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            if (args.Length < 1 || args.Length > 2)
            {
                Console.Error.WriteLine("usage: TestRunner <tests.dll> [substring of Fixture.Method]");
                return 2;
            }
            Assembly tests = Assembly.LoadFrom(args[0]);
            string filter = args.Length == 2 ? args[1] : null;
            Console.WriteLine("Runtime: {0} ({1})", RuntimeInformation.FrameworkDescription, RuntimeInformation.ProcessArchitecture);

            int passed = 0, failed = 0, skipped = 0;
            var failures = new List<string>();
            foreach (Type fixture in tests.GetTypes().Where(t => t.IsDefined(typeof(TestFixtureAttribute), false)).OrderBy(t => t.FullName))
            {
                object instance = Activator.CreateInstance(fixture);
                MethodInfo[] methods = fixture.GetMethods(BindingFlags.Public | BindingFlags.Instance);
                MethodInfo setUp = methods.FirstOrDefault(m => m.IsDefined(typeof(SetUpAttribute), true));
                MethodInfo tearDown = methods.FirstOrDefault(m => m.IsDefined(typeof(TearDownAttribute), true));
                foreach (MethodInfo method in methods.OrderBy(m => m.MetadataToken))
                {
                    foreach (object[] arguments in Cases(method))
                    {
                        string name = fixture.Name + "." + method.Name + (arguments.Length == 0 ? "" : "(" + string.Join(", ", arguments.Select(Show)) + ")");
                        if (filter != null && name.IndexOf(filter, StringComparison.Ordinal) < 0)
                        {
                            continue;
                        }
                        var watch = Stopwatch.StartNew();
                        Outcome outcome = Run(instance, setUp, method, arguments, tearDown);
                        string line = string.Format("{0} {1} ({2} ms){3}", outcome.Label, name, watch.ElapsedMilliseconds,
                            outcome.Message == null ? "" : ": " + outcome.Message);
                        Console.WriteLine(line);
                        switch (outcome.Label)
                        {
                            case "PASS": passed++; break;
                            case "SKIP": skipped++; break;
                            default: failed++; failures.Add(line); break;
                        }
                    }
                }
            }

            Console.WriteLine();
            failures.ForEach(Console.WriteLine);
            Console.WriteLine("Tests: {0} passed, {1} failed, {2} skipped ({3})", passed, failed, skipped, RuntimeInformation.FrameworkDescription);
            return failed == 0 && passed + skipped > 0 ? 0 : 1;
        }

        /// <summary>Argument lists to call <paramref name="method"/> with: one empty list for [Test], one per [TestCase].</summary>
        private static IEnumerable<object[]> Cases(MethodInfo method)
        {
            var cases = method.GetCustomAttributes(typeof(TestCaseAttribute), false).Cast<TestCaseAttribute>().ToList();
            if (cases.Count > 0)
            {
                return cases.Select(c => Convert(c.Arguments, method.GetParameters()));
            }
            return method.IsDefined(typeof(TestAttribute), false) ? new[] { new object[0] } : new object[0][];
        }

        /// <summary>NUnit converts [TestCase] literals to the parameter types (an int literal for a long parameter).</summary>
        private static object[] Convert(object[] arguments, ParameterInfo[] parameters)
        {
            return arguments.Select((a, i) => a == null || parameters[i].ParameterType.IsInstanceOfType(a)
                ? a
                : System.Convert.ChangeType(a, parameters[i].ParameterType)).ToArray();
        }

        private static Outcome Run(object instance, MethodInfo setUp, MethodInfo test, object[] arguments, MethodInfo tearDown)
        {
            Outcome outcome = Invoke(instance, setUp, new object[0]);
            if (outcome == null)
            {
                outcome = Invoke(instance, test, arguments);
            }
            // TearDown runs even when the test failed, as in NUnit; its own failure is reported if the test passed.
            Outcome tornDown = Invoke(instance, tearDown, new object[0]);
            return outcome ?? tornDown ?? new Outcome("PASS", null);
        }

        /// <summary>Calls <paramref name="method"/>; null means it returned normally.</summary>
        private static Outcome Invoke(object instance, MethodInfo method, object[] arguments)
        {
            if (method == null)
            {
                return null;
            }
            try
            {
                method.Invoke(instance, arguments);
                return null;
            }
            catch (TargetInvocationException wrapper)
            {
                Exception e = wrapper.InnerException;
                if (e is SuccessException)
                {
                    return new Outcome("PASS", null);
                }
                if (e is IgnoreException || e is InconclusiveException)
                {
                    return new Outcome("SKIP", e.Message);
                }
                return new Outcome("FAIL", e is AssertionException ? e.Message.Trim() : e.ToString());
            }
        }

        private static string Show(object value)
        {
            return value is string ? "\"" + value + "\"" : System.Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
        }

        private sealed class Outcome
        {
            internal readonly string Label;
            internal readonly string Message;

            internal Outcome(string label, string message)
            {
                Label = label;
                Message = message;
            }
        }
    }
}

using System.Runtime.CompilerServices;

// The tests compare the public structs with the generated ones field by field.
[assembly: InternalsVisibleTo("RhythmOpenExchange.Tests")]

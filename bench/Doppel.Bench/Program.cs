using BenchmarkDotNet.Running;
using Doppel.Bench;

// Fail early, before BenchmarkDotNet builds and launches anything, if the inputs are not there.
try
{
    Console.WriteLine($"doppel-bench: corpus {Corpus.Pan13Train()}");
}
catch (CorpusNotFoundException e)
{
    Console.Error.WriteLine($"doppel-bench: {e.Message}");
    return 2;
}

// Not a BenchmarkDotNet suite: the HTML report's size and its load time in headless Chromium.
if (args.Length > 0 && args[0] == "report-load")
    return ReportLoadBench.Run(args);

var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;

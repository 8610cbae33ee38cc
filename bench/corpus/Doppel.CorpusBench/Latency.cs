using System.Diagnostics;
using Doppel.Engine.Index;
using Doppel.Engine.Text;

namespace Doppel.CorpusBench;

/// <summary>Checks every query of a generated corpus against an index as <c>doppel check --index</c> does
/// (analysis, retrieval, alignment of the top candidates), and reports latency percentiles, peak RSS and whether
/// the planted sources were found (recall@5 of the retrieval, and whether alignment reported them).</summary>
internal static class Latency
{
    public static int Run(string indexDir, string queryDir, int top)
    {
        var truth = File.ReadLines(Path.Combine(queryDir, "truth.tsv")).Select(l => l.Split('\t'))
            .ToDictionary(p => p[0], p => p.Skip(1).ToArray());
        var sw0 = Stopwatch.StartNew();
        using var index = SqliteReferenceIndex.Open(indexDir, create: false);
        using var snap = index.OpenSnapshot();
        Console.WriteLine($"open: {sw0.Elapsed.TotalMilliseconds:F0} ms, {snap.DocumentCount} documents");
        var times = new List<double>();
        int planted = 0, retrieved = 0, reported = 0;
        foreach (var (name, sources) in truth.OrderBy(t => t.Key))
        {
            string text = File.ReadAllText(Path.Combine(queryDir, name));
            var sw = Stopwatch.StartNew();
            var doc = DocumentAnalyzer.Analyze(text, name);
            var matches = CorpusChecker.Check(snap, doc, top);
            times.Add(sw.Elapsed.TotalMilliseconds);
            var ranked = CandidateRetriever.Retrieve(snap, doc).Candidates.Take(5);
            var top5 = ranked.Select(c => snap.Get(c.Number)!.Id).ToHashSet();
            var found = matches.Where(m => m.Passages.Count > 0).Select(m => m.Document.Id).ToHashSet();
            foreach (var s in sources)
            {
                planted++;
                if (top5.Contains(s)) retrieved++;
                if (found.Contains(s)) reported++;
            }
        }
        // The first queries pay for JIT compilation; percentiles are over the rest.
        var steady = times.Skip(5).Order().ToList();
        Console.WriteLine($"queries {times.Count}: p50 {steady[steady.Count / 2]:F0} ms, p95 {steady[(int)(steady.Count * 0.95)]:F0} ms, " +
            $"max {steady[^1]:F0} ms, first {times[0]:F0} ms");
        Console.WriteLine($"planted sources {planted}: in top 5 {(double)retrieved / planted:F4}, reported by alignment {(double)reported / planted:F4}");
        Console.WriteLine($"peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MB");
        return 0;
    }
}

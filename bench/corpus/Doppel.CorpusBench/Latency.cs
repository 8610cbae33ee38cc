using System.Diagnostics;
using System.Globalization;
using Doppel.Application;
using Doppel.Engine.Index;
using Doppel.Engine.Text;

namespace Doppel.CorpusBench;

/// <summary>Checks every query of a generated corpus against an index as <c>doppel check --index</c> does
/// (analysis, retrieval, alignment of the top candidates), and reports latency percentiles, peak RSS and whether
/// the planted sources were found (recall@5 of the retrieval, and whether alignment reported them).
/// The index is any location <c>doppel</c> takes (a directory, or <c>redis://...</c>); with <c>count</c> only the
/// first queries (in name order) are checked; with <c>detections</c> every reported passage is written there (one
/// line each: query, source id, offsets, score), so that runs on two back ends can be compared with <c>cmp</c>.</summary>
internal static class Latency
{
    public static int Run(string location, string queryDir, int top, int count = int.MaxValue, string? detections = null)
    {
        var truth = File.ReadLines(Path.Combine(queryDir, "truth.tsv")).Select(l => l.Split('\t'))
            .ToDictionary(p => p[0], p => p.Skip(1).ToArray());
        var sw0 = Stopwatch.StartNew();
        using var index = IndexLocation.Open(location, create: false);
        using var snap = index.OpenSnapshot();
        using var detected = detections == null ? null : new StreamWriter(detections);
        Console.WriteLine($"open: {sw0.Elapsed.TotalMilliseconds:F0} ms, {snap.DocumentCount} documents");
        var times = new List<double>();
        int planted = 0, retrieved = 0, reported = 0;
        foreach (var (name, sources) in truth.OrderBy(t => t.Key, StringComparer.Ordinal).Take(count))
        {
            string text = File.ReadAllText(Path.Combine(queryDir, name));
            var sw = Stopwatch.StartNew();
            var doc = DocumentAnalyzer.Analyze(text, name);
            var matches = CorpusChecker.Check(snap, doc, top);
            times.Add(sw.Elapsed.TotalMilliseconds);
            foreach (var m in matches.OrderBy(m => m.Document.Id, StringComparer.Ordinal))
                foreach (var p in m.Passages)
                    detected?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{name}\t{m.Document.Id}\t{p.SuspiciousStart}\t{p.SuspiciousLength}\t{p.SourceStart}\t{p.SourceLength}\t{p.Score:F6}"));
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

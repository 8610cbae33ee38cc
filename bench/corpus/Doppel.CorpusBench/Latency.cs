using System.Diagnostics;
using System.Globalization;
using Doppel.Application;
using Doppel.Engine.Alignment;
using Doppel.Engine.Index;
using Doppel.Engine.Semantic;
using Doppel.Engine.Text;

namespace Doppel.CorpusBench;

/// <summary>Checks every query of a generated corpus against an index as <c>doppel check --index</c> does
/// (analysis, retrieval, alignment of the top candidates), and reports latency percentiles, peak RSS and whether
/// the planted sources were found (recall@5 of the retrieval, and whether alignment reported them).
/// The index is any location <c>doppel</c> takes (a directory, or <c>redis://...</c>); with <c>count</c> (or
/// <c>--queries N</c>) only the first queries (in name order) are checked; with <c>detections</c> every reported passage
/// is written there (one line each: query, source id, offsets, score), so that runs on two back ends can be compared
/// with <c>cmp</c>. With <c>--semantic on</c> the sentence encoder is used as <c>check --semantic on</c> uses it
/// (candidates' vectors from the index where stored), and the time spent encoding is reported apart;
/// <c>--candidates FILE</c> writes the ids of the candidates aligned (to store their vectors).</summary>
internal static class Latency
{
    private static long SemanticUnitCount;

    public static int Run(string location, string queryDir, int top, int count, string? detections, string[] options)
    {
        string Option(string name, string fallback)
        {
            int at = Array.IndexOf(options, name);
            return at >= 0 && at + 1 < options.Length ? options[at + 1] : fallback;
        }
        SemanticEncoders.TryParse(Option("--semantic", "off"), out var mode);
        var alignment = AlignmentOptions.Default.WithSemantic(mode);
        int maxQueries = int.Parse(Option("--queries", "1000000"));
        string? candidatesFile = Option("--candidates", "") is { Length: > 0 } f ? f : null;
        var aligned = new SortedSet<string>(StringComparer.Ordinal);
        if (alignment.Encoder != null) alignment.Encoder.Encode(["A first sentence loads the model."]);
        var truth = File.ReadLines(Path.Combine(queryDir, "truth.tsv")).Select(l => l.Split('\t'))
            .ToDictionary(p => p[0], p => p.Skip(1).ToArray());
        var sw0 = Stopwatch.StartNew();
        using var index = IndexLocation.Open(location, create: false);
        using var snap = index.OpenSnapshot();
        using var detected = detections == null ? null : new StreamWriter(detections);
        Console.WriteLine($"open: {sw0.Elapsed.TotalMilliseconds:F0} ms, {snap.DocumentCount} documents");
        var times = new List<double>();
        var encodeMs = new List<double>();
        var analysisMs = new List<double>();
        long sentences0 = EncoderWork.Sentences;
        int planted = 0, retrieved = 0, reported = 0;
        foreach (var (name, sources) in truth.OrderBy(t => t.Key, StringComparer.Ordinal).Take(Math.Min(count, maxQueries)))
        {
            string text = File.ReadAllText(Path.Combine(queryDir, name));
            var sw = Stopwatch.StartNew();
            var doc = DocumentAnalyzer.Analyze(text, name);
            analysisMs.Add(sw.Elapsed.TotalMilliseconds);
            // The query's own vectors first (as the check would on its first pair), timed apart: the rest is
            // retrieval, reading and aligning the candidates (and encoding those without stored vectors).
            var before = sw.Elapsed;
            if (alignment.UnitEncoder is { } encoder) SentenceVectorCache.Get(doc, encoder, alignment.SemanticMinProseWords);
            encodeMs.Add((sw.Elapsed - before).TotalMilliseconds);
            var matches = CorpusChecker.Check(snap, doc, top, alignment);
            times.Add(sw.Elapsed.TotalMilliseconds);
            foreach (var m in matches.OrderBy(m => m.Document.Id, StringComparer.Ordinal))
                foreach (var p in m.Passages)
                    detected?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{name}\t{m.Document.Id}\t{p.SuspiciousStart}\t{p.SuspiciousLength}\t{p.SourceStart}\t{p.SourceLength}\t{p.Score:F6}"));
            foreach (var m in matches) aligned.Add(m.Document.Id);
            SemanticUnitCount += SemanticUnits.Select(doc, alignment.SemanticMinProseWords).Length;
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
        if (alignment.Encoder != null)
        {
            var enc = encodeMs.Skip(5).Order().ToList();
            long n = EncoderWork.Sentences - sentences0;
            Console.WriteLine($"semantic {mode} ({alignment.UnitEncoder?.Name} for every unit): {n} sentences encoded, both encoders, ({(double)n / times.Count:F0} per query); " +
                $"encoding the query alone p50 {enc[enc.Count / 2]:F0} ms, p95 {enc[(int)(enc.Count * 0.95)]:F0} ms, max {enc[^1]:F0} ms " +
                $"({(double)SemanticUnitCount / times.Count:F0} units per query)");
        }
        Console.WriteLine($"candidates aligned: {aligned.Count} distinct over {times.Count} queries");
        if (candidatesFile != null) File.WriteAllLines(candidatesFile, aligned);
        var an = analysisMs.Skip(5).Order().ToList();
        Console.WriteLine($"analysis of the query p50 {an[an.Count / 2]:F0} ms, p95 {an[(int)(an.Count * 0.95)]:F0} ms (inside the totals above)");
        Console.WriteLine($"planted sources {planted}: in top 5 {(double)retrieved / planted:F4}, reported by alignment {(double)reported / planted:F4}");
        Console.WriteLine($"peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MB");
        return 0;
    }
}

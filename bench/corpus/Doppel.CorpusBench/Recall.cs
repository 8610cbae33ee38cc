using System.Diagnostics;
using Doppel.Engine.Index;
using Doppel.Engine.Text;

namespace Doppel.CorpusBench;

/// <summary>Retrieval recall on a PAN text-alignment corpus: for every (suspicious, source) pair of the obfuscation
/// folders 02-05, is the source among the top K candidates retrieved for the suspicious document? Sources whose
/// content the index holds under another id (PAN 2013 has 15 duplicated sources) count as found.</summary>
internal static class Recall
{
    public static int Run(string panDir, string indexDir, int k)
    {
        using var index = SqliteReferenceIndex.Open(indexDir, create: false);
        using var snap = index.OpenSnapshot();
        var ids = index.List().ToDictionary(d => d.Id, d => d.Number);
        var groups = Directory.GetDirectories(panDir).Where(d => File.Exists(Path.Combine(d, "pairs")) && !d.EndsWith("01-no-plagiarism"))
            .OrderBy(d => d).ToList();
        var pairs = groups.SelectMany(g => File.ReadLines(Path.Combine(g, "pairs"))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(p => p.Length == 2)
            .Select(p => (Group: Path.GetFileName(g), Susp: p[0], Src: p[1]))).ToList();
        var susps = pairs.Select(p => p.Susp).Distinct().ToList();
        var ranked = new Dictionary<string, List<long>>();
        var times = new List<double>();
        foreach (var s in susps)
        {
            var doc = DocumentAnalyzer.Analyze(File.ReadAllText(Path.Combine(panDir, "susp", s)), s);
            var sw = Stopwatch.StartNew();
            ranked[s] = CandidateRetriever.Retrieve(snap, doc, 10).Select(c => c.Number).ToList();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine($"{susps.Count} suspicious documents, retrieval p50 {times[times.Count / 2]:F1} ms, p95 {times[(int)(times.Count * 0.95)]:F1} ms");
        Console.WriteLine($"{"group",-28} {"pairs",6} {"r@1",7} {"r@5",7} {"r@10",7} {"r@" + k,7}");
        foreach (var g in pairs.GroupBy(p => p.Group).Append(pairs.GroupBy(_ => "all").Single()))
        {
            int n = 0, h1 = 0, h5 = 0, h10 = 0, hk = 0;
            foreach (var p in g)
            {
                n++;
                int rank = ids.TryGetValue(p.Src, out long num) ? ranked[p.Susp].IndexOf(num) : -1;
                if (rank < 0) { if (Environment.GetEnvironmentVariable("SHOW_MISSES") == "1") Console.WriteLine($"  miss {p.Group} {p.Susp} {p.Src}"); continue; }
                if (rank < 1) h1++;
                if (rank < 5) h5++;
                if (rank < 10) h10++;
                if (rank < k) hk++;
            }
            Console.WriteLine($"{g.Key,-28} {n,6} {(double)h1 / n,7:F4} {(double)h5 / n,7:F4} {(double)h10 / n,7:F4} {(double)hk / n,7:F4}");
        }
        return 0;
    }
}

using System.Diagnostics;
using Doppel.Engine.Evaluation;
using Doppel.Engine.Index;
using Doppel.Engine.Text;

namespace Doppel.CorpusBench;

/// <summary>
/// Retrieval recall on a PAN text-alignment corpus, for every (suspicious, source) pair of the obfuscation folders
/// 02-05. Two measures:
/// <list type="bullet">
/// <item>case recall@K: for every plagiarism case of the pair, the source is among the top K candidates of a query
/// window that overlaps the case (what the aligner is then run on);</item>
/// <item>document recall@K: the source is among the first K candidates of the document's whole ranking
/// (PAN 2013 suspicious documents draw on up to 20 sources, so this one cannot reach 1 for K = 5).</item>
/// </list>
/// Sources the index holds under another id (PAN 2013 has 15 duplicated sources) count as found.
/// </summary>
internal static class Recall
{
    /// <summary>Retrieval options, with overrides from the environment for tuning runs (RW, RS, PW, QW, CAP, RB for the
    /// length normalisation b, RK for its k1).</summary>
    internal static RetrievalOptions Options(int k)
    {
        var o = new RetrievalOptions { PerWindow = k };
        if (Environment.GetEnvironmentVariable("RW") is { } rw) o = o with { WindowUnits = int.Parse(rw) };
        if (Environment.GetEnvironmentVariable("RS") is { } rs) o = o with { WindowStride = int.Parse(rs) };
        if (Environment.GetEnvironmentVariable("PW") is { } pw) o = o with { PairWeight = double.Parse(pw) };
        if (Environment.GetEnvironmentVariable("QW") is { } qw) o = o with { QueryPairWindow = int.Parse(qw) };
        if (Environment.GetEnvironmentVariable("RB") is { } rb) o = o with { LengthNormalisation = double.Parse(rb) };
        if (Environment.GetEnvironmentVariable("RK") is { } rk) o = o with { LengthSaturation = double.Parse(rk) };
        if (Environment.GetEnvironmentVariable("CAP") is { } cap) o = o with { MaxDocumentShare = double.Parse(cap) };
        return o;
    }

    public static int Run(string panDir, string indexDir, int k)
    {
        using var index = SqliteReferenceIndex.Open(indexDir, create: false);
        using var snap = index.OpenSnapshot();
        var ids = index.List().ToDictionary(d => d.Id, d => d.Number);
        var groups = Directory.GetDirectories(panDir).Where(d => File.Exists(Path.Combine(d, "pairs")) && !d.EndsWith("01-no-plagiarism"))
            .OrderBy(d => d).ToList();
        var pairs = groups.SelectMany(g => File.ReadLines(Path.Combine(g, "pairs"))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(p => p.Length == 2)
            .Select(p => (Group: Path.GetFileName(g), Dir: g, Susp: p[0], Src: p[1]))).ToList();
        var susps = pairs.Select(p => p.Susp).Distinct().ToList();
        var results = new Dictionary<string, RetrievalResult>();
        var times = new List<double>();
        foreach (var s in susps)
        {
            var doc = DocumentAnalyzer.Analyze(File.ReadAllText(Path.Combine(panDir, "susp", s)), s);
            var sw = Stopwatch.StartNew();
            results[s] = CandidateRetriever.Retrieve(snap, doc, Options(k));
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine($"{susps.Count} suspicious documents, retrieval p50 {times[times.Count / 2]:F1} ms, p95 {times[(int)(times.Count * 0.95)]:F1} ms, " +
            $"candidates per document: mean {results.Values.Average(r => r.Candidates.Count):F1}");
        Console.WriteLine($"{"group",-28} {"pairs",6} {"cases",6} {"case r@" + k,10} {"doc r@" + k,9} {"doc r@10",9} {"doc r@20",9}");
        bool show = Environment.GetEnvironmentVariable("SHOW_MISSES") == "1";
        double[] taus = [0.03, 0.05, 0.08, 0.1, 0.15];
        Console.WriteLine("candidates per document at strength >= " + string.Join(", ", taus.Select(t => $"{t}: {results.Values.Average(r => r.Candidates.Count(c => c.Strength >= t)):F1}")));
        foreach (var g in pairs.GroupBy(p => p.Group).Append(pairs.GroupBy(_ => "all").Single()))
        {
            int n = 0, cases = 0, caseHits = 0, hk = 0, h10 = 0, h20 = 0;
            var strong = new int[taus.Length];
            foreach (var p in g)
            {
                n++;
                var r = results[p.Susp];
                long num = ids.TryGetValue(p.Src, out long x) ? x : -1;
                int rank = r.Candidates.Select(c => c.Number).ToList().IndexOf(num);
                if (rank >= 0 && rank < k) hk++;
                if (rank >= 0 && rank < 10) h10++;
                if (rank >= 0 && rank < 20) h20++;
                double strength = rank >= 0 ? r.Candidates[rank].Strength : 0;
                for (int t = 0; t < taus.Length; t++) if (strength >= taus[t]) strong[t]++;
                string truth = Path.Combine(p.Dir, $"{Path.GetFileNameWithoutExtension(p.Susp)}-{Path.GetFileNameWithoutExtension(p.Src)}.xml");
                foreach (var c in PanXml.ReadCases(truth))
                {
                    cases++;
                    bool hit = r.Windows.Any(w => w.CharStart < c.ThisEnd && w.CharEnd > c.ThisOffset && w.Top.Contains(num));
                    if (hit) caseHits++;
                    else if (show) Console.WriteLine($"  miss {p.Group} {p.Susp} {p.Src} case {c.ThisOffset}+{c.ThisLength} doc rank {rank}");
                }
            }
            Console.WriteLine($"{g.Key,-28} {n,6} {cases,6} {(double)caseHits / cases,10:F4} {(double)hk / n,9:F4} {(double)h10 / n,9:F4} {(double)h20 / n,9:F4}   strength>=tau: {string.Join(" ", strong.Select(x => ((double)x / n).ToString("F4")))}");
        }
        return 0;
    }
}

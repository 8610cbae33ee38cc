using Doppel.Engine.Alignment;
using Doppel.Engine.Semantic;
using Doppel.Engine.Text;

/// <summary>
/// Calibrates auto mode's static candidate threshold (docs/algorithm.md, "Semantic evidence"):
/// 1. PAN13 no-plagiarism pairs: the distribution of each suspicious unit's best static cosine (and of the mutual-best
///    ones): what a threshold lets through where nothing is reused;
/// 2. PAN13, all pairs: how many mutual-best candidates each threshold gives (the transformer's work, before the
///    lexically seeded ones are left out);
/// 3. pan25-dev: the unit pairs that on mode seeds (transformer mutual best >= 0.86) and how many of them each static
///    threshold keeps as candidates.
///   dotnet run -c Release --project bench/sentence/Doppel.SentenceBench -- --calibrate [CORPORA_DIR]
/// </summary>
static class Calibration
{
    static readonly float[] Thresholds = [0.65f, 0.70f, 0.75f, 0.78f, 0.80f, 0.82f, 0.85f, 0.90f];

    public static void Run(string corpora, StaticEncoder stat, TransformerEncoder? transformer)
    {
        int minWords = AlignmentOptions.Default.SemanticMinProseWords;
        var cache = new Dictionary<string, (List<int> Units, List<string> Text, float[] V)>();
        (List<int> Units, List<string> Text, float[] V) Load(string path)
        {
            if (cache.TryGetValue(path, out var c)) return c;
            var d = DocumentAnalyzer.Analyze(File.ReadAllText(path), Path.GetFileName(path));
            List<int> u = [.. SemanticUnits.Select(d, minWords)];
            return cache[path] = (u, u.ConvertAll(x => SemanticUnits.Text(d, x)), stat.EncodeUnits(d, u)); // as auto mode encodes them
        }
        int dim = stat.Dimension;

        string pan13 = Path.Combine(corpora, "pan13-train");
        foreach (var (label, pairsFile) in new[] { ("PAN13 no-plagiarism", "01-no-plagiarism/pairs"), ("PAN13 all", "pairs") })
        {
            var best = new List<float>();
            var mutual = new List<float>();
            int units = 0;
            foreach (var (s, r) in Pairs(Path.Combine(pan13, pairsFile)))
            {
                var a = Load(Path.Combine(pan13, "susp", s));
                var b = Load(Path.Combine(pan13, "src", r));
                if (a.Units.Count == 0 || b.Units.Count == 0) continue;
                units += a.Units.Count;
                for (int i = 0; i < a.Units.Count; i++)
                {
                    float m = -1;
                    for (int j = 0; j < b.Units.Count; j++)
                        m = Math.Max(m, SentenceVectors.Cosine(SentenceVectors.Row(a.V, dim, i), SentenceVectors.Row(b.V, dim, j)));
                    best.Add(m);
                }
                foreach (var c in SemanticSeeder.MutualBest(a.V, b.V, dim, 0.5f)) mutual.Add(c.Cosine);
            }
            Console.WriteLine($"## {label}: {units} suspicious prose units");
            Console.WriteLine($"best static cosine per unit: {Percentiles(best)}");
            Console.WriteLine($"mutual-best pairs >= 0.5: {Percentiles(mutual)}");
            Console.WriteLine("candidates (mutual best) at threshold: " + string.Join(", ", Thresholds.Select(t => $"{t:F2}: {mutual.Count(x => x >= t)}")));
            Console.WriteLine();
        }

        if (transformer == null) return;
        string pan25 = Path.Combine(corpora, "pan25-dev");
        var seedStatic = new List<float>();
        var kept = new int[Thresholds.Length];
        var candidates = new int[Thresholds.Length];
        int seedsCount = 0;
        foreach (var (s, r) in Pairs(Path.Combine(pan25, "pairs")))
        {
            var a = Load(Path.Combine(pan25, "susp", s));
            var b = Load(Path.Combine(pan25, "src", r));
            if (a.Units.Count == 0 || b.Units.Count == 0) continue;
            var ta = transformer.Encode(a.Text);
            var tb = transformer.Encode(b.Text);
            var on = SemanticSeeder.MutualBest(ta, tb, transformer.Dimension, (float)AlignmentOptions.Default.SemanticSeedSimilarity);
            for (int t = 0; t < Thresholds.Length; t++)
            {
                var cand = SemanticSeeder.MutualBest(a.V, b.V, dim, Thresholds[t]);
                candidates[t] += cand.Count;
                var set = cand.Select(c => (c.I, c.J)).ToHashSet();
                kept[t] += on.Count(x => set.Contains((x.I, x.J)));
            }
            seedsCount += on.Count;
            foreach (var x in on) seedStatic.Add(SentenceVectors.Cosine(SentenceVectors.Row(a.V, dim, x.I), SentenceVectors.Row(b.V, dim, x.J)));
        }
        Console.WriteLine($"## pan25-dev: {seedsCount} on-mode seeds (transformer mutual best >= 0.86)");
        Console.WriteLine($"their static cosine: {Percentiles(seedStatic)}");
        for (int t = 0; t < Thresholds.Length; t++)
            Console.WriteLine($"static {Thresholds[t]:F2}: {candidates[t]} candidates, {kept[t]} of the {seedsCount} on seeds among them ({(double)kept[t] / Math.Max(1, seedsCount):P1})");
    }

    static IEnumerable<(string S, string R)> Pairs(string file)
    {
        foreach (var line in File.ReadLines(file))
        {
            var p = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (p.Length == 2) yield return (p[0], p[1]);
        }
    }

    static string Percentiles(List<float> x)
    {
        if (x.Count == 0) return "(none)";
        var s = x.OrderBy(v => v).ToArray();
        float P(double q) => s[Math.Min(s.Length - 1, (int)(q * s.Length))];
        return $"n {s.Length}, min {s[0]:F3}, p1 {P(0.01):F3}, p5 {P(0.05):F3}, p10 {P(0.10):F3}, p50 {P(0.5):F3}, p90 {P(0.9):F3}, p99 {P(0.99):F3}, p99.9 {P(0.999):F3}, max {s[^1]:F3}";
    }
}

/// <summary>Where auto mode's static stage spends its time, per pair as the aligner runs it (one thread).</summary>
static class StageProfile
{
    public static void Run(string pairsFile, string dir, StaticEncoder stat)
    {
        int minWords = AlignmentOptions.Default.SemanticMinProseWords;
        var docs = new Dictionary<string, AnalyzedDocument>();
        AnalyzedDocument Load(string path) => docs.TryGetValue(path, out var d) ? d : docs[path] = DocumentAnalyzer.Analyze(File.ReadAllText(path), Path.GetFileName(path));
        var pairs = File.ReadLines(pairsFile).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(p => p.Length == 2)
            .Select(p => (Load(Path.Combine(dir, "susp", p[0])), Load(Path.Combine(dir, "src", p[1])))).ToList();
        stat.EncodeUnits(pairs[0].Item1, [0]);
        var sw = new System.Diagnostics.Stopwatch[3].Select(_ => new System.Diagnostics.Stopwatch()).ToArray();
        long units = 0, cos = 0;
        for (int round = 0; round < 2; round++) // the first round fills the word cache
        {
            foreach (var s in sw) s.Reset();
            units = cos = 0;
            foreach (var (a, b) in pairs)
            {
                sw[0].Start();
                var ua = SemanticUnits.Select(a, minWords);
                var ub = SemanticUnits.Select(b, minWords);
                sw[0].Stop();
                if (ua.Length == 0 || ub.Length == 0) continue;
                sw[1].Start();
                var va = stat.EncodeUnits(a, ua);
                var vb = stat.EncodeUnits(b, ub);
                sw[1].Stop();
                sw[2].Start();
                SemanticSeeder.MutualBest(va, vb, stat.Dimension, 0.8f);
                sw[2].Stop();
                units += ua.Length + ub.Length;
                cos += (long)ua.Length * ub.Length;
            }
        }
        Console.WriteLine($"{pairs.Count} pairs, {units} units, {cos} unit pairs: prose units {sw[0].Elapsed.TotalSeconds:F2} s, static encoding {sw[1].Elapsed.TotalSeconds:F2} s, mutual best {sw[2].Elapsed.TotalSeconds:F2} s");
    }
}

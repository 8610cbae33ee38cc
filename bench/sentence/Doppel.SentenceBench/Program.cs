// Sentence-similarity benchmark (issue 11): scores sentence pairs of MSRP train and PAWS dev with the engine's
// lexical similarity (tf-isf cosine and Dice over content stems, as the aligner's seeder computes them), the sentence
// encoder's cosine, and their combinations, and reports accuracy and F1 at the best threshold of each.
//   dotnet run -c Release --project bench/sentence/Doppel.SentenceBench -- [CORPORA_DIR] [--limit N] [--threads T]
//   ... -- --reference   prints the encoder's reference vectors for the unit test
//   ... -- --static-reference   the same for the static encoder (StaticEncoderTests)
//   ... -- --static-only   lexical and static measures only (no transformer)
//   ... -- --calibrate   auto mode's static threshold on PAN13 and pan25-dev (Calibration.cs; with --static-only: PAN13 only)
//   ... -- --profile PAIRS DIR   times auto mode's static stage on the pairs (DIR holds susp/ and src/)
//   ... -- --static-table FILE   a table other than the committed one (tools/Doppel.StaticEmbeddings output)
using System.Diagnostics;
using Doppel.Engine.Semantic;
using Doppel.Engine.Text;

string corpora = "../shared/corpora";
int limit = int.MaxValue, threads = 0;
string? staticTable = null;
bool reference = false, staticReference = false, staticOnly = false, calibrate = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--limit": limit = int.Parse(args[++i]); break;
        case "--threads": threads = int.Parse(args[++i]); break;
        case "--reference": reference = true; break;
        case "--static-reference": staticReference = true; break;
        case "--static-only": staticOnly = true; break;
        case "--static-table": staticTable = args[++i]; break;
        case "--calibrate": calibrate = true; break;
        case "--profile": StageProfile.Run(args[++i], args[++i], new StaticEncoder()); return;
        default: corpora = args[i]; break;
    }
}

using var stat = staticTable == null ? new StaticEncoder() : new StaticEncoder(File.OpenRead(staticTable));
if (staticReference)
{
    string[] sentences = ReferenceSentences.All;
    var v = stat.Encode(sentences);
    for (int i = 0; i < sentences.Length; i++)
        Console.WriteLine($"[{string.Join(", ", Enumerable.Range(0, 8).Select(d => v[i * stat.Dimension + d].ToString("R") + "f"))}],");
    for (int i = 0; i < sentences.Length; i++)
        for (int j = i + 1; j < sentences.Length; j++)
            Console.WriteLine($"({i}, {j}, {SentenceVectors.Cosine(SentenceVectors.Row(v, stat.Dimension, i), SentenceVectors.Row(v, stat.Dimension, j)):R}f),");
    return;
}
using var encoder = staticOnly ? null : new TransformerEncoder(threads);
if (calibrate)
{
    Calibration.Run(corpora, stat, encoder);
    return;
}
if (reference && encoder != null)
{
    string[] sentences = ReferenceSentences.All;
    var v = encoder.Encode(sentences);
    for (int i = 0; i < sentences.Length; i++)
        Console.WriteLine($"[{string.Join(", ", Enumerable.Range(0, 8).Select(d => v[i * encoder.Dimension + d].ToString("R") + "f"))}],");
    for (int i = 0; i < sentences.Length; i++)
        for (int j = i + 1; j < sentences.Length; j++)
            Console.WriteLine($"({i}, {j}, {SentenceVectors.Cosine(SentenceVectors.Row(v, encoder.Dimension, i), SentenceVectors.Row(v, encoder.Dimension, j)):R}f),");
    return;
}

var msrp = ReadPairs(Path.Combine(corpora, "msrp/msr_paraphrase_train.txt"), header: true, label: 0, a: 3, b: 4, limit);
var paws = ReadPairs(Path.Combine(corpora, "paws/dev.tsv"), header: false, label: 3, a: 1, b: 2, limit);
Console.WriteLine($"# Sentence similarity (encoder {encoder?.Name ?? "(none)"}, static {stat.Dimension}-d, {Environment.ProcessorCount} cores)");
foreach (var (name, pairs) in new[] { ("MSRP train", msrp), ("PAWS dev", paws) })
{
    var lex = Lexical(pairs);
    var texts = new List<string>(pairs.Count * 2);
    foreach (var p in pairs) { texts.Add(p.A); texts.Add(p.B); }
    stat.Encode(texts.Take(200).ToList()); // warm-up: the tokenizer's first use
    var ssw = Stopwatch.StartNew();
    var svec = stat.Encode(texts);
    ssw.Stop();
    var st = new double[pairs.Count];
    for (int i = 0; i < pairs.Count; i++)
        st[i] = SentenceVectors.Cosine(SentenceVectors.Row(svec, stat.Dimension, 2 * i), SentenceVectors.Row(svec, stat.Dimension, 2 * i + 1));
    double[]? sem = null;
    var sw = Stopwatch.StartNew();
    if (encoder != null)
    {
        var vec = encoder.Encode(texts);
        sem = new double[pairs.Count];
        for (int i = 0; i < pairs.Count; i++)
            sem[i] = SentenceVectors.Cosine(SentenceVectors.Row(vec, encoder.Dimension, 2 * i), SentenceVectors.Row(vec, encoder.Dimension, 2 * i + 1));
    }
    sw.Stop();
    var labels = pairs.Select(p => p.Label).ToArray();
    int positives = labels.Count(l => l);
    Console.WriteLine();
    Console.WriteLine($"## {name}: {pairs.Count} pairs ({positives} paraphrase)");
    Console.WriteLine($"static encoder: {texts.Count} sentences in {ssw.Elapsed.TotalSeconds:F2} s = {texts.Count / ssw.Elapsed.TotalSeconds:F0} sentences/s (one thread)");
    if (sem != null) Console.WriteLine($"transformer: {texts.Count} sentences in {sw.Elapsed.TotalSeconds:F1} s = {texts.Count / sw.Elapsed.TotalSeconds:F0} sentences/s");
    Console.WriteLine("| similarity | best threshold (accuracy) | accuracy | best threshold (F1) | F1 | ROC AUC |");
    Console.WriteLine("|---|---|---|---|---|---|");
    Row("lexical: tf-isf cosine", lex.Cosine, labels);
    Row("lexical: Dice", lex.Dice, labels);
    Row("static: static cosine", st, labels);
    Row("combined: max(cosine, static)", Zip(lex.Cosine, st, Math.Max), labels);
    Row("combined: mean(cosine, static)", Zip(lex.Cosine, st, (x, y) => (x + y) / 2), labels);
    if (sem == null) continue;
    Row("semantic: encoder cosine", sem, labels);
    Row("combined: max(cosine, encoder)", Zip(lex.Cosine, sem, Math.Max), labels);
    Row("combined: mean(cosine, encoder)", Zip(lex.Cosine, sem, (x, y) => (x + y) / 2), labels);
    Row("static and encoder: mean", Zip(st, sem, (x, y) => (x + y) / 2), labels);
}
Console.WriteLine();
Console.WriteLine($"peak RSS {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MB");

static double[] Zip(double[] a, double[] b, Func<double, double, double> f) => a.Select((x, i) => f(x, b[i])).ToArray();

static void Row(string name, double[] score, bool[] labels)
{
    var (accT, acc, f1T, f1) = BestThresholds(score, labels);
    Console.WriteLine($"| {name} | {accT:F3} | {acc:F4} | {f1T:F3} | {f1:F4} | {Auc(score, labels):F4} |");
}

// Every distinct score is tried as the threshold (score >= t means "paraphrase").
static (double AccT, double Acc, double F1T, double F1) BestThresholds(double[] score, bool[] labels)
{
    var order = Enumerable.Range(0, score.Length).OrderByDescending(i => score[i]).ToArray();
    int pos = labels.Count(l => l), n = labels.Length;
    int tp = 0, fp = 0;
    double bestAcc = (double)(n - pos) / n, bestAccT = double.PositiveInfinity, bestF1 = 0, bestF1T = double.PositiveInfinity;
    for (int k = 0; k < n; k++)
    {
        if (labels[order[k]]) tp++; else fp++;
        if (k + 1 < n && score[order[k + 1]] == score[order[k]]) continue;
        int tn = n - pos - fp;
        double acc = (double)(tp + tn) / n;
        double f1 = 2.0 * tp / (2 * tp + fp + (pos - tp));
        if (acc > bestAcc) { bestAcc = acc; bestAccT = score[order[k]]; }
        if (f1 > bestF1) { bestF1 = f1; bestF1T = score[order[k]]; }
    }
    return (bestAccT, bestAcc, bestF1T, bestF1);
}

static double Auc(double[] score, bool[] labels)
{
    var order = Enumerable.Range(0, score.Length).OrderBy(i => score[i]).ToArray();
    double rankSum = 0;
    int k = 0;
    while (k < order.Length)
    {
        int e = k;
        while (e + 1 < order.Length && score[order[e + 1]] == score[order[k]]) e++;
        double rank = (k + e) / 2.0 + 1;
        for (int q = k; q <= e; q++) if (labels[order[q]]) rankSum += rank;
        k = e + 1;
    }
    long pos = labels.Count(l => l), neg = labels.Length - pos;
    return (rankSum - pos * (pos + 1) / 2.0) / (pos * neg);
}

static List<Pair> ReadPairs(string path, bool header, int label, int a, int b, int limit)
{
    var pairs = new List<Pair>();
    foreach (var line in File.ReadLines(path).Skip(header ? 1 : 0))
    {
        var f = line.TrimStart('\uFEFF').Split('\t');
        if (f.Length <= Math.Max(a, b)) continue;
        pairs.Add(new Pair(f[a], f[b], f[label].Trim() == "1"));
        if (pairs.Count >= limit) break;
    }
    return pairs;
}

// tf-isf over content stems as the seeder weighs them, with sentence frequencies counted over every sentence of the
// benchmark (within a single pair every shared term would weigh zero), and Dice over distinct content stems.
static (double[] Cosine, double[] Dice) Lexical(List<Pair> pairs)
{
    var rows = new List<Dictionary<int, int>>(pairs.Count * 2);
    var df = new Dictionary<int, int>();
    foreach (var p in pairs)
        foreach (var s in new[] { p.A, p.B })
        {
            var d = DocumentAnalyzer.Analyze(s);
            var tf = new Dictionary<int, int>();
            for (int k = 0; k < d.UnitTerms.Length; k++)
                tf[d.UnitTerms[k]] = tf.GetValueOrDefault(d.UnitTerms[k]) + d.UnitTermFreq[k];
            foreach (int t in tf.Keys) df[t] = df.GetValueOrDefault(t) + 1;
            rows.Add(tf);
        }
    double n = rows.Count;
    var cos = new double[pairs.Count];
    var dice = new double[pairs.Count];
    for (int i = 0; i < pairs.Count; i++)
    {
        var x = rows[2 * i];
        var y = rows[2 * i + 1];
        double dot = 0, nx = 0, ny = 0;
        int shared = 0;
        foreach (var (t, f) in x)
        {
            double w = f * Math.Log(n / df[t]);
            nx += w * w;
            if (y.TryGetValue(t, out int g)) { dot += w * g * Math.Log(n / df[t]); shared++; }
        }
        foreach (var (t, g) in y) { double w = g * Math.Log(n / df[t]); ny += w * w; }
        cos[i] = nx == 0 || ny == 0 ? 0 : dot / Math.Sqrt(nx * ny);
        dice[i] = x.Count + y.Count == 0 ? 0 : 2.0 * shared / (x.Count + y.Count);
    }
    return (cos, dice);
}

record Pair(string A, string B, bool Label);

static class ReferenceSentences
{
    // Also in tests/Doppel.Tests/Semantic/TransformerEncoderTests.cs, with the vectors this tool printed.
    public static readonly string[] All =
    [
        "The cat sat on the mat.",
        "A cat was sitting on the rug.",
        "Stock markets fell sharply after the central bank raised interest rates.",
        "He didn’t think the café would open before noon.",
        "Photosynthesis converts light energy into chemical energy stored in glucose.",
    ];
}

using Doppel.CorpusBench;

// Corpus-mode benchmarks (bench/corpus/README.md):
//   recall PAN_DIR INDEX_DIR [K]              retrieval recall@1/5/10 per obfuscation type on a PAN text-alignment corpus
//   generate SRC_DIR OUT_DIR DOCS [SEED]      a synthetic corpus with planted reuse, recombined from the sentences of SRC_DIR
//   latency INDEX QUERY_DIR [TOP] [COUNT] [DETECTIONS] [--semantic off|auto|on] [--queries N] [--candidates FILE]
//                                             check latency (retrieval + alignment) p50/p95 and peak RSS
return args.FirstOrDefault() switch
{
    "recall" => Recall.Run(args[1], args[2], args.Length > 3 ? int.Parse(args[3]) : 5),
    "generate" => Generator.Run(args[1], args[2], int.Parse(args[3]), args.Length > 4 ? int.Parse(args[4]) : 1),
    "explain" => Explain(args[1], args[2]),
    "latency" => Latency.Run(args[1], args[2], Positional(3) is { } t ? int.Parse(t) : 10,
        Positional(4) is { } c ? int.Parse(c) : int.MaxValue, Positional(5), args[3..]),
    _ => Usage(),
};

// A positional argument of latency, before the first --option.
string? Positional(int i)
{
    for (int k = 3; k <= i; k++)
        if (k >= args.Length || args[k].StartsWith("--", StringComparison.Ordinal)) return null;
    return args[i];
}

static int Usage()
{
    Console.Error.WriteLine("usage: recall PAN_DIR INDEX_DIR [K] | generate SRC_DIR OUT_DIR DOCS [SEED] | latency INDEX QUERY_DIR [TOP] [COUNT] [DETECTIONS] [--semantic off|auto|on] [--queries N] [--candidates FILE]");
    return 2;
}

static int Explain(string file, string indexDir)
{
    using var index = Doppel.Engine.Index.SqliteReferenceIndex.Open(indexDir, create: false);
    using var snap = index.OpenSnapshot();
    var doc = Doppel.Engine.Text.DocumentAnalyzer.Analyze(File.ReadAllText(file), file);
    int rank = 0;
    var sw = System.Diagnostics.Stopwatch.StartNew();
    var keys = Doppel.Engine.Fingerprints.IndexSignature.Keys(doc);
    long postings = 0;
    snap.Lookup(keys, (k, d) => postings += d.Length);
    Console.WriteLine($"lookup of {keys.Length} keys: {sw.Elapsed.TotalMilliseconds:F0} ms, {postings} postings");
    sw.Restart();
    var result = Doppel.Engine.Index.CandidateRetriever.Retrieve(snap, doc);
    Console.WriteLine($"retrieval {sw.Elapsed.TotalMilliseconds:F0} ms (cold)");
    sw.Restart();
    result = Doppel.Engine.Index.CandidateRetriever.Retrieve(snap, doc);
    Console.WriteLine($"retrieval {sw.Elapsed.TotalMilliseconds:F0} ms (warm), {result.Candidates.Count} candidates, {result.Candidates.Count(Doppel.Engine.Index.RetrievalOptions.Default.WorthAligning)} worth aligning");
    sw.Restart();
    var m = Doppel.Engine.Index.CorpusChecker.Check(snap, doc, 50);
    Console.WriteLine($"check {sw.Elapsed.TotalMilliseconds:F0} ms, {m.Count} aligned");
    foreach (var c in result.Candidates.Take(40))
    {
        var d = snap.Get(c.Number)!;
        Console.WriteLine($"{++rank,3} {d.Id} score {c.Score:F1} strength {c.Strength:F3} rank {c.BestRank} windows {c.Windows} terms {c.SharedTerms} pairs {c.SharedPairs} keys {d.KeyCount} chars {d.Length}");
    }
    foreach (var w in result.Windows)
        Console.WriteLine($"  window {w.CharStart}..{w.CharEnd}: {string.Join(' ', w.Top.Select(n => snap.Get(n)!.Id))}");
    return 0;
}

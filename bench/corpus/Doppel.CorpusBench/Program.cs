using Doppel.CorpusBench;

// Corpus-mode benchmarks (bench/corpus/README.md):
//   recall PAN_DIR INDEX_DIR [K]              retrieval recall@1/5/10 per obfuscation type on a PAN text-alignment corpus
//   generate SRC_DIR OUT_DIR DOCS [SEED]      a synthetic corpus with planted reuse, recombined from the sentences of SRC_DIR
//   latency INDEX_DIR QUERY_DIR [TOP]         check latency (retrieval + alignment) p50/p95 and peak RSS
return args.FirstOrDefault() switch
{
    "recall" => Recall.Run(args[1], args[2], args.Length > 3 ? int.Parse(args[3]) : 5),
    "generate" => Generator.Run(args[1], args[2], int.Parse(args[3]), args.Length > 4 ? int.Parse(args[4]) : 1),
    "explain" => Explain(args[1], args[2]),
    "latency" => Latency.Run(args[1], args[2], args.Length > 3 ? int.Parse(args[3]) : 10),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: recall PAN_DIR INDEX_DIR [K] | generate SRC_DIR OUT_DIR DOCS [SEED] | latency INDEX_DIR QUERY_DIR [TOP]");
    return 2;
}

static int Explain(string file, string indexDir)
{
    using var index = Doppel.Engine.Index.SqliteReferenceIndex.Open(indexDir, create: false);
    using var snap = index.OpenSnapshot();
    var doc = Doppel.Engine.Text.DocumentAnalyzer.Analyze(File.ReadAllText(file), file);
    int rank = 0;
    var result = Doppel.Engine.Index.CandidateRetriever.Retrieve(snap, doc);
    foreach (var c in result.Candidates.Take(40))
    {
        var d = snap.Get(c.Number)!;
        Console.WriteLine($"{++rank,3} {d.Id} score {c.Score:F1} strength {c.Strength:F3} rank {c.BestRank} windows {c.Windows} terms {c.SharedTerms} pairs {c.SharedPairs} keys {d.KeyCount} chars {d.Length}");
    }
    foreach (var w in result.Windows)
        Console.WriteLine($"  window {w.CharStart}..{w.CharEnd}: {string.Join(' ', w.Top.Select(n => snap.Get(n)!.Id))}");
    return 0;
}

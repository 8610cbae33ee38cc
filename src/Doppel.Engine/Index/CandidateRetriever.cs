using Doppel.Engine.Fingerprints;
using Doppel.Engine.Text;

namespace Doppel.Engine.Index;

/// <summary>An indexed document proposed as a possible source, with the evidence that ranked it.</summary>
public readonly record struct Candidate(long Number, double Score, int SharedTerms, int SharedPairs);

/// <summary>Parameters of candidate retrieval (docs/index.md).</summary>
public sealed record RetrievalOptions
{
    public static RetrievalOptions Default { get; } = new();

    /// <summary>Weight of a shared winnowed stem pair relative to a shared term of the same rarity.</summary>
    public double PairWeight { get; init; } = 3.0;

    /// <summary>Keys held by more than this share of the documents (and more than <see cref="MinFrequencyCap"/>) are
    /// too common to be evidence and are skipped.</summary>
    public double MaxDocumentShare { get; init; } = 0.02;
    public int MinFrequencyCap { get; init; } = 20;
}

/// <summary>
/// First stage of corpus checking: looks the document's keys up in the index and ranks the documents that share
/// them by idf-weighted evidence, shared stem pairs (wording) weighing more than shared terms (vocabulary).
/// </summary>
public static class CandidateRetriever
{
    private struct Evidence
    {
        public double Score;
        public int Terms, Pairs;
    }

    public static List<Candidate> Retrieve(IIndexSnapshot index, AnalyzedDocument query, int max, RetrievalOptions? options = null) =>
        Retrieve(index, IndexSignature.Keys(query), max, options);

    public static List<Candidate> Retrieve(IIndexSnapshot index, long[] keys, int max, RetrievalOptions? options = null)
    {
        var o = options ?? RetrievalOptions.Default;
        long n = index.DocumentCount;
        if (n == 0 || keys.Length == 0 || max <= 0) return [];
        double cap = Math.Max(o.MinFrequencyCap, n * o.MaxDocumentShare);
        var evidence = new Dictionary<long, Evidence>();
        index.Lookup(keys, (k, docs) =>
        {
            if (docs.Length > cap) return;
            double idf = Math.Log((n + 1.0) / docs.Length);
            bool pair = IndexSignature.KindOf(keys[k]) == IndexKeyKind.Pair;
            double w = pair ? o.PairWeight * idf : idf;
            foreach (long d in docs)
            {
                ref var e = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(evidence, d, out _);
                e.Score += w;
                if (pair) e.Pairs++; else e.Terms++;
            }
        });
        var ranked = new PriorityQueue<Candidate, (double, long)>(max + 1);
        foreach (var (doc, e) in evidence)
        {
            // Min-heap of the best `max`: ties broken towards the lower document number, so ranking is deterministic.
            ranked.Enqueue(new Candidate(doc, e.Score, e.Terms, e.Pairs), (e.Score, -doc));
            if (ranked.Count > max) ranked.Dequeue();
        }
        var result = new List<Candidate>(ranked.Count);
        while (ranked.Count > 0) result.Add(ranked.Dequeue());
        result.Reverse();
        return result;
    }
}

using System.Runtime.InteropServices;
using Doppel.Engine.Fingerprints;
using Doppel.Engine.Text;

namespace Doppel.Engine.Index;

/// <summary>An indexed document proposed as a possible source, with the evidence that ranked it: its best window
/// score, that score as a share of what the window would score against a copy of itself (<see cref="Strength"/>),
/// its best place in a window's ranking (0 = some window's first), how many windows nominated it, and its shared
/// keys over the whole document.</summary>
public readonly record struct Candidate(long Number, double Score, double Strength, int BestRank, int Windows, int SharedTerms, int SharedPairs);

/// <summary>One window of the query (a run of sentences) and the candidates it ranked best.</summary>
public sealed record RetrievalWindow(int CharStart, int CharEnd, IReadOnlyList<long> Top);

public sealed record RetrievalResult(IReadOnlyList<Candidate> Candidates, IReadOnlyList<RetrievalWindow> Windows);

/// <summary>Parameters of candidate retrieval (docs/index.md).</summary>
public sealed record RetrievalOptions
{
    public static RetrievalOptions Default { get; } = new();

    /// <summary>Weight of a shared winnowed stem pair relative to a shared term of the same rarity.</summary>
    public double PairWeight { get; init; } = 1.5;

    /// <summary>Keys held by more than this share of the documents (and more than <see cref="MinFrequencyCap"/>) are
    /// too common to be evidence and are skipped.</summary>
    public double MaxDocumentShare { get; init; } = 0.02;
    public int MinFrequencyCap { get; init; } = 20;
    /// <summary>Upper bound of that cap, so that the work per query stops growing with the index.</summary>
    public int MaxFrequencyCap { get; init; } = 200;

    /// <summary>Query windows: this many sentences (alignment units), starting every <see cref="WindowStride"/>.</summary>
    public int WindowUnits { get; init; } = 4;
    public int WindowStride { get; init; } = 2;

    /// <summary>Winnowing window for the query's pairs (1: all of them, see <see cref="IndexSignature.PositionedKeys"/>).</summary>
    public int QueryPairWindow { get; init; } = 1;

    /// <summary>Length normalisation of a window's ranking, as in BM25 with every key counted once: a document's
    /// score is multiplied by (k1 + 1) / (1 + k1 (1 - b + b len / avglen)), len its stored key count. 0 turns it off.
    /// Without it a very long document that shares vocabulary with everything takes window slots from the short
    /// source of the one paragraph the window holds.</summary>
    public double LengthNormalisation { get; init; } = 0.75;
    public double LengthSaturation { get; init; } = 1.2;

    /// <summary>How many candidates each window nominates.</summary>
    public int PerWindow { get; init; } = 5;

    /// <summary>Candidates worth aligning: <see cref="Candidate.Strength"/> at least this, or at least
    /// <see cref="WinnerMinStrength"/> for a window's first choice (summaries spread their evidence thin).</summary>
    public double MinStrength { get; init; } = 0.03;
    public double WinnerMinStrength { get; init; } = 0.02;

    public bool WorthAligning(Candidate c) => c.Strength >= MinStrength || (c.BestRank == 0 && c.Strength >= WinnerMinStrength);
}

/// <summary>
/// First stage of corpus checking. A document that reuses several sources reuses each in a few places, so the
/// evidence is scored window by window (runs of sentences): every key of the document is looked up once, each window
/// ranks the indexed documents by the idf-weighted keys they share with it (a shared stem pair, i.e. wording, weighs
/// more than a shared term, i.e. vocabulary), and nominates its best few. A candidate's score is its best window's,
/// so a source of one paragraph of a long document is not drowned by the many documents on the same topic.
/// </summary>
public static class CandidateRetriever
{
    public static RetrievalResult Retrieve(IIndexSnapshot index, AnalyzedDocument query, RetrievalOptions? options = null)
    {
        var o = options ?? RetrievalOptions.Default;
        long n = index.DocumentCount;
        var positioned = IndexSignature.PositionedKeys(query, o.QueryPairWindow);
        if (n == 0 || positioned.Count == 0) return new RetrievalResult([], []);

        // Look every distinct key up once; keep the useful posting lists, with documents as dense local ids.
        var distinct = positioned.Select(p => p.Key).Distinct().ToArray();
        Array.Sort(distinct);
        double cap = Math.Clamp(n * o.MaxDocumentShare, o.MinFrequencyCap, o.MaxFrequencyCap);
        double maxIdf = Math.Log(n + 1.0);
        var keySlot = new Dictionary<long, int>(distinct.Length);
        var postings = new List<int[]>();
        var weights = new List<double>();
        var local = new Dictionary<long, int>();
        var numbers = new List<long>();
        index.Lookup(distinct, (k, docs) =>
        {
            double idf = Math.Log((n + 1.0) / docs.Length);
            var ids = new int[docs.Length];
            for (int i = 0; i < docs.Length; i++)
            {
                ref int id = ref CollectionsMarshal.GetValueRefOrAddDefault(local, docs[i], out bool exists);
                if (!exists)
                {
                    id = numbers.Count;
                    numbers.Add(docs[i]);
                }
                ids[i] = id;
            }
            keySlot[distinct[k]] = postings.Count;
            postings.Add(ids);
            weights.Add(IndexSignature.KindOf(distinct[k]) == IndexKeyKind.Pair ? o.PairWeight * idf : idf);
        }, (int)cap);
        int m = numbers.Count;
        if (m == 0) return new RetrievalResult([], []);
        double[]? lengthFactor = null;
        if (o.LengthNormalisation > 0 && index.AverageKeyCount > 0)
        {
            var counts = new int[m];
            index.KeyCounts(CollectionsMarshal.AsSpan(numbers), counts);
            lengthFactor = new double[m];
            double b = o.LengthNormalisation, k1 = o.LengthSaturation, avg = index.AverageKeyCount;
            for (int d = 0; d < m; d++) lengthFactor[d] = (k1 + 1) / (1 + k1 * (1 - b + b * counts[d] / avg));
        }

        // Key occurrences as (token, slot), in token order, for the windows.
        var occ = new List<(int Token, int Slot)>(positioned.Count);
        foreach (var p in positioned)
            if (keySlot.TryGetValue(p.Key, out int slot)) occ.Add((p.Token, slot));

        var best = new double[m];
        var strength = new double[m];
        var windowsWon = new int[m];
        var bestRank = new int[m];
        Array.Fill(bestRank, int.MaxValue);
        var score = new double[m];
        var seenInWindow = new int[postings.Count];
        Array.Fill(seenInWindow, -1);
        var touched = new List<int>();
        var windows = new List<RetrievalWindow>();
        var topScore = new double[o.PerWindow];
        var topDoc = new int[o.PerWindow];

        int units = Math.Max(1, query.UnitCount);
        int o0 = 0, p0 = 0;
        for (int w = 0; ; w++)
        {
            int u0 = w * o.WindowStride, u1 = Math.Min(units, u0 + o.WindowUnits);
            if (u0 >= units || (w > 0 && u0 + o.WindowUnits - o.WindowStride >= units)) break;
            int t0 = query.UnitCount == 0 ? 0 : query.UnitTokenStart[u0];
            int t1 = query.UnitCount == 0 ? query.TokenCount : query.UnitTokenStart[u1];
            while (o0 < occ.Count && occ[o0].Token < t0) o0++;
            // What a verbatim copy of the window would score: every key at the highest idf.
            double self = 0;
            while (p0 < positioned.Count && positioned[p0].Token < t0) p0++;
            for (int i = p0; i < positioned.Count && positioned[i].Token < t1; i++)
                self += IndexSignature.KindOf(positioned[i].Key) == IndexKeyKind.Pair ? o.PairWeight * maxIdf : maxIdf;
            for (int i = o0; i < occ.Count && occ[i].Token < t1; i++)
            {
                int slot = occ[i].Slot;
                if (seenInWindow[slot] == w) continue; // a key counts once per window
                seenInWindow[slot] = w;
                double weight = weights[slot];
                foreach (int d in postings[slot])
                {
                    if (score[d] == 0) touched.Add(d);
                    score[d] += weight;
                }
            }
            // The window's best few: a small sorted array beats a heap, as almost every document fails the
            // first comparison.
            int kept = 0;
            foreach (int d in touched)
            {
                double raw = score[d];
                if (raw > best[d]) best[d] = raw;
                if (self > 0 && raw / self > strength[d]) strength[d] = raw / self;
                double sc = lengthFactor is null ? raw : raw * lengthFactor[d];
                if (kept == o.PerWindow && !Better(sc, d, topScore[kept - 1], topDoc[kept - 1])) continue;
                int at = kept == o.PerWindow ? kept - 1 : kept++;
                while (at > 0 && Better(sc, d, topScore[at - 1], topDoc[at - 1]))
                {
                    topScore[at] = topScore[at - 1];
                    topDoc[at] = topDoc[at - 1];
                    at--;
                }
                topScore[at] = sc;
                topDoc[at] = d;
            }
            var nominated = new long[kept];
            for (int i = 0; i < kept; i++)
            {
                int d = topDoc[i];
                windowsWon[d]++;
                bestRank[d] = Math.Min(bestRank[d], i);
                nominated[i] = numbers[d];
            }
            foreach (int d in touched) score[d] = 0;
            touched.Clear();
            int c0 = query.UnitCount == 0 ? 0 : query.UnitCharStart[u0];
            int c1 = query.UnitCount == 0 ? query.Text.Length : query.UnitCharEnd[u1 - 1];
            windows.Add(new RetrievalWindow(c0, c1, nominated));
        }

        // Document-level counts, for the report and for ties.
        var terms = new int[m];
        var pairs = new int[m];
        foreach (var (key, slot) in keySlot)
        {
            bool pair = IndexSignature.KindOf(key) == IndexKeyKind.Pair;
            foreach (int d in postings[slot])
                if (pair) pairs[d]++; else terms[d]++;
        }
        var candidates = new List<Candidate>();
        for (int d = 0; d < m; d++)
            if (windowsWon[d] > 0) candidates.Add(new Candidate(numbers[d], best[d], strength[d], bestRank[d], windowsWon[d], terms[d], pairs[d]));
        // Ranked by strength: how much of some window the candidate accounts for, whatever the length of the
        // document, so the sources of every reused passage come first, before documents that merely share a topic.
        candidates.Sort((a, b) => b.Strength != a.Strength ? b.Strength.CompareTo(a.Strength) : a.Number.CompareTo(b.Number));
        return new RetrievalResult(candidates, windows);
    }

    /// <summary>Higher score first; ties to the lower local id (the earlier posting), so ranking is deterministic.</summary>
    private static bool Better(double score, int doc, double otherScore, int otherDoc) =>
        score > otherScore || (score == otherScore && doc < otherDoc);
}

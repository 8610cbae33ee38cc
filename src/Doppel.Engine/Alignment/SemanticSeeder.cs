using Doppel.Engine.Semantic;
using Doppel.Engine.Text;

namespace Doppel.Engine.Alignment;

/// <summary>
/// Sentence-encoder seeds (issue 11; docs/algorithm.md, "Semantic evidence"). With <see cref="SemanticMode.On"/> and
/// an encoder, the prose units of both documents are encoded once per document (<see cref="SentenceVectorCache"/>: one
/// batch each, shared by all its pairs, or read from the index), and each suspicious unit
/// whose best source unit has an encoder cosine of at least <see cref="AlignmentOptions.SemanticSeedSimilarity"/>
/// seeds a passage with it. A language-model rewrite keeps the meaning but few of the words, so lexical seeding misses
/// it; the extension and filter stages then treat these seeds like any other, and the links of the passages they build
/// carry the encoder's cosine. With <see cref="SemanticMode.Auto"/> and a <see cref="AlignmentOptions.CandidateEncoder"/>
/// the same seeds are looked for at a fraction of the cost: static vectors for every prose unit find candidate pairs
/// (mutual best at <see cref="AlignmentOptions.SemanticCandidateSimilarity"/>, not already seeded lexically), and the
/// transformer encodes only the units of those candidates, within <see cref="AlignmentOptions.SemanticConfirmBudget"/>,
/// and confirms each at <see cref="AlignmentOptions.SemanticSeedSimilarity"/>.
/// </summary>
internal static class SemanticSeeder
{
    public static void FindSeeds(AnalyzedDocument susp, AnalyzedDocument src, AlignmentOptions o, List<Seed> seeds)
    {
        if (o.Semantic == SemanticMode.Off || o.Encoder is not { } encoder) return;
        if (o.Semantic == SemanticMode.Auto && o.CandidateEncoder is { } cheap)
        {
            FindConfirmedSeeds(cheap, encoder, susp, src, o, seeds);
            return;
        }
        // Each document's vectors come from its cache (encoded once for all its pairs, or read from the index).
        var va = SentenceVectorCache.Get(susp, encoder, o.SemanticMinProseWords);
        if (va.Count == 0) return;
        var vb = SentenceVectorCache.Get(src, encoder, o.SemanticMinProseWords);
        if (vb.Count == 0) return;
        foreach (var (i, j, cos) in MutualBest(va.Values, vb.Values, va.Dimension, (float)o.SemanticSeedSimilarity))
            seeds.Add(new Seed(va.Units[i], vb.Units[j], cos, Semantic: true));
    }

    /// <summary>Auto mode: static candidates, transformer confirmation. Candidates whose unit pair already holds a
    /// lexical seed are left out (the transformer would only repeat what the words already show), the others are
    /// confirmed best static cosine first until the budget of transformer sentences is spent.</summary>
    private static void FindConfirmedSeeds(ISentenceEncoder cheap, ISentenceEncoder encoder, AnalyzedDocument susp, AnalyzedDocument src,
        AlignmentOptions o, List<Seed> seeds)
    {
        // Static vectors of every prose unit, from each document's cache (or the index, where stored at add).
        var va = SentenceVectorCache.Get(susp, cheap, o.SemanticMinProseWords);
        if (va.Count == 0) return;
        var vb = SentenceVectorCache.Get(src, cheap, o.SemanticMinProseWords);
        if (vb.Count == 0) return;
        int[] suspUnits = va.Units, srcUnits = vb.Units;
        float[] a = va.Values, b = vb.Values;
        var candidates = MutualBest(a, b, cheap.Dimension, (float)o.SemanticCandidateSimilarity);
        if (candidates.Count == 0) return;
        var lexical = new HashSet<(int, int)>();
        foreach (var s in seeds) lexical.Add((s.S, s.R));
        candidates.RemoveAll(c => lexical.Contains((suspUnits[c.I], srcUnits[c.J])));
        if (candidates.Count == 0) return;
        candidates.Sort((x, y) => y.Cosine != x.Cosine ? y.Cosine.CompareTo(x.Cosine) : x.I.CompareTo(y.I));
        // Mutual best pairs share no unit, so each candidate costs at most two transformer sentences.
        int take = Math.Min(candidates.Count, Math.Max(0, o.SemanticConfirmBudget / 2));
        if (take == 0) return;
        var wantA = new int[take];
        var wantB = new int[take];
        for (int k = 0; k < take; k++) { wantA[k] = suspUnits[candidates[k].I]; wantB[k] = srcUnits[candidates[k].J]; }
        // Per unit, cached with each document: a query unit confirmed against many sources is encoded once.
        var (ra, rb) = SentenceVectorCache.GetUnits(susp, wantA, src, wantB, encoder);
        float threshold = (float)o.SemanticSeedSimilarity;
        for (int k = 0; k < take; k++)
        {
            float cos = SentenceVectors.Cosine(ra[k], rb[k]);
            if (cos >= threshold) seeds.Add(new Seed(suspUnits[candidates[k].I], srcUnits[candidates[k].J], cos, Semantic: true));
        }
    }

    /// <summary>Rows i of <paramref name="a"/> and j of <paramref name="b"/> that are each other's best match, with a
    /// cosine of at least <paramref name="threshold"/>. Mutual best only: a sentence on the paper's topic is close to
    /// several source sentences, a rewrite to one.</summary>
    internal static List<(int I, int J, float Cosine)> MutualBest(float[] a, float[] b, int d, float threshold)
    {
        int n = a.Length / d, m = b.Length / d;
        // One pass over the n x m cosines: each row's best column (the last of equal maxima, at or above the
        // threshold) and each column's maximum; a row's best is mutual when no other row beats it in that column,
        // i.e. when the column's maximum is not above it.
        var rowBest = new (int J, float Cosine)[n];
        var colMax = new float[m];
        colMax.AsSpan().Fill(float.NegativeInfinity);
        for (int i = 0; i < n; i++)
        {
            var row = SentenceVectors.Row(a, d, i);
            int best = -1;
            float bestCos = threshold;
            for (int j = 0; j < m; j++)
            {
                float cos = SentenceVectors.Cosine(row, SentenceVectors.Row(b, d, j));
                if (cos >= bestCos) { bestCos = cos; best = j; }
                if (cos > colMax[j]) colMax[j] = cos;
            }
            rowBest[i] = (best, bestCos);
        }
        var result = new List<(int, int, float)>();
        for (int i = 0; i < n; i++)
            if (rowBest[i].J >= 0 && colMax[rowBest[i].J] <= rowBest[i].Cosine) result.Add((i, rowBest[i].J, rowBest[i].Cosine));
        return result;
    }

    /// <summary>How similar a candidate's ranges are: their tf-isf cosine, or, when encoder seeds are among its seeds
    /// and their mean cosine is higher, that mean (a rewrite shares meaning, not words, so its lexical cosine is low).
    /// Without encoder seeds this is the lexical cosine, so lexical-only alignment is unchanged.</summary>
    public static double Strength(PairModel m, List<Seed> seeds, int s0, int s1, int r0, int r1)
    {
        double lexical = m.RangeCosine(s0, s1, r0, r1);
        double sum = 0;
        int n = 0;
        foreach (var s in seeds)
            if (s.Semantic) { sum += s.Similarity; n++; }
        return n == 0 ? lexical : Math.Max(lexical, sum / n);
    }
}

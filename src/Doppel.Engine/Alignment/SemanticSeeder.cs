using Doppel.Engine.Semantic;
using Doppel.Engine.Text;

namespace Doppel.Engine.Alignment;

/// <summary>
/// Sentence-encoder seeds (issue 11; docs/algorithm.md, "Semantic evidence"): with <see cref="SemanticMode.On"/> and
/// an encoder, the prose units of both documents (<see cref="SemanticUnits"/>) are encoded once per document
/// (<see cref="SentenceVectorCache"/>: one batch each, shared by all its pairs, or read from the index), and each suspicious unit
/// whose best source unit has an encoder cosine of at least <see cref="AlignmentOptions.SemanticSeedSimilarity"/>
/// seeds a passage with it. A language-model rewrite keeps the meaning but few of the words, so lexical seeding misses
/// it; the extension and filter stages then treat these seeds like any other, and the links of the passages they build
/// carry the encoder's cosine.
/// </summary>
internal static class SemanticSeeder
{
    public static void FindSeeds(AnalyzedDocument susp, AnalyzedDocument src, AlignmentOptions o, List<Seed> seeds)
    {
        if (o.Semantic != SemanticMode.On || o.Encoder is not { } encoder) return;
        // Each document's vectors come from its cache (encoded once for all its pairs, or read from the index).
        var va = SentenceVectorCache.Get(susp, encoder, o.SemanticMinProseWords);
        if (va.Count == 0) return;
        var vb = SentenceVectorCache.Get(src, encoder, o.SemanticMinProseWords);
        int[] suspUnits = va.Units, srcUnits = vb.Units;
        if (srcUnits.Length == 0) return;
        float[] a = va.Values, b = vb.Values;
        int d = va.Dimension;
        float threshold = (float)o.SemanticSeedSimilarity;
        for (int i = 0; i < suspUnits.Length; i++)
        {
            var row = SentenceVectors.Row(a, d, i);
            int best = -1;
            float bestCos = threshold;
            for (int j = 0; j < srcUnits.Length; j++)
            {
                float cos = SentenceVectors.Cosine(row, SentenceVectors.Row(b, d, j));
                if (cos >= bestCos) { bestCos = cos; best = j; }
            }
            // Mutual best only: a sentence on the paper's topic is close to several source sentences, a rewrite to one.
            if (best >= 0 && IsBestFor(b, a, d, best, i, bestCos)) seeds.Add(new Seed(suspUnits[i], srcUnits[best], bestCos, Semantic: true));
        }
    }

    private static bool IsBestFor(float[] b, float[] a, int d, int j, int i, float cos)
    {
        var row = SentenceVectors.Row(b, d, j);
        int n = a.Length / d;
        for (int k = 0; k < n; k++)
            if (k != i && SentenceVectors.Cosine(row, SentenceVectors.Row(a, d, k)) > cos) return false;
        return true;
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

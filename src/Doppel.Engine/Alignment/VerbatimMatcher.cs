using Doppel.Engine.Fingerprints;
using Doppel.Engine.Text;

namespace Doppel.Engine.Alignment;

/// <summary>
/// Finds maximal runs of identical words (lowercased surface forms, stopwords included) shared by the two
/// documents: anchors on word 5-grams, then extends each anchor as far as the words agree. Whitespace,
/// punctuation and case never break a run, so a copied passage that was re-flowed is still one run.
/// </summary>
internal static class VerbatimMatcher
{
    private const int Anchor = 5;
    private const int MaxChain = 32;

    public static void FindRuns(AnalyzedDocument susp, AnalyzedDocument src, int minWords, List<VerbatimRun> runs)
    {
        int ns = susp.TokenCount, nr = src.TokenCount;
        if (ns < Anchor || nr < Anchor) return;
        var hs = susp.WordHash;
        var hr = src.WordHash;

        var head = new Dictionary<ulong, int>(nr);
        var next = new int[nr];
        for (int q = 0; q + Anchor <= nr; q++)
        {
            ulong g = Gram(hr, q);
            next[q] = head.TryGetValue(g, out int prev) ? prev : -1;
            head[g] = q;
        }

        for (int p = 0; p + Anchor <= ns; p++)
        {
            if (!head.TryGetValue(Gram(hs, p), out int q)) continue;
            for (int chain = 0; q >= 0 && chain < MaxChain; q = next[q], chain++)
            {
                if (p > 0 && q > 0 && hs[p - 1] == hr[q - 1]) continue; // not the start of a maximal run
                int len = 0;
                while (p + len < ns && q + len < nr && hs[p + len] == hr[q + len]) len++;
                if (len >= minWords) runs.Add(new VerbatimRun(p, q, len));
            }
        }
    }

    private static ulong Gram(ulong[] h, int at)
    {
        ulong g = h[at];
        for (int k = 1; k < Anchor; k++) g = Hash64.Combine(g, h[at + k]);
        return g;
    }
}

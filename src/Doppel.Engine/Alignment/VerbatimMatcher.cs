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

    /// <summary>Largest gap, in words, bridged between two runs of one block (a changed word or two).</summary>
    private const int MaxBlockGap = 4;

    /// <summary>Chains runs that continue each other on both sides into blocks.</summary>
    public static List<VerbatimBlock> MergeRuns(List<VerbatimRun> runs)
    {
        var sorted = new List<VerbatimRun>(runs);
        sorted.Sort(static (a, b) => a.S != b.S ? a.S.CompareTo(b.S) : a.R.CompareTo(b.R));
        var blocks = new List<VerbatimBlock>();
        var open = new List<VerbatimBlock>();
        // Indices into open of the blocks a run may still continue, in the order they were opened (the first that
        // fits takes the run). Runs come in suspicious order, so a block ending more than MaxBlockGap words before
        // the current run can never be continued again and leaves the list: without that, a long document with many
        // repeated phrases compared every run with every block (a 30 MB self-compare spent a fifth of its time here).
        var active = new List<int>();
        foreach (var run in sorted)
        {
            int best = -1, kept = 0;
            for (int k = 0; k < active.Count; k++)
            {
                var b = open[active[k]];
                if (b.SEnd < run.S - MaxBlockGap) continue; // closed for good
                active[kept++] = active[k];
                if (best >= 0) continue;
                int gs = run.S - b.SEnd, gr = run.R - b.REnd;
                if (gs >= -MaxBlockGap && gs <= MaxBlockGap && gr >= -MaxBlockGap && gr <= MaxBlockGap && run.S >= b.S && run.R >= b.R) best = active[k];
            }
            active.RemoveRange(kept, active.Count - kept);
            if (best < 0)
            {
                active.Add(open.Count);
                open.Add(new VerbatimBlock(run.S, run.S + run.Length, run.R, run.R + run.Length, run.Length));
                continue;
            }
            var o = open[best];
            int overlap = Math.Max(0, o.SEnd - run.S);
            open[best] = new VerbatimBlock(o.S, Math.Max(o.SEnd, run.S + run.Length), o.R, Math.Max(o.REnd, run.R + run.Length), o.Covered + run.Length - overlap);
        }
        // Blocks that ended long ago are closed lazily: all are final once every run is placed.
        blocks.AddRange(open);
        blocks = DropShadowed(blocks);
        blocks.Sort(static (a, b) => a.S != b.S ? a.S.CompareTo(b.S) : a.R.CompareTo(b.R));
        return blocks;
    }

    /// <summary>
    /// Where the same suspicious words match several places of a repetitive source, only the longest match stands:
    /// a block whose suspicious side lies mostly inside a longer block's is an echo of it, and would otherwise
    /// stretch the source side of the passage over every repetition.
    /// </summary>
    private static List<VerbatimBlock> DropShadowed(List<VerbatimBlock> blocks)
    {
        if (blocks.Count < 2) return blocks;
        var byStrength = new List<VerbatimBlock>(blocks);
        byStrength.Sort(static (a, b) => a.Covered != b.Covered ? b.Covered.CompareTo(a.Covered) : a.S != b.S ? a.S.CompareTo(b.S) : a.R.CompareTo(b.R));
        var kept = new List<VerbatimBlock>(blocks.Count);
        foreach (var b in byStrength)
        {
            int shadow = 0;
            foreach (var k in kept)
                if (k.Covered > b.Covered) shadow = Math.Max(shadow, Math.Min(b.SEnd, k.SEnd) - Math.Max(b.S, k.S));
            if (shadow * 2 <= b.SEnd - b.S) kept.Add(b);
        }
        return kept;
    }

    private static ulong Gram(ulong[] h, int at)
    {
        ulong g = h[at];
        for (int k = 1; k < Anchor; k++) g = Hash64.Combine(g, h[at + k]);
        return g;
    }
}

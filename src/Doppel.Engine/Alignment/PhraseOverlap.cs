using Doppel.Engine.Fingerprints;
using Doppel.Engine.Text;

namespace Doppel.Engine.Alignment;

/// <summary>
/// Word-order evidence for a sentence pair: how many distinct stem trigrams the two units share. Bag-of-words
/// similarity cannot tell a rewrite from a sentence on the same topic; a rewrite keeps short phrases of its source
/// (random edits and machine translation break long runs but leave three-word pieces), a same-topic sentence rarely
/// shares more than a stock phrase or two. Trigrams of function words alone, or with scholarly markup in them, do not count.
/// </summary>
internal static class PhraseOverlap
{
    /// <summary>The distinct trigram hashes of every unit of one document, sorted within each unit (compressed rows:
    /// unit u is Hashes[Start[u]..Start[u+1]]). Made once per pair, so that seeding, which asks about many unit pairs
    /// of a long document, merges two sorted rows instead of hashing and sorting both units on every question.</summary>
    internal sealed class Rows
    {
        public readonly int[] Start;
        public readonly ulong[] Hashes;

        public Rows(AnalyzedDocument d)
        {
            Start = new int[d.UnitCount + 1];
            var all = new ulong[Math.Max(0, d.TokenCount - 2)];
            int n = 0;
            for (int u = 0; u < d.UnitCount; u++)
            {
                Start[u] = n;
                int c = Fill(d, u, all.AsSpan(n));
                Array.Sort(all, n, c);
                // Keep each hash once: the merge counts distinct trigrams.
                int w = n;
                for (int k = n; k < n + c; k++)
                    if (k == n || all[k] != all[k - 1]) all[w++] = all[k];
                n = w;
            }
            Start[d.UnitCount] = n;
            Hashes = all;
        }
    }

    /// <summary>Distinct stem trigrams that unit <paramref name="unitA"/> of one document and unit
    /// <paramref name="unitB"/> of another share (rows made by <see cref="Rows"/>).</summary>
    public static int SharedTrigrams(Rows a, int unitA, Rows b, int unitB)
    {
        var x = a.Hashes;
        var y = b.Hashes;
        int shared = 0;
        for (int i = a.Start[unitA], ie = a.Start[unitA + 1], j = b.Start[unitB], je = b.Start[unitB + 1]; i < ie && j < je;)
        {
            if (x[i] < y[j]) i++;
            else if (x[i] > y[j]) j++;
            else { shared++; i++; j++; }
        }
        return shared;
    }

    /// <summary>The same for two documents without rows made yet (one question; seeding asks through
    /// <see cref="PairModel.SharedTrigrams"/>).</summary>
    public static int SharedTrigrams(AnalyzedDocument a, int unitA, AnalyzedDocument b, int unitB) =>
        SharedTrigrams(new Rows(a), unitA, new Rows(b), unitB);

    private static int Fill(AnalyzedDocument d, int u, Span<ulong> into)
    {
        int n = 0;
        var stop = d.IsStopword;
        var markup = d.IsMarkup;
        bool anyMarkup = d.MarkupTokenCount > 0;
        for (int k = d.UnitTokenStart[u], end = d.UnitTokenStart[u + 1] - 2; k < end; k++)
        {
            if (stop[k] && stop[k + 1] && stop[k + 2]) continue;
            if (anyMarkup && (markup[k] || markup[k + 1] || markup[k + 2])) continue; // shared notation is no phrase
            into[n++] = Hash64.OfIds(d.StemId.AsSpan(k, 3));
        }
        return n;
    }
}

using System.Buffers;
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
    public static int SharedTrigrams(AnalyzedDocument a, int unitA, AnalyzedDocument b, int unitB)
    {
        int na = Math.Max(0, a.UnitTokenStart[unitA + 1] - a.UnitTokenStart[unitA] - 2);
        int nb = Math.Max(0, b.UnitTokenStart[unitB + 1] - b.UnitTokenStart[unitB] - 2);
        if (na == 0 || nb == 0) return 0;
        var pool = ArrayPool<ulong>.Shared;
        var x = pool.Rent(na);
        var y = pool.Rent(nb);
        try
        {
            int ca = Fill(a, unitA, x), cb = Fill(b, unitB, y);
            Array.Sort(x, 0, ca);
            Array.Sort(y, 0, cb);
            int shared = 0;
            for (int i = 0, j = 0; i < ca && j < cb;)
            {
                if (x[i] < y[j]) i++;
                else if (x[i] > y[j]) j++;
                else
                {
                    shared++;
                    ulong v = x[i];
                    while (i < ca && x[i] == v) i++;
                    while (j < cb && y[j] == v) j++;
                }
            }
            return shared;
        }
        finally
        {
            pool.Return(x);
            pool.Return(y);
        }
    }

    private static int Fill(AnalyzedDocument d, int u, ulong[] into)
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

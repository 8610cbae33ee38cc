using Doppel.Engine.Language;
using Doppel.Engine.Text;

namespace Doppel.Engine.Alignment;

/// <summary>
/// The refine stage for paraphrase passages: a passage is built from whole units, but a unit at its edge may hold
/// more than the reused text (a heading or a list line the splitter joined to the first reused sentence, the end of
/// the previous paragraph). Such a unit's leading (trailing) words find no counterpart on the other side of the
/// passage, while reused words mostly do. Each edge is cut after the prefix (before the suffix) in which words
/// without a counterpart outweigh words with one, when that margin is clear.
/// </summary>
internal static class EdgeTrimmer
{
    /// <summary>Character bounds of suspicious units [s0, s1] trimmed against source units [r0, r1].</summary>
    public static (int Start, int End) TrimSuspicious(PairModel m, int s0, int s1, int r0, int r1, AlignmentOptions o)
    {
        int stamp = m.Scratch.NextStamp();
        var mark = m.Scratch.Mark;
        var src = m.Src;
        for (int k = src.UnitTermStart[r0]; k < src.UnitTermStart[r1 + 1]; k++) mark[src.UnitTerms[k]] = stamp;
        return Trim(m.Susp, s0, s1, mark, stamp, synonyms: o.Synonyms, o);
    }

    /// <summary>Character bounds of source units [r0, r1] trimmed against suspicious units [s0, s1].</summary>
    public static (int Start, int End) TrimSource(PairModel m, int r0, int r1, int s0, int s1, AlignmentOptions o)
    {
        int stamp = m.Scratch.NextStamp();
        var mark = m.Scratch.Mark;
        var susp = m.Susp;
        // The suspicious side's own stems and, where synonym matching replaced them, the source stems they stand for.
        for (int k = susp.UnitTermStart[s0]; k < susp.UnitTermStart[s1 + 1]; k++) mark[susp.UnitTerms[k]] = stamp;
        for (int k = m.SuspTermStart[s0]; k < m.SuspTermStart[s1 + 1]; k++) mark[m.SuspTerms[k]] = stamp;
        return Trim(m.Src, r0, r1, mark, stamp, synonyms: false, o);
    }

    private static (int Start, int End) Trim(AnalyzedDocument d, int u0, int u1, int[] mark, int stamp, bool synonyms, AlignmentOptions o)
    {
        int first = d.UnitTokenStart[u0], last = d.UnitTokenStart[u1 + 1] - 1;
        int start = d.UnitCharStart[u0], end = d.UnitCharEnd[u1];
        if (o.EdgeTrimMinWords <= 0 || last < first) return (start, end);

        // Leading words of the first unit: cut after the best prefix, counting +1 per word without a counterpart
        // and -weight per word with one.
        int edgeEnd = d.UnitTokenStart[u0 + 1];
        int cut = BestCut(d, first, edgeEnd, +1, mark, stamp, synonyms, o);
        if (cut > first) { first = cut; start = d.TokenStart[cut]; }

        // Trailing words of the last unit (never past the leading cut).
        int edgeStart = Math.Max(first, d.UnitTokenStart[u1]);
        cut = BestCut(d, last, edgeStart - 1, -1, mark, stamp, synonyms, o);
        if (cut < last) end = d.TokenEnd[cut];
        return (start, end);
    }

    /// <summary>Walks tokens from <paramref name="from"/> towards <paramref name="stop"/> (exclusive) in direction
    /// <paramref name="dir"/> and returns the first token to keep: <paramref name="from"/> when nothing is cut.
    /// Only a prefix that ends right before a word with a counterpart is cut, and only when its margin reaches
    /// <see cref="AlignmentOptions.EdgeTrimMinWords"/>.</summary>
    private static int BestCut(AnalyzedDocument d, int from, int stop, int dir, int[] mark, int stamp, bool synonyms, AlignmentOptions o)
    {
        double sum = 0, best = 0;
        int keep = from, lastUnmatched = from - dir;
        for (int k = from; k != stop; k += dir)
        {
            if (d.IsStopword[k]) continue;
            if (Matches(d.StemId[k], mark, stamp, synonyms))
            {
                // Function words between the cut and this word stay with it ("the" of "the treaty").
                if (sum > best && sum >= o.EdgeTrimMinWords) { best = sum; keep = lastUnmatched + dir; }
                sum -= o.EdgeTrimMatchWeight;
            }
            else { sum += 1; lastUnmatched = k; }
        }
        return keep;
    }

    private static bool Matches(int stem, int[] mark, int stamp, bool synonyms)
    {
        if (mark[stem] == stamp) return true;
        if (!synonyms) return false;
        foreach (int r in Synonyms.Of(stem))
            if (mark[r] == stamp) return true;
        return false;
    }
}

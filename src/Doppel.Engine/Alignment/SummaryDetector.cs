namespace Doppel.Engine.Alignment;

/// <summary>
/// Summary mode. A summary condenses a whole source text into a few sentences, so no single sentence pair is
/// similar enough to seed, yet the summary as a block is close to the source as a whole. This detector slides a
/// window of units over the suspicious text, scores each window by its tf-isf cosine with the entire source,
/// grows the best window while the score holds, and reports it when it clears a threshold set well above what
/// documents that merely share a topic reach.
/// </summary>
internal static class SummaryDetector
{
    /// <summary>A summary draws on the whole source, but a loosely rewritten excerpt found this way draws on one
    /// part of it. Two narrower ranges are tried: the source shrunk from either end while the cosine rises, and the
    /// span of the source sentences that the block's sentences match best (with and without its outer fifth). The
    /// most similar is kept when it is clearly more similar than the whole source.</summary>
    private static (int, int) LocaliseSource(PairModel m, int s0, int s1, int last, List<int> bestUnits, AlignmentOptions o)
    {
        int r0 = 0, r1 = last;
        double best = m.WholeSourceCosine(s0, s1), whole = best;
        while (r1 > r0)
        {
            double a = m.RangeCosine(s0, s1, r0 + 1, r1), b = m.RangeCosine(s0, s1, r0, r1 - 1);
            if (Math.Max(a, b) <= best) break;
            if (a >= b) r0++; else r1--;
            best = Math.Max(a, b);
        }
        // Shrinking one sentence at a time stops at the first sentence whose loss lowers the cosine; the source
        // sentences that the block's sentences match best say directly where an excerpt came from.
        if (bestUnits.Count > 0)
        {
            bestUnits.Sort();
            int lo = bestUnits[0], hi = bestUnits[^1];
            int trim = bestUnits.Count / 5; // one stray match in five does not stretch the span
            foreach (var (a, b) in new[] { (lo, hi), (bestUnits[trim], bestUnits[bestUnits.Count - 1 - trim]) })
            {
                double c = m.RangeCosine(s0, s1, a, b);
                if (c > best) { best = c; r0 = a; r1 = b; }
            }
        }
        return best >= whole * o.SummaryLocalGain ? (r0, r1) : (0, last);
    }

    /// <summary>Adds the summary block of the suspicious text, if there is one, to <paramref name="passages"/>.
    /// Normally a passage it overlaps wins, unless that is a summary passage that the block explains the source
    /// better than. With <paramref name="replacesSingleLinks"/> (a pair that did not look condensed) the block is
    /// only added when it overlaps passages, and replaces them when each rests on one sentence link: a summary
    /// sentence that closely follows one source sentence seeds a passage of its own, while the rest of the summary
    /// does not.</summary>
    public static void Detect(PairModel m, AlignmentOptions o, List<AlignedPassage> passages, bool replacesSingleLinks = false)
    {
        var susp = m.Susp;
        var src = m.Src;
        int w = o.SummaryWindow;
        if (susp.UnitCount < 1 || src.UnitCount < w) return;
        int last = src.UnitCount - 1;
        int win = Math.Min(w, susp.UnitCount);

        double best = 0;
        int b0 = 0;
        var scores = new List<double>(susp.UnitCount);
        for (int u = 0; u + win - 1 < susp.UnitCount; u++)
        {
            double c = m.WholeSourceCosine(u, u + win - 1);
            scores.Add(c);
            if (c > best) { best = c; b0 = u; }
        }
        if (best < o.SummaryCosine) return;
        bool tooShortForPeak = susp.UnitCount < o.SummaryPeakMinWindows * win;
        if (tooShortForPeak && best < o.SummaryWholeCosine) return;
        // A summary inserted into a longer document stands out from the rest of it; a long document that is about
        // the source's topic throughout is similar everywhere, and its best window is no evidence of reuse. A short
        // document (a few windows) may be a summary as a whole, so it is not held to this.
        scores.Sort();
        if (!tooShortForPeak && best < o.SummaryPeakRatio * scores[scores.Count / 2]) return;

        // Hill-climb the window's edges: keep a change while the score stays within 3% of the best so far.
        int s0 = b0, s1 = b0 + win - 1;
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (var (a, b) in new[] { (s0 - 1, s1), (s0, s1 + 1), (s0 + 1, s1), (s0, s1 - 1) })
            {
                if (a < 0 || b >= susp.UnitCount || b < a) continue;
                double c = m.WholeSourceCosine(a, b);
                bool grow = b - a > s1 - s0;
                if ((grow && c >= best * 0.97) || (!grow && c > best * 1.01))
                {
                    s0 = a; s1 = b; best = Math.Max(best, c); changed = true;
                    break;
                }
            }
        }

        int sStart = susp.UnitCharStart[s0], sEnd = susp.UnitCharEnd[s1];
        if (sEnd - sStart < o.MinPassageChars) return;
        // Another passage already claims this text: the regular evidence wins where there is some.
        bool overlaps = false;
        foreach (var p in passages)
        {
            if (p.SuspiciousStart >= sEnd || p.SuspiciousEnd <= sStart) continue;
            overlaps = true;
            bool wins = replacesSingleLinks
                ? p.Kind == PassageKind.Verbatim || p.Links.Count > 1
                : p.Kind != PassageKind.Summary || best < o.SummaryKeepsShare * p.Score;
            if (wins) return;
        }
        if (replacesSingleLinks && !overlaps) return;
        passages.RemoveAll(p => p.SuspiciousStart < sEnd && p.SuspiciousEnd > sStart);

        var links = new List<SentenceLink>();
        var bestUnits = new List<int>();
        for (int u = s0; u <= s1; u++)
        {
            int bestR = -1; double bestC = 0;
            for (int r = 0; r <= last; r++)
            {
                double c = m.RangeCosine(u, u, r, r);
                if (c > bestC) { bestC = c; bestR = r; }
            }
            if (bestR >= 0 && bestC > 0.1)
            {
                bestUnits.Add(bestR);
                links.Add(new SentenceLink(susp.UnitCharStart[u], susp.UnitCharEnd[u] - susp.UnitCharStart[u],
                    src.UnitCharStart[bestR], src.UnitCharEnd[bestR] - src.UnitCharStart[bestR], Math.Round(bestC, 4)));
            }
        }
        var (r0, r1) = LocaliseSource(m, s0, s1, last, bestUnits, o);
        int rStart = src.UnitCharStart[r0], rEnd = src.UnitCharEnd[r1];
        passages.Add(new AlignedPassage(sStart, sEnd - sStart, rStart, rEnd - rStart, Math.Round(best, 4), PassageKind.Summary, links));
        passages.Sort(static (a, b) => a.SuspiciousStart.CompareTo(b.SuspiciousStart));
    }
}

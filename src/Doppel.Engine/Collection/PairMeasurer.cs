using Doppel.Engine.Alignment;
using Doppel.Engine.Text;

namespace Doppel.Engine.Collection;

/// <summary>
/// Aligns one candidate pair and measures it: passages without their template and common words, each
/// document's share covered by the other, the longest passage. The shorter document is aligned as the
/// suspicious one, so that a condensed copy is looked for in the longer text (summary mode is one-way).
/// </summary>
public static class PairMeasurer
{
    public static PairResult? Measure(IReadOnlyList<CollectionInput> docs, IReadOnlyList<ExclusionMask?> masks, CandidatePair c, CollectionOptions o)
    {
        var a = docs[c.A].Document;
        var b = docs[c.B].Document;
        bool aIsSuspicious = a.TokenCount <= b.TokenCount;
        var ao = Math.Min(a.TokenCount, b.TokenCount) < o.ShortTextWords ? o.ShortTextAlignment : o.Alignment;
        var raw = aIsSuspicious ? PairAligner.Align(a, b, ao) : PairAligner.Align(b, a, ao);
        if (raw.Count == 0 && Math.Max(a.TokenCount, b.TokenCount) >= 1.5 * Math.Min(a.TokenCount, b.TokenCount))
        {
            // Nothing from the shorter side: the reuse may be a summary of the shorter text embedded in the much
            // longer one (summary mode is one-way), so the other direction is tried too.
            aIsSuspicious = !aIsSuspicious;
            raw = aIsSuspicious ? PairAligner.Align(a, b, ao) : PairAligner.Align(b, a, ao);
            if (raw.Count == 0) return null;
        }
        var ma = masks[c.A];
        var mb = masks[c.B];
        var passages = new List<PairPassage>(raw.Count);
        foreach (var p in raw)
        {
            // A summary condenses a longer text; two texts of similar length that are merely close as wholes (one
            // assignment, one vocabulary) are not a summary of each other.
            if (p.Kind == PassageKind.Summary && p.SuspiciousLength > o.SummaryMaxLengthRatio * p.SourceLength) continue;
            var (aStart, aLen, bStart, bLen) = aIsSuspicious
                ? (p.SuspiciousStart, p.SuspiciousLength, p.SourceStart, p.SourceLength)
                : (p.SourceStart, p.SourceLength, p.SuspiciousStart, p.SuspiciousLength);
            var (a0, a1) = a.TokenRange(aStart, aStart + aLen);
            var (b0, b1) = b.TokenRange(bStart, bStart + bLen);
            int wa = a1 - a0 - (ma?.Excluded(a0, a1) ?? 0);
            int wb = b1 - b0 - (mb?.Excluded(b0, b1) ?? 0);
            if (Math.Min(wa, wb) < o.MinWords) continue;
            // Template text aligns perfectly and gap clustering then pulls in its neighbours; a passage that
            // touches excluded text must show reuse of its own outside it.
            if ((wa < a1 - a0 || wb < b1 - b0) && !HasOwnEvidence(p, aIsSuspicious ? (a, ma, b, mb) : (b, mb, a, ma), ao.StrongSeed)) continue;
            passages.Add(new PairPassage(aStart, aLen, bStart, bLen, wa, wb, p.Score, p.Kind));
        }
        if (passages.Count == 0) return null;
        passages.Sort(static (x, y) => x.AStart != y.AStart ? x.AStart.CompareTo(y.AStart) : x.BStart.CompareTo(y.BStart));
        int coveredA = CoveredWords(a, ma, passages.Select(p => (p.AStart, p.AEnd)));
        int coveredB = CoveredWords(b, mb, passages.Select(p => (p.BStart, p.BEnd)));
        int longest = passages.Max(p => Math.Min(p.WordsA, p.WordsB));
        return new PairResult(c.A, c.B, Share(coveredA, a.TokenCount), Share(coveredB, b.TokenCount), coveredA, coveredB, longest, c.Shared, passages);
    }

    /// <summary>A link between two sentences that are mostly outside template and common material and are
    /// strongly similar.</summary>
    private static bool HasOwnEvidence(AlignedPassage p, (AnalyzedDocument S, ExclusionMask? Ms, AnalyzedDocument R, ExclusionMask? Mr) d, double strongSeed)
    {
        foreach (var l in p.Links)
        {
            if (l.Similarity < strongSeed) continue;
            if (MostlyOwn(d.S, d.Ms, l.SuspiciousStart, l.SuspiciousStart + l.SuspiciousLength)
                && MostlyOwn(d.R, d.Mr, l.SourceStart, l.SourceStart + l.SourceLength)) return true;
        }
        return false;
    }

    private static bool MostlyOwn(AnalyzedDocument d, ExclusionMask? m, int start, int end)
    {
        var (t0, t1) = d.TokenRange(start, end);
        return t1 > t0 && (m?.Excluded(t0, t1) ?? 0) * 2 < t1 - t0;
    }

    private static double Share(int covered, int words) => words == 0 ? 0 : Math.Round((double)covered / words, 4);

    /// <summary>Words inside the union of the spans, template and common words left out.</summary>
    private static int CoveredWords(AnalyzedDocument d, ExclusionMask? mask, IEnumerable<(int Start, int End)> spans)
    {
        int covered = 0, reach = 0;
        foreach (var (s, e) in spans.OrderBy(x => x.Start))
        {
            var (t0, t1) = d.TokenRange(s, e);
            t0 = Math.Max(t0, reach);
            if (t1 > t0) covered += t1 - t0 - (mask?.Excluded(t0, t1) ?? 0);
            reach = Math.Max(reach, t1);
        }
        return covered;
    }
}

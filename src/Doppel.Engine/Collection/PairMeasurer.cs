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
        var raw = aIsSuspicious ? PairAligner.Align(a, b, o.Alignment) : PairAligner.Align(b, a, o.Alignment);
        if (raw.Count == 0) return null;
        var ma = masks[c.A];
        var mb = masks[c.B];
        var passages = new List<PairPassage>(raw.Count);
        foreach (var p in raw)
        {
            var (aStart, aLen, bStart, bLen) = aIsSuspicious
                ? (p.SuspiciousStart, p.SuspiciousLength, p.SourceStart, p.SourceLength)
                : (p.SourceStart, p.SourceLength, p.SuspiciousStart, p.SuspiciousLength);
            var (a0, a1) = TokenRange(a, aStart, aStart + aLen);
            var (b0, b1) = TokenRange(b, bStart, bStart + bLen);
            int wa = a1 - a0 - (ma?.Excluded(a0, a1) ?? 0);
            int wb = b1 - b0 - (mb?.Excluded(b0, b1) ?? 0);
            if (Math.Min(wa, wb) < o.MinWords) continue;
            passages.Add(new PairPassage(aStart, aLen, bStart, bLen, wa, wb, p.Score, p.Kind));
        }
        if (passages.Count == 0) return null;
        passages.Sort(static (x, y) => x.AStart != y.AStart ? x.AStart.CompareTo(y.AStart) : x.BStart.CompareTo(y.BStart));
        int coveredA = CoveredWords(a, ma, passages.Select(p => (p.AStart, p.AEnd)));
        int coveredB = CoveredWords(b, mb, passages.Select(p => (p.BStart, p.BEnd)));
        int longest = passages.Max(p => Math.Min(p.WordsA, p.WordsB));
        return new PairResult(c.A, c.B, Share(coveredA, a.TokenCount), Share(coveredB, b.TokenCount), coveredA, coveredB, longest, c.Shared, passages);
    }

    private static double Share(int covered, int words) => words == 0 ? 0 : Math.Round((double)covered / words, 4);

    /// <summary>Tokens [t0, t1) lying in characters [start, end).</summary>
    public static (int T0, int T1) TokenRange(AnalyzedDocument d, int start, int end)
    {
        int t0 = LowerBound(d.TokenEnd, d.TokenCount, start + 1);
        int t1 = LowerBound(d.TokenStart, d.TokenCount, end);
        return (t0, Math.Max(t0, t1));
    }

    private static int LowerBound(int[] a, int count, int value)
    {
        int lo = 0, hi = count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>Words inside the union of the spans, template and common words left out.</summary>
    private static int CoveredWords(AnalyzedDocument d, ExclusionMask? mask, IEnumerable<(int Start, int End)> spans)
    {
        int covered = 0, reach = 0;
        foreach (var (s, e) in spans.OrderBy(x => x.Start))
        {
            var (t0, t1) = TokenRange(d, s, e);
            t0 = Math.Max(t0, reach);
            if (t1 > t0) covered += t1 - t0 - (mask?.Excluded(t0, t1) ?? 0);
            reach = Math.Max(reach, t1);
        }
        return covered;
    }
}

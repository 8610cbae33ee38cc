namespace Doppel.Engine.Alignment;

/// <summary>
/// No summary condenses its source beyond a bound: the summaries of PAN 2013 draw on at most 22 times their own
/// length. A passage whose source side is far longer than that is either a patchwork (consecutive pieces of the
/// suspicious text taken from distant places of the source, joined because they lie side by side), or a rewrite
/// whose sentences were matched all over a long source on the same topic (a paper's paraphrased paragraphs against
/// the whole original). A patchwork is split into its pieces, each with the source text its sentence links point
/// to; otherwise the passage narrows to the span of its links' sources when that is within the bound, and is
/// dropped when it is not.
/// </summary>
internal static class CondensationBound
{
    public static void Apply(List<AlignedPassage> passages, AlignmentOptions o)
    {
        if (o.MaxCondensation <= 0) return;
        bool split = false;
        for (int k = passages.Count - 1; k >= 0; k--)
        {
            var p = passages[k];
            if (p.SourceLength <= o.MaxCondensation * p.SuspiciousLength) continue;
            passages.RemoveAt(k);
            var pieces = Patchwork(p, o);
            if (pieces != null)
            {
                passages.InsertRange(k, pieces);
                split = true;
                continue;
            }
            var (r0, r1) = SourceSpan(p.Links, 0, p.Links.Count);
            if (r1 > r0 && r1 - r0 <= o.MaxCondensation * p.SuspiciousLength)
                passages.Insert(k, p with { SourceStart = r0, SourceLength = r1 - r0 });
        }
        if (split) passages.Sort(static (a, b) => a.SuspiciousStart != b.SuspiciousStart ? a.SuspiciousStart.CompareTo(b.SuspiciousStart) : a.SourceStart.CompareTo(b.SourceStart));
    }

    /// <summary>The pieces of a patchwork: the links fall into groups whose sources are more than
    /// <see cref="AlignmentOptions.PieceSourceReach"/> apart and whose suspicious sides follow one another without
    /// interleaving; each piece must rest on strong links (a mean of at least
    /// <see cref="AlignmentOptions.StrongSeed"/>), be long enough to stand alone and within the bound. Null when the passage is
    /// not one.</summary>
    private static List<AlignedPassage>? Patchwork(AlignedPassage p, AlignmentOptions o)
    {
        if (p.Links.Count < 2) return null;
        var links = p.Links.OrderBy(l => l.SuspiciousStart).ThenBy(l => l.SourceStart).ToList();
        // Consecutive links (in suspicious order) whose sources lie close together form one piece.
        var groups = new List<(int From, int To)>();
        int from = 0;
        for (int i = 1; i <= links.Count; i++)
        {
            if (i < links.Count)
            {
                var (g0, g1) = SourceSpan(links, from, i);
                var l = links[i];
                bool near = l.SourceStart < g1 + o.PieceSourceReach && l.SourceStart + l.SourceLength > g0 - o.PieceSourceReach;
                if (near) continue;
            }
            groups.Add((from, i));
            from = i;
        }
        if (groups.Count < 2) return null;
        var pieces = new List<AlignedPassage>(groups.Count);
        for (int g = 0; g < groups.Count; g++)
        {
            var (a, b) = groups[g];
            int s0 = g == 0 ? p.SuspiciousStart : links[a].SuspiciousStart;
            int s1 = g == groups.Count - 1 ? p.SuspiciousEnd : links[groups[g + 1].From].SuspiciousStart;
            int linksEnd = 0;
            for (int i = a; i < b; i++) linksEnd = Math.Max(linksEnd, links[i].SuspiciousStart + links[i].SuspiciousLength);
            if (g < groups.Count - 1 && linksEnd > s1) return null; // interleaved: not pieces side by side
            var (r0, r1) = SourceSpan(links, a, b);
            if (s1 - s0 < o.MinPassageChars || r1 - r0 < o.MinPassageChars / 2 || r1 - r0 > o.MaxCondensation * (s1 - s0)) return null;
            double score = 0;
            for (int i = a; i < b; i++) score += links[i].Similarity;
            if (score < o.StrongSeed * (b - a)) return null; // a summary's sentences match loosely all over the source
            var kind = s1 - s0 <= o.SummaryRatio * (r1 - r0) ? PassageKind.Summary : PassageKind.Paraphrase;
            pieces.Add(new AlignedPassage(s0, s1 - s0, r0, r1 - r0, Math.Round(score / (b - a), 4), kind, links.GetRange(a, b - a)));
        }
        return pieces;
    }

    private static (int Start, int End) SourceSpan(IReadOnlyList<SentenceLink> links, int from, int to)
    {
        int r0 = int.MaxValue, r1 = 0;
        for (int i = from; i < to; i++)
        {
            r0 = Math.Min(r0, links[i].SourceStart);
            r1 = Math.Max(r1, links[i].SourceStart + links[i].SourceLength);
        }
        return (r0, r1);
    }
}

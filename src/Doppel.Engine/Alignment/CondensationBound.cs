namespace Doppel.Engine.Alignment;

/// <summary>
/// No summary condenses its source beyond a bound: the summaries of PAN 2013 draw on at most 22 times their own
/// length, and a passage whose source side is far longer than that is a rewrite whose sentences were found all over
/// a long source on the same topic (a paper's paraphrased paragraphs matching sentences across the whole original),
/// not one condensed passage. Such a passage narrows to the source text its sentence links point to, when that is
/// within the bound, and is dropped otherwise.
/// </summary>
internal static class CondensationBound
{
    public static void Apply(List<AlignedPassage> passages, AlignmentOptions o)
    {
        if (o.MaxCondensation <= 0) return;
        for (int k = passages.Count - 1; k >= 0; k--)
        {
            var p = passages[k];
            if (p.SourceLength <= o.MaxCondensation * p.SuspiciousLength) continue;
            int r0 = int.MaxValue, r1 = 0;
            foreach (var l in p.Links)
            {
                r0 = Math.Min(r0, l.SourceStart);
                r1 = Math.Max(r1, l.SourceStart + l.SourceLength);
            }
            if (r1 > r0 && r1 - r0 <= o.MaxCondensation * p.SuspiciousLength)
                passages[k] = p with { SourceStart = r0, SourceLength = r1 - r0 };
            else
                passages.RemoveAt(k);
        }
    }
}

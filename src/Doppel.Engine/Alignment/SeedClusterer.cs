namespace Doppel.Engine.Alignment;

/// <summary>
/// Extension: groups seeds into passages by splitting wherever the gap between consecutive seeds exceeds the
/// allowed gap, alternately along the suspicious and the source axis, until neither axis splits any further
/// (the recursive gap clustering of Sanchez-Perez et al.).
/// </summary>
internal static class SeedClusterer
{
    public static List<List<Seed>> Cluster(List<Seed> seeds, int maxGapS, int maxGapR)
    {
        var result = new List<List<Seed>>();
        if (seeds.Count > 0) Split(seeds, alongSource: false, otherStable: false, maxGapS, maxGapR, result);
        return result;
    }

    private static void Split(List<Seed> seeds, bool alongSource, bool otherStable, int maxGapS, int maxGapR, List<List<Seed>> result)
    {
        if (alongSource) seeds.Sort(static (a, b) => a.R != b.R ? a.R.CompareTo(b.R) : a.S.CompareTo(b.S));
        else seeds.Sort(static (a, b) => a.S != b.S ? a.S.CompareTo(b.S) : a.R.CompareTo(b.R));
        int maxGap = alongSource ? maxGapR : maxGapS;

        var parts = new List<List<Seed>>();
        var current = new List<Seed> { seeds[0] };
        for (int k = 1; k < seeds.Count; k++)
        {
            int prev = alongSource ? seeds[k - 1].R : seeds[k - 1].S;
            int cur = alongSource ? seeds[k].R : seeds[k].S;
            if (cur - prev - 1 > maxGap)
            {
                parts.Add(current);
                current = new List<Seed>();
            }
            current.Add(seeds[k]);
        }
        parts.Add(current);

        if (parts.Count == 1)
        {
            if (otherStable) result.Add(seeds);
            else Split(seeds, !alongSource, otherStable: true, maxGapS, maxGapR, result);
            return;
        }
        foreach (var part in parts)
            Split(part, !alongSource, otherStable: false, maxGapS, maxGapR, result);
    }
}

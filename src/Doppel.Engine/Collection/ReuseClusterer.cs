namespace Doppel.Engine.Collection;

/// <summary>
/// Groups documents linked by reuse with union-find over the reported pairs: a copying chain A→B→C or a ring
/// of students sharing one text ends up as one cluster. Clusters are ranked by the amount of shared text
/// (the sum over their pairs of the smaller covered side), then by their strongest pair.
/// </summary>
public static class ReuseClusterer
{
    public static List<ReuseCluster> Cluster(int documents, IReadOnlyList<PairResult> pairs)
    {
        var parent = new int[documents];
        for (int i = 0; i < documents; i++) parent[i] = i;
        foreach (var p in pairs) Union(parent, p.A, p.B);

        var groups = new Dictionary<int, (List<int> Docs, List<int> Pairs, int Shared, double Max)>();
        for (int k = 0; k < pairs.Count; k++)
        {
            var p = pairs[k];
            int root = Find(parent, p.A);
            if (!groups.TryGetValue(root, out var g)) g = ([], [], 0, 0);
            g.Pairs.Add(k);
            groups[root] = (g.Docs, g.Pairs, g.Shared + Math.Min(p.CoveredWordsA, p.CoveredWordsB), Math.Max(g.Max, p.MaxCoverage));
        }
        for (int d = 0; d < documents; d++)
            if (groups.TryGetValue(Find(parent, d), out var g)) g.Docs.Add(d);

        return groups.Values
            .OrderByDescending(g => g.Shared).ThenByDescending(g => g.Max).ThenBy(g => g.Docs[0])
            .Select((g, i) => new ReuseCluster(i + 1, g.Docs, g.Pairs, g.Shared, g.Max))
            .ToList();
    }

    private static int Find(int[] parent, int x)
    {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    }

    private static void Union(int[] parent, int a, int b)
    {
        a = Find(parent, a);
        b = Find(parent, b);
        if (a != b) parent[Math.Max(a, b)] = Math.Min(a, b);
    }
}

namespace Doppel.Engine.Alignment;

/// <summary>
/// The extend stage: seeds become candidate passages by recursive gap clustering, each validated on its whole ranges
/// (<see cref="Extend"/>); a sentence claimed by two candidates goes to the one it matches best
/// (<see cref="ResolveSharedUnits"/>); and a candidate may take in a moderately similar neighbouring sentence
/// (<see cref="GrowByNeighbours"/>).
/// </summary>
internal static class CandidateExtender
{
    public static List<PassageCandidate> Extend(PairModel m, List<Seed> seeds, int gapS, int gapR, AlignmentOptions o)
    {
        var result = new List<PassageCandidate>();
        foreach (var cluster in SeedClusterer.Cluster(new List<Seed>(seeds), gapS, gapR))
            Validate(m, cluster, gapS, gapR, o, result);
        return result;
    }

    /// <summary>A cluster whose whole ranges are not similar enough loses its first or its last suspicious sentence,
    /// if that leaves a valid passage (one outlying match chained unrelated text in); otherwise it is re-clustered
    /// with smaller gaps, which splits off the seeds that chained unrelated text together.</summary>
    private static void Validate(PairModel m, List<Seed> cluster, int gapS, int gapR, AlignmentOptions o, List<PassageCandidate> result)
    {
        var (s0, s1, r0, r1) = Bounds(cluster);
        double sim = SemanticSeeder.Strength(m, cluster, s0, s1, r0, r1);
        if (sim >= o.PassageSimilarity)
        {
            result.Add(new PassageCandidate { S0 = s0, S1 = s1, R0 = r0, R1 = r1, Similarity = sim, Seeds = cluster });
            return;
        }
        if (TryWithoutEdgeSentence(m, cluster, o, result)) return;
        if (gapS == 0 && gapR == 0) return;
        int ngS = Math.Max(0, gapS - 1), ngR = Math.Max(0, gapR - 1);
        foreach (var sub in SeedClusterer.Cluster(cluster, ngS, ngR))
            Validate(m, sub, ngS, ngR, o, result);
    }

    /// <summary>The better valid candidate of <paramref name="cluster"/> without the seeds of its first suspicious
    /// sentence and without those of its last, if either is valid. Clusters of fewer than three seeds are left to gap
    /// shrinking, which already takes them apart seed by seed.</summary>
    private static bool TryWithoutEdgeSentence(PairModel m, List<Seed> cluster, AlignmentOptions o, List<PassageCandidate> result)
    {
        if (cluster.Count < 3) return false;
        int first = int.MaxValue, last = -1;
        foreach (var x in cluster) { first = Math.Min(first, x.S); last = Math.Max(last, x.S); }
        if (first == last) return false;
        List<Seed>? best = null;
        double bestSim = 0;
        (int, int, int, int) bestBounds = default;
        foreach (int drop in (ReadOnlySpan<int>)[first, last])
        {
            var rest = cluster.FindAll(x => x.S != drop);
            var b = Bounds(rest);
            double sim = SemanticSeeder.Strength(m, rest, b.S0, b.S1, b.R0, b.R1);
            if (sim >= o.PassageSimilarity && sim > bestSim) { best = rest; bestSim = sim; bestBounds = b; }
        }
        if (best == null) return false;
        var (s0, s1, r0, r1) = bestBounds;
        result.Add(new PassageCandidate { S0 = s0, S1 = s1, R0 = r0, R1 = r1, Similarity = bestSim, Seeds = best });
        return true;
    }

    /// <summary>
    /// Gap clustering can put one suspicious sentence in two candidates: its true match in one, and a weaker match
    /// elsewhere in the source that happens to lie within the gap of another candidate's seeds. The sentence goes to
    /// the candidate where it matches best; the other loses its seeds for it and shrinks to its remaining seeds
    /// (before, the larger candidate usually won the overlap whole, taking the other's sentences with it).
    /// </summary>
    public static void ResolveSharedUnits(PairModel m, List<PassageCandidate> candidates, AlignmentOptions o)
    {
        if (candidates.Count < 2) return;
        bool changed = false;
        foreach (var (i, j) in OverlappingPairs(candidates))
        {
            var a = candidates[i];
            var b = candidates[j];
            int lo = Math.Max(a.S0, b.S0), hi = Math.Min(a.S1, b.S1);
            for (int u = lo; u <= hi; u++)
            {
                float sa = BestSeedOf(a, u), sb = BestSeedOf(b, u);
                if (sa <= 0 || sb <= 0 || sa == sb) continue;
                (sa < sb ? a : b).Seeds.RemoveAll(x => x.S == u);
                changed = true;
            }
        }
        if (!changed) return;
        candidates.RemoveAll(c => c.Seeds.Count == 0);
        foreach (var c in candidates)
        {
            var (s0, s1, r0, r1) = Bounds(c.Seeds);
            if (s0 == c.S0 && s1 == c.S1 && r0 == c.R0 && r1 == c.R1) continue;
            (c.S0, c.S1, c.R0, c.R1) = (s0, s1, r0, r1);
            c.Similarity = SemanticSeeder.Strength(m, c.Seeds, s0, s1, r0, r1);
        }
        candidates.RemoveAll(c => c.Similarity < o.PassageSimilarity);
    }

    /// <summary>The pairs (i &lt; j) of candidates whose suspicious ranges overlap, in the order of a loop over all
    /// pairs: i, then j, ascending. Two ranges overlap exactly when one starts inside the other, so a search of the
    /// starts sorted finds each pair without comparing every candidate with every other (80,000 candidates of a
    /// 30 MB near copy took 7 s that way).</summary>
    private static List<(int, int)> OverlappingPairs(List<PassageCandidate> candidates)
    {
        var byStart = new int[candidates.Count];
        for (int k = 0; k < byStart.Length; k++) byStart[k] = k;
        Array.Sort(byStart, (x, y) => candidates[x].S0 != candidates[y].S0 ? candidates[x].S0.CompareTo(candidates[y].S0) : x.CompareTo(y));
        var pairs = new List<(int, int)>();
        for (int p = 0; p < byStart.Length; p++)
        {
            var a = candidates[byStart[p]];
            // Every later start up to a's end lies inside a; equal starts are found from both sides.
            for (int q = p + 1; q < byStart.Length && candidates[byStart[q]].S0 <= a.S1; q++)
                pairs.Add((Math.Min(byStart[p], byStart[q]), Math.Max(byStart[p], byStart[q])));
        }
        pairs.Sort();
        return pairs;
    }

    /// <summary>The unit ranges a set of seeds spans: suspicious [S0, S1], source [R0, R1].</summary>
    private static (int S0, int S1, int R0, int R1) Bounds(List<Seed> seeds)
    {
        int s0 = int.MaxValue, s1 = -1, r0 = int.MaxValue, r1 = -1;
        foreach (var x in seeds)
        {
            s0 = Math.Min(s0, x.S); s1 = Math.Max(s1, x.S);
            r0 = Math.Min(r0, x.R); r1 = Math.Max(r1, x.R);
        }
        return (s0, s1, r0, r1);
    }

    private static float BestSeedOf(PassageCandidate c, int unit)
    {
        float best = 0;
        foreach (var x in c.Seeds) if (x.S == unit && x.Similarity > best) best = x.Similarity;
        return best;
    }

    /// <summary>
    /// A passage takes in the sentence right before (after) it when that sentence is moderately similar to the
    /// sentence right before (after) its source side, or to the source's edge sentence itself. Seeding needs strong
    /// similarity, because a similar sentence anywhere is weak evidence; a similar sentence in the very place a
    /// copy would continue is strong evidence. This recovers the edges of heavily obfuscated copies, whose
    /// sentences fall just under the seed thresholds, and sentences that the splitter joined to a neighbour on one
    /// side only. Growth stops at sentences another passage holds.
    /// </summary>
    public static void GrowByNeighbours(PairModel m, PassageCandidate c, bool[] held, AlignmentOptions o)
    {
        int n = m.Susp.UnitCount, nr = m.Src.UnitCount;
        bool grew = false;
        for (int step = 0; step < o.NeighbourSteps && c.S0 > 0 && !held[c.S0 - 1]; step++)
        {
            var (r, sim) = BestNeighbour(m, c.S0 - 1, c.R0 - 1, c.R0, nr);
            if (sim < o.NeighbourSimilarity) break;
            c.S0--;
            held[c.S0] = true;
            c.R0 = Math.Min(c.R0, r);
            c.Seeds.Add(new Seed(c.S0, r, (float)sim));
            grew = true;
        }
        for (int step = 0; step < o.NeighbourSteps && c.S1 + 1 < n && !held[c.S1 + 1]; step++)
        {
            var (r, sim) = BestNeighbour(m, c.S1 + 1, c.R1 + 1, c.R1, nr);
            if (sim < o.NeighbourSimilarity) break;
            c.S1++;
            held[c.S1] = true;
            c.R1 = Math.Max(c.R1, r);
            c.Seeds.Add(new Seed(c.S1, r, (float)sim));
            grew = true;
        }
        if (grew) c.Similarity = SemanticSeeder.Strength(m, c.Seeds, c.S0, c.S1, c.R0, c.R1);
    }

    private static (int Unit, double Similarity) BestNeighbour(PairModel m, int s, int next, int edge, int sourceUnits)
    {
        double a = next >= 0 && next < sourceUnits ? m.RangeCosine(s, s, next, next) : 0;
        double b = m.RangeCosine(s, s, edge, edge);
        return a >= b ? (next, a) : (edge, b);
    }
}

using Doppel.Engine.Text;

namespace Doppel.Engine.Alignment;

/// <summary>
/// Aligns one suspicious document with one source document: seed → extend → refine → filter.
/// Seeds come from sentence similarity (tf-isf cosine and Dice) and from exact word runs; extension clusters them
/// by gaps; passages are validated on their whole ranges, switched to summary mode when the reused text is far
/// shorter than its source, given character-exact boundaries where they are verbatim, and finally filtered for
/// overlaps and length. Deterministic; thread-safe (each thread uses its own scratch memory).
/// </summary>
public static class PairAligner
{
    private sealed class Candidate
    {
        public int S0, S1, R0, R1;
        public double Similarity;
        public List<Seed> Seeds = null!;
    }

    public static IReadOnlyList<AlignedPassage> Align(AnalyzedDocument suspicious, AnalyzedDocument source, AlignmentOptions? options = null)
    {
        var o = options ?? AlignmentOptions.Default;
        if (suspicious.UnitCount == 0 || source.UnitCount == 0) return [];

        using var m = new PairModel(suspicious, source);
        var seeds = new List<Seed>();
        SentenceSeeder.FindSeeds(m, o, seeds);
        var runs = new List<VerbatimRun>();
        VerbatimMatcher.FindRuns(suspicious, source, o.VerbatimMinWords, runs);
        AddRunSeeds(suspicious, source, runs, seeds);
        if (seeds.Count == 0) return [];
        seeds = Deduplicate(seeds);

        var candidates = Extend(m, seeds, o.MaxGap, o.MaxGap, o);
        bool summary = LooksLikeSummary(m, candidates, o);
        if (summary)
            candidates = Extend(m, seeds, o.MaxGap, o.SummaryMaxGap, o);

        var passages = new List<AlignedPassage>(candidates.Count);
        foreach (var c in candidates)
            passages.Add(BuildPassage(m, c, runs, summary, o));
        AddUncoveredRuns(suspicious, source, runs, passages, o);
        return Filter(passages, o);
    }

    /// <summary>Unit pairs joined by an exact run seed a passage whatever their overall similarity: a copied
    /// clause inside otherwise rewritten sentences is evidence on its own.</summary>
    private static void AddRunSeeds(AnalyzedDocument susp, AnalyzedDocument src, List<VerbatimRun> runs, List<Seed> seeds)
    {
        foreach (var run in runs)
        {
            int lastS = -1, lastR = -1;
            int us = UnitOf(susp, run.S), ur = UnitOf(src, run.R);
            for (int k = 0; k < run.Length; k++)
            {
                while (us + 1 < susp.UnitCount && susp.UnitTokenStart[us + 1] <= run.S + k) us++;
                while (ur + 1 < src.UnitCount && src.UnitTokenStart[ur + 1] <= run.R + k) ur++;
                if (us != lastS || ur != lastR)
                {
                    seeds.Add(new Seed(us, ur, 1f));
                    lastS = us;
                    lastR = ur;
                }
            }
        }
    }

    internal static int UnitOf(AnalyzedDocument d, int token)
    {
        int idx = Array.BinarySearch(d.UnitTokenStart, 0, d.UnitCount, token);
        if (idx < 0) idx = ~idx - 1;
        // Several units can start at the same token only if some are empty; take the last of them.
        while (idx + 1 < d.UnitCount && d.UnitTokenStart[idx + 1] <= token) idx++;
        return Math.Max(0, idx);
    }

    private static List<Seed> Deduplicate(List<Seed> seeds)
    {
        seeds.Sort(static (a, b) => a.S != b.S ? a.S.CompareTo(b.S) : a.R != b.R ? a.R.CompareTo(b.R) : b.Similarity.CompareTo(a.Similarity));
        var unique = new List<Seed>(seeds.Count);
        foreach (var s in seeds)
            if (unique.Count == 0 || unique[^1].S != s.S || unique[^1].R != s.R) unique.Add(s);
        return unique;
    }

    private static List<Candidate> Extend(PairModel m, List<Seed> seeds, int gapS, int gapR, AlignmentOptions o)
    {
        var result = new List<Candidate>();
        foreach (var cluster in SeedClusterer.Cluster(new List<Seed>(seeds), gapS, gapR))
            Validate(m, cluster, gapS, gapR, o, result);
        return result;
    }

    /// <summary>A cluster whose whole ranges are not similar enough is re-clustered with smaller gaps, which
    /// splits off the seeds that chained unrelated text together.</summary>
    private static void Validate(PairModel m, List<Seed> cluster, int gapS, int gapR, AlignmentOptions o, List<Candidate> result)
    {
        int s0 = int.MaxValue, s1 = -1, r0 = int.MaxValue, r1 = -1;
        foreach (var s in cluster)
        {
            s0 = Math.Min(s0, s.S); s1 = Math.Max(s1, s.S);
            r0 = Math.Min(r0, s.R); r1 = Math.Max(r1, s.R);
        }
        double sim = m.RangeCosine(s0, s1, r0, r1);
        if (sim >= o.PassageSimilarity)
        {
            result.Add(new Candidate { S0 = s0, S1 = s1, R0 = r0, R1 = r1, Similarity = sim, Seeds = cluster });
            return;
        }
        if (gapS == 0 && gapR == 0) return;
        int ngS = Math.Max(0, gapS - 1), ngR = Math.Max(0, gapR - 1);
        foreach (var sub in SeedClusterer.Cluster(cluster, ngS, ngR))
            Validate(m, sub, ngS, ngR, o, result);
    }

    /// <summary>Summary mode is chosen when the suspicious side of the matches is much shorter than the source
    /// side: condensing spreads one sentence's evidence over distant source sentences.</summary>
    private static bool LooksLikeSummary(PairModel m, List<Candidate> candidates, AlignmentOptions o)
    {
        if (candidates.Count == 0) return false;
        long susp = 0, src = 0;
        foreach (var c in candidates)
        {
            susp += m.Susp.UnitCharEnd[c.S1] - m.Susp.UnitCharStart[c.S0];
            src += m.Src.UnitCharEnd[c.R1] - m.Src.UnitCharStart[c.R0];
        }
        return susp <= o.SummaryRatio * src;
    }

    private static AlignedPassage BuildPassage(PairModel m, Candidate c, List<VerbatimRun> runs, bool summary, AlignmentOptions o)
    {
        var susp = m.Susp;
        var src = m.Src;
        int sStart = susp.UnitCharStart[c.S0], sEnd = susp.UnitCharEnd[c.S1];
        int rStart = src.UnitCharStart[c.R0], rEnd = src.UnitCharEnd[c.R1];

        // Exact runs inside the passage: if they cover most of it, the passage is verbatim and its true
        // boundaries are the runs' own, to the character.
        int tS0 = susp.UnitTokenStart[c.S0], tS1 = susp.UnitTokenStart[c.S1 + 1];
        int tR0 = src.UnitTokenStart[c.R0], tR1 = src.UnitTokenStart[c.R1 + 1];
        long covered = 0;
        int vs = int.MaxValue, ve = -1, vr = int.MaxValue, vre = -1;
        int lastEnd = -1;
        foreach (var run in runs)
        {
            if (run.S + run.Length <= tS0 || run.S >= tS1 || run.R + run.Length <= tR0 || run.R >= tR1) continue;
            int a = susp.TokenStart[run.S], b = susp.TokenEnd[run.S + run.Length - 1];
            int from = Math.Max(Math.Max(a, sStart), lastEnd);
            int to = Math.Min(b, sEnd);
            if (to > from) covered += to - from;
            lastEnd = Math.Max(lastEnd, to);
            vs = Math.Min(vs, a); ve = Math.Max(ve, b);
            vr = Math.Min(vr, src.TokenStart[run.R]); vre = Math.Max(vre, src.TokenEnd[run.R + run.Length - 1]);
        }
        PassageKind kind;
        double score = c.Similarity;
        if (ve > 0 && covered >= o.VerbatimCoverage * (sEnd - sStart))
        {
            kind = PassageKind.Verbatim;
            sStart = vs; sEnd = ve; rStart = vr; rEnd = vre;
            score = Math.Max(score, (double)covered / Math.Max(1, sEnd - sStart));
        }
        else
        {
            kind = summary && (sEnd - sStart) <= o.SummaryRatio * (rEnd - rStart) ? PassageKind.Summary : PassageKind.Paraphrase;
        }

        var links = new List<SentenceLink>(c.Seeds.Count);
        foreach (var s in c.Seeds)
        {
            int a = susp.UnitCharStart[s.S], b = susp.UnitCharEnd[s.S];
            int x = src.UnitCharStart[s.R], y = src.UnitCharEnd[s.R];
            links.Add(new SentenceLink(a, b - a, x, y - x, Math.Round(s.Similarity, 4)));
        }
        links.Sort(static (p, q) => p.SuspiciousStart != q.SuspiciousStart ? p.SuspiciousStart.CompareTo(q.SuspiciousStart) : p.SourceStart.CompareTo(q.SourceStart));
        return new AlignedPassage(sStart, sEnd - sStart, rStart, rEnd - rStart, Math.Round(score, 4), kind, links);
    }

    /// <summary>Long exact runs that no passage took up (e.g. a copied block inside one huge "sentence") become
    /// verbatim passages of their own.</summary>
    private static void AddUncoveredRuns(AnalyzedDocument susp, AnalyzedDocument src, List<VerbatimRun> runs, List<AlignedPassage> passages, AlignmentOptions o)
    {
        foreach (var run in runs)
        {
            int a = susp.TokenStart[run.S], b = susp.TokenEnd[run.S + run.Length - 1];
            int x = src.TokenStart[run.R], y = src.TokenEnd[run.R + run.Length - 1];
            if (b - a < o.MinPassageChars || y - x < o.MinPassageChars) continue;
            bool inside = false;
            foreach (var p in passages)
                if (a < p.SuspiciousEnd && b > p.SuspiciousStart && x < p.SourceEnd && y > p.SourceStart) { inside = true; break; }
            if (inside) continue;
            passages.Add(new AlignedPassage(a, b - a, x, y - x, 1.0, PassageKind.Verbatim,
                [new SentenceLink(a, b - a, x, y - x, 1.0)]));
        }
    }

    /// <summary>Keeps the best of passages that claim the same suspicious text, then drops short ones.</summary>
    private static List<AlignedPassage> Filter(List<AlignedPassage> passages, AlignmentOptions o)
    {
        var ranked = passages
            .Where(p => p.SuspiciousLength >= o.MinPassageChars && p.SourceLength >= o.MinPassageChars)
            .OrderByDescending(p => p.Score * Math.Sqrt(p.SuspiciousLength + p.SourceLength))
            .ThenBy(p => p.SuspiciousStart).ThenBy(p => p.SourceStart)
            .ToList();
        var kept = new List<AlignedPassage>();
        foreach (var p in ranked)
        {
            bool clash = false;
            foreach (var k in kept)
                if (p.SuspiciousStart < k.SuspiciousEnd && p.SuspiciousEnd > k.SuspiciousStart) { clash = true; break; }
            if (!clash) kept.Add(p);
        }
        kept.Sort(static (a, b) => a.SuspiciousStart != b.SuspiciousStart ? a.SuspiciousStart.CompareTo(b.SuspiciousStart) : a.SourceStart.CompareTo(b.SourceStart));
        return kept;
    }
}

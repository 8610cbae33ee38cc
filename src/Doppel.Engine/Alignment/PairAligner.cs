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
    /// <param name="progress">Hears how far the alignment is, in percent (0 to 100), now and then: a pair of long
    /// documents takes seconds to minutes.</param>
    public static IReadOnlyList<AlignedPassage> Align(AnalyzedDocument suspicious, AnalyzedDocument source, AlignmentOptions? options = null,
        Action<int>? progress = null)
    {
        var o = options ?? AlignmentOptions.Default;
        progress?.Invoke(0);
        if (suspicious.UnitCount == 0 || source.UnitCount == 0)
        {
            progress?.Invoke(100);
            return [];
        }

        using var m = new PairModel(suspicious, source, o.Synonyms);
        var seeds = new List<Seed>();
        // Seeding takes about 60% of a long pair's time; exact runs, extension and passages the rest.
        SentenceSeeder.FindSeeds(m, o, seeds, progress == null ? null : (done, total) => progress(SeedingPercent * done / Math.Max(1, total)));
        var runs = new List<VerbatimRun>();
        VerbatimMatcher.FindRuns(suspicious, source, o.VerbatimMinWords, runs);
        AddRunSeeds(suspicious, source, ScholarlyEvidence.SeedingRuns(suspicious, source, runs, o.VerbatimMinWords), seeds);
        SemanticSeeder.FindSeeds(suspicious, source, o, seeds);
        var blocks = VerbatimMatcher.MergeRuns(runs);
        ScholarlyEvidence.DropMarkupBlocks(suspicious, source, blocks, o.VerbatimMinWords);
        seeds = Deduplicate(seeds);
        progress?.Invoke(75);

        var candidates = CandidateExtender.Extend(m, seeds, o.MaxGap, o.MaxGap, o);
        bool summary = LooksLikeSummary(m, candidates, o);
        if (summary && candidates.Count > 0)
            candidates = CandidateExtender.Extend(m, seeds, o.MaxGap, o.SummaryMaxGap, o);
        else if (!summary && o.PassageMaxGap < o.MaxGap)
            candidates = CandidateExtender.Extend(m, seeds, o.PassageMaxGap, o.PassageMaxGap, o);

        CandidateExtender.ResolveSharedUnits(m, candidates, o);
        progress?.Invoke(90);
        var held = new bool[suspicious.UnitCount];
        foreach (var c in candidates)
            for (int u = c.S0; u <= c.S1; u++) held[u] = true;
        var passages = new List<AlignedPassage>(candidates.Count);
        foreach (var c in candidates)
            BuildPassages(m, c, blocks, summary, held, o, passages);
        AddUncoveredBlocks(suspicious, source, blocks, passages, o);
        ScholarlyEvidence.DropMarkupPassages(suspicious, source, passages);
        var kept = Filter(passages, o, suspicious, blocks);
        MergeNearbyPieces(kept, o, papers: suspicious.IsPaper && source.IsPaper);
        if (summary || kept.Count == 0)
            SummaryDetector.Detect(m, o, kept);
        // Otherwise the detector can only replace passages resting on one link; without one, it is not run at all.
        else if (!kept.Exists(p => p.Kind == PassageKind.Verbatim) && kept.Exists(p => p.Links.Count <= 1))
            SummaryDetector.Detect(m, o, kept, replacesSingleLinks: true);
        CondensationBound.Apply(kept, o);
        progress?.Invoke(100);
        return kept;
    }

    private const int SeedingPercent = 60;

    /// <summary>A summary or a heavily reordered rewrite is one block of text drawing on one source, but its
    /// sentences seed unevenly and jump around the source, so it comes out as pieces a sentence or two apart whose
    /// sources are far apart (too far for gap clustering). Pieces that close together in the suspicious text are one
    /// passage spanning both pieces on each side: a summary when its source side is more than twice as long. Two
    /// exact copies side by side are joined only when the result has that shape (a summary that keeps some source
    /// sentences word for word): otherwise they are two copies of two source passages.</summary>
    internal static void MergeNearbyPieces(List<AlignedPassage> kept, AlignmentOptions o, bool papers = false)
    {
        for (int k = kept.Count - 1; k > 0; k--)
        {
            var a = kept[k - 1];
            var b = kept[k];
            if (b.SuspiciousStart - a.SuspiciousEnd > o.PieceMergeGap) continue;
            // Two passages that each stand on several sentence links and draw on distant parts of the source are
            // two reuses side by side (e.g. two translated excerpts), not pieces of one condensed passage.
            // Between two papers, so are two pieces copied word for word (every link an exact run): a paper is
            // reused paragraph by paragraph, and reordered copied paragraphs are no summary (ScholarlyEvidence).
            if ((a.Links.Count >= o.PieceStandaloneLinks && b.Links.Count >= o.PieceStandaloneLinks
                    || papers && ScholarlyEvidence.AllLinksExact(a) && ScholarlyEvidence.AllLinksExact(b))
                && Math.Max(a.SourceStart, b.SourceStart) - Math.Min(a.SourceEnd, b.SourceEnd) > o.PieceSourceReach) continue;
            int s0 = a.SuspiciousStart, s1 = Math.Max(a.SuspiciousEnd, b.SuspiciousEnd);
            int r0 = Math.Min(a.SourceStart, b.SourceStart), r1 = Math.Max(a.SourceEnd, b.SourceEnd);
            bool condensed = s1 - s0 <= o.SummaryRatio * (r1 - r0);
            if (a.Kind == PassageKind.Verbatim && b.Kind == PassageKind.Verbatim && !condensed) continue;
            var links = new List<SentenceLink>(a.Links.Count + b.Links.Count);
            links.AddRange(a.Links);
            links.AddRange(b.Links);
            SortLinks(links);
            double score = (a.Score * a.SuspiciousLength + b.Score * b.SuspiciousLength) / (a.SuspiciousLength + b.SuspiciousLength);
            var kind = condensed ? PassageKind.Summary : PassageKind.Paraphrase;
            kept[k - 1] = new AlignedPassage(s0, s1 - s0, r0, r1 - r0, Math.Round(score, 4), kind, links);
            kept.RemoveAt(k);
        }
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

    /// <summary>Summary mode is chosen when the suspicious side of the matches is much shorter than the source
    /// side: condensing spreads one sentence's evidence over distant source sentences. A candidate's source side is
    /// measured as in its passage (each sentence's best match and what lies next to it): a single stray seed far off
    /// in the source would otherwise make an excerpt look condensed.</summary>
    private static bool LooksLikeSummary(PairModel m, List<PassageCandidate> candidates, AlignmentOptions o)
    {
        if (candidates.Count == 0) return true;
        long susp = 0, src = 0;
        foreach (var c in candidates)
        {
            susp += m.Susp.UnitCharEnd[c.S1] - m.Susp.UnitCharStart[c.S0];
            var (r0, r1) = BestSeedSourceUnits(c);
            src += m.Src.UnitCharEnd[r1] - m.Src.UnitCharStart[r0];
        }
        return susp <= o.SummaryRatio * src;
    }

    /// <summary>Turns a candidate into passages. A candidate mostly covered by exact blocks is reported as those
    /// blocks, verbatim and with character-exact boundaries (neighbouring sentences that only share the topic drop
    /// out, and two copies placed side by side stay apart); otherwise it is one paraphrase or summary passage on
    /// unit boundaries.</summary>
    private static void BuildPassages(PairModel m, PassageCandidate c, List<VerbatimBlock> blocks, bool summary, bool[] held, AlignmentOptions o, List<AlignedPassage> output)
    {
        var susp = m.Susp;
        var src = m.Src;
        int sStart = susp.UnitCharStart[c.S0], sEnd = susp.UnitCharEnd[c.S1];
        int rStart = src.UnitCharStart[c.R0], rEnd = src.UnitCharEnd[c.R1];

        int tS0 = susp.UnitTokenStart[c.S0], tS1 = susp.UnitTokenStart[c.S1 + 1];
        int tR0 = src.UnitTokenStart[c.R0], tR1 = src.UnitTokenStart[c.R1 + 1];
        long covered = 0;
        int lastEnd = -1;
        var inside = new List<VerbatimBlock>();
        foreach (var blk in blocks)
        {
            if (blk.SEnd <= tS0 || blk.S >= tS1 || blk.REnd <= tR0 || blk.R >= tR1) continue;
            inside.Add(blk);
            int from = Math.Max(Math.Max(susp.TokenStart[blk.S], sStart), lastEnd);
            int to = Math.Min(susp.TokenEnd[blk.SEnd - 1], sEnd);
            if (to > from) covered += to - from;
            lastEnd = Math.Max(lastEnd, to);
        }
        if (inside.Count > 0 && IsVerbatim(susp, c, inside, covered, o))
        {
            EmitBlockGroups(susp, src, c, inside, output);
            return;
        }

        // One sentence pair alone is weak evidence: texts on one topic often have a pair of similar sentences.
        // ... unless the pair shares several short phrases, which a sentence merely on the same topic does not.
        if (c.Seeds.Count == 1 && c.Seeds[0].Similarity < o.SingleSeedSimilarity
            && m.SharedTrigrams(c.Seeds[0].S, c.Seeds[0].R) < o.SingleSeedPhrases) return;

        // A passage resting on two sentence pairs or more, or on one nearly identical pair, may take in its
        // neighbours (one moderately similar pair is too little to extend from; in summary mode sentences do not
        // follow the source's order).
        if (!summary && o.NeighbourSimilarity > 0 && (c.Seeds.Count >= 2 || c.Seeds[0].Similarity >= o.NeighbourSingleSeedSimilarity))
        {
            CandidateExtender.GrowByNeighbours(m, c, held, o);
            (sStart, sEnd) = (susp.UnitCharStart[c.S0], susp.UnitCharEnd[c.S1]);
        }

        var (r0, r1) = summary ? (c.R0, c.R1) : BestSeedSourceUnits(c);
        (rStart, rEnd) = (src.UnitCharStart[r0], src.UnitCharEnd[r1]);
        // A block far shorter than the source that the whole source explains about as well as the part it matches
        // best draws on the whole source: it is a summary of it.
        int last = src.UnitCount - 1;
        if (sEnd - sStart <= o.WholeSourceRatio * (src.UnitCharEnd[last] - src.UnitCharStart[0])
            && m.WholeSourceCosine(c.S0, c.S1) >= o.WholeSourceShare * m.RangeCosine(c.S0, c.S1, r0, r1))
        {
            (rStart, rEnd) = (src.UnitCharStart[0], src.UnitCharEnd[last]);
            summary = true;
        }
        var kind = summary && (sEnd - sStart) <= o.SummaryRatio * (rEnd - rStart) ? PassageKind.Summary : PassageKind.Paraphrase;
        if (!summary)
        {
            (sStart, sEnd) = EdgeTrimmer.TrimSuspicious(m, c.S0, c.S1, r0, r1, o);
            (rStart, rEnd) = EdgeTrimmer.TrimSource(m, r0, r1, c.S0, c.S1, o);
        }
        var links = new List<SentenceLink>(c.Seeds.Count);
        foreach (var s in c.Seeds)
            links.Add(Link(susp, src, s));
        SortLinks(links);
        output.Add(new AlignedPassage(sStart, sEnd - sStart, rStart, rEnd - rStart, Math.Round(c.Similarity, 4), kind, links));
    }

    /// <summary>
    /// The source side of a paraphrase passage, in source units: it spans the best source match of each of its
    /// suspicious sentences, and other matches within two sentences of that span. Weaker seeds further away (a
    /// similar sentence elsewhere in the source on the same topic) say where else the words occur, not where the
    /// sentence came from.
    /// </summary>
    private const int BestSpanReach = 2;

    private static (int First, int Last) BestSeedSourceUnits(PassageCandidate c)
    {
        int r0 = int.MaxValue, r1 = -1;
        int k = 0;
        var seeds = c.Seeds;
        seeds.Sort(static (a, b) => a.S != b.S ? a.S.CompareTo(b.S) : b.Similarity != a.Similarity ? b.Similarity.CompareTo(a.Similarity) : a.R.CompareTo(b.R));
        while (k < seeds.Count)
        {
            var best = seeds[k];
            r0 = Math.Min(r0, best.R); r1 = Math.Max(r1, best.R);
            while (k < seeds.Count && seeds[k].S == best.S) k++;
        }
        // Other seeds right next to that span still count: the rewrite may have moved a clause across sentences.
        int e0 = r0, e1 = r1;
        foreach (var sd in seeds)
            if (sd.R >= r0 - BestSpanReach && sd.R <= r1 + BestSpanReach) { e0 = Math.Min(e0, sd.R); e1 = Math.Max(e1, sd.R); }
        return (e0, e1);
    }

    /// <summary>A candidate is verbatim when exact blocks cover at least half of it and the rest holds no
    /// strongly similar sentence of its own: the rest is then neighbouring text on the same topic (or the gap
    /// between two copies) that gap clustering pulled in. Lightly edited copies fail the second test, because
    /// their sentences without long exact runs are still strongly similar, and stay one paraphrase passage.</summary>
    private static bool IsVerbatim(AnalyzedDocument susp, PassageCandidate c, List<VerbatimBlock> inside, long covered, AlignmentOptions o)
    {
        // An edge unit that holds a block counts from the block on: a copy can start or end inside a long unit,
        // and the rest of that unit is not evidence of anything.
        int first = int.MaxValue, last = 0;
        long exact = 0, extent = 0;
        foreach (var b in inside)
        {
            first = Math.Min(first, b.S); last = Math.Max(last, b.SEnd);
            exact += b.Covered; extent += b.SEnd - b.S;
        }
        int firstUnit = UnitOf(susp, first), lastUnit = UnitOf(susp, last - 1);
        int start = firstUnit == c.S0 ? Math.Max(susp.UnitCharStart[c.S0], susp.TokenStart[first]) : susp.UnitCharStart[c.S0];
        int end = lastUnit == c.S1 ? Math.Min(susp.UnitCharEnd[c.S1], susp.TokenEnd[last - 1]) : susp.UnitCharEnd[c.S1];
        int total = susp.UnitCharEnd[c.S1] - susp.UnitCharStart[c.S0];
        // A copy that starts or ends inside a long unit must be nearly all exact from its first block to its last;
        // lightly edited text is only held to the looser share over whole units.
        bool wordForWord = firstUnit != lastUnit && end - start >= 2 * o.MinPassageChars
            && exact >= 0.95 * extent && covered >= 0.85 * (end - start);
        if (covered < o.VerbatimCoverage * total && !wordForWord) return false;
        long strongElsewhere = 0;
        int counted = -1;
        foreach (var seed in c.Seeds)
        {
            if (seed.S == counted || seed.Similarity < o.StrongSeed || seed.Similarity >= 1f) continue;
            if (Touches(susp, seed.S, inside)) continue;
            counted = seed.S;
            strongElsewhere += susp.UnitCharEnd[seed.S] - susp.UnitCharStart[seed.S];
        }
        return strongElsewhere <= o.VerbatimResidue * total;
    }

    private static bool Touches(AnalyzedDocument susp, int unit, List<VerbatimBlock> blocks)
    {
        int t0 = susp.UnitTokenStart[unit], t1 = susp.UnitTokenStart[unit + 1];
        foreach (var b in blocks)
            if (b.S < t1 && b.SEnd > t0) return true;
        return false;
    }

    private static SentenceLink Link(AnalyzedDocument susp, AnalyzedDocument src, Seed s)
    {
        int a = susp.UnitCharStart[s.S], b = susp.UnitCharEnd[s.S];
        int x = src.UnitCharStart[s.R], y = src.UnitCharEnd[s.R];
        return new SentenceLink(a, b - a, x, y - x, Math.Round(s.Similarity, 4));
    }

    private static void SortLinks(List<SentenceLink> links) =>
        links.Sort(static (p, q) => p.SuspiciousStart != q.SuspiciousStart ? p.SuspiciousStart.CompareTo(q.SuspiciousStart) : p.SourceStart.CompareTo(q.SourceStart));

    /// <summary>Reports the exact blocks of a verbatim candidate as passages spanning from the first block to the
    /// last, split wherever a whole unit between two blocks has no seed (two copies placed side by side, or a copy
    /// and unrelated text). Blocks of one copy that local rewording broke apart stay one passage.</summary>
    private static void EmitBlockGroups(AnalyzedDocument susp, AnalyzedDocument src, PassageCandidate c, List<VerbatimBlock> inside, List<AlignedPassage> output)
    {
        var seeded = new bool[c.S1 - c.S0 + 1];
        foreach (var seed in c.Seeds) seeded[seed.S - c.S0] = true;
        inside.Sort(static (a, b) => a.S != b.S ? a.S.CompareTo(b.S) : a.R.CompareTo(b.R));
        int g = 0;
        for (int k = 1; k <= inside.Count; k++)
        {
            bool split = k == inside.Count;
            if (!split)
            {
                int endUnit = UnitOf(susp, inside[k - 1].SEnd - 1), nextUnit = UnitOf(susp, inside[k].S);
                for (int u = Math.Max(endUnit + 1, c.S0); u < nextUnit && u <= c.S1 && !split; u++)
                    split = !seeded[u - c.S0];
                // Unrelated text between two pieces that continue each other in the source is an insertion
                // into one copy, not the boundary between two copies.
                if (split && ContinuesInSource(inside[k - 1], inside[k])) split = false;
            }
            if (!split) continue;
            output.Add(GroupPassage(susp, src, c.Seeds, inside, g, k));
            g = k;
        }
    }

    private static bool ContinuesInSource(VerbatimBlock a, VerbatimBlock b) => b.R >= a.REnd - 2 && b.R - a.REnd <= 10;

    /// <summary>One passage over blocks [from, to): extents of the blocks on both sides; verbatim when the blocks
    /// cover nearly all of it, otherwise a paraphrase whose edges are still exact.</summary>
    private static AlignedPassage GroupPassage(AnalyzedDocument susp, AnalyzedDocument src, List<Seed>? seeds, List<VerbatimBlock> blocks, int from, int to)
    {
        int s0 = int.MaxValue, s1 = 0, r0 = int.MaxValue, r1 = 0;
        long covered = 0;
        for (int k = from; k < to; k++)
        {
            var b = blocks[k];
            s0 = Math.Min(s0, b.S); s1 = Math.Max(s1, b.SEnd);
            r0 = Math.Min(r0, b.R); r1 = Math.Max(r1, b.REnd);
            covered += b.Covered;
        }
        int a = susp.TokenStart[s0], e = susp.TokenEnd[s1 - 1];
        int x = src.TokenStart[r0], y = src.TokenEnd[r1 - 1];
        double share = Math.Min(1.0, (double)covered / Math.Max(1, s1 - s0));
        var links = new List<SentenceLink>();
        int u0 = UnitOf(susp, s0), u1 = UnitOf(susp, s1 - 1);
        int v0 = UnitOf(src, r0), v1 = UnitOf(src, r1 - 1);
        if (seeds != null)
            foreach (var sd in seeds)
                if (sd.S >= u0 && sd.S <= u1 && sd.R >= v0 && sd.R <= v1) links.Add(Link(susp, src, sd));
        if (links.Count == 0) links.Add(new SentenceLink(a, e - a, x, y - x, 1.0));
        SortLinks(links);
        // Verbatim means word for word: nearly all covered, and the pieces in the same order on both sides.
        bool ordered = true;
        for (int k = from + 1; k < to && ordered; k++) ordered = ContinuesInSource(blocks[k - 1], blocks[k]) || blocks[k].R >= blocks[k - 1].REnd;
        var kind = share >= 0.9 && ordered ? PassageKind.Verbatim : PassageKind.Paraphrase;
        return new AlignedPassage(a, e - a, x, y - x, Math.Round(share, 4), kind, links);
    }

    /// <summary>Long exact blocks that no passage took up (e.g. a copied block inside one huge "sentence") become
    /// verbatim passages of their own.</summary>
    private static void AddUncoveredBlocks(AnalyzedDocument susp, AnalyzedDocument src, List<VerbatimBlock> blocks, List<AlignedPassage> passages, AlignmentOptions o)
    {
        int existing = passages.Count;
        foreach (var blk in blocks)
        {
            int a = susp.TokenStart[blk.S], b = susp.TokenEnd[blk.SEnd - 1];
            int x = src.TokenStart[blk.R], y = src.TokenEnd[blk.REnd - 1];
            if (b - a < o.MinPassageChars || y - x < o.MinPassageChars) continue;
            bool inside = false;
            for (int k = 0; k < existing; k++)
            {
                var p = passages[k];
                if (a < p.SuspiciousEnd && b > p.SuspiciousStart && x < p.SourceEnd && y > p.SourceStart) { inside = true; break; }
            }
            if (!inside) passages.Add(GroupPassage(susp, src, null, blocks, blocks.IndexOf(blk), blocks.IndexOf(blk) + 1));
        }
    }

    /// <summary>Every sentence of the passage is strongly similar to its source sentence: an edited copy.</summary>
    private static bool AllLinksStrong(AlignedPassage p, AlignmentOptions o)
    {
        foreach (var l in p.Links) if (l.Similarity < o.LooseNextToCopyLinkSimilarity) return false;
        return p.Links.Count > 0;
    }

    private static bool HoldsExactRun(AnalyzedDocument susp, List<VerbatimBlock> blocks, AlignedPassage p)
    {
        foreach (var b in blocks)
            if (susp.TokenStart[b.S] < p.SuspiciousEnd && susp.TokenEnd[b.SEnd - 1] > p.SuspiciousStart) return true;
        return false;
    }

    /// <summary>Keeps the best of passages that claim the same suspicious text, then drops short ones.</summary>
    private static List<AlignedPassage> Filter(List<AlignedPassage> passages, AlignmentOptions o, AnalyzedDocument susp, List<VerbatimBlock> blocks)
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
        // Source text that an exact copy already accounts for is not evidence for a second, looser passage: such a
        // passage is the copy's neighbourhood on the same topic matching the same source sentences again.
        kept.RemoveAll(p => p.Kind != PassageKind.Verbatim && kept.Any(v => v.Kind == PassageKind.Verbatim
            && 2 * (Math.Min(p.SourceEnd, v.SourceEnd) - Math.Max(p.SourceStart, v.SourceStart)) > p.SourceLength));
        // A pair with word-for-word copies is copy-and-paste reuse: next to them, a looser passage with no exact
        // run of its own must rest on more than a sentence or two of moderate similarity, or it is the copy's
        // topic showing elsewhere. (A lightly edited copy keeps exact runs, and stays.)
        if (kept.Exists(p => p.Kind == PassageKind.Verbatim && p.Score >= 0.99))
            kept.RemoveAll(p => p.Kind != PassageKind.Verbatim && p.Links.Count < o.LooseNextToCopyLinks && p.Score < o.LooseNextToCopyScore
                && !HoldsExactRun(susp, blocks, p) && !AllLinksStrong(p, o));
        AddSandwiched(passages, kept, o);
        kept.Sort(static (a, b) => a.SuspiciousStart != b.SuspiciousStart ? a.SuspiciousStart.CompareTo(b.SuspiciousStart) : a.SourceStart.CompareTo(b.SourceStart));
        return kept;
    }

    /// <summary>A passage too short to stand alone is kept when a strong sentence link carries it and it lies between
    /// two kept passages in the same order on both sides, nearly touching them on one side: the reuse around it vouches
    /// for it. Without this, a sentence that a paraphrase split into short pieces is found from the paraphrase's side
    /// (where it joins its neighbours) but not from the original's (where unreused sentences separate it from them).</summary>
    private static void AddSandwiched(List<AlignedPassage> passages, List<AlignedPassage> kept, AlignmentOptions o)
    {
        if (kept.Count < 2) return;
        int half = o.MinPassageChars / 2;
        var shortOnes = passages
            .Where(p => (p.SuspiciousLength < o.MinPassageChars || p.SourceLength < o.MinPassageChars)
                && p.SuspiciousLength >= half && p.SourceLength >= half
                && p.Links.Count > 0 && p.Links.Max(l => l.Similarity) >= o.NeighbourSingleSeedSimilarity)
            .OrderByDescending(p => p.Score * Math.Sqrt(p.SuspiciousLength + p.SourceLength))
            .ThenBy(p => p.SuspiciousStart).ThenBy(p => p.SourceStart)
            .ToList();
        if (shortOnes.Count == 0) return;
        var frame = kept.ToList();
        foreach (var p in shortOnes)
        {
            bool clash = false, before = false, after = false;
            foreach (var k in kept)
                if ((p.SuspiciousStart < k.SuspiciousEnd && p.SuspiciousEnd > k.SuspiciousStart)
                    || (p.SourceStart < k.SourceEnd && p.SourceEnd > k.SourceStart)) { clash = true; break; }
            if (clash) continue;
            // The nearest passages before and after it on both sides; on one side the three must nearly touch.
            int suspGapBefore = int.MaxValue, srcGapBefore = int.MaxValue, suspGapAfter = int.MaxValue, srcGapAfter = int.MaxValue;
            foreach (var k in frame)
            {
                if (k.SuspiciousEnd <= p.SuspiciousStart && k.SourceEnd <= p.SourceStart)
                {
                    before = true;
                    suspGapBefore = Math.Min(suspGapBefore, p.SuspiciousStart - k.SuspiciousEnd);
                    srcGapBefore = Math.Min(srcGapBefore, p.SourceStart - k.SourceEnd);
                }
                if (k.SuspiciousStart >= p.SuspiciousEnd && k.SourceStart >= p.SourceEnd)
                {
                    after = true;
                    suspGapAfter = Math.Min(suspGapAfter, k.SuspiciousStart - p.SuspiciousEnd);
                    srcGapAfter = Math.Min(srcGapAfter, k.SourceStart - p.SourceEnd);
                }
            }
            if (before && after && ((long)suspGapBefore + suspGapAfter <= o.MinPassageChars || (long)srcGapBefore + srcGapAfter <= o.MinPassageChars))
                kept.Add(p);
        }
    }
}

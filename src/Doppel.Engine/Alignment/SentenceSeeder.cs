using Doppel.Engine.Text;

namespace Doppel.Engine.Alignment;

/// <summary>
/// Seeding: every pair of units whose tf-isf cosine and Dice coefficient both pass the thresholds (short heading
/// lines excepted). Instead of
/// comparing all unit pairs, each suspicious unit walks the source's inverted list, so the cost is proportional
/// to the number of shared term occurrences.
/// </summary>
internal static class SentenceSeeder
{
    /// <summary>Posting visits that seeding may always make: no pair of ordinary documents (the largest PAN 2013
    /// pairs make a few million) comes near it.</summary>
    internal const long MinProbeBudget = 1L << 22;

    /// <summary>Beyond <see cref="MinProbeBudget"/>, visits allowed per term occurrence of the pair (both sides).</summary>
    internal const long ProbeBudgetPerPosting = 4;

    /// <summary>Finds the seeds of the pair; returns the posting visits made (at most <see cref="ProbeBudget"/>).
    /// <paramref name="progress"/> hears (units done, units) now and then on long documents.</summary>
    public static long FindSeeds(PairModel m, AlignmentOptions o, List<Seed> seeds, Action<int, int>? progress = null)
    {
        var susp = m.Susp;
        var src = m.Src;
        var sc = m.Scratch;
        sc.EnsureUnits(src.UnitCount);
        var dot = sc.Dot;
        var shared = sc.Shared;
        var touched = sc.Touched;
        var isf = sc.Isf;
        var first = sc.PostFirst;
        var count = sc.PostCount;
        var pUnit = src.PostingUnit;
        var pFreq = src.PostingFreq;
        var skipped = sc.ProbeSkipped;
        bool anySkipped = SkipFrequentTerms(m);
        var mark = sc.Mark;
        var skippedWeight = sc.TermVecA;
        var skippedHere = sc.SkippedInUnit;
        long visits = 0;

        for (int u = 0; u < susp.UnitCount; u++)
        {
            if (progress != null && (u & 4095) == 0) progress(u, susp.UnitCount);
            int lenU = m.SuspTermStart[u + 1] - m.SuspTermStart[u];
            if (lenU == 0 || m.SuspNorm[u] == 0) continue;
            if (lenU < o.HeadingSeedMinTerms && IsBareLine(susp, u)) continue;
            touched.Clear();
            int stamp = 0;
            for (int k = m.SuspTermStart[u]; k < m.SuspTermStart[u + 1]; k++)
            {
                int t = m.SuspTerms[k];
                int c = count[t];
                if (c == 0) continue;
                double w = m.SuspTermFreq[k] * isf[t] * isf[t];
                if (anySkipped && skipped[t])
                {
                    // Not probed with; it still counts, below, in every pair the other terms found.
                    if (stamp == 0) { stamp = sc.NextStamp(); skippedHere.Clear(); }
                    mark[t] = stamp;
                    skippedWeight[t] = w;
                    skippedHere.Add(t);
                    continue;
                }
                visits += c;
                for (int p = first[t], e = first[t] + c; p < e; p++)
                {
                    int j = pUnit[p];
                    if (shared[j] == 0) touched.Add(j);
                    shared[j]++;
                    dot[j] += PairModel.Fixed(w * pFreq[p]);
                }
            }
            foreach (int j in touched)
            {
                if (stamp != 0)
                    for (int k = src.UnitTermStart[j]; k < src.UnitTermStart[j + 1]; k++)
                    {
                        int t = src.UnitTerms[k];
                        if (mark[t] != stamp) continue;
                        shared[j]++;
                        dot[j] += PairModel.Fixed(skippedWeight[t] * src.UnitTermFreq[k]);
                    }
                int lenJ = src.UnitTermStart[j + 1] - src.UnitTermStart[j];
                if (lenJ < o.HeadingSeedMinTerms && IsBareLine(src, j))
                {
                    dot[j] = 0;
                    shared[j] = 0;
                    continue;
                }
                double dice = 2.0 * shared[j] / (lenU + lenJ);
                double nj = m.SrcNorm[j];
                double cos = nj == 0 ? 0 : (double)dot[j] / PairModel.FixedScale / (m.SuspNorm[u] * nj);
                if (cos > o.SeedCosine && dice > o.SeedDice)
                    seeds.Add(new Seed(u, j, (float)cos));
                else if (o.PhraseSeeds > 0 && cos > o.PhraseSeedCosine && m.SharedTrigrams(u, j) >= o.PhraseSeeds)
                    seeds.Add(new Seed(u, j, (float)cos));
                dot[j] = 0;
                shared[j] = 0;
            }
            if (stamp != 0)
                foreach (int t in skippedHere) skippedWeight[t] = 0;
        }
        touched.Clear();
        skippedHere.Clear();
        if (anySkipped)
            foreach (int t in sc.TouchedTerms) skipped[t] = false;
        progress?.Invoke(susp.UnitCount, susp.UnitCount);
        return visits;
    }

    /// <summary>The posting visits seeding may make for this pair: linear in the size of the pair.</summary>
    internal static long ProbeBudget(PairModel m) =>
        Math.Max(MinProbeBudget, ProbeBudgetPerPosting * (m.SuspTerms.LongLength + m.Src.UnitTerms.LongLength));

    /// <summary>
    /// Each suspicious unit walks the source's inverted list of each of its terms, so a term in c source units and
    /// in d suspicious units costs c × d visits: quadratic in the length of the documents for their common words (a
    /// self-compare of 10 MB spent three quarters of its time here). When the pair's visits would exceed
    /// <see cref="ProbeBudget"/>, the terms with the most visits stop being probed with, all of those above one
    /// count, so the rest fits the budget. They still count in the cosine and Dice of every unit pair that another
    /// shared term finds, exactly as before; only unit pairs that share nothing but such terms are not looked at.
    /// The choice depends on counts alone, not on term ids, so it is the same in every run. Returns whether any term
    /// is skipped (marked in <see cref="PairScratch.ProbeSkipped"/>).
    /// </summary>
    private static bool SkipFrequentTerms(PairModel m)
    {
        var sc = m.Scratch;
        var df = sc.DocFreq;
        var count = sc.PostCount;
        var terms = sc.TouchedTerms; // every term of the pair
        long total = 0;
        foreach (int t in terms) total += (long)count[t] * (df[t] - count[t]);
        long budget = ProbeBudget(m);
        if (total <= budget) return false;

        var visits = new long[terms.Count];
        for (int k = 0; k < terms.Count; k++) visits[k] = (long)count[terms[k]] * (df[terms[k]] - count[terms[k]]);
        Array.Sort(visits);
        // The largest per-term count whose terms, with every cheaper one, fit the budget; all dearer ones are skipped.
        long sum = 0, limit = -1;
        for (int k = 0; k < visits.Length; k++)
        {
            if (sum + visits[k] > budget) break;
            sum += visits[k];
            if (k + 1 == visits.Length || visits[k + 1] != visits[k]) limit = visits[k];
        }
        // Terms of equal cost are kept or skipped together: take back a partial group.
        var skipped = sc.ProbeSkipped;
        foreach (int t in terms)
            if ((long)count[t] * (df[t] - count[t]) > limit) skipped[t] = true;
        return true;
    }

    /// <summary>A unit that does not end in a full stop, question or exclamation mark: a heading, a title, a menu
    /// entry. With a few content words it names a topic (two pages on one disease share its name), which is no
    /// evidence that one sentence was made from the other.</summary>
    private static bool IsBareLine(AnalyzedDocument d, int u)
    {
        var text = d.Text.AsSpan(d.UnitCharStart[u], d.UnitCharEnd[u] - d.UnitCharStart[u]).TrimEnd();
        return text.Length == 0 || text[^1] is not ('.' or '!' or '?');
    }
}

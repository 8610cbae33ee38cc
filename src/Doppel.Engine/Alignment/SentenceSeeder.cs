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
    public static void FindSeeds(PairModel m, AlignmentOptions o, List<Seed> seeds)
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

        for (int u = 0; u < susp.UnitCount; u++)
        {
            int lenU = m.SuspTermStart[u + 1] - m.SuspTermStart[u];
            if (lenU == 0 || m.SuspNorm[u] == 0) continue;
            if (lenU < o.HeadingSeedMinTerms && IsBareLine(susp, u)) continue;
            touched.Clear();
            for (int k = m.SuspTermStart[u]; k < m.SuspTermStart[u + 1]; k++)
            {
                int t = m.SuspTerms[k];
                int c = count[t];
                if (c == 0) continue;
                double w = m.SuspTermFreq[k] * isf[t] * isf[t];
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
                else if (o.PhraseSeeds > 0 && cos > o.PhraseSeedCosine && PhraseOverlap.SharedTrigrams(susp, u, src, j) >= o.PhraseSeeds)
                    seeds.Add(new Seed(u, j, (float)cos));
                dot[j] = 0;
                shared[j] = 0;
            }
        }
        touched.Clear();
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

using Doppel.Engine.Text;

namespace Doppel.Engine.Alignment;

/// <summary>
/// How scholarly markup (<see cref="ScholarlyMarkup"/>: math, LaTeX commands, and in papers citations, headings,
/// the reference list and the front matter) weighs as evidence. Two papers of one field share notation, cited works
/// and headings without sharing a sentence, so markup neither seeds a passage nor carries one by itself; a formula
/// copied inside copied prose stays part of the copy (runs and blocks keep it, so passage offsets cover it).
/// Term vectors already leave markup out (<see cref="DocumentAnalyzer"/>); these rules cover exact runs and whole
/// passages.
/// </summary>
internal static class ScholarlyEvidence
{
    /// <summary>Largest share of markup tokens a passage may hold on either side.</summary>
    public const double MaxMarkupShare = 0.5;

    private static bool HasMarkup(AnalyzedDocument susp, AnalyzedDocument src) =>
        susp.MarkupTokenCount > 0 || src.MarkupTokenCount > 0;

    /// <summary>An exact run seeds only with at least half the minimum run length in prose words on both sides.</summary>
    public static bool RunSeeds(AnalyzedDocument susp, AnalyzedDocument src, VerbatimRun run, int minWords)
    {
        int need = (minWords + 1) / 2;
        return susp.ProseTokens(run.S, run.S + run.Length) >= need && src.ProseTokens(run.R, run.R + run.Length) >= need;
    }

    /// <summary>The runs that may seed (all of them when neither text has markup).</summary>
    public static List<VerbatimRun> SeedingRuns(AnalyzedDocument susp, AnalyzedDocument src, List<VerbatimRun> runs, int minWords)
    {
        if (!HasMarkup(susp, src)) return runs;
        return runs.FindAll(r => RunSeeds(susp, src, r, minWords));
    }

    /// <summary>Drops exact blocks without enough prose (a shared formula, a reference entry): such a block cannot
    /// stand as a passage or make one verbatim. A formula run next to copied prose merges into the prose's block
    /// and stays.</summary>
    public static void DropMarkupBlocks(AnalyzedDocument susp, AnalyzedDocument src, List<VerbatimBlock> blocks, int minWords)
    {
        if (!HasMarkup(susp, src)) return;
        int need = (minWords + 1) / 2;
        blocks.RemoveAll(b => susp.ProseTokens(b.S, b.SEnd) < need || src.ProseTokens(b.R, b.REnd) < need);
    }

    /// <summary>Drops passages whose text, on either side, is mostly markup. A formula is read as one word (it is a
    /// noun phrase of its sentence, however many tokens its commands make): a passage is mostly markup when its
    /// stretches of markup outnumber its prose words.</summary>
    public static void DropMarkupPassages(AnalyzedDocument susp, AnalyzedDocument src, List<AlignedPassage> passages)
    {
        if (!HasMarkup(susp, src)) return;
        passages.RemoveAll(p => MostlyMarkup(susp, p.SuspiciousStart, p.SuspiciousEnd) || MostlyMarkup(src, p.SourceStart, p.SourceEnd));
    }

    public static bool MostlyMarkup(AnalyzedDocument d, int start, int end)
    {
        if (d.MarkupTokenCount == 0) return false;
        var (t0, t1) = d.TokenRange(start, end);
        if (t1 <= t0) return false;
        int prose = 0, stretches = 0;
        for (int t = t0; t < t1; t++)
        {
            if (!d.IsMarkup[t]) prose++;
            else if (t == t0 || !d.IsMarkup[t - 1]) stretches++;
        }
        return stretches > MaxMarkupShare * (prose + stretches);
    }

    /// <summary>Every sentence link of the passage comes from an exact run (similarity 1).</summary>
    public static bool AllLinksExact(AlignedPassage p)
    {
        foreach (var l in p.Links) if (l.Similarity < 0.99) return false;
        return p.Links.Count > 0;
    }
}

using Doppel.Engine.Language;

namespace Doppel.Engine.Alignment;

/// <summary>
/// Per-thread working memory for aligning one pair: dense arrays indexed by term id or unit, reset after use by
/// walking only the entries that were touched. This keeps the hot loops free of dictionaries and allocations.
/// </summary>
internal sealed class PairScratch
{
    [ThreadStatic] private static PairScratch? _current;

    public static PairScratch Current => (_current ??= new PairScratch()).EnsureTerms(Lexicon.Count);

    public int[] DocFreq = [];
    public double[] Isf = [];
    public int[] PostFirst = [];
    public int[] PostCount = [];
    public double[] TermVecA = [];
    public double[] TermVecB = [];
    /// <summary>The whole source's summed tf-isf vector, built on first use for the current pair (see
    /// <see cref="PairModel.WholeSourceCosine"/>).</summary>
    public double[] WholeSource = [];
    public readonly List<int> WholeSourceTerms = new(1024);
    /// <summary>Seeding: fixed-point dot products of the current suspicious unit with each source unit.</summary>
    public Int128[] Dot = [];
    public int[] Shared = [];
    /// <summary>Synonym substitution of the current pair: term id + 1, 0 when not decided yet.</summary>
    public int[] Remap = [];
    public readonly List<int> RemapTouched = new(1024);
    /// <summary>Term marks of the current stamp (a mark equal to <see cref="MarkStamp"/> is set): a set over term ids
    /// that is emptied by moving to the next stamp, not by clearing.</summary>
    public int[] Mark = [];
    public int MarkStamp;
    /// <summary>Seeding: terms too frequent in the pair to probe the source's inverted list with (see
    /// <see cref="SentenceSeeder"/>).</summary>
    public bool[] ProbeSkipped = [];
    /// <summary>Seeding: the skipped terms of the current suspicious unit.</summary>
    public readonly List<int> SkippedInUnit = new(64);
    public readonly List<int> Touched = new(256);
    public readonly List<int> TouchedTerms = new(1024);

    private PairScratch EnsureTerms(int terms)
    {
        if (DocFreq.Length < terms)
        {
            int size = Math.Max(terms + terms / 2, 1 << 16);
            DocFreq = new int[size];
            Isf = new double[size];
            PostFirst = new int[size];
            PostCount = new int[size];
            TermVecA = new double[size];
            TermVecB = new double[size];
            WholeSource = new double[size];
            Remap = new int[size];
            Mark = new int[size];
            MarkStamp = 0;
            ProbeSkipped = new bool[size];
        }
        return this;
    }

    /// <summary>Starts a new, empty set of <see cref="Mark"/>s and returns its stamp.</summary>
    public int NextStamp()
    {
        if (++MarkStamp == int.MaxValue)
        {
            Array.Clear(Mark);
            MarkStamp = 1;
        }
        return MarkStamp;
    }

    public void EnsureUnits(int units)
    {
        if (Dot.Length < units)
        {
            int size = Math.Max(units * 2, 256);
            Dot = new Int128[size];
            Shared = new int[size];
        }
    }
}

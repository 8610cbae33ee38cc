using Doppel.Engine.Language;
using Doppel.Engine.Text;

namespace Doppel.Engine.Alignment;

/// <summary>
/// The tf-isf weighting of one document pair. Sentence frequencies are counted over the units of both documents
/// (as in Sanchez-Perez et al.), so a term common to the pair weighs little whatever the wider collection says.
/// Must be disposed to reset the shared scratch arrays.
/// </summary>
internal sealed class PairModel : IDisposable
{
    public readonly AnalyzedDocument Susp;
    public readonly AnalyzedDocument Src;
    public readonly PairScratch Scratch;
    private PhraseOverlap.Rows? _suspPhrases, _srcPhrases;

    /// <summary>The units' trigram rows for <see cref="PhraseOverlap"/>, made on first use (one for both sides when
    /// a document is compared with itself).</summary>
    public PhraseOverlap.Rows SuspPhrases => _suspPhrases ??= new PhraseOverlap.Rows(Susp);

    public PhraseOverlap.Rows SrcPhrases => _srcPhrases ??= ReferenceEquals(Src, Susp) ? SuspPhrases : new PhraseOverlap.Rows(Src);

    /// <summary>Distinct stem trigrams shared by suspicious unit <paramref name="s"/> and source unit
    /// <paramref name="r"/>.</summary>
    public int SharedTrigrams(int s, int r) => PhraseOverlap.SharedTrigrams(SuspPhrases, s, SrcPhrases, r);
    public readonly double[] SuspNorm;
    public readonly double[] SrcNorm;

    /// <summary>The suspicious side's unit term rows (CSR, as in <see cref="AnalyzedDocument"/>): the document's
    /// own, or with synonyms of source terms substituted when synonym matching is on.</summary>
    public readonly int[] SuspTermStart, SuspTerms, SuspTermFreq;

    public PairModel(AnalyzedDocument susp, AnalyzedDocument src, bool synonyms = false)
    {
        Susp = susp;
        Src = src;
        if (synonyms) Synonyms.Warm(); // its stems join the lexicon, so it must load before the scratch is sized
        Scratch = PairScratch.Current;

        // Inverted list of the source, addressed by term id.
        var first = Scratch.PostFirst;
        var count = Scratch.PostCount;
        var pt = src.PostingTerm;
        for (int k = 0; k < pt.Length; k++)
        {
            int t = pt[k];
            if (count[t]++ == 0) first[t] = k;
        }

        (SuspTermStart, SuspTerms, SuspTermFreq) = synonyms
            ? SubstituteSynonyms(susp, count, Scratch)
            : (susp.UnitTermStart, susp.UnitTerms, susp.UnitTermFreq);

        var df = Scratch.DocFreq;
        var touched = Scratch.TouchedTerms;
        touched.Clear();
        foreach (int t in SuspTerms) { if (df[t]++ == 0) touched.Add(t); }
        foreach (int t in src.UnitTerms) { if (df[t]++ == 0) touched.Add(t); }
        double n = susp.UnitCount + src.UnitCount;
        var isf = Scratch.Isf;
        foreach (int t in touched) isf[t] = Math.Log(n / df[t]);

        SuspNorm = Norms(SuspTermStart, SuspTerms, SuspTermFreq, susp.UnitCount, isf);
        SrcNorm = Norms(src.UnitTermStart, src.UnitTerms, src.UnitTermFreq, src.UnitCount, isf);
    }

    /// <summary>
    /// A suspicious term the source never uses is replaced by a related source term (a WordNet synonym; the one the
    /// source uses most), undoing synonym spinning. Terms the source shares are never touched,
    /// so the substitution only adds evidence where word choice differs. Returns the document's own rows when
    /// nothing changed.
    /// </summary>
    private static (int[], int[], int[]) SubstituteSynonyms(AnalyzedDocument d, int[] srcCount, PairScratch sc)
    {
        var remap = sc.Remap;
        var seen = sc.RemapTouched;
        seen.Clear();
        bool any = false;
        foreach (int t in d.UnitTerms)
        {
            if (remap[t] != 0) continue;
            seen.Add(t);
            int best = t, bestCount = srcCount[t];
            if (bestCount == 0)
                foreach (int r in Synonyms.Of(t))
                    if (srcCount[r] > bestCount) { best = r; bestCount = srcCount[r]; }
            remap[t] = best + 1;
            any |= best != t;
        }
        if (!any)
        {
            foreach (int t in seen) remap[t] = 0;
            return (d.UnitTermStart, d.UnitTerms, d.UnitTermFreq);
        }

        var start = new int[d.UnitCount + 1];
        var terms = new int[d.UnitTerms.Length];
        var freq = new int[d.UnitTerms.Length];
        int w = 0;
        for (int u = 0; u < d.UnitCount; u++)
        {
            start[u] = w;
            for (int k = d.UnitTermStart[u]; k < d.UnitTermStart[u + 1]; k++)
            {
                int t = remap[d.UnitTerms[k]] - 1;
                int at = Array.IndexOf(terms, t, start[u], w - start[u]); // rows are short: a scan beats a set
                if (at >= 0) freq[at] += d.UnitTermFreq[k];
                else { terms[w] = t; freq[w] = d.UnitTermFreq[k]; w++; }
            }
        }
        start[d.UnitCount] = w;
        foreach (int t in seen) remap[t] = 0;
        return (start, terms[..w], freq[..w]);
    }

    private static double[] Norms(int[] start, int[] terms, int[] freq, int units, double[] isf)
    {
        var norms = new double[units];
        for (int u = 0; u < units; u++)
        {
            Int128 s = 0;
            for (int k = start[u]; k < start[u + 1]; k++)
            {
                double w = freq[k] * isf[terms[k]];
                s += Fixed(w * w);
            }
            norms[u] = Math.Sqrt((double)s / FixedScale);
        }
        return norms;
    }

    /// <summary>Fixed-point scale for order-independent sums (2^40: products far below 1 keep about 12 digits, and
    /// sums over a whole long document stay far from overflow).</summary>
    internal const double FixedScale = 1L << 40;

    /// <summary>A non-negative product in fixed point, so that sums of them do not depend on their order.</summary>
    internal static Int128 Fixed(double x) => (Int128)(x * FixedScale);

    /// <summary>Adds the tf-isf vectors of suspicious units [s0, s1] into <paramref name="a"/> (all zero before),
    /// listing each term met in <paramref name="terms"/>. Terms with zero weight (in every unit of both documents)
    /// add nothing, so they are skipped; every other weight is positive, which lets a zero slot mean "not touched
    /// yet".</summary>
    private void SumSuspicious(int s0, int s1, double[] a, List<int> terms)
    {
        var isf = Scratch.Isf;
        for (int k = SuspTermStart[s0]; k < SuspTermStart[s1 + 1]; k++)
        {
            int t = SuspTerms[k];
            double w = SuspTermFreq[k] * isf[t];
            if (w == 0) continue;
            if (a[t] == 0) terms.Add(t);
            a[t] += w;
        }
    }

    /// <summary>Cosine of the summed tf-isf vectors of unit ranges [s0, s1] and [r0, r1] (inclusive).</summary>
    public double RangeCosine(int s0, int s1, int r0, int r1)
    {
        var a = Scratch.TermVecA;
        var b = Scratch.TermVecB;
        var isf = Scratch.Isf;
        var terms = Scratch.Touched;
        terms.Clear();
        SumSuspicious(s0, s1, a, terms);
        for (int k = Src.UnitTermStart[r0]; k < Src.UnitTermStart[r1 + 1]; k++)
        {
            int t = Src.UnitTerms[k];
            double w = Src.UnitTermFreq[k] * isf[t];
            if (w == 0) continue;
            if (a[t] == 0 && b[t] == 0) terms.Add(t);
            b[t] += w;
        }
        // Summed in fixed point: term ids (and so the order of this loop) depend on the order documents were first
        // read, and a floating-point sum in another order can differ in its last bit and flip a threshold.
        Int128 dot = 0, na = 0, nb = 0;
        foreach (int t in terms)
        {
            dot += Fixed(a[t] * b[t]);
            na += Fixed(a[t] * a[t]);
            nb += Fixed(b[t] * b[t]);
            a[t] = 0;
            b[t] = 0;
        }
        terms.Clear();
        return na == 0 || nb == 0 ? 0 : (double)dot / Math.Sqrt((double)na * (double)nb);
    }

    private bool _wholeSourceBuilt;
    private Int128 _wholeSourceNorm2;

    /// <summary>
    /// <see cref="RangeCosine"/> of suspicious units [s0, s1] with the whole source, bit for bit, without summing the
    /// source again on every call: the summary detector scores every window of the suspicious text against the whole
    /// source, which would otherwise cost the source's length per window.
    /// </summary>
    public double WholeSourceCosine(int s0, int s1)
    {
        var b = Scratch.WholeSource;
        var isf = Scratch.Isf;
        if (!_wholeSourceBuilt)
        {
            var bt = Scratch.WholeSourceTerms;
            for (int k = 0; k < Src.UnitTerms.Length; k++)
            {
                int t = Src.UnitTerms[k];
                double w = Src.UnitTermFreq[k] * isf[t];
                if (w == 0) continue;
                if (b[t] == 0) bt.Add(t);
                b[t] += w;
            }
            foreach (int t in bt) _wholeSourceNorm2 += Fixed(b[t] * b[t]);
            _wholeSourceBuilt = true;
        }
        var a = Scratch.TermVecA;
        var terms = Scratch.Touched;
        terms.Clear();
        SumSuspicious(s0, s1, a, terms);
        Int128 dot = 0, na = 0;
        foreach (int t in terms)
        {
            dot += Fixed(a[t] * b[t]);
            na += Fixed(a[t] * a[t]);
            a[t] = 0;
        }
        terms.Clear();
        return na == 0 || _wholeSourceNorm2 == 0 ? 0 : (double)dot / Math.Sqrt((double)na * (double)_wholeSourceNorm2);
    }

    public void Dispose()
    {
        var whole = Scratch.WholeSource;
        foreach (int t in Scratch.WholeSourceTerms) whole[t] = 0;
        Scratch.WholeSourceTerms.Clear();
        var df = Scratch.DocFreq;
        foreach (int t in Scratch.TouchedTerms) df[t] = 0;
        Scratch.TouchedTerms.Clear();
        var count = Scratch.PostCount;
        foreach (int t in Src.PostingTerm) count[t] = 0;
    }
}

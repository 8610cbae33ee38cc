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
    public readonly double[] SuspNorm;
    public readonly double[] SrcNorm;

    public PairModel(AnalyzedDocument susp, AnalyzedDocument src)
    {
        Susp = susp;
        Src = src;
        Scratch = PairScratch.Current;
        var df = Scratch.DocFreq;
        var touched = Scratch.TouchedTerms;
        touched.Clear();
        foreach (int t in susp.UnitTerms) { if (df[t]++ == 0) touched.Add(t); }
        foreach (int t in src.UnitTerms) { if (df[t]++ == 0) touched.Add(t); }
        double n = susp.UnitCount + src.UnitCount;
        var isf = Scratch.Isf;
        foreach (int t in touched) isf[t] = Math.Log(n / df[t]);

        SuspNorm = Norms(susp, isf);
        SrcNorm = Norms(src, isf);

        // Inverted list of the source, addressed by term id.
        var first = Scratch.PostFirst;
        var count = Scratch.PostCount;
        var pt = src.PostingTerm;
        for (int k = 0; k < pt.Length; k++)
        {
            int t = pt[k];
            if (count[t]++ == 0) first[t] = k;
        }
    }

    private static double[] Norms(AnalyzedDocument d, double[] isf)
    {
        var norms = new double[d.UnitCount];
        for (int u = 0; u < d.UnitCount; u++)
        {
            double s = 0;
            for (int k = d.UnitTermStart[u]; k < d.UnitTermStart[u + 1]; k++)
            {
                double w = d.UnitTermFreq[k] * isf[d.UnitTerms[k]];
                s += w * w;
            }
            norms[u] = Math.Sqrt(s);
        }
        return norms;
    }

    /// <summary>Cosine of the summed tf-isf vectors of unit ranges [s0, s1] and [r0, r1] (inclusive).</summary>
    public double RangeCosine(int s0, int s1, int r0, int r1)
    {
        var a = Scratch.TermVecA;
        var b = Scratch.TermVecB;
        var isf = Scratch.Isf;
        var terms = Scratch.Touched;
        terms.Clear();
        for (int k = Susp.UnitTermStart[s0]; k < Susp.UnitTermStart[s1 + 1]; k++)
        {
            int t = Susp.UnitTerms[k];
            if (a[t] == 0 && b[t] == 0) terms.Add(t);
            a[t] += Susp.UnitTermFreq[k] * isf[t] + 1e-300; // tiny bias marks the slot as touched even when isf is 0
        }
        for (int k = Src.UnitTermStart[r0]; k < Src.UnitTermStart[r1 + 1]; k++)
        {
            int t = Src.UnitTerms[k];
            if (a[t] == 0 && b[t] == 0) terms.Add(t);
            b[t] += Src.UnitTermFreq[k] * isf[t] + 1e-300;
        }
        double dot = 0, na = 0, nb = 0;
        foreach (int t in terms)
        {
            dot += a[t] * b[t];
            na += a[t] * a[t];
            nb += b[t] * b[t];
            a[t] = 0;
            b[t] = 0;
        }
        terms.Clear();
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    public void Dispose()
    {
        var df = Scratch.DocFreq;
        foreach (int t in Scratch.TouchedTerms) df[t] = 0;
        Scratch.TouchedTerms.Clear();
        var count = Scratch.PostCount;
        foreach (int t in Src.PostingTerm) count[t] = 0;
    }
}

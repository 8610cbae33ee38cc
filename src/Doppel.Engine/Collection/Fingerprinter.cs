using Doppel.Engine.Fingerprints;
using Doppel.Engine.Text;

namespace Doppel.Engine.Collection;

/// <summary>The fingerprints of one document in text order: the hash of each run of n consecutive content-word
/// stems, and the tokens it spans (first and last content word, stopwords between them included).</summary>
public sealed class DocumentFingerprints
{
    public static readonly DocumentFingerprints Empty = new([], [], []);

    public ulong[] Hash { get; }
    public int[] FirstToken { get; }
    public int[] LastToken { get; }

    public DocumentFingerprints(ulong[] hash, int[] first, int[] last)
    {
        Hash = hash;
        FirstToken = first;
        LastToken = last;
    }

    public int Count => Hash.Length;

    /// <summary>Distinct hashes, with the given extra ones (sentence signatures), sorted.</summary>
    public ulong[] Distinct(ulong[]? extra = null)
    {
        var h = extra == null ? (ulong[])Hash.Clone() : [.. Hash, .. extra];
        Array.Sort(h);
        int n = 0;
        for (int i = 0; i < h.Length; i++)
            if (n == 0 || h[n - 1] != h[i]) h[n++] = h[i];
        return h[..n];
    }
}

/// <summary>
/// Hashed n-grams of stemmed content words. Stems make the fingerprints survive inflection changes, skipping
/// stopwords makes them survive small function-word edits; both are what light rewording touches first.
/// </summary>
public static class Fingerprinter
{
    /// <summary>Sentence signatures per unit (sentence) with at least this many distinct content stems.</summary>
    public const int SignatureMinTerms = 4;
    private const int SignatureHashes = 3;

    /// <summary>
    /// Sentence signatures: for each unit, under each of three hash orders of the stems, the two smallest
    /// stems of its set, hashed together (a bottom-2 MinHash sketch). Two sentences with the same content words in
    /// any order and with some of them replaced still share a signature with good probability (about J² per hash
    /// order for Jaccard similarity J), so word-shuffled and synonym-spun copies, whose word trigrams do not
    /// survive, still propose their pair. Used for candidates only, never to mark template or common text.
    /// </summary>
    /// <param name="stemKeys">A key per stem id that does not depend on the order ids were handed out in
    /// (see <see cref="StemKeys"/>): the sketch orders stems by hash, and ids differ from run to run.</param>
    public static ulong[] Signatures(AnalyzedDocument d, ulong[] stemKeys)
    {
        var result = new List<ulong>(d.UnitCount * SignatureHashes);
        for (int u = 0; u < d.UnitCount; u++)
        {
            int from = d.UnitTermStart[u], to = d.UnitTermStart[u + 1];
            if (to - from < SignatureMinTerms) continue;
            for (int k = 0; k < SignatureHashes; k++)
            {
                ulong seed = 0xA5A5_0000UL + (ulong)k;
                ulong m1 = ulong.MaxValue, m2 = ulong.MaxValue;
                for (int i = from; i < to; i++)
                {
                    ulong h = Hash64.Combine(seed, stemKeys[d.UnitTerms[i]]);
                    if (h < m1) { m2 = m1; m1 = h; }
                    else if (h < m2) m2 = h;
                }
                result.Add(Hash64.Combine(Hash64.Combine(seed, m1), m2));
            }
        }
        return result.ToArray();
    }

    /// <summary>For each stem id, the smallest hash of a surface form of it found in the documents: the same
    /// whatever order the documents were analysed in.</summary>
    public static ulong[] StemKeys(IEnumerable<AnalyzedDocument> documents)
    {
        var keys = new ulong[Doppel.Engine.Language.Lexicon.Count];
        Array.Fill(keys, ulong.MaxValue);
        foreach (var d in documents)
            for (int t = 0; t < d.TokenCount; t++)
            {
                int id = d.StemId[t];
                if (id >= keys.Length) Array.Resize(ref keys, Math.Max(id + 1, keys.Length * 2));
                if (d.WordHash[t] < keys[id]) keys[id] = d.WordHash[t];
            }
        return keys;
    }

    public static DocumentFingerprints Compute(AnalyzedDocument d, int n)
    {
        int content = 0;
        for (int t = 0; t < d.TokenCount; t++) if (!d.IsStopword[t]) content++;
        if (content < n) return DocumentFingerprints.Empty;
        var pos = new int[content];
        var stems = new int[content];
        int c = 0;
        for (int t = 0; t < d.TokenCount; t++)
            if (!d.IsStopword[t]) { pos[c] = t; stems[c++] = d.StemId[t]; }
        int m = content - n + 1;
        var hash = new ulong[m];
        var first = new int[m];
        var last = new int[m];
        for (int k = 0; k < m; k++)
        {
            hash[k] = Hash64.OfIds(stems.AsSpan(k, n));
            first[k] = pos[k];
            last[k] = pos[k + n - 1];
        }
        return new DocumentFingerprints(hash, first, last);
    }
}

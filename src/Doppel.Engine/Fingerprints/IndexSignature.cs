using Doppel.Engine.Language;
using Doppel.Engine.Text;

namespace Doppel.Engine.Fingerprints;

/// <summary>What kind of evidence an index key carries; the kind is the lowest bit of the key.</summary>
public enum IndexKeyKind
{
    /// <summary>A content stem: survives synonyms elsewhere in the sentence, reordering, translation round trips and
    /// summaries (which keep the rare words of their source).</summary>
    Term = 0,
    /// <summary>Two neighbouring content stems in either order, winnowed: specific evidence of shared wording that
    /// survives stopword changes, inflection, local swaps and insertions of stopwords.</summary>
    Pair = 1,
}

/// <summary>A key and the token it was taken at (the first token of a pair).</summary>
public readonly record struct PositionedKey(long Key, int Token);

/// <summary>
/// The keys under which a document is indexed and by which a document is queried: the content stems and the
/// winnowed, order-free pairs of neighbouring content stems (stopwords skipped). Keys are stable across processes
/// (they hash the stem text, not the per-process term ids): positive 63-bit integers with the kind in the lowest bit.
/// </summary>
public static class IndexSignature
{
    /// <summary>Winnowing window over the content-stem pairs: keeps about half of them; any run of three shared
    /// pairs (four content words in a row) is still found.</summary>
    public const int PairWindow = 3;

    private const ulong TermSalt = 0x5445524D5F4B4559UL;
    private const ulong PairSalt = 0x504149525F4B4559UL;

    public static IndexKeyKind KindOf(long key) => (IndexKeyKind)(key & 1);

    /// <summary>The distinct keys of a document, sorted ascending (what the index stores).</summary>
    public static long[] Keys(AnalyzedDocument doc)
    {
        var keys = new HashSet<long>();
        foreach (var k in PositionedKeys(doc)) keys.Add(k.Key);
        var result = keys.ToArray();
        Array.Sort(result);
        return result;
    }

    /// <summary>Every key occurrence with its token, in token order (what a query is scored with, window by window).</summary>
    /// <param name="pairWindow">Winnowing window for the pairs: <see cref="PairWindow"/> for what is stored; a query
    /// may pass 1 to keep every pair, a superset that also meets stored pairs its own winnowing would have missed.</param>
    public static List<PositionedKey> PositionedKeys(AnalyzedDocument doc, int pairWindow = PairWindow)
    {
        var stemHashes = Lexicon.StemHashes();
        var content = new ulong[doc.TokenCount];
        var position = new int[doc.TokenCount];
        int n = 0;
        for (int t = 0; t < doc.TokenCount; t++)
        {
            if (doc.IsStopword[t]) continue;
            content[n] = stemHashes[doc.StemId[t]];
            position[n++] = t;
        }

        var result = new List<PositionedKey>(n * 2);
        var pairs = new ulong[Math.Max(0, n - 1)];
        for (int i = 0; i + 1 < n; i++)
        {
            ulong a = content[i], b = content[i + 1];
            if (a > b) (a, b) = (b, a);
            pairs[i] = Hash64.Combine(Hash64.Combine(PairSalt, a), b);
        }
        var selected = new List<int>(pairs.Length);
        Winnowing.Select(pairs, pairWindow, selected);
        int next = 0;
        for (int i = 0; i < n; i++)
        {
            result.Add(new PositionedKey(ToKey(Hash64.Combine(TermSalt, content[i]), IndexKeyKind.Term), position[i]));
            if (next < selected.Count && selected[next] == i)
            {
                result.Add(new PositionedKey(ToKey(pairs[i], IndexKeyKind.Pair), position[i]));
                next++;
            }
        }
        return result;
    }

    private static long ToKey(ulong hash, IndexKeyKind kind) => (long)((hash >> 2) << 1) | (long)kind;
}

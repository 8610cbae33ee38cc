using System.IO.Compression;
using Doppel.Engine.Fingerprints;

namespace Doppel.Engine.Language;

/// <summary>
/// Which content stems may stand for one another: WordNet synonyms (shared synsets, similar adjectives), mapped to the
/// lexicon's stem ids. Built once per process from the table in Language/Data (derived from WordNet 3.0, licence in
/// Language/Data/WORDNET-LICENSE; regenerate with tools/Doppel.SynonymTable). Thread-safe after the first use.
/// </summary>
public static class Synonyms
{
    private static readonly Lazy<Table> Shared = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private sealed class Table(int[] start, int[] related)
    {
        public readonly int[] Start = start;     // related stems of id t: Related[Start[t]..Start[t+1]]
        public readonly int[] Related = related;
    }

    /// <summary>Stem ids related to <paramref name="stemId"/> (never itself, never a stopword), in an order that is the
    /// same in every run.</summary>
    public static ReadOnlySpan<int> Of(int stemId)
    {
        var t = Shared.Value;
        if ((uint)stemId + 1 >= (uint)t.Start.Length) return [];
        return t.Related.AsSpan(t.Start[stemId], t.Start[stemId + 1] - t.Start[stemId]);
    }

    /// <summary>Loads the table now (so timing of the first pair does not include it).</summary>
    public static void Warm() => _ = Shared.Value;

    private static Table Load()
    {
        using var stream = typeof(Synonyms).Assembly.GetManifestResourceStream("Doppel.Engine.Language.Data.synonyms.tsv.gz")
            ?? throw new InvalidOperationException("the synonym table is missing from the engine assembly");
        using var reader = new StreamReader(new GZipStream(stream, CompressionMode.Decompress));
        // Related stems are kept in stem-hash order, not id order: ids depend on which thread met a word first,
        // and callers that break ties by taking the first related stem must do so the same way in every run.
        var pairs = new List<(int, ulong, int)>(1 << 20);
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            int tab = line.IndexOf('\t');
            if (tab <= 0) continue;
            int a = StemOf(line.AsSpan(0, tab), out _);
            if (a < 0) continue;
            foreach (var range in line.AsSpan(tab + 1).Split(' '))
            {
                int b = StemOf(line.AsSpan(tab + 1)[range], out ulong hash);
                if (b >= 0 && b != a) pairs.Add((a, hash, b));
            }
        }
        pairs.Sort();
        int count = Lexicon.Count;
        var start = new int[count + 1];
        var related = new List<int>(pairs.Count);
        int p = 0;
        for (int t = 0; t < count; t++)
        {
            start[t] = related.Count;
            int last = -1;
            for (; p < pairs.Count && pairs[p].Item1 == t; p++)
                if (pairs[p].Item3 != last) related.Add(last = pairs[p].Item3);
        }
        start[count] = related.Count;
        return new Table(start, [.. related]);
    }

    private static int StemOf(ReadOnlySpan<char> word, out ulong stemHash)
    {
        stemHash = 0;
        if (word.IsEmpty || word.Length > 64) return -1;
        int id = Lexicon.Lookup(word, Hash64.Of(word), out bool stop);
        stemHash = Lexicon.StemHash(id);
        return stop ? -1 : id;
    }
}

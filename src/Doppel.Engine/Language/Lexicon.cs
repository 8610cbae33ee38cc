using System.Collections.Concurrent;
using Doppel.Engine.Fingerprints;

namespace Doppel.Engine.Language;

/// <summary>
/// Process-wide table of stems with dense integer ids, so that per-pair work can use plain arrays indexed by
/// term id instead of dictionaries. Each thread keeps a cache from word hash to (stem id, stopword flag), so a
/// word is stemmed once per thread, not once per occurrence.
/// </summary>
public static class Lexicon
{
    private static readonly ConcurrentDictionary<ulong, int> StemIds = new();
    private static int _count;
    private static ulong[] _stemHashes = new ulong[1 << 16];
    private static readonly Lock HashesLock = new();

    [ThreadStatic] private static Dictionary<ulong, int>? _wordCache;

    /// <summary>Upper bound (exclusive) of the term ids handed out so far.</summary>
    public static int Count => Volatile.Read(ref _count);

    /// <summary>Id of the stem of a lowercased word, and whether the word is a stopword.</summary>
    public static int Lookup(ReadOnlySpan<char> lowercaseWord, ulong wordHash, out bool isStopword)
    {
        var cache = _wordCache ??= new Dictionary<ulong, int>(1 << 16);
        if (!cache.TryGetValue(wordHash, out int packed))
        {
            bool stop = Stopwords.IsStopword(lowercaseWord);
            int id = IdOf(lowercaseWord.Length <= 64 ? HashOfStem(lowercaseWord) : wordHash);
            packed = (id << 1) | (stop ? 1 : 0);
            cache[wordHash] = packed;
        }
        isStopword = (packed & 1) != 0;
        return packed >> 1;
    }

    /// <summary>Hash of the stem of a lowercased word of at most 64 chars.</summary>
    private static ulong HashOfStem(ReadOnlySpan<char> lowercaseWord)
    {
        Span<char> buf = stackalloc char[64];
        int n = EnglishStemmer.Stem(lowercaseWord, buf);
        return Hash64.Of(buf[..n]);
    }

    /// <summary>Dense id of a stem hash (ids may have gaps under contention, never duplicates).</summary>
    public static int IdOf(ulong stemHash)
    {
        if (StemIds.TryGetValue(stemHash, out int id)) return id;
        return StemIds.GetOrAdd(stemHash, static h =>
        {
            int id = Interlocked.Increment(ref _count) - 1;
            lock (HashesLock)
            {
                if (id >= _stemHashes.Length) Array.Resize(ref _stemHashes, Math.Max(id + 1, _stemHashes.Length * 2));
                _stemHashes[id] = h;
            }
            return id;
        });
    }

    /// <summary>The stem hash behind a term id: ids are per process, hashes are stable across processes (the
    /// reference index stores hashes).</summary>
    public static ulong StemHash(int id) => StemHashes()[id];

    /// <summary>The id-to-hash table as it stands: it covers every id handed out before the call, so a caller
    /// can index it directly in a loop over an analysed document.</summary>
    public static ulong[] StemHashes()
    {
        lock (HashesLock) return _stemHashes;
    }
}

using System.Runtime.CompilerServices;

namespace Doppel.Engine.Fingerprints;

/// <summary>
/// Fast 64-bit hashing of words and word sequences. Words are identified by their hash everywhere in the
/// engine, so no string is allocated per token; at 64 bits collisions are negligible for any real vocabulary.
/// </summary>
public static class Hash64
{
    private const ulong Seed = 0x9E3779B97F4A7C15UL;
    private const ulong Prime = 0x100000001B3UL;

    /// <summary>Hash of a span of characters (used for normalised, lowercased word forms).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Of(ReadOnlySpan<char> text)
    {
        ulong h = Seed;
        foreach (char c in text)
            h = (h ^ c) * Prime;
        return Mix(h ^ (ulong)text.Length);
    }

    /// <summary>An n-gram of dense ids (stem ids): small dense integers are each mixed before combining, or (a, b)
    /// and (a + 1, b - 31) would collide (<see cref="Combine"/> is linear in its inputs before its final mix).</summary>
    public static ulong OfIds(ReadOnlySpan<int> ids)
    {
        ulong h = Mix((ulong)ids[0] + 1);
        for (int j = 1; j < ids.Length; j++) h = Combine(h, Mix((ulong)ids[j] + 1));
        return h;
    }

    /// <summary>Order-dependent combination, for n-gram fingerprints.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Combine(ulong h, ulong value) => Mix(h * 31 + value + Seed);

    /// <summary>Final avalanche (MurmurHash3 fmix64) so low bits are usable for bucketing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong k)
    {
        k ^= k >> 33;
        k *= 0xFF51AFD7ED558CCDUL;
        k ^= k >> 33;
        k *= 0xC4CEB9FE1A85EC53UL;
        k ^= k >> 33;
        return k;
    }
}

namespace Doppel.Engine.Collection;

/// <summary>
/// Which tokens of a document are template text (from an excluded file) or common material (found in a large
/// share of the collection). Prefix sums answer "how many excluded words in tokens [a, b)" in constant time.
/// </summary>
public sealed class ExclusionMask
{
    /// <summary>0 = counts, 1 = template, 2 = common material.</summary>
    public byte[] Kind { get; }
    private readonly int[] _prefix;

    public ExclusionMask(byte[] kind)
    {
        Kind = kind;
        _prefix = new int[kind.Length + 1];
        for (int i = 0; i < kind.Length; i++) _prefix[i + 1] = _prefix[i] + (kind[i] != 0 ? 1 : 0);
    }

    public int Excluded(int from, int to) => _prefix[Math.Min(to, Kind.Length)] - _prefix[Math.Max(0, from)];

    public int Count(byte kind)
    {
        int n = 0;
        foreach (byte k in Kind) if (k == kind) n++;
        return n;
    }
}

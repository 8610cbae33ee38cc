namespace Doppel.Engine.Text;

/// <summary>
/// Text prepared for matching, with a map back to the original. Every normalised character
/// <c>k</c> came from the original characters <c>[OriginalStart[k], OriginalEnd[k])</c>, so any span found
/// on the normalised text maps back exactly, even where mojibake repair turned three characters into one.
/// </summary>
public sealed class NormalizedText
{
    internal NormalizedText(string original, char[] chars, int[] originalStart, int[] originalEnd, int length)
    {
        Original = original;
        Chars = chars;
        OriginalStart = originalStart;
        OriginalEnd = originalEnd;
        Length = length;
    }

    public string Original { get; }
    internal char[] Chars { get; }
    internal int[] OriginalStart { get; }
    internal int[] OriginalEnd { get; }
    public int Length { get; }

    public ReadOnlySpan<char> Span => Chars.AsSpan(0, Length);

    public override string ToString() => new(Chars, 0, Length);

    /// <summary>Maps the normalised span [start, end) to the original span it came from.</summary>
    public (int Start, int End) ToOriginal(int start, int end)
    {
        if (start >= end)
        {
            int at = start < Length ? OriginalStart[start] : Original.Length;
            return (at, at);
        }
        return (OriginalStart[start], OriginalEnd[end - 1]);
    }
}

namespace Doppel.Cli;

/// <summary>PAN counts characters as Unicode code points; .NET strings count UTF-16 units. They differ only
/// where a text holds characters outside the Basic Multilingual Plane.</summary>
internal static class Offsets
{
    public static (int Offset, int Length) ToCodePoints(string text, int start, int length)
    {
        int before = Surrogates(text, 0, start);
        int inside = Surrogates(text, start, start + length);
        return (start - before, length - inside);
    }

    private static int Surrogates(string text, int from, int to)
    {
        int n = 0;
        for (int i = from; i < to && i < text.Length; i++)
            if (char.IsLowSurrogate(text[i])) n++;
        return n;
    }
}

namespace Doppel.Engine.Fingerprints;

/// <summary>
/// Winnowing (Schleimer, Wilkerson and Aiken, SIGMOD 2003): from every window of <c>w</c> consecutive hashes keep
/// the smallest (rightmost on ties). Any run of at least <c>w</c> hashes shared by two sequences yields at least one
/// shared selected hash, while only about 2/(w+1) of the hashes are kept.
/// </summary>
public static class Winnowing
{
    /// <summary>Appends the positions of the selected hashes of <paramref name="hashes"/> to
    /// <paramref name="selected"/>, ascending, each once. Sequences shorter than the window keep their minimum.</summary>
    public static void Select(ReadOnlySpan<ulong> hashes, int window, List<int> selected)
    {
        if (hashes.Length == 0) return;
        if (window <= 1)
        {
            for (int i = 0; i < hashes.Length; i++) selected.Add(i);
            return;
        }
        int w = Math.Min(window, hashes.Length);
        int lastPos = -1;
        for (int start = 0; start + w <= hashes.Length; start++)
        {
            int min = start;
            for (int i = start + 1; i < start + w; i++)
                if (hashes[i] <= hashes[min]) min = i;
            if (min != lastPos)
            {
                selected.Add(min);
                lastPos = min;
            }
        }
    }
}

namespace Doppel.Engine.Fingerprints;

/// <summary>
/// Winnowing (Schleimer, Wilkerson and Aiken, SIGMOD 2003): from every window of <c>w</c> consecutive hashes keep
/// the smallest (rightmost on ties). Any run of at least <c>w</c> hashes shared by two sequences yields at least one
/// shared selected hash, while only about 2/(w+1) of the hashes are kept.
/// </summary>
public static class Winnowing
{
    /// <summary>Appends the selected hashes of <paramref name="hashes"/> to <paramref name="selected"/>, each
    /// selected position once. Sequences shorter than the window keep their minimum.</summary>
    public static void Select(ReadOnlySpan<ulong> hashes, int window, List<ulong> selected)
    {
        if (hashes.Length == 0) return;
        if (window <= 1)
        {
            foreach (var h in hashes) selected.Add(h);
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
                selected.Add(hashes[min]);
                lastPos = min;
            }
        }
    }
}

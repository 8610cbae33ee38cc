namespace Doppel.Engine.Reports.Html;

/// <summary>
/// Word-level differences between a suspicious passage and its source: a longest common subsequence of their words
/// (lowercased, curly apostrophes folded), so the words outside it are what was changed, added or dropped. Words that
/// are not in the subsequence but occur on the other side were moved rather than changed. Punctuation and spacing
/// are not compared.
/// </summary>
public static class WordDiff
{
    /// <summary>Above this many DP cells the exact LCS is skipped and words are compared as bags (moved, not changed).</summary>
    private const long MaxCells = 4_000_000;

    public enum Mark : byte { Same, Changed, Moved }

    /// <summary>A word of a text: its span and how it compares with the other text.</summary>
    public readonly record struct Word(int Start, int Length, Mark Mark);

    public static (Word[] A, Word[] B) Diff(string a, string b)
    {
        var wa = Words(a);
        var wb = Words(b);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        int[] ia = wa.Select(w => Id(ids, Key(a, w))).ToArray();
        int[] ib = wb.Select(w => Id(ids, Key(b, w))).ToArray();
        var inLcsA = new bool[ia.Length];
        var inLcsB = new bool[ib.Length];
        if ((long)ia.Length * ib.Length <= MaxCells) Lcs(ia, ib, inLcsA, inLcsB);
        var setA = new HashSet<int>(ia);
        var setB = new HashSet<int>(ib);
        var ra = new Word[wa.Count];
        var rb = new Word[wb.Count];
        for (int i = 0; i < ra.Length; i++)
            ra[i] = new Word(wa[i].Start, wa[i].Length, inLcsA[i] ? Mark.Same : setB.Contains(ia[i]) ? Mark.Moved : Mark.Changed);
        for (int j = 0; j < rb.Length; j++)
            rb[j] = new Word(wb[j].Start, wb[j].Length, inLcsB[j] ? Mark.Same : setA.Contains(ib[j]) ? Mark.Moved : Mark.Changed);
        return (ra, rb);
    }

    private static void Lcs(int[] a, int[] b, bool[] inA, bool[] inB)
    {
        // Common prefix and suffix first: copies share long runs, and this keeps the table small.
        int pre = 0;
        while (pre < a.Length && pre < b.Length && a[pre] == b[pre]) { inA[pre] = inB[pre] = true; pre++; }
        int suf = 0;
        while (suf < a.Length - pre && suf < b.Length - pre && a[^(suf + 1)] == b[^(suf + 1)])
        {
            inA[a.Length - 1 - suf] = inB[b.Length - 1 - suf] = true;
            suf++;
        }
        int n = a.Length - pre - suf, m = b.Length - pre - suf;
        if (n == 0 || m == 0) return;
        // Suffix-LCS lengths, row-major (n+1) x (m+1); ushort suffices for passages (n, m < 65536 under MaxCells).
        var t = new ushort[(n + 1) * (m + 1)];
        int w = m + 1;
        for (int i = n - 1; i >= 0; i--)
            for (int j = m - 1; j >= 0; j--)
                t[i * w + j] = a[pre + i] == b[pre + j]
                    ? (ushort)(t[(i + 1) * w + j + 1] + 1)
                    : Math.Max(t[(i + 1) * w + j], t[i * w + j + 1]);
        for (int i = 0, j = 0; i < n && j < m;)
        {
            if (a[pre + i] == b[pre + j]) { inA[pre + i] = inB[pre + j] = true; i++; j++; }
            else if (t[(i + 1) * w + j] >= t[i * w + j + 1]) i++;
            else j++;
        }
    }

    private static int Id(Dictionary<string, int> ids, string key)
    {
        if (!ids.TryGetValue(key, out int id)) ids[key] = id = ids.Count;
        return id;
    }

    private static string Key(string text, (int Start, int Length) w) =>
        text.Substring(w.Start, w.Length).ToLowerInvariant().Replace('\u2019', '\'');

    /// <summary>Runs of letters and digits, with inner apostrophes ("didn't", "Kennedy’s").</summary>
    internal static List<(int Start, int Length)> Words(string s)
    {
        var words = new List<(int, int)>();
        int i = 0;
        while (i < s.Length)
        {
            if (!char.IsLetterOrDigit(s[i])) { i++; continue; }
            int start = i++;
            while (i < s.Length && (char.IsLetterOrDigit(s[i])
                   || (s[i] is '\'' or '\u2019' && i + 1 < s.Length && char.IsLetter(s[i + 1]) && char.IsLetter(s[i - 1]))))
                i++;
            words.Add((start, i - start));
        }
        return words;
    }
}

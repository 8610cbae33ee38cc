using System.Globalization;
using System.Text;

namespace Doppel.Engine.Text;

/// <summary>
/// Normalisation for matching only: repairs mojibake, folds Unicode compatibility forms (NFKC), curly quotes and
/// dashes to ASCII, all whitespace to a space or a line break, and drops invisible characters. Case is kept
/// (the sentence splitter needs it); tokens are lowercased later. The original text is never changed.
/// </summary>
public static class Normalizer
{
    // Lazily filled NFKC results for BMP characters outside ASCII; null means "not computed yet".
    private static readonly string?[] FoldCache = new string?[65536];

    public static NormalizedText Normalize(string original)
    {
        int n = original.Length;
        // Normalised text is almost never longer than the original; the rare expansions (ligatures) grow the buffers.
        var chars = new char[n + 16];
        var start = new int[n + 16];
        var end = new int[n + 16];
        int len = 0;
        ReadOnlySpan<char> src = original;
        Span<char> runeBuf = stackalloc char[2];

        for (int i = 0; i < n;)
        {
            char c = src[i];
            if (c < 0x80)
            {
                if (c == '\r')
                {
                    // CRLF is one line break; a lone CR is one too.
                    int consumed = i + 1 < n && src[i + 1] == '\n' ? 2 : 1;
                    Emit(ref chars, ref start, ref end, ref len, '\n', i, i + consumed);
                    i += consumed;
                    continue;
                }
                char o = c is '\t' or '\f' or '\v' ? ' ' : c;
                Emit(ref chars, ref start, ref end, ref len, o, i, i + 1);
                i++;
                continue;
            }

            if (c >= '\u00C2' && c <= '\u00F4' && Mojibake.TryRepairAt(src, i, out int used, out Rune rune))
            {
                int written = rune.EncodeToUtf16(runeBuf);
                for (int k = 0; k < written; k++)
                    EmitFolded(ref chars, ref start, ref end, ref len, runeBuf[k], i, i + used);
                i += used;
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < n && char.IsLowSurrogate(src[i + 1]))
            {
                Emit(ref chars, ref start, ref end, ref len, c, i, i + 2);
                Emit(ref chars, ref start, ref end, ref len, src[i + 1], i, i + 2);
                i += 2;
                continue;
            }

            EmitFolded(ref chars, ref start, ref end, ref len, c, i, i + 1);
            i++;
        }
        return new NormalizedText(original, chars, start, end, len);
    }

    private static void EmitFolded(ref char[] chars, ref int[] start, ref int[] end, ref int len, char c, int from, int to)
    {
        if (c < 0x80)
        {
            Emit(ref chars, ref start, ref end, ref len, c, from, to);
            return;
        }
        switch (c)
        {
            case '\u2018' or '\u2019' or '\u201A' or '\u201B' or '\u2032' or '\u00B4' or '\u0060' or '\u02BC':
                Emit(ref chars, ref start, ref end, ref len, '\'', from, to); return;
            case '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u2033' or '\u00AB' or '\u00BB' or '\u2039' or '\u203A':
                Emit(ref chars, ref start, ref end, ref len, '"', from, to); return;
            case '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212':
                Emit(ref chars, ref start, ref end, ref len, '-', from, to); return;
            case '\u2028' or '\u2029' or '\u0085':
                Emit(ref chars, ref start, ref end, ref len, '\n', from, to); return;
            case '\u00AD' or '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF':
                return; // invisible: soft hyphen, zero-width characters, stray BOM
        }
        if (char.IsWhiteSpace(c))
        {
            Emit(ref chars, ref start, ref end, ref len, ' ', from, to);
            return;
        }
        if (char.IsSurrogate(c))
        {
            Emit(ref chars, ref start, ref end, ref len, c, from, to);
            return;
        }
        string folded = FoldCache[c] ??= Fold(c);
        foreach (char f in folded)
            Emit(ref chars, ref start, ref end, ref len, f, from, to);
    }

    private static string Fold(char c)
    {
        string s = c.ToString();
        try
        {
            string kc = s.Normalize(NormalizationForm.FormKC);
            // Keep only what can matter for matching; NFKC may produce combining sequences we don't need.
            return kc.Length == 0 ? s : kc;
        }
        catch (ArgumentException)
        {
            return s;
        }
    }

    private static void Emit(ref char[] chars, ref int[] start, ref int[] end, ref int len, char c, int from, int to)
    {
        if (len == chars.Length)
        {
            int size = chars.Length * 2;
            Array.Resize(ref chars, size);
            Array.Resize(ref start, size);
            Array.Resize(ref end, size);
        }
        chars[len] = c;
        start[len] = from;
        end[len] = to;
        len++;
    }

    /// <summary>Category test used by the tokeniser: letters, digits and combining marks inside words.</summary>
    internal static bool IsWordChar(char c) =>
        c < 0x80 ? (uint)(c - 'a') <= 'z' - 'a' || (uint)(c - 'A') <= 'Z' - 'A' || (uint)(c - '0') <= 9
                 : char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
}

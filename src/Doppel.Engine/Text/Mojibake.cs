using System.Runtime.CompilerServices;
using System.Text;

namespace Doppel.Engine.Text;

/// <summary>
/// Repairs UTF-8 text that was decoded as Windows-1252 or Latin-1 somewhere upstream ("Kennedyâ€™s" -> "Kennedy’s",
/// "Ã©" -> "é"). Only complete, valid UTF-8 sequences are repaired, so ordinary accented text stays untouched:
/// a real "é" is never followed by the two continuation-range characters a 3-byte sequence would need.
/// </summary>
public static class Mojibake
{
    /// <summary>Chars that render UTF-8 lead bytes 0xC2..0xF4 ('Â'..'ô'); nothing else can start a repair.</summary>
    private const char MinLead = '\u00C2', MaxLead = '\u00F4';

    /// <summary>
    /// True when the chars starting at <paramref name="index"/> are the Windows-1252/Latin-1 rendering of one complete,
    /// valid multi-byte UTF-8 sequence; <paramref name="consumed"/> is then the number of chars (2..4) it replaces.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryRepairAt(ReadOnlySpan<char> text, int index, out int consumed, out Rune repaired)
    {
        // Fast path, inlined into callers that probe every char: one bounds check and one range check.
        if ((uint)index < (uint)text.Length && (uint)(text[index] - MinLead) <= (uint)(MaxLead - MinLead))
            return TryRepairLead(text, index, out consumed, out repaired);
        consumed = 0;
        repaired = default;
        return false;
    }

    private static bool TryRepairLead(ReadOnlySpan<char> text, int index, out int consumed, out Rune repaired)
    {
        consumed = 0;
        repaired = default;
        char lead = text[index];

        int length;
        int scalar;
        // Bounds on the second byte exclude overlong forms (E0, F0), UTF-16 surrogates (ED) and values > U+10FFFF (F4).
        byte min2 = 0x80, max2 = 0xBF;
        if (lead <= '\u00DF') { length = 2; scalar = lead & 0x1F; }
        else if (lead <= '\u00EF')
        {
            length = 3; scalar = lead & 0x0F;
            if (lead == '\u00E0') min2 = 0xA0;
            else if (lead == '\u00ED') max2 = 0x9F;
        }
        else
        {
            length = 4; scalar = lead & 0x07;
            if (lead == '\u00F0') min2 = 0x90;
            else if (lead == '\u00F4') max2 = 0x8F;
        }
        if (index + length > text.Length) return false;
        bool sawNoBreakSpace = false;

        for (int k = 1; k < length; k++)
        {
            char c = text[index + k];
            int b = Windows1252.ToByte(c);
            // "Â " (C2 A0, a no-break space) very often reaches us with the NBSP already turned into a plain space.
            if (c == ' ' && k == 1 && lead == '\u00C2') b = 0xA0;
            sawNoBreakSpace |= b == 0xA0;
            int lo = k == 1 ? min2 : 0x80, hi = k == 1 ? max2 : 0xBF;
            if (b < lo || b > hi) return false;
            scalar = (scalar << 6) | (b & 0x3F);
        }

        // A no-break space as a continuation byte is far more often real Latin-1 typography than mojibake, except
        // where it completes a Latin letter ("Ã\u00A0" is 'à'): French "café\u00A0»" must not become "caf頻", nor
        // "DÛ\u00A0" an Arabic mark.
        if (sawNoBreakSpace && (length > 2 || scalar >= 0x0250)) return false;
        consumed = length;
        repaired = new Rune(scalar);
        return true;
    }

    /// <summary>Returns <paramref name="text"/> with every repairable sequence replaced (the same instance when none).</summary>
    public static string Repair(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Pass 1 finds the output length (repairs only ever shrink the text), pass 2 writes straight into the string:
        // no builder, no intermediate buffer. Both passes jump between possible lead chars with a vectorised search.
        int removed = 0;
        ReadOnlySpan<char> span = text;
        for (int i = NextLead(span, 0); i >= 0; i = NextLead(span, i))
        {
            if (TryRepairAt(span, i, out int consumed, out Rune rune))
            {
                removed += consumed - rune.Utf16SequenceLength;
                i += consumed;
            }
            else i++;
        }
        if (removed == 0) return text;

        return string.Create(text.Length - removed, text, static (dst, src) =>
        {
            ReadOnlySpan<char> s = src;
            int copied = 0, w = 0;
            for (int i = NextLead(s, 0); i >= 0; i = NextLead(s, i))
            {
                if (TryRepairAt(s, i, out int consumed, out Rune rune))
                {
                    s[copied..i].CopyTo(dst[w..]);
                    w += i - copied;
                    w += rune.EncodeToUtf16(dst[w..]);
                    i += consumed;
                    copied = i;
                }
                else i++;
            }
            s[copied..].CopyTo(dst[w..]);
        });
    }

    private static int NextLead(ReadOnlySpan<char> s, int from)
    {
        if (from >= s.Length) return -1;
        int rel = s[from..].IndexOfAnyInRange(MinLead, MaxLead);
        return rel < 0 ? -1 : from + rel;
    }
}

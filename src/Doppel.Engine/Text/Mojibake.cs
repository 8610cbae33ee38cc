using System.Text;
namespace Doppel.Engine.Text;
// STUB: replaced by the real implementation.
public static class Mojibake
{
    public static bool TryRepairAt(ReadOnlySpan<char> text, int index, out int consumed, out Rune repaired)
    {
        if (index + 2 < text.Length && text[index] == 'â' && text[index + 1] == '€' && text[index + 2] == '™') { consumed = 3; repaired = new Rune('\u2019'); return true; }
        consumed = 0; repaired = default; return false;
    }
}

namespace Doppel.Engine.Text;
// STUB
public static class SentenceSplitter
{
    public static void Split(ReadOnlySpan<char> text, List<(int Start, int End)> sentences)
    {
        int s = -1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (s < 0) { if (!char.IsWhiteSpace(c)) s = i; else continue; }
            bool end = (c == '.' || c == '?' || c == '!') && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1]));
            bool para = c == '\n' && i + 1 < text.Length && text[i + 1] == '\n';
            if (end) { sentences.Add((s, i + 1)); s = -1; }
            else if (para) { int e = i; while (e > s && char.IsWhiteSpace(text[e - 1])) e--; sentences.Add((s, e)); s = -1; }
        }
        if (s >= 0) { int e = text.Length; while (e > s && char.IsWhiteSpace(text[e - 1])) e--; if (e > s) sentences.Add((s, e)); }
    }
}

using Doppel.Engine.Fingerprints;
using Doppel.Engine.Language;

namespace Doppel.Engine.Text;

/// <summary>
/// The text pipeline for one document: normalise (with the offset map), tokenise, split sentences, stem, and
/// build the alignment units and their term vectors. Offsets stored in the result refer to the original text.
/// </summary>
public static class DocumentAnalyzer
{
    /// <summary>Sentences with fewer content words than this are merged into the next one: alone they are too
    /// short to compare reliably (headings, "Thus.", list fragments).</summary>
    public const int MinUnitContentWords = 3;

    private const int MaxTokenLength = 64;

    /// <summary>Sentences longer than this many tokens are cut into pieces (see <see cref="SplitLongSentences"/>).</summary>
    public const int MaxUnitTokens = 40;

    /// <summary>
    /// A "sentence" of hundreds of words (a web page without full stops, a menu or list run together, a run-on
    /// machine rewrite) is no unit of reuse: matched with one short sentence it stretches the passage over all of it,
    /// and its cosine with anything is diluted by the rest. Such sentences are cut into near-equal pieces of at most
    /// <see cref="MaxUnitTokens"/> tokens, each cut moved to the best nearby break (line break, then semicolon or
    /// colon, then comma) within a quarter of a piece.
    /// </summary>
    private static void SplitLongSentences(ReadOnlySpan<char> s, int[] normStart, int count, List<(int Start, int End)> sentences)
    {
        const int max = MaxUnitTokens, reach = max / 4;
        List<(int, int)>? result = null;
        int t = 0;
        for (int k = 0; k < sentences.Count; k++)
        {
            var (ss, se) = sentences[k];
            while (t < count && normStart[t] < ss) t++;
            int t0 = t;
            while (t < count && normStart[t] < se) t++;
            int n = t - t0;
            if (n <= max)
            {
                result?.Add((ss, se));
                continue;
            }
            if (result == null)
            {
                result = new List<(int, int)>(sentences.Count + n / max * 2);
                for (int j = 0; j < k; j++) result.Add(sentences[j]);
            }
            int pieces = (n + max - 1) / max;
            int start = ss, prevCut = t0;
            for (int c = 1; c < pieces; c++)
            {
                int ideal = t0 + (int)((long)n * c / pieces);
                int cut = ideal, cutScore = 0;
                // Nearest first, so among equally good breaks the one closest to the ideal cut wins.
                for (int d = 0; d <= reach && cutScore < 3; d++)
                    for (int side = d == 0 ? 1 : -1; side <= 1; side += 2)
                    {
                        int cand = ideal + side * d;
                        if (cand <= prevCut + 1 || cand >= t - 1) continue;
                        int score = BreakScore(s, normStart[cand - 1], normStart[cand]);
                        if (score > cutScore) { cutScore = score; cut = cand; }
                    }
                int end = normStart[cut];
                while (end > start && char.IsWhiteSpace(s[end - 1])) end--;
                result.Add((start, end));
                start = normStart[cut];
                prevCut = cut;
            }
            result.Add((start, se));
        }
        if (result != null)
        {
            sentences.Clear();
            sentences.AddRange(result);
        }
    }

    /// <summary>How good a place to cut the text between two tokens is: a line break 3, a semicolon or colon 2, a
    /// comma 1, nothing 0.</summary>
    private static int BreakScore(ReadOnlySpan<char> s, int prevTokenStart, int tokenStart)
    {
        int score = 0;
        for (int i = prevTokenStart; i < tokenStart; i++)
        {
            char c = s[i];
            if (c == '\n') return 3;
            if (i + 1 < s.Length && Normalizer.IsWordChar(s[i + 1])) continue; // inside a token: "1,000", "10:30"
            if (c is ';' or ':') score = Math.Max(score, 2);
            else if (c == ',') score = Math.Max(score, 1);
        }
        return score;
    }

    /// <summary>Analyses a reader's output, keeping its format and structural regions on the document.</summary>
    public static AnalyzedDocument Analyze(ExtractedText extracted, string name = "") =>
        Analyze(extracted.Text, name, extracted.Format, extracted.Regions);

    public static AnalyzedDocument Analyze(string text, string name = "") => Analyze(text, name, DocumentFormats.Text, []);

    private static AnalyzedDocument Analyze(string text, string name, string format, IReadOnlyList<TextRegion> regions)
    {
        var norm = Normalizer.Normalize(text);
        ReadOnlySpan<char> s = norm.Span;

        // Tokens. Capacity guess: about one token per six characters.
        int cap = Math.Max(16, s.Length / 5);
        var normStart = new int[cap];
        var tokStart = new int[cap];
        var tokEnd = new int[cap];
        var wordHash = new ulong[cap];
        var stemId = new int[cap];
        var isStop = new bool[cap];
        int count = 0;
        Span<char> lower = stackalloc char[MaxTokenLength];

        int i = 0;
        while (i < s.Length)
        {
            if (!Normalizer.IsWordChar(s[i])) { i++; continue; }
            int start = i;
            i++;
            while (i < s.Length)
            {
                char c = s[i];
                if (Normalizer.IsWordChar(c)) { i++; continue; }
                // Inner apostrophes ("don't", "Kennedy's") and digit separators ("1,000.5") stay inside the token.
                if (i + 1 < s.Length && Normalizer.IsWordChar(s[i + 1]))
                {
                    if (c == '\'' && char.IsLetter(s[i - 1]) && char.IsLetter(s[i + 1])) { i += 2; continue; }
                    if ((c == '.' || c == ',') && char.IsDigit(s[i - 1]) && char.IsDigit(s[i + 1])) { i += 2; continue; }
                }
                break;
            }
            ReadOnlySpan<char> word = s[start..i];
            if (count == tokStart.Length)
            {
                int size = count * 2;
                Array.Resize(ref normStart, size); Array.Resize(ref tokStart, size); Array.Resize(ref tokEnd, size);
                Array.Resize(ref wordHash, size); Array.Resize(ref stemId, size); Array.Resize(ref isStop, size);
            }
            ulong h;
            bool stop = false;
            int id;
            if (word.Length <= MaxTokenLength)
            {
                int n = word.ToLowerInvariant(lower);
                h = Hash64.Of(lower[..n]);
                id = Lexicon.Lookup(lower[..n], h, out stop);
            }
            else
            {
                string w = word.ToString().ToLowerInvariant();
                h = Hash64.Of(w);
                id = Lexicon.IdOf(h);
            }
            var (os, oe) = norm.ToOriginal(start, i);
            normStart[count] = start;
            tokStart[count] = os;
            tokEnd[count] = oe;
            wordHash[count] = h;
            stemId[count] = id;
            isStop[count] = stop;
            count++;
        }

        // Scholarly markup: tokens inside it count for nothing in the term vectors.
        var markup = ScholarlyMarkup.Find(s);
        var isMarkup = new bool[count];
        int markupTokens = 0;
        var markupSpans = new MarkupSpan[markup.Spans.Count];
        for (int k = 0, tk = 0; k < markup.Spans.Count; k++)
        {
            var sp = markup.Spans[k];
            var (os, oe) = norm.ToOriginal(sp.Start, sp.End);
            markupSpans[k] = sp with { Start = os, End = oe };
            while (tk < count && normStart[tk] < sp.Start) tk++;
            for (; tk < count && normStart[tk] < sp.End; tk++) { isMarkup[tk] = true; markupTokens++; }
        }

        // Sentences (overlong ones cut into pieces), then units (short sentences merged forward).
        var sentences = new List<(int Start, int End)>();
        SentenceSplitter.Split(s, sentences);
        SplitLongSentences(s, normStart, count, sentences);
        var unitTok = new List<int>();
        var unitCs = new List<int>();
        var unitCe = new List<int>();
        int t = 0;
        int pendingTok = -1, pendingStart = -1, pendingContent = 0;
        for (int k = 0; k < sentences.Count; k++)
        {
            var (ss, se) = sentences[k];
            int firstTok = t;
            int content = 0;
            while (t < count && normStart[t] < se)
            {
                if (!isStop[t]) content++;
                t++;
            }
            if (pendingTok < 0) { pendingTok = firstTok; pendingStart = ss; pendingContent = 0; }
            pendingContent += content;
            bool last = k == sentences.Count - 1;
            if (pendingContent >= MinUnitContentWords || last)
            {
                var (os, _) = norm.ToOriginal(pendingStart, pendingStart + 1);
                var (_, oe) = norm.ToOriginal(se - 1, se);
                if (last && pendingContent < MinUnitContentWords && unitTok.Count > 0)
                {
                    unitCe[^1] = oe; // a short tail joins the previous unit
                }
                else
                {
                    unitTok.Add(pendingTok);
                    unitCs.Add(os);
                    unitCe.Add(oe);
                }
                pendingTok = -1;
            }
        }
        int units = unitTok.Count;
        unitTok.Add(count);

        // Unit term vectors: distinct content stems per unit, sorted, with counts.
        var termStart = new int[units + 1];
        var terms = new List<int>(count / 2);
        var freqs = new List<int>(count / 2);
        var buf = new List<int>(64);
        for (int u = 0; u < units; u++)
        {
            termStart[u] = terms.Count;
            buf.Clear();
            for (int k = unitTok[u]; k < unitTok[u + 1]; k++)
                if (!isStop[k] && !isMarkup[k]) buf.Add(stemId[k]);
            buf.Sort();
            for (int k = 0; k < buf.Count;)
            {
                int id = buf[k], f = 0;
                while (k < buf.Count && buf[k] == id) { f++; k++; }
                terms.Add(id);
                freqs.Add(f);
            }
        }
        termStart[units] = terms.Count;

        // Inverted list: the same (term, unit, freq) entries ordered by term.
        int m = terms.Count;
        var order = new long[m];
        int e = 0;
        for (int u = 0; u < units; u++)
            for (int k = termStart[u]; k < termStart[u + 1]; k++, e++)
                order[e] = ((long)terms[k] << 32) | (uint)k;
        Array.Sort(order);
        var pTerm = new int[m];
        var pUnit = new int[m];
        var pFreq = new int[m];
        var entryUnit = new int[m];
        for (int u = 0; u < units; u++)
            for (int k = termStart[u]; k < termStart[u + 1]; k++) entryUnit[k] = u;
        for (int k = 0; k < m; k++)
        {
            int entry = (int)(order[k] & 0xFFFFFFFF);
            pTerm[k] = terms[entry];
            pUnit[k] = entryUnit[entry];
            pFreq[k] = freqs[entry];
        }

        return new AnalyzedDocument
        {
            Name = name,
            Text = text,
            Format = format,
            Regions = regions,
            TokenCount = count,
            TokenStart = tokStart[..count],
            TokenEnd = tokEnd[..count],
            WordHash = wordHash[..count],
            StemId = stemId[..count],
            IsStopword = isStop[..count],
            IsMarkup = isMarkup,
            MarkupTokenCount = markupTokens,
            IsPaper = markup.IsPaper,
            MarkupSpans = markupSpans,
            UnitCount = units,
            UnitTokenStart = unitTok.ToArray(),
            UnitCharStart = unitCs.ToArray(),
            UnitCharEnd = unitCe.ToArray(),
            UnitTermStart = termStart,
            UnitTerms = terms.ToArray(),
            UnitTermFreq = freqs.ToArray(),
            PostingTerm = pTerm,
            PostingUnit = pUnit,
            PostingFreq = pFreq,
        };
    }
}

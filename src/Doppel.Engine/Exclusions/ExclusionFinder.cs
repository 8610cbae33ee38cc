using System.Text.RegularExpressions;
using Doppel.Engine.Text;

namespace Doppel.Engine.Exclusions;

/// <summary>
/// Finds the spans of a text that exclusions can leave out: quotations, block quotations and the bibliography. It
/// finds them all, whatever the options; <see cref="ExclusionFilter"/> applies only those asked for, and the HTML
/// report can switch each kind on and off.
/// </summary>
public static partial class ExclusionFinder
{
    /// <summary>A quotation closes within this many characters and never across a blank line; a longer one is
    /// a block quotation, set apart by layout rather than marks.</summary>
    private const int MaxQuoteChars = 3000;
    private const int MaxSingleQuoteChars = 600;

    public static List<ExcludedSpan> Find(string text, IReadOnlyList<TextRegion>? regions = null)
    {
        var spans = new List<ExcludedSpan>();
        FindQuotes(text, spans);
        FindBlockQuotes(text, regions ?? [], spans);
        FindBibliography(text, regions ?? [], spans);
        spans.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
        return spans;
    }

    // ---- Quotations ----

    internal static void FindQuotes(string text, List<ExcludedSpan> spans)
    {
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            int end = c switch
            {
                '"' when OpensAt(text, i) => Close(text, i, static (t, j) => t[j] == '"' && ClosesAt(t, j), MaxQuoteChars),
                '\u201C' => Close(text, i, static (t, j) => t[j] is '\u201D' or '\u201C' && ClosesAt(t, j), MaxQuoteChars),   // “…” (English), “…“ is rare
                '\u201E' => Close(text, i, static (t, j) => t[j] is '\u201C' or '\u201D', MaxQuoteChars),                      // „…“ (German, Polish)
                '\u00AB' => Close(text, i, static (t, j) => t[j] == '\u00BB', MaxQuoteChars),                                  // «…»
                '\u00BB' when OpensAt(text, i) => Close(text, i, static (t, j) => t[j] == '\u00AB', MaxQuoteChars),           // »…« (German)
                '\u2039' => Close(text, i, static (t, j) => t[j] == '\u203A', MaxSingleQuoteChars),                           // ‹…›
                '\u300C' => Close(text, i, static (t, j) => t[j] == '\u300D', MaxQuoteChars),                                  // 「…」
                '\u300E' => Close(text, i, static (t, j) => t[j] == '\u300F', MaxQuoteChars),                                  // 『…』
                // Single quotes double as apostrophes: open only before a word, close only where no letter follows.
                '\u2018' when OpensAt(text, i) => Close(text, i, static (t, j) => t[j] == '\u2019' && ClosesAt(t, j) && !LetterAt(t, j + 1), MaxSingleQuoteChars),
                '\'' when OpensAt(text, i) => Close(text, i, static (t, j) => t[j] == '\'' && ClosesAt(t, j) && !LetterAt(t, j + 1), MaxSingleQuoteChars),
                _ => -1,
            };
            if (end > i && HasLetter(text, i + 1, end))
            {
                spans.Add(new ExcludedSpan(i, end + 1 - i, ExcludedKind.Quote));
                i = end + 1;
            }
            else
            {
                i++;
            }
        }
    }

    /// <summary>An opening mark follows no letter or digit and precedes no space ("12" is inches, "it's" is not a quote).</summary>
    private static bool OpensAt(string t, int i) =>
        (i == 0 || !char.IsLetterOrDigit(t[i - 1])) && i + 1 < t.Length && !char.IsWhiteSpace(t[i + 1]);

    /// <summary>A closing mark follows no space.</summary>
    private static bool ClosesAt(string t, int j) => j > 0 && !char.IsWhiteSpace(t[j - 1]);

    private static bool LetterAt(string t, int j) => j < t.Length && char.IsLetter(t[j]);

    private static int Close(string t, int open, Func<string, int, bool> closes, int max)
    {
        int limit = Math.Min(t.Length, open + 1 + max);
        for (int j = open + 1; j < limit; j++)
        {
            if (t[j] == '\n' && BlankLineAt(t, j)) return -1;
            if (closes(t, j)) return j;
        }
        return -1;
    }

    private static bool BlankLineAt(string t, int nl)
    {
        for (int k = nl + 1; k < t.Length; k++)
        {
            if (t[k] == '\n') return true;
            if (!char.IsWhiteSpace(t[k])) return false;
        }
        return true;
    }

    private static bool HasLetter(string t, int from, int to)
    {
        for (int k = from; k < to; k++) if (char.IsLetterOrDigit(t[k])) return true;
        return false;
    }

    // ---- Block quotations ----

    private static void FindBlockQuotes(string text, IReadOnlyList<TextRegion> regions, List<ExcludedSpan> spans)
    {
        foreach (var r in regions)
            if (r.Kind == TextRegionKind.BlockQuote) spans.Add(new ExcludedSpan(r.Start, r.Length, ExcludedKind.BlockQuote));
        // Markdown and e-mail style: consecutive lines starting with '>'.
        int start = -1, end = -1;
        foreach (var (ls, le) in Lines(text))
        {
            var line = text.AsSpan(ls, le - ls).TrimStart(' ');
            if (line.StartsWith(">"))
            {
                if (start < 0) start = ls;
                end = le;
            }
            else if (start >= 0)
            {
                spans.Add(new ExcludedSpan(start, end - start, ExcludedKind.BlockQuote));
                start = -1;
            }
        }
        if (start >= 0) spans.Add(new ExcludedSpan(start, end - start, ExcludedKind.BlockQuote));
    }

    // ---- Bibliography ----

    private static void FindBibliography(string text, IReadOnlyList<TextRegion> regions, List<ExcludedSpan> spans)
    {
        var lines = Lines(text).ToList();
        (int Start, int End) byHeading = (-1, -1);
        // 1. By heading: the last line that is a bibliography heading, to the next appendix heading (or the end).
        int headingLine = -1;
        for (int k = lines.Count - 1; k >= 0 && headingLine < 0; k--)
            if (BibliographyHeading().IsMatch(text.AsSpan(lines[k].Start, lines[k].End - lines[k].Start).Trim().ToString()))
                headingLine = k;
        if (headingLine >= 0)
        {
            int start = lines[headingLine].Start;
            int end = text.Length;
            for (int k = headingLine + 1; k < lines.Count; k++)
            {
                string line = text[lines[k].Start..lines[k].End].Trim();
                bool isHeadingRegion = regions.Any(r => r.Kind == TextRegionKind.Heading && r.Start == lines[k].Start);
                if (AppendixHeading().IsMatch(line) || (isHeadingRegion && !BibliographyHeading().IsMatch(line)))
                {
                    end = lines[k].Start;
                    break;
                }
            }
            end = TrimEnd(text, start, end);
            if (end > start) spans.Add(new ExcludedSpan(start, end - start, ExcludedKind.Bibliography));
            byHeading = (start, end);
        }

        // 2. By shape: three or more reference-like lines close together (a list without a heading, or one the
        // heading search missed). Continuation lines of a wrapped reference join the run.
        int runStart = -1, runEnd = -1, count = 0, gap = 0;
        void Flush()
        {
            bool inside = runStart >= byHeading.Start && runEnd <= byHeading.End;
            if (count >= 3 && !inside) spans.Add(new ExcludedSpan(runStart, runEnd - runStart, ExcludedKind.Bibliography));
            runStart = -1; count = 0; gap = 0;
        }
        foreach (var (ls, le) in lines)
        {
            var line = text.AsSpan(ls, le - ls);
            if (line.IsWhiteSpace()) continue;
            if (LooksLikeReference(line.Trim().ToString()))
            {
                if (runStart < 0) runStart = ls;
                runEnd = le; count++; gap = 0;
            }
            else if (runStart >= 0 && ++gap > 2)
            {
                Flush();
            }
        }
        Flush();
    }

    /// <summary>A reference-list entry: an author list or a number first, a year, and the marks of a citation.</summary>
    internal static bool LooksLikeReference(string line)
    {
        if (line.Length is < 25 or > 600) return false;
        bool year = Year().IsMatch(line);
        if (!year) return false;
        int score = 0;
        if (AuthorStart().IsMatch(line)) score += 2;
        if (NumberedStart().IsMatch(line)) score++;
        if (CitationMark().IsMatch(line)) score++;
        if (ParenthesisedYear().IsMatch(line)) score++;
        return score >= 2;
    }

    private static int TrimEnd(string text, int start, int end)
    {
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        return end;
    }

    private static IEnumerable<(int Start, int End)> Lines(string text)
    {
        int s = 0;
        while (s <= text.Length)
        {
            int nl = text.IndexOf('\n', s);
            int e = nl < 0 ? text.Length : nl;
            int end = e > s && text[e - 1] == '\r' ? e - 1 : e;
            yield return (s, end);
            if (nl < 0) yield break;
            s = nl + 1;
        }
    }

    [GeneratedRegex(@"^(#{1,6}\s*)?((\d+|[IVXLC]+)[.)]?\s+)?(references?( list| cited)?|bibliography|select bibliography|works cited|literature cited|works consulted|sources( cited| consulted)?|list of references|cited works|literature|notes and references|references and notes|further reading)\s*:?$", RegexOptions.IgnoreCase)]
    private static partial Regex BibliographyHeading();

    [GeneratedRegex(@"^(#{1,6}\s*)?(appendix|appendices|annex|acknowledge?ments?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AppendixHeading();

    [GeneratedRegex(@"\b(1[5-9]|20)\d{2}[a-z]?\b")]
    private static partial Regex Year();

    [GeneratedRegex(@"\(\s*(1[5-9]|20)\d{2}[a-z]?\s*\)|\(n\.d\.\)")]
    private static partial Regex ParenthesisedYear();

    // "Smith, J." / "Smith, John" / "van der Berg, A." / "SMITH J," after an optional list number.
    [GeneratedRegex(@"^(\[\d+\]|\d+\.)?\s*((van|von|de|der|den|la|le|du|da|di)\s+)*\p{Lu}[\p{L}'’\-]+,\s*(\p{Lu}\.|\p{Lu}[\p{Ll}\-]+)")]
    private static partial Regex AuthorStart();

    [GeneratedRegex(@"^(\[\d+\]|\d+\.\s)")]
    private static partial Regex NumberedStart();

    [GeneratedRegex(@"doi[:.]|https?://|\bpp?\.\s*\d|\bvol\.|\bRetrieved\b|\bISBN\b|\bIn:|\beds?\.|\bPress\b|\bJournal\b|\bProceedings\b|\bet al\.|\bUniversity\b|\bpublishers?\b", RegexOptions.IgnoreCase)]
    private static partial Regex CitationMark();
}

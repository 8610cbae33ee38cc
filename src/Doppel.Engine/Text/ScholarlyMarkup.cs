namespace Doppel.Engine.Text;

/// <summary>What a stretch of scholarly markup is.</summary>
public enum MarkupKind
{
    /// <summary>LaTeX math: <c>$..$</c>, <c>$$..$$</c>, <c>\(..\)</c>, <c>\[..\]</c>, a math environment.</summary>
    Math,
    /// <summary>A <c>\command</c> with its short braced arguments, outside math.</summary>
    Command,
    /// <summary>An equation number, "(3)" or "(2.1)", closing a line that holds math.</summary>
    EquationNumber,
    /// <summary>A citation in a paper: "[12]", "[3, 5-7]", "Smith et al. [2020]", "(Smith and Jones, 2020)".</summary>
    Citation,
    /// <summary>A section heading of a paper ("2.1 Related Work", "Introduction").</summary>
    SectionHeading,
    /// <summary>A paper's reference list, from its heading to the end (or to an appendix).</summary>
    References,
    /// <summary>A paper's title, author and affiliation lines and the "Abstract" heading.</summary>
    FrontMatter,
}

/// <summary>A stretch [<see cref="Start"/>, <see cref="End"/>) of markup, in the offsets of the text searched.</summary>
public readonly record struct MarkupSpan(int Start, int End, MarkupKind Kind);

/// <summary>The markup found in one text and whether the text reads as a paper.</summary>
public sealed record MarkupAnalysis(bool IsPaper, IReadOnlyList<MarkupSpan> Spans);

/// <summary>
/// Finds the parts of a scholarly text that are not its prose: LaTeX math and commands (in any text), and, in a
/// text that reads as a paper (an "Abstract" heading near the start, a reference list, LaTeX throughout), its
/// citations, section headings, reference list and front matter. Two papers of one field share all of these
/// (notation, standard headings, the same cited works) without sharing a sentence, so the aligner lets none of it
/// seed or carry a passage by itself. A paper is a LaTeX-heavy text (at least 10 stretches of LaTeX, one per 5,000
/// characters or more) with an "Abstract" heading near its start, a reference list or five citations. Linear in
/// the text; spans are sorted and do not overlap.
/// </summary>
public static class ScholarlyMarkup
{
    /// <summary>Longest inline formula looked for; a lone dollar sign does not swallow the paragraph after it.</summary>
    private const int MaxInlineMath = 600;
    private const int MaxDisplayMath = 8000;
    /// <summary>The "Abstract" heading counts as a paper's when it lies this near the start.</summary>
    private const int FrontMatterReach = 3000;
    /// <summary>LaTeX spans that make a text a paper on their own (with at least one per this many characters).</summary>
    private const int LatexPaperSpans = 10, LatexPaperDensity = 5000;
    private const int CitationPaperCount = 5;

    private static readonly string[] MathEnvironments =
    [
        "equation", "align", "alignat", "array", "eqnarray", "gather", "multline", "split", "matrix", "pmatrix",
        "bmatrix", "vmatrix", "cases", "displaymath", "math", "flalign", "subequations",
    ];

    private static readonly string[] StandardHeadings =
    [
        "abstract", "introduction", "related work", "related works", "background", "preliminaries", "method", "methods",
        "methodology", "approach", "experiments", "experimental setup", "experimental results", "results",
        "evaluation", "discussion", "conclusion", "conclusions", "conclusion and future work", "future work",
        "acknowledgments", "acknowledgements", "acknowledgment", "acknowledgement", "references", "bibliography",
        "appendix", "limitations", "summary", "contents",
    ];

    private static readonly string[] ReferenceHeadings = ["references", "bibliography", "literature cited", "works cited"];

    public static MarkupAnalysis Find(ReadOnlySpan<char> text)
    {
        var spans = new List<MarkupSpan>();
        FindLatex(text, spans);
        int latex = spans.Count;
        var paper = new List<MarkupSpan>();
        int abstractAt = FindAbstractHeading(text);
        var (refStart, refEnd) = FindReferenceList(text);
        int citations = FindCitations(text, paper);
        // Only a LaTeX-heavy text counts as a paper: plain texts with a bibliography (an essay with footnotes after
        // it, a web article) are read whole, and PAN 2013 counts reuse from their reference lists.
        bool latexHeavy = latex >= LatexPaperSpans && (long)latex * LatexPaperDensity >= text.Length;
        bool isPaper = latexHeavy && (abstractAt >= 0 || refStart >= 0 || citations >= CitationPaperCount);
        if (!isPaper) return new MarkupAnalysis(false, spans);

        if (abstractAt >= 0)
        {
            int lineEnd = LineEnd(text, abstractAt);
            paper.Add(new MarkupSpan(0, lineEnd, MarkupKind.FrontMatter));
        }
        if (refStart >= 0) paper.Add(new MarkupSpan(refStart, refEnd, MarkupKind.References));
        FindSectionHeadings(text, paper);
        spans.AddRange(paper);
        return new MarkupAnalysis(true, Normalise(spans));
    }

    // ---- LaTeX ----------------------------------------------------------------------------------------------

    private static void FindLatex(ReadOnlySpan<char> s, List<MarkupSpan> spans)
    {
        int i = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (c == '$')
            {
                int end = i + 1 < s.Length && s[i + 1] == '$' ? DisplayDollarEnd(s, i) : InlineDollarEnd(s, i);
                if (end > i) { AddMath(s, spans, i, end); i = end; continue; }
                i++;
                continue;
            }
            if (c == '\\' && i + 1 < s.Length)
            {
                char d = s[i + 1];
                if (d is '(' or '[')
                {
                    int close = IndexOf(s, d == '(' ? "\\)" : "\\]", i + 2, d == '(' ? MaxInlineMath : MaxDisplayMath);
                    if (close >= 0) { AddMath(s, spans, i, close + 2); i = close + 2; continue; }
                    i += 2;
                    continue;
                }
                if (char.IsAsciiLetter(d))
                {
                    int nameEnd = i + 1;
                    while (nameEnd < s.Length && char.IsAsciiLetter(s[nameEnd])) nameEnd++;
                    var name = s[(i + 1)..nameEnd];
                    if (name.SequenceEqual("begin") && TryMathEnvironment(s, nameEnd, out int envEnd))
                    {
                        AddMath(s, spans, i, envEnd);
                        i = envEnd;
                        continue;
                    }
                    int end = CommandEnd(s, nameEnd);
                    spans.Add(new MarkupSpan(i, end, MarkupKind.Command));
                    i = end;
                    continue;
                }
            }
            i++;
        }
    }

    /// <summary>Pandoc's rule for inline math: the opening dollar is followed by a non-space, the closing one
    /// preceded by a non-space and not followed by a digit, both in one paragraph. "$5 and $10" is money.</summary>
    private static int InlineDollarEnd(ReadOnlySpan<char> s, int open)
    {
        if (open + 1 >= s.Length || char.IsWhiteSpace(s[open + 1])) return -1;
        int limit = Math.Min(s.Length, open + 1 + MaxInlineMath);
        for (int k = open + 1; k < limit; k++)
        {
            char c = s[k];
            if (c == '\n' && k + 1 < s.Length && s[k + 1] == '\n') return -1;
            if (c == '\\') { k++; continue; }
            if (c != '$') continue;
            if (char.IsWhiteSpace(s[k - 1])) return -1;
            if (k + 1 < s.Length && char.IsAsciiDigit(s[k + 1])) return -1;
            return k + 1;
        }
        return -1;
    }

    private static int DisplayDollarEnd(ReadOnlySpan<char> s, int open)
    {
        int close = IndexOf(s, "$$", open + 2, MaxDisplayMath);
        return close < 0 ? -1 : close + 2;
    }

    private static bool TryMathEnvironment(ReadOnlySpan<char> s, int afterBegin, out int end)
    {
        end = -1;
        if (afterBegin >= s.Length || s[afterBegin] != '{') return false;
        int close = s[afterBegin..].IndexOf('}');
        if (close < 0 || close > 30) return false;
        var env = s.Slice(afterBegin + 1, close - 1);
        var bare = env.TrimEnd('*');
        bool math = false;
        foreach (var m in MathEnvironments) if (bare.SequenceEqual(m)) { math = true; break; }
        if (!math) return false;
        int from = afterBegin + close + 1;
        int limit = Math.Min(s.Length, from + MaxDisplayMath);
        for (int k = from; k < limit; k++)
        {
            if (s[k] != '\\' || !s[k..].StartsWith("\\end{")) continue;
            int e = k + 5;
            if (e + env.Length < s.Length && s.Slice(e, env.Length).SequenceEqual(env) && s[e + env.Length] == '}')
            {
                end = e + env.Length + 1;
                return true;
            }
        }
        return false;
    }

    /// <summary>A command with its short braced arguments ("\cite{smith20}", "\mathbb{R}^{n}"); a long argument
    /// or one of several words is text ("\emph{a few words}") and is left to be read.</summary>
    private static int CommandEnd(ReadOnlySpan<char> s, int nameEnd)
    {
        int end = nameEnd;
        while (true)
        {
            int k = end;
            if (k < s.Length && s[k] is '^' or '_') k++;
            if (k >= s.Length || s[k] != '{')
            {
                if (k > end && k < s.Length && !char.IsWhiteSpace(s[k])) { end = k + 1; continue; } // x^2
                return end;
            }
            int close = s[k..].IndexOf('}');
            if (close < 0 || close > 40 || s.Slice(k, close).Contains(' ')) return end;
            end = k + close + 1;
        }
    }

    /// <summary>Adds a formula and the equation number closing its line, if any.</summary>
    private static void AddMath(ReadOnlySpan<char> s, List<MarkupSpan> spans, int start, int end)
    {
        spans.Add(new MarkupSpan(start, end, MarkupKind.Math));
        int k = end;
        while (k < s.Length && s[k] is ' ' or '\t' or ',' or '.') k++;
        if (k >= s.Length || s[k] != '(') return;
        int j = k + 1;
        while (j < s.Length && (char.IsAsciiDigit(s[j]) || s[j] == '.')) j++;
        if (j == k + 1 || j >= s.Length || s[j] != ')') return;
        int after = j + 1;
        while (after < s.Length && s[after] is ' ' or '\t' or '.' or ',') after++;
        if (after == s.Length || s[after] == '\n') spans.Add(new MarkupSpan(k, j + 1, MarkupKind.EquationNumber));
    }

    // ---- papers ---------------------------------------------------------------------------------------------

    private static int FindAbstractHeading(ReadOnlySpan<char> s)
    {
        int limit = Math.Min(s.Length, FrontMatterReach);
        for (int line = 0; line < limit; line = LineEnd(s, line) + 1)
        {
            var text = s[line..LineEnd(s, line)].Trim();
            if (text.Equals("abstract", StringComparison.OrdinalIgnoreCase)
                || text.Equals("abstract.", StringComparison.OrdinalIgnoreCase)
                || text.Equals("abstract:", StringComparison.OrdinalIgnoreCase)) return line;
        }
        return -1;
    }

    /// <summary>The last reference-list heading of the text, to the next appendix heading or the end.</summary>
    private static (int Start, int End) FindReferenceList(ReadOnlySpan<char> s)
    {
        int start = -1;
        for (int line = 0; line < s.Length; line = LineEnd(s, line) + 1)
        {
            var text = StripNumber(s[line..LineEnd(s, line)].Trim());
            foreach (var h in ReferenceHeadings)
                if (text.Equals(h, StringComparison.OrdinalIgnoreCase)) { start = line; break; }
        }
        if (start < 0 || start < s.Length / 3) return (-1, -1); // a reference list closes a paper
        for (int line = LineEnd(s, start) + 1; line < s.Length; line = LineEnd(s, line) + 1)
        {
            var text = s[line..LineEnd(s, line)].Trim();
            if (text.StartsWith("Appendix", StringComparison.OrdinalIgnoreCase) && text.Length < 80
                || text.StartsWith("Supplementary", StringComparison.OrdinalIgnoreCase) && text.Length < 80)
                return (start, line);
        }
        return (start, s.Length);
    }

    /// <summary>Short heading lines: numbered ("3.2 Training Setup") or one of the standard unnumbered ones.</summary>
    private static void FindSectionHeadings(ReadOnlySpan<char> s, List<MarkupSpan> spans)
    {
        for (int line = 0; line < s.Length; line = LineEnd(s, line) + 1)
        {
            int end = LineEnd(s, line);
            var raw = s[line..end];
            var text = raw.Trim();
            if (text.Length == 0 || text.Length > 90 || text[^1] is '.' or ',' or ';' or ':') continue;
            var rest = StripNumber(text);
            bool numbered = rest.Length < text.Length && rest.Length > 0 && char.IsUpper(rest[0]) && CountWords(rest) <= 10;
            bool standard = false;
            foreach (var h in StandardHeadings)
                if (rest.Equals(h, StringComparison.OrdinalIgnoreCase)) { standard = true; break; }
            if (numbered || standard) spans.Add(new MarkupSpan(line, end, MarkupKind.SectionHeading));
        }
    }

    /// <summary>"3", "3.2", "3.2.", "A.1", "IV." before a heading; the text without it (unchanged when none).</summary>
    private static ReadOnlySpan<char> StripNumber(ReadOnlySpan<char> t)
    {
        int k = 0;
        if (k < t.Length && char.IsAsciiDigit(t[k]))
            while (k < t.Length && (char.IsAsciiDigit(t[k]) || t[k] == '.')) k++;
        else if (t.Length > 2 && char.IsAsciiLetterUpper(t[0]) && t[1] == '.' && char.IsAsciiDigit(t[2]))
        {
            k = 2;
            while (k < t.Length && (char.IsAsciiDigit(t[k]) || t[k] == '.')) k++;
        }
        if (k == 0 || k >= t.Length || t[k] != ' ') return t;
        return t[k..].TrimStart();
    }

    private static readonly HashSet<string> NameParticles = new(StringComparer.Ordinal)
        { "and", "et", "al", "von", "van", "der", "den", "dem", "de", "la", "le", "du", "di", "da", "del" };

    /// <summary>Numeric citations ("[12]", "[3, 5-7]"), author-year ones in brackets ("Smith et al. [2020]",
    /// the names included) and in parentheses ("(Smith and Jones, 2020; Lee 2019a)"). Returns how many.</summary>
    private static int FindCitations(ReadOnlySpan<char> s, List<MarkupSpan> spans)
    {
        int count = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '[')
            {
                int close = s.Slice(i, Math.Min(80, s.Length - i)).IndexOf(']');
                if (close < 2) continue;
                var inner = s.Slice(i + 1, close - 1);
                if (!IsNumericCitation(inner)) continue;
                int start = i, end = i + close + 1;
                if (IsYear(inner.Trim())) start = NamesBefore(s, i);
                // "( Voigt and von dem Bussche [2017] )": the parentheses around it go too.
                int l = start - 1;
                while (l >= 0 && s[l] == ' ') l--;
                int r = end;
                while (r < s.Length && s[r] == ' ') r++;
                if (l >= 0 && s[l] == '(' && r < s.Length && s[r] == ')') { start = l; end = r + 1; }
                spans.Add(new MarkupSpan(start, end, MarkupKind.Citation));
                count++;
                i = end - 1;
            }
            else if (c == '(')
            {
                int close = s.Slice(i, Math.Min(200, s.Length - i)).IndexOf(')');
                if (close < 6) continue;
                var inner = s.Slice(i + 1, close - 1);
                if (!IsAuthorYearCitation(inner)) continue;
                spans.Add(new MarkupSpan(i, i + close + 1, MarkupKind.Citation));
                count++;
                i += close;
            }
        }
        return count;
    }

    /// <summary>Digits, commas, semicolons, dashes and spaces, with a digit: "12", "3, 5-7", "2017", "2020a".</summary>
    private static bool IsNumericCitation(ReadOnlySpan<char> t)
    {
        bool digit = false;
        for (int k = 0; k < t.Length; k++)
        {
            char c = t[k];
            if (char.IsAsciiDigit(c)) { digit = true; continue; }
            if (c is ',' or ';' or '-' or ' ' or '–') continue;
            if (char.IsAsciiLetterLower(c) && k > 0 && char.IsAsciiDigit(t[k - 1])) continue; // 2020a
            return false;
        }
        return digit;
    }

    private static bool IsYear(ReadOnlySpan<char> t)
    {
        if (t.Length is < 4 or > 5) return false;
        if (!(t.StartsWith("19") || t.StartsWith("20"))) return false;
        for (int k = 0; k < 4; k++) if (!char.IsAsciiDigit(t[k])) return false;
        return t.Length == 4 || char.IsAsciiLetterLower(t[4]);
    }

    /// <summary>Start of the author names before a bracketed year: capitalised words, "et al.", "and", particles,
    /// at most eight words back.</summary>
    private static int NamesBefore(ReadOnlySpan<char> s, int bracket)
    {
        int start = bracket, k = bracket;
        for (int words = 0; words < 8; words++)
        {
            int e = k;
            while (e > 0 && s[e - 1] is ' ' or '.' or ',') e--;
            int b = e;
            while (b > 0 && (char.IsLetter(s[b - 1]) || s[b - 1] is '-' or '\'')) b--;
            if (b == e) break;
            var w = s[b..e];
            if (!char.IsUpper(w[0]) && !NameParticles.Contains(w.ToString())) break;
            start = b;
            k = b;
        }
        return start;
    }

    /// <summary>"Smith et al., 2020", "Smith and Jones 2019a; Lee, 2018": capitalised names and years only.</summary>
    private static bool IsAuthorYearCitation(ReadOnlySpan<char> t)
    {
        bool year = false, name = false;
        int words = 0;
        int k = 0;
        while (k < t.Length)
        {
            char c = t[k];
            if (c is ' ' or ',' or ';' or '.' or '&') { k++; continue; }
            int b = k;
            while (k < t.Length && !(t[k] is ' ' or ',' or ';' or '&' or '.')) k++;
            var w = t[b..k];
            words++;
            if (IsYear(w)) year = true;
            else if (char.IsUpper(w[0])) name = true;
            else if (!NameParticles.Contains(w.ToString())) return false;
        }
        return year && name && words <= 16;
    }

    private static int CountWords(ReadOnlySpan<char> t)
    {
        int n = 0;
        bool inWord = false;
        foreach (char c in t)
        {
            bool w = !char.IsWhiteSpace(c);
            if (w && !inWord) n++;
            inWord = w;
        }
        return n;
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static int LineEnd(ReadOnlySpan<char> s, int from)
    {
        int k = s[from..].IndexOf('\n');
        return k < 0 ? s.Length : from + k;
    }

    private static int IndexOf(ReadOnlySpan<char> s, string what, int from, int reach)
    {
        if (from >= s.Length) return -1;
        int k = s[from..Math.Min(s.Length, from + reach)].IndexOf(what.AsSpan());
        return k < 0 ? -1 : from + k;
    }

    /// <summary>Sorted, overlaps merged (the first kind of a merged stretch is kept).</summary>
    private static List<MarkupSpan> Normalise(List<MarkupSpan> spans)
    {
        spans.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.End.CompareTo(a.End));
        var result = new List<MarkupSpan>(spans.Count);
        foreach (var sp in spans)
        {
            if (result.Count > 0 && sp.Start < result[^1].End)
            {
                var last = result[^1];
                if (sp.End > last.End) result[^1] = last with { End = sp.End };
                continue;
            }
            result.Add(sp);
        }
        return result;
    }
}

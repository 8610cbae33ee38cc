using System.Buffers;
using System.Runtime.CompilerServices;

namespace Doppel.Engine.Text;

/// <summary>
/// Rule-based sentence splitter for essays, web text and machine (tokenised) output. Linear time, no allocations
/// beyond the output list: the text is scanned with a vectorised search for terminators and line breaks, and the
/// context rules below only run at those positions.
/// </summary>
/// <remarks>
/// Boundaries: '.', '?', '!', '…' (plus any closing quotes/brackets right after them) followed by a sentence-like
/// start; a blank line; a short heading line followed by a capitalised line. Not boundaries: known abbreviations,
/// initials, decimals, list numbers, a single line break inside a sentence. A stop preceded by a space
/// (" ." in tokenised text) always ends the sentence.
/// </remarks>
public static class SentenceSplitter
{
    // The only chars at which anything can happen; everything in between is skipped by IndexOfAny.
    private static readonly SearchValues<char> Interesting =
        SearchValues.Create(".?!\u2026\n\r\u000B\u0085\u2028\u2029\u3002\uFF01\uFF1F\u203C\u2047\u2048\u2049");

    private const int MaxTokenLength = 40;   // longer "words" before a '.' are never abbreviations
    private const int MaxHeadingChars = 60;  // hard-wrapped prose lines are longer than this
    private const int MaxHeadingSpaces = 9;  // i.e. at most 10 words

    private enum Abbrev : byte { None, Never, NumberPrefix, Maybe, Usually }

    // Keys are lower case without the final dot; lookup is case-insensitive. Plain Dictionary/HashSet rather than
    // Frozen*: they are only read after construction, and their type initialiser is about twice as fast at start-up.
    //  Never:        titles and Latin connectives; never end a sentence ("Dr. Smith", "e.g. The").
    //  NumberPrefix: usually followed by a number ("No. 5", "pp. 12", "Jan. 5"); otherwise treated as Maybe.
    //  Maybe:        can end a sentence ("the U.S. The next"): split only before a line break or a common sentence starter.
    //  Usually:      "etc." ends the sentence whenever a capitalised word follows.
    private static readonly Dictionary<string, Abbrev>.AlternateLookup<ReadOnlySpan<char>> Abbreviations = BuildAbbreviations();

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> SentenceStarters =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "the", "a", "an", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "you",
            "his", "her", "their", "our", "my", "there", "here", "in", "on", "at", "as", "by", "for", "from", "after",
            "before", "when", "while", "if", "but", "and", "or", "so", "yet", "however", "thus", "hence", "therefore",
            "moreover", "furthermore", "also", "although", "though", "because", "since", "then", "now", "what", "who",
            "why", "how", "where", "which", "many", "some", "most", "all", "both", "each", "one", "not", "finally",
            "first", "firstly", "secondly", "lastly", "meanwhile", "instead", "indeed", "despite", "during",
            "following", "another", "other", "such", "even", "only", "still", "to", "with", "without", "unlike",
            "like", "today", "later", "soon", "once", "perhaps", "nevertheless", "overall", "consequently",
        }.GetAlternateLookup<ReadOnlySpan<char>>();

    private static Dictionary<string, Abbrev>.AlternateLookup<ReadOnlySpan<char>> BuildAbbreviations()
    {
        var d = new Dictionary<string, Abbrev>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in new[] { "mr", "mrs", "ms", "messrs", "mmes", "dr", "prof", "st", "rev", "fr", "gen", "col",
                     "capt", "cpt", "lt", "maj", "sgt", "cmdr", "cdr", "adm", "gov", "sen", "rep", "pres", "hon", "mt",
                     "ft", "vs", "cf", "viz", "e.g", "i.e", "eg", "incl", "esp", "et" })
            d[s] = Abbrev.Never;
        foreach (var s in new[] { "no", "nos", "nr", "pp", "pg", "fig", "figs", "vol", "vols", "eq", "eqs", "ch",
                     "chap", "sec", "sect", "art", "para", "approx", "ca", "ref", "refs", "ex", "tel", "op",
                     "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec" })
            d[s] = Abbrev.NumberPrefix;
        foreach (var s in new[] { "inc", "ltd", "co", "corp", "llc", "plc", "bros", "jr", "sr", "esq", "u.s", "u.k",
                     "u.s.a", "u.n", "e.u", "a.m", "p.m", "ph.d", "b.a", "m.a", "b.sc", "m.sc", "d.c", "al", "dept",
                     "univ", "assn", "est", "govt", "ed", "eds", "min", "max", "hr", "hrs", "resp" })
            d[s] = Abbrev.Maybe;
        d["etc"] = Abbrev.Usually;
        return d.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// Appends the sentences of <paramref name="text"/> to <paramref name="sentences"/> as (Start, End) char offsets,
    /// End exclusive, in order. Each range is trimmed of surrounding whitespace and never empty; together the ranges
    /// cover every non-whitespace char. Entries already in the list are left alone.
    /// </summary>
    public static void Split(ReadOnlySpan<char> text, List<(int Start, int End)> sentences)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        new Splitter(text, sentences).Run();
    }

    // Every method is marked AggressiveOptimization: the splitter typically runs once over tens of MB at start-up,
    // where tier-0 code (before tiered compilation catches up) was several times slower than optimised code.
    private ref struct Splitter
    {
        private readonly ReadOnlySpan<char> _t;
        private readonly List<(int Start, int End)> _out;
        private readonly int _firstOwn;   // entries before this index belong to the caller
        private int _segStart;            // raw (untrimmed) start of the current sentence
        private int _lineStart;           // start of the current line
        private int _scanPos;             // content scan of the current segment has reached here...
        private bool _segHasContent;      // ...and found a letter or digit

        public Splitter(ReadOnlySpan<char> text, List<(int Start, int End)> output)
        {
            _t = text;
            _out = output;
            _firstOwn = output.Count;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run()
        {
            ReadOnlySpan<char> t = _t;
            int i = 0;
            while (i < t.Length)
            {
                int rel = t[i..].IndexOfAny(Interesting);
                if (rel < 0) break;
                i += rel;
                i = IsLineBreak(t[i]) ? OnLineBreak(i) : OnTerminator(i);
            }
            Boundary(t.Length);
        }

        // ---- line breaks -------------------------------------------------------------------------------------

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int OnLineBreak(int lb)
        {
            ReadOnlySpan<char> t = _t;
            int after = lb + 1;
            if (t[lb] == '\r' && after < t.Length && t[after] == '\n') after++;
            int k = after;
            while (k < t.Length && IsHorizontalSpace(t[k])) k++;

            // A line break followed by an empty line (or U+2029) always ends the sentence; a single one only
            // after something that looks like a heading.
            bool paragraph = t[lb] == '\u2029' || k >= t.Length || IsLineBreak(t[k]);
            if (paragraph || IsHeadingBefore(lb, k))
                Boundary(lb);
            _lineStart = after;
            return after;
        }

        /// <summary>The current sentence is one short line with no final punctuation, and the next line starts a sentence.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly bool IsHeadingBefore(int lb, int next)
        {
            ReadOnlySpan<char> t = _t;
            int cs = Math.Max(_segStart, _lineStart);
            while (cs < lb && char.IsWhiteSpace(t[cs])) cs++;
            if (cs >= lb) return false;
            // The sentence must have started on this line (otherwise this is a wrapped line inside it), and at its
            // start: a heading is a whole line, while a sentence that began after another one's full stop on the
            // same line is a hard-wrapped line of prose ("...better. The impression that many in and outside\nRussia").
            for (int p = _segStart; p < _lineStart; p++)
                if (!char.IsWhiteSpace(t[p])) return false;
            for (int p = _lineStart; p < cs; p++)
                if (!char.IsWhiteSpace(t[p])) return false;

            int ce = lb;
            while (ce > cs && char.IsWhiteSpace(t[ce - 1])) ce--;
            if (ce - cs > MaxHeadingChars) return false;
            ReadOnlySpan<char> line = t[cs..ce];
            if (!(char.IsUpper(line[0]) || char.IsDigit(line[0]))) return false;
            char last = line[^1];
            if (last is ',' or ';' or '-' or '\u2013' or '\u2014' or '(' or '/' or '&' || IsTerminatorChar(last)) return false;
            if (line.Count(' ') > MaxHeadingSpaces) return false;
            int lastSpace = line.LastIndexOf(' ');
            if (IsContinuationWord(line[(lastSpace + 1)..])) return false; // "The history of the\nSoviet Union"

            int m = SkipOpeners(next);
            return m < t.Length && (char.IsUpper(t[m]) || char.IsDigit(t[m]));
        }

        // ---- terminators ------------------------------------------------------------------------------------

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int OnTerminator(int i)
        {
            ReadOnlySpan<char> t = _t;
            int n = t.Length;
            int j = i, dots = 0;
            bool questionOrBang = false, ellipsis = false, cjk = false;
            // The whole run of terminators plus closing quotes/brackets: 'said."', '?!', '...', '.)'.
            for (; j < n; j++)
            {
                char c = t[j];
                if (c == '.') dots++;
                else if (c == '\u2026') ellipsis = true;
                else if (c is '?' or '!' or '\u203C' or '\u2047' or '\u2048' or '\u2049') questionOrBang = true;
                else if (c is '\u3002' or '\uFF01' or '\uFF1F') cjk = true;
                else if (!IsCloser(c)) break;
            }
            if (dots >= 2) ellipsis = true;

            int k = j;
            bool lineBreak = false;
            while (k < n && char.IsWhiteSpace(t[k]))
            {
                if (IsLineBreak(t[k])) lineBreak = true;
                k++;
            }

            bool boundary;
            if (cjk || k >= n) boundary = true;                       // CJK stops need no space; end of text
            else if (k == j) boundary = GluedBoundary(i, j, questionOrBang || ellipsis);
            else if (i > 0 && char.IsWhiteSpace(t[i - 1]) && !ellipsis) boundary = true; // tokenised " ." / " ?"
            else
            {
                char next = NextClass(k, out int word);
                if (next == 'l') boundary = false;                    // lower case continues the sentence
                else if (questionOrBang) boundary = true;
                else if (ellipsis) boundary = next == 'U';
                else boundary = PeriodBoundary(i, next, word, lineBreak);
            }

            if (boundary)
            {
                if (SegmentHasContent(i))
                    Boundary(j);
                else if (_out.Count > _firstOwn && !t[_segStart..i].ContainsAny('\n', '\r', '\u2029'))
                {
                    // Stray punctuation ("word . ." or "? !") belongs to the previous sentence.
                    _out[^1] = (_out[^1].Start, j);
                    _segStart = j;
                    _scanPos = j;
                }
            }
            return j;
        }

        /// <summary>A terminator directly followed by a non-space char: "Soviets.Then" splits, "U.S.A", "3.5", "e.g.the" don't.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly bool GluedBoundary(int i, int j, bool notPeriod)
        {
            ReadOnlySpan<char> t = _t;
            int n = t.Length;
            if (!notPeriod && i > 0 && char.IsDigit(t[i - 1]) && char.IsDigit(t[j])) return false; // 3.14, 1,000.5
            // The next word must look like a capitalised word, not an acronym or initial.
            if (!(char.IsUpper(t[j]) && j + 1 < n && char.IsLower(t[j + 1]))) return false;
            int e = j + 1;
            while (e < n && e - j < MaxTokenLength && char.IsLetter(t[e])) e++;
            if (e + 1 < n && t[e] == '.' && char.IsLetterOrDigit(t[e + 1])) return false; // www.Example.Com
            if (notPeriod) return true;

            ReadOnlySpan<char> tok = Token(i);
            if (tok.Length < 2 || tok.Contains('.')) return false; // "J.Smith", "e.g.The"
            return tok.Length >= MaxTokenLength || !Abbreviations.TryGetValue(tok, out _); // "Mr.Smith"
        }

        /// <summary>'.' followed by whitespace and then a non-lower-case start (<paramref name="next"/>: U, d or o).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly bool PeriodBoundary(int i, char next, int word, bool lineBreak)
        {
            ReadOnlySpan<char> t = _t;
            ReadOnlySpan<char> tok = Token(i);
            if (tok.IsEmpty || tok.Length >= MaxTokenLength) return true; // ")." "%." or a long run of junk

            if (tok.ContainsAnyInRange('0', '9'))
            {
                // "1. Introduction": a short number opening the sentence is a list label, not a sentence.
                bool listLabel = tok.Length <= 3 && !tok.ContainsAnyExceptInRange('0', '9') && StartsSentence(i - tok.Length);
                return !listLabel;
            }

            if (!Abbreviations.TryGetValue(tok, out Abbrev kind))
            {
                if (tok.Contains('.')) kind = Abbrev.Maybe;          // U.S.S.R., B.B.C.
                else if (tok.Length == 1)
                {
                    // Initials: "J. F. Kennedy", "T. S. Eliot". A single letter followed by another initial never ends.
                    if (word + 1 < t.Length && char.IsLetter(t[word]) && t[word + 1] == '.'
                        && (word + 2 >= t.Length || !char.IsLetter(t[word + 2])))
                        return false;
                    kind = Abbrev.Maybe;                              // "vitamin C. The" vs "J. Kennedy"
                }
                else return true;                                     // an ordinary word
            }

            switch (kind)
            {
                case Abbrev.Never: return false;
                case Abbrev.Usually: return true;
                case Abbrev.NumberPrefix when next == 'd': return false;
            }
            // Maybe: the abbreviation ends the sentence only if a line break or a typical sentence opener follows.
            if (next == 'd') return false;
            if (lineBreak) return true;
            if (next != 'U') return false;
            int e = word;
            while (e < t.Length && e - word < MaxTokenLength && char.IsLetter(t[e])) e++;
            return SentenceStarters.Contains(t[word..e]);
        }

        /// <summary>The word before the '.' at <paramref name="i"/>: letters, digits, inner dots and apostrophes ("U.S", "e.g", "didn't").</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly ReadOnlySpan<char> Token(int i)
        {
            ReadOnlySpan<char> t = _t;
            int p = i;
            while (p > _segStart && i - p < MaxTokenLength)
            {
                char c = t[p - 1];
                if (!(char.IsLetterOrDigit(c) || c is '.' or '\'' or '\u2019')) break;
                p--;
            }
            ReadOnlySpan<char> tok = t[p..i];
            return tok.Trim("'.\u2019");
        }

        /// <summary>Classifies the start of the next sentence after opening quotes/brackets: 'U'pper (or uncased letter), 'l'ower, 'd'igit, 'o'ther.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly char NextClass(int k, out int word)
        {
            ReadOnlySpan<char> t = _t;
            word = SkipOpeners(k);
            if (word >= t.Length) return 'o';
            char c = t[word];
            if (char.IsLower(c)) return 'l';
            if (char.IsLetter(c)) return 'U';
            if (char.IsDigit(c)) return 'd';
            return 'o';
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly int SkipOpeners(int k)
        {
            ReadOnlySpan<char> t = _t;
            int limit = Math.Min(t.Length, k + 3);
            while (k < limit && IsOpener(t[k])) k++;
            return k;
        }

        /// <summary>Only whitespace lies between the segment start and <paramref name="pos"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly bool StartsSentence(int pos)
        {
            ReadOnlySpan<char> t = _t;
            for (int p = _segStart; p < pos; p++)
                if (!char.IsWhiteSpace(t[p]) && !IsOpener(t[p])) return false;
            return true;
        }

        /// <summary>Whether the current segment has a letter or digit before <paramref name="end"/> (incremental, so linear overall).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool SegmentHasContent(int end)
        {
            if (_segHasContent) return true;
            ReadOnlySpan<char> t = _t;
            for (int p = Math.Max(_scanPos, _segStart); p < end; p++)
            {
                if (char.IsLetterOrDigit(t[p]))
                {
                    _segHasContent = true;
                    return true;
                }
            }
            _scanPos = end;
            return false;
        }

        /// <summary>Ends the current sentence at <paramref name="end"/> (exclusive), emitting it trimmed if not blank.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Boundary(int end)
        {
            ReadOnlySpan<char> t = _t;
            int s = _segStart, e = end;
            while (s < e && char.IsWhiteSpace(t[s])) s++;
            while (e > s && char.IsWhiteSpace(t[e - 1])) e--;
            if (s < e) _out.Add((s, e));
            _segStart = end;
            _scanPos = end;
            _segHasContent = false;
        }
    }

    private static bool IsLineBreak(char c) => c is '\n' or '\r' or '\u000B' or '\u0085' or '\u2028' or '\u2029';

    // Form feed counts as horizontal: pdftotext puts it between pages, often in mid-sentence.
    private static bool IsHorizontalSpace(char c) => char.IsWhiteSpace(c) && !IsLineBreak(c);

    private static bool IsTerminatorChar(char c) =>
        c is '.' or '?' or '!' or '\u2026' or '\u203C' or '\u2047' or '\u2048' or '\u2049' or '\u3002' or '\uFF01' or '\uFF1F';

    private static bool IsCloser(char c) =>
        c is '"' or '\'' or '\u201D' or '\u2019' or '\u00BB' or '\u203A' or ')' or ']' or '}' or '\u300D' or '\u300F' or '\uFF09';

    private static bool IsOpener(char c) =>
        c is '"' or '\'' or '\u201C' or '\u2018' or '\u201E' or '\u201A' or '\u00AB' or '\u2039' or '(' or '[' or '{' or '\u00BF' or '\u00A1';

    private static bool IsContinuationWord(ReadOnlySpan<char> w) =>
        w.Equals("the", StringComparison.OrdinalIgnoreCase) || w.Equals("a", StringComparison.OrdinalIgnoreCase)
        || w.Equals("an", StringComparison.OrdinalIgnoreCase) || w.Equals("of", StringComparison.OrdinalIgnoreCase)
        || w.Equals("and", StringComparison.OrdinalIgnoreCase) || w.Equals("or", StringComparison.OrdinalIgnoreCase)
        || w.Equals("to", StringComparison.OrdinalIgnoreCase) || w.Equals("in", StringComparison.OrdinalIgnoreCase)
        || w.Equals("for", StringComparison.OrdinalIgnoreCase) || w.Equals("with", StringComparison.OrdinalIgnoreCase)
        || w.Equals("by", StringComparison.OrdinalIgnoreCase) || w.Equals("that", StringComparison.OrdinalIgnoreCase);
}

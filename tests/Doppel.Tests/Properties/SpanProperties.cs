using System.Text;
using System.Text.RegularExpressions;
using Doppel.Engine.Alignment;
using Doppel.Engine.Fingerprints;
using Doppel.Engine.Text;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Doppel.Tests.Properties;

/// <summary>
/// Property tests of the offsets the engine reports: spans lie inside their documents and slice the text that was
/// actually matched, for random documents full of Unicode trouble (mojibake, CRLF, curly quotes, ligatures,
/// invisible characters, surrogate pairs) and for random pairs built by copying chunks of one document into another.
/// </summary>
public partial class SpanProperties
{
    /// <summary>A fixed seed by default, so CI runs are reproducible (a failure replays the same way); set
    /// DOPPEL_PROPERTY_SEED=random to explore new inputs, or to a number to replay a seed.</summary>
    private static Config Cfg(int tests)
    {
        var config = Config.QuickThrowOnFailure.WithMaxTest(tests).WithQuietOnSuccess(true);
        string? seed = Environment.GetEnvironmentVariable("DOPPEL_PROPERTY_SEED");
        if (seed == "random") return config;
        ulong value = ulong.TryParse(seed, out var v) ? v : 20261121UL;
        return config.WithReplay(Microsoft.FSharp.Core.FSharpOption<Replay>.Some(new Replay(new Rnd(value), Microsoft.FSharp.Core.FSharpOption<int>.None)));
    }

    // ---- generators -------------------------------------------------------------------------------------------

    private static readonly string[] Words =
    [
        "the", "of", "and", "a", "to", "in", "is", "was", "that", "for", "missile", "crisis", "Kennedy", "Soviet",
        "Cuba", "world", "war", "nuclear", "president", "decision", "blockade", "advisers", "public", "speech",
        "government", "history", "America", "Khrushchev", "October", "island", "weapons", "secret", "agreement",
        "Turkey", "removed", "backed", "down", "tension", "ships", "navy", "quarantine", "letter", "message",
        "don't", "Kennedy's", "it's", "1,000.5", "3.14", "1962", "42", "anti-virus", "well-known", "USA", "U.N.",
        "caf\u00E9", "na\u00EFve", "e\u0301te\u0301", "\uFB01nal", "o\uFB02ine", "\uFF21\uFF22\uFF23", "\uFF11\uFF12",
        "Kennedy\u00E2\u20AC\u2122s", "it\u00E2\u20AC\u2122s", "don\u2019t", "co\u00ADop", "zero\u200Bwidth", "\U0001F600",
        "\u00BD", "\u2122", "\u00C3\u00A9t\u00C3\u00A9", "\u00E2\u20AC", "\u00E2", "\u00C2",
    ];

    private static readonly string[] Separators =
    [
        " ", " ", " ", " ", "  ", "\t", "\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\u00A0", ", ", ". ", "! ", "? ", "; ",
        " . ", " , ", " - ", " \u2014 ", "\u2013", "-", "'", "\u201C", "\u201D", " \u2018", "\u2019 ", "\"", "(", ") ",
        "\u2026 ", "\u200B", "\u00AD", "\uFEFF", "\u2028", ".", ",", "...", "\u00E2\u20AC\u2122", " \u00E2\u20AC\u2122 ",
    ];

    /// <summary>A random document: words interleaved with random separators (whitespace, punctuation, Unicode).</summary>
    private static Gen<string> DocumentGen(int maxPieces)
    {
        var piece = Gen.Frequency(
            (3, Gen.Elements(Words)),
            (2, Gen.Elements(Separators)),
            (1, Gen.Choose(0x20, 0x2FFF).Select(c => char.IsSurrogate((char)c) ? "x" : ((char)c).ToString())));
        return Gen.Choose(0, maxPieces).SelectMany(n => piece.ArrayOf(n)).Select(a => string.Concat(a));
    }

    private static Arbitrary<string> Documents(int maxPieces) =>
        Arb.From(DocumentGen(maxPieces), ShrinkText);

    /// <summary>Shrinks a failing text by halving it, then by dropping single characters.</summary>
    private static IEnumerable<string> ShrinkText(string s)
    {
        if (s.Length == 0) yield break;
        if (s.Length > 1)
        {
            yield return s[..(s.Length / 2)];
            yield return s[(s.Length / 2)..];
        }
        for (int i = 0; i < s.Length; i++)
            yield return s.Remove(i, 1);
    }

    // ---- 1. token offsets ---------------------------------------------------------------------------------------

    [Fact]
    public void TokenOffsets_SliceOnlyWordCharacters()
    {
        // Checked per original "group" (the original characters one normalised piece came from): a group inside a
        // token is a letter/digit (or a character NFKC turns into some, like a ligature, '™' or '⒗'), an inner
        // apostrophe (also curly or mojibake "â€™"), an inner digit separator, or an invisible character.
        var prop = Prop.ForAll(Documents(120), text =>
        {
            var d = DocumentAnalyzer.Analyze(text);
            var n = Normalizer.Normalize(text);
            int prevStart = 0, prevEnd = 0;
            for (int t = 0; t < d.TokenCount; t++)
            {
                int s = d.TokenStart[t], e = d.TokenEnd[t];
                if (s < 0 || e <= s || e > text.Length) return Fail($"token {t} span {s}..{e} outside 0..{text.Length}");
                // Tokens follow each other. They can share original characters only where one character expanded
                // into two tokens (NFKC: '½' -> "1⁄2", so "½1" gives "1" and "21", both starting at the '½').
                if (s < prevStart || e < prevEnd) return Fail($"token {t} {s}..{e} goes back from the previous token {prevStart}..{prevEnd}");
                if (s < prevEnd && !(s == prevStart || Normalizer.Normalize(text[s..prevEnd]).Length > 1))
                    return Fail($"token {t} {s}..{e} overlaps the previous token {prevStart}..{prevEnd}");
                (prevStart, prevEnd) = (s, e);
                string slice = text[s..e];
                // Whitespace may sit inside a token only as part of a repaired mojibake sequence ("Ã" + NBSP is 'à').
                for (int p = s; p < e; p++)
                    if (char.IsWhiteSpace(text[p]) && !InsideRepair(n, p))
                        return Fail($"token {t} '{Show(slice)}' contains whitespace");

                var groups = Groups(n, s, e);
                if (groups.Count == 0 || !groups[0].Any(IsWordChar) || !groups[^1].Any(IsWordChar))
                    return Fail($"token {t} '{Show(slice)}' does not start and end with a word character");
                for (int g = 1; g + 1 < groups.Count; g++)
                {
                    string piece = groups[g];
                    if (piece.Length == 0 || piece.Any(IsWordChar) || piece is "'" or "." or ",") continue;
                    return Fail($"token {t} '{Show(slice)}' holds '{Show(piece)}'");
                }
                string norm = string.Concat(groups);
                if (norm.Length <= 64 && IsWordChar(norm[0]) && IsWordChar(norm[^1]) && norm.All(c => IsWordChar(c) || c is '\'' or '.' or ',')
                    && d.WordHash[t] != Hash64.Of(norm.ToLowerInvariant()))
                    return Fail($"token {t} '{Show(slice)}': hash is not the hash of the sliced text '{Show(norm)}'");
            }
            return true;
        });
        Check.One(Cfg(200), prop);
    }

    /// <summary>True when original char <paramref name="p"/> is one of several original chars that normalised into one
    /// letter together (a mojibake repair).</summary>
    private static bool InsideRepair(NormalizedText n, int p)
    {
        for (int k = 0; k < n.Length; k++)
            if (n.OriginalStart[k] <= p && p < n.OriginalEnd[k])
                return n.OriginalEnd[k] - n.OriginalStart[k] > 1 && char.IsLetterOrDigit(n.ToString()[k]);
        return false;
    }

    /// <summary>The normalised output of each original group inside [s, e), in order; dropped characters give "".</summary>
    private static List<string> Groups(NormalizedText n, int s, int e)
    {
        var result = new List<string>();
        string norm = n.ToString();
        int k = 0;
        while (k < n.Length && n.OriginalStart[k] < s) k++;
        int covered = s;
        while (k < n.Length && n.OriginalEnd[k] <= e)
        {
            int gs = n.OriginalStart[k];
            for (; covered < gs; covered++) result.Add(""); // dropped (invisible) characters
            int k0 = k;
            while (k < n.Length && n.OriginalStart[k] == gs) k++;
            result.Add(norm[k0..k]);
            covered = n.OriginalEnd[k0];
        }
        for (; covered < e; covered++) result.Add("");
        // Invisible characters at either end would have been outside the token.
        return result;
    }

    [Fact]
    public void UnitSpans_LieInsideTheText_AndContainTheirTokens()
    {
        var prop = Prop.ForAll(Documents(150), text =>
        {
            var d = DocumentAnalyzer.Analyze(text);
            for (int u = 0; u < d.UnitCount; u++)
            {
                var (s, e) = d.UnitSpan(u);
                if (s < 0 || e > text.Length || e < s) return Fail($"unit {u} span {s}..{e} outside 0..{text.Length}");
                for (int t = d.UnitTokenStart[u]; t < d.UnitTokenStart[u + 1]; t++)
                    if (d.TokenStart[t] < s || d.TokenEnd[t] > e) return Fail($"token {t} outside unit {u}");
            }
            return true;
        });
        Check.One(Cfg(200), prop);
    }

    [Fact]
    public void NormalizerMap_RoundTripsOnWholeGroups()
    {
        var prop = Prop.ForAll(Documents(60), text =>
        {
            var n = Normalizer.Normalize(text);
            string norm = n.ToString();
            var starts = new List<int>();
            for (int k = 0; k < n.Length; k++)
            {
                if (n.OriginalStart[k] >= n.OriginalEnd[k] || n.OriginalEnd[k] > text.Length) return Fail($"bad map at {k}");
                if (k > 0 && n.OriginalStart[k] < n.OriginalStart[k - 1]) return Fail($"map goes back at {k}");
                if (k == 0 || n.OriginalStart[k] != n.OriginalStart[k - 1]) starts.Add(k);
            }
            // A few group-aligned spans per document.
            for (int i = 0; i < starts.Count; i += 3)
            {
                int a = starts[i];
                int b = i + 5 < starts.Count ? starts[i + 5] : n.Length;
                var (os, oe) = n.ToOriginal(a, b);
                string again = Normalizer.Normalize(text[os..oe]).ToString();
                if (again != norm[a..b]) return Fail($"[{a},{b}) '{Show(norm[a..b])}' -> '{Show(text[os..oe])}' -> '{Show(again)}'");
            }
            return true;
        });
        Check.One(Cfg(200), prop);
    }

    // ---- 2. aligned pairs ----------------------------------------------------------------------------------------

    /// <summary>A pair: a source document, and a suspicious document made of unrelated filler and chunks copied
    /// from the source, the copies optionally edited.</summary>
    public sealed record Pair(string Suspicious, string Source, bool Edited, int Seed)
    {
        public override string ToString() => $"Pair(seed={Seed}, edited={Edited}, susp={Suspicious.Length} chars, src={Source.Length} chars)\nSUSP: {Show(Suspicious)}\nSRC: {Show(Source)}";
    }

    // Filler vocabulary shares no word with the source vocabulary, so only copied text can match.
    private static readonly string[] Filler =
    [
        "glacier", "valley", "radar", "meltwater", "reservoir", "farmers", "summer", "drought", "kilometres", "ice",
        "thickness", "photographs", "rivers", "downstream", "towns", "communities", "spring", "floods", "warming",
        "decades", "researchers", "measured", "compared", "historical", "northern", "retreated", "century", "expect",
        "smaller", "disappear", "entirely", "planning", "store", "supply", "throughout", "dry", "months", "snow",
    ];

    private static readonly string[] SourceWords =
    [
        "missile", "crisis", "Kennedy", "Soviet", "Cuba", "world", "war", "nuclear", "president", "decision",
        "blockade", "advisers", "public", "speech", "government", "history", "America", "Khrushchev", "October",
        "island", "weapons", "secret", "agreement", "Turkey", "removed", "backed", "tension", "ships", "navy",
        "quarantine", "letter", "message", "the", "of", "and", "to", "in", "was", "that", "a", "don't", "Kennedy's",
        "1962", "3.14", "1,000.5", "caf\u00E9", "\uFB01nal", "Kennedy\u00E2\u20AC\u2122s", "don\u2019t", "\uFF21\uFF22",
        "co\u00ADop", "anti-missile", "\U0001F600",
    ];

    private static readonly string[] Gaps = [" ", " ", " ", " ", "  ", "\r\n", "\n", ", ", " \u2014 ", "\u00A0", " \u201C", "\u201D "];

    private static string Sentences(Random r, string[] vocab, int words)
    {
        var sb = new StringBuilder();
        int inSentence = 0, len = 4 + r.Next(14);
        for (int w = 0; w < words; w++)
        {
            string word = vocab[r.Next(vocab.Length)];
            if (inSentence == 0 && char.IsLower(word[0])) word = char.ToUpperInvariant(word[0]) + word[1..];
            sb.Append(word);
            if (++inSentence >= len)
            {
                sb.Append(r.Next(6) switch { 0 => ".\r\n", 1 => ".\n\n", 2 => " . ", 3 => "? ", _ => ". " });
                inSentence = 0;
                len = 4 + r.Next(14);
            }
            else sb.Append(Gaps[r.Next(Gaps.Length)]);
        }
        return sb.ToString();
    }

    /// <summary>Re-flows a copied chunk: changes whitespace, case and quote style, never words.</summary>
    private static string Reflow(Random r, string chunk)
    {
        var sb = new StringBuilder(chunk.Length);
        foreach (char c in chunk)
        {
            int roll = r.Next(40);
            if (c == ' ' && roll == 0) sb.Append("\r\n");
            else if (c == ' ' && roll == 1) sb.Append("  ");
            else if (c == '\'' && roll < 10) sb.Append('\u2019');
            else if (c is >= 'a' and <= 'z' && roll == 2) sb.Append(char.ToUpperInvariant(c)); // ASCII only: keeps mojibake intact
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Edits words: drops, inserts filler, swaps neighbours.</summary>
    private static string EditWords(Random r, string chunk)
    {
        var parts = chunk.Split(' ').ToList();
        int edits = 1 + r.Next(Math.Max(1, parts.Count / 8));
        for (int e = 0; e < edits && parts.Count > 2; e++)
        {
            int at = r.Next(parts.Count - 1);
            switch (r.Next(3))
            {
                case 0: parts.RemoveAt(at); break;
                case 1: parts.Insert(at, Filler[r.Next(Filler.Length)]); break;
                default: (parts[at], parts[at + 1]) = (parts[at + 1], parts[at]); break;
            }
        }
        return string.Join(' ', parts);
    }

    private static Pair MakePair(int seed, bool edited, int maxChunks)
    {
        var r = new Random(seed);
        string src = Sentences(r, SourceWords, 60 + r.Next(240));
        var sb = new StringBuilder();
        sb.Append(Sentences(r, Filler, r.Next(60)));
        int chunks = 1 + r.Next(maxChunks);
        for (int c = 0; c < chunks; c++)
        {
            // Chunks start and end at spaces so no word is cut in half.
            int a = r.Next(src.Length), b = Math.Min(src.Length, a + 80 + r.Next(600));
            while (a > 0 && src[a - 1] != ' ') a--;
            while (b < src.Length && src[b] != ' ') b++;
            string chunk = src[a..b];
            if (edited) chunk = EditWords(r, chunk);
            sb.Append(' ').Append(Reflow(r, chunk)).Append(' ');
            sb.Append(Sentences(r, Filler, r.Next(50)));
        }
        return new Pair(sb.ToString(), src, edited, seed);
    }

    private static Arbitrary<Pair> Pairs(bool edited, int maxChunks) =>
        Arb.From(Gen.Choose(0, int.MaxValue - 1).Select(seed => MakePair(seed, edited, maxChunks)));

    private static string? CheckSpans(Pair pair, IReadOnlyList<AlignedPassage> passages)
    {
        int ns = pair.Suspicious.Length, nr = pair.Source.Length;
        foreach (var p in passages)
        {
            if (p.SuspiciousStart < 0 || p.SuspiciousLength <= 0 || p.SuspiciousEnd > ns)
                return $"suspicious span {p.SuspiciousStart}+{p.SuspiciousLength} outside 0..{ns}";
            if (p.SourceStart < 0 || p.SourceLength <= 0 || p.SourceEnd > nr)
                return $"source span {p.SourceStart}+{p.SourceLength} outside 0..{nr}";
            if (p.Score is < 0 or > 1 || double.IsNaN(p.Score)) return $"score {p.Score}";
            foreach (var l in p.Links)
            {
                if (l.SuspiciousStart < 0 || l.SuspiciousLength < 0 || l.SuspiciousStart + l.SuspiciousLength > ns)
                    return $"link suspicious span {l.SuspiciousStart}+{l.SuspiciousLength} outside 0..{ns}";
                if (l.SourceStart < 0 || l.SourceLength < 0 || l.SourceStart + l.SourceLength > nr)
                    return $"link source span {l.SourceStart}+{l.SourceLength} outside 0..{nr}";
            }
        }
        for (int i = 1; i < passages.Count; i++)
            if (passages[i].SuspiciousStart < passages[i - 1].SuspiciousEnd) return "passages overlap on the suspicious side";
        return null;
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordRegex();

    /// <summary>Lowercased words of an original substring (normalised first, so mojibake, ligatures and
    /// invisible characters read as the clean text they stand for).</summary>
    internal static string[] WordsOf(string original)
        => WordRegex().Matches(Normalizer.Normalize(original).ToString().ToLowerInvariant()).Select(m => m.Value).ToArray();

    [Fact]
    public void CopiedChunk_SpansInside_AndVerbatimSpansHoldTheSameWords()
    {
        // One chunk of the source, re-flowed (whitespace, case, quote style) but not reworded, inside filler: a
        // verbatim passage must slice the same words on both sides.
        int withPassages = 0;
        var prop = Prop.ForAll(Pairs(edited: false, maxChunks: 1), pair =>
        {
            var susp = DocumentAnalyzer.Analyze(pair.Suspicious);
            var src = DocumentAnalyzer.Analyze(pair.Source);
            var passages = PairAligner.Align(susp, src);
            if (CheckSpans(pair, passages) is { } error) return Fail(error);
            if (passages.Count > 0) withPassages++;
            foreach (var p in passages.Where(p => p.Kind == PassageKind.Verbatim))
            {
                var ws = WordsOf(pair.Suspicious.Substring(p.SuspiciousStart, p.SuspiciousLength));
                var wr = WordsOf(pair.Source.Substring(p.SourceStart, p.SourceLength));
                if (!ws.SequenceEqual(wr))
                    return Fail($"verbatim passage {p.SuspiciousStart}+{p.SuspiciousLength}/{p.SourceStart}+{p.SourceLength}: words differ\n  susp: {string.Join(' ', ws)}\n  src:  {string.Join(' ', wr)}");
            }
            return true;
        });
        Check.One(Cfg(150), prop);
        Assert.True(withPassages > 50, $"only {withPassages} of 150 copied pairs produced a passage: the generator is too weak");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SeveralChunks_SpansInside_AndVerbatimSpansMostlyHoldTheSameWords(bool edited)
    {
        // With several copies (which may overlap, cross or sit close together) or word edits inside them, a verbatim
        // passage can bridge filler or an edit (exact runs need only cover 80% of it, AlignmentOptions.VerbatimCoverage)
        // and take its start and end on each side from different runs; so only most of its words are required to
        // occur in the source span. See VerbatimPassageBridgingFiller_* in PairAlignerTests for the strict version.
        var prop = Prop.ForAll(Pairs(edited, maxChunks: 3), pair =>
        {
            var susp = DocumentAnalyzer.Analyze(pair.Suspicious);
            var src = DocumentAnalyzer.Analyze(pair.Source);
            var passages = PairAligner.Align(susp, src);
            if (CheckSpans(pair, passages) is { } error) return Fail(error);
            foreach (var p in passages.Where(p => p.Kind == PassageKind.Verbatim))
            {
                var ws = WordsOf(pair.Suspicious.Substring(p.SuspiciousStart, p.SuspiciousLength));
                var wr = WordsOf(pair.Source.Substring(p.SourceStart, p.SourceLength));
                if (ws.Length == 0 || wr.Length == 0) return Fail("verbatim passage without words");
                // Exact runs cover at least 80% of the suspicious span, so most of its words occur in the source span
                // (as a set: a source sentence copied twice may be one passage against one source span).
                var inSource = wr.ToHashSet();
                int found = ws.Count(inSource.Contains);
                if (found < 0.7 * ws.Length)
                    return Fail($"verbatim passage {p.SuspiciousStart}+{p.SuspiciousLength}/{p.SourceStart}+{p.SourceLength}: only {found} of its {ws.Length} words are in the source span");
            }
            return true;
        });
        Check.One(Cfg(150), prop);
    }

    [Fact]
    public void RandomNoisyDocuments_AlignedWithThemselvesAndEachOther_SpansInside()
    {
        var gen = DocumentGen(400).Two().Select(t => new Pair(t.Item1, t.Item2, false, 0));
        var prop = Prop.ForAll(Arb.From(gen), pair =>
        {
            var a = DocumentAnalyzer.Analyze(pair.Suspicious);
            var b = DocumentAnalyzer.Analyze(pair.Source);
            if (CheckSpans(pair, PairAligner.Align(a, b)) is { } e1) return Fail(e1);
            var self = new Pair(pair.Suspicious, pair.Suspicious, false, 0);
            var passages = PairAligner.Align(a, DocumentAnalyzer.Analyze(pair.Suspicious));
            if (CheckSpans(self, passages) is { } e2) return Fail("self: " + e2);
            foreach (var p in passages.Where(p => p.Kind == PassageKind.Verbatim))
                if (!WordsOf(pair.Suspicious.Substring(p.SuspiciousStart, p.SuspiciousLength))
                        .SequenceEqual(WordsOf(pair.Suspicious.Substring(p.SourceStart, p.SourceLength))))
                    return Fail($"self: verbatim passage {p.SuspiciousStart}+{p.SuspiciousLength}/{p.SourceStart}+{p.SourceLength} words differ");
            return true;
        });
        Check.One(Cfg(120), prop);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark
            or System.Globalization.UnicodeCategory.SpacingCombiningMark;

    private static bool Fail(string message) => throw new Xunit.Sdk.XunitException(message);

    internal static string Show(string s)
    {
        var sb = new StringBuilder();
        foreach (char c in s.Length > 3000 ? s[..3000] + "…" : s)
            sb.Append(c is < ' ' or > '~' ? $"\\u{(int)c:X4}" : c.ToString());
        return sb.ToString();
    }
}

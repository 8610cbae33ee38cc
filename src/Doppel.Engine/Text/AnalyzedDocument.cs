namespace Doppel.Engine.Text;

/// <summary>
/// A document after the text pipeline: tokens with original offsets, stems, and alignment units (sentences, with
/// very short ones merged into a neighbour) with their content-term vectors. Immutable and shareable across threads;
/// one analysis serves every pair the document takes part in.
/// </summary>
public sealed class AnalyzedDocument
{
    public required string Name { get; init; }
    public required string Text { get; init; }
    /// <summary>How the text was obtained: "text", "html", "docx" or "pdf" (see <see cref="DocumentFormats"/>).</summary>
    public string Format { get; init; } = DocumentFormats.Text;
    /// <summary>Structural regions (headings, block quotes, footnotes) the reader reported; empty for plain text.</summary>
    public IReadOnlyList<TextRegion> Regions { get; init; } = [];

    public int TokenCount { get; init; }
    /// <summary>Token start in the original text.</summary>
    public required int[] TokenStart { get; init; }
    /// <summary>Token end (exclusive) in the original text.</summary>
    public required int[] TokenEnd { get; init; }
    /// <summary>Hash of the lowercased surface form.</summary>
    public required ulong[] WordHash { get; init; }
    public required int[] StemId { get; init; }
    public required bool[] IsStopword { get; init; }
    /// <summary>Token is scholarly markup (math, a LaTeX command, in a paper also a citation, a section heading, the
    /// reference list or the front matter; see <see cref="ScholarlyMarkup"/>): it takes no part in the unit term
    /// vectors and cannot seed a passage by itself.</summary>
    public required bool[] IsMarkup { get; init; }
    public int MarkupTokenCount { get; init; }
    /// <summary>The text reads as an academic paper (see <see cref="ScholarlyMarkup"/>).</summary>
    public bool IsPaper { get; init; }
    /// <summary>The markup found, in offsets of the original text.</summary>
    public IReadOnlyList<MarkupSpan> MarkupSpans { get; init; } = [];

    /// <summary>Tokens of [t0, t1) that are prose, not markup.</summary>
    public int ProseTokens(int t0, int t1)
    {
        if (MarkupTokenCount == 0) return t1 - t0;
        int n = 0;
        for (int t = t0; t < t1; t++) if (!IsMarkup[t]) n++;
        return n;
    }

    public int UnitCount { get; init; }
    /// <summary>First token of each unit; entry UnitCount is TokenCount.</summary>
    public required int[] UnitTokenStart { get; init; }
    public required int[] UnitCharStart { get; init; }
    public required int[] UnitCharEnd { get; init; }

    /// <summary>Unit term vectors in compressed rows: distinct content stems of unit u are
    /// UnitTerms[UnitTermStart[u]..UnitTermStart[u+1]], sorted, with counts in UnitTermFreq.</summary>
    public required int[] UnitTermStart { get; init; }
    public required int[] UnitTerms { get; init; }
    public required int[] UnitTermFreq { get; init; }

    /// <summary>The same entries ordered by term, then unit: an inverted list of the document.</summary>
    public required int[] PostingTerm { get; init; }
    public required int[] PostingUnit { get; init; }
    public required int[] PostingFreq { get; init; }

    /// <summary>Character span of unit u in the original text.</summary>
    public (int Start, int End) UnitSpan(int u) => (UnitCharStart[u], UnitCharEnd[u]);

    public int ContentTermCount(int u) => UnitTermStart[u + 1] - UnitTermStart[u];

    /// <summary>The words (tokens) [T0, T1) that overlap characters [start, end) of the original text.</summary>
    public (int T0, int T1) TokenRange(int start, int end)
    {
        int t0 = LowerBound(TokenEnd, start + 1);
        int t1 = LowerBound(TokenStart, end);
        return (t0, Math.Max(t0, t1));
    }

    /// <summary>
    /// How many words lie in the union of <paramref name="spans"/> (characters of the original text), each word
    /// once. Words are the tokens of the analysis (inner apostrophes and digit separators stay inside a word:
    /// "Kennedy's", "1,000"), and this is the one word count of every report: the share of a comparison report, its
    /// word counts, the HTML report (which receives the token offsets for its script) and collection mode.
    /// </summary>
    public int WordsIn(IEnumerable<(int Start, int End)> spans)
    {
        int covered = 0, reach = 0;
        foreach (var (s, e) in spans.OrderBy(x => x.Start))
        {
            var (t0, t1) = TokenRange(s, e);
            t0 = Math.Max(t0, reach);
            if (t1 > t0) covered += t1 - t0;
            reach = Math.Max(reach, t1);
        }
        return covered;
    }

    private int LowerBound(int[] a, int value)
    {
        int lo = 0, hi = TokenCount;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}

using Doppel.Engine.Alignment;
using Doppel.Engine.Text;

namespace Doppel.Engine.Exclusions;

/// <summary>
/// The exclusion stage, after alignment: which parts of each passage count. A passage keeps its offsets (the evidence
/// is shown whole); only its counted part, the suspicious span minus the active excluded spans, enters the shares.
/// A passage with no counted word left, or fewer than <see cref="ExclusionOptions.MinMatchWords"/>, is not counted
/// at all, and neither are the passages of an excluded source. The HTML report repeats this computation in the
/// browser when the reader switches exclusions; words are counted the same way on both sides (the document's tokens,
/// <see cref="AnalyzedDocument.WordsIn"/>: the renderer gives the script their offsets).
/// </summary>
public sealed class ExclusionFilter
{
    private readonly (int Start, int End)[] _active;
    private readonly List<ExcludedSpan> _spans;
    private readonly AnalyzedDocument _doc;

    public ExclusionFilter(string text, IReadOnlyList<ExcludedSpan> spans, ExclusionOptions options)
        : this(DocumentAnalyzer.Analyze(text), spans, options)
    {
    }

    public ExclusionFilter(AnalyzedDocument doc, IReadOnlyList<ExcludedSpan> spans, ExclusionOptions options)
    {
        _doc = doc;
        Options = options;
        _spans = [.. spans];
        _active = Merge(spans.Where(s => IsActive(s.Kind, options)).Select(s => (s.Start, s.End)));
    }

    public ExclusionOptions Options { get; }
    public IReadOnlyList<ExcludedSpan> Spans => _spans;

    public static bool IsActive(ExcludedKind kind, ExclusionOptions options) => kind switch
    {
        ExcludedKind.Quote or ExcludedKind.BlockQuote => options.Quotes,
        _ => options.Bibliography,
    };

    /// <summary>Why the passage does not count at all ("source", "quote", "blockQuote", "bibliography", "short"),
    /// or null when (some of) it counts; <paramref name="counted"/> gets the counted pieces of its suspicious span.</summary>
    public string? Classify(AlignedPassage p, bool sourceExcluded, List<(int Start, int End)> counted)
    {
        counted.Clear();
        Subtract(p.SuspiciousStart, p.SuspiciousEnd, counted);
        if (sourceExcluded) { counted.Clear(); return "source"; }
        int words = _doc.WordsIn(counted);
        if (words == 0)
        {
            counted.Clear();
            return ExcludedSpan.KindName(DominantKind(p.SuspiciousStart, p.SuspiciousEnd));
        }
        if (Options.MinMatchWords > 0 && words < Options.MinMatchWords)
        {
            counted.Clear();
            return "short";
        }
        return null;
    }

    private void Subtract(int start, int end, List<(int Start, int End)> into)
    {
        int pos = start;
        foreach (var (s, e) in _active)
        {
            if (e <= pos) continue;
            if (s >= end) break;
            if (s > pos) into.Add((pos, s));
            pos = Math.Max(pos, e);
            if (pos >= end) break;
        }
        if (pos < end) into.Add((pos, end));
    }

    private ExcludedKind DominantKind(int start, int end)
    {
        ExcludedKind best = ExcludedKind.Quote;
        int most = -1;
        foreach (var s in _spans)
        {
            if (!IsActive(s.Kind, Options)) continue;
            int overlap = Math.Min(end, s.End) - Math.Max(start, s.Start);
            if (overlap > most) { most = overlap; best = s.Kind; }
        }
        return best;
    }

    /// <summary>Sorted, disjoint union of intervals.</summary>
    public static (int Start, int End)[] Merge(IEnumerable<(int Start, int End)> intervals)
    {
        var sorted = intervals.Where(x => x.End > x.Start).OrderBy(x => x.Start).ToList();
        var merged = new List<(int Start, int End)>();
        foreach (var (s, e) in sorted)
        {
            if (merged.Count > 0 && s <= merged[^1].End)
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, e));
            else
                merged.Add((s, e));
        }
        return [.. merged];
    }

    public static int Length(IEnumerable<(int Start, int End)> merged) => merged.Sum(x => x.End - x.Start);
}

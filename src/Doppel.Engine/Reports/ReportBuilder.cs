using Doppel.Engine.Alignment;
using Doppel.Engine.Exclusions;
using Doppel.Engine.Text;

namespace Doppel.Engine.Reports;

/// <summary>One aligned source: the document, how it was named, and its passages with the suspicious document.</summary>
public sealed record AlignedSource(AnalyzedDocument Document, string Name, string Path, IReadOnlyList<AlignedPassage> Passages);

/// <summary>How a report is built: exclusions, and whether it carries the suspicious text (HTML reports need it).</summary>
public sealed record ReportOptions
{
    public static readonly ReportOptions Default = new();
    public ExclusionOptions Exclusions { get; init; } = ExclusionOptions.None;
    public bool IncludeText { get; init; }
}

/// <summary>Builds a <see cref="ComparisonReport"/> from alignment results; shared by compare (one source) and check
/// (many). The exclusion stage runs here: spans are found in the suspicious text, and shares count only what the
/// options leave in.</summary>
public static class ReportBuilder
{
    public static ComparisonReport Build(AnalyzedDocument suspicious, string suspiciousName, string suspiciousPath,
        IEnumerable<AlignedSource> sources, IEnumerable<SkippedInput>? skipped = null, ReportOptions? options = null)
    {
        options ??= ReportOptions.Default;
        string text = suspicious.Text;
        var spans = ExclusionFinder.Find(text, suspicious.Regions);
        var filter = new ExclusionFilter(suspicious, spans, options.Exclusions);
        var allCounted = new List<(int Start, int End)>();
        var pieces = new List<(int Start, int End)>();
        var reports = new List<SourceReport>();
        foreach (var s in sources)
        {
            bool sourceExcluded = options.Exclusions.ExcludesSource(s.Name, s.Path);
            var counted = new List<(int Start, int End)>();
            var passages = new ReportPassage[s.Passages.Count];
            for (int i = 0; i < passages.Length; i++)
            {
                var p = s.Passages[i];
                string? excluded = filter.Classify(p, sourceExcluded, pieces);
                counted.AddRange(pieces);
                passages[i] = ToReport(p, text, s.Document.Text, excluded);
            }
            // An excluded source still shows what it would cover, for the record; it counts nowhere else.
            int chars, words;
            if (sourceExcluded)
            {
                chars = CoveredLength(s.Passages, text.Length);
                words = suspicious.WordsIn(s.Passages.Select(p => (p.SuspiciousStart, p.SuspiciousEnd)));
            }
            else
            {
                var merged = ExclusionFilter.Merge(counted);
                chars = ExclusionFilter.Length(merged);
                words = suspicious.WordsIn(merged);
                allCounted.AddRange(counted);
            }
            reports.Add(new SourceReport
            {
                Name = s.Name,
                Path = s.Path,
                Length = s.Document.Text.Length,
                Words = s.Document.TokenCount,
                Format = s.Document.Format,
                Excluded = sourceExcluded,
                CoveredWords = words,
                CoveredLength = chars,
                Coverage = Share(words, suspicious.TokenCount),
                Passages = passages,
            });
        }
        // Rank by coverage; ties by best passage score, then name, so output is deterministic.
        var ranked = reports
            .OrderBy(r => r.Excluded)
            .ThenByDescending(r => r.CoveredWords)
            .ThenByDescending(r => r.CoveredLength)
            .ThenByDescending(r => r.Passages.Count == 0 ? 0 : r.Passages.Max(p => p.Score))
            .ThenBy(r => r.Name, StringComparer.Ordinal)
            .ThenBy(r => r.Path, StringComparer.Ordinal)
            .ToArray();
        var all = ExclusionFilter.Merge(allCounted);
        int totalWords = suspicious.WordsIn(all);
        return new ComparisonReport
        {
            Suspicious = new ReportDocument
            {
                Name = suspiciousName, Path = suspiciousPath, Length = text.Length, Words = suspicious.TokenCount, Format = suspicious.Format,
                Text = options.IncludeText ? text : null,
                WordOffsets = options.IncludeText ? (suspicious.TokenStart[..suspicious.TokenCount], suspicious.TokenEnd[..suspicious.TokenCount]) : null,
            },
            CoveredWords = totalWords,
            CoveredLength = ExclusionFilter.Length(all),
            Coverage = Share(totalWords, suspicious.TokenCount),
            Sources = ranked,
            Skipped = skipped?.ToArray() ?? [],
            Exclusions = new ReportExclusions
            {
                Quotes = options.Exclusions.Quotes,
                Bibliography = options.Exclusions.Bibliography,
                MinMatchWords = options.Exclusions.MinMatchWords,
                Sources = [.. options.Exclusions.Sources],
                Spans = spans.Select(x => new ReportExcludedSpan { Kind = ExcludedSpan.KindName(x.Kind), Start = x.Start, Length = x.Length }).ToArray(),
            },
        };
    }

    /// <summary>Characters of the suspicious text inside the union of the passages' suspicious spans.</summary>
    public static int CoveredLength(IEnumerable<AlignedPassage> passages, int textLength)
    {
        var spans = passages
            .Select(p => (Start: Math.Clamp(p.SuspiciousStart, 0, textLength), End: Math.Clamp(p.SuspiciousEnd, 0, textLength)))
            .Where(s => s.End > s.Start)
            .OrderBy(s => s.Start)
            .ToList();
        int covered = 0, reach = 0;
        foreach (var (start, end) in spans)
        {
            int from = Math.Max(start, reach);
            if (end > from) covered += end - from;
            reach = Math.Max(reach, end);
        }
        return covered;
    }

    private static double Share(int covered, int length) => length == 0 ? 0 : Math.Round((double)covered / length, 4);

    public static string KindName(PassageKind kind) => kind switch
    {
        PassageKind.Verbatim => "verbatim",
        PassageKind.Paraphrase => "paraphrase",
        PassageKind.Summary => "summary",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static string KindName(DocumentInputErrorKind kind)
    {
        var s = kind.ToString();
        return char.ToLowerInvariant(s[0]) + s[1..];
    }

    private static ReportPassage ToReport(AlignedPassage p, string susp, string src, string? excluded) => new()
    {
        Excluded = excluded,
        Suspicious = new ReportSpan { Start = p.SuspiciousStart, Length = p.SuspiciousLength, Text = susp.Substring(p.SuspiciousStart, p.SuspiciousLength) },
        Source = new ReportSpan { Start = p.SourceStart, Length = p.SourceLength, Text = src.Substring(p.SourceStart, p.SourceLength) },
        Score = p.Score,
        Kind = KindName(p.Kind),
        Links = p.Links.Select(l => new ReportLink
        {
            Suspicious = new ReportSpan { Start = l.SuspiciousStart, Length = l.SuspiciousLength },
            Source = new ReportSpan { Start = l.SourceStart, Length = l.SourceLength },
            Similarity = l.Similarity,
        }).ToArray(),
    };
}

using Doppel.Engine.Collection;

namespace Doppel.Engine.Reports.Collection;

/// <summary>Turns a <see cref="CollectionResult"/> into the report shared by the JSON, CSV and HTML writers.</summary>
public static class CollectionReportBuilder
{
    public static CollectionReport Build(CollectionResult r, IReadOnlyList<SkippedInput>? skipped = null, IReadOnlyList<string>? excluded = null)
    {
        var o = r.Options;
        var docs = r.Documents.Select((d, i) => new CollectionDocument
        {
            Id = i,
            Name = d.Name,
            Path = d.Path,
            Length = d.Document.Text.Length,
            Words = r.DocumentStats[i].Words,
            TemplateWords = r.DocumentStats[i].TemplateWords,
            CommonWords = r.DocumentStats[i].CommonWords,
        }).ToArray();
        var pairs = r.Pairs.Select((p, k) => new CollectionPair
        {
            Rank = k + 1,
            A = p.A,
            B = p.B,
            NameA = r.Documents[p.A].Name,
            NameB = r.Documents[p.B].Name,
            CoverageA = p.CoverageA,
            CoverageB = p.CoverageB,
            CoveredWordsA = p.CoveredWordsA,
            CoveredWordsB = p.CoveredWordsB,
            LongestWords = p.LongestWords,
            SharedFingerprints = p.SharedFingerprints,
            Passages = p.Passages.Select(x => new CollectionPassage
            {
                A = Span(r.Documents[p.A].Document.Text, x.AStart, x.ALength, x.WordsA),
                B = Span(r.Documents[p.B].Document.Text, x.BStart, x.BLength, x.WordsB),
                Kind = ReportBuilder.KindName(x.Kind),
                Score = x.Score,
            }).ToArray(),
        }).ToArray();
        var clusters = r.Clusters.Select(c => new CollectionCluster
        {
            Rank = c.Rank,
            Documents = c.Documents,
            Pairs = c.Pairs.Select(k => k + 1).ToArray(),
            SharedWords = c.SharedWords,
            MaxCoverage = c.MaxCoverage,
        }).ToArray();
        var common = r.Common.Select(c => new CollectionCommon
        {
            Source = c.FromTemplate ? "template" : "common",
            DocumentCount = c.DocumentCount,
            Document = c.Document,
            Start = c.Start,
            Length = c.Length,
            Words = c.Words,
            Text = r.Documents[c.Document].Document.Text.Substring(c.Start, c.Length),
        }).ToArray();
        var t = r.Timings;
        return new CollectionReport
        {
            Settings = new CollectionSettings
            {
                MinWords = o.MinWords,
                FingerprintWords = o.FingerprintWords,
                MinSharedFingerprints = o.MinSharedFingerprints,
                CommonShare = o.CommonShare,
                CommonMinDocs = o.CommonMinDocs,
                Excluded = excluded ?? [],
            },
            Summary = new CollectionSummary
            {
                Documents = docs.Length,
                CandidatePairs = r.CandidatePairs,
                Pairs = pairs.Length,
                Clusters = clusters.Length,
                CommonFingerprints = r.CommonFingerprints,
                TemplateFingerprints = r.TemplateFingerprints,
                Seconds = new CollectionSeconds
                {
                    Load = Math.Round(t.LoadSeconds, 3),
                    Fingerprint = Math.Round(t.FingerprintSeconds, 3),
                    Candidates = Math.Round(t.CandidateSeconds, 3),
                    Align = Math.Round(t.AlignSeconds, 3),
                    Total = Math.Round(t.TotalSeconds, 3),
                },
            },
            Documents = docs,
            Pairs = pairs,
            Clusters = clusters,
            Common = common,
            Skipped = skipped ?? [],
            FailedPairs = r.Failures.Select(f => new CollectionFailure { A = f.A, B = f.B, Message = f.Message }).ToArray(),
        };
    }

    private static CollectionSpan Span(string text, int start, int length, int words) =>
        new() { Start = start, Length = length, Words = words, Text = text.Substring(start, length) };
}

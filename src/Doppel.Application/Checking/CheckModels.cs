using Doppel.Engine.Reports;
using Doppel.Engine.Text;

namespace Doppel.Application;

/// <summary>How documents are checked and what is kept of each.</summary>
public sealed record CheckOptions
{
    public static readonly CheckOptions Default = new();

    /// <summary>Exclusions, and whether reports carry the suspicious text.</summary>
    public ReportOptions Report { get; init; } = ReportOptions.Default;

    /// <summary>Build and keep a <see cref="ComparisonReport"/> per document in the result. Off when the caller only
    /// wants the documents as they are checked (PAN output, or a server storing each one at once).</summary>
    public bool KeepReports { get; init; } = true;

    /// <summary>Against the index: at most this many retrieved candidates are aligned per document.</summary>
    public int Top { get; init; } = 50;

    /// <summary>The aligner's settings (e.g. <c>--semantic</c>: <see cref="Doppel.Engine.Semantic.SemanticEncoders.WithSemantic"/>).</summary>
    public Doppel.Engine.Alignment.AlignmentOptions Alignment { get; init; } = Doppel.Engine.Alignment.AlignmentOptions.Default;
}

/// <summary>One checked document with everything its reports are made of: the analysed text, each source with its
/// passages, the sources that could not be used, and (against the index) the other ids of each source.</summary>
public sealed class CheckedDocument
{
    public required DocumentSource Input { get; init; }
    public required AnalyzedDocument Document { get; init; }
    public required IReadOnlyList<AlignedSource> Sources { get; init; }
    public IReadOnlyList<SkippedInput> SkippedSources { get; init; } = [];

    /// <summary>Per source name: other ids under which the index holds the same content.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Aliases { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The report (JSON, text and HTML are rendered from it): sources ranked, exclusions applied.</summary>
    public ComparisonReport BuildReport(ReportOptions? options = null) =>
        ReportBuilder.Build(Document, Input.Name, Input.Path, Sources, SkippedSources, options);
}

/// <summary>The outcome of checking several documents: their reports (in the order given), and every input that
/// was left out. A document that could not be read is skipped; the others are checked.</summary>
public sealed class CheckResult
{
    /// <summary>One per checked document, when <see cref="CheckOptions.KeepReports"/>.</summary>
    public required IReadOnlyList<ComparisonReport> Reports { get; init; }

    /// <summary>How many documents were checked.</summary>
    public int Checked { get; init; }

    public IReadOnlyList<SkippedInput> SkippedDocuments { get; init; } = [];
    public IReadOnlyList<SkippedInput> SkippedSources { get; init; } = [];

    /// <summary>Something was left out: the results stand, but are not complete.</summary>
    public bool Partial => SkippedDocuments.Count > 0 || SkippedSources.Count > 0;
}

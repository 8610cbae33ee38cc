using Doppel.Engine.Alignment;
using Doppel.Engine.Index;
using Doppel.Engine.Reports;
using Doppel.Engine.Text;

namespace Doppel.Application;

/// <summary>
/// Checks documents for reuse: one pair (<see cref="Compare"/>), against every source of a set of files
/// (<see cref="AgainstFiles"/>, <see cref="AgainstPaths"/>), or against a reference index with retrieval
/// (<see cref="AgainstIndex"/>). Each checked document is handed to <c>onChecked</c> as soon as it is done, and its
/// report kept in the result unless <see cref="CheckOptions.KeepReports"/> is off. Inputs that cannot be used are
/// skipped and reported (<see cref="IOperationObserver.Skipped"/>, and in the result). Stateless: one instance can
/// serve any number of concurrent operations.
/// </summary>
public sealed class CheckService(InputLimits? limits = null)
{
    private readonly InputLimits _limits = limits ?? InputLimits.Default;

    /// <summary>One suspicious document against one source; throws <see cref="DocumentInputException"/> when either
    /// cannot be read.</summary>
    public CheckedDocument Compare(DocumentSource suspicious, DocumentSource source, IOperationObserver? observer = null, AlignmentOptions? alignment = null)
    {
        var obs = observer ?? OperationObserver.None;
        var inputs = new DocumentInputs(_limits);
        var susp = Load(inputs, suspicious, obs);
        var src = Load(inputs, source, obs);
        var passages = PairAligner.Align(susp, src, alignment, progress: percent => obs.Progress(new(OperationStage.AligningPair, percent, 100)));
        return new CheckedDocument
        {
            Input = suspicious,
            Document = susp,
            Sources = [new AlignedSource(src, source.Name, source.Path, passages)],
        };
    }

    private static AnalyzedDocument Load(DocumentInputs inputs, DocumentSource input, IOperationObserver obs)
    {
        var loaded = inputs.Load(input);
        if (loaded.Error is { } e) throw e;
        Skips.Warn(obs, input, loaded);
        return loaded.Document!;
    }

    /// <summary>Documents on disk against the files and directories <paramref name="against"/> (searched
    /// recursively, see <see cref="InputDiscovery"/>); a document is never its own source.</summary>
    /// <exception cref="ServiceException">No source document found, or none usable.</exception>
    public CheckResult AgainstPaths(IReadOnlyList<string> documents, IReadOnlyList<string> against, CheckOptions? options = null,
        IOperationObserver? observer = null, Action<CheckedDocument>? onChecked = null, CancellationToken cancellationToken = default)
    {
        var found = InputDiscovery.Find(against, documents);
        if (found.Documents.Count == 0)
            throw new ServiceException(ServiceErrorKind.Input, $"{string.Join(", ", against)}: no source documents found");
        Skips.Warn(observer ?? OperationObserver.None, found);
        return AgainstFiles(documents.Select(d => DocumentSource.FromFile(d)).ToList(), found.Documents, options, observer, onChecked, cancellationToken);
    }

    /// <summary>Every document against every source. Each source is read and analysed once, in parallel; then each
    /// document is aligned with all of them, in parallel.</summary>
    /// <exception cref="ServiceException">No sources given, or none usable.</exception>
    public CheckResult AgainstFiles(IReadOnlyList<DocumentSource> documents, IReadOnlyList<DocumentSource> sources, CheckOptions? options = null,
        IOperationObserver? observer = null, Action<CheckedDocument>? onChecked = null, CancellationToken cancellationToken = default)
    {
        var o = options ?? CheckOptions.Default;
        var obs = observer ?? OperationObserver.None;
        if (sources.Count == 0) throw new ServiceException(ServiceErrorKind.Input, "no source documents");
        var inputs = new DocumentInputs(_limits);
        var parallel = new ParallelOptions { CancellationToken = cancellationToken };

        var skippedDocs = new List<SkippedInput>();
        var docs = new List<(DocumentSource Input, AnalyzedDocument Doc)>();
        foreach (var d in documents)
        {
            var loaded = inputs.Load(d);
            if (loaded.Error is { } e) Skips.Report(skippedDocs, obs, InputRole.Document, d, e);
            else
            {
                Skips.Warn(obs, d, loaded);
                docs.Add((d, loaded.Document!));
            }
        }
        var results = new Results(o, onChecked) { SkippedDocuments = skippedDocs };
        if (docs.Count == 0) return results.Finish([]);

        var analysed = new DocumentLoader.LoadResult[sources.Count];
        int read = 0;
        obs.Progress(new(OperationStage.ReadingSources, 0, sources.Count));
        Parallel.For(0, sources.Count, parallel, i =>
        {
            analysed[i] = inputs.Load(sources[i]);
            obs.Progress(new(OperationStage.ReadingSources, Interlocked.Increment(ref read), sources.Count, sources[i].Name));
        });
        var skipped = new List<SkippedInput>();
        for (int i = 0; i < sources.Count; i++)
        {
            if (analysed[i].Error is { } e) Skips.Report(skipped, obs, InputRole.Source, sources[i], e);
            else Skips.Warn(obs, sources[i], analysed[i]);
        }
        if (skipped.Count == sources.Count)
            throw new ServiceException(ServiceErrorKind.Input, "no usable source documents");

        int pairs = docs.Count * sources.Count, aligned = 0;
        obs.Progress(new(OperationStage.AligningPairs, 0, pairs));
        foreach (var (input, doc) in docs)
        {
            var found = new AlignedSource?[sources.Count];
            Parallel.For(0, sources.Count, parallel, i =>
            {
                if (analysed[i].Document is { } src) found[i] = new AlignedSource(src, sources[i].Name, sources[i].Path, PairAligner.Align(doc, src, o.Alignment));
                obs.Progress(new(OperationStage.AligningPairs, Interlocked.Increment(ref aligned), pairs));
            });
            results.Add(new CheckedDocument { Input = input, Document = doc, Sources = found.Where(a => a != null).ToList()!, SkippedSources = skipped });
        }
        return results.Finish(skipped);
    }

    /// <summary>Every document against the reference index: candidates are retrieved, the strongest (at most
    /// <see cref="CheckOptions.Top"/>) aligned. Documents are read one at a time and nothing of one is kept but its
    /// report, so memory stays flat over thousands of documents. A document that is itself indexed (same content) is
    /// not its own source.</summary>
    public CheckResult AgainstIndex(IReferenceIndex index, IReadOnlyList<DocumentSource> documents, CheckOptions? options = null,
        IOperationObserver? observer = null, Action<CheckedDocument>? onChecked = null, CancellationToken cancellationToken = default)
    {
        var o = options ?? CheckOptions.Default;
        var obs = observer ?? OperationObserver.None;
        using var snapshot = index.OpenSnapshot();
        var skippedDocs = new List<SkippedInput>();
        var results = new Results(o, onChecked) { SkippedDocuments = skippedDocs };
        obs.Progress(new(OperationStage.CheckingDocuments, 0, documents.Count));
        for (int i = 0; i < documents.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A loader per document: its cache would keep every document checked.
            var loaded = new DocumentInputs(_limits).Load(documents[i]);
            if (loaded.Error is { } e)
            {
                Skips.Report(skippedDocs, obs, InputRole.Document, documents[i], e);
                continue;
            }
            Skips.Warn(obs, documents[i], loaded);
            var matches = CorpusChecker.Check(snapshot, loaded.Document!, o.Top, o.Alignment);
            var sources = matches.Where(m => m.Passages.Count > 0)
                .Select(m => new AlignedSource(m.Analyzed, m.Document.Id, m.Document.Id, m.Passages))
                .ToList();
            var aliases = matches.Where(m => m.Passages.Count > 0 && m.Document.Aliases.Count > 0)
                .ToDictionary(m => m.Document.Id, m => m.Document.Aliases);
            results.Add(new CheckedDocument { Input = documents[i], Document = loaded.Document!, Sources = sources, Aliases = aliases });
            obs.Progress(new(OperationStage.CheckingDocuments, i + 1, documents.Count));
        }
        return results.Finish([]);
    }

    /// <summary>Hands each checked document on as it comes and keeps only its report.</summary>
    private sealed class Results(CheckOptions options, Action<CheckedDocument>? onChecked)
    {
        private readonly List<ComparisonReport> _reports = [];
        private int _checked;
        public required List<SkippedInput> SkippedDocuments { get; init; }

        public void Add(CheckedDocument c)
        {
            _checked++;
            onChecked?.Invoke(c);
            if (options.KeepReports) _reports.Add(c.BuildReport(options.Report));
        }

        public CheckResult Finish(IReadOnlyList<SkippedInput> skippedSources) => new()
        {
            Reports = _reports, Checked = _checked, SkippedDocuments = SkippedDocuments, SkippedSources = skippedSources,
        };
    }
}

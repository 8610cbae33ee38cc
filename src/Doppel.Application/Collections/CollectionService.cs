using System.Diagnostics;
using Doppel.Engine.Collection;
using Doppel.Engine.Reports;
using Doppel.Engine.Reports.Collection;
using Doppel.Engine.Text;

namespace Doppel.Application;

/// <summary>A finished collection run: the engine's result (the HTML pages are rendered from it), the report
/// (JSON, CSV), the documents compared and the inputs left out.</summary>
public sealed class CollectionRun
{
    public required CollectionResult Result { get; init; }
    public required CollectionReport Report { get; init; }
    public IReadOnlyList<CollectionInput> Documents => Result.Documents;
    public required IReadOnlyList<SkippedInput> Skipped { get; init; }

    /// <summary>Something was left out (an unusable document, a pair the aligner failed on): the results stand,
    /// but are not complete.</summary>
    public bool Partial => Skipped.Count > 0 || Result.Failures.Count > 0;
}

/// <summary>
/// Collection mode, every document against every other (<see cref="CollectionAnalyzer"/>): documents are read and
/// analysed in parallel, templates first (their text never counts); documents that cannot be used are skipped and
/// reported. Stateless.
/// </summary>
public sealed class CollectionService(InputLimits? limits = null)
{
    private readonly InputLimits _limits = limits ?? InputLimits.Default;

    /// <summary>The files and directories <paramref name="paths"/> (searched recursively, see
    /// <see cref="InputDiscovery"/>), with the template files <paramref name="templates"/>, which are not members
    /// even when inside a given directory.</summary>
    /// <exception cref="ServiceException">A template cannot be used, no document was found, or fewer than two are usable.</exception>
    public CollectionRun CrossPaths(IReadOnlyList<string> paths, IReadOnlyList<string> templates, CollectionOptions? options = null,
        IOperationObserver? observer = null, CancellationToken cancellationToken = default)
    {
        var obs = observer ?? OperationObserver.None;
        var inputs = new DocumentInputs(_limits);
        var templateSources = templates.Select(t => DocumentSource.FromFile(t)).ToList();
        var templateDocs = LoadTemplates(inputs, templateSources, obs);
        var found = InputDiscovery.Find(paths, templates);
        if (found.Documents.Count == 0)
            throw new ServiceException(ServiceErrorKind.Input, $"{string.Join(", ", paths)}: no documents found");
        Skips.Warn(obs, found);
        return Run(inputs, found.Documents, templateSources, templateDocs, options, obs, cancellationToken);
    }

    /// <summary>The documents given, with the templates given.</summary>
    /// <exception cref="ServiceException">A template cannot be used, or fewer than two documents are usable.</exception>
    public CollectionRun Cross(IReadOnlyList<DocumentSource> documents, IReadOnlyList<DocumentSource> templates, CollectionOptions? options = null,
        IOperationObserver? observer = null, CancellationToken cancellationToken = default)
    {
        var obs = observer ?? OperationObserver.None;
        var inputs = new DocumentInputs(_limits);
        return Run(inputs, documents.ToList(), templates, LoadTemplates(inputs, templates, obs), options, obs, cancellationToken);
    }

    private static List<AnalyzedDocument> LoadTemplates(DocumentInputs inputs, IReadOnlyList<DocumentSource> templates, IOperationObserver obs)
    {
        var docs = new List<AnalyzedDocument>();
        foreach (var t in templates)
        {
            var loaded = inputs.Load(t);
            if (loaded.Error is { } e) throw new ServiceException(ServiceErrorKind.Input, Skips.OneLine(e.Message), InputRole.Template);
            Skips.Warn(obs, t, loaded);
            docs.Add(loaded.Document!);
        }
        return docs;
    }

    private static CollectionRun Run(DocumentInputs inputs, List<DocumentSource> files, IReadOnlyList<DocumentSource> templates,
        IReadOnlyList<AnalyzedDocument> templateDocs, CollectionOptions? options, IOperationObserver obs, CancellationToken cancellationToken)
    {
        UniqueNames(files);
        var load = Stopwatch.StartNew();
        var loaded = new DocumentLoader.LoadResult[files.Count];
        int read = 0;
        obs.Progress(new(OperationStage.ReadingDocuments, 0, files.Count));
        Parallel.For(0, files.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            loaded[i] = inputs.Load(files[i]);
            obs.Progress(new(OperationStage.ReadingDocuments, Interlocked.Increment(ref read), files.Count, files[i].Name));
        });
        var docs = new List<CollectionInput>(files.Count);
        var skipped = new List<SkippedInput>();
        for (int i = 0; i < files.Count; i++)
        {
            if (loaded[i].Document is { } d)
            {
                Skips.Warn(obs, files[i], loaded[i]);
                docs.Add(new CollectionInput(files[i].Name, files[i].Path, d));
            }
            else Skips.Report(skipped, obs, InputRole.Source, files[i], loaded[i].Error!);
        }
        double loadSeconds = load.Elapsed.TotalSeconds;
        if (docs.Count < 2)
            throw new ServiceException(ServiceErrorKind.Input, $"cross needs at least two usable documents; found {docs.Count} of {files.Count}");

        var result = CollectionAnalyzer.Run(docs, templateDocs, options ?? CollectionOptions.Default, p =>
        {
            var stage = p.Stage switch
            {
                CollectionStage.Fingerprinting => OperationStage.Fingerprinting,
                CollectionStage.Candidates => OperationStage.FindingCandidates,
                CollectionStage.Aligning => OperationStage.AligningCandidates,
                _ => (OperationStage?)null,
            };
            if (stage is { } s) obs.Progress(new(s, p.Done, p.Total));
        }, cancellationToken);
        result = WithLoadTime(result, loadSeconds);
        return new CollectionRun
        {
            Result = result,
            Report = CollectionReportBuilder.Build(result, skipped, templates.Select(t => t.Path).ToList()),
            Skipped = skipped,
        };
    }

    private static CollectionResult WithLoadTime(CollectionResult r, double load) => new()
    {
        Documents = r.Documents, DocumentStats = r.DocumentStats, Pairs = r.Pairs, Clusters = r.Clusters, Common = r.Common,
        CandidatePairs = r.CandidatePairs, CommonFingerprints = r.CommonFingerprints, TemplateFingerprints = r.TemplateFingerprints,
        Options = r.Options, Masks = r.Masks, Failures = r.Failures, Timings = r.Timings with { LoadSeconds = load },
    };

    /// <summary>Two directories may hold files of the same relative name: those documents are named by their path.</summary>
    private static void UniqueNames(List<DocumentSource> files)
    {
        var dup = files.GroupBy(f => f.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        for (int i = 0; i < files.Count; i++)
            if (dup.Contains(files[i].Name)) files[i] = files[i].WithName(files[i].Path.Replace(Path.DirectorySeparatorChar, '/'));
    }
}

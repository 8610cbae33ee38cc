using System.Collections.Concurrent;

namespace Doppel.Engine.Text;

/// <summary>
/// Reads and analyses documents once each, however many pairs they take part in. Thread-safe: concurrent
/// requests for the same path share one analysis. A file that cannot be used is remembered with its error so a
/// batch can report it and go on.
/// </summary>
public sealed class DocumentLoader(long maxBytes = TextDecoder.DefaultMaxBytes)
{
    private readonly ConcurrentDictionary<string, Lazy<LoadResult>> _cache = new(StringComparer.Ordinal);

    public readonly record struct LoadResult(AnalyzedDocument? Document, DocumentInputException? Error);

    public LoadResult Load(string path, string? name = null) =>
        _cache.GetOrAdd(path, p => new Lazy<LoadResult>(() => Read(p, name ?? Path.GetFileName(p)), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>Loads a document or throws <see cref="DocumentInputException"/>.</summary>
    public AnalyzedDocument LoadOrThrow(string path, string? name = null)
    {
        var r = Load(path, name);
        return r.Document ?? throw r.Error!;
    }

    private LoadResult Read(string path, string name)
    {
        try
        {
            var decoded = TextDecoder.ReadFile(path, maxBytes);
            return new LoadResult(DocumentAnalyzer.Analyze(decoded.Text, name), null);
        }
        catch (DocumentInputException e)
        {
            return new LoadResult(null, e);
        }
    }
}

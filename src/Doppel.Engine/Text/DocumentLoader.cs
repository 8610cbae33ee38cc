using System.Collections.Concurrent;

namespace Doppel.Engine.Text;

/// <summary>
/// Reads and analyses documents once each, however many pairs they take part in. Thread-safe: concurrent
/// requests for the same path share one analysis. A file that cannot be used is remembered with its error so a
/// batch can report it and go on. The <see cref="IDocumentReader"/> turns files into text: plain text by default,
/// every format Doppel.Readers knows when a front end plugs it in.
/// </summary>
public sealed class DocumentLoader(long maxBytes = TextDecoder.DefaultMaxBytes, IDocumentReader? reader = null)
{
    private readonly IDocumentReader _reader = reader ?? PlainTextReader.Instance;

    private readonly ConcurrentDictionary<string, Lazy<LoadResult>> _cache = new(StringComparer.Ordinal);

    public readonly record struct LoadResult(AnalyzedDocument? Document, DocumentInputException? Error)
    {
        /// <summary>The reader's warning about a usable document (<see cref="ExtractedText.Warning"/>).</summary>
        public string? Warning { get; init; }
    }

    public LoadResult Load(string path, string? name = null) =>
        _cache.GetOrAdd(path, p => new Lazy<LoadResult>(() => Read(p, name ?? Path.GetFileName(p)), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>Loads a document or throws <see cref="DocumentInputException"/>.</summary>
    public AnalyzedDocument LoadOrThrow(string path, string? name = null)
    {
        var r = Load(path, name);
        return r.Document ?? throw r.Error!;
    }

    /// <summary>Loads a document held in memory (an upload); not cached: the caller holds it.</summary>
    public LoadResult Load(byte[] content, string name) => Read(() => _reader.Read(content, name, maxBytes), name);

    private LoadResult Read(string path, string name) => Read(() => _reader.Read(path, maxBytes), name);

    private static LoadResult Read(Func<ExtractedText> read, string name)
    {
        try
        {
            var extracted = read();
            return new LoadResult(DocumentAnalyzer.Analyze(extracted, name), null) { Warning = extracted.Warning };
        }
        catch (DocumentInputException e)
        {
            return new LoadResult(null, e);
        }
    }
}

using System.Diagnostics;
using Doppel.Engine.Alignment;
using Doppel.Engine.Index;
using Doppel.Engine.Semantic;
using Doppel.Index.Redis;
using Doppel.Engine.Reports;
using Doppel.Engine.Text;

namespace Doppel.Application;

/// <summary>How documents are added to the index.</summary>
public sealed record IndexAddOptions
{
    public static readonly IndexAddOptions Default = new();

    /// <summary>The id of the document (only with a single one; default: its name).</summary>
    public string? Id { get; init; }

    /// <summary>The title of the document (only with a single one; default: its first line when short, else its name).</summary>
    public string? Title { get; init; }

    /// <summary>Commit at least every this many documents.</summary>
    public int BatchSize { get; init; } = 5000;

    /// <summary>And at least this often: a killed run keeps every committed batch.</summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The sentence encoder whose vectors are stored with each document (<c>index add --semantic</c>), so
    /// that <c>check --semantic on</c> encodes only the query; none by default. Ignored by a back end that does not
    /// store vectors (<see cref="IReferenceIndex.StoresVectors"/>).</summary>
    public ISentenceEncoder? Encoder { get; init; }

    /// <summary>The unit rule the vectors are made for: a check with another value encodes instead.</summary>
    public int SemanticMinProseWords { get; init; } = AlignmentOptions.Default.SemanticMinProseWords;
}

/// <summary>The outcome of an add: how many documents had each outcome, which were left out, and how long it took.</summary>
public sealed class IndexAddResult
{
    private readonly int[] _counts;

    internal IndexAddResult(int[] counts, IReadOnlyList<SkippedInput> skipped, TimeSpan elapsed, int encoded = 0, bool vectorsIgnored = false)
    {
        _counts = counts;
        Skipped = skipped;
        Elapsed = elapsed;
        Encoded = encoded;
        VectorsIgnored = vectorsIgnored;
    }

    /// <summary>Documents whose sentence vectors were computed and handed to the index.</summary>
    public int Encoded { get; }

    /// <summary>An encoder was given but the back end does not store vectors: none were computed.</summary>
    public bool VectorsIgnored { get; }

    public int Count(AddOutcome outcome) => _counts[(int)outcome];

    /// <summary>Documents committed, whatever their outcome.</summary>
    public int Stored => _counts.Sum();

    public IReadOnlyList<SkippedInput> Skipped { get; }
    public TimeSpan Elapsed { get; }
}

/// <summary>The outcome of a remove: the ids removed and those the index did not hold.</summary>
public sealed record IndexRemoveResult(IReadOnlyList<string> Removed, IReadOnlyList<string> Missing);

/// <summary>
/// The reference index at one location (<see cref="IndexLocation"/>): add (in batches, each committed atomically),
/// remove, list, stats, optimise. Each operation opens the index and closes it again, so a service can be kept
/// for the life of a process; failures to use the index are <see cref="IndexException"/>s. Checking against the
/// index is <see cref="CheckService.AgainstIndex"/>, on an index from <see cref="Open"/>.
/// </summary>
public sealed class IndexService(string location, InputLimits? limits = null)
{
    /// <summary>Documents analysed in parallel before they are handed to the writer.</summary>
    private const int Chunk = 64;

    private readonly InputLimits _limits = limits ?? InputLimits.Default;

    public string Location => location;

    public bool Exists => IndexLocation.Exists(location);

    /// <summary>True when the index is on a Redis Cluster rather than embedded.</summary>
    public bool IsRedis => IndexLocation.IsRedis(location);

    /// <summary>Opens the index with the back end its location names (<see cref="IndexLocation.Open"/>).</summary>
    public IReferenceIndex Open(bool create = false) => IndexLocation.Open(location, create);

    /// <summary>Adds files and directories (searched recursively, see <see cref="InputDiscovery"/>); a document's
    /// id is its path relative to the directory given, or its file name when given as a file.</summary>
    /// <exception cref="ServiceException">An id or title for anything but one file; no document found.</exception>
    public IndexAddResult AddPaths(IReadOnlyList<string> paths, IndexAddOptions? options = null, IOperationObserver? observer = null,
        CancellationToken cancellationToken = default)
    {
        var o = options ?? IndexAddOptions.Default;
        var found = InputDiscovery.Find(paths);
        var files = found.Documents;
        if ((o.Id != null || o.Title != null) && (files.Count != 1 || Directory.Exists(paths[0])))
            throw new ServiceException(ServiceErrorKind.Usage, "--id and --title need exactly one file");
        if (files.Count == 0)
            throw new ServiceException(ServiceErrorKind.Input, $"{string.Join(", ", paths)}: no documents found");
        Skips.Warn(observer ?? OperationObserver.None, found);
        return Add(files, o, observer, cancellationToken);
    }

    /// <summary>
    /// Adds documents, id = name unless <see cref="IndexAddOptions.Id"/>; creates the index if there is none. The
    /// same content is stored once (a second id becomes an alias); changed content under an existing id replaces it.
    /// Documents are read and prepared in parallel, a chunk at a time, and committed at least every
    /// <see cref="IndexAddOptions.BatchSize"/> documents and every <see cref="IndexAddOptions.CommitInterval"/>; when
    /// cancelled, what was prepared is committed first, so no work is lost.
    /// </summary>
    public IndexAddResult Add(IReadOnlyList<DocumentSource> documents, IndexAddOptions? options = null, IOperationObserver? observer = null,
        CancellationToken cancellationToken = default)
    {
        var o = options ?? IndexAddOptions.Default;
        var obs = observer ?? OperationObserver.None;
        if ((o.Id != null || o.Title != null) && documents.Count != 1)
            throw new ServiceException(ServiceErrorKind.Usage, "an id or title needs exactly one document");
        using var idx = Open(create: true);
        var clock = Stopwatch.StartNew();
        var counts = new int[Enum.GetValues<AddOutcome>().Length];
        var skipped = new List<SkippedInput>();
        int done = 0;
        var pending = new List<PreparedDocument>();
        var sinceCommit = Stopwatch.StartNew();
        var encoder = idx.StoresVectors ? o.Encoder : null;
        int encoded = 0;

        void Commit()
        {
            IReadOnlyList<AddResult> results;
            try
            {
                results = idx.AddBatch(pending);
            }
            catch (IndexException e) when (e.NotAdded != null)
            {
                // Never a silent loss: what the store acknowledged is counted, and every document not added (of
                // this batch, and those not reached yet) is named.
                foreach (var result in e.Committed)
                {
                    counts[(int)result.Outcome]++;
                    obs.Stored(result);
                }
                var notReached = documents.Skip(done + pending.Count + skipped.Count).Select(d => o.Id ?? d.Name);
                throw new IndexException(e.Kind, e.Message, e) { Committed = e.Committed, NotAdded = [.. e.NotAdded, .. notReached] };
            }
            foreach (var result in results)
            {
                counts[(int)result.Outcome]++;
                obs.Stored(result);
            }
            done += pending.Count;
            pending.Clear();
            sinceCommit.Restart();
            obs.Progress(new(OperationStage.Indexing, done + skipped.Count, documents.Count));
        }

        obs.Progress(new(OperationStage.Indexing, 0, documents.Count));
        try
        {
            for (int start = 0; start < documents.Count; start += Chunk)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int n = Math.Min(Chunk, documents.Count - start);
                var prepared = new (PreparedDocument? Doc, DocumentInputException? Error, string? Warning)[n];
                var analysed = new AnalyzedDocument?[n];
                Parallel.For(0, n, i =>
                {
                    var d = documents[start + i];
                    // Each document is loaded once, without a cache, so memory stays flat over a large batch.
                    var loaded = new DocumentInputs(_limits).Load(d);
                    if (loaded.Error is { } e)
                    {
                        prepared[i] = (null, e, null);
                        return;
                    }
                    prepared[i] = (DocumentPreparer.Prepare(loaded.Document!, o.Id ?? d.Name, o.Title), null, loaded.Warning);
                    analysed[i] = loaded.Document;
                });
                // One document at a time through the encoder: it uses every core itself, and parallel calls would only
                // hold more batches in memory at once.
                for (int i = 0; encoder != null && i < n; i++)
                {
                    if (prepared[i].Doc is not { } doc) continue;
                    var vectors = SemanticUnits.Encode(analysed[i]!, encoder, o.SemanticMinProseWords, cancellationToken);
                    prepared[i].Doc = doc with { Vectors = new StoredVectors(vectors.Tag, UnitVectorCodec.Encode(vectors)) };
                    analysed[i] = null;
                    encoded++;
                }
                for (int i = 0; i < n; i++)
                {
                    if (prepared[i].Error is { } e) Skips.Report(skipped, obs, InputRole.Document, documents[start + i], e);
                    else
                    {
                        if (prepared[i].Warning is { } w) obs.Warning(documents[start + i].Path, w);
                        pending.Add(prepared[i].Doc!);
                    }
                }
                if (pending.Count >= o.BatchSize || sinceCommit.Elapsed >= o.CommitInterval) Commit();
                obs.Progress(new(OperationStage.Indexing, done + pending.Count + skipped.Count, documents.Count));
            }
        }
        catch (OperationCanceledException)
        {
            // What was prepared is kept.
            Commit();
            (idx as SqliteReferenceIndex)?.Checkpoint();
            throw;
        }
        Commit();
        (idx as SqliteReferenceIndex)?.Checkpoint();
        return new IndexAddResult(counts, skipped, clock.Elapsed, encoded, o.Encoder != null && encoder == null);
    }

    /// <summary>Removes documents or aliases by id (an alias of a removed document takes its content over).</summary>
    public IndexRemoveResult Remove(IReadOnlyList<string> ids)
    {
        using var idx = Open();
        var removed = idx.Remove(ids).ToHashSet(StringComparer.Ordinal);
        return new IndexRemoveResult([.. removed], ids.Where(w => !removed.Contains(w)).Distinct().ToList());
    }

    public IReadOnlyList<IndexedDocument> List()
    {
        using var idx = Open();
        return idx.List();
    }

    public IndexStats Stats()
    {
        using var idx = Open();
        return idx.Stats();
    }

    /// <summary>Merges the posting blocks of all add batches and drops the postings of removed documents; one
    /// transaction, so a cancelled optimise leaves the index as it was. Returns the segments merged (0: nothing to do).</summary>
    public long Optimize(IOperationObserver? observer = null, CancellationToken cancellationToken = default)
    {
        var obs = observer ?? OperationObserver.None;
        using var opened = Open();
        // The Redis layout appends per key and never needs merging.
        if (opened is not SqliteReferenceIndex idx) return 0;
        obs.Progress(new(OperationStage.Optimizing, 0, 1 << 16)); // the buckets Optimize walks; it reports its own total as it goes
        return idx.Optimize((done, total) =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            obs.Progress(new(OperationStage.Optimizing, done, total));
        });
    }

    /// <summary>SQLite's integrity check plus every stored checksum: one line per problem (empty: intact), and the
    /// index's format version (below <see cref="SqliteReferenceIndex.FormatVersion"/> there are no checksums, so texts
    /// and posting blocks are decoded instead).</summary>
    public (IReadOnlyList<string> Problems, int Version) Verify()
    {
        using var idx = Open();
        return (idx.Verify(), idx switch
        {
            SqliteReferenceIndex s => s.Version,
            RedisReferenceIndex r => r.Version,
            _ => 0,
        });
    }
}

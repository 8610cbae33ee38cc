namespace Doppel.Engine.Index;

/// <summary>A document as the index knows it. <see cref="Number"/> is internal and never reused; <see cref="Id"/>
/// is the user's name for it (a relative path unless given).</summary>
public sealed record IndexedDocument(long Number, string Id, string Title, string ContentHash, int Length, int KeyCount, DateTimeOffset Added)
{
    /// <summary>Other ids added with the very same content (stored once).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>In a listing: the id whose content this alias shares; null for a stored document.</summary>
    public string? AliasOf { get; init; }
}

/// <summary>A document ready to be stored: its text and the keys it is found by (see <see cref="DocumentPreparer"/>).
/// <see cref="ContentHash"/> is SHA-256 of the text's UTF-8 (<see cref="DocumentPreparer.ContentHash"/>): the text is
/// checked against it whenever it is read back.</summary>
public sealed record PreparedDocument(string Id, string Title, string Text, byte[] ContentHash, long[] Keys)
{
    /// <summary>The document's sentence vectors, when the add runs with a semantic mode (stored where the back end
    /// <see cref="IReferenceIndex.StoresVectors"/>, ignored otherwise).</summary>
    public StoredVectors? Vectors { get; init; }
}

/// <summary>A document's unit vectors as an index stores them: <see cref="Tag"/> names the encoder and the
/// unit-selection rule (<see cref="Semantic.UnitVectors.Tag"/>), <see cref="Data"/> is
/// <see cref="Semantic.UnitVectorCodec"/>'s quantised form. A check whose encoder or rule differs encodes instead.</summary>
public sealed record StoredVectors(string Tag, byte[] Data);

public enum AddOutcome
{
    /// <summary>A new id.</summary>
    Added,
    /// <summary>The id existed with other content, which this document replaced.</summary>
    Replaced,
    /// <summary>The id existed with the same content: nothing changed.</summary>
    Unchanged,
    /// <summary>The same content is already indexed under another id (<see cref="AddResult.ExistingId"/>): not stored
    /// again, the id is kept as an alias of it.</summary>
    Duplicate,
}

public readonly record struct AddResult(string Id, AddOutcome Outcome, string? ExistingId = null);

/// <summary>Figures of an index for <c>doppel index stats</c>.</summary>
public sealed record IndexStats
{
    public required string Location { get; init; }
    public required string Backend { get; init; }
    public required int FormatVersion { get; init; }
    public long Documents { get; init; }
    /// <summary>Ids that share the content of a stored document.</summary>
    public long Aliases { get; init; }
    /// <summary>Characters of text held, over all documents.</summary>
    public long Characters { get; init; }
    /// <summary>Bytes of compressed text held.</summary>
    public long CompressedTextBytes { get; init; }
    public long PostingRows { get; init; }
    /// <summary>The most posting blocks one bucket has, i.e. how many rows a key lookup reads at worst: one per add
    /// batch until <c>index optimize</c> merges them into page-sized blocks.</summary>
    public long MaxBlocksPerBucket { get; init; }
    /// <summary>Add batches whose posting blocks are not merged yet: a lookup reads each one's block of a bucket,
    /// where it reads only the merged blocks that can hold the key (<c>index optimize</c> merges them).</summary>
    public long UnmergedBatches { get; init; }
    /// <summary>Removed or replaced documents whose postings are still on disk (skipped when reading).</summary>
    public long DeadDocuments { get; init; }
    /// <summary>Documents with stored sentence vectors, and the bytes those take.</summary>
    public long VectorDocuments { get; init; }
    public long VectorBytes { get; init; }
    /// <summary>Size of the index on disk, in bytes.</summary>
    public long DiskBytes { get; init; }
}

/// <summary>Receives the live documents posted under query key number <c>keyIndex</c>.</summary>
public delegate void PostingsSink(int keyIndex, ReadOnlySpan<long> documents);

/// <summary>
/// The persistent reference index: documents (id, title, compressed text, content hash) and the posting lists of
/// their keys. The engine only talks to this interface, so other back ends (a Redis Cluster) can replace the
/// embedded one without touching retrieval or alignment. Implementations must be safe for one writer and any
/// number of concurrent readers, each <see cref="AddBatch"/> must be atomic and durable once it returns, and what
/// they read back must be what was written (checked, e.g. by checksums) or fail with <see cref="IndexException"/>.
/// </summary>
public interface IReferenceIndex : IDisposable
{
    string Location { get; }

    /// <summary>Whether <see cref="AddBatch"/> stores <see cref="PreparedDocument.Vectors"/> (and snapshots read them
    /// back with <see cref="IIndexSnapshot.ReadVectors"/>). A back end without this ignores them: checks against it
    /// encode every candidate.</summary>
    bool StoresVectors => false;

    /// <summary>Adds a batch atomically: after a crash either all of it is there or none of it.</summary>
    IReadOnlyList<AddResult> AddBatch(IReadOnlyList<PreparedDocument> documents);

    /// <summary>Removes documents or aliases by id (an alias of a removed document takes its content over);
    /// returns the ids that were present.</summary>
    IReadOnlyList<string> Remove(IEnumerable<string> ids);

    IReadOnlyList<IndexedDocument> List();

    IndexStats Stats();

    /// <summary>A consistent read-only view: documents added after it was opened are not seen.</summary>
    IIndexSnapshot OpenSnapshot();

    /// <summary>Checks everything stored (the store's own integrity check, every checksum) and returns one line per
    /// problem found, none when the index is intact. Reads fail with <see cref="IndexErrorKind.Damaged"/> on damage
    /// they meet; this finds damage wherever it is.</summary>
    IReadOnlyList<string> Verify();
}

/// <summary>A consistent read view of an index, used by one thread at a time.</summary>
public interface IIndexSnapshot : IDisposable
{
    long DocumentCount { get; }

    /// <summary>Calls <paramref name="sink"/> once per key that has live postings and is held by at most
    /// <paramref name="maxDocuments"/> documents (more common keys are skipped, cheaply where the store can).</summary>
    void Lookup(ReadOnlySpan<long> keys, PostingsSink sink, int maxDocuments = int.MaxValue);

    IndexedDocument? Get(long number);

    /// <summary>How many keys each document was stored with (its length as retrieval sees it), for the documents
    /// given; 0 for a number that is not live. <see cref="AverageKeyCount"/> is the mean over live documents.</summary>
    void KeyCounts(ReadOnlySpan<long> numbers, Span<int> counts);

    double AverageKeyCount { get; }

    string? ReadText(long number);

    /// <summary>The sentence vectors stored with a document, checked like its other rows; null when none were stored
    /// (added without a semantic mode, an older format, or a back end that does not store them).</summary>
    StoredVectors? ReadVectors(long number) => null;
}

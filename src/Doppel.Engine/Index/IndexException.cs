namespace Doppel.Engine.Index;

public enum IndexErrorKind
{
    /// <summary>No index at the location (and the operation does not create one).</summary>
    NotFound,
    /// <summary>The location holds something that is not a Doppel index.</summary>
    Foreign,
    /// <summary>A Doppel index in a format newer than this build reads.</summary>
    NewerFormat,
    /// <summary>The index could not be read or written (disk full, permissions, timeout on a lock).</summary>
    Storage,
    /// <summary>Stored data fails its checksum or cannot be decoded, or SQLite finds the file malformed: restore the
    /// index from a backup or rebuild it.</summary>
    Damaged,
    /// <summary>A distributed index cannot be reached or did not acknowledge a write in time (a failover, a node
    /// down): nothing is wrong with the index; the operation can be retried.</summary>
    Unavailable,
}

/// <summary>An index that cannot be used; the message is one line naming the location.</summary>
public sealed class IndexException(IndexErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public IndexErrorKind Kind { get; } = kind;

    /// <summary>For <see cref="IndexErrorKind.Damaged"/>: the damaged part and what is wrong with it, without the
    /// location and the advice (as <c>index verify</c> lists it).</summary>
    public string? Problem { get; init; }

    /// <summary>For a failed add: the documents that were stored and acknowledged before the failure.</summary>
    public IReadOnlyList<AddResult> Committed { get; init; } = [];

    /// <summary>For a failed add: the ids of the documents that were not added (never a silent loss).</summary>
    public IReadOnlyList<string>? NotAdded { get; init; }
}

using Doppel.Engine.Index;
using Doppel.Engine.Reports;

namespace Doppel.Application;

/// <summary>The stages of the long operations, in the order they run.</summary>
public enum OperationStage
{
    /// <summary>Checking against files: the sources are read and analysed.</summary>
    ReadingSources,
    /// <summary>Checking against files: every document is aligned with every source.</summary>
    AligningPairs,
    /// <summary>Comparing one pair: how far its alignment is, in percent (Total 100); a pair of long documents takes
    /// seconds to minutes.</summary>
    AligningPair,
    /// <summary>Checking against the index: documents retrieved for and aligned, one after another.</summary>
    CheckingDocuments,
    /// <summary>A collection: its documents are read and analysed.</summary>
    ReadingDocuments,
    /// <summary>A collection: documents fingerprinted.</summary>
    Fingerprinting,
    /// <summary>A collection: documents searched for candidate pairs.</summary>
    FindingCandidates,
    /// <summary>A collection: candidate pairs aligned.</summary>
    AligningCandidates,
    /// <summary>Adding to the index: documents read, prepared and stored.</summary>
    Indexing,
    /// <summary>Optimising the index: posting buckets merged.</summary>
    Optimizing,
}

/// <summary>How far a stage is: <see cref="Done"/> of <see cref="Total"/> items, and the item just done when it
/// has a name.</summary>
public readonly record struct OperationProgress(OperationStage Stage, int Done, int Total, string? Item = null);

/// <summary>What an input that could not be used was for.</summary>
public enum InputRole
{
    /// <summary>A document being checked, or added to the index.</summary>
    Document,
    /// <summary>A source a document is checked against, or a member of a collection.</summary>
    Source,
    /// <summary>A template of a collection (text that never counts).</summary>
    Template,
}

/// <summary>
/// Watches a long operation as it runs: a front end draws progress from it (a bar, log lines, a job's row) and
/// reports skipped inputs as they happen. Every method has a do-nothing default. <see cref="Progress"/> may be
/// called from several threads at once; the others are called in order, from one thread at a time.
/// </summary>
public interface IOperationObserver
{
    /// <summary>A stage started (<c>Done</c> 0) or advanced.</summary>
    void Progress(OperationProgress progress) { }

    /// <summary>An input could not be used and was left out; the operation goes on. The same record is in the
    /// operation's result.</summary>
    void Skipped(SkippedInput input, InputRole role) { }

    /// <summary>Something the user should know about an input that is used all the same (read as Windows-1252, a
    /// folder that holds no document), in a few words; called in order, as it happens.</summary>
    void Warning(string path, string message) { }

    /// <summary>Adding to the index: a document was committed (added, replaced, unchanged, or an alias of
    /// the same content under another id).</summary>
    void Stored(AddResult result) { }
}

/// <summary>Observers that watch nothing.</summary>
public static class OperationObserver
{
    public static readonly IOperationObserver None = new NoObserver();

    private sealed class NoObserver : IOperationObserver;
}

using Doppel.Engine.Alignment;

namespace Doppel.Engine.Collection;

/// <summary>Parameters of collection mode (all-against-all). Documented in docs/collection.md.</summary>
public sealed record CollectionOptions
{
    public static CollectionOptions Default { get; } = new();

    /// <summary>Fingerprints are hashes of this many consecutive content-word stems (stopwords skipped).</summary>
    public int FingerprintWords { get; init; } = 3;

    /// <summary>A pair is aligned when the two documents share at least this many distinct fingerprints
    /// (frequent and excluded fingerprints aside).</summary>
    public int MinSharedFingerprints { get; init; } = 2;

    /// <summary>Fingerprints held by more documents than this are not used to propose candidates: they are
    /// stock phrases of the genre, not evidence of copying (they still take part in alignment). The limit is
    /// the larger of this floor and <see cref="CandidateMaxShare"/> of the collection.</summary>
    public int CandidateMaxDocsFloor { get; init; } = 50;
    public double CandidateMaxShare { get; init; } = 0.01;

    /// <summary>Text whose fingerprints occur in more than this share of the documents is common material
    /// (boilerplate, the prompt pasted by everyone): reported, never counted as reuse.</summary>
    public double CommonShare { get; init; } = 0.5;

    /// <summary>...and in at least this many documents, so that in a tiny collection one copied pair is not
    /// mistaken for common material.</summary>
    public int CommonMinDocs { get; init; } = 5;

    /// <summary>A passage counts only when it holds at least this many words on both sides once template and
    /// common material are taken out.</summary>
    public int MinWords { get; init; } = 15;

    /// <summary>A summary passage (one text condensing the other as a whole) counts only when its condensed side
    /// is at most this share of the other side's length: two essays of similar length that are merely close as
    /// wholes (one assignment, one vocabulary) are not summaries of each other.</summary>
    public double SummaryMaxLengthRatio { get; init; } = 0.75;

    /// <summary>Aligner settings for collection mode. The length filter is applied here in words
    /// (<see cref="MinWords"/>), so the aligner's own character minimum, tuned for long PAN documents, is
    /// lowered to let short essays' passages through.</summary>
    public AlignmentOptions Alignment { get; init; } = AlignmentOptions.Default with { MinPassageChars = 150 };

    /// <summary>Pairs aligned at once; 0 = one per processor.</summary>
    public int MaxParallelism { get; init; }
}

namespace Doppel.Engine.Alignment;

/// <summary>How a passage was reused.</summary>
public enum PassageKind
{
    /// <summary>Copied word for word (whitespace, case and punctuation aside).</summary>
    Verbatim,
    /// <summary>Reworded: synonyms, reordering, insertions, deletions, translation round trips.</summary>
    Paraphrase,
    /// <summary>A much shorter text condensing a longer source passage.</summary>
    Summary,
}

/// <summary>A link between one suspicious sentence and one source sentence inside a passage. Offsets are
/// characters of the original texts.</summary>
public readonly record struct SentenceLink(int SuspiciousStart, int SuspiciousLength, int SourceStart, int SourceLength, double Similarity);

/// <summary>A reused passage: where it is in the suspicious text, where it came from in the source, how similar
/// the two are, and the sentence links inside. Offsets are characters of the original texts.</summary>
public sealed record AlignedPassage(
    int SuspiciousStart,
    int SuspiciousLength,
    int SourceStart,
    int SourceLength,
    double Score,
    PassageKind Kind,
    IReadOnlyList<SentenceLink> Links)
{
    public int SuspiciousEnd => SuspiciousStart + SuspiciousLength;
    public int SourceEnd => SourceStart + SourceLength;
}

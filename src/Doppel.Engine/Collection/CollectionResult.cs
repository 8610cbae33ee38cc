using Doppel.Engine.Alignment;
using Doppel.Engine.Text;

namespace Doppel.Engine.Collection;

/// <summary>One document of a collection: its analysis and how the user named it.</summary>
public sealed record CollectionInput(string Name, string Path, AnalyzedDocument Document);

/// <summary>Per-document figures: words, and how many of them are template or common material.</summary>
public sealed record CollectionDocumentStats(int Words, int TemplateWords, int CommonWords);

/// <summary>A reused passage between documents A and B. Offsets are characters of the original texts; word
/// counts leave out template and common material.</summary>
public sealed record PairPassage(int AStart, int ALength, int BStart, int BLength, int WordsA, int WordsB, double Score, PassageKind Kind)
{
    public int AEnd => AStart + ALength;
    public int BEnd => BStart + BLength;
}

/// <summary>Two documents that share reused text. A is the one listed first in the collection.</summary>
public sealed record PairResult(
    int A,
    int B,
    double CoverageA,
    double CoverageB,
    int CoveredWordsA,
    int CoveredWordsB,
    int LongestWords,
    int SharedFingerprints,
    IReadOnlyList<PairPassage> Passages)
{
    /// <summary>Rank key: the larger of the two coverages.</summary>
    public double MaxCoverage => Math.Max(CoverageA, CoverageB);
}

/// <summary>Documents linked by reuse, directly or through others (chains, rings, one source copied by many).</summary>
public sealed record ReuseCluster(int Rank, IReadOnlyList<int> Documents, IReadOnlyList<int> Pairs, int SharedWords, double MaxCoverage);

/// <summary>A stretch of text found in many documents (or in an excluded file), shown once with an example location.</summary>
public sealed record CommonPassage(int Document, int Start, int Length, int Words, int DocumentCount, bool FromTemplate);

/// <summary>A candidate pair the aligner failed on (an internal error); reported, not fatal.</summary>
public sealed record PairFailure(int A, int B, string Message);

public sealed record CollectionTimings(double LoadSeconds, double FingerprintSeconds, double CandidateSeconds, double AlignSeconds, double TotalSeconds);

/// <summary>The result of an all-against-all run.</summary>
public sealed class CollectionResult
{
    public required IReadOnlyList<CollectionInput> Documents { get; init; }
    public required IReadOnlyList<CollectionDocumentStats> DocumentStats { get; init; }
    /// <summary>Pairs with at least one passage, highest coverage first.</summary>
    public required IReadOnlyList<PairResult> Pairs { get; init; }
    public required IReadOnlyList<ReuseCluster> Clusters { get; init; }
    public required IReadOnlyList<CommonPassage> Common { get; init; }
    public int CandidatePairs { get; init; }
    public int CommonFingerprints { get; init; }
    public int TemplateFingerprints { get; init; }
    public required CollectionOptions Options { get; init; }
    public required CollectionTimings Timings { get; init; }

    /// <summary>Candidate pairs that could not be aligned (internal errors); empty in a sound run.</summary>
    public IReadOnlyList<PairFailure> Failures { get; init; } = [];

    /// <summary>Per document, whether each token is template or common material (null when none is).</summary>
    public required IReadOnlyList<ExclusionMask?> Masks { get; init; }
}

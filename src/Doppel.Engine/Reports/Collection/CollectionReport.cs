using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Doppel.Engine.Reports.Collection;

/// <summary>
/// The result of <c>doppel cross</c> as JSON: documents, pairs that share reused text (highest coverage first),
/// clusters, common material and skipped inputs. Documented field by field in docs/collection-schema.md (JSON
/// Schema: docs/collection.schema.json). Offsets and lengths are UTF-16 code units of the decoded original text;
/// word counts leave out template and common material.
/// </summary>
public sealed class CollectionReport
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public string Tool { get; init; } = "doppel";
    public string Mode { get; init; } = "collection";
    public required CollectionSettings Settings { get; init; }
    public required CollectionSummary Summary { get; init; }
    public required IReadOnlyList<CollectionDocument> Documents { get; init; }
    public required IReadOnlyList<CollectionPair> Pairs { get; init; }
    public required IReadOnlyList<CollectionCluster> Clusters { get; init; }
    public required IReadOnlyList<CollectionCommon> Common { get; init; }
    public IReadOnlyList<SkippedInput> Skipped { get; init; } = [];
    /// <summary>Candidate pairs the aligner failed on (internal errors, reported on stderr); empty in a sound run.</summary>
    public IReadOnlyList<CollectionFailure> FailedPairs { get; init; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, CollectionJsonContext.Readable.CollectionReport);

    public static CollectionReport FromJson(string json) =>
        JsonSerializer.Deserialize(json, CollectionJsonContext.Readable.CollectionReport) ?? throw new JsonException("the report is null");
}

public sealed class CollectionSettings
{
    public int MinWords { get; init; }
    public int FingerprintWords { get; init; }
    public int MinSharedFingerprints { get; init; }
    public double CommonShare { get; init; }
    public int CommonMinDocs { get; init; }
    /// <summary>Template files given with --exclude, as given.</summary>
    public IReadOnlyList<string> Excluded { get; init; } = [];
}

public sealed class CollectionSummary
{
    public int Documents { get; init; }
    public int CandidatePairs { get; init; }
    public int Pairs { get; init; }
    public int Clusters { get; init; }
    public int CommonFingerprints { get; init; }
    public int TemplateFingerprints { get; init; }
    public required CollectionSeconds Seconds { get; init; }
}

public sealed class CollectionSeconds
{
    public double Load { get; init; }
    public double Fingerprint { get; init; }
    public double Candidates { get; init; }
    public double Align { get; init; }
    public double Total { get; init; }
}

public sealed class CollectionDocument
{
    /// <summary>Index in <c>documents</c>; pairs and clusters refer to documents by it.</summary>
    public int Id { get; init; }
    public required string Name { get; init; }
    public required string Path { get; init; }
    public int Length { get; init; }
    public int Words { get; init; }
    public int TemplateWords { get; init; }
    public int CommonWords { get; init; }
}

public sealed class CollectionPair
{
    public int Rank { get; init; }
    public int A { get; init; }
    public int B { get; init; }
    public required string NameA { get; init; }
    public required string NameB { get; init; }
    /// <summary>Share of A's words inside passages shared with B (template and common words do not count).</summary>
    public double CoverageA { get; init; }
    public double CoverageB { get; init; }
    public int CoveredWordsA { get; init; }
    public int CoveredWordsB { get; init; }
    public int LongestWords { get; init; }
    public int SharedFingerprints { get; init; }
    public required IReadOnlyList<CollectionPassage> Passages { get; init; }
}

public sealed class CollectionPassage
{
    public required CollectionSpan A { get; init; }
    public required CollectionSpan B { get; init; }
    /// <summary>"verbatim", "paraphrase" or "summary".</summary>
    public required string Kind { get; init; }
    public double Score { get; init; }
}

public sealed class CollectionSpan
{
    public int Start { get; init; }
    public int Length { get; init; }
    public int Words { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Text { get; init; }
}

public sealed class CollectionCluster
{
    public int Rank { get; init; }
    public required IReadOnlyList<int> Documents { get; init; }
    /// <summary>Ranks of the cluster's pairs (1-based, as in <c>pairs[].rank</c>).</summary>
    public required IReadOnlyList<int> Pairs { get; init; }
    public int SharedWords { get; init; }
    public double MaxCoverage { get; init; }
}

public sealed class CollectionCommon
{
    /// <summary>"template" (from an --exclude file) or "common" (in more than the common share of documents).</summary>
    public required string Source { get; init; }
    /// <summary>Number of documents holding (part of) it.</summary>
    public int DocumentCount { get; init; }
    /// <summary>An example location: the document and span where it was first seen.</summary>
    public int Document { get; init; }
    public int Start { get; init; }
    public int Length { get; init; }
    public int Words { get; init; }
    public string? Text { get; init; }
}

public sealed class CollectionFailure
{
    public int A { get; init; }
    public int B { get; init; }
    public required string Message { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CollectionReport))]
public sealed partial class CollectionJsonContext : JsonSerializerContext
{
    /// <summary>Non-ASCII text as itself rather than \uXXXX (see <see cref="ReportJsonContext.Readable"/>).</summary>
    public static CollectionJsonContext Readable => ReadableHolder.Instance;

    private static class ReadableHolder
    {
        public static readonly CollectionJsonContext Instance = new(new JsonSerializerOptions(Default.Options)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
    }
}

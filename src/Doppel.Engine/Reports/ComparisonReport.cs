using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Doppel.Engine.Reports;

/// <summary>
/// The result of comparing one suspicious document with one or more sources, as written by
/// <c>doppel compare --format json</c> and <c>doppel check --format json</c>. Documented field by field in
/// docs/report-schema.md; offsets and lengths count UTF-16 code units of the original (decoded) text, as
/// JavaScript and .NET strings do.
/// </summary>
public sealed class ComparisonReport
{
    /// <summary>Bumped on any incompatible change to the layout.</summary>
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public string Tool { get; init; } = "doppel";
    public required ReportDocument Suspicious { get; init; }
    /// <summary>Share of the suspicious text covered by the passages of all sources: covered words / all its words
    /// (<see cref="Doppel.Engine.Text.AnalyzedDocument.WordsIn"/>), so identical text is 1 whatever spaces and
    /// punctuation surround it.</summary>
    public double Coverage { get; init; }
    /// <summary>Words of the suspicious text inside at least one (counted part of a) passage, of any source.</summary>
    public int CoveredWords { get; init; }
    /// <summary>Characters of the suspicious text inside at least one passage (of any source).</summary>
    public int CoveredLength { get; init; }
    /// <summary>Sources in rank order: highest coverage first.</summary>
    public required IReadOnlyList<SourceReport> Sources { get; init; }
    /// <summary>Inputs that could not be used (check only); empty when all were.</summary>
    public IReadOnlyList<SkippedInput> Skipped { get; init; } = [];
    /// <summary>The exclusions applied and every excludable span found in the suspicious text.</summary>
    public ReportExclusions Exclusions { get; init; } = new();

    public string ToJson() => JsonSerializer.Serialize(this, ReportJsonContext.Readable.ComparisonReport);

    public static ComparisonReport FromJson(string json) =>
        JsonSerializer.Deserialize(json, ReportJsonContext.Readable.ComparisonReport)
        ?? throw new JsonException("the report is null");
}

public sealed class ReportDocument
{
    /// <summary>Display name: the file name, or the path relative to a searched directory.</summary>
    public required string Name { get; init; }
    /// <summary>The path as given on the command line (joined with the directory it was found in).</summary>
    public required string Path { get; init; }
    /// <summary>Length of the decoded text in UTF-16 code units.</summary>
    public int Length { get; init; }
    /// <summary>Words of the text (the denominator of every share).</summary>
    public int Words { get; init; }
    /// <summary>"text", "html", "docx" or "pdf": for the last three, offsets refer to the extracted text.</summary>
    public string Format { get; init; } = "text";
    /// <summary>The whole (extracted) text, when the report was asked to carry it (HTML reports, --include-text).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Text { get; init; }

    /// <summary>With the text: where its words start and end, for the HTML report's script, which counts words as
    /// the engine does. Not serialised (the renderer analyses the text again when they are missing).</summary>
    internal (int[] Starts, int[] Ends)? WordOffsets { get; init; }
}

public sealed class SourceReport
{
    public required string Name { get; init; }
    public required string Path { get; init; }
    public int Length { get; init; }
    /// <summary>Words of the source's text.</summary>
    public int Words { get; init; }
    /// <summary>"text", "html", "docx" or "pdf"; source spans refer to the extracted text.</summary>
    public string Format { get; init; } = "text";
    /// <summary>Excluded by name (--exclude-source): listed with its passages, counted nowhere.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Excluded { get; init; }
    /// <summary>Share of the suspicious text's words covered by this source's passages (their counted parts).</summary>
    public double Coverage { get; init; }
    public int CoveredWords { get; init; }
    public int CoveredLength { get; init; }
    public required IReadOnlyList<ReportPassage> Passages { get; init; }
}

public sealed class ReportPassage
{
    public required ReportSpan Suspicious { get; init; }
    public required ReportSpan Source { get; init; }
    public double Score { get; init; }
    /// <summary>"verbatim", "paraphrase" or "summary".</summary>
    public required string Kind { get; init; }
    /// <summary>Why the passage is not counted at all: "source", "quote", "blockQuote", "bibliography" or "short";
    /// absent when it counts (possibly only in part: excluded spans inside it are not counted).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Excluded { get; init; }
    public required IReadOnlyList<ReportLink> Links { get; init; }
}

/// <summary>A span of an original text with its content (<c>text</c> == original.Substring(start, length)).</summary>
public sealed class ReportSpan
{
    public int Start { get; init; }
    public int Length { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Text { get; init; }
}

/// <summary>A suspicious sentence linked to a source sentence inside a passage; spans carry no text.</summary>
public sealed class ReportLink
{
    public required ReportSpan Suspicious { get; init; }
    public required ReportSpan Source { get; init; }
    public double Similarity { get; init; }
}

/// <summary>The exclusion options of the run and the excludable spans of the suspicious text.</summary>
public sealed class ReportExclusions
{
    /// <summary>Quotations and block quotations not counted.</summary>
    public bool Quotes { get; init; }
    /// <summary>The bibliography not counted.</summary>
    public bool Bibliography { get; init; }
    /// <summary>Passages with fewer counted words are not counted (0: no minimum).</summary>
    public int MinMatchWords { get; init; }
    /// <summary>Source name patterns not counted.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];
    /// <summary>Every quotation, block quotation and bibliography found, whether or not its option is on.</summary>
    public IReadOnlyList<ReportExcludedSpan> Spans { get; init; } = [];
}

public sealed class ReportExcludedSpan
{
    /// <summary>"quote", "blockQuote" or "bibliography".</summary>
    public required string Kind { get; init; }
    public int Start { get; init; }
    public int Length { get; init; }
}

public sealed class SkippedInput
{
    public required string Path { get; init; }
    /// <summary>notFound, isDirectory, unreadable, empty, binary, tooLarge or malformed.</summary>
    public required string Kind { get; init; }
    public required string Message { get; init; }
}

/// <summary>Source-generated serialisation: no reflection, so it is trimming- and AOT-safe.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ComparisonReport))]
public sealed partial class ReportJsonContext : JsonSerializerContext
{
    /// <summary>Writes non-ASCII text and quotes as themselves rather than \uXXXX: reports are files and
    /// terminal output, never embedded in HTML, and the quoted passages should stay readable.</summary>
    public static ReportJsonContext Readable => ReadableHolder.Instance;

    // A nested holder: a static initialiser on this class would run before the generated Default exists.
    private static class ReadableHolder
    {
        public static readonly ReportJsonContext Instance = new(new JsonSerializerOptions(Default.Options)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
    }
}

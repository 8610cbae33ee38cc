using System.Text.Json.Serialization;
using Doppel.Engine.Index;

namespace Doppel.Cli;

/// <summary>One line of <c>doppel index list --format json</c>.</summary>
internal sealed class IndexListEntry
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public int Length { get; init; }
    public required string ContentHash { get; init; }
    public DateTimeOffset Added { get; init; }
    /// <summary>Set when this id shares the content of another document (stored once).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AliasOf { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(IndexListEntry[]))]
[JsonSerializable(typeof(IndexStats))]
internal sealed partial class IndexJsonContext : JsonSerializerContext;

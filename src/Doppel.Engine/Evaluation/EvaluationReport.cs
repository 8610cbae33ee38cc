using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Doppel.Engine.Evaluation;

/// <summary>Measures of one group of pairs (an obfuscation type, or "all").</summary>
/// <remarks>Plain init-only properties with camelCase JSON names given by <see cref="JsonPropertyNameAttribute"/>,
/// so the default <see cref="JsonSerializer"/> options serialise and deserialise it.</remarks>
public sealed class EvaluationGroupResult
{
    /// <summary>Group name: the truth subfolder, the obfuscation/type of the first case, "no-plagiarism", or "all".</summary>
    [JsonPropertyName("name")] public string Name { get; init; } = "";

    /// <summary>Number of pairs (for "all", truth pairs plus detection files without a truth file).</summary>
    [JsonPropertyName("pairs")] public int Pairs { get; init; }

    /// <summary>Distinct plagiarism cases.</summary>
    [JsonPropertyName("cases")] public int Cases { get; init; }

    /// <summary>Distinct detections (identical detections are counted once, as in the PAN script).</summary>
    [JsonPropertyName("detections")] public int Detections { get; init; }

    /// <summary>Pairs with at least one detection.</summary>
    [JsonPropertyName("pairsWithDetections")] public int PairsWithDetections { get; init; }

    /// <summary>Cases overlapped by at least one detection.</summary>
    [JsonPropertyName("detectedCases")] public int DetectedCases { get; init; }

    [JsonPropertyName("recall")] public double Recall { get; init; }

    [JsonPropertyName("precision")] public double Precision { get; init; }

    [JsonPropertyName("granularity")] public double Granularity { get; init; }

    [JsonPropertyName("plagdet")] public double PlagDet { get; init; }
}

/// <summary>Recall over the cases that carry one value of a case attribute ("obfuscation" or "llm"), with every
/// detection: a case's level or model is not a pair's, so precision has no meaning here.</summary>
public sealed class EvaluationCaseBreakdown
{
    [JsonPropertyName("attribute")] public string Attribute { get; init; } = "";
    [JsonPropertyName("value")] public string Value { get; init; } = "";
    [JsonPropertyName("cases")] public int Cases { get; init; }
    [JsonPropertyName("detectedCases")] public int DetectedCases { get; init; }
    [JsonPropertyName("recall")] public double Recall { get; init; }
}

/// <summary>
/// Result of <see cref="PanEvaluator.Evaluate"/>: one <see cref="EvaluationGroupResult"/> per group plus the overall
/// ("all") result. JSON: every property carries a camelCase <see cref="JsonPropertyNameAttribute"/>, so
/// <c>JsonSerializer.Serialize(report)</c> with default options yields camelCase names (see also <see cref="ToJson"/>);
/// the type round-trips through <c>JsonSerializer.Deserialize&lt;EvaluationReport&gt;</c>.
/// </summary>
public sealed class EvaluationReport
{
    /// <summary>True for micro-averaged recall/precision, false for macro-averaged.</summary>
    [JsonPropertyName("micro")] public bool Micro { get; init; }

    [JsonPropertyName("truthDirectory")] public string TruthDirectory { get; init; } = "";

    [JsonPropertyName("detectionsDirectory")] public string DetectionsDirectory { get; init; } = "";

    /// <summary>Truth XML files read (one pair each).</summary>
    [JsonPropertyName("truthFiles")] public int TruthFiles { get; init; }

    /// <summary>Detection XML files read.</summary>
    [JsonPropertyName("detectionFiles")] public int DetectionFiles { get; init; }

    /// <summary>Detection files without a truth file: pairs without cases, counted in "all" only.</summary>
    [JsonPropertyName("unmatchedDetectionPairs")] public int UnmatchedDetectionPairs { get; init; }

    /// <summary>File names of the unmatched detection files, sorted ordinally.</summary>
    [JsonPropertyName("unmatchedDetectionFiles")] public IReadOnlyList<string> UnmatchedDetectionFiles { get; init; } = [];

    /// <summary>Per-group results, sorted ordinally by name ("all" is not included; see <see cref="All"/>).</summary>
    [JsonPropertyName("groups")] public IReadOnlyList<EvaluationGroupResult> Groups { get; init; } = [];

    /// <summary>Result over all pairs, cases and detections.</summary>
    [JsonPropertyName("all")] public EvaluationGroupResult All { get; init; } = new() { Name = PanEvaluator.AllGroup };

    /// <summary>Recall per value of the cases' obfuscation and llm attributes, when some case has an llm attribute
    /// or cases differ in obfuscation within a pair (PAN 2025); empty otherwise.</summary>
    [JsonPropertyName("byCase")] public IReadOnlyList<EvaluationCaseBreakdown> ByCase { get; init; } = [];

    /// <summary>The group with the given name ("all" gives <see cref="All"/>), or null.</summary>
    public EvaluationGroupResult? GetGroup(string name)
        => name == PanEvaluator.AllGroup ? All : Groups.FirstOrDefault(g => g.Name == name);

    /// <summary>Indented JSON with camelCase property names.</summary>
    public string ToJson(bool indented = true)
        => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = indented });

    /// <summary>A readable table, one row per group and a final "all" row.</summary>
    public string ToText()
    {
        var ci = CultureInfo.InvariantCulture;
        var rows = Groups.Append(All).ToList();
        int nameWidth = Math.Max(5, rows.Max(r => r.Name.Length));
        var sb = new StringBuilder();
        sb.Append("PAN text-alignment evaluation (").Append(Micro ? "micro" : "macro").Append("-averaged)\n");
        sb.Append("truth:      ").Append(TruthDirectory).Append(" (").Append(TruthFiles.ToString(ci)).Append(" files)\n");
        sb.Append("detections: ").Append(DetectionsDirectory).Append(" (").Append(DetectionFiles.ToString(ci)).Append(" files)\n");
        string header = string.Format(ci, "{0}  {1,6}  {2,6}  {3,10}  {4,8}  {5,9}  {6,11}  {7,8}",
            "group".PadRight(nameWidth), "pairs", "cases", "detections", "recall", "precision", "granularity", "plagdet");
        sb.Append(header).Append('\n').Append(new string('-', header.Length)).Append('\n');
        foreach (var r in rows)
        {
            if (ReferenceEquals(r, All))
                sb.Append(new string('-', header.Length)).Append('\n');
            sb.AppendFormat(ci, "{0}  {1,6}  {2,6}  {3,10}  {4,8:0.0000}  {5,9:0.0000}  {6,11:0.0000}  {7,8:0.0000}\n",
                r.Name.PadRight(nameWidth), r.Pairs, r.Cases, r.Detections, r.Recall, r.Precision, r.Granularity, r.PlagDet);
        }
        if (ByCase.Count > 0)
        {
            sb.Append("\nrecall by case attribute (all detections)\n");
            int w = Math.Max(5, ByCase.Max(b => b.Attribute.Length + 1 + b.Value.Length));
            foreach (var b in ByCase)
                sb.AppendFormat(ci, "{0}  {1,6} cases  {2,6} detected  recall {3:0.0000}\n",
                    (b.Attribute + "=" + b.Value).PadRight(w), b.Cases, b.DetectedCases, b.Recall);
        }
        if (UnmatchedDetectionPairs > 0)
            sb.Append("detection files without a truth file: ").Append(UnmatchedDetectionPairs.ToString(ci)).Append(" (counted in \"all\" only)\n");
        return sb.ToString();
    }

    public override string ToString() => ToText();
}

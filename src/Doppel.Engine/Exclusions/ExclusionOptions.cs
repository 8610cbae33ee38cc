namespace Doppel.Engine.Exclusions;

/// <summary>What a report does not count as reuse. All off by default: every passage counts.</summary>
public sealed record ExclusionOptions
{
    public static readonly ExclusionOptions None = new();

    /// <summary>Text in quotation marks (straight, curly, low-9, guillemets, CJK brackets) and block quotations.</summary>
    public bool Quotes { get; init; }
    /// <summary>The bibliography or references section, found by its heading or by the shape of reference lines.</summary>
    public bool Bibliography { get; init; }
    /// <summary>Passages with fewer counted words than this are not counted (0: no minimum).</summary>
    public int MinMatchWords { get; init; }
    /// <summary>Sources not counted, by name or path; <c>*</c> and <c>?</c> are wildcards. Case-insensitive.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    public bool Any => Quotes || Bibliography || MinMatchWords > 0 || Sources.Count > 0;

    /// <summary>True when the source named <paramref name="name"/> at <paramref name="path"/> is excluded.</summary>
    public bool ExcludesSource(string name, string path)
    {
        foreach (var pattern in Sources)
            if (Glob(pattern, name) || Glob(pattern, path) || Glob(pattern, System.IO.Path.GetFileName(path)))
                return true;
        return false;
    }

    private static bool Glob(string pattern, string value)
    {
        if (!pattern.Contains('*') && !pattern.Contains('?'))
            return string.Equals(pattern, value, StringComparison.OrdinalIgnoreCase);
        // Iterative wildcard match with backtracking to the last '*'.
        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(value[v]))) { p++; v++; }
            else if (p < pattern.Length && pattern[p] == '*') { star = p++; mark = v; }
            else if (star >= 0) { p = star + 1; v = ++mark; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}

/// <summary>Why a span of the suspicious text can be left out of the count.</summary>
public enum ExcludedKind
{
    /// <summary>In quotation marks.</summary>
    Quote,
    /// <summary>A block quotation (HTML blockquote, Word quote style or indented paragraph, Markdown "&gt;" lines).</summary>
    BlockQuote,
    /// <summary>The bibliography or references section.</summary>
    Bibliography,
}

/// <summary>A span of the suspicious text that the exclusions can leave out; offsets as in every report.</summary>
public readonly record struct ExcludedSpan(int Start, int Length, ExcludedKind Kind)
{
    public int End => Start + Length;

    /// <summary>The name used in reports: "quote", "blockQuote", "bibliography".</summary>
    public static string KindName(ExcludedKind kind) => kind switch
    {
        ExcludedKind.Quote => "quote",
        ExcludedKind.BlockQuote => "blockQuote",
        _ => "bibliography",
    };
}

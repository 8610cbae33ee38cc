using System.CommandLine;
using Doppel.Engine.Exclusions;
using Doppel.Engine.Reports;

namespace Doppel.Cli;

/// <summary>The exclusion and report options shared by the commands that write comparison reports (compare, check;
/// cross and check --index after merge): add them with <see cref="AddTo"/>, read them with <see cref="Read"/>.</summary>
internal sealed class ReportOptionSet
{
    public Option<bool> ExcludeQuotes { get; } = new("--exclude-quotes")
    {
        Description = "Do not count text in quotation marks (\"…\", “…”, „…“, «…», '…') or block quotations.",
    };

    public Option<bool> ExcludeBibliography { get; } = new("--exclude-bibliography")
    {
        Description = "Do not count the bibliography (References, Bibliography, Works Cited... or reference-shaped lines).",
    };

    public Option<int> MinMatchWords { get; } = new("--min-match-words")
    {
        Description = "Do not count passages with fewer than N counted words.",
        HelpName = "N",
    };

    public Option<string[]> ExcludeSource { get; } = new("--exclude-source")
    {
        Description = "Do not count this source (name or path; * and ? are wildcards). Repeatable.",
        HelpName = "NAME",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<bool> IncludeText { get; } = new("--include-text")
    {
        Description = "JSON: include the whole (extracted) suspicious text, to which the offsets refer.",
    };

    public ReportOptionSet()
    {
        MinMatchWords.WholeNumber(min: 0);
    }

    public void AddTo(Command cmd)
    {
        cmd.Options.Add(ExcludeQuotes);
        cmd.Options.Add(ExcludeBibliography);
        cmd.Options.Add(MinMatchWords);
        cmd.Options.Add(ExcludeSource);
        cmd.Options.Add(IncludeText);
    }

    /// <summary>The report options of a parsed command line; HTML reports always carry the text.</summary>
    public ReportOptions Read(ParseResult r, string format) => new()
    {
        Exclusions = new ExclusionOptions
        {
            Quotes = r.GetValue(ExcludeQuotes),
            Bibliography = r.GetValue(ExcludeBibliography),
            MinMatchWords = r.GetValue(MinMatchWords),
            Sources = r.GetValue(ExcludeSource) ?? [],
        },
        IncludeText = format == "html" || r.GetValue(IncludeText),
    };
}

using Doppel.Engine.Alignment;
using Doppel.Engine.Semantic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Doppel.Application;
using Doppel.Engine.Text;

namespace Doppel.Cli;

internal static class CommonOptions
{
    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "Print no progress or summary on stderr." };

    public static Option<double> MaxFileSize()
    {
        var o = new Option<double>("--max-file-size")
        {
            Description = "Refuse input files larger than this many megabytes (MiB).",
            DefaultValueFactory = _ => TextDecoder.DefaultMaxBytes / (1024.0 * 1024.0),
            Recursive = true,
            HelpName = "MB",
        };
        return o.Number(v => v is > 0 and < 1e6, "--max-file-size must be a positive number of megabytes.");
    }

    /// <summary>What a directory given to check, cross or index add stands for: every readable format, from the
    /// list discovery uses, so help cannot fall behind it.</summary>
    public static readonly string SearchedFor =
        "searched recursively for " + string.Join(", ", DocumentInputs.DocumentExtensions.Select(e => "*" + e)) +
        " (text, Markdown, HTML, Word, PDF) and extensionless documents; hidden files skipped";

    public static Option<FileInfo> OutputFile() => new("--output", "-o") { Description = "Write the report to FILE instead of standard output.", HelpName = "FILE" };

    public static Option<bool> Links() => new("--links")
    {
        Description = "Text: list the sentence links of every passage (which suspicious sentence matches which source sentence, with " +
            "their similarity). Without it they are listed, up to 25, for paraphrases and summaries too long to show whole.",
    };

    public static Option<bool> NoColor() => new("--no-color") { Description = "No ANSI colours (also off when NO_COLOR is set or output is not a terminal)." };

    /// <summary>Sentence-encoder evidence in alignment (docs/cli.md): off, auto or on.</summary>
    public static Option<string> Semantic()
    {
        var o = new Option<string>("--semantic")
        {
            Description = "Sentence-encoder evidence beside the lexical one: off (default), auto (when the model is available), on.",
            DefaultValueFactory = _ => "off",
            HelpName = "off|auto|on",
        };
        o.AcceptOnlyFromAmong("off", "auto", "on");
        return o;
    }

    /// <summary><paramref name="options"/> with the <c>--semantic</c> setting and its encoder; the one-line error when
    /// it is on and the model cannot be loaded.</summary>
    public static bool TryApplySemantic(string? value, AlignmentOptions options, out AlignmentOptions result, out string? error)
    {
        SemanticEncoders.TryParse(value, out var mode);
        try
        {
            result = options.WithSemantic(mode);
            error = null;
            return true;
        }
        catch (SentenceEncoderUnavailableException e)
        {
            result = options;
            error = e.Message;
            return false;
        }
    }

    public static Option<string> Format(params string[] formats)
    {
        var o = new Option<string>("--format", "-f")
        {
            Description = $"Output format: {string.Join(", ", formats)}.",
            DefaultValueFactory = _ => formats[0],
        };
        o.AcceptOnlyFromAmong(formats);
        return o;
    }
}

/// <summary>
/// Numeric options parse their own values, so that a value that is not a number, or is out of range (an overflow
/// included), is a usage error in one line (exit 2). System.CommandLine's own conversion lets validators throw
/// InvalidOperationException on such values. Every numeric option of every command must be made with these: a test
/// enumerates them from the command tree.
/// </summary>
internal static class NumericOptions
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<int> WholeNumber(this Option<int> option, int min, int max = int.MaxValue)
    {
        string range = max == int.MaxValue
            ? $"{option.Name} must be {(min == 0 ? "0 or more" : $"at least {min}")}."
            : $"{option.Name} must be between {min} and {max}.";
        option.CustomParser = r =>
        {
            if (Token(r) is not { } token) return option.DefaultValueFactory is { } d ? d(r) : default;
            if (!IsWholeNumber(token))
            {
                r.AddError($"{option.Name}: '{token}' is not a whole number.");
                return default;
            }
            bool negative = token.AsSpan().Trim().StartsWith("-");
            // Digits that do not even fit a long are out of range like the others.
            if (!long.TryParse(token, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, Inv, out long v))
                v = negative ? long.MinValue : long.MaxValue;
            if (v < min || v > max)
            {
                r.AddError(v > max && max == int.MaxValue ? $"{option.Name}: {token.Trim()} is too large (at most {int.MaxValue})." : range);
                return default;
            }
            return (int)v;
        };
        return option;
    }

    /// <summary>A finite number for which <paramref name="valid"/> holds; <paramref name="range"/> says which.</summary>
    public static Option<double> Number(this Option<double> option, Func<double, bool> valid, string range)
    {
        option.CustomParser = r =>
        {
            if (Token(r) is not { } token) return option.DefaultValueFactory is { } d ? d(r) : default;
            if (!double.TryParse(token, NumberStyles.Float, Inv, out double v) || double.IsNaN(v))
            {
                r.AddError($"{option.Name}: '{token}' is not a number.");
                return default;
            }
            if (!double.IsFinite(v) || !valid(v))
            {
                r.AddError(range);
                return default;
            }
            return v;
        };
        return option;
    }

    private static string? Token(ArgumentResult r) => r.Tokens.Count == 0 ? null : r.Tokens[^1].Value;

    private static bool IsWholeNumber(string s)
    {
        var t = s.AsSpan().Trim();
        if (t.Length > 0 && t[0] is '+' or '-') t = t[1..];
        return t.Length > 0 && !t.ContainsAnyExceptInRange('0', '9');
    }
}

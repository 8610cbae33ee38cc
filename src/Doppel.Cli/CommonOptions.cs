using System.CommandLine;
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
        o.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is not (> 0 and < 1e6))
                r.AddError("--max-file-size must be a positive number of megabytes.");
        });
        return o;
    }

    public static Option<FileInfo> OutputFile() => new("--output", "-o") { Description = "Write the report to FILE instead of standard output.", HelpName = "FILE" };

    public static Option<bool> NoColor() => new("--no-color") { Description = "No ANSI colours (also off when NO_COLOR is set or output is not a terminal)." };

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

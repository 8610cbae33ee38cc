using Doppel.Application;

namespace Doppel.Cli;

/// <summary>Writes a finished report to stdout or to <c>-o FILE</c>. Reports are rendered to a string first, so a
/// failure to write never leaves a half-written report behind a zero exit code.</summary>
internal static class Output
{
    public static int Write(CliContext ctx, FileInfo? file, string content)
    {
        try
        {
            if (file == null)
            {
                ctx.Out.Write(content);
                ctx.Out.Flush();
            }
            else
            {
                // .NET would say "Access to the path is denied" for a directory, and name the whole path when a
                // folder on the way is missing.
                if (Directory.Exists(file.FullName))
                    return ctx.Fail(ExitCodes.OutputError, $"{file}: cannot write: is a directory (give a file name)");
                if (Path.GetDirectoryName(file.FullName) is { } parent && !Directory.Exists(parent))
                    return ctx.Fail(ExitCodes.OutputError, $"{file}: cannot write: no such directory {parent}");
                File.WriteAllText(file.FullName, content);
            }
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return ctx.Fail(ExitCodes.OutputError, $"{file?.ToString() ?? "standard output"}: cannot write: {Reason(e)}");
        }
    }

    /// <summary>Why writing failed, in one line.</summary>
    public static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        _ => OneLine(e.Message),
    };

    public static string OneLine(string s) => Skips.OneLine(s);

    /// <summary>ANSI colours only for a terminal, and never when the user opted out (https://no-color.org).</summary>
    public static bool UseColor(CliContext ctx, FileInfo? file, bool noColor) =>
        file == null && ctx.StdoutIsTerminal && !noColor && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
}

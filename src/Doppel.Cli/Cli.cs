using System.CommandLine;
using Doppel.Application;
using Doppel.Cli.Commands;

namespace Doppel.Cli;

/// <summary>Where a run writes and what it knows about its terminal; lets tests run commands in-process.</summary>
internal sealed class CliContext(TextWriter stdout, TextWriter stderr, bool stdoutIsTerminal, int terminalWidth, bool stderrIsTerminal = false)
{
    /// <summary>Progress bars are drawn only on a terminal.</summary>
    public bool StderrIsTerminal { get; } = stderrIsTerminal;
    public TextWriter Out { get; } = stdout;
    public TextWriter Err { get; } = stderr;
    public bool StdoutIsTerminal { get; } = stdoutIsTerminal;
    public int TerminalWidth { get; } = terminalWidth;

    /// <summary>Global: the largest input file accepted, in MB (1 MB = 2^20 bytes).</summary>
    public Option<double> MaxFileSize { get; } = CommonOptions.MaxFileSize();

    public long MaxBytes(ParseResult r) => (long)Math.Round(r.GetValue(MaxFileSize) * 1024 * 1024);

    /// <summary>The input limits of a parsed command line; a file refused for its size names the option that lifts it.</summary>
    public InputLimits Limits(ParseResult r) => new(MaxBytes(r), "see --max-file-size");

    public int Fail(int code, string message)
    {
        Err.WriteLine($"doppel: {message}");
        return code;
    }
}

internal static class Cli
{
    /// <summary>Runs the command line; writes results to <paramref name="stdout"/> and diagnostics to
    /// <paramref name="stderr"/>; returns the exit code (see <see cref="ExitCodes"/>). Never throws unless DOPPEL_DEBUG=1.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool stdoutIsTerminal = false, int terminalWidth = 100,
        bool stderrIsTerminal = false)
    {
        var root = Build(new CliContext(stdout, stderr, stdoutIsTerminal, terminalWidth, stderrIsTerminal));
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var e in parse.Errors) stderr.WriteLine($"doppel: {e.Message}");
                stderr.WriteLine("Run 'doppel --help' for usage.");
                return ExitCodes.UsageError;
            }
            // Without this, System.CommandLine catches exceptions itself and prints a stack trace.
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("DOPPEL_DEBUG") != "1")
        {
            stderr.WriteLine($"doppel: internal error: {e.GetType().Name}: {e.Message.Split('\n')[0].TrimEnd('\r')}");
            return ExitCodes.InternalError;
        }
    }

    /// <summary>The command tree (tests walk it to find every option).</summary>
    internal static RootCommand Build(CliContext ctx)
    {
        var root = new RootCommand("Doppel: finds reused passages between documents, with exact character offsets.")
        {
            CompareCommand.Create(ctx),
            CheckCommand.Create(ctx),
            PanCommand.Create(ctx),
            EvalCommand.Create(ctx),
            ExtractCommand.Create(ctx),
            CrossCommand.Create(ctx),
            IndexCommand.Create(ctx),
            ServeCommand.Create(ctx),
            WorkerCommand.Create(ctx),
        };
        root.Options.Add(ctx.MaxFileSize);
        return root;
    }
}

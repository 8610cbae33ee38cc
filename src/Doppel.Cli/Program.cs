using System.CommandLine;
using Doppel.Cli;
using Doppel.Cli.Commands;

var root = new RootCommand("Doppel: finds reused passages between documents, with exact character offsets.")
{
    PanCommand.Create(),
    EvalCommand.Create(),
};
try
{
    var parse = root.Parse(args);
    if (parse.Errors.Count > 0)
    {
        foreach (var e in parse.Errors) Console.Error.WriteLine($"doppel: {e.Message}");
        Console.Error.WriteLine("Run 'doppel --help' for usage.");
        return ExitCodes.UsageError;
    }
    return parse.Invoke();
}
catch (Exception e) when (Environment.GetEnvironmentVariable("DOPPEL_DEBUG") != "1")
{
    Console.Error.WriteLine($"doppel: internal error: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
    return ExitCodes.InternalError;
}

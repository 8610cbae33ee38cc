using System.CommandLine;

namespace Doppel.Cli;

/// <summary>Where the reference index lives: <c>--index DIR</c>, else <c>$DOPPEL_INDEX</c>, else
/// <c>$XDG_DATA_HOME/doppel/index</c> (by default <c>~/.local/share/doppel/index</c>).</summary>
internal static class IndexLocation
{
    public const string EnvironmentVariable = "DOPPEL_INDEX";

    public static Option<string> Option(bool recursive = false) => new("--index", "-i")
    {
        Description = $"The index directory (default: ${EnvironmentVariable}, else $XDG_DATA_HOME/doppel/index, i.e. ~/.local/share/doppel/index).",
        HelpName = "DIR",
        Recursive = recursive,
    };

    public static string Resolve(string? option)
    {
        if (!string.IsNullOrEmpty(option)) return option;
        string? env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(env)) return env;
        string? xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        string data = !string.IsNullOrEmpty(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(data, "doppel", "index");
    }
}

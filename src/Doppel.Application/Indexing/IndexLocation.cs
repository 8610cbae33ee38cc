namespace Doppel.Application;

/// <summary>Where the reference index lives: the directory asked for, else <c>$DOPPEL_INDEX</c>, else
/// <c>$XDG_DATA_HOME/doppel/index</c> (by default <c>~/.local/share/doppel/index</c>).</summary>
public static class IndexLocation
{
    public const string EnvironmentVariable = "DOPPEL_INDEX";

    public static string Resolve(string? directory)
    {
        if (!string.IsNullOrEmpty(directory)) return directory;
        string? env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(env)) return env;
        string? xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        string data = !string.IsNullOrEmpty(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(data, "doppel", "index");
    }
}

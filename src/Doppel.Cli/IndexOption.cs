using System.CommandLine;
using Doppel.Application;

namespace Doppel.Cli;

/// <summary><c>--index DIR</c>: where the reference index lives (<see cref="IndexLocation"/>).</summary>
internal static class IndexOption
{
    public static Option<string> Create(bool recursive = false) => new("--index", "-i")
    {
        Description = $"The index directory, or redis://HOST:PORT[,HOST:PORT...][/NAME] for an index on a Redis Cluster (default: ${IndexLocation.EnvironmentVariable}, else $XDG_DATA_HOME/doppel/index, i.e. ~/.local/share/doppel/index).",
        HelpName = "DIR",
        Recursive = recursive,
    };
}

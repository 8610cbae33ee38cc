using System.CommandLine;

namespace Doppel.Cli;

internal static class CommonOptions
{
    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "Print no progress or summary on stderr." };
}

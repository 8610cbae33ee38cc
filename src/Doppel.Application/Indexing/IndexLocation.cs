using Doppel.Engine.Index;
using Doppel.Index.Redis;

namespace Doppel.Application;

/// <summary>Where the reference index lives, and which back end holds it: a directory (the embedded SQLite index) or
/// <c>redis://HOST:PORT[,HOST:PORT...][/NAME]</c> (an index on a Redis Cluster, docs/scale-out.md). The location is
/// the one asked for, else <c>$DOPPEL_INDEX</c>, else
/// <c>$XDG_DATA_HOME/doppel/index</c>, else <c>~/.local/share/doppel/index</c>. Without a usable home directory
/// there is no default: never a path relative to wherever the command happens to run.</summary>
public static class IndexLocation
{
    public const string EnvironmentVariable = "DOPPEL_INDEX";

    /// <summary>True for a <c>redis://</c> location.</summary>
    public static bool IsRedis(string location) => RedisLocation.IsRedis(location);

    /// <summary>Opens the index at a resolved location with the back end it names; creates it when asked.</summary>
    /// <exception cref="IndexException">Missing, foreign, newer, damaged, unreadable or (Redis) unreachable.</exception>
    public static IReferenceIndex Open(string location, bool create) =>
        IsRedis(location) ? RedisReferenceIndex.Open(location, create) : SqliteReferenceIndex.Open(location, create);

    /// <summary>True when the location holds an index (for Redis: the cluster answers and holds its format key).</summary>
    public static bool Exists(string location) =>
        IsRedis(location) ? RedisReferenceIndex.Exists(location) : SqliteReferenceIndex.Exists(location);

    /// <exception cref="ServiceException">No directory given and no default (HOME unset with no home directory for
    /// the account, or HOME not an existing absolute directory).</exception>
    public static string Resolve(string? directory)
    {
        if (!string.IsNullOrEmpty(directory)) return directory;
        string? env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(env)) return env;
        return DefaultDirectory();
    }

    /// <summary>The embedded default, ignoring <c>$DOPPEL_INDEX</c>: <c>$XDG_DATA_HOME/doppel/index</c>, else
    /// <c>~/.local/share/doppel/index</c>.</summary>
    /// <exception cref="ServiceException">No usable home directory.</exception>
    public static string DefaultDirectory()
    {
        // The XDG base directory spec: a relative path in these variables is invalid and ignored.
        string? xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "doppel", "index");
        return Path.Combine(Home(), ".local", "share", "doppel", "index");
    }

    private static string Home()
    {
        string? home = Environment.GetEnvironmentVariable("HOME");
        if (string.IsNullOrEmpty(home))
        {
            // .NET falls back to the account's home directory (the password database) when HOME is unset.
            home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (string.IsNullOrEmpty(home))
                throw new ServiceException(ServiceErrorKind.Configuration, "no default index location: HOME is not set and the account has no home directory");
            return home;
        }
        if (!Path.IsPathRooted(home) || !Directory.Exists(home))
            throw new ServiceException(ServiceErrorKind.Configuration, $"no default index location: HOME ({home}) is not a directory");
        return home;
    }
}

using System.Text.RegularExpressions;

namespace Doppel.Index.Redis;

/// <summary>
/// A Redis index location: <c>redis://HOST:PORT[,HOST:PORT...][/NAME]</c>. The endpoints are seeds (any node of the
/// cluster will do; the client learns the rest); <c>NAME</c> (default <c>default</c>) separates several indexes in one
/// cluster: every key of an index starts with <c>doppel:NAME:</c>.
/// </summary>
public sealed partial record RedisLocation(IReadOnlyList<string> Endpoints, string Name)
{
    public const string Scheme = "redis://";
    public const string DefaultName = "default";

    public static bool IsRedis(string location) => location.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <exception cref="FormatException">Not a well-formed location (the message says what is wrong).</exception>
    public static RedisLocation Parse(string location)
    {
        if (!IsRedis(location)) throw new FormatException($"{location}: not a redis:// location");
        string rest = location[Scheme.Length..];
        string name = DefaultName;
        int slash = rest.IndexOf('/');
        if (slash >= 0)
        {
            name = rest[(slash + 1)..];
            rest = rest[..slash];
            if (name.Length == 0) name = DefaultName;
            if (!NamePattern().IsMatch(name))
                throw new FormatException($"{location}: the index name '{name}' may hold only letters, digits, '.', '_' and '-' (at most 64)");
        }
        var endpoints = rest.Split(',', StringSplitOptions.TrimEntries);
        foreach (var e in endpoints)
        {
            int colon = e.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(e.AsSpan(colon + 1), out int port) || port is < 1 or > 65535)
                throw new FormatException($"{location}: '{e}' is not HOST:PORT (give redis://HOST:PORT[,HOST:PORT...][/NAME])");
        }
        return new RedisLocation(endpoints, name);
    }

    public override string ToString() => $"{Scheme}{string.Join(',', Endpoints)}/{Name}";

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();
}

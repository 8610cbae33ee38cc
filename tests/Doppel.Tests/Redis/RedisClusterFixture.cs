using System.Diagnostics;
using Xunit;

namespace Doppel.Tests.Redis;

/// <summary>
/// One local Redis Cluster (3 masters, 3 replicas) for the whole test run, started with scripts/redis-cluster.sh on
/// a port base drawn from the process id (so parallel runs on one machine do not clash) and stopped at the end.
/// Each test uses its own index name in it.
/// </summary>
public sealed class RedisClusterFixture : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("doppel-redis-").FullName;
    public int PortBase { get; }
    public string Address { get; }

    /// <summary>Found above the test's output folder (this file is compiled into more than one test project).</summary>
    public static string Script
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Doppel.slnx"))) return Path.Combine(dir.FullName, "scripts", "redis-cluster.sh");
            throw new FileNotFoundException("Doppel.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    public RedisClusterFixture()
    {
        // Cluster bus ports are the ports + 10000: bases 21000..24990 keep them under 35000.
        var rng = new Random(Environment.ProcessId);
        string? error = null;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            int port = 21000 + rng.Next(400) * 10;
            var (code, output) = Run("start", Dir, port.ToString());
            if (code == 0)
            {
                PortBase = port;
                Address = output.Trim().Split('\n')[^1];
                return;
            }
            error = output;
            Run("stop", Dir);
        }
        throw new InvalidOperationException($"the test Redis cluster did not start: {error}");
    }

    public string Location(string name) => $"{Address}/{name}";

    public static (int Code, string Output) Run(params string[] args)
    {
        var psi = new ProcessStartInfo("bash", [Script, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(300_000)) p.Kill();
        return (p.ExitCode, output + err.Result);
    }

    public IReadOnlyList<int> Masters() =>
        Run("masters", Dir).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();

    public void Dispose()
    {
        Run("stop", Dir);
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisClusterFixture>
{
    public const string Name = "redis cluster";
}

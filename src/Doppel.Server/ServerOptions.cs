using Doppel.Application;
using Doppel.Application.Jobs;
using Doppel.Readers;

namespace Doppel.Server;

/// <summary>The command line of <c>doppel serve</c>.</summary>
public sealed record ServerOptions
{
    public const string AdminPasswordVariable = "DOPPEL_ADMIN_PASSWORD";

    /// <summary>Default: <c>$XDG_DATA_HOME/doppel/server</c>, else <c>~/.local/share/doppel/server</c> (beside the
    /// default index).</summary>
    public required string DataDir { get; init; }
    /// <summary>The reference index location (a directory or <c>redis://...</c>, <see cref="IndexLocation"/>);
    /// null: <c>index/</c> in the data directory.</summary>
    public string? Index { get; init; }
    public string Urls { get; init; } = "http://127.0.0.1:5080";
    public int MaxUploadMb { get; init; } = 50;
    public int Workers { get; init; } = 2;
    /// <summary>Login attempts allowed per client address per minute.</summary>
    public int LoginsPerMinute { get; init; } = 10;
    public string? AdminPassword { get; init; }
    /// <summary>How long a worker holds a job without renewing (it renews every third of it): after a crash, the
    /// restarted server re-runs the jobs that were running once this has passed. <c>DOPPEL_JOB_LEASE_SECONDS</c>.</summary>
    public TimeSpan JobLease { get; init; } = TimeSpan.FromSeconds(30);

    public long MaxUploadBytes => MaxUploadMb * 1024L * 1024;

    public string IndexLocation => Index ?? Path.Combine(DataDir, "index");

    /// <summary>Beside the default index; beside the embedded default when <c>$DOPPEL_INDEX</c> names a Redis
    /// Cluster (a data directory is always local).</summary>
    public static string DefaultDataDir()
    {
        string index = Application.IndexLocation.Resolve(null);
        if (Application.IndexLocation.IsRedis(index)) index = Application.IndexLocation.DefaultDirectory();
        return Path.Combine(Path.GetDirectoryName(index)!, "server");
    }
}

/// <summary>Everything the endpoints and workers share; one per server.</summary>
public sealed class ServerContext
{
    public ServerContext(ServerOptions options)
    {
        Options = options;
        Directory.CreateDirectory(options.DataDir);
        string db = Path.Combine(options.DataDir, "doppel.db");
        Store = new ServerStore(db);
        Jobs = new SqliteJobQueue(db);
        Limits = new InputLimits(options.MaxUploadBytes, "see --max-upload-mb");
        Index = new IndexService(options.IndexLocation, Limits);
        Uploads = new Uploads(options.DataDir, ReaderLimits.Default);
    }

    public ServerOptions Options { get; }
    public ServerStore Store { get; }
    public IJobQueue Jobs { get; }
    public IndexService Index { get; }
    public InputLimits Limits { get; }
    public Uploads Uploads { get; }
    /// <summary>Adds to and removals from the index, one at a time.</summary>
    public object IndexWrite { get; } = new();
    /// <summary>Signs report links (per process: links die with it, and after <see cref="DoppelServer.LinkLifetime"/>).</summary>
    public byte[] LinkKey { get; } = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
    /// <summary>Wakes an idle worker when a job is queued.</summary>
    public SemaphoreSlim JobAdded { get; } = new(0);

    public void Signal()
    {
        if (JobAdded.CurrentCount < Options.Workers) JobAdded.Release();
    }
}

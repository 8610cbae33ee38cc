using Doppel.Application;
using Doppel.Application.Jobs;
using Doppel.Application.Storage;
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
    /// <summary>Where the jobs, the uploads and the reports are kept: null for the data directory (the embedded
    /// SQLite queue), or <c>redis://HOST:PORT[,...][/NAME]</c> to share them with every server and worker on that
    /// Redis Cluster (<see cref="RedisJobQueue"/>). <c>--jobs</c>, <c>DOPPEL_JOBS</c>.</summary>
    public string? Jobs { get; init; }
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
    /// <param name="web">False for a worker (<c>doppel worker</c>): no data directory, no users, only shared jobs.</param>
    public ServerContext(ServerOptions options, bool web = true)
    {
        Options = options;
        string db = Path.Combine(options.DataDir, "doppel.db");
        if (web)
        {
            Directory.CreateDirectory(options.DataDir);
            Store = new ServerStore(db);
        }
        else if (options.Jobs == null) throw new ArgumentException("a worker runs shared jobs only", nameof(options));
        if (options.Jobs is { } shared)
        {
            Jobs = RedisJobQueue.Open(shared);
            var files = RedisFileStore.Open(shared);
            Files = files;
            LinkKey = files.SharedSecret("report-links");
            // Workspace numbers are this node's (its own SQLite): qualified by the node, one node's workspace never
            // sees another's jobs in the shared queue.
            _ownerScope = web ? Store!.NodeId() + "/" : "";
        }
        else
        {
            Jobs = new SqliteJobQueue(db);
            Files = new DirectoryFileStore(options.DataDir);
            LinkKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        }
        Limits = new InputLimits(options.MaxUploadBytes, "see --max-upload-mb");
        Index = new IndexService(options.IndexLocation, Limits);
        Uploads = new Uploads(Files, ReaderLimits.Default);
    }

    private readonly string _ownerScope = "";

    /// <summary>The queue's owner of a workspace's jobs: its number, qualified by this node's id when the queue is shared.</summary>
    public string OwnerOf(long workspace) => _ownerScope + workspace.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The workspace a job belongs to on this node, or null for another node's job.</summary>
    public long? WorkspaceOf(JobRecord job) =>
        job.Owner.StartsWith(_ownerScope, StringComparison.Ordinal) && long.TryParse(job.Owner.AsSpan(_ownerScope.Length), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out long ws) ? ws : null;

    public ServerOptions Options { get; }
    /// <summary>Users and workspaces (this node's); null in a worker.</summary>
    public ServerStore Store { get; } = null!;
    public IJobQueue Jobs { get; }
    /// <summary>Uploads and reports (paths like <c>uploads/ID/...</c>, <c>reports/JOB/...</c>).</summary>
    public IFileStore Files { get; }
    public IndexService Index { get; }
    public InputLimits Limits { get; }
    public Uploads Uploads { get; }
    /// <summary>Adds to and removals from the index, one at a time.</summary>
    public object IndexWrite { get; } = new();
    /// <summary>Signs report links (per process: links die with it, and after <see cref="DoppelServer.LinkLifetime"/>;
    /// with shared jobs, one key for every node, so that any node opens a link any node made).</summary>
    public byte[] LinkKey { get; }
    /// <summary>Wakes an idle worker when a job is queued.</summary>
    public SemaphoreSlim JobAdded { get; } = new(0);

    public void Signal()
    {
        if (JobAdded.CurrentCount < Options.Workers) JobAdded.Release();
    }
}

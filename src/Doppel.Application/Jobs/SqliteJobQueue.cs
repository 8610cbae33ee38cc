using System.Security.Cryptography;
using Doppel.Application.Storage;
using Microsoft.Data.Sqlite;

namespace Doppel.Application.Jobs;

/// <summary>The job queue in a SQLite database (a table <c>jobs</c>, created when missing), WAL mode so readers do not
/// wait for the workers. Every operation is one statement or one transaction on its own connection, so it is safe
/// from any thread and across processes sharing the file.</summary>
public sealed class SqliteJobQueue : IJobQueue
{
    private readonly SqliteDatabase _db;
    private readonly TimeProvider _clock;

    public SqliteJobQueue(string databasePath, TimeProvider? clock = null)
    {
        _db = new SqliteDatabase(databasePath);
        _clock = clock ?? TimeProvider.System;
        using var c = Open();
        SqliteDatabase.Exec(c, """
            CREATE TABLE IF NOT EXISTS jobs (
              seq INTEGER PRIMARY KEY AUTOINCREMENT,
              id TEXT NOT NULL UNIQUE,
              kind TEXT NOT NULL,
              owner TEXT NOT NULL,
              status TEXT NOT NULL,
              payload TEXT NOT NULL,
              result TEXT,
              error TEXT,
              attempts INTEGER NOT NULL DEFAULT 0,
              cancel_requested INTEGER NOT NULL DEFAULT 0,
              lease TEXT,
              lease_until INTEGER,
              stage TEXT,
              progress_done INTEGER NOT NULL DEFAULT 0,
              progress_total INTEGER NOT NULL DEFAULT 0,
              created INTEGER NOT NULL,
              finished INTEGER);
            CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status, seq);
            CREATE INDEX IF NOT EXISTS jobs_owner ON jobs(owner, seq);
            """);
    }

    private SqliteConnection Open() => _db.Open();

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static SqliteCommand Command(SqliteConnection c, string sql, params (string Name, object? Value)[] args) =>
        SqliteDatabase.Command(c, sql, args);

    public string Enqueue(string kind, string owner, string payload)
    {
        string id = NewId();
        using var c = Open();
        using var cmd = Command(c, "INSERT INTO jobs(id, kind, owner, status, payload, created) VALUES($id, $k, $o, 'queued', $p, $t)",
            ("$id", id), ("$k", kind), ("$o", owner), ("$p", payload), ("$t", Now));
        cmd.ExecuteNonQuery();
        return id;
    }

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public JobClaim? Claim(string worker, TimeSpan lease)
    {
        long now = Now, until = now + (long)lease.TotalMilliseconds;
        string token = worker + ":" + NewId();
        using var c = Open();
        // A job whose worker died MaxAttempts times is not tried again: it would most likely kill the next one too.
        using (var dead = Command(c, """
            UPDATE jobs SET status='failed', error=$e, finished=$now, lease=NULL
            WHERE status='running' AND lease_until < $now AND attempts >= $max
            """, ("$now", now), ("$max", IJobQueue.MaxAttempts),
            ("$e", $"the worker stopped {IJobQueue.MaxAttempts} times while running this job")))
            dead.ExecuteNonQuery();
        // Cancelled while its worker was dead.
        using (var cancelled = Command(c, """
            UPDATE jobs SET status='cancelled', finished=$now, lease=NULL
            WHERE status='running' AND lease_until < $now AND cancel_requested=1
            """, ("$now", now)))
            cancelled.ExecuteNonQuery();
        // One statement: SQLite takes the write lock for it, so two workers never claim the same job.
        using var cmd = Command(c, $"""
            UPDATE jobs SET status='running', lease=$l, lease_until=$u, attempts=attempts+1
            WHERE seq = (SELECT seq FROM jobs WHERE status='queued' OR (status='running' AND lease_until < $now) ORDER BY seq LIMIT 1)
            RETURNING {Columns}
            """, ("$l", token), ("$u", until), ("$now", now));
        using var r = cmd.ExecuteReader();
        if (!r.Read()) return null;
        return new JobClaim(Read(r), token, DateTimeOffset.FromUnixTimeMilliseconds(until));
    }

    public bool Renew(JobClaim claim, TimeSpan lease)
    {
        using var c = Open();
        using var cmd = Command(c, "UPDATE jobs SET lease_until=$u WHERE id=$id AND lease=$l AND status='running' AND cancel_requested=0",
            ("$u", Now + (long)lease.TotalMilliseconds), ("$id", claim.Job.Id), ("$l", claim.Lease));
        return cmd.ExecuteNonQuery() == 1;
    }

    public void Progress(JobClaim claim, string stage, int done, int total)
    {
        using var c = Open();
        using var cmd = Command(c, "UPDATE jobs SET stage=$s, progress_done=$d, progress_total=$t WHERE id=$id AND lease=$l AND status='running'",
            ("$s", stage), ("$d", done), ("$t", total), ("$id", claim.Job.Id), ("$l", claim.Lease));
        cmd.ExecuteNonQuery();
    }

    public bool Complete(JobClaim claim, string result) => Finish(claim, "done", result, null);

    public bool Fail(JobClaim claim, string reason) => Finish(claim, "failed", null, Skips.OneLine(reason));

    private bool Finish(JobClaim claim, string status, string? result, string? error)
    {
        using var c = Open();
        // A job cancelled while it ran ends cancelled, whatever the worker made of it.
        using var cmd = Command(c, """
            UPDATE jobs SET status=CASE WHEN cancel_requested=1 THEN 'cancelled' ELSE $st END,
              result=CASE WHEN cancel_requested=1 THEN NULL ELSE $r END, error=$e, finished=$now, lease=NULL
            WHERE id=$id AND lease=$l AND status='running'
            """, ("$st", status), ("$r", result), ("$e", error), ("$now", Now), ("$id", claim.Job.Id), ("$l", claim.Lease));
        return cmd.ExecuteNonQuery() == 1;
    }

    public bool Cancel(string id)
    {
        using var c = Open();
        using var queued = Command(c, "UPDATE jobs SET status='cancelled', finished=$now WHERE id=$id AND status='queued'", ("$now", Now), ("$id", id));
        if (queued.ExecuteNonQuery() == 1) return true;
        using var running = Command(c, "UPDATE jobs SET cancel_requested=1 WHERE id=$id AND status='running'", ("$id", id));
        return running.ExecuteNonQuery() == 1;
    }

    public JobRecord? Get(string id)
    {
        using var c = Open();
        using var cmd = Command(c, $"SELECT {Columns} FROM jobs WHERE id=$id", ("$id", id));
        using var r = cmd.ExecuteReader();
        return r.Read() ? Read(r) : null;
    }

    public IReadOnlyList<JobRecord> List(string? owner = null, int limit = 100)
    {
        using var c = Open();
        using var cmd = Command(c, $"SELECT {Columns} FROM jobs WHERE $o IS NULL OR owner=$o ORDER BY seq DESC LIMIT $n", ("$o", owner), ("$n", limit));
        using var r = cmd.ExecuteReader();
        var list = new List<JobRecord>();
        while (r.Read()) list.Add(Read(r));
        return list;
    }

    private const string Columns = "id, kind, owner, status, payload, result, error, attempts, cancel_requested, stage, progress_done, progress_total, created, finished";

    private static JobRecord Read(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        Kind = r.GetString(1),
        Owner = r.GetString(2),
        Status = Enum.Parse<JobStatus>(r.GetString(3), ignoreCase: true),
        Payload = r.GetString(4),
        Result = r.IsDBNull(5) ? null : r.GetString(5),
        Error = r.IsDBNull(6) ? null : r.GetString(6),
        Attempts = r.GetInt32(7),
        CancelRequested = r.GetInt32(8) != 0,
        Stage = r.IsDBNull(9) ? null : r.GetString(9),
        ProgressDone = r.GetInt32(10),
        ProgressTotal = r.GetInt32(11),
        Created = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(12)),
        Finished = r.IsDBNull(13) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(13)),
    };
}

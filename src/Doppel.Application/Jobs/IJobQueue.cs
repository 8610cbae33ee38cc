namespace Doppel.Application.Jobs;

public enum JobStatus { Queued, Running, Done, Failed, Cancelled }

/// <summary>One job as stored: what to run (<see cref="Kind"/> and an opaque <see cref="Payload"/> the front end
/// understands), who owns it, where it is, and its outcome (an opaque <see cref="Result"/>, or a one-line
/// <see cref="Error"/>).</summary>
public sealed record JobRecord
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string Owner { get; init; }
    public required JobStatus Status { get; init; }
    public required string Payload { get; init; }
    public string? Result { get; init; }
    public string? Error { get; init; }
    /// <summary>How many times a worker has claimed it (above 1: an earlier worker died or was stopped).</summary>
    public int Attempts { get; init; }
    public bool CancelRequested { get; init; }
    public string? Stage { get; init; }
    public int ProgressDone { get; init; }
    public int ProgressTotal { get; init; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset? Finished { get; init; }
}

/// <summary>A job held by one worker until <see cref="LeaseUntil"/>; every write back names <see cref="Lease"/>, so a
/// worker whose lease expired (and whose job another worker now holds) can no longer change it.</summary>
public sealed record JobClaim(JobRecord Job, string Lease, DateTimeOffset LeaseUntil);

/// <summary>
/// A durable job queue, storage-neutral (SQLite here; another store can stand behind the same contract). Jobs are
/// claimed with a lease that the worker renews while it runs; a job whose worker died is claimed again once its lease
/// expires, up to <see cref="MaxAttempts"/> times, then failed. Jobs must be deterministic functions of their
/// payload and stored inputs, so a re-run gives the result the first run would have: a job is never lost, and never
/// finished twice with two results (the first <see cref="Complete"/> wins; a stale lease is refused).
/// </summary>
public interface IJobQueue
{
    const int MaxAttempts = 3;

    string Enqueue(string kind, string owner, string payload);

    /// <summary>The oldest queued job, or a running one whose lease expired; null when there is none.</summary>
    JobClaim? Claim(string worker, TimeSpan lease);

    /// <summary>Extends the lease; false when the lease is no longer held or a cancel was asked for: stop.</summary>
    bool Renew(JobClaim claim, TimeSpan lease);

    /// <summary>Records progress (best effort, may be called often).</summary>
    void Progress(JobClaim claim, string stage, int done, int total);

    /// <summary>False when the lease was lost (the job is someone else's now, or cancelled).</summary>
    bool Complete(JobClaim claim, string result);

    bool Fail(JobClaim claim, string reason);

    /// <summary>A queued job is cancelled at once; a running one when its worker next renews. False when the job is
    /// unknown or already finished.</summary>
    bool Cancel(string id);

    JobRecord? Get(string id);

    /// <summary>Newest first; every owner when <paramref name="owner"/> is null.</summary>
    IReadOnlyList<JobRecord> List(string? owner = null, int limit = 100);
}

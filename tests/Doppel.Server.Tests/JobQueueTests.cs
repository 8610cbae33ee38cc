using Doppel.Application.Jobs;
using Doppel.Tests.Redis;

namespace Doppel.Server.Tests;

/// <summary>The contract every <see cref="IJobQueue"/> keeps, run against each back end (SQLite, Redis Cluster):
/// leases, re-claim after expiry, first completion wins, stale leases refused, cancel, attempts, listing.</summary>
public abstract class JobQueueContractTests : IDisposable
{
    protected sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now = DateTimeOffset.UnixEpoch.AddDays(20000);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    protected readonly Clock _clock = new();

    /// <summary>A queue on this test's store: every call opens another client of the same queue.</summary>
    protected abstract IJobQueue Queue();

    public virtual void Dispose() { }

    [Fact]
    public void A_job_of_a_dead_worker_is_claimed_again_after_its_lease_and_the_stale_lease_cannot_finish_it()
    {
        var q = Queue();
        string id = q.Enqueue("check", "1", "{}");
        var first = q.Claim("a", TimeSpan.FromSeconds(10))!;
        Assert.Equal(id, first.Job.Id);
        Assert.Null(q.Claim("b", TimeSpan.FromSeconds(10))); // held
        _clock.Now += TimeSpan.FromSeconds(11);
        var second = q.Claim("b", TimeSpan.FromSeconds(10))!;
        Assert.Equal(id, second.Job.Id);
        Assert.Equal(2, second.Job.Attempts);
        Assert.False(q.Complete(first, "stale"));
        Assert.False(q.Renew(first, TimeSpan.FromSeconds(10)));
        Assert.True(q.Complete(second, "result"));
        Assert.False(q.Complete(second, "again"));
        var done = q.Get(id)!;
        Assert.Equal(JobStatus.Done, done.Status);
        Assert.Equal("result", done.Result);
        Assert.Null(q.Claim("c", TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_renewed_lease_is_not_taken_over()
    {
        var q = Queue();
        string id = q.Enqueue("check", "1", "{}");
        var c = q.Claim("a", TimeSpan.FromSeconds(10))!;
        _clock.Now += TimeSpan.FromSeconds(8);
        Assert.True(q.Renew(c, TimeSpan.FromSeconds(10)));
        _clock.Now += TimeSpan.FromSeconds(8);
        Assert.Null(q.Claim("b", TimeSpan.FromSeconds(10)));
        q.Progress(c, "Aligning", 3, 7);
        var running = q.Get(id)!;
        Assert.Equal((JobStatus.Running, "Aligning", 3, 7, 1), (running.Status, running.Stage, running.ProgressDone, running.ProgressTotal, running.Attempts));
        Assert.True(q.Complete(c, "r"));
    }

    [Fact]
    public void Jobs_are_claimed_oldest_first_and_each_once()
    {
        var q = Queue();
        var ids = Enumerable.Range(0, 20).Select(i => q.Enqueue("check", "1", i.ToString())).ToList();
        var claimed = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 4, w =>
        {
            var mine = Queue();
            while (mine.Claim("w" + w, TimeSpan.FromMinutes(1)) is { } c) claimed.Add(c.Job.Id);
        });
        Assert.Equal(ids.Order(), claimed.Order());
        Assert.Equal(ids[0], q.List(limit: 100)[^1].Id);
        var first = Queue().Claim("x", TimeSpan.FromMinutes(1));
        Assert.Null(first);
    }

    [Fact]
    public void A_single_worker_claims_in_enqueue_order_and_lists_are_per_owner_newest_first()
    {
        var q = Queue();
        var ids = Enumerable.Range(0, 5).Select(i => q.Enqueue("check", i % 2 == 0 ? "even" : "odd", i.ToString())).ToList();
        var order = new List<string>();
        while (q.Claim("w", TimeSpan.FromMinutes(1)) is { } c) order.Add(c.Job.Id);
        Assert.Equal(ids, order);
        Assert.Equal([ids[4], ids[2], ids[0]], q.List("even").Select(j => j.Id));
        Assert.Equal([ids[3], ids[1]], q.List("odd").Select(j => j.Id));
        Assert.Equal([ids[4], ids[3]], q.List(limit: 2).Select(j => j.Id));
        Assert.Empty(q.List("nobody"));
        var job = q.Get(ids[1])!;
        Assert.Equal(("check", "odd", "1", JobStatus.Running), (job.Kind, job.Owner, job.Payload, job.Status));
        Assert.Equal(_clock.Now, job.Created);
        Assert.Null(q.Get("no-such-job"));
    }

    [Fact]
    public void Cancel_stops_a_queued_job_at_once_and_a_running_one_at_its_next_renewal()
    {
        var q = Queue();
        string queued = q.Enqueue("check", "1", "{}");
        string running = q.Enqueue("check", "1", "{}");
        Assert.True(q.Cancel(queued));
        var c = q.Claim("a", TimeSpan.FromSeconds(10))!;
        Assert.Equal(running, c.Job.Id);
        Assert.True(q.Cancel(running));
        Assert.False(q.Renew(c, TimeSpan.FromSeconds(10)));
        q.Complete(c, "late");
        Assert.Equal(JobStatus.Cancelled, q.Get(queued)!.Status);
        Assert.Equal(JobStatus.Cancelled, q.Get(running)!.Status);
        Assert.Null(q.Get(running)!.Result);
        Assert.False(q.Cancel(running));
        Assert.False(q.Cancel("no-such-job"));
    }

    [Fact]
    public void Failure_reason_is_one_line_and_a_job_that_keeps_killing_workers_fails()
    {
        var q = Queue();
        string id = q.Enqueue("check", "1", "{}");
        var c = q.Claim("a", TimeSpan.FromSeconds(1))!;
        Assert.True(q.Fail(c, "bad input\nstack trace"));
        Assert.Equal("bad input", q.Get(id)!.Error);
        Assert.Equal(JobStatus.Failed, q.Get(id)!.Status);

        string doomed = q.Enqueue("check", "1", "{}");
        for (int i = 0; i < IJobQueue.MaxAttempts; i++)
        {
            Assert.NotNull(q.Claim("w", TimeSpan.FromSeconds(1)));
            _clock.Now += TimeSpan.FromSeconds(2);
        }
        Assert.Null(q.Claim("w", TimeSpan.FromSeconds(1)));
        var job = q.Get(doomed)!;
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("stopped", job.Error);
        Assert.Equal(IJobQueue.MaxAttempts, job.Attempts);
    }
}

public sealed class SqliteJobQueueTests : JobQueueContractTests
{
    private readonly string _dir = Directory.CreateTempSubdirectory("doppel-jobs-").FullName;

    protected override IJobQueue Queue() => new SqliteJobQueue(Path.Combine(_dir, "jobs.db"), _clock);

    public override void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }
}

[Collection(RedisCollection.Name)]
public sealed class RedisJobQueueTests(RedisClusterFixture cluster) : JobQueueContractTests
{
    private readonly string _name = "jobs-" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<RedisJobQueue> _open = [];

    // Stream entries are looked at again at once (the lease in the job's hash decides, on the test's clock).
    protected override IJobQueue Queue()
    {
        var q = RedisJobQueue.Open(cluster.Location(_name), _clock);
        q.TakeoverIdle = TimeSpan.Zero;
        lock (_open) _open.Add(q);
        return q;
    }

    public override void Dispose()
    {
        foreach (var q in _open) q.Dispose();
    }
}

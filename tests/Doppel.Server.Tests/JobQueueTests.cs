using Doppel.Application.Jobs;

namespace Doppel.Server.Tests;

public sealed class JobQueueTests : IDisposable
{
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now = DateTimeOffset.UnixEpoch.AddDays(20000);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private readonly string _dir = Directory.CreateTempSubdirectory("doppel-jobs-").FullName;
    private readonly Clock _clock = new();
    private SqliteJobQueue Queue() => new(Path.Combine(_dir, "jobs.db"), _clock);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

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
    }

    [Fact]
    public void Jobs_are_claimed_oldest_first_and_each_once()
    {
        var q = Queue();
        var ids = Enumerable.Range(0, 20).Select(i => q.Enqueue("check", "1", i.ToString())).ToList();
        var claimed = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 4, w =>
        {
            var mine = new SqliteJobQueue(Path.Combine(_dir, "jobs.db"), _clock);
            while (mine.Claim("w" + w, TimeSpan.FromMinutes(1)) is { } c) claimed.Add(c.Job.Id);
        });
        Assert.Equal(ids.Order(), claimed.Order());
        Assert.Equal(ids[0], q.List(limit: 100)[^1].Id);
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
    }

    [Fact]
    public void Failure_reason_is_one_line_and_a_job_that_keeps_killing_workers_fails()
    {
        var q = Queue();
        string id = q.Enqueue("check", "1", "{}");
        var c = q.Claim("a", TimeSpan.FromSeconds(1))!;
        Assert.True(q.Fail(c, "bad input\nstack trace"));
        Assert.Equal("bad input", q.Get(id)!.Error);

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
    }
}

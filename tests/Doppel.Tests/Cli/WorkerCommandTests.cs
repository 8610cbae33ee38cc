using Xunit;

namespace Doppel.Tests.Cli;

/// <summary><c>doppel worker</c> and <c>serve --jobs</c>: what they refuse before starting anything.</summary>
public sealed class WorkerCommandTests : CliHarness
{
    [Fact]
    public void A_worker_needs_shared_jobs_and_an_index()
    {
        var none = Run("worker", "--index", "redis://127.0.0.1:1/i");
        Assert.Equal(2, none.Code);
        Assert.Contains("a worker needs the servers' jobs", none.Err);
        var local = Run("worker", "--jobs", Temp, "--index", "redis://127.0.0.1:1/i");
        Assert.Equal(2, local.Code);
        Assert.Contains("give redis://HOST:PORT", local.Err);
        var noIndex = Run("worker", "--jobs", "redis://127.0.0.1:1/j");
        if (Environment.GetEnvironmentVariable("DOPPEL_INDEX") is null)
        {
            Assert.Equal(2, noIndex.Code);
            Assert.Contains("a worker needs the servers' reference index", noIndex.Err);
        }
    }

    [Fact]
    public void Serve_refuses_jobs_that_are_not_on_redis_and_an_unreachable_cluster()
    {
        var local = Run("serve", "--data", Path.Combine(Temp, "data"), "--jobs", Path.Combine(Temp, "jobs"));
        Assert.Equal(2, local.Code);
        Assert.Contains("--jobs", local.Err);
        var down = Run("worker", "--jobs", "redis://127.0.0.1:1/j", "--index", "redis://127.0.0.1:1/i");
        Assert.Equal(7, down.Code);
        Assert.Contains("cannot reach the Redis cluster", down.Err);
        Assert.Single(down.ErrLines);
    }
}

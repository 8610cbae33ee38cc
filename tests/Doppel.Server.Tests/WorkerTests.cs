using System.Diagnostics;
using System.Text.Json;
using Doppel.Application;
using Doppel.Application.Jobs;
using Doppel.Application.Storage;
using Doppel.Tests.Redis;

namespace Doppel.Server.Tests;

/// <summary><c>doppel worker</c> as a real process: it runs a check queued on the cluster (as a server queues one:
/// the upload in the shared file store, the payload naming it) and writes its report where every node reads it.</summary>
[Collection(RedisCollection.Name)]
public sealed class WorkerTests(RedisClusterFixture cluster)
{
    [Fact]
    public void A_worker_runs_a_shared_check_and_stores_its_report_on_the_cluster()
    {
        string name = "worker-" + Guid.NewGuid().ToString("N")[..10];
        string jobs = cluster.Location(name), index = cluster.Location(name + "-index");
        new IndexService(index).Add(new[] { "essay.txt", "web-page.html" }.Select(f => DocumentSource.FromBytes(f, File.ReadAllBytes(ServerHarness.Example(f)))).ToList());
        using var files = RedisFileStore.Open(jobs);
        using var queue = RedisJobQueue.Open(jobs);
        byte[] upload = File.ReadAllBytes(ServerHarness.Example("essay-paraphrased.txt"));
        using (var o = ((IFileStore)files).Create("uploads/t1/0000-essay-paraphrased.txt")) o.Write(upload);
        string id = queue.Enqueue("check", "elsewhere/1",
            JsonSerializer.Serialize(new JobPayload(1, [new StoredFile("essay-paraphrased.txt", "uploads/t1/0000-essay-paraphrased.txt", upload.Length)])));

        using var worker = Process.Start(ServerProcess.Cli(2, ["worker", "--jobs", jobs, "--index", index, "--workers", "1"]))!;
        var log = new System.Text.StringBuilder();
        worker.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        worker.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        worker.BeginErrorReadLine();
        worker.BeginOutputReadLine();
        try
        {
            var until = DateTime.UtcNow.AddSeconds(90);
            JobRecord job;
            while ((job = queue.Get(id)!).Status is JobStatus.Queued or JobStatus.Running)
            {
                Assert.False(worker.HasExited, $"the worker stopped: {log}");
                Assert.True(DateTime.UtcNow < until, $"job still {job.Status}: {log}");
                Thread.Sleep(100);
            }
            Assert.True(job.Status == JobStatus.Done, $"{job.Status}: {job.Error}\n{log}");
            Assert.Equal(1, job.Attempts);
            using var report = JsonDocument.Parse(job.Result!);
            Assert.True(report.RootElement.GetProperty("coverage").GetDouble() > 0.5);
            Assert.Equal(job.Result, ((IFileStore)files).ReadText($"reports/{id}/report.json"));
            Assert.Contains("<html", ((IFileStore)files).ReadText($"reports/{id}/report.html"));
        }
        finally
        {
            worker.Kill();
            worker.WaitForExit();
        }
    }
}

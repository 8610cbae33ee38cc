using System.Text.Json;
using Doppel.Application;
using Doppel.Application.Jobs;
using Doppel.Engine.Reports;
using Doppel.Engine.Reports.Collection;
using Doppel.Engine.Reports.Html;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Doppel.Server;

/// <summary>What a job runs on: the workspace and the stored files (paths in the server's file store).</summary>
public sealed record JobPayload(long Workspace, List<StoredFile> Files, bool Store = false);

/// <summary>
/// The bounded worker pool: <see cref="ServerOptions.Workers"/> loops, each claiming one job at a time with a lease it
/// renews while the job runs. A job's outputs (report.json, report.html, a collection's pages) are written to
/// <c>reports/ID/</c> in the file store (the data directory, or the Redis Cluster with shared jobs) before the job is
/// completed, and depend only on its stored inputs and the index, so a job re-run after a crash writes the same report.
/// </summary>
public sealed class JobWorker(ServerContext server, ILogger<JobWorker> log) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(300);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, server.Options.Workers).Select(i => Task.Run(() => Loop($"w{i}", stoppingToken), stoppingToken)));

    private async Task Loop(string name, CancellationToken stop)
    {
        string worker = $"{Environment.ProcessId}-{name}";
        while (!stop.IsCancellationRequested)
        {
            JobClaim? claim = null;
            try { claim = server.Jobs.Claim(worker, server.Options.JobLease); }
            catch (Exception e) { log.LogError("claiming a job failed: {Message}", e.Message); }
            if (claim == null)
            {
                try { await server.JobAdded.WaitAsync(Poll, stop); } catch (OperationCanceledException) { return; }
                continue;
            }
            Run(claim, stop);
        }
    }

    private void Run(JobClaim claim, CancellationToken stop)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var lease = server.Options.JobLease;
        using var renew = new Timer(_ =>
        {
            try { if (!server.Jobs.Renew(claim, lease)) cts.Cancel(); } catch (Exception) { /* tried again at the next tick */ }
        }, null, lease / 3, lease / 3);
        var observer = new JobObserver(server.Jobs, claim);
        try
        {
            var payload = JsonSerializer.Deserialize<JobPayload>(claim.Job.Payload)!;
            string result = claim.Job.Kind switch
            {
                "check" => RunCheck(claim.Job.Id, payload, observer, cts.Token),
                "cross" => RunCross(claim.Job.Id, payload, observer, cts.Token),
                _ => throw new ServiceException(ServiceErrorKind.Usage, $"unknown job kind {claim.Job.Kind}"),
            };
            server.Jobs.Complete(claim, result);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The server is stopping: the lease runs out and another start picks the job up again.
        }
        catch (OperationCanceledException)
        {
            server.Jobs.Fail(claim, "cancelled");
        }
        catch (JobStoreException e)
        {
            // The shared store is out of reach: the job is left to its lease, and runs again once the store is back.
            log.LogError("job {Id}: {Message}", claim.Job.Id, e.Message);
        }
        catch (Exception e) when (e is ServiceException or Doppel.Engine.Text.DocumentInputException or IOException or Doppel.Engine.Index.IndexException)
        {
            server.Jobs.Fail(claim, Skips.OneLine(e.Message));
        }
        catch (Exception e)
        {
            log.LogError("job {Id} failed: {Type}: {Message}", claim.Job.Id, e.GetType().Name, Skips.OneLine(e.Message));
            server.Jobs.Fail(claim, $"internal error: {e.GetType().Name}: {Skips.OneLine(e.Message)}");
        }
    }

    private List<DocumentSource> Sources(JobPayload p) => Sources(server, p.Files);

    /// <summary>Stored uploads as documents named (and pathed, in reports) by their upload names: reports do not tell
    /// where the server keeps files. Each is at most the upload limit.</summary>
    internal static List<DocumentSource> Sources(ServerContext server, IReadOnlyList<StoredFile> files) =>
        files.Select(f => DocumentSource.FromBytes(f.Name, server.Files.Read(f.Path)
            ?? throw new ServiceException(ServiceErrorKind.Input, $"{f.Name}: the uploaded file is no longer stored"))).ToList();

    private string RunCheck(string id, JobPayload p, IOperationObserver observer, CancellationToken ct)
    {
        var docs = Sources(p);
        if (!server.Index.Exists) throw new ServiceException(ServiceErrorKind.Input, "the reference index is empty: add sources first");
        var options = new CheckOptions { Report = new ReportOptions { IncludeText = true } };
        CheckResult result;
        using (var index = server.Index.Open())
            result = new CheckService(server.Limits).AgainstIndex(index, docs, options, observer, cancellationToken: ct);
        if (result.Reports.Count == 0)
            throw new ServiceException(ServiceErrorKind.Input, result.SkippedDocuments.FirstOrDefault()?.Message ?? "the document could not be read");
        var report = result.Reports[0];
        string json = report.ToJson();
        server.Files.WriteText(ReportPath(id, "report.json"), json);
        server.Files.WriteText(ReportPath(id, "report.html"), HtmlReportRenderer.Render(report));
        if (p.Store)
            lock (server.IndexWrite) server.Index.Add(docs, cancellationToken: CancellationToken.None);
        return json;
    }

    private string RunCross(string id, JobPayload p, IOperationObserver observer, CancellationToken ct)
    {
        var run = new CollectionService(server.Limits).Cross(Sources(p), [], null, observer, ct);
        string json = run.Report.ToJson();
        server.Files.WriteText(ReportPath(id, "report.json"), json);
        foreach (var (path, content) in CollectionHtml.Render(run.Report, run.Result, 50))
            server.Files.WriteText(ReportPath(id, path), content);
        return json;
    }

    /// <summary>Where a job's report files are, in the file store.</summary>
    internal static string ReportPath(string job, string page) => $"reports/{job}/{page.Replace('\\', '/')}";

    /// <summary>Progress onto the job row, at most a few times a second (Progress comes from several threads).</summary>
    private sealed class JobObserver(IJobQueue jobs, JobClaim claim) : IOperationObserver
    {
        private long _last;

        public void Progress(OperationProgress p)
        {
            long now = Environment.TickCount64, last = Interlocked.Read(ref _last);
            if (p.Done != p.Total && p.Done != 0 && now - last < 250) return;
            if (Interlocked.CompareExchange(ref _last, now, last) != last && p.Done != p.Total) return;
            try { jobs.Progress(claim, p.Stage.ToString(), p.Done, p.Total); } catch (Exception) { /* best effort */ }
        }
    }
}

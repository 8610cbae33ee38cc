using System.CommandLine;
using Doppel.Application;
using Doppel.Application.Jobs;
using Doppel.Server;

namespace Doppel.Cli.Commands;

/// <summary><c>doppel serve [--data DIR] [--index LOCATION] [--jobs LOCATION] [--urls URL] [--max-upload-mb N] [--workers N]</c>: the web server (docs/server.md).</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext ctx)
    {
        var data = new Option<string?>("--data") { Description = "The data directory: users, workspaces, uploads, jobs, reports and the reference index (default: server/ beside the default index)." };
        var index = IndexOption.Create();
        index.Description = $"The reference index: a directory, or redis://HOST:PORT[,HOST:PORT...][/NAME] for an index on a Redis Cluster (default: ${IndexLocation.EnvironmentVariable}, else index/ in the data directory).";
        index.HelpName = "LOCATION";
        var jobs = JobsOption();
        jobs.Description = $"Share the jobs, uploads and reports with every server and worker on a Redis Cluster: redis://HOST:PORT[,HOST:PORT...][/NAME] (default: ${JobsVariable}, else the data directory).";
        var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var maxUpload = new Option<int>("--max-upload-mb") { Description = "The largest request body accepted, in MB; larger ones get 413.", DefaultValueFactory = _ => 50 };
        var workers = WorkersOption();
        maxUpload.WholeNumber(min: 1, max: 1_000_000);
        var cmd = new Command("serve", "Run the web server: the REST API under /api/v1, durable jobs, the reference index.") { data, index, jobs, urls, maxUpload, workers };
        cmd.SetAction(r => Run(ctx, r.GetValue(data), r.GetValue(index), r.GetValue(jobs), r.GetValue(urls)!, r.GetValue(maxUpload), r.GetValue(workers)));
        return cmd;
    }

    public const string JobsVariable = "DOPPEL_JOBS";

    internal static Option<string?> JobsOption() => new("--jobs") { HelpName = "LOCATION" };

    internal static Option<int> WorkersOption()
    {
        var workers = new Option<int>("--workers") { Description = "Jobs run at the same time.", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount / 2) };
        workers.WholeNumber(min: 1, max: 256);
        return workers;
    }

    /// <summary>The jobs location asked for, else <c>$DOPPEL_JOBS</c>; null for the data directory. A location that
    /// is not <c>redis://</c> is refused (the embedded queue is always in the data directory).</summary>
    internal static bool ResolveJobs(CliContext ctx, string? jobs, out string? location)
    {
        location = string.IsNullOrEmpty(jobs) ? Environment.GetEnvironmentVariable(JobsVariable) : jobs;
        if (string.IsNullOrEmpty(location)) { location = null; return true; }
        if (IndexLocation.IsRedis(location)) return true;
        ctx.Fail(ExitCodes.UsageError, $"--jobs {location}: give redis://HOST:PORT[,HOST:PORT...][/NAME] (without it the jobs stay in the data directory)");
        return false;
    }

    /// <summary>The index asked for, else <c>$DOPPEL_INDEX</c> (a directory made absolute); null when neither is given.</summary>
    internal static string? ResolveIndex(string? index)
    {
        if (string.IsNullOrEmpty(index)) index = Environment.GetEnvironmentVariable(IndexLocation.EnvironmentVariable);
        if (string.IsNullOrEmpty(index)) return null;
        return IndexLocation.IsRedis(index) ? index : Path.GetFullPath(index);
    }

    internal static TimeSpan JobLease() =>
        double.TryParse(Environment.GetEnvironmentVariable("DOPPEL_JOB_LEASE_SECONDS"), System.Globalization.CultureInfo.InvariantCulture, out double lease) && lease > 0
            ? TimeSpan.FromSeconds(lease) : TimeSpan.FromSeconds(30);

    private static int Run(CliContext ctx, string? data, string? index, string? jobs, string urls, int maxUploadMb, int workers)
    {
        string dir;
        try { dir = data ?? ServerOptions.DefaultDataDir(); }
        catch (ServiceException e) { return ctx.Fail(ExitCodes.UsageError, e.Message + "; give --data DIR"); }
        if (!ResolveJobs(ctx, jobs, out string? jobsLocation)) return ExitCodes.UsageError;
        // Unlike the other commands, no --index and no $DOPPEL_INDEX means the index inside the data directory.
        index = ResolveIndex(index);
        var options = new ServerOptions
        {
            DataDir = Path.GetFullPath(dir), Index = index, Jobs = jobsLocation, Urls = urls, MaxUploadMb = maxUploadMb,
            Workers = workers, AdminPassword = Environment.GetEnvironmentVariable(ServerOptions.AdminPasswordVariable), JobLease = JobLease(),
        };
        Microsoft.AspNetCore.Builder.WebApplication app;
        try { app = DoppelServer.Build(options); }
        catch (ServerStartException e) { return ctx.Fail(ExitCodes.ServerError, e.Message); }
        catch (JobStoreException e) { return ctx.Fail(ExitCodes.Unavailable, Output.OneLine(e.Message)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            return ctx.Fail(ExitCodes.ServerError, $"{options.DataDir}: {Output.OneLine(e.Message)}");
        }
        ctx.Err.WriteLine($"doppel: serving {options.DataDir} (index {options.IndexLocation}, jobs {options.Jobs ?? "in the data directory"}) on {urls} ({workers} workers, uploads up to {maxUploadMb} MB)");
        try { app.Run(); }
        catch (IOException e) { return ctx.Fail(ExitCodes.ServerError, Output.OneLine(e.Message)); }
        return ExitCodes.Success;
    }
}

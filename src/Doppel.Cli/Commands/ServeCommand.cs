using System.CommandLine;
using Doppel.Application;
using Doppel.Server;

namespace Doppel.Cli.Commands;

/// <summary><c>doppel serve [--data DIR] [--index LOCATION] [--urls URL] [--max-upload-mb N] [--workers N]</c>: the web server (docs/server.md).</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext ctx)
    {
        var data = new Option<string?>("--data") { Description = "The data directory: users, workspaces, uploads, jobs, reports and the reference index (default: server/ beside the default index)." };
        var index = IndexOption.Create();
        index.Description = $"The reference index: a directory, or redis://HOST:PORT[,HOST:PORT...][/NAME] for an index on a Redis Cluster (default: ${IndexLocation.EnvironmentVariable}, else index/ in the data directory).";
        index.HelpName = "LOCATION";
        var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var maxUpload = new Option<int>("--max-upload-mb") { Description = "The largest request body accepted, in MB; larger ones get 413.", DefaultValueFactory = _ => 50 };
        var workers = new Option<int>("--workers") { Description = "Jobs run at the same time.", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount / 2) };
        maxUpload.WholeNumber(min: 1, max: 1_000_000);
        workers.WholeNumber(min: 1, max: 256);
        var cmd = new Command("serve", "Run the web server: the REST API under /api/v1, durable jobs, the reference index.") { data, index, urls, maxUpload, workers };
        cmd.SetAction(r => Run(ctx, r.GetValue(data), r.GetValue(index), r.GetValue(urls)!, r.GetValue(maxUpload), r.GetValue(workers)));
        return cmd;
    }

    private static int Run(CliContext ctx, string? data, string? index, string urls, int maxUploadMb, int workers)
    {
        string dir;
        try { dir = data ?? ServerOptions.DefaultDataDir(); }
        catch (ServiceException e) { return ctx.Fail(ExitCodes.UsageError, e.Message + "; give --data DIR"); }
        // Unlike the other commands, no --index and no $DOPPEL_INDEX means the index inside the data directory.
        if (string.IsNullOrEmpty(index)) index = Environment.GetEnvironmentVariable(IndexLocation.EnvironmentVariable);
        if (!string.IsNullOrEmpty(index) && !IndexLocation.IsRedis(index)) index = Path.GetFullPath(index);
        var options = new ServerOptions
        {
            DataDir = Path.GetFullPath(dir), Index = string.IsNullOrEmpty(index) ? null : index, Urls = urls, MaxUploadMb = maxUploadMb, Workers = workers,
            AdminPassword = Environment.GetEnvironmentVariable(ServerOptions.AdminPasswordVariable),
            JobLease = double.TryParse(Environment.GetEnvironmentVariable("DOPPEL_JOB_LEASE_SECONDS"), System.Globalization.CultureInfo.InvariantCulture, out double lease) && lease > 0
                ? TimeSpan.FromSeconds(lease) : TimeSpan.FromSeconds(30),
        };
        Microsoft.AspNetCore.Builder.WebApplication app;
        try { app = DoppelServer.Build(options); }
        catch (ServerStartException e) { return ctx.Fail(ExitCodes.ServerError, e.Message); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            return ctx.Fail(ExitCodes.ServerError, $"{options.DataDir}: {Output.OneLine(e.Message)}");
        }
        ctx.Err.WriteLine($"doppel: serving {options.DataDir} (index {options.IndexLocation}) on {urls} ({workers} workers, uploads up to {maxUploadMb} MB)");
        try { app.Run(); }
        catch (IOException e) { return ctx.Fail(ExitCodes.ServerError, Output.OneLine(e.Message)); }
        return ExitCodes.Success;
    }
}

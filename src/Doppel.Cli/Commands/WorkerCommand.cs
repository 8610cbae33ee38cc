using System.CommandLine;
using Doppel.Application;
using Doppel.Application.Jobs;
using Doppel.Server;
using Microsoft.Extensions.Hosting;

namespace Doppel.Cli.Commands;

/// <summary><c>doppel worker --jobs LOCATION [--index LOCATION] [--workers N]</c>: runs the shared jobs of the servers
/// on a Redis Cluster, without a web server or users of its own (docs/scale-out.md).</summary>
internal static class WorkerCommand
{
    public static Command Create(CliContext ctx)
    {
        var jobs = ServeCommand.JobsOption();
        jobs.Description = $"The servers' shared jobs: redis://HOST:PORT[,HOST:PORT...][/NAME] (default: ${ServeCommand.JobsVariable}).";
        var index = IndexOption.Create();
        index.Description = $"The reference index the servers use: redis://HOST:PORT[,HOST:PORT...][/NAME] (default: ${IndexLocation.EnvironmentVariable}).";
        index.HelpName = "LOCATION";
        var workers = ServeCommand.WorkersOption();
        var cmd = new Command("worker", "Run the checks that servers sharing a Redis Cluster queued (doppel serve --jobs).") { jobs, index, workers };
        cmd.SetAction(r => Run(ctx, r.GetValue(jobs), r.GetValue(index), r.GetValue(workers)));
        return cmd;
    }

    private static int Run(CliContext ctx, string? jobs, string? index, int workers)
    {
        if (!ServeCommand.ResolveJobs(ctx, jobs, out string? location)) return ExitCodes.UsageError;
        if (location == null)
            return ctx.Fail(ExitCodes.UsageError, $"a worker needs the servers' jobs: give --jobs redis://HOST:PORT[,HOST:PORT...][/NAME] (or set {ServeCommand.JobsVariable})");
        index = ServeCommand.ResolveIndex(index);
        if (index == null)
            return ctx.Fail(ExitCodes.UsageError, $"a worker needs the servers' reference index: give --index LOCATION (or set {IndexLocation.EnvironmentVariable})");
        var options = new ServerOptions { DataDir = "", Index = index, Jobs = location, Workers = workers, JobLease = ServeCommand.JobLease() };
        IHost host;
        try { host = DoppelServer.BuildWorker(options); }
        catch (JobStoreException e) { return ctx.Fail(ExitCodes.Unavailable, Output.OneLine(e.Message)); }
        ctx.Err.WriteLine($"doppel: running the jobs of {location} (index {index}, {workers} workers)");
        host.Run();
        return ExitCodes.Success;
    }
}
